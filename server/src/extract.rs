//! Extractors whose rejections are problem documents, so axum's plain-text rejections never leak.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde_json::Value;

use crate::problem::Problem;

/// A JSON request body, parsed but not yet interpreted: field checks happen in [`crate::body`] so
/// that each bad field can be named.
#[derive(Debug)]
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the request body must be JSON, sent with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(bytes_rejection)?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                // serde_json's message names the line and column, never the input itself.
                format!("the request body is not valid JSON: {e}"),
            )
        })
    }
}

fn bytes_rejection(rejection: BytesRejection) -> Problem {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Problem::body_too_large()
    } else {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "unreadable_body",
            "the request body could not be read",
        )
    }
}

/// `application/json` or any `application/*+json`, parameters (charset) allowed.
fn is_json(content_type: Option<&axum::http::HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The `{id}` path segment: a document id, an `automerge:` URL or a slug.
#[derive(Debug)]
pub struct ArtifactId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ArtifactId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| ArtifactId(id))
            .map_err(|_| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "bad_path",
                    "the artifact id in the path is not valid UTF-8 text",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn accepts_json_media_types_only() {
        let ok = [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ];
        for v in ok {
            assert!(is_json(Some(&HeaderValue::from_static(v))), "{v}");
        }
        let bad = [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/json+html",
        ];
        for v in bad {
            assert!(!is_json(Some(&HeaderValue::from_static(v))), "{v}");
        }
        assert!(!is_json(None));
    }
}
