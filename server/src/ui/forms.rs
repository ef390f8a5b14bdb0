//! The form posts. Each checks the CSRF token before anything else, so a refused post changes
//! nothing, then redirects (303) to the page that shows the result.

use std::collections::HashMap;
use std::str::FromStr;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cosos_artifacts::{ArtifactError, Context, Goal, Request, Stage};
use cosos_engine::{ArtifactEdit, EngineError};

use super::onboarding::{self, Answers};
use super::{UiError, csrf, isolate};
use crate::state::AppState;

type Fields = HashMap<String, String>;

fn check(fields: &Fields) -> Result<(), UiError> {
    if csrf::is_valid(fields.get(csrf::FIELD).map(String::as_str)) {
        Ok(())
    } else {
        Err(UiError::Forbidden)
    }
}

fn field(fields: &Fields, name: &str) -> String {
    fields.get(name).cloned().unwrap_or_default()
}

/// `POST /onboarding/generate`: generates and redirects to the artifact, or re-renders the
/// prompt step (422) with the reason and the founder's text kept.
pub async fn generate(State(state): State<AppState>, Form(fields): Form<Fields>) -> Response {
    if let Err(e) = check(&fields) {
        return e.into_response();
    }
    let answers = Answers {
        step: Some("prompt".to_string()),
        stage: field(&fields, "stage"),
        goal: field(&fields, "goal"),
        challenge: field(&fields, "challenge"),
        prompt: field(&fields, "prompt"),
    };
    let request = match request(&answers) {
        Ok(r) => r,
        Err(message) => {
            return onboarding::render(&answers, StatusCode::UNPROCESSABLE_ENTITY, Some(&message));
        }
    };
    let ws = state.workspace;
    match tokio::spawn(async move { ws.generate(&request, None).await }).await {
        Ok(Ok(record)) => Redirect::to(&format!("/artifacts/{}", record.id)).into_response(),
        Ok(Err(EngineError::Generate(e))) if refusal(&e) => {
            let message = match e {
                ArtifactError::NoKindFits(_) => "cosos could not tell what to build from that \
                    prompt. Say what you want to track or prepare, with your numbers, like one \
                    of the examples below."
                    .to_string(),
                other => other.to_string(),
            };
            onboarding::render(&answers, StatusCode::UNPROCESSABLE_ENTITY, Some(&message))
        }
        Ok(Err(e)) => UiError::from(e).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the generate task panicked or was cancelled");
            UiError::Internal.into_response()
        }
    }
}

fn refusal(e: &ArtifactError) -> bool {
    matches!(
        e,
        ArtifactError::EmptyPrompt
            | ArtifactError::PromptTooLong { .. }
            | ArtifactError::NoKindFits(_)
            | ArtifactError::UnknownStage(_)
            | ArtifactError::UnknownGoal(_)
    )
}

fn request(a: &Answers) -> Result<Request, String> {
    let stage = match a.stage.trim() {
        "" => None,
        s => Some(Stage::from_str(s).map_err(|e| e.to_string())?),
    };
    let goal = match a.goal.trim() {
        "" => None,
        g => Some(Goal::from_str(g).map_err(|e| e.to_string())?),
    };
    let challenge = Some(a.challenge.trim().to_string()).filter(|c| !c.is_empty());
    Ok(Request {
        prompt: a.prompt.clone(),
        context: Context {
            stage,
            goal,
            challenge,
        },
        kind: None,
    })
}

async fn edit(
    state: AppState,
    id: String,
    edit: ArtifactEdit,
    saved: &str,
) -> Result<Redirect, UiError> {
    let ws = state.workspace;
    let record = isolate(async move {
        let record = ws.get(&id).await?;
        ws.edit(&record.id, edit).await
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/artifacts/{}?saved={saved}",
        record.id
    )))
}

/// `POST /artifacts/{id}/title`.
pub async fn title(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Redirect, UiError> {
    check(&fields)?;
    let change = ArtifactEdit {
        title: Some(field(&fields, "title")),
        ..ArtifactEdit::default()
    };
    edit(state, id, change, "title").await
}

/// `POST /artifacts/{id}/notes`.
pub async fn notes(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Redirect, UiError> {
    check(&fields)?;
    let change = ArtifactEdit {
        notes: Some(field(&fields, "notes")),
        ..ArtifactEdit::default()
    };
    edit(state, id, change, "notes").await
}

/// `POST /artifacts/{id}/actions`: a checkbox per action, `done_<index>`; absent means not done.
pub async fn actions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Redirect, UiError> {
    check(&fields)?;
    let ws = state.workspace.clone();
    let lookup = id.clone();
    let record = isolate(async move { ws.get(&lookup).await }).await?;
    let count = record
        .content
        .get("next_actions")
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len);
    let change = ArtifactEdit {
        actions_done: (0..count)
            .map(|i| (i, fields.contains_key(&format!("done_{i}"))))
            .collect(),
        ..ArtifactEdit::default()
    };
    edit(state, record.id, change, "actions").await
}

/// `POST /artifacts/{id}/archive`: `archived=true` archives, `false` restores.
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Redirect, UiError> {
    check(&fields)?;
    let change = ArtifactEdit {
        archived: Some(field(&fields, "archived") != "false"),
        ..ArtifactEdit::default()
    };
    edit(state, id, change, "archive").await
}
