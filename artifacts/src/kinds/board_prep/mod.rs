//! Board prep: the meeting, a dated preparation timeline that sends the pack 72 h ahead, an
//! agenda whose minutes add up to the meeting, the stage's KPI table, asks and benchmarks.
//!
//! The pack follows the Sequoia template, Brad Feld's *Startup Boards* and Elad Gil's *High
//! Growth Handbook*: CEO update with highlights and lowlights, financials and forecast, KPIs
//! against plan and prior period, product, team and hiring, asks. Dates and the timeline rules
//! are documented in `board_prep_plan.rs`, the KPI choice in `board_prep_kpis.rs`.

mod content;
mod kpis;
mod parts;
pub mod plan;
mod render;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sections::{AlertRule, Monitor, NextAction};
use super::{KindInput, KindOutput, to_value};
use crate::error::ArtifactError;
use crate::model::Stage;

pub(crate) use render::render_evidence;
pub use render::render_markdown;

/// Board prep content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardPrep {
    /// The meeting and the period it reviews.
    pub meeting: Meeting,
    /// Stage and MRR, with where each comes from.
    pub current_state: CurrentState,
    /// Dated steps from today to the minutes.
    pub timeline: Timeline,
    /// The agenda, minutes summing to the meeting length.
    pub agenda: Agenda,
    /// What the CEO letter must cover.
    pub ceo_update: CeoUpdate,
    /// The stage's KPI table.
    pub kpis: Vec<KpiRow>,
    /// What the company asks of the board.
    pub asks: Vec<String>,
    /// The fundraising plan, when the goal is to raise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fundraising: Option<Vec<DatedStep>>,
    /// Practice and stage benchmarks with sources.
    pub benchmarks: Vec<Benchmark>,
    /// Every assumption and estimate behind the pack.
    pub assumptions: Vec<String>,
    /// What this preparation is betting on.
    pub hypotheses: Vec<String>,
    /// Small tests to run around the meeting.
    pub experiments: Vec<Experiment>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next, dated.
    pub next_actions: Vec<NextAction>,
}

/// The meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Meeting date.
    pub date: NaiveDate,
    /// `prompt` or `estimate`.
    pub date_source: String,
    /// Days from today to the meeting (negative when it has passed).
    pub days_until: i64,
    /// Meeting length in minutes.
    pub length_minutes: u32,
    /// `prompt` or `default`.
    pub length_source: String,
    /// The quarter the meeting reviews.
    pub period: Period,
}

/// The quarter a meeting reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// e.g. `Q4 2026`.
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Whether the quarter has ended by the meeting.
    pub complete: bool,
    /// The forecast runs to the end of the following quarter.
    pub forecast_through: NaiveDate,
    /// `prompt` (a quarter was named) or `meeting-date`.
    pub source: String,
}

/// Stage and MRR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentState {
    /// Stage wire name.
    pub stage: String,
    /// `context` or `default`.
    pub stage_source: String,
    /// MRR used to pick the benchmark band.
    pub mrr: f64,
    /// `prompt`, the live source's name, or `stage-estimate`.
    pub mrr_source: String,
    /// Planned MRR stated in the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_mrr: Option<f64>,
}

/// The preparation timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Days before the meeting the standard timeline starts.
    pub standard_lead_days: i64,
    /// Whether the meeting is too close for the standard timeline.
    pub compressed: bool,
    /// Hours between sending the pack and the meeting.
    pub pack_lead_hours: i64,
    /// Why and how the timeline was compressed, or that it is standard.
    pub note: String,
    /// The steps, in date order.
    pub steps: Vec<TimelineStep>,
}

/// A preparation step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineStep {
    /// Stable id, e.g. `pack-sent`.
    pub id: String,
    /// When.
    pub date: NaiveDate,
    /// Days before the meeting (negative after it).
    pub days_before_meeting: i64,
    /// What to do.
    pub step: String,
    /// Who does it.
    pub owner: String,
}

/// A dated step with an owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatedStep {
    /// When.
    pub date: NaiveDate,
    /// What to do.
    pub step: String,
    /// Who does it.
    pub owner: String,
}

/// The agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agenda {
    /// Sum of the items' minutes, equal to the meeting length.
    pub total_minutes: u32,
    /// The items in running order.
    pub items: Vec<AgendaItem>,
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// The item.
    pub item: String,
    /// Who presents or leads it.
    pub owner: String,
    /// Minutes given to it.
    pub minutes: u32,
    /// What it covers.
    pub contents: Vec<String>,
}

/// What the CEO update covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeoUpdate {
    /// Highlights to report, with their numbers.
    pub highlights: Vec<String>,
    /// Lowlights to report, with the fix.
    pub lowlights: Vec<String>,
}

/// A KPI row: actual, plan and prior period, with the variance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiRow {
    /// The KPI.
    pub metric: String,
    /// How it is computed.
    pub definition: String,
    /// `$`, `%`, `count`, `months` or `x`.
    pub unit: String,
    /// `higher` or `lower` is better.
    pub better: String,
    /// Actual for the period, when known.
    pub actual: Option<f64>,
    /// Plan for the period, when known.
    pub plan: Option<f64>,
    /// Prior period, when known.
    pub prior: Option<f64>,
    /// Actual - plan, when both are known.
    pub variance: Option<f64>,
    /// (Actual - plan) / plan, when both are known and the unit is not already a rate.
    pub variance_pct: Option<f64>,
    /// How to compute the variances.
    pub variance_formula: String,
    /// Where the filled cells come from.
    pub source: String,
}

/// A benchmark figure with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// What is measured.
    pub metric: String,
    /// The figure (a fraction for rates).
    pub value: f64,
    /// The figure as people read it, e.g. `48-72 h`.
    pub display: String,
    /// The citation.
    pub source: String,
}

/// A dated experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// What to try.
    pub name: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day, when the result is read.
    pub end: NaiveDate,
    /// What to measure.
    pub metric: String,
    /// What counts as success.
    pub success: String,
}

/// Generates a board pack.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let content = content::build(input);
    let word = if crate::parse::normalize(input.prompt).contains("deck") {
        "deck"
    } else {
        "pack"
    };
    let mut title = format!(
        "{} board {word} for the {} meeting",
        content.meeting.period.label,
        long_date(content.meeting.date)
    );
    if content.meeting.date_source == "estimate" {
        title.push_str(" (date estimated)");
    }
    Ok(KindOutput {
        title,
        content: to_value(&content),
    })
}

/// "January 15, 2027".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%B %-d, %Y").to_string()
}

/// Stage, or early revenue when the founder gave none (as the MRR tracker assumes).
pub fn stage_or_default(stage: Option<Stage>) -> Stage {
    stage.unwrap_or(Stage::EarlyRevenue)
}

/// The stage as it reads after "a"/"an" in prose, with the article: "an early-revenue".
pub fn stage_with_article(stage: Stage) -> String {
    let words = stage_words(stage);
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {words}")
}

/// The stage in prose: "early-revenue", "Series A".
pub fn stage_words(stage: Stage) -> &'static str {
    match stage {
        Stage::SeriesA => "Series A",
        Stage::SeriesBPlus => "Series B+",
        other => other.as_str(),
    }
}
