//! `GET /api/v1/metrics`: the revenue summary, empty until Stripe is connected.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// Revenue metrics; every figure is null and `series` empty until a data source is connected.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Metrics {
    /// ISO 4217 currency of every amount, lower case.
    pub currency: String,
    /// When the figures were computed (RFC 3339), null before the first pull.
    pub as_of: Option<String>,
    /// Monthly recurring revenue, in the currency's major unit.
    pub mrr: Option<f64>,
    /// Paying customers.
    pub customers: Option<u64>,
    /// Average revenue per account.
    pub arpa: Option<f64>,
    /// Monthly MRR points, oldest first.
    pub series: Vec<MetricsPoint>,
    /// Whether a data source is connected.
    pub connected: bool,
}

/// One month of the MRR series.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MetricsPoint {
    /// Month, `YYYY-MM`.
    pub month: String,
    /// MRR at the end of the month.
    pub mrr: f64,
}

impl Metrics {
    /// The state before any data source is connected.
    pub fn empty() -> Metrics {
        Metrics {
            currency: "usd".to_string(),
            as_of: None,
            mrr: None,
            customers: None,
            arpa: None,
            series: Vec::new(),
            connected: false,
        }
    }
}

/// Current metrics.
#[utoipa::path(
    get,
    path = "/api/v1/metrics",
    tag = "metrics",
    responses((status = 200, description = "Revenue metrics (empty until connected)", body = Metrics))
)]
pub async fn metrics() -> Json<Metrics> {
    Json(Metrics::empty())
}
