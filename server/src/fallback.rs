//! Responses no handler wrote: unknown routes, wrong methods and the body-limit layer's 413 all
//! become problem documents, so no plain-text or empty error body ever leaves the API.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::problem::{PROBLEM_JSON, Problem};

/// 404 for any path under `/api` that is not an endpoint.
pub async fn no_route() -> Problem {
    Problem::from_status(StatusCode::NOT_FOUND)
}

/// Rewrites every error response that is not already a problem document, and forbids sniffing.
pub async fn ensure_problem(response: Response) -> Response {
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    let mut response = if is_error && !is_problem {
        // The Allow header of a 405 is the only part of the original worth keeping.
        let allow = response.headers().get(header::ALLOW).cloned();
        let mut replaced = Problem::from_status(status).into_response();
        if let Some(allow) = allow {
            replaced.headers_mut().insert(header::ALLOW, allow);
        }
        replaced
    } else {
        response
    };
    // Browsers must never guess that a JSON body holding user text is HTML.
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
