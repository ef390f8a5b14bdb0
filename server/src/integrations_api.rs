//! Integrations over the local API: connect, disconnect, status, pull, insights, and Stripe's
//! webhook endpoint. Keys go in and never come out: statuses show them masked.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cosos_engine::EngineError;
use cosos_engine::integrations::alerts::Insight;
use cosos_engine::integrations::credentials::IntegrationStatus;
use cosos_engine::integrations::pull::PullOutcome;
use cosos_engine::integrations::webhook;
use cosos_engine::integrations::wire::{ConnectPostHog, ConnectStripe, PullBody};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::isolate;
use crate::extract::JsonBody;
use crate::problem::{Problem, ProblemDetails};
use crate::state::AppState;

/// Reads a strict request body, naming the first bad field.
fn body<T: DeserializeOwned>(value: Value) -> Result<T, Problem> {
    serde_json::from_value(value).map_err(|e| {
        // serde's message names the field; it never contains the values.
        Problem::invalid_field("body", e.to_string())
    })
}

/// Connect and disconnect refusals are the founder's input: 422 naming the reason.
fn refusal(error: EngineError) -> Problem {
    match error {
        EngineError::Integration(detail) => Problem::invalid_field("integration", detail),
        other => Problem::from_engine(other),
    }
}

/// `GET /api/v1/integrations`.
#[utoipa::path(get, path = "/api/v1/integrations", tag = "integrations",
    responses((status = 200, description = "Each integration's status; keys masked", body = Object)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<IntegrationStatus>>, Problem> {
    Ok(Json(state.workspace.integrations()?))
}

/// `PUT /api/v1/integrations/stripe`.
#[utoipa::path(put, path = "/api/v1/integrations/stripe", tag = "integrations",
    request_body(content = Object, description = "{api_key, api_base?, webhook_secret?}"),
    responses((status = 200, description = "Connected; the key masked", body = Object),
        (status = 422, description = "Not a Stripe key or URL", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn connect_stripe(
    State(state): State<AppState>,
    JsonBody(value): JsonBody,
) -> Result<Json<IntegrationStatus>, Problem> {
    let b: ConnectStripe = body(value)?;
    let status = state
        .workspace
        .connect_stripe(
            &b.api_key,
            b.api_base.as_deref(),
            b.webhook_secret.as_deref(),
        )
        .map_err(refusal)?;
    Ok(Json(status))
}

/// `PUT /api/v1/integrations/posthog`.
#[utoipa::path(put, path = "/api/v1/integrations/posthog", tag = "integrations",
    request_body(content = Object, description = "{api_key, project_id, host?}"),
    responses((status = 200, description = "Connected; the key masked", body = Object),
        (status = 422, description = "Not a PostHog key or URL", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn connect_posthog(
    State(state): State<AppState>,
    JsonBody(value): JsonBody,
) -> Result<Json<IntegrationStatus>, Problem> {
    let b: ConnectPostHog = body(value)?;
    let status = state
        .workspace
        .connect_posthog(&b.api_key, b.project_id, b.host.as_deref())
        .map_err(refusal)?;
    Ok(Json(status))
}

/// `DELETE /api/v1/integrations/{name}`.
#[utoipa::path(delete, path = "/api/v1/integrations/{name}", tag = "integrations",
    params(("name" = String, Path, description = "stripe or posthog")),
    responses((status = 200, description = "Disconnected", body = Object)))]
pub async fn disconnect(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<IntegrationStatus>, Problem> {
    Ok(Json(state.workspace.disconnect(&name).map_err(refusal)?))
}

/// `POST /api/v1/pull` with `{"source": "stripe"|"posthog"|"all", "fx": ["EUR=1.08"]}`.
#[utoipa::path(post, path = "/api/v1/pull", tag = "integrations",
    request_body(content = Object, description = "{source: stripe|posthog|all, fx: [\"EUR=1.08\"]}"),
    responses((status = 200, description = "What the pull did: metrics, artifacts updated, insights added", body = Object),
        (status = 502, description = "The source refused or failed; nothing was written", body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn pull(
    State(state): State<AppState>,
    JsonBody(value): JsonBody,
) -> Result<Json<PullOutcome>, Problem> {
    let b: PullBody = body(value)?;
    let ws = state.workspace;
    let outcome = tokio::spawn(async move { ws.pull(&b.request(), |_| {}).await })
        .await
        .map_err(|_| Problem::internal())?;
    match outcome {
        Ok(o) => Ok(Json(o)),
        // The upstream said no (or the founder's setup is incomplete): say why, never a key.
        Err(EngineError::Integration(detail)) => {
            Err(Problem::new(StatusCode::BAD_GATEWAY, "pull_failed", detail))
        }
        Err(other) => Err(Problem::from_engine(other)),
    }
}

/// `GET /api/v1/insights`: alerts that fired, newest first.
#[utoipa::path(get, path = "/api/v1/insights", tag = "integrations",
    responses((status = 200, description = "Alerts that fired, newest first", body = Object)))]
pub async fn insights(State(state): State<AppState>) -> Result<Json<Vec<Insight>>, Problem> {
    let ws = state.workspace;
    Ok(Json(isolate(async move { ws.insights().await }).await?))
}

/// `POST /webhooks/stripe`: verifies the signature over the raw body, records the event id (a
/// redelivery is acknowledged and ignored), answers at once and refreshes the metrics behind.
pub async fn stripe_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let ws = state.workspace;
    let secret = match ws.stripe_credentials() {
        Ok(Some(c)) => c.webhook_secret,
        _ => None,
    };
    let Some(secret) = secret else {
        return plain(
            StatusCode::BAD_REQUEST,
            "webhooks are not set up: run `cosos connect stripe --webhook-secret whsec_...`",
        );
    };
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    let now = ws.clock().now().timestamp();
    if let Err(e) = webhook::verify(&raw, header, &secret, now) {
        tracing::warn!(reason = %e, "refused a Stripe webhook");
        return plain(StatusCode::BAD_REQUEST, &e.to_string());
    }
    let event: Value = match serde_json::from_slice(&raw) {
        Ok(v) => v,
        Err(_) => return plain(StatusCode::BAD_REQUEST, "the event is not JSON"),
    };
    let Some(id) = event["id"]
        .as_str()
        .filter(|id| !id.is_empty() && id.len() <= 255)
    else {
        return plain(StatusCode::BAD_REQUEST, "the event has no id");
    };
    match ws.record_webhook_event(id) {
        Ok(false) => return plain(StatusCode::OK, "already processed"),
        Ok(true) => {}
        Err(e) => {
            tracing::error!(error = %e, "cannot record a webhook event");
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "cannot record the event");
        }
    }
    let kind = event["type"].as_str().unwrap_or("").to_string();
    if affects_mrr(&kind) {
        state_refresh(ws);
    }
    plain(StatusCode::OK, "ok")
}

/// Event types that can change MRR; others are acknowledged and left alone.
fn affects_mrr(kind: &str) -> bool {
    [
        "customer.subscription.",
        "customer.discount.",
        "invoice.",
        "coupon.",
        "price.",
    ]
    .iter()
    .any(|p| kind.starts_with(p))
}

/// Re-pulls Stripe in the background; a burst of events shares one pull.
fn state_refresh(ws: cosos_engine::Workspace) {
    tokio::spawn(async move {
        let Some(_turn) = ws.refresh_turn().await else {
            return;
        };
        // Let the rest of a burst arrive: one pull covers them all.
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Err(e) = ws.refresh_stripe().await {
            tracing::error!(error = %e, "the refresh after a webhook failed");
        }
    });
}

fn plain(status: StatusCode, text: &str) -> Response {
    (status, text.to_string()).into_response()
}
