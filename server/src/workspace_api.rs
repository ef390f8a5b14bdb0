//! Workspace-level endpoints the CLI uses while a server owns the store: workspace info and
//! rename, and the local prompt log (local-only data: only ever served to the token holder or
//! loopback, like everything else, see `access`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cosos_engine::folder::{Mirror, MirrorReport};
use cosos_engine::local_state::PromptLogEntry;
use cosos_engine::sync::{RelayTarget, SyncSummary};
use cosos_engine::{EngineError, WorkspaceInfo};

use crate::api::isolate;
use crate::extract::JsonBody;
use crate::problem::Problem;
use crate::state::AppState;

/// `GET /api/v1/workspace`: id, URL, name and artifact count.
pub async fn info(State(state): State<AppState>) -> Result<Json<WorkspaceInfo>, Problem> {
    let ws = state.workspace;
    Ok(Json(isolate(async move { ws.info().await }).await?))
}

/// `PUT /api/v1/workspace` with `{"name": "..."}`: renames the workspace.
pub async fn rename(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<WorkspaceInfo>, Problem> {
    let Some(name) = body
        .get("name")
        .and_then(|v| v.as_str())
        .map(str::to_string)
    else {
        return Err(Problem::invalid_field("name", "name must be a string"));
    };
    let ws = state.workspace;
    let info = isolate(async move {
        ws.rename(&name).await?;
        ws.info().await
    })
    .await?;
    Ok(Json(info))
}

/// `GET /api/v1/prompts`: the local prompt log, oldest first.
pub async fn prompts(State(state): State<AppState>) -> Result<Json<Vec<PromptLogEntry>>, Problem> {
    let ws = state.workspace;
    Ok(Json(isolate(async move { ws.prompt_log().await }).await?))
}

/// `POST /api/v1/folder` with `{"dir": "/abs/path"}`: one pass of the folder mirror, for
/// `cosos folder DIR` while this process owns the store.
pub async fn mirror_folder(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<MirrorReport>, Problem> {
    let Some(dir) = body
        .get("dir")
        .and_then(|v| v.as_str())
        .map(std::path::PathBuf::from)
        .filter(|d| d.is_absolute())
    else {
        return Err(Problem::invalid_field(
            "dir",
            "dir must be an absolute path",
        ));
    };
    let ws = state.workspace;
    let outcome = tokio::spawn(async move { Mirror::open(ws, &dir).await?.pass().await })
        .await
        .map_err(|_| Problem::internal())?;
    match outcome {
        Ok(report) => Ok(Json(report)),
        Err(EngineError::Folder(e)) => Err(Problem::invalid_field("dir", e.to_string())),
        Err(other) => Err(Problem::from_engine(other)),
    }
}

/// `POST /api/v1/sync` with `{"relay": "ws://...", "token": "..."}`: one sync with a relay, for
/// `cosos sync` while this process owns the store. The token is used, never echoed or logged.
pub async fn sync_once(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<SyncSummary>, Problem> {
    let text = |name: &str| body.get(name).and_then(|v| v.as_str()).unwrap_or_default();
    let relay = RelayTarget::new(text("relay"), text("token"))
        .map_err(|e| Problem::invalid_field("relay", e.to_string()))?;
    let ws = state.workspace;
    let outcome = tokio::spawn(async move { ws.sync_once(&relay).await })
        .await
        .map_err(|_| Problem::internal())?;
    match outcome {
        Ok(summary) => Ok(Json(summary)),
        Err(EngineError::Sync(e)) => Err(Problem::new(
            StatusCode::BAD_GATEWAY,
            "sync_failed",
            e.to_string(),
        )),
        Err(other) => Err(Problem::from_engine(other)),
    }
}
