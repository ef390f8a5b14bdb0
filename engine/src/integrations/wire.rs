//! Request bodies of the integration endpoints, shared by the local API and the CLI that calls it.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::pull::{PullRequest, PullSource};

/// `PUT /api/v1/integrations/stripe`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectStripe {
    /// Secret or restricted key.
    pub api_key: String,
    /// API base URL.
    #[serde(default)]
    pub api_base: Option<String>,
    /// Webhook signing secret.
    #[serde(default)]
    pub webhook_secret: Option<String>,
}

/// `PUT /api/v1/integrations/posthog`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectPostHog {
    /// Personal API key.
    pub api_key: String,
    /// Project id.
    pub project_id: u64,
    /// Host URL.
    #[serde(default)]
    pub host: Option<String>,
}

// Request bodies carry keys: keep them out of Debug output.
impl std::fmt::Debug for ConnectStripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectStripe")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for ConnectPostHog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectPostHog")
            .field("project_id", &self.project_id)
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

/// `POST /api/v1/pull`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullBody {
    /// `stripe`, `posthog` or `all` (every connected source).
    #[serde(default = "all")]
    pub source: PullSource,
    /// `CUR=RATE` conversions to USD.
    #[serde(default)]
    pub fx: Vec<String>,
}

fn all() -> PullSource {
    PullSource::All
}

impl PullBody {
    /// The engine's request.
    pub fn request(&self) -> PullRequest {
        PullRequest {
            source: self.source,
            fx: self.fx.clone(),
        }
    }
}

/// The metrics JSON before any pull: the shape of DESIGN section 5 with nothing in it.
pub fn empty_metrics() -> Value {
    json!({
        "currency": "usd",
        "as_of": null,
        "mrr": null,
        "customers": null,
        "arpa": null,
        "series": [],
    })
}
