//! Product velocity: the DORA four keys with their bands, a target band chosen by stage and team
//! size, targets sized to the team (throughput, deploys, WIP, cycle time), and the sections the
//! prompt asks for: a weekly standup dashboard, sprint capacity, bottleneck checks.

mod analysis;
/// Team size, target band, sizing, prompt cues and dates.
pub mod plan;
mod render;
mod targets;
#[cfg(test)]
mod tests;
mod text;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::research::{Experiment, Hypothesis};
use super::sections::{AlertRule, Monitor, NextAction};
use super::{KindInput, KindOutput, to_value, typed};
use crate::benchmarks::dora;
use crate::error::ArtifactError;
use crate::format::percent;
use crate::model::{Kind, Stage};
use plan::num;

/// Product velocity content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductVelocity {
    /// Team and delivery as they are today.
    pub current: CurrentState,
    /// What the prompt asks about: standup, planning, review, bottlenecks, stability, cycle-time, deploys, dashboard.
    pub focus: Vec<String>,
    /// The DORA band to aim for, and why.
    pub target: TargetBand,
    /// The four keys with every band, where the team is assumed to be, and its target.
    pub dora: Vec<DoraRow>,
    /// Targets sized to the team, each with the rule that computed it.
    pub team_targets: Vec<TeamTarget>,
    /// Cycle-time phases with their targets.
    pub cycle_time: Vec<CyclePhase>,
    /// The numbers to review every week.
    pub dashboard: Dashboard,
    /// Sprint capacity, when the prompt is about sprints, dates or plans.
    pub sprint: Option<SprintPlan>,
    /// Where to look for the bottleneck, when the prompt is about slowness, review or failures.
    pub bottlenecks: Vec<BottleneckCheck>,
    /// Benchmarks for the target band and the band below it, each with its source.
    pub benchmarks: Vec<Benchmark>,
    /// What may be slowing the team, each with the number that confirms it.
    pub hypotheses: Vec<Hypothesis>,
    /// Dated two-week experiments.
    pub experiments: Vec<Experiment>,
    /// Every assumption behind the numbers.
    pub assumptions: Vec<String>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next.
    pub next_actions: Vec<NextAction>,
}

/// The team and its delivery today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentState {
    /// Engineers.
    pub team_size: u32,
    /// `prompt` or `stage-estimate`.
    pub team_source: String,
    /// The stage the estimates come from.
    pub stage: String,
    /// Deploys a week stated in the prompt.
    pub deploys_per_week: Option<f64>,
    /// The band the team is in (from the stated deploy rate) or assumed to be in.
    pub band: String,
    /// `prompt` or `stage-estimate`.
    pub band_source: String,
    /// What the prompt says is going wrong.
    pub signals: Vec<String>,
}

/// The band to aim for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetBand {
    /// `elite` or `high`.
    pub band: String,
    /// Why this band, for this stage, team and goal.
    pub reasoning: String,
}

/// One DORA key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoraRow {
    /// The key's metric name.
    pub metric: String,
    /// Elite, high, medium and low figures with their sources.
    pub bands: Vec<BandCell>,
    /// Where the team is, or is assumed to be.
    pub current: String,
    /// The target sized to the team.
    pub target: String,
    /// The target as a number, in `unit`.
    pub target_value: f64,
    /// `deploys/week`, `hours` or `share`.
    pub unit: String,
}

/// A band's figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandCell {
    /// `elite`, `high`, `medium` or `low`.
    pub band: String,
    /// The report's wording.
    pub value: String,
    /// The report.
    pub source: String,
}

/// A target sized to the team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamTarget {
    /// The metric.
    pub metric: String,
    /// The target.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// How it was computed.
    pub rule: String,
}

/// A phase of cycle time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CyclePhase {
    /// The phase.
    pub phase: String,
    /// Where it starts and ends.
    pub definition: String,
    /// Target in hours.
    pub target_hours: f64,
    /// Where the target comes from.
    pub source: String,
}

/// The weekly dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The first weekly review, `YYYY-MM-DD`.
    pub first_review: NaiveDate,
    /// The rows to show.
    pub rows: Vec<DashboardRow>,
}

/// A dashboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardRow {
    /// The metric.
    pub metric: String,
    /// Its target.
    pub target: String,
    /// When to act.
    pub act_when: String,
    /// Where the number comes from.
    pub source: String,
}

/// Sprint capacity and commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SprintPlan {
    /// First day of the next sprint.
    pub start: NaiveDate,
    /// Last working day of the next sprint.
    pub end: NaiveDate,
    /// Engineer-days in the sprint.
    pub capacity_days: u32,
    /// Engineer-days to commit.
    pub commit_days: f64,
    /// Pull requests the sprint should merge.
    pub prs_per_sprint: f64,
    /// Share of committed work to finish.
    pub planning_accuracy_target: f64,
}

/// A place to look for the bottleneck.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BottleneckCheck {
    /// Where in the flow.
    pub stage: String,
    /// The check, with its threshold.
    pub check: String,
    /// What to change when it fails.
    pub fix: String,
}

/// A benchmark figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// The metric.
    pub metric: String,
    /// The band or tier.
    pub band: String,
    /// The figure.
    pub value: String,
    /// The citation.
    pub source: String,
}

/// Generates a product velocity dashboard.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let text = crate::parse::normalize(input.prompt);
    let stage = input.context.stage.unwrap_or(Stage::EarlyRevenue);
    let mut assumptions = Vec::new();
    let (team, team_source) = match input.params.team_size {
        Some(n) => (n.max(1), "prompt"),
        None => {
            let n = plan::stage_team_size(input.context.stage);
            assumptions.push(format!(
                "The team is an estimate of {n} engineers for a company at the {} stage; say \"team of N\" in the prompt to size the targets to your team.",
                stage.label().to_lowercase()
            ));
            (n, "stage-estimate")
        }
    };
    let band = plan::target_band(input.context.stage, team);
    let stated = plan::stated_deploys_per_week(&text);
    let mut sizing = plan::size(team, band);
    if let Some(d) = stated.filter(|d| *d > sizing.deploys_per_week) {
        // A team already deploying more often than the band asks keeps its pace as the target.
        sizing = sizing.with_deploys(plan::round1(d));
    }
    let focus = plan::foci(&text);
    let has = |f: &str| focus.iter().any(|x| x == f);
    let (current_band, band_source) = match stated {
        Some(d) => (dora::deploy_band(d), "prompt"),
        None => (band.below(), "stage-estimate"),
    };
    assumptions.push(format!(
        "Until GitHub and CI data arrive, the team is assumed to be one band below its target ({}) on {}, the usual starting point for a team asking about velocity.",
        band.below().as_str(),
        if stated.is_some() { "lead time, change failure rate and time to restore" } else { "all four keys" }
    ));
    assumptions.push(format!(
        "Each engineer merges {} pull requests a week, a planning assumption that GitHub data replaces after two weeks.",
        num(dora::ASSUMED_PRS_PER_ENGINEER_WEEK)
    ));
    let monday = plan::next_monday(input.today);
    let current = CurrentState {
        team_size: team,
        team_source: team_source.to_string(),
        stage: stage.as_str().to_string(),
        deploys_per_week: stated.map(|d| (d * 1000.0).round() / 1000.0),
        band: current_band.as_str().to_string(),
        band_source: band_source.to_string(),
        signals: analysis::signals(&focus, stated),
    };
    let sprint = (has("planning")).then(|| {
        let c = plan::capacity(team, &sizing);
        let (start, end) = plan::window(monday, 0);
        assumptions.push(format!(
            "Sprints last two weeks ({} working days) and commit {} of capacity, keeping the rest for bugs, support and reviews.",
            dora::SPRINT_WORKING_DAYS,
            percent(dora::PLANNED_CAPACITY_SHARE)
        ));
        SprintPlan {
            start,
            end,
            capacity_days: c.capacity_days,
            commit_days: c.commit_days,
            prs_per_sprint: c.prs_per_sprint,
            planning_accuracy_target: dora::PLANNING_ACCURACY.0,
        }
    });
    let mut ctx = analysis::Ctx {
        input,
        team,
        band,
        sizing: &sizing,
        focus: &focus,
        monday,
        sprint: sprint.as_ref(),
        team_estimated: team_source != "prompt",
        dashboard_rows: 0,
    };
    let rows = analysis::dashboard_rows(&ctx);
    ctx.dashboard_rows = rows.len();
    let content = ProductVelocity {
        target: TargetBand {
            band: band.as_str().to_string(),
            reasoning: analysis::band_reasoning(&ctx),
        },
        dora: targets::dora_rows(&ctx, stated),
        team_targets: targets::team_targets(&ctx),
        cycle_time: targets::cycle_phases(band),
        dashboard: Dashboard {
            first_review: monday,
            rows,
        },
        bottlenecks: analysis::bottlenecks(&ctx),
        benchmarks: targets::benchmarks(band, has("planning")),
        hypotheses: text::hypotheses(&ctx),
        experiments: text::experiments(&ctx),
        monitoring: text::monitoring(&ctx),
        alerts: text::alerts(&ctx),
        next_actions: text::next_actions(&ctx),
        current,
        focus: focus.clone(),
        sprint,
        assumptions,
    };
    Ok(KindOutput {
        title: text::title(&focus, team, band),
        content: to_value(&content),
    })
}

/// Renders the product velocity sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: ProductVelocity = typed(Kind::ProductVelocity, content)?;
    let mut out = String::new();
    render::head(&mut out, &c);
    render::targets(&mut out, &c);
    render::rest(&mut out, &c);
    Ok(out)
}
