//! The content types of an activation funnel; the JSON keys are their field names.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::kinds::research::TestedHypothesis as Hypothesis;
use crate::kinds::sections::{AlertRule, Monitor, NextAction};

/// Activation funnel content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivationFunnel {
    /// The reasoning in a paragraph: numbers, benchmark, goal and challenge.
    pub summary: String,
    /// What counts as activated, and within how long.
    pub definition: Definition,
    /// The funnel; live PostHog data fills `rate` per step.
    pub funnel: Funnel,
    /// Activation today.
    pub current: Current,
    /// Before and after, when the prompt describes a change.
    pub change: Option<Change>,
    /// Where activation should get to.
    pub target: Target,
    /// Distance to the benchmarks.
    pub gap: Gap,
    /// Benchmarks with their sources.
    pub benchmarks: Vec<Benchmark>,
    /// Why users may not activate, each with a test.
    pub hypotheses: Vec<Hypothesis>,
    /// Experiments with their sample sizes.
    pub experiments: Vec<Experiment>,
    /// When the first cohort can be read.
    pub readout: Readout,
    /// Every estimate behind the numbers.
    pub assumptions: Vec<String>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next.
    pub next_actions: Vec<NextAction>,
}

/// The activation definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The key action, e.g. "creates their first project".
    pub key_action: String,
    /// The full definition in a sentence.
    pub text: String,
    /// Conversion window in days.
    pub window_days: u32,
    /// `prompt` or `default` (PostHog's default window).
    pub window_source: String,
}

/// Funnel steps, ordered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// Conversion window in days.
    pub window_days: u32,
    /// The steps, from sign-up on.
    pub steps: Vec<FunnelStep>,
}

/// A funnel step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// What the user does.
    pub name: String,
    /// The event to track it with.
    pub event: String,
    /// Conversion from the previous step (1 for the first step); none until known.
    pub rate: Option<f64>,
    /// `definition`, `prompt`, `scaled-estimate`, `stage-estimate` or `posthog`.
    pub source: String,
    /// Users reaching the step per 1,000 sign-ups.
    pub reached_per_1000: Option<f64>,
    /// Users lost at this step per 1,000 sign-ups.
    pub lost_per_1000: Option<f64>,
}

/// Activation today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Current {
    /// Share of sign-ups activated within the window.
    pub activation_rate: f64,
    /// `prompt`, `computed` (from a stated step and estimates) or `stage-estimate`.
    pub source: String,
    /// The date the number is true for.
    pub as_of: NaiveDate,
}

/// A before/after change the prompt describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The metric that changed.
    pub metric: String,
    /// Rate before.
    pub before: f64,
    /// Rate after.
    pub after: f64,
    /// Percentage points lost (negative when it rose).
    pub drop_points: f64,
    /// Drop relative to before.
    pub relative_drop: f64,
    /// Users per 1,000 sign-ups who no longer get through.
    pub users_lost_per_1000: f64,
}

/// Target activation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Target activation rate.
    pub activation_rate: f64,
    /// `prompt`, `before-the-drop`, `stage-benchmark` or `improvement`.
    pub source: String,
    /// Deadline, `YYYY-MM-DD`.
    pub deadline: NaiveDate,
    /// Extra activated users per 1,000 sign-ups at the target.
    pub users_gained_per_1000: f64,
    /// Target conversion to paid as a share of sign-ups, when the prompt states one.
    pub paid_conversion: Option<f64>,
}

/// Distance to the benchmarks, in percentage points (negative = below).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// The bar for this stage.
    pub bar: f64,
    /// `median` or `average`.
    pub bar_name: String,
    /// Current minus the 36% average, in points.
    pub vs_average_points: f64,
    /// Current minus the 30% median, in points.
    pub vs_median_points: f64,
    /// Activated users per 1,000 sign-ups missing to reach the bar.
    pub users_short_per_1000: f64,
}

/// A benchmark figure with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// What is measured.
    pub metric: String,
    /// The figure as shown.
    pub value: String,
    /// The figure as a number.
    pub low: f64,
    /// Upper end; none for a single figure.
    pub high: Option<f64>,
    /// The citation.
    pub source: String,
}

/// An A/B experiment with its sample size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// Short name.
    pub name: String,
    /// What the variant changes.
    pub change: String,
    /// The conversion it moves.
    pub metric: String,
    /// Control rate.
    pub baseline: f64,
    /// Variant rate to detect.
    pub target: f64,
    /// Minimum detectable effect, in percentage points.
    pub mde_points: f64,
    /// Users per arm (alpha 0.05 two-sided, power 0.8).
    pub sample_size_per_arm: u64,
    /// Users across both arms.
    pub total_sample: u64,
}

/// When the first cohort's window closes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readout {
    /// First day of the first tracked weekly cohort.
    pub cohort_start: NaiveDate,
    /// Last day of that cohort.
    pub cohort_end: NaiveDate,
    /// The day its last member's window closes.
    pub window_closes: NaiveDate,
}
