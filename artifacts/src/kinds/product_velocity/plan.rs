//! The numbers behind a product velocity dashboard: team size and target band, targets sized to
//! the team, what the prompt asks about, and the dates of the next sprint and experiments.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;

use crate::benchmarks::dora::{self, Band};
use crate::model::Stage;

/// Engineers assumed per stage when the prompt does not say.
pub fn stage_team_size(stage: Option<Stage>) -> u32 {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch => 2,
        Stage::EarlyRevenue => 4,
        Stage::Seed => 6,
        Stage::SeriesA => 15,
        Stage::SeriesBPlus => 40,
    }
}

/// Below this many engineers nobody can be on call every hour, so elite restore times (under an
/// hour) are out of reach without burning people out.
pub const MIN_TEAM_FOR_ELITE: u32 = 3;
/// From this many engineers a team can afford the pipeline and on-call work elite needs.
pub const ELITE_TEAM_SIZE: u32 = 8;

/// Target band: elite from Series A or from 8 engineers, never below 3 engineers; else high.
pub fn target_band(stage: Option<Stage>, team: u32) -> Band {
    let later_stage = matches!(stage, Some(Stage::SeriesA | Stage::SeriesBPlus));
    if team >= MIN_TEAM_FOR_ELITE && (later_stage || team >= ELITE_TEAM_SIZE) {
        Band::Elite
    } else {
        Band::High
    }
}

/// Targets sized to the team and band.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizing {
    /// Merged pull requests a week the team should sustain.
    pub prs_per_week: f64,
    /// Deploys a week to aim for.
    pub deploys_per_week: f64,
    /// The same over an average month (52/12 weeks).
    pub deploys_per_month: f64,
    /// Failed deploys a month that keep change failure rate at or under 15%.
    pub max_failed_deploys_per_month: u32,
    /// Lead time ceiling in hours.
    pub lead_time_hours: f64,
    /// Time to restore ceiling in hours.
    pub restore_hours: f64,
    /// Cycle time ceiling in hours (LinearB tier matching the band).
    pub cycle_time_hours: f64,
    /// Work-in-progress limit.
    pub wip_limit: u32,
    /// Average cycle time Little's law predicts at the WIP limit and planned throughput.
    pub little_cycle_hours: f64,
}

/// Sizes targets: PRs = team x 3 a week; elite deploys every merge (at least 10 a week, two a
/// working day), high once a working day; WIP = team size, lowered until Little's law meets the
/// cycle-time target.
pub fn size(team: u32, band: Band) -> Sizing {
    let n = f64::from(team.max(1));
    let prs_per_week = n * dora::ASSUMED_PRS_PER_ENGINEER_WEEK;
    let deploys_per_week = match band {
        Band::Elite => prs_per_week.max(10.0),
        _ => 5.0,
    };
    let cycle_time_hours = match band {
        Band::Elite => dora::CYCLE_TIME_HOURS.0,
        _ => dora::CYCLE_TIME_HOURS.1,
    };
    // Round away float noise before floor, so 5.0000001 stays 5.
    let little_wip = ((prs_per_week * cycle_time_hours / 168.0) * 1e6).round() / 1e6;
    let wip_limit = (little_wip.floor() as u32).clamp(1, team.max(1));
    let little_cycle_hours = f64::from(wip_limit) / prs_per_week * 168.0;
    Sizing {
        prs_per_week,
        deploys_per_week: 0.0,
        deploys_per_month: 0.0,
        max_failed_deploys_per_month: 0,
        lead_time_hours: dora::max_lead_time_hours(band),
        restore_hours: dora::max_restore_hours(band),
        cycle_time_hours,
        wip_limit,
        little_cycle_hours,
    }
    .with_deploys(deploys_per_week)
}

impl Sizing {
    /// Sets the weekly deploy target and what follows from it: deploys a month (x 52 / 12) and
    /// the failed deploys a month that keep change failure rate at or under 15%.
    pub fn with_deploys(mut self, per_week: f64) -> Sizing {
        self.deploys_per_week = per_week;
        self.deploys_per_month = per_week * 52.0 / 12.0;
        // Round away float noise before floor, so 3.0000001 stays 3.
        let failed =
            (self.deploys_per_month * dora::ELITE_MAX_CHANGE_FAILURE_RATE * 1e6).round() / 1e6;
        self.max_failed_deploys_per_month = failed.floor() as u32;
        self
    }
}

/// Sprint capacity for the team.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Engineer-days in a two-week sprint.
    pub capacity_days: u32,
    /// Engineer-days to commit (80%).
    pub commit_days: f64,
    /// Pull requests a sprint at the planned throughput.
    pub prs_per_sprint: f64,
}

/// Capacity = team x 10 working days; commit 80% of it; PRs = weekly PRs x 2.
pub fn capacity(team: u32, sizing: &Sizing) -> Capacity {
    let capacity_days = team * dora::SPRINT_WORKING_DAYS;
    Capacity {
        capacity_days,
        commit_days: f64::from(capacity_days) * dora::PLANNED_CAPACITY_SHARE,
        prs_per_sprint: sizing.prs_per_week * f64::from(dora::SPRINT_WORKING_DAYS) / 5.0,
    }
}

/// What the prompt asks about, in the order sections and titles prefer them.
pub const FOCI: [(&str, &[&str]); 8] = [
    ("standup", &["standup", "stand-up", "stand up"]),
    (
        "planning",
        &[
            "sprint",
            "iteration",
            "release date",
            "deadline",
            "roadmap",
            "slipping",
            "missing",
            "miss ",
            "estimate",
        ],
    ),
    (
        "review",
        &["review", "pull request", " prs", " pr ", "merge request"],
    ),
    (
        "bottlenecks",
        &[
            "bottleneck",
            "slow",
            "stuck",
            "blocked",
            "overloaded",
            "forever",
            "tech debt",
            "flag",
        ],
    ),
    (
        "stability",
        &[
            "bug", "incident", "outage", "failure", "restore", "scary", "rollback", "hotfix",
            "broke", "mttr",
        ],
    ),
    (
        "cycle-time",
        &[
            "cycle time",
            "lead time",
            "commit to prod",
            "how long",
            "how fast",
            "how quickly",
        ],
    ),
    ("deploys", &["deploy", "release", "ship"]),
    (
        "dashboard",
        &[
            "dashboard",
            "weekly",
            "monitor",
            "track",
            "measure",
            "metric",
        ],
    ),
];

/// The foci whose cue words occur in the normalized prompt; `dashboard` when none does.
pub fn foci(text: &str) -> Vec<String> {
    let padded = format!(" {text} ");
    let found: Vec<String> = FOCI
        .iter()
        .filter(|(_, cues)| cues.iter().any(|c| padded.contains(c)))
        .map(|(f, _)| (*f).to_string())
        .collect();
    if found.is_empty() {
        vec!["dashboard".to_string()]
    } else {
        found
    }
}

static EVERY_N: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:ship|deploy|release|push)\w*\b[^.?!]{0,30}?\b(?P<n>once|twice|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\b(?:\s+(?:times?|releases?|deploys?|deployments?))?\s+(?:a|per|each|every)\s+(?P<unit>day|week|sprint|month|quarter|year)\b",
    )
    .ok()
});
static EVERY_PERIOD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:ship|deploy|release|push)\w*\b[^.?!]{0,30}?\bevery\s+(?:(?P<n>other|two|three|four|six|\d{1,2})\s+)?(?P<unit>day|week|sprint|month|quarter|year)s?\b",
    )
    .ok()
});

fn small_number(word: &str) -> Option<f64> {
    Some(match word {
        "once" | "one" => 1.0,
        "twice" | "two" | "other" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        w => w.parse::<f64>().ok().filter(|v| *v > 0.0)?,
    })
}

/// Weeks in one unit; a day is a working day (five a week) and a sprint two weeks.
fn weeks_per(unit: &str) -> f64 {
    match unit {
        "day" => 0.2,
        "sprint" => 2.0,
        "month" => 52.0 / 12.0,
        "quarter" => 13.0,
        "year" => 52.0,
        _ => 1.0,
    }
}

/// Deploys a week stated in the normalized prompt ("we ship one release a month" = 12/52).
pub fn stated_deploys_per_week(text: &str) -> Option<f64> {
    if let Some(c) = EVERY_N.as_ref().and_then(|re| re.captures(text)) {
        let n = small_number(c.name("n")?.as_str())?;
        return Some(n / weeks_per(c.name("unit")?.as_str()));
    }
    let c = EVERY_PERIOD.as_ref().and_then(|re| re.captures(text))?;
    let n = match c.name("n") {
        Some(m) => small_number(m.as_str())?,
        None => 1.0,
    };
    Some(1.0 / (n * weeks_per(c.name("unit")?.as_str())))
}

/// A deploy rate in words: `3 deploys a week`, `1 deploy a month`, `2 deploys a year`.
pub fn deploy_rate_text(per_week: f64) -> String {
    let (n, period) = if per_week >= 1.0 {
        (per_week, "week")
    } else if per_week * 52.0 / 12.0 >= 1.0 - 1e-9 {
        (per_week * 52.0 / 12.0, "month")
    } else {
        (per_week * 52.0, "year")
    };
    let n = num(n);
    let plural = if n == "1" { "" } else { "s" };
    format!("{n} deploy{plural} a {period}")
}

/// The first Monday after `today` (a week later when today is a Monday).
pub fn next_monday(today: NaiveDate) -> NaiveDate {
    let ahead = 7 - i64::from(today.weekday().num_days_from_monday());
    today + Duration::days(ahead)
}

/// The i-th two-week window from `start`: Monday to the Friday of its second week.
pub fn window(start: NaiveDate, i: u32) -> (NaiveDate, NaiveDate) {
    let from = start + Duration::days(14 * i64::from(i));
    (from, from + Duration::days(11))
}

/// A number with at most one decimal: 21.666 -> `21.7`, 5.0 -> `5`.
pub fn num(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Rounds to one decimal, for stored thresholds.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
