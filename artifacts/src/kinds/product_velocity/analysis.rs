//! The sections of a product velocity dashboard, built from the sizing and what the prompt asks.

use chrono::NaiveDate;

use super::plan::{self, Sizing, num, round1};
use super::{BottleneckCheck, DashboardRow, SprintPlan};
use crate::benchmarks::dora::{self, Band};
use crate::kinds::KindInput;
use crate::model::{Goal, Stage};

/// Everything the section builders share.
pub(super) struct Ctx<'a> {
    /// The generator input.
    pub input: &'a KindInput<'a>,
    /// Engineers.
    pub team: u32,
    /// Target band.
    pub band: Band,
    /// Targets sized to the team.
    pub sizing: &'a Sizing,
    /// What the prompt asks about.
    pub focus: &'a [String],
    /// Next Monday, where every dated plan starts.
    pub monday: NaiveDate,
    /// The next sprint, when the prompt is about planning.
    pub sprint: Option<&'a SprintPlan>,
    /// Whether the team size is a stage estimate.
    pub team_estimated: bool,
    /// Rows on the weekly dashboard.
    pub dashboard_rows: usize,
}

impl Ctx<'_> {
    /// Whether the prompt asks about `f`.
    pub(super) fn has(&self, f: &str) -> bool {
        self.focus.iter().any(|x| x == f)
    }
    /// Whether the target band is elite.
    pub(super) fn elite(&self) -> bool {
        self.band == Band::Elite
    }
    fn pickup_hours(&self) -> f64 {
        phase(self.band, 1)
    }
    /// Target hours of cycle-time phase `i` (coding, pickup, review, deploy).
    pub(super) fn phase(&self, i: usize) -> f64 {
        phase(self.band, i)
    }
}

/// Target hours of cycle-time phase `i` for the band (LinearB elite for elite, strong otherwise).
pub(super) fn phase(band: Band, i: usize) -> f64 {
    let p = dora::CYCLE_PHASES[i];
    if band == Band::Elite {
        p.elite_hours
    } else {
        p.strong_hours
    }
}

/// Pull request size target in changed lines (LinearB elite for elite, strong otherwise).
pub(super) fn pr_size(band: Band) -> f64 {
    if band == Band::Elite {
        dora::PR_SIZE_LINES.0
    } else {
        dora::PR_SIZE_LINES.1
    }
}

const GIT: &str = "GitHub or GitLab (pull requests)";
const CI: &str = "CI deploy log (GitHub Actions or GitLab CI)";
const GIT_CI: &str = "GitHub or GitLab commits joined with CI deploys";
const INCIDENTS: &str = "Incident tracker or status page, joined with CI deploys";
const TRACKER: &str = "Issue tracker (Linear or Jira)";

/// What the prompt says is going wrong, one line per focus.
pub(super) fn signals(focus: &[String], stated: Option<f64>) -> Vec<String> {
    let mut out = Vec::new();
    for f in focus {
        let s = match f.as_str() {
            "standup" => "You want numbers for the weekly team standup: the dashboard below is built for that meeting.".to_string(),
            "planning" => "Sprint goals or dates are being missed: planning accuracy (work finished / work committed) is the first number to measure.".to_string(),
            "review" => "Pull requests wait in review: pickup time and review time show for how long.".to_string(),
            "bottlenecks" => "Delivery feels slow: the four cycle-time phases below show where the hours go.".to_string(),
            "stability" => "Bugs, incidents or risky deploys are part of the problem: change failure rate and time to restore measure them.".to_string(),
            "cycle-time" => "You asked how fast work moves: lead time and cycle time run from first commit to production.".to_string(),
            "deploys" if stated.is_none() => {
                "How often you ship is the question: deployment frequency is the first key.".to_string()
            }
            _ => continue,
        };
        out.push(s);
    }
    out
}

/// Why this band, for this stage, team and goal.
pub(super) fn band_reasoning(c: &Ctx<'_>) -> String {
    let stage = c.input.context.stage.unwrap_or(Stage::EarlyRevenue);
    let est = if c.team_estimated { " (estimated)" } else { "" };
    let mut s = format!(
        "{} stage, {} engineer{}{est}: ",
        stage.label(),
        c.team,
        if c.team == 1 { "" } else { "s" }
    );
    let later = matches!(stage, Stage::SeriesA | Stage::SeriesBPlus);
    s.push_str(match (c.band, later) {
        (Band::Elite, true) => "from Series A on, paying customers expect fixes within the hour and the team can staff on-call, so elite is the bar: deploy on demand, lead time under a day, restore under an hour, change failure rate at most 15%.",
        (Band::Elite, false) => "with 8 or more engineers the team can staff an on-call rotation and invest in its pipeline, so elite is within reach: deploy on demand, lead time under a day, restore under an hour, change failure rate at most 15%.",
        _ if c.team < plan::MIN_TEAM_FOR_ELITE => "with fewer than 3 engineers nobody can be on call around the clock, so restoring within an hour (elite) is not sustainable: aim for high, deploying every working day, lead time under a week, restore within a day, change failure rate at most 15%.",
        _ => "before Series A and below 8 engineers the pipeline and on-call are still being built: reach high first (deploy every working day, lead time under a week, restore within a day, change failure rate at most 15%), then elite.",
    });
    let goal = match c.input.context.goal {
        Some(Goal::ShipFaster) => {
            " Your goal is to ship faster, so push the throughput keys (deployment frequency and lead time) first."
        }
        Some(Goal::ReduceChaos) => {
            " Your goal is to reduce chaos, so the WIP limit and planning accuracy come first: fewer things in flight, finished when promised."
        }
        Some(Goal::ImproveRetention) => {
            " Your goal is retention, so the stability keys (change failure rate and time to restore) lead the dashboard: customers leave over broken releases more than slow ones."
        }
        Some(Goal::FindPmf) => {
            " Your goal is product-market fit, so lead time matters most: every day cut from it puts another experiment in front of customers."
        }
        Some(Goal::GrowRevenue) => {
            " Your goal is revenue growth: watch lead time on the features deals are waiting for."
        }
        Some(Goal::RaiseFunding) => {
            " Your goal is to raise: investors read a steady DORA trend as evidence of execution, so keep eight weeks of it for the data room."
        }
        Some(Goal::Other) | None => "",
    };
    s.push_str(goal);
    s
}

fn row(metric: &str, target: String, act_when: String, source: &str) -> DashboardRow {
    DashboardRow {
        metric: metric.to_string(),
        target,
        act_when,
        source: source.to_string(),
    }
}

/// The weekly dashboard rows; what the prompt asks about comes first.
pub(super) fn dashboard_rows(c: &Ctx<'_>) -> Vec<DashboardRow> {
    let s = c.sizing;
    let floor = dora::min_deploys_per_week(c.band);
    let mut first = Vec::new();
    if c.has("planning") {
        first.push(row(
            "Planning accuracy (finished / committed)",
            "80% or more".into(),
            "below 80% at sprint end".into(),
            TRACKER,
        ));
    }
    if c.has("review") || c.has("bottlenecks") {
        first.push(row(
            "Pickup time (median)",
            format!("under {} h", num(c.pickup_hours())),
            format!("above {} h", num(c.pickup_hours())),
            GIT,
        ));
    }
    let mut rows = vec![
        row(
            "Deploys this week",
            format!("{} or more", num(s.deploys_per_week)),
            format!("fewer than {}", num(floor)),
            CI,
        ),
        row(
            "Lead time for changes (median)",
            format!("under {} h", num(s.lead_time_hours)),
            format!("above {} h", num(s.lead_time_hours)),
            GIT_CI,
        ),
        row(
            "Change failure rate (last 4 weeks)",
            "15% or less".into(),
            "above 15%".into(),
            INCIDENTS,
        ),
        row(
            "Time to restore (median)",
            format!("under {} h", num(s.restore_hours)),
            format!("above {} h", num(s.restore_hours)),
            INCIDENTS,
        ),
        row(
            "Cycle time (median)",
            format!("under {} h", num(s.cycle_time_hours)),
            format!("above {} h", num(s.cycle_time_hours)),
            GIT,
        ),
        row(
            "Merged pull requests",
            format!("{} or more", num(s.prs_per_week)),
            format!("fewer than {}", num(round1(s.prs_per_week * 0.8))),
            GIT,
        ),
        row(
            "Work in progress",
            format!("{} items or fewer", s.wip_limit),
            format!("more than {}", s.wip_limit),
            TRACKER,
        ),
    ];
    if c.has("stability") || c.input.context.goal == Some(Goal::ImproveRetention) {
        // Stability questions and retention goals put the failure keys at the top.
        rows.swap(0, 2);
        rows.swap(1, 3);
    }
    first.extend(rows);
    first
}

/// Where to look for the bottleneck; empty unless the prompt is about slowness, review or failures.
pub(super) fn bottlenecks(c: &Ctx<'_>) -> Vec<BottleneckCheck> {
    let mut out = Vec::new();
    let mut add = |stage: &str, check: String, fix: &str| {
        out.push(BottleneckCheck {
            stage: stage.to_string(),
            check,
            fix: fix.to_string(),
        })
    };
    let slow = c.has("bottlenecks");
    if slow {
        add(
            "Coding",
            format!("Median coding time above {} h", num(phase(c.band, 0))),
            "Split tickets to a day of work or less and agree the approach before coding.",
        );
    }
    if slow || c.has("review") {
        add(
            "Pickup",
            format!("Median pickup time above {} h", num(phase(c.band, 1))),
            "Review before starting new work; name one reviewer on duty each day.",
        );
        add(
            "Review",
            format!(
                "Median review time above {} h, or pull requests above {} changed lines",
                num(phase(c.band, 2)),
                num(pr_size(c.band))
            ),
            "Keep pull requests small and pair on the risky ones instead of long review threads.",
        );
    }
    if slow {
        add(
            "Work in progress",
            format!("More than {} items in progress", c.sizing.wip_limit),
            "Stop starting, start finishing: swarm on the oldest item before pulling a new one.",
        );
        add(
            "Deploy",
            format!(
                "Median merge-to-production time above {} h",
                num(phase(c.band, 3))
            ),
            "Deploy from main automatically and cut CI time: slow pipelines batch changes.",
        );
    }
    if c.has("stability") {
        add(
            "Failures",
            "Change failure rate above 15% over the last 4 weeks".to_string(),
            "Add tests on the paths that failed, ship behind feature flags, and review each incident within 48 h.",
        );
        add(
            "Restore",
            format!(
                "Median time to restore above {} h",
                num(c.sizing.restore_hours)
            ),
            "One-command rollback, alerts on error rate, and a named on-call owner.",
        );
    }
    out
}
