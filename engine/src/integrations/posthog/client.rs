//! The PostHog query API: `POST {host}/api/projects/{id}/query/` with a HogQL query, and the
//! asynchronous flow (`query_status` in the answer, then `GET .../query/{query_id}/` until it is
//! complete, within a bounded wait).

use std::fmt;
use std::time::Duration;

use reqwest::Response;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Deserialize;
use serde_json::{Value, json};

use super::PostHogError;
use crate::integrations::http::{self, HttpError, RetryPolicy, describe};

/// PostHog Cloud US, the host used when none is configured.
pub const DEFAULT_HOST: &str = "https://us.posthog.com";

/// Longest error detail kept from PostHog, in characters.
const MAX_DETAIL_CHARS: usize = 600;

/// Where a project's PostHog lives and the personal API key that reads it. Local-only state: it is
/// never serialised, and its `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct PostHogConfig {
    /// API host, e.g. `https://us.posthog.com`, `https://eu.posthog.com` or a self-hosted URL.
    pub host: String,
    /// The numeric project id.
    pub project_id: u64,
    /// A personal API key (`phx_...`) with the `query:read` scope.
    pub api_key: String,
}

impl PostHogConfig {
    /// A configuration for PostHog Cloud US ([`DEFAULT_HOST`]).
    pub fn new(project_id: u64, api_key: impl Into<String>) -> PostHogConfig {
        PostHogConfig {
            host: DEFAULT_HOST.to_string(),
            project_id,
            api_key: api_key.into(),
        }
    }

    /// The same configuration against another host (EU cloud, self-hosted, a test server).
    pub fn with_host(mut self, host: impl Into<String>) -> PostHogConfig {
        self.host = host.into();
        self
    }
}

impl fmt::Debug for PostHogConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostHogConfig")
            .field("host", &http::origin(&self.host))
            .field("project_id", &self.project_id)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

/// How long to wait for an asynchronous query run: the delay between status checks starts at
/// `first` and doubles up to `max_interval`; after `max_wait` in all the pull gives up.
#[derive(Debug, Clone, Copy)]
pub struct PollPolicy {
    /// Delay before the first status check.
    pub first: Duration,
    /// Longest delay between two checks.
    pub max_interval: Duration,
    /// Longest total wait.
    pub max_wait: Duration,
}

impl Default for PollPolicy {
    fn default() -> PollPolicy {
        PollPolicy {
            first: Duration::from_millis(500),
            max_interval: Duration::from_secs(5),
            max_wait: Duration::from_secs(120),
        }
    }
}

impl PollPolicy {
    /// The default policy, with `COSOS_RETRY_BASE_MS` shortening the delays like it does retries.
    pub fn from_env() -> PollPolicy {
        let mut policy = PollPolicy::default();
        if let Some(ms) = std::env::var("COSOS_RETRY_BASE_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            policy.first = Duration::from_millis(ms);
            policy.max_interval = Duration::from_millis(ms.saturating_mul(20));
        }
        policy
    }
}

/// The rows of a finished HogQL query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryResult {
    /// Column names, in row order (may be empty if PostHog sent none).
    pub columns: Vec<String>,
    /// Column types as PostHog reports them (`[name, type]` pairs), unparsed.
    pub types: Vec<Value>,
    /// The rows, one JSON value per column.
    pub rows: Vec<Vec<Value>>,
}

impl QueryResult {
    /// Position of the column called `name`, or `fallback` when PostHog sent no column names.
    pub fn column(&self, name: &str, fallback: usize) -> Option<usize> {
        if self.columns.is_empty() {
            return Some(fallback);
        }
        self.columns.iter().position(|c| c == name)
    }
}

/// A PostHog query API client for one project. `Debug` never shows the key.
#[derive(Clone)]
pub struct PostHogClient {
    http: reqwest::Client,
    base: String,
    project_id: u64,
    auth: HeaderValue,
    key: String,
    service: String,
    retry: RetryPolicy,
    poll: PollPolicy,
}

impl fmt::Debug for PostHogClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostHogClient")
            .field("service", &self.service)
            .field("project_id", &self.project_id)
            .field("retry", &self.retry)
            .field("poll", &self.poll)
            .finish_non_exhaustive()
    }
}

impl PostHogClient {
    /// Checks `config` (an http(s) host without credentials, query or fragment; a non-empty key
    /// that fits in a header) and builds a client with [`RetryPolicy::from_env`] and
    /// [`PollPolicy::from_env`].
    pub fn new(config: PostHogConfig) -> Result<PostHogClient, PostHogError> {
        let base = check_host(&config.host)?;
        let key = config.api_key.trim().to_string();
        if key.is_empty() {
            return Err(PostHogError::Config(
                "the personal API key is empty".to_string(),
            ));
        }
        let mut auth = HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| {
            PostHogError::Config(
                "the personal API key contains characters that cannot be sent in an HTTP header"
                    .to_string(),
            )
        })?;
        auth.set_sensitive(true);
        let http = reqwest::Client::builder().build().map_err(|e| {
            PostHogError::Config(format!("could not start the HTTP client: {}", describe(&e)))
        })?;
        Ok(PostHogClient {
            http,
            service: format!("PostHog at {}", http::origin(&base)),
            base,
            project_id: config.project_id,
            auth,
            key,
            retry: RetryPolicy::from_env(),
            poll: PollPolicy::from_env(),
        })
    }

    /// The same client with another retry policy (tests use millisecond delays).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> PostHogClient {
        self.retry = policy;
        self
    }

    /// The same client with another polling policy for asynchronous runs.
    pub fn with_poll_policy(mut self, policy: PollPolicy) -> PostHogClient {
        self.poll = policy;
        self
    }

    /// How errors name this service: `PostHog at <origin>`.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Runs one HogQL query and returns its rows. `purpose` names the query in errors ("the
    /// funnel query"). 429/5xx are retried; an asynchronous run is polled until complete.
    pub async fn query(&self, purpose: &str, hogql: &str) -> Result<QueryResult, PostHogError> {
        let url = format!("{}/api/projects/{}/query/", self.base, self.project_id);
        let body = json!({ "query": { "kind": "HogQLQuery", "query": hogql } });
        let response = http::send(
            || {
                self.http
                    .post(&url)
                    .header(AUTHORIZATION, self.auth.clone())
                    .json(&body)
            },
            &self.retry,
            &self.service,
            error_detail,
        )
        .await
        .map_err(|e| self.http_error(e, purpose, false))?;
        let reply: QueryReply = self.read_json(response, purpose).await?;
        let running = reply
            .query_status
            .as_ref()
            .filter(|s| !s.complete.unwrap_or(false))
            .map(|s| s.id.clone());
        match running {
            Some(id) => self.poll(purpose, &id).await,
            None => self.finished(purpose, reply),
        }
    }

    /// Waits for the asynchronous run `id` to complete.
    async fn poll(&self, purpose: &str, id: &str) -> Result<QueryResult, PostHogError> {
        let valid_id = !id.is_empty()
            && id.len() <= 200
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_id {
            return Err(self.unreadable(purpose, "the asynchronous query id is not valid"));
        }
        let url = format!("{}/api/projects/{}/query/{id}/", self.base, self.project_id);
        let mut delay = self.poll.first;
        let mut waited = Duration::ZERO;
        loop {
            if waited + delay > self.poll.max_wait {
                return Err(PostHogError::StillRunning {
                    purpose: purpose.to_string(),
                    waited_s: waited.as_secs_f64(),
                });
            }
            tokio::time::sleep(delay).await;
            waited += delay;
            delay = (delay * 2).min(self.poll.max_interval);
            let response = http::send(
                || self.http.get(&url).header(AUTHORIZATION, self.auth.clone()),
                &self.retry,
                &self.service,
                error_detail,
            )
            .await
            .map_err(|e| self.http_error(e, purpose, true))?;
            let reply: StatusReply = self.read_json(response, purpose).await?;
            let status = reply.query_status;
            if !status.complete.unwrap_or(false) {
                continue;
            }
            if status.error.unwrap_or(false) {
                return Err(self.failed(purpose, status.error_message));
            }
            return match status.results {
                Some(Value::Object(map)) => {
                    let inner: QueryReply = serde_json::from_value(Value::Object(map))
                        .map_err(|e| self.unreadable(purpose, &e.to_string()))?;
                    self.finished(purpose, inner)
                }
                Some(rows @ Value::Array(_)) => self.finished(
                    purpose,
                    QueryReply {
                        results: Some(rows),
                        ..QueryReply::default()
                    },
                ),
                _ => Err(self.unreadable(purpose, "the completed run carries no results")),
            };
        }
    }

    /// The rows of a reply that is not (or no longer) running.
    fn finished(&self, purpose: &str, reply: QueryReply) -> Result<QueryResult, PostHogError> {
        if let Some(status) = &reply.query_status
            && status.error.unwrap_or(false)
        {
            return Err(self.failed(purpose, status.error_message.clone()));
        }
        if reply.has_more == Some(true) {
            return Err(self.unreadable(
                purpose,
                "PostHog returned only part of the rows (hasMore is true)",
            ));
        }
        let results = match reply.results {
            Some(results) => results,
            None => match reply.query_status.and_then(|s| s.results) {
                Some(Value::Object(map)) => {
                    let inner: QueryReply = serde_json::from_value(Value::Object(map))
                        .map_err(|e| self.unreadable(purpose, &e.to_string()))?;
                    return self.finished(purpose, inner);
                }
                Some(results) => results,
                None => return Err(self.unreadable(purpose, "it has no `results`")),
            },
        };
        let Value::Array(rows) = results else {
            return Err(self.unreadable(purpose, "`results` is not a list of rows"));
        };
        let rows = rows
            .into_iter()
            .map(|row| match row {
                Value::Array(values) => Ok(values),
                _ => Err(self.unreadable(purpose, "a row is not a list of values")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(QueryResult {
            columns: reply.columns.unwrap_or_default(),
            types: reply.types.unwrap_or_default(),
            rows,
        })
    }

    async fn read_json<T: for<'de> Deserialize<'de>>(
        &self,
        response: Response,
        purpose: &str,
    ) -> Result<T, PostHogError> {
        let bytes = response.bytes().await.map_err(|e| {
            PostHogError::Http(HttpError::Network {
                service: self.service.clone(),
                reason: describe(&e),
            })
        })?;
        serde_json::from_slice(&bytes).map_err(|e| self.unreadable(purpose, &e.to_string()))
    }

    /// Turns a failed call into the error a founder can act on.
    fn http_error(&self, e: HttpError, purpose: &str, polling: bool) -> PostHogError {
        let HttpError::Status {
            service,
            status,
            message,
            body,
        } = e
        else {
            return PostHogError::Http(e);
        };
        let parsed: ErrorBody = serde_json::from_str(&body).unwrap_or_default();
        let detail = parsed.detail.map(|d| self.clean(&d));
        let code = parsed.code.map(|c| self.clean(&c));
        match status.as_u16() {
            401 | 403 => PostHogError::Unauthorized {
                service,
                status: status.as_u16(),
                detail,
            },
            400 => PostHogError::Query {
                purpose: purpose.to_string(),
                code,
                detail: detail.unwrap_or_else(|| "PostHog gave no detail".to_string()),
            },
            404 if polling => self.failed(
                purpose,
                Some("PostHog no longer knows this query run (HTTP 404)".to_string()),
            ),
            404 => PostHogError::ProjectNotFound {
                service,
                project_id: self.project_id,
            },
            _ => PostHogError::Http(HttpError::Status {
                service,
                status,
                message: message.map(|m| self.clean(&m)),
                body: self.clean(&body),
            }),
        }
    }

    fn failed(&self, purpose: &str, message: Option<String>) -> PostHogError {
        PostHogError::QueryFailed {
            purpose: purpose.to_string(),
            detail: message
                .map(|m| self.clean(&m))
                .unwrap_or_else(|| "PostHog gave no detail".to_string()),
        }
    }

    fn unreadable(&self, purpose: &str, reason: &str) -> PostHogError {
        PostHogError::Response {
            purpose: purpose.to_string(),
            reason: reason.to_string(),
        }
    }

    /// A server-supplied text, shortened, with the key blanked out should a server echo it.
    fn clean(&self, text: &str) -> String {
        let mut text = text.to_string();
        if !self.key.is_empty() {
            text = text.replace(&self.key, "[redacted]");
        }
        match text.char_indices().nth(MAX_DETAIL_CHARS) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text,
        }
    }
}

/// An http(s) base URL without credentials, query or fragment, and without a trailing slash.
fn check_host(host: &str) -> Result<String, PostHogError> {
    let bad = |why: &str| PostHogError::Config(format!("the PostHog host {why}"));
    let url = url::Url::parse(host.trim()).map_err(|_| bad("is not a valid URL"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(bad(
            "must start with https:// (or http:// for a local server)",
        ));
    }
    if url.host_str().is_none() {
        return Err(bad("has no host name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not contain credentials; give the key separately"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// PostHog's error body: `{type, code, detail, attr}`.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

/// `detail` of a PostHog error body, for [`http::send`]'s messages.
fn error_detail(body: &str) -> Option<String> {
    serde_json::from_str::<ErrorBody>(body).ok()?.detail
}

/// An answer of `POST /query/`, or the `results` object of a completed asynchronous run.
#[derive(Debug, Default, Deserialize)]
struct QueryReply {
    #[serde(default)]
    results: Option<Value>,
    #[serde(default)]
    columns: Option<Vec<String>>,
    #[serde(default)]
    types: Option<Vec<Value>>,
    #[serde(default, rename = "hasMore")]
    has_more: Option<bool>,
    #[serde(default)]
    query_status: Option<QueryStatus>,
}

/// An answer of `GET /query/{id}/`.
#[derive(Debug, Deserialize)]
struct StatusReply {
    query_status: QueryStatus,
}

/// PostHog's `QueryStatus` (the fields used here).
#[derive(Debug, Deserialize)]
struct QueryStatus {
    id: String,
    #[serde(default)]
    complete: Option<bool>,
    #[serde(default)]
    error: Option<bool>,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    results: Option<Value>,
}
