//! The content types of a retention analysis; the JSON keys are their field names.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::kinds::research::TestedHypothesis as Hypothesis;
use crate::kinds::sections::{AlertRule, Monitor, NextAction};

/// Retention analysis content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionAnalysis {
    /// The reasoning in a paragraph: numbers, segment, goal and challenge.
    pub summary: String,
    /// Which segment's benchmarks apply, and why.
    pub segment: SegmentChoice,
    /// Churn today.
    pub current: CurrentRetention,
    /// Target churn, deadline and the path there.
    pub target: ChurnTarget,
    /// NRR and GRR: definition, value when known, band and target.
    pub revenue_retention: Vec<RevenueRetention>,
    /// Benchmarks with their sources.
    pub benchmarks: Vec<Benchmark>,
    /// Monthly cohorts to fill, with the survival the current churn predicts.
    pub cohorts: CohortTable,
    /// The SaaS quick ratio.
    pub quick_ratio: QuickRatio,
    /// Why customers may be leaving, each with a test.
    pub hypotheses: Vec<Hypothesis>,
    /// Experiments to cut churn.
    pub experiments: Vec<Experiment>,
    /// Every estimate and conversion behind the numbers.
    pub assumptions: Vec<String>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next.
    pub next_actions: Vec<NextAction>,
}

/// The segment whose benchmarks apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentChoice {
    /// `smb`, `mid-market` or `enterprise`.
    pub segment: String,
    /// Why this segment.
    pub reason: String,
}

/// A monthly churn rate and what it implies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Churn {
    /// Monthly churn, as a fraction.
    pub monthly: f64,
    /// `prompt` or `stage-estimate`.
    pub source: String,
    /// Share kept over 12 months: (1 - monthly)^12.
    pub annual_retention: f64,
    /// Average lifetime in months: 1 / monthly; none at zero churn.
    pub lifetime_months: Option<f64>,
    /// The value before a change the prompt describes.
    pub previous: Option<f64>,
}

/// Churn today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentRetention {
    /// Monthly logo (customer) churn.
    pub logo_churn: Churn,
    /// Monthly revenue churn, when stated.
    pub revenue_churn: Option<Churn>,
    /// The date the numbers are true for.
    pub as_of: NaiveDate,
}

/// Target logo churn and the path to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnTarget {
    /// Target monthly logo churn.
    pub logo_churn: f64,
    /// `prompt`, `segment-benchmark` or `improvement`.
    pub source: String,
    /// Deadline, `YYYY-MM-DD`.
    pub deadline: NaiveDate,
    /// Whole months from this month to the deadline month, at least 1.
    pub months: u32,
    /// Percentage points of monthly churn to remove each month.
    pub monthly_reduction_points: f64,
    /// Share kept over 12 months at the target churn.
    pub annual_retention: f64,
    /// Average lifetime in months at the target churn.
    pub lifetime_months: Option<f64>,
    /// One step per month through the deadline month.
    pub path: Vec<PathStep>,
}

/// A month of the churn path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathStep {
    /// `YYYY-MM`.
    pub month: String,
    /// Monthly logo churn to reach that month.
    pub logo_churn: f64,
    /// Share kept over 12 months at that churn.
    pub annual_retention: f64,
}

/// NRR or GRR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueRetention {
    /// `nrr` or `grr`.
    pub metric: String,
    /// How it is computed.
    pub definition: String,
    /// Current annual value, when known.
    pub current: Option<f64>,
    /// Value before a change the prompt describes.
    pub previous: Option<f64>,
    /// `prompt`, `revenue-churn` (derived) or `not-measured`.
    pub source: String,
    /// Lower end of the segment band.
    pub band_low: f64,
    /// Upper end of the segment band; none when open.
    pub band_high: Option<f64>,
    /// `below`, `within`, `above` or `not-measured`.
    pub status: String,
    /// The next bar to reach.
    pub target: f64,
    /// NRR: net monthly MRR change r^(1/12) - 1; GRR: monthly gross MRR churn 1 - r^(1/12).
    pub monthly_equivalent: Option<f64>,
}

/// A benchmark figure with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// What is measured.
    pub metric: String,
    /// The figure as shown, e.g. `70%-80%`.
    pub value: String,
    /// Lower end (or the figure), as a fraction or ratio.
    pub low: f64,
    /// Upper end; none for an open band or a single figure.
    pub high: Option<f64>,
    /// The citation.
    pub source: String,
}

/// Monthly cohorts to fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortTable {
    /// Which cohorts and why.
    pub basis: String,
    /// Expected share left after m months at today's churn, m = 0, 1, ...
    pub expected: Vec<f64>,
    /// Expected share left after m months at the target churn.
    pub at_target: Vec<f64>,
    /// One row per sign-up month.
    pub rows: Vec<CohortRow>,
    /// Cells with data to fill in, across all rows.
    pub cells_to_fill: u32,
}

/// A sign-up month's cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// `YYYY-MM`.
    pub cohort: String,
    /// Completed months after the sign-up month, so cells that data can fill.
    pub months_to_fill: u32,
    /// Share retained at month 0..=months_to_fill; month 0 is 100% by definition.
    pub retained: Vec<Option<f64>>,
}

/// The SaaS quick ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuickRatio {
    /// The formula.
    pub definition: String,
    /// The bar (4).
    pub benchmark: f64,
    /// Citation.
    pub source: String,
    /// Measured value; none until billing data is connected.
    pub value: Option<f64>,
    /// Monthly MRR churn used for the requirement below.
    pub churn_basis: f64,
    /// New + expansion + reactivation MRR a month, as a share of MRR, that a ratio of 4 needs.
    pub gross_adds_needed: f64,
}

/// An experiment to cut churn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// Short name.
    pub name: String,
    /// What changes.
    pub change: String,
    /// The metric it moves.
    pub metric: String,
    /// Where the metric is, when known.
    pub baseline: Option<f64>,
    /// Where it should get to, when it is a rate.
    pub goal: Option<f64>,
    /// What counts as success.
    pub success: String,
    /// Start date.
    pub start: NaiveDate,
    /// Read-out date.
    pub readout: NaiveDate,
}
