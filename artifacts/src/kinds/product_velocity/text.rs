//! Hypotheses, experiments, monitoring, alerts, next actions and the title of a product velocity
//! dashboard.

use super::analysis::Ctx;
use super::plan::{self, num, round1};
use super::{Experiment, Hypothesis};
use crate::benchmarks::dora::{self, Band};
use crate::kinds::sections::{AlertRule, Monitor, NextAction, alert, monitor, one_line};
use crate::model::Goal;

/// A specific title from the main focus, team size and band.
pub(super) fn title(focus: &[String], team: u32, band: Band) -> String {
    let has = |f: &str| focus.iter().any(|x| x == f);
    let what = if has("standup") {
        "Weekly standup dashboard"
    } else if has("planning") {
        "Sprint predictability plan"
    } else if has("review") || has("bottlenecks") {
        "Delivery bottleneck monitor"
    } else if has("stability") {
        "Delivery stability plan"
    } else if has("cycle-time") || has("deploys") {
        "Cycle time and deploy frequency targets"
    } else {
        "Product velocity dashboard"
    };
    format!(
        "{what} for a team of {team} engineer{} (DORA {} band)",
        if team == 1 { "" } else { "s" },
        band.as_str()
    )
}

/// "less than once a week", "less than 5 times a week".
fn less_often_than(per_week: f64) -> String {
    if per_week == 1.0 {
        "less than once a week".to_string()
    } else {
        format!("less than {} times a week", num(per_week))
    }
}

/// What may be slowing the team, most relevant to the prompt first.
pub(super) fn hypotheses(c: &Ctx<'_>) -> Vec<Hypothesis> {
    let s = c.sizing;
    let mut out = Vec::new();
    if let Some(sp) = c.sprint {
        out.push(Hypothesis::new(
            format!("Sprints are committed at full capacity ({} engineer-days), so unplanned bugs and support push planned work out.", sp.capacity_days),
            "Unplanned tickets take more than 20% of the work closed in a sprint while planning accuracy stays below 80%.".to_string(),
        ));
    }
    if c.has("review") || c.has("bottlenecks") {
        out.push(Hypothesis::new(
            "Pull requests wait for a first review longer than they take to write.".to_string(),
            format!(
                "Median pickup time is above {} h and longer than median coding time.",
                num(c.phase(1))
            ),
        ));
    }
    if c.has("deploys") || c.has("cycle-time") {
        out.push(Hypothesis::new(
            "Changes are batched into releases because deploying takes manual steps.".to_string(),
            format!(
                "The team deploys {} while it merges {} or more pull requests a week.",
                less_often_than(dora::min_deploys_per_week(c.band)),
                num(round1(s.prs_per_week * 0.8))
            ),
        ));
    }
    if c.has("stability") {
        out.push(Hypothesis::new(
            "Failed deploys come from changes that reach production without automated tests on the paths they touch.".to_string(),
            "Change failure rate is above 15% and most failed deploys touch files with no test changes.".to_string(),
        ));
    }
    if c.has("standup") || c.has("dashboard") {
        out.push(Hypothesis::new(
            "Status updates crowd out problems at standup: with the numbers on one screen, the time goes to the ones past their threshold.".to_string(),
            "Within four Mondays, every number past its threshold gets an owner and a dated fix at the standup where it turns red.".to_string(),
        ));
    }
    out.push(Hypothesis::new(
        format!("Too much work in flight stretches cycle time: by Little's law, {} items at {} PRs a week average {} h each.", s.wip_limit, num(s.prs_per_week), num(s.little_cycle_hours)),
        format!("More than {} items are in progress on most days and median cycle time is above {} h.", s.wip_limit, num(s.cycle_time_hours)),
    ));
    out
}

/// Two-week experiments, one after another from next Monday.
pub(super) fn experiments(c: &Ctx<'_>) -> Vec<Experiment> {
    let s = c.sizing;
    let mut specs: Vec<(String, String, String)> = Vec::new();
    if let Some(sp) = c.sprint {
        specs.push((
            "Commit 80% of capacity".to_string(),
            format!("Commit {} of {} engineer-days in the sprint; keep the rest for bugs, support and review.", num(sp.commit_days), sp.capacity_days),
            "Planning accuracy at or above 80% at sprint end.".to_string(),
        ));
    }
    if c.has("review") || c.has("bottlenecks") {
        specs.push((
            "Reviewer on duty".to_string(),
            "One engineer a day reviews first and codes second; everyone reviews before starting new work.".to_string(),
            format!("Median pickup time under {} h.", num(c.phase(1))),
        ));
    }
    if c.has("deploys") || c.has("cycle-time") {
        specs.push((
            "Deploy every merge".to_string(),
            "Deploy main automatically after CI passes, behind feature flags for unfinished work."
                .to_string(),
            format!(
                "{} or more deploys a week with change failure rate at or under 15%.",
                num(s.deploys_per_week)
            ),
        ));
    }
    if c.has("stability") {
        specs.push((
            "One-command rollback".to_string(),
            "Make rollback a single command and page an owner on error-rate spikes.".to_string(),
            format!("Median time to restore under {} h.", num(s.restore_hours)),
        ));
    }
    if c.has("standup") || c.has("dashboard") {
        specs.push((
            "Numbers-first standup".to_string(),
            "Open the Monday standup with the dashboard and discuss only the rows past their threshold, 15 minutes at most.".to_string(),
            "Two Mondays in a row with every red row owned and the meeting under 15 minutes.".to_string(),
        ));
    }
    specs.push((
        format!("WIP limit of {}", s.wip_limit),
        format!("Cap work in progress at {} items on the board; finish or swarm before pulling new work.", s.wip_limit),
        format!("Median cycle time under {} h.", num(s.cycle_time_hours)),
    ));
    specs
        .into_iter()
        .take(3)
        .enumerate()
        .map(|(i, (name, change, success))| {
            let (start, end) = plan::window(c.monday, i as u32);
            Experiment {
                name,
                change,
                success,
                start,
                end,
            }
        })
        .collect()
}

/// What to watch, weekly.
pub(super) fn monitoring(c: &Ctx<'_>) -> Vec<Monitor> {
    let mut out = vec![
        monitor(
            "Deployment frequency",
            "weekly",
            "CI deploy log (GitHub Actions or GitLab CI)",
        ),
        monitor(
            "Lead time for changes",
            "weekly",
            "GitHub or GitLab commits joined with CI deploys",
        ),
        monitor(
            "Change failure rate",
            "weekly, over the last 4 weeks",
            "CI deploys joined with rollbacks, hotfixes and incidents",
        ),
        monitor(
            "Time to restore service",
            "per incident, reviewed weekly",
            "Incident tracker or status page",
        ),
        monitor(
            "Cycle time and its phases",
            "weekly",
            "GitHub or GitLab pull requests",
        ),
        monitor(
            "Work in progress",
            "daily at standup",
            "Issue tracker (Linear or Jira)",
        ),
    ];
    if c.sprint.is_some() {
        out.push(monitor(
            "Planning accuracy",
            "every sprint",
            "Issue tracker (Linear or Jira)",
        ));
    }
    out
}

/// Alert rules at the edges of the target band and the sized targets.
pub(super) fn alerts(c: &Ctx<'_>) -> Vec<AlertRule> {
    let s = c.sizing;
    let mut out = vec![
        alert(
            "deploys-below-band",
            "deploys_per_week",
            "below",
            dora::min_deploys_per_week(c.band),
        ),
        alert(
            "lead-time-above-band",
            "lead_time_hours",
            "above",
            s.lead_time_hours,
        ),
        alert(
            "change-failure-rate-above-15",
            "change_failure_rate",
            "above",
            dora::ELITE_MAX_CHANGE_FAILURE_RATE,
        ),
        alert(
            "restore-time-above-band",
            "time_to_restore_hours",
            "above",
            s.restore_hours,
        ),
        alert(
            "cycle-time-above-target",
            "cycle_time_hours",
            "above",
            s.cycle_time_hours,
        ),
        alert(
            "wip-above-limit",
            "wip_items",
            "above",
            f64::from(s.wip_limit),
        ),
        alert(
            "merged-prs-below-plan",
            "merged_prs_per_week",
            "below",
            round1(s.prs_per_week * 0.8),
        ),
    ];
    if c.sprint.is_some() {
        out.push(alert(
            "planning-accuracy-below-80",
            "planning_accuracy",
            "below",
            dora::PLANNING_ACCURACY.0,
        ));
    }
    if c.has("review") || c.has("bottlenecks") {
        out.push(alert(
            "pickup-time-above-target",
            "pickup_time_hours",
            "above",
            c.phase(1),
        ));
    }
    out
}

/// What to do next: connect data, set the WIP limit, the prompt's focus, goal and challenge.
pub(super) fn next_actions(c: &Ctx<'_>) -> Vec<NextAction> {
    let s = c.sizing;
    let mut out = Vec::new();
    out.push(NextAction::todo(if c.team_estimated {
        format!("Connect GitHub (or GitLab) and your CI so deploys, lead time and change failure rate are measured, and state your team size: {} engineers is an estimate.", c.team)
    } else {
        "Connect GitHub (or GitLab) and your CI so deploys, lead time and change failure rate are measured instead of assumed.".to_string()
    }));
    out.push(NextAction::todo(format!(
        "Set a work-in-progress limit of {} items on the board from {}.",
        s.wip_limit, c.monday
    )));
    if let Some(sp) = c.sprint {
        out.push(NextAction::todo(format!(
            "Plan the sprint of {} to {} at {} of {} engineer-days, and check planning accuracy on {}.",
            sp.start, sp.end, num(sp.commit_days), sp.capacity_days, sp.end
        )));
    }
    if c.has("review") || c.has("bottlenecks") {
        out.push(NextAction::todo(format!(
            "At every standup, pick up each pull request that has waited more than {} h before starting new work.",
            num(c.phase(1))
        )));
    }
    if c.has("stability") {
        out.push(NextAction::todo(format!(
            "Label every rollback, hotfix and incident from {} so change failure rate can be computed; act when it passes 15%.",
            c.monday
        )));
    }
    if c.has("deploys") || c.has("cycle-time") {
        out.push(NextAction::todo(format!(
            "Automate deploys from main: {} a week means {} every working day.",
            num(s.deploys_per_week),
            num(s.deploys_per_week / 5.0)
        )));
    }
    if c.has("standup") || c.has("dashboard") {
        out.push(NextAction::todo(format!(
            "Put the {} dashboard rows on one screen before {}, with each row's act-when threshold marked.",
            c.dashboard_rows, c.monday
        )));
    }
    out.push(NextAction::todo(format!(
        "Review the dashboard at the standup on {} and every Monday after it.",
        c.monday
    )));
    if let Some(text) = goal_action(c) {
        out.push(NextAction::todo(text));
    }
    if let Some(ch) = c
        .input
        .context
        .challenge
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        out.push(NextAction::todo(format!(
            "Write down which of the four keys \"{}\" hurts most, and check it against the dashboard on {}.",
            one_line(ch),
            c.monday
        )));
    }
    out
}

fn goal_action(c: &Ctx<'_>) -> Option<String> {
    let s = c.sizing;
    Some(match c.input.context.goal? {
        Goal::ShipFaster => format!(
            "Cut lead time below {} h first: it is the key that most directly means shipping faster.",
            num(s.lead_time_hours)
        ),
        Goal::ReduceChaos => format!(
            "Hold the WIP limit of {} for four weeks before adding any new process.",
            s.wip_limit
        ),
        Goal::ImproveRetention => format!(
            "Keep failed deploys to {} a month or fewer, and tell affected customers within the {} h restore target.",
            s.max_failed_deploys_per_month,
            num(s.restore_hours)
        ),
        Goal::FindPmf => format!(
            "Ship each customer experiment within {} h of the decision to run it.",
            num(s.lead_time_hours)
        ),
        Goal::GrowRevenue => "Tag pull requests for features open deals wait on, and report their lead time to sales weekly.".to_string(),
        Goal::RaiseFunding => "Keep eight weeks of the four keys' trend for the investor data room.".to_string(),
        Goal::Other => return None,
    })
}
