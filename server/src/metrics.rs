//! `GET /api/v1/metrics`: the revenue summary, empty until Stripe is connected.

use serde::Serialize;
use utoipa::ToSchema;

/// Revenue metrics (DESIGN section 5): the latest Stripe pull exactly as `cosos metrics --json`
/// prints it; before the first pull the same shape with null figures and an empty series.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Metrics {
    /// ISO 4217 currency of every amount, lower case (`usd`).
    pub currency: String,
    /// When the figures were computed (RFC 3339), null before the first pull.
    pub as_of: Option<String>,
    /// Monthly recurring revenue, in major units.
    pub mrr: Option<f64>,
    /// Paying customers.
    pub customers: Option<u64>,
    /// Average revenue per account.
    pub arpa: Option<f64>,
    /// The last second of each of the 12 full months before this one, then now.
    pub series: Vec<MetricsPoint>,
}

/// One point of the MRR series; movements are absent on the first point.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MetricsPoint {
    /// Month, `YYYY-MM`.
    pub month: String,
    /// MRR at the point.
    pub mrr: f64,
    /// Paying customers at the point.
    pub customers: u64,
    /// MRR from customers new since the previous point.
    pub new: Option<f64>,
    /// MRR added by existing customers.
    pub expansion: Option<f64>,
    /// MRR removed by customers who stayed.
    pub contraction: Option<f64>,
    /// MRR of customers who left.
    pub churn: Option<f64>,
    /// MRR of customers who came back.
    pub reactivation: Option<f64>,
}

/// Current metrics.
#[utoipa::path(
    get,
    path = "/api/v1/metrics",
    tag = "metrics",
    responses((status = 200, description = "Revenue metrics (null figures before the first pull)", body = Metrics))
)]
pub async fn metrics(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> Result<axum::Json<serde_json::Value>, crate::problem::Problem> {
    use cosos_engine::integrations::wire::empty_metrics;
    Ok(axum::Json(
        state.workspace.metrics()?.unwrap_or_else(empty_metrics),
    ))
}
