//! RFC 9457 problem details: the one error shape of the API, and how engine errors map onto it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cosos_artifacts::{ArtifactError, Kind};
use cosos_engine::EngineError;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An API error: boxed, because handlers return it by value on every error path.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem(Box<ProblemDetails>);

/// A problem details document (RFC 9457) with cosos's extension members.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemDetails {
    /// Always `about:blank`: the status and `code` say what went wrong.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The HTTP reason phrase of `status`.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, in words meant for the founder.
    pub detail: String,
    /// A stable machine-readable name for the problem, e.g. `invalid_field`.
    pub code: String,
    /// The first offending field, as a dotted path (`context.stage`, `next_actions[0].index`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every offending field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `no_kind_fits`: every kind with a prompt that would select it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<KindExample>,
}

/// One invalid field of a request body.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// Dotted path of the field.
    pub field: String,
    /// What is wrong with it.
    pub detail: String,
}

/// A kind and an example prompt for it, offered when no kind fits a prompt.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct KindExample {
    /// The kind's name, as `kind` accepts it.
    pub kind: String,
    /// A prompt that selects this kind.
    pub example: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            detail: detail.into(),
        }
    }
}

impl Problem {
    /// A problem with a status, a code and a detail.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Problem {
        Problem(Box::new(ProblemDetails {
            problem_type: "about:blank".to_string(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_string(),
            field: None,
            errors: Vec::new(),
            kinds: Vec::new(),
        }))
    }

    /// A 422 naming every invalid field; the detail joins them so it reads on its own.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Problem {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.detail))
            .collect::<Vec<_>>()
            .join("; ");
        let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", detail);
        problem.0.field = errors.first().map(|e| e.field.clone());
        problem.0.errors = errors;
        problem
    }

    /// A 422 for one invalid field.
    pub fn invalid_field(field: &str, detail: impl Into<String>) -> Problem {
        Problem::invalid_fields(vec![FieldError::new(field, detail)])
    }

    /// A 404 for an id or slug that names no artifact.
    pub fn not_found(id: &str) -> Problem {
        // Bounded so a huge path segment is not echoed back whole.
        let shown: String = id.chars().take(100).collect();
        Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no artifact has the id, URL or slug \"{shown}\""),
        )
    }

    /// A 500 that says nothing about internals; the cause goes to the server log only.
    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete this request; the cause is in the server log",
        )
    }

    /// The generic problem for a status that no handler described (router 404/405, limits).
    pub fn from_status(status: StatusCode) -> Problem {
        match status {
            StatusCode::NOT_FOUND => Problem::new(status, "no_route", "there is no such endpoint"),
            StatusCode::METHOD_NOT_ALLOWED => Problem::new(
                status,
                "method_not_allowed",
                "this endpoint does not accept this method; see the Allow header",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => Problem::body_too_large(),
            s if s.is_server_error() => Problem::internal(),
            s => Problem::new(s, "bad_request", "the request could not be processed"),
        }
    }

    /// A 413 for a body over the limit.
    pub fn body_too_large() -> Problem {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "the request body is larger than {} bytes",
                crate::state::BODY_LIMIT
            ),
        )
    }

    /// Maps an engine error: the founder's mistakes become 4xx, everything else a logged 500.
    pub fn from_engine(error: EngineError) -> Problem {
        match error {
            EngineError::NotFound(id) => Problem::not_found(&id),
            EngineError::InvalidEdit(detail) => Problem::invalid_field(edit_field(&detail), detail),
            EngineError::Generate(e) => Problem::from_artifact(e),
            other => {
                tracing::error!(error = %other, "request failed in the engine");
                Problem::internal()
            }
        }
    }

    fn from_artifact(error: ArtifactError) -> Problem {
        let detail = error.to_string();
        match error {
            ArtifactError::EmptyPrompt | ArtifactError::PromptTooLong { .. } => {
                Problem::invalid_field("prompt", detail)
            }
            ArtifactError::NoKindFits(_) => Problem::no_kind_fits(detail),
            ArtifactError::UnknownKind(_) | ArtifactError::KindNotAvailable(_) => {
                Problem::invalid_field("kind", detail)
            }
            ArtifactError::UnknownStage(_) => Problem::invalid_field("context.stage", detail),
            ArtifactError::UnknownGoal(_) => Problem::invalid_field("context.goal", detail),
            other => {
                tracing::error!(error = %other, "generation failed");
                Problem::internal()
            }
        }
    }

    fn no_kind_fits(detail: String) -> Problem {
        let mut problem = Problem::invalid_field("prompt", detail);
        problem.0.code = "no_kind_fits".to_string();
        problem.0.kinds = Kind::ALL
            .into_iter()
            .map(|k| KindExample {
                kind: k.as_str().to_string(),
                example: k.example_prompt().to_string(),
            })
            .collect();
        problem
    }
}

/// The engine phrases edit errors for people; this recovers which field they are about.
fn edit_field(detail: &str) -> &'static str {
    if detail.contains("next action") {
        "next_actions"
    } else if detail.contains("notes") {
        "notes"
    } else {
        "title"
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Serialising plain strings and numbers cannot fail; the fallback keeps this total anyway.
        let body = serde_json::to_vec(&*self.0).unwrap_or_else(|_| {
            br#"{"type":"about:blank","title":"Error","status":500,"detail":"error"}"#.to_vec()
        });
        let mut response = (status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

impl std::ops::Deref for Problem {
    type Target = ProblemDetails;

    fn deref(&self) -> &ProblemDetails {
        &self.0
    }
}

impl From<EngineError> for Problem {
    fn from(error: EngineError) -> Problem {
        Problem::from_engine(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_failures_are_500_without_internals() {
        let secret = "/home/founder/.cosos/cosos.redb: token sk_live_123";
        for error in [
            EngineError::Task(secret.into()),
            EngineError::HomeInUse(secret.into()),
            EngineError::RepoStopped,
            EngineError::Generate(ArtifactError::InvalidContent {
                kind: "mrr_tracker",
                reason: secret.into(),
            }),
        ] {
            let p = Problem::from_engine(error);
            assert_eq!(p.status, 500);
            assert!(!p.detail.contains("cosos.redb") && !p.detail.contains("sk_live"));
        }
    }

    #[test]
    fn engine_refusals_name_their_field() {
        let cases = [
            (ArtifactError::UnknownStage("x".into()), "context.stage"),
            (ArtifactError::UnknownGoal("x".into()), "context.goal"),
            (ArtifactError::UnknownKind("x".into()), "kind"),
            (ArtifactError::EmptyPrompt, "prompt"),
        ];
        for (error, field) in cases {
            let p = Problem::from_engine(EngineError::Generate(error));
            assert_eq!((p.status, p.field.as_deref()), (422, Some(field)));
        }
        let p = Problem::from_engine(EngineError::InvalidEdit("the title cannot be empty".into()));
        assert_eq!(p.field.as_deref(), Some("title"));
    }

    #[test]
    fn responses_carry_the_problem_media_type() {
        let res = Problem::not_found("x").into_response();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(res.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
    }
}
