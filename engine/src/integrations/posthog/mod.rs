//! PostHog puller: an ordered conversion funnel and weekly cohort retention, each one HogQL query
//! sent to `POST {host}/api/projects/{id}/query/` with a personal API key.
//!
//! The queries are built here ([`funnel_query`], [`retention_query`]) with every event name quoted
//! as a HogQL string literal ([`hogql_string`]): event names come from artifact configuration and
//! are treated as untrusted. PostHog returns raw counts; every conversion rate and retention rate
//! is computed in Rust from those counts, with a zero denominator giving `None` (JSON `null`)
//! rather than a made-up 0 or 1.
//!
//! Errors ([`PostHogError`]) name the service by origin and the query by purpose ("the funnel
//! query"); they never contain the API key. 429 and 5xx answers are retried by
//! [`crate::integrations::http::send`]; 400, 401, 403 and 404 are not.

mod client;
mod funnel;
mod hogql;
mod retention;

use thiserror::Error;

use super::http::HttpError;

pub use client::{DEFAULT_HOST, PollPolicy, PostHogClient, PostHogConfig, QueryResult};
pub use funnel::{
    DEFAULT_FUNNEL_STEPS, DEFAULT_WINDOW_DAYS, Funnel, FunnelSpec, FunnelStep, MAX_FUNNEL_STEPS,
    funnel, funnel_from_rows, funnel_query,
};
pub use hogql::{MAX_EVENT_NAME_LEN, hogql_string};
pub use retention::{
    Cohort, CohortRetention, DEFAULT_RETENTION_WEEKS, DEFAULT_RETURN_EVENT, DEFAULT_START_EVENT,
    MAX_RETENTION_WEEKS, RetentionSpec, retention, retention_from_rows, retention_query,
};

/// Why a PostHog pull failed. Messages never contain the API key.
#[derive(Debug, Error)]
pub enum PostHogError {
    /// The configuration cannot be used (bad host URL, a key that cannot go in a header...).
    #[error("the PostHog configuration is not usable: {0}")]
    Config(String),
    /// The funnel or retention definition is invalid (no steps, empty event name, bad dates...).
    #[error("the PostHog {what} is not valid: {reason}")]
    InvalidSpec {
        /// Which definition ("funnel", "retention").
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// PostHog refused the personal API key (HTTP 401 or 403).
    #[error(
        "{service} refused the personal API key (HTTP {status}{}): check that the key is right, \
         belongs to this project's organisation and has the `query:read` scope",
        .detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
    )]
    Unauthorized {
        /// Which service ("PostHog at https://us.posthog.com").
        service: String,
        /// 401 or 403.
        status: u16,
        /// PostHog's own `detail`, if any.
        detail: Option<String>,
    },
    /// PostHog answered 404 for the project's query endpoint.
    #[error(
        "{service} has no project {project_id} that this key can read (HTTP 404): check the project id"
    )]
    ProjectNotFound {
        /// Which service.
        service: String,
        /// The configured project id.
        project_id: u64,
    },
    /// PostHog rejected the HogQL query (HTTP 400); not retried.
    #[error(
        "PostHog rejected {purpose}: {detail}{}",
        .code.as_deref().map(|c| format!(" (code {c})")).unwrap_or_default()
    )]
    Query {
        /// What the query was for ("the funnel query").
        purpose: String,
        /// PostHog's error `code` (e.g. `query_error`).
        code: Option<String>,
        /// PostHog's error `detail`.
        detail: String,
    },
    /// An asynchronous query run finished with an error.
    #[error("PostHog could not run {purpose}: {detail}")]
    QueryFailed {
        /// What the query was for.
        purpose: String,
        /// PostHog's `error_message`.
        detail: String,
    },
    /// An asynchronous query run did not complete within the polling bound.
    #[error("{purpose} was still running on PostHog after {waited_s:.1} s; try again later")]
    StillRunning {
        /// What the query was for.
        purpose: String,
        /// Seconds spent waiting.
        waited_s: f64,
    },
    /// PostHog answered something this puller cannot read.
    #[error("PostHog's answer to {purpose} could not be read: {reason}")]
    Response {
        /// What the query was for.
        purpose: String,
        /// What was wrong with it.
        reason: String,
    },
    /// The HTTP call failed for good (retries exhausted, network, other statuses).
    #[error(transparent)]
    Http(#[from] HttpError),
}
