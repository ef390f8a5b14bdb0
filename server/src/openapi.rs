//! The OpenAPI document, generated from the handlers' annotations and the schema types.

use axum::Json;
use utoipa::OpenApi;

use crate::metrics::{Metrics, MetricsPoint};
use crate::problem::{FieldError, KindExample, ProblemDetails};
use crate::schema::{
    ArtifactRowSchema, ArtifactSchema, ContextBody, ContextSchema, GenerateBody, GeneratorSchema,
    GoalName, KindName, NextActionBody, StageName, UpdateBody,
};

/// The API description served at `/api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "cosos API",
        version = "1",
        description = "Local API of a cosos workspace. Every error is application/problem+json \
            (RFC 9457). DELETE archives: artifacts are Automerge documents that may live on other \
            devices, so cosos never destroys them."
    ),
    paths(
        crate::api::generate,
        crate::api::list,
        crate::api::get_artifact,
        crate::api::update,
        crate::api::archive,
        crate::metrics::metrics,
        crate::integrations_api::list,
        crate::integrations_api::connect_stripe,
        crate::integrations_api::connect_posthog,
        crate::integrations_api::disconnect,
        crate::integrations_api::pull,
        crate::integrations_api::insights,
        openapi_json,
    ),
    components(schemas(
        ArtifactSchema,
        ArtifactRowSchema,
        ContextSchema,
        GeneratorSchema,
        GenerateBody,
        ContextBody,
        UpdateBody,
        NextActionBody,
        KindName,
        StageName,
        GoalName,
        Metrics,
        MetricsPoint,
        ProblemDetails,
        FieldError,
        KindExample,
    )),
    tags(
        (name = "artifacts", description = "Generate, read, edit and archive artifacts"),
        (name = "metrics", description = "Revenue metrics"),
        (name = "meta", description = "This description"),
    )
)]
pub struct ApiDoc;

/// This OpenAPI document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
