//! HTTP calls to SaaS APIs with retries: 429, 5xx and network errors are retried with exponential
//! backoff and jitter (backon), honouring `Retry-After` and `Stripe-Should-Retry`, within a bounded
//! number of attempts and total wait. Errors name the service by origin only, never the URL's path
//! or query or any credential.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::HeaderMap;
use reqwest::{RequestBuilder, Response, StatusCode};
use thiserror::Error;

/// How hard to retry.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// First backoff delay.
    pub base: Duration,
    /// Longest single delay (a server's `Retry-After` is capped to it too).
    pub max_delay: Duration,
    /// Attempts in all, the first included.
    pub max_attempts: usize,
    /// Longest total time spent waiting between attempts.
    pub max_total_wait: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            base: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            max_attempts: 8,
            max_total_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The default policy, with `COSOS_RETRY_BASE_MS` overriding the first delay (tests use a
    /// few milliseconds so that a flaky fake API does not slow them down).
    pub fn from_env() -> RetryPolicy {
        let mut policy = RetryPolicy::default();
        if let Some(ms) = std::env::var("COSOS_RETRY_BASE_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            policy.base = Duration::from_millis(ms);
            policy.max_delay = policy
                .max_delay
                .min(Duration::from_millis(ms.saturating_mul(40)));
        }
        policy
    }
}

/// Why a call failed for good.
#[derive(Debug, Error)]
pub enum HttpError {
    /// The service answered with an error status that retrying cannot fix (or retries ran out).
    #[error("{service} answered HTTP {status}{}", .message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        /// Which service.
        service: String,
        /// The status.
        status: StatusCode,
        /// The service's own message, if its error body had one.
        message: Option<String>,
        /// The service's error body, for callers that read error codes.
        body: String,
    },
    /// No answer (connection refused, timeout, TLS...), after retries.
    #[error("could not reach {service}: {reason}")]
    Network {
        /// Which service.
        service: String,
        /// Why, without the URL.
        reason: String,
    },
}

impl HttpError {
    /// The HTTP status, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            HttpError::Status { status, .. } => Some(*status),
            HttpError::Network { .. } => None,
        }
    }
}

/// What a caller makes of a service's error body: its human message.
pub type MessageOf = fn(&str) -> Option<String>;

/// Sends the request `build` makes (called once per attempt), retrying per `policy`; returns a
/// success response, or the last error. `service` names the API in errors ("Stripe at
/// https://api.stripe.com").
pub async fn send(
    build: impl Fn() -> RequestBuilder,
    policy: &RetryPolicy,
    service: &str,
    message_of: MessageOf,
) -> Result<Response, HttpError> {
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(policy.base)
        .with_max_delay(policy.max_delay)
        .with_factor(2.0)
        .with_jitter()
        .with_max_times(policy.max_attempts.saturating_sub(1))
        .build();
    let mut waited = Duration::ZERO;
    loop {
        let outcome = build().timeout(policy.timeout).send().await;
        let (retry, error, hint) = match outcome {
            Ok(response) if response.status().is_success() => return Ok(response),
            Ok(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.text().await.unwrap_or_default();
                let retry = should_retry(status, &headers);
                let error = HttpError::Status {
                    service: service.to_string(),
                    status,
                    message: message_of(&body),
                    body,
                };
                (retry, error, retry_after(&headers))
            }
            Err(e) => {
                let error = HttpError::Network {
                    service: service.to_string(),
                    reason: describe(&e),
                };
                (true, error, None)
            }
        };
        if !retry {
            return Err(error);
        }
        let Some(backoff) = delays.next() else {
            return Err(error);
        };
        let delay = hint.map_or(backoff, |h| h.min(policy.max_delay));
        if waited + delay > policy.max_total_wait {
            return Err(error);
        }
        tracing::warn!(%service, error = %error, ?delay, "retrying");
        tokio::time::sleep(delay).await;
        waited += delay;
    }
}

/// 429 and 5xx are worth another try; Stripe may say otherwise either way.
fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers
        .get("stripe-should-retry")
        .and_then(|v| v.to_str().ok())
    {
        Some("true") => true,
        Some("false") => false,
        _ => status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and falls back to backoff).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// The error and its causes, without the URL reqwest would print (it may carry a query).
pub(crate) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "the request timed out".to_string();
    }
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let kind = if e.is_body() {
        "reading the reply failed"
    } else if e.is_decode() {
        "the reply could not be decoded"
    } else if e.is_redirect() {
        "too many redirects"
    } else {
        "sending the request failed"
    };
    match parts.is_empty() {
        true => kind.to_string(),
        false => format!("{kind}: {}", parts.join(": ")),
    }
}

/// `scheme://host[:port]` of a base URL, for messages.
pub fn origin(base: &str) -> String {
    match url::Url::parse(base) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => "the configured address".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn decides_retries_like_stripe_says() {
        let mut h = HeaderMap::new();
        assert!(should_retry(StatusCode::TOO_MANY_REQUESTS, &h));
        assert!(should_retry(StatusCode::BAD_GATEWAY, &h));
        assert!(!should_retry(StatusCode::UNAUTHORIZED, &h));
        h.insert("stripe-should-retry", HeaderValue::from_static("false"));
        assert!(!should_retry(StatusCode::SERVICE_UNAVAILABLE, &h));
        h.insert("stripe-should-retry", HeaderValue::from_static("true"));
        assert!(should_retry(StatusCode::CONFLICT, &h));
    }

    #[test]
    fn reads_retry_after_seconds() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), None);
        assert_eq!(
            origin("https://api.stripe.com/v1?key=x"),
            "https://api.stripe.com"
        );
    }
}
