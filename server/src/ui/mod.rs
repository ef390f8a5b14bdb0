//! The server-rendered web UI: onboarding, dashboard, artifact pages and settings.
//!
//! Every page works without JavaScript: forms post and redirect (303) back. `/assets/app.js` only
//! adds the loading view and in-place checkbox saves on top.

pub mod csrf;
pub mod forms;
pub mod markdown;
pub mod onboarding;
pub mod pages;
pub mod templates;
pub mod view;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use cosos_artifacts::ArtifactError;
use cosos_engine::EngineError;
use tera::Context;

use crate::state::{AppState, BODY_LIMIT};

/// The Content-Security-Policy of every UI response: no inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                       script-src 'self'; frame-ancestors 'none'";

/// The UI routes and assets, with security headers on every response.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::root))
        .route("/onboarding", get(pages::onboarding))
        .route("/onboarding/generate", post(forms::generate))
        .route("/dashboard", get(pages::dashboard))
        .route("/artifacts/{id}", get(pages::artifact))
        .route("/artifacts/{id}/title", post(forms::title))
        .route("/artifacts/{id}/notes", post(forms::notes))
        .route("/artifacts/{id}/actions", post(forms::actions))
        .route("/artifacts/{id}/archive", post(forms::archive))
        .route("/settings", get(pages::settings))
        .route("/assets/style.css", get(style_css))
        .route("/assets/app.js", get(app_js))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}

/// The shared base, then the app's own rules.
static STYLE_CSS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{}{}",
        cosos_artifacts::render::BASE_CSS,
        include_str!("../../static/style.css")
    )
});

async fn style_css() -> Response {
    asset("text/css; charset=utf-8", STYLE_CSS.as_str())
}

async fn app_js() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/app.js"),
    )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The 404 page for any path that is neither a page nor under `/api`.
pub async fn not_found() -> Response {
    UiError::NotFound.into_response()
}

/// A failed page or form, shown to the founder as a friendly page with the right status.
#[derive(Debug)]
pub enum UiError {
    /// No such artifact or page.
    NotFound,
    /// The CSRF token was missing or wrong.
    Forbidden,
    /// The input was refused; the text says why.
    Invalid(String),
    /// Something broke; the cause is in the log.
    Internal,
}

impl From<EngineError> for UiError {
    fn from(error: EngineError) -> UiError {
        match error {
            EngineError::NotFound(_) => UiError::NotFound,
            EngineError::InvalidEdit(detail) => UiError::Invalid(detail),
            EngineError::Generate(
                e @ (ArtifactError::EmptyPrompt
                | ArtifactError::PromptTooLong { .. }
                | ArtifactError::NoKindFits(_)
                | ArtifactError::UnknownStage(_)
                | ArtifactError::UnknownGoal(_)),
            ) => UiError::Invalid(e.to_string()),
            other => {
                tracing::error!(error = %other, "a page failed in the engine");
                UiError::Internal
            }
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, heading, text) = match self {
            UiError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "There is nothing here. The artifact may have a different link, or the address has a typo.".to_string(),
            ),
            UiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "This form has expired",
                "For your safety cosos only accepts forms it served itself, and this one was not, or the server restarted since. Go back, reload the page and try again.".to_string(),
            ),
            UiError::Invalid(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "That did not work",
                capitalise(&detail),
            ),
            UiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "cosos could not complete this request. Your data is safe; the cause is in the server log.".to_string(),
            ),
        };
        let mut ctx = Context::new();
        ctx.insert("heading", heading);
        ctx.insert("text", &text);
        page(status, "message.html", &ctx)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Renders a template with the fields every page needs; a template error becomes a bare 500.
pub fn page(status: StatusCode, template: &str, context: &Context) -> Response {
    let mut ctx = context.clone();
    ctx.insert("csrf", csrf::token());
    // The layout reads `nav`; Tera refuses undefined variables, so error pages get an empty one.
    if !ctx.contains_key("nav") {
        ctx.insert("nav", "");
    }
    match templates::render(template, &ctx) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>cosos could not render this page."),
            )
                .into_response()
        }
    }
}

/// Runs engine work on its own task, so a client hanging up cannot cancel a half-done write.
pub async fn isolate<T, F>(work: F) -> Result<T, UiError>
where
    F: Future<Output = Result<T, EngineError>> + Send + 'static,
    T: Send + 'static,
{
    match tokio::spawn(work).await {
        Ok(result) => result.map_err(UiError::from),
        Err(e) => {
            tracing::error!(error = %e, "a page task panicked or was cancelled");
            Err(UiError::Internal)
        }
    }
}
