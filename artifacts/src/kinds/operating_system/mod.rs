//! Operating system: the cadence of rituals (weekly to annual) sized to the team and stage, a
//! weekly scorecard, the quarter's OKRs, a decision log, and tool consolidation when the founder
//! says the company has too many tools or no single source of truth.
//!
//! Sizing rules are in `operating_system_rituals.rs`, scorecard targets in
//! `operating_system_scorecard.rs`, the OKR quarter and objectives in `operating_system_okrs.rs`.

pub mod cadence;
mod cadence_planning;
mod content;
pub mod growth;
mod objectives;
pub mod okrs;
mod parts;
mod render;
pub mod rituals;
pub mod scorecard;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::board_prep::{Benchmark, Experiment};
use super::sections::{AlertRule, Monitor, NextAction};
use super::{KindInput, KindOutput, to_value};
use crate::error::ArtifactError;

pub use render::render_markdown;

/// Operating system content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatingSystem {
    /// Team size and stage, and how they shape the cadence.
    pub team: Team,
    /// The rituals, weekly first.
    pub rituals: Vec<Ritual>,
    /// Recurring meeting hours a week per person, against the cap.
    pub meeting_load: MeetingLoad,
    /// The weekly scorecard.
    pub scorecard: Vec<ScorecardRow>,
    /// The quarter's OKRs.
    pub okrs: Okrs,
    /// The decision log, started with the decisions this plan makes.
    pub decision_log: Vec<Decision>,
    /// One home per need, when the founder has too many tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<ToolHome>>,
    /// Cadence and target benchmarks with sources.
    pub benchmarks: Vec<Benchmark>,
    /// Every assumption and estimate.
    pub assumptions: Vec<String>,
    /// What this operating system is betting on.
    pub hypotheses: Vec<String>,
    /// Trials with dates and success criteria.
    pub experiments: Vec<Experiment>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next, dated.
    pub next_actions: Vec<NextAction>,
}

/// The team the cadence is sized to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// People.
    pub size: u32,
    /// `prompt` or `stage-estimate`.
    pub size_source: String,
    /// Stage wire name.
    pub stage: String,
    /// `context` or `default`.
    pub stage_source: String,
    /// `small` (up to 8), `mid` (9-30) or `large` (31+).
    pub band: String,
    /// People in the leadership meeting.
    pub leadership_size: u32,
    /// Whether leadership meets apart from the whole team.
    pub separate_leadership_meeting: bool,
    /// Why the cadence looks the way it does.
    pub reasoning: String,
}

/// A recurring ritual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ritual {
    /// Name.
    pub name: String,
    /// `weekly`, `biweekly`, `monthly`, `quarterly` or `annual`.
    pub cadence: String,
    /// When it happens.
    pub when: String,
    /// The first occurrence.
    pub first: NaiveDate,
    /// Who runs it.
    pub owner: String,
    /// `everyone`, `leadership`, `founders`, `function` or `one-on-one`.
    pub audience: String,
    /// Who attends, in words.
    pub attendees: String,
    /// Length in minutes, equal to the sum of its agenda.
    pub duration_minutes: u32,
    /// The agenda with minutes per item.
    pub agenda: Vec<AgendaSlot>,
}

/// An agenda item with its minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaSlot {
    /// The item.
    pub item: String,
    /// Minutes.
    pub minutes: u32,
}

/// Recurring meeting load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingLoad {
    /// Hours a week for a team member.
    pub member_hours_per_week: f64,
    /// Hours a week for the CEO.
    pub leader_hours_per_week: f64,
    /// Cap for a team member.
    pub member_cap_hours: f64,
    /// Cap for the CEO.
    pub leader_cap_hours: f64,
    /// Whether both are within their caps.
    pub within_cap: bool,
    /// Rituals shortened to meet the cap.
    pub adjustments: Vec<String>,
}

/// A scorecard metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardRow {
    /// The metric.
    pub metric: String,
    /// The one person who updates it.
    pub owner: String,
    /// `at least` or `at most`.
    pub direction: String,
    /// The weekly target.
    pub target: f64,
    /// `%`, `%/week`, `$`, `count`, `months`, `hours` or `x`.
    pub unit: String,
    /// Where the target comes from.
    pub basis: String,
}

/// The quarter's OKRs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Okrs {
    /// e.g. `Q4 2026`.
    pub quarter: String,
    /// First day the plan runs (today, or the next quarter's first day).
    pub start: NaiveDate,
    /// Last day of the quarter.
    pub end: NaiveDate,
    /// Days from the start to the quarter's end.
    pub days: i64,
    /// Weeks from the start to the quarter's end, rounded up.
    pub weeks: u32,
    /// Whether fewer than 30 days were left, so the plan is for the next quarter.
    pub next_quarter: bool,
    /// Two or three objectives.
    pub objectives: Vec<Objective>,
}

/// An objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// What to achieve.
    pub title: String,
    /// Who owns it.
    pub owner: String,
    /// How to know it is achieved.
    pub key_results: Vec<KeyResult>,
}

/// A measurable key result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyResult {
    /// The key result in words.
    pub text: String,
    /// The metric it reads.
    pub metric: String,
    /// Where it starts, when known.
    pub baseline: Option<f64>,
    /// Where it must be.
    pub target: f64,
    /// Unit of baseline and target.
    pub unit: String,
    /// When.
    pub due: NaiveDate,
}

/// A decision log entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// When it was made.
    pub date: NaiveDate,
    /// What was decided.
    pub decision: String,
    /// Who owns it.
    pub owner: String,
    /// What else was considered.
    pub alternatives: String,
    /// When to look at it again.
    pub revisit: NaiveDate,
}

/// Where one need lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolHome {
    /// The need, e.g. `Metrics`.
    pub need: String,
    /// Its one home.
    pub home: String,
    /// The rule that keeps it there.
    pub rule: String,
}

/// Generates an operating system.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let content = content::build(input);
    let team = if content.team.size_source == "prompt" {
        format!("a team of {}", content.team.size)
    } else {
        format!("an estimated team of {}", content.team.size)
    };
    let title = format!(
        "Operating system for {team}: {} rituals, a {}-metric scorecard and {} OKRs",
        content.rituals.len(),
        content.scorecard.len(),
        content.okrs.quarter
    );
    Ok(KindOutput {
        title,
        content: to_value(&content),
    })
}
