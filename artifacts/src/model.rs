//! The vocabulary shared by every kind: kinds, stages, goals, context and extracted parameters.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The seven artifact kinds; the serialised name is the `kind` string of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Growth path to an MRR target.
    MrrTracker,
    /// Churn, NRR/GRR and cohorts.
    RetentionAnalysis,
    /// Board meeting preparation pack.
    BoardPrep,
    /// Activation funnel monitor.
    ActivationFunnel,
    /// Engineering delivery dashboard (DORA).
    ProductVelocity,
    /// Customer feedback analyzer.
    CustomerFeedback,
    /// Company operating system: rituals, scorecard, OKRs.
    OperatingSystem,
}

impl Kind {
    /// Every kind, in the order the design lists them.
    pub const ALL: [Kind; 7] = [
        Kind::MrrTracker,
        Kind::RetentionAnalysis,
        Kind::BoardPrep,
        Kind::ActivationFunnel,
        Kind::ProductVelocity,
        Kind::CustomerFeedback,
        Kind::OperatingSystem,
    ];

    /// The wire name, e.g. `mrr_tracker`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MrrTracker => "mrr_tracker",
            Kind::RetentionAnalysis => "retention_analysis",
            Kind::BoardPrep => "board_prep",
            Kind::ActivationFunnel => "activation_funnel",
            Kind::ProductVelocity => "product_velocity",
            Kind::CustomerFeedback => "customer_feedback",
            Kind::OperatingSystem => "operating_system",
        }
    }

    /// A human label, e.g. "MRR tracker".
    pub fn label(self) -> &'static str {
        match self {
            Kind::MrrTracker => "MRR tracker",
            Kind::RetentionAnalysis => "Retention analysis",
            Kind::BoardPrep => "Board meeting prep",
            Kind::ActivationFunnel => "Activation funnel",
            Kind::ProductVelocity => "Product velocity",
            Kind::CustomerFeedback => "Customer feedback",
            Kind::OperatingSystem => "Operating system",
        }
    }

    /// An example prompt that this kind answers, shown when a prompt fits no kind.
    pub fn example_prompt(self) -> &'static str {
        match self {
            Kind::MrrTracker => "Track our path to $100k MRR by end of year",
            Kind::RetentionAnalysis => "Our monthly logo churn is 7% and I want it under 3% by Q2",
            Kind::BoardPrep => "Help me prepare for our board meeting next week",
            Kind::ActivationFunnel => "Activation dropped from 40% to 25% after onboarding changes",
            Kind::ProductVelocity => "Our team of 6 engineers ships too slowly",
            Kind::CustomerFeedback => "Make sense of 300 survey answers, NPS is 32",
            Kind::OperatingSystem => "Set up weekly rituals and OKRs for our team of 12",
        }
    }

    /// A prompt of this kind full of numbers, so that every section is computed: what
    /// benchmarks and sample sites generate.
    pub fn sample_prompt(self) -> &'static str {
        match self {
            Kind::MrrTracker => "We're at $12k MRR and want to hit $50k by June 2027",
            Kind::RetentionAnalysis => "Our monthly logo churn is 7% and I want it under 3% by Q2",
            Kind::BoardPrep => "Put together the Q4 board deck for our meeting on January 15",
            Kind::ActivationFunnel => {
                "Activation went from 40% to 25% since the new onboarding shipped"
            }
            Kind::ProductVelocity => "Our engineering team of 6 keeps missing sprint goals",
            Kind::CustomerFeedback => {
                "Our NPS fell to 21 in 300 survey answers, what are people complaining about?"
            }
            Kind::OperatingSystem => "Create OKRs and a meeting rhythm for our 12 person startup",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = crate::ArtifactError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| crate::ArtifactError::UnknownKind(s.to_string()))
    }
}

/// Company stage, which drives estimates and benchmark bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// No revenue yet.
    PreLaunch,
    /// First paying customers.
    EarlyRevenue,
    /// Seed-funded.
    Seed,
    /// Series A.
    SeriesA,
    /// Series B or later.
    SeriesBPlus,
}

impl Stage {
    /// Every stage, earliest first.
    pub const ALL: [Stage; 5] = [
        Stage::PreLaunch,
        Stage::EarlyRevenue,
        Stage::Seed,
        Stage::SeriesA,
        Stage::SeriesBPlus,
    ];

    /// The wire name, e.g. `series-a`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::PreLaunch => "pre-launch",
            Stage::EarlyRevenue => "early-revenue",
            Stage::Seed => "seed",
            Stage::SeriesA => "series-a",
            Stage::SeriesBPlus => "series-b-plus",
        }
    }

    /// A human label, e.g. "Series A".
    pub fn label(self) -> &'static str {
        match self {
            Stage::PreLaunch => "Pre-launch",
            Stage::EarlyRevenue => "Early revenue",
            Stage::Seed => "Seed",
            Stage::SeriesA => "Series A",
            Stage::SeriesBPlus => "Series B+",
        }
    }
}

impl FromStr for Stage {
    type Err = crate::ArtifactError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| crate::ArtifactError::UnknownStage(s.to_string()))
    }
}

/// What the founder is trying to achieve right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// Find product-market fit.
    FindPmf,
    /// Grow revenue.
    GrowRevenue,
    /// Improve retention.
    ImproveRetention,
    /// Ship faster.
    ShipFaster,
    /// Raise funding.
    RaiseFunding,
    /// Reduce operational chaos.
    ReduceChaos,
    /// Anything else.
    Other,
}

impl Goal {
    /// Every goal.
    pub const ALL: [Goal; 7] = [
        Goal::FindPmf,
        Goal::GrowRevenue,
        Goal::ImproveRetention,
        Goal::ShipFaster,
        Goal::RaiseFunding,
        Goal::ReduceChaos,
        Goal::Other,
    ];

    /// The wire name, e.g. `grow-revenue`.
    pub fn as_str(self) -> &'static str {
        match self {
            Goal::FindPmf => "find-pmf",
            Goal::GrowRevenue => "grow-revenue",
            Goal::ImproveRetention => "improve-retention",
            Goal::ShipFaster => "ship-faster",
            Goal::RaiseFunding => "raise-funding",
            Goal::ReduceChaos => "reduce-chaos",
            Goal::Other => "other",
        }
    }

    /// A human label, e.g. "Grow revenue".
    pub fn label(self) -> &'static str {
        match self {
            Goal::FindPmf => "Find product-market fit",
            Goal::GrowRevenue => "Grow revenue",
            Goal::ImproveRetention => "Improve retention",
            Goal::ShipFaster => "Ship faster",
            Goal::RaiseFunding => "Raise funding",
            Goal::ReduceChaos => "Reduce chaos",
            Goal::Other => "Other",
        }
    }
}

impl FromStr for Goal {
    type Err = crate::ArtifactError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Goal::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| crate::ArtifactError::UnknownGoal(s.to_string()))
    }
}

/// The founder's context: optional stage, goal and free-text challenge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// Company stage, if known.
    pub stage: Option<Stage>,
    /// Current goal, if known.
    pub goal: Option<Goal>,
    /// The founder's own words about their biggest challenge.
    pub challenge: Option<String>,
}

/// Parameters extracted from the prompt. Only what the prompt states is set; estimates and
/// defaults live in the content, marked as such.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Target MRR in major units (an ARR target is divided by 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_mrr: Option<f64>,
    /// Current MRR in major units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_mrr: Option<f64>,
    /// A target relative to current MRR ("doubling" = 2, "3x" = 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_multiple: Option<f64>,
    /// Deadline date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// Meeting date (board prep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_date: Option<NaiveDate>,
    /// Team size ("team of 6", "4 developers").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_size: Option<u32>,
    /// Net promoter score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<f64>,
    /// Number of survey answers, interviews or tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u32>,
    /// Percentages in order of appearance, as fractions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<f64>,
}

/// Which engine wrote the artifact, how sure the classifier was, and what else it considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratorInfo {
    /// `builtin` or `llm:<model>`.
    pub engine: String,
    /// Classifier confidence in 0..=1.
    pub confidence: f64,
    /// Other kinds that were close, best first.
    pub alternatives: Vec<String>,
    /// Why an LLM's prose was not used, when an LLM was configured but its output was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}
