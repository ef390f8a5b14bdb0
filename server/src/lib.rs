//! cosos-server: the HTTP API and the web UI over a workspace.
//!
//! The JSON API lives under `/api/v1` (DESIGN section 6). Every error it returns is an RFC 9457
//! problem document; see [`problem`]. The server-rendered web UI is in [`ui`].

pub mod access;
pub mod api;
pub mod body;
pub mod extract;
pub mod fallback;
pub mod integrations_api;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod relay;
pub mod schema;
pub mod state;
pub mod ui;
pub mod workspace_api;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{any, delete, get, post, put};
use tower_http::limit::RequestBodyLimitLayer;

pub use problem::Problem;
pub use state::{AppState, BODY_LIMIT};

/// The API router: `/api/v1/...`, with every other `/api` path answering a 404 problem.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/artifacts/generate", post(api::generate))
        .route("/api/v1/artifacts", get(api::list))
        .route(
            "/api/v1/artifacts/{id}",
            get(api::get_artifact).put(api::update).delete(api::archive),
        )
        .route("/api/v1/metrics", get(metrics::metrics))
        .route("/api/v1/integrations", get(integrations_api::list))
        .route(
            "/api/v1/integrations/stripe",
            put(integrations_api::connect_stripe),
        )
        .route(
            "/api/v1/integrations/posthog",
            put(integrations_api::connect_posthog),
        )
        .route(
            "/api/v1/integrations/{name}",
            delete(integrations_api::disconnect),
        )
        .route("/api/v1/pull", post(integrations_api::pull))
        .route("/api/v1/insights", get(integrations_api::insights))
        .route(
            "/api/v1/workspace",
            get(workspace_api::info).put(workspace_api::rename),
        )
        .route("/api/v1/prompts", get(workspace_api::prompts))
        .route("/api/v1/folder", post(workspace_api::mirror_folder))
        .route("/api/v1/sync", post(workspace_api::sync_once))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api", any(fallback::no_route))
        .route("/api/", any(fallback::no_route))
        .route("/api/{*rest}", any(fallback::no_route))
        // axum's own limit covers bodies without Content-Length; tower-http's refuses a declared
        // oversize length before reading a byte.
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Outermost, so it also sees the limit layer's and the router's own error responses.
        .layer(middleware::map_response(fallback::ensure_problem))
        .with_state(state)
}

/// The whole app: the API router, the web UI (HTML 404 page for every other path) and Stripe's
/// webhook endpoint.
pub fn app(state: AppState) -> Router {
    router(state.clone())
        .merge(webhooks(state.clone()))
        .merge(ui::routes(state))
}

/// `POST /webhooks/stripe`, authenticated by its signature rather than the access token.
pub fn webhooks(state: AppState) -> Router {
    Router::new()
        .route("/webhooks/stripe", post(integrations_api::stripe_webhook))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// Serves the API and the web UI on `listener` until `shutdown` resolves, then drains requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
