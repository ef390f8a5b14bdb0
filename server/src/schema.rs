//! Documented shapes: request bodies and mirrors of the engine's records, for OpenAPI only.
//!
//! Request bodies are decoded by [`crate::body`], not by these types, so that every bad field can
//! be named; the engine's records cannot derive `ToSchema` (that crate does not depend on utoipa).
//! Tests compare both with the real thing: the enums with the artifacts crate, the artifact mirror
//! with a generated artifact's keys.

use serde::Deserialize;
use utoipa::ToSchema;

/// Body of `POST /api/v1/artifacts/generate`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GenerateBody {
    /// What the founder needs, in plain words (at most 10 000 characters).
    #[schema(example = "We're at $12k MRR and want to hit $50k by June 2027")]
    pub prompt: String,
    /// Stage, goal and challenge of the company.
    pub context: Option<ContextBody>,
    /// Forces a kind instead of classifying the prompt.
    pub kind: Option<KindName>,
}

/// The founder's context.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContextBody {
    /// Company stage.
    pub stage: Option<StageName>,
    /// Main goal.
    pub goal: Option<GoalName>,
    /// The challenge in the founder's words.
    pub challenge: Option<String>,
}

/// Body of `PUT /api/v1/artifacts/{id}`; every member is optional and absent means unchanged.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateBody {
    /// New title: one line, not empty, at most 200 characters.
    pub title: Option<String>,
    /// New notes, at most 100 000 characters.
    pub notes: Option<String>,
    /// Archive (`true`) or restore (`false`).
    pub archived: Option<bool>,
    /// Next actions to tick or untick.
    pub next_actions: Option<Vec<NextActionBody>>,
}

/// Ticks or unticks one next action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NextActionBody {
    /// 0-based index into the artifact's `content.next_actions`.
    pub index: usize,
    /// Whether the action is done.
    pub done: bool,
}

/// An artifact kind.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KindName {
    /// `mrr_tracker`.
    MrrTracker,
    /// `retention_analysis`.
    RetentionAnalysis,
    /// `board_prep`.
    BoardPrep,
    /// `activation_funnel`.
    ActivationFunnel,
    /// `product_velocity`.
    ProductVelocity,
    /// `customer_feedback`.
    CustomerFeedback,
    /// `operating_system`.
    OperatingSystem,
}

/// A company stage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StageName {
    /// `pre-launch`.
    PreLaunch,
    /// `early-revenue`.
    EarlyRevenue,
    /// `seed`.
    Seed,
    /// `series-a`.
    SeriesA,
    /// `series-b-plus`.
    SeriesBPlus,
}

/// A founder's main goal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GoalName {
    /// `find-pmf`.
    FindPmf,
    /// `grow-revenue`.
    GrowRevenue,
    /// `improve-retention`.
    ImproveRetention,
    /// `ship-faster`.
    ShipFaster,
    /// `raise-funding`.
    RaiseFunding,
    /// `reduce-chaos`.
    ReduceChaos,
    /// `other`.
    Other,
}

/// An artifact, exactly as `cosos show --json` prints it.
#[derive(ToSchema)]
#[schema(as = Artifact)]
#[allow(dead_code)]
pub struct ArtifactSchema {
    /// Document id (bs58check).
    id: String,
    /// `automerge:<id>`.
    url: String,
    /// Slug, fixed at creation.
    slug: String,
    /// Kind, e.g. `mrr_tracker`.
    kind: String,
    /// Title.
    title: String,
    /// The prompt it was generated from.
    prompt: String,
    /// Stage, goal and challenge.
    context: ContextSchema,
    /// Parameters the prompt stated (dates `YYYY-MM-DD`).
    #[schema(value_type = Object)]
    params: serde_json::Value,
    /// Kind-specific content, including `next_actions`.
    #[schema(value_type = Object)]
    content: serde_json::Value,
    /// Live data from integrations.
    #[schema(value_type = Object)]
    data: serde_json::Value,
    /// The founder's notes.
    notes: String,
    /// Archived flag.
    archived: bool,
    /// RFC 3339.
    created_at: String,
    /// RFC 3339.
    updated_at: String,
    /// Which engine generated it, with what confidence.
    generator: GeneratorSchema,
}

/// A row of the artifact list.
#[derive(ToSchema)]
#[schema(as = ArtifactRow)]
#[allow(dead_code)]
pub struct ArtifactRowSchema {
    /// Document id.
    id: String,
    /// `automerge:<id>`.
    url: String,
    /// Slug.
    slug: String,
    /// Kind.
    kind: String,
    /// Title.
    title: String,
    /// Archived flag.
    archived: bool,
    /// RFC 3339.
    updated_at: String,
}

/// The context stored with an artifact.
#[derive(ToSchema)]
#[schema(as = ArtifactContext)]
#[allow(dead_code)]
pub struct ContextSchema {
    /// Stage, e.g. `seed`.
    stage: Option<String>,
    /// Goal, e.g. `grow-revenue`.
    goal: Option<String>,
    /// Challenge.
    challenge: Option<String>,
}

/// How an artifact was generated.
#[derive(ToSchema)]
#[schema(as = Generator)]
#[allow(dead_code)]
pub struct GeneratorSchema {
    /// `builtin` or `llm:<model>`.
    engine: String,
    /// Classifier confidence, 0 to 1.
    confidence: f64,
    /// Close alternative kinds.
    alternatives: Vec<String>,
    /// Why LLM output was not used, when it was not.
    fallback_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosos_artifacts::{Goal, Kind, Stage};
    use serde_json::Value;

    /// The documented enums must accept exactly the values the artifacts crate parses.
    #[test]
    fn documented_enums_match_the_artifacts_crate() {
        let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.as_str().to_string()).collect();
        for k in &kinds {
            serde_json::from_value::<KindName>(Value::String(k.clone())).unwrap();
        }
        let stages: Vec<String> = Stage::ALL.iter().map(|s| s.as_str().to_string()).collect();
        for s in stages {
            serde_json::from_value::<StageName>(Value::String(s)).unwrap();
        }
        let goals: Vec<String> = Goal::ALL.iter().map(|g| g.as_str().to_string()).collect();
        for g in goals {
            serde_json::from_value::<GoalName>(Value::String(g)).unwrap();
        }
        assert_eq!(kinds.len(), 7);
    }
}
