//! The artifact endpoints of `/api/v1`.
//!
//! `DELETE` archives rather than destroys: an artifact is an Automerge document that may also live
//! on the founder's other devices, and a deletion here could not reach them. Archiving is an
//! ordinary, mergeable edit, and `PUT {"archived": false}` undoes it.

use std::future::Future;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cosos_engine::{ArtifactEdit, ArtifactRecord, ArtifactSummary, EngineError};

use crate::body;
use crate::extract::{ArtifactId, JsonBody};
use crate::problem::{Problem, ProblemDetails};
use crate::schema::{ArtifactRowSchema, ArtifactSchema, GenerateBody, UpdateBody};
use crate::state::AppState;

/// Generates an artifact from a prompt and stores it.
#[utoipa::path(
    post,
    path = "/api/v1/artifacts/generate",
    tag = "artifacts",
    request_body(content = GenerateBody, content_type = "application/json"),
    responses(
        (status = 201, description = "The new artifact", body = ArtifactSchema,
            headers(("Location" = String, description = "The artifact's URL"))),
        (status = 400, description = "Malformed JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or no kind fits the prompt", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 500, description = "Engine failure", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn generate(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let request = body::generate_request(body)?;
    let ws = state.workspace;
    let record = isolate(async move { ws.generate(&request, None).await }).await?;
    let location = format!("/api/v1/artifacts/{}", record.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(record),
    )
        .into_response())
}

/// Lists every artifact, archived ones included, most recently updated first.
#[utoipa::path(
    get,
    path = "/api/v1/artifacts",
    tag = "artifacts",
    responses(
        (status = 200, description = "List rows", body = [ArtifactRowSchema]),
        (status = 500, description = "Engine failure", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<ArtifactSummary>>, Problem> {
    let ws = state.workspace;
    Ok(Json(isolate(async move { ws.list().await }).await?))
}

/// One artifact by id, `automerge:` URL or slug.
#[utoipa::path(
    get,
    path = "/api/v1/artifacts/{id}",
    tag = "artifacts",
    params(("id" = String, Path, description = "Document id, automerge: URL or slug")),
    responses(
        (status = 200, description = "The artifact", body = ArtifactSchema),
        (status = 404, description = "No such artifact", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 500, description = "Engine failure", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get_artifact(
    State(state): State<AppState>,
    ArtifactId(id): ArtifactId,
) -> Result<Json<ArtifactRecord>, Problem> {
    let ws = state.workspace;
    Ok(Json(isolate(async move { ws.get(&id).await }).await?))
}

/// Edits title, notes, archived flag and next actions as Automerge changes (concurrent edits merge).
#[utoipa::path(
    put,
    path = "/api/v1/artifacts/{id}",
    tag = "artifacts",
    params(("id" = String, Path, description = "Document id, automerge: URL or slug")),
    request_body(content = UpdateBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The updated artifact", body = ArtifactSchema),
        (status = 400, description = "Malformed JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such artifact", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 500, description = "Engine failure", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ArtifactId(id): ArtifactId,
    JsonBody(body): JsonBody,
) -> Result<Json<ArtifactRecord>, Problem> {
    let update = body::update(body)?;
    let ws = state.workspace;
    let record = isolate(async move {
        let record = ws.get(&id).await?;
        if update.is_empty() {
            return Ok(Ok(record));
        }
        if let Err(problem) = update.check_actions(next_action_count(&record)) {
            return Ok(Err(problem));
        }
        ws.edit(&record.id, update.edit).await.map(Ok)
    })
    .await??;
    Ok(Json(record))
}

/// Archives an artifact; it is never destroyed, since copies may live on other devices.
#[utoipa::path(
    delete,
    path = "/api/v1/artifacts/{id}",
    tag = "artifacts",
    params(("id" = String, Path, description = "Document id, automerge: URL or slug")),
    responses(
        (status = 204, description = "Archived (restore with PUT {\"archived\": false})"),
        (status = 404, description = "No such artifact", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 500, description = "Engine failure", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn archive(
    State(state): State<AppState>,
    ArtifactId(id): ArtifactId,
) -> Result<StatusCode, Problem> {
    let ws = state.workspace;
    let edit = ArtifactEdit {
        archived: Some(true),
        ..ArtifactEdit::default()
    };
    isolate(async move { ws.edit(&id, edit).await }).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn next_action_count(record: &ArtifactRecord) -> usize {
    record
        .content
        .get("next_actions")
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len)
}

/// Runs engine work on its own task: a panic deep in the engine becomes a logged 500 instead of a
/// dropped connection, and a client that hangs up cannot cancel a half-acknowledged write.
pub(crate) async fn isolate<T, F>(work: F) -> Result<T, Problem>
where
    F: Future<Output = Result<T, EngineError>> + Send + 'static,
    T: Send + 'static,
{
    match tokio::spawn(work).await {
        Ok(result) => result.map_err(Problem::from_engine),
        Err(e) => {
            tracing::error!(error = %e, "an API task panicked or was cancelled");
            Err(Problem::internal())
        }
    }
}
