//! The artifact kinds: one module per kind, and the registry that dispatches to them.

pub mod activation_funnel;
pub mod board_prep;
pub mod customer_feedback;
pub mod mrr_tracker;
pub mod operating_system;
pub mod product_velocity;
pub mod research;
pub mod retention_analysis;
pub mod sections;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ArtifactError;
use crate::model::{Context, Kind, Params};

/// Live metrics from a connected billing source, used instead of estimates when present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveMetrics {
    /// Where the numbers come from, e.g. `stripe`.
    pub source: String,
    /// Current MRR in major units.
    pub mrr: f64,
    /// Paying customers.
    pub customers: u64,
    /// Average revenue per account.
    pub arpa: Option<f64>,
    /// When the numbers were pulled (RFC 3339 or YYYY-MM-DD).
    pub as_of: String,
}

/// Everything a kind generator may use.
#[derive(Debug, Clone, Copy)]
pub struct KindInput<'a> {
    /// The prompt, trimmed.
    pub prompt: &'a str,
    /// Stage, goal and challenge.
    pub context: &'a Context,
    /// Parameters the prompt stated.
    pub params: &'a Params,
    /// Today's date from the clock.
    pub today: NaiveDate,
    /// Live metrics, when a source is connected.
    pub live: Option<&'a LiveMetrics>,
}

/// What a kind generator produces.
#[derive(Debug, Clone, PartialEq)]
pub struct KindOutput {
    /// The artifact's title.
    pub title: String,
    /// The kind-specific content.
    pub content: serde_json::Value,
}

/// Runs the generator of `kind`.
pub fn generate(kind: Kind, input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    match kind {
        Kind::MrrTracker => mrr_tracker::generate(input),
        Kind::RetentionAnalysis => retention_analysis::generate(input),
        Kind::BoardPrep => board_prep::generate(input),
        Kind::ActivationFunnel => activation_funnel::generate(input),
        Kind::ProductVelocity => product_velocity::generate(input),
        Kind::CustomerFeedback => customer_feedback::generate(input),
        Kind::OperatingSystem => operating_system::generate(input),
    }
}

/// Renders the kind-specific sections of `content` as Markdown.
pub fn render_markdown(kind: Kind, content: &serde_json::Value) -> Result<String, ArtifactError> {
    match kind {
        Kind::MrrTracker => mrr_tracker::render_markdown(content),
        Kind::RetentionAnalysis => retention_analysis::render_markdown(content),
        Kind::BoardPrep => board_prep::render_markdown(content),
        Kind::ActivationFunnel => activation_funnel::render_markdown(content),
        Kind::ProductVelocity => product_velocity::render_markdown(content),
        Kind::CustomerFeedback => customer_feedback::render_markdown(content),
        Kind::OperatingSystem => operating_system::render_markdown(content),
    }
}

/// Deserialises stored content into a kind's typed content.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    kind: Kind,
    content: &serde_json::Value,
) -> Result<T, ArtifactError> {
    T::deserialize(content).map_err(|e| ArtifactError::InvalidContent {
        kind: kind.as_str(),
        reason: e.to_string(),
    })
}

/// Serialises a kind's typed content; our content types hold only finite numbers and strings.
pub(crate) fn to_value<T: Serialize>(content: &T) -> serde_json::Value {
    serde_json::to_value(content).unwrap_or(serde_json::Value::Null)
}
