//! Who may talk to a running server: a Host check against DNS rebinding on loopback, and the
//! access token on every request when the server listens beyond loopback.
//!
//! The token arrives as `Authorization: Bearer T` (the CLI), as `?token=T` (a browser's first
//! visit, which trades it for an HttpOnly, SameSite=Strict cookie) or as that cookie.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The one path authenticated by signature rather than by the token.
pub const WEBHOOK_PATH: &str = "/webhooks/stripe";

/// The cookie a browser keeps the token in.
const COOKIE: &str = "cosos_token";

/// Access policy of one server.
#[derive(Debug, Clone)]
pub struct Access {
    token: Arc<str>,
    loopback: bool,
    port: u16,
}

impl Access {
    /// The policy for a server bound to `addr` with `token`.
    pub fn new(addr: SocketAddr, token: &str) -> Access {
        Access {
            token: Arc::from(token),
            loopback: addr.ip().is_loopback(),
            port: addr.port(),
        }
    }

    fn has_token(&self, headers: &HeaderMap, query: Option<&str>) -> bool {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| {
                kv.trim()
                    .strip_prefix(&format!("{COOKIE}="))
                    .map(str::to_string)
            })
            .next();
        let from_query = query.and_then(token_param);
        [bearer.map(str::to_string), cookie, from_query]
            .into_iter()
            .flatten()
            .any(|t| constant_time_eq(t.as_bytes(), self.token.as_bytes()))
    }

    fn host_is_loopback(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let port = self.port.to_string();
        let (name, host_port) = match host.rsplit_once(':') {
            Some((n, p)) if !n.ends_with(']') || host.starts_with('[') => (n, Some(p)),
            _ => (host, None),
        };
        let name_ok = matches!(name, "127.0.0.1" | "localhost" | "[::1]");
        name_ok && host_port.is_none_or(|p| p == port)
    }
}

pub(crate) fn token_param(query: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .map(str::to_string)
}

/// Compares without an early exit, so timing does not reveal how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The middleware: refuses requests that the policy does not allow.
pub async fn check(State(access): State<Access>, request: Request, next: Next) -> Response {
    // Stripe cannot carry our token, and reaches us through a tunnel under another host name;
    // the endpoint authenticates each request by its signature instead.
    if request.uri().path() == WEBHOOK_PATH && request.method() == axum::http::Method::POST {
        return next.run(request).await;
    }
    let headers = request.headers();
    let query = request.uri().query().map(str::to_string);
    let authorized = access.has_token(headers, query.as_deref());
    if access.loopback && !access.host_is_loopback(headers) && !authorized {
        return refuse(
            StatusCode::FORBIDDEN,
            "this server only answers to localhost",
        );
    }
    if !access.loopback && !authorized {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "this server needs its access token: open the URL that `cosos serve` printed",
        );
    }
    // A browser that came with ?token= gets the cookie and a clean URL without the secret.
    if query.as_deref().and_then(token_param).is_some()
        && request.method() == axum::http::Method::GET
    {
        let path = request.uri().path().to_string();
        let mut response = Redirect::to(&path).into_response();
        let cookie = format!(
            "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
            access.token
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        return response;
    }
    next.run(request).await
}

fn refuse(status: StatusCode, detail: &str) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Refused"),
        "status": status.as_u16(),
        "detail": detail,
    });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn host_check_on_loopback() {
        let a = Access::new("127.0.0.1:7878".parse().unwrap(), "t0k");
        assert!(a.host_is_loopback(&headers(&[("host", "127.0.0.1:7878")])));
        assert!(a.host_is_loopback(&headers(&[("host", "localhost:7878")])));
        assert!(a.host_is_loopback(&headers(&[("host", "[::1]:7878")])));
        assert!(!a.host_is_loopback(&headers(&[("host", "evil.example:7878")])));
        assert!(!a.host_is_loopback(&headers(&[("host", "localhost:9999")])));
        assert!(!a.host_is_loopback(&headers(&[])));
    }

    #[test]
    fn token_from_header_cookie_or_query() {
        let a = Access::new("0.0.0.0:7878".parse().unwrap(), "t0k");
        assert!(a.has_token(&headers(&[("authorization", "Bearer t0k")]), None));
        assert!(a.has_token(&headers(&[("cookie", "x=1; cosos_token=t0k")]), None));
        assert!(a.has_token(&headers(&[]), Some("a=1&token=t0k")));
        assert!(!a.has_token(&headers(&[("authorization", "Bearer nope")]), None));
        assert!(!a.has_token(&headers(&[]), Some("token=t0")));
    }
}
