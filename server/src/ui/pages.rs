//! The GET pages: root, onboarding, dashboard, artifact and settings.

use std::str::FromStr;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Redirect, Response};
use cosos_artifacts::kinds::render_markdown;
use cosos_artifacts::render::chart::mrr_path_svg_with_actuals;
use cosos_artifacts::render::live::{actual_series, live_markdown};
use cosos_artifacts::render::markdown::strip_section;
use cosos_artifacts::{Goal, Kind, Stage};
use cosos_engine::ArtifactRecord;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::onboarding::{self, Answers};
use super::view::{cta, headline, long_date};
use super::{UiError, isolate, markdown, page};
use crate::state::AppState;

/// `/`: onboarding while the workspace is empty, the dashboard after.
pub async fn root(State(state): State<AppState>) -> Result<Redirect, UiError> {
    let ws = state.workspace;
    let info = isolate(async move { ws.info().await }).await?;
    Ok(Redirect::to(if info.artifacts == 0 {
        "/onboarding"
    } else {
        "/dashboard"
    }))
}

/// `/onboarding?step=...`: one of the three steps.
pub async fn onboarding(Query(answers): Query<Answers>) -> Response {
    onboarding::render(&answers, StatusCode::OK, None)
}

#[derive(Serialize)]
struct Card {
    href: String,
    kind: &'static str,
    title: String,
    headline: Option<String>,
    updated: String,
    archived: bool,
}

/// `/dashboard`: a card per artifact, archived ones folded away, and the insights feed.
pub async fn dashboard(State(state): State<AppState>) -> Result<Response, UiError> {
    let ws = state.workspace;
    let (records, insights) = isolate(async move {
        let mut records = Vec::new();
        for row in ws.list().await? {
            records.push(ws.get(&row.id).await?);
        }
        Ok((records, ws.insights().await?))
    })
    .await?;
    let feed: Vec<FeedItem> = insights
        .iter()
        .take(10)
        .map(|i| FeedItem {
            href: format!("/artifacts/{}", i.artifact),
            severity: i.severity.clone(),
            text: i.text.clone(),
            when: chrono::DateTime::from_timestamp_millis(i.at)
                .map(|d| d.format("%b %-d, %Y").to_string())
                .unwrap_or_default(),
        })
        .collect();
    let cards: Vec<Card> = records
        .iter()
        .map(|r| {
            let kind = Kind::from_str(&r.kind).ok();
            Card {
                href: format!("/artifacts/{}", r.id),
                kind: kind.map_or("Artifact", Kind::label),
                title: r.title.clone(),
                headline: kind.and_then(|k| headline(k, &r.content)),
                updated: long_date(&r.updated_at),
                archived: r.archived,
            }
        })
        .collect();
    let (archived, active): (Vec<Card>, Vec<Card>) = cards.into_iter().partition(|c| c.archived);
    let mut ctx = Context::new();
    ctx.insert("nav", "dashboard");
    ctx.insert("cards", &active);
    ctx.insert("archived", &archived);
    ctx.insert("insights", &feed);
    Ok(page(StatusCode::OK, "dashboard.html", &ctx))
}

/// One insight in the dashboard feed.
#[derive(Serialize)]
struct FeedItem {
    href: String,
    severity: String,
    text: String,
    when: String,
}

#[derive(Serialize)]
struct Action {
    index: usize,
    text: String,
    done: bool,
}

/// `?saved=...` after a form post, so the page can confirm what was saved.
#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// `/artifacts/{id}`: the whole artifact, with forms for title, next actions and notes.
pub async fn artifact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, UiError> {
    let ws = state.workspace;
    let record = isolate(async move { ws.get(&id).await }).await?;
    let mut ctx = artifact_context(&record)?;
    let saved = match saved.saved.as_deref() {
        Some("title") => Some("Title saved."),
        Some("notes") => Some("Notes saved."),
        Some("actions") => Some("Next actions saved."),
        Some("archive") => Some("Archive status saved."),
        _ => None,
    };
    ctx.insert("saved", &saved);
    Ok(page(StatusCode::OK, "artifact.html", &ctx))
}

fn artifact_context(r: &ArtifactRecord) -> Result<Context, UiError> {
    let kind = Kind::from_str(&r.kind).map_err(|_| UiError::Internal)?;
    let md = render_markdown(kind, &r.content).map_err(|e| {
        tracing::error!(error = %e, id = %r.id, "stored content does not render");
        UiError::Internal
    })?;
    let mut chips = vec![kind.label().to_string()];
    if let Some(stage) = r
        .context
        .stage
        .as_deref()
        .and_then(|s| Stage::from_str(s).ok())
    {
        chips.push(format!("Stage: {}", stage.label()));
    }
    if let Some(goal) = r
        .context
        .goal
        .as_deref()
        .and_then(|g| Goal::from_str(g).ok())
    {
        chips.push(format!("Goal: {}", goal.label()));
    }
    let actions: Vec<Action> = r
        .content
        .get("next_actions")
        .and_then(|a| a.as_array())
        .map(|items| {
            items
                .iter()
                .enumerate()
                .map(|(index, a)| Action {
                    index,
                    text: a
                        .get("text")
                        .and_then(|t| t.as_str())
                        .unwrap_or("")
                        .to_string(),
                    done: a.get("done").and_then(|d| d.as_bool()).unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut ctx = Context::new();
    ctx.insert("nav", "artifact");
    ctx.insert("id", &r.id);
    ctx.insert("title", &r.title);
    ctx.insert("prompt", &r.prompt);
    ctx.insert("chips", &chips);
    ctx.insert(
        "challenge",
        &r.context
            .challenge
            .as_deref()
            .filter(|c| !c.trim().is_empty()),
    );
    ctx.insert(
        "sections",
        &markdown::to_html(&strip_section(&md, "Next actions")),
    );
    let chart = match kind {
        Kind::MrrTracker => mrr_path_svg_with_actuals(&r.content, &actual_series(&r.data)),
        _ => None,
    };
    ctx.insert("chart", &chart);
    ctx.insert("actions", &actions);
    ctx.insert("notes", &r.notes);
    ctx.insert("archived", &r.archived);
    ctx.insert("cta", &cta(kind, &r.data));
    ctx.insert("has_actuals", &!actual_series(&r.data).is_empty());
    let live = live_markdown(kind.as_str(), &r.data).map(|md| markdown::to_html(&md));
    ctx.insert("live", &live);
    ctx.insert("created", &long_date(&r.created_at));
    ctx.insert("updated", &long_date(&r.updated_at));
    ctx.insert("engine", &r.generator.engine);
    Ok(ctx)
}

/// `/settings`: integrations, the home directory and the workspace.
pub async fn settings(State(state): State<AppState>) -> Result<Response, UiError> {
    let ws = state.workspace;
    let home = ws.home().display().to_string();
    let folder = state.folder.map(|f| f.display().to_string());
    let integrations = ws.integrations()?;
    let info = isolate(async move { ws.info().await }).await?;
    let mut ctx = Context::new();
    ctx.insert("integrations", &integrations);
    ctx.insert("nav", "settings");
    ctx.insert("home", &home);
    ctx.insert("folder", &folder);
    ctx.insert("name", &info.name);
    ctx.insert("url", &info.url);
    ctx.insert("count", &info.artifacts);
    Ok(page(StatusCode::OK, "settings.html", &ctx))
}
