//! The DORA table, the targets sized to the team, the cycle-time phases and the benchmarks of a
//! product velocity dashboard.

use super::analysis::{Ctx, phase, pr_size};
use super::plan::{self, num, round1};
use super::{BandCell, Benchmark, CyclePhase, DoraRow, TeamTarget};
use crate::benchmarks::dora::{self, Band, Key};
use crate::format::percent;

/// The four keys with bands, where the team is, and the sized target.
pub(super) fn dora_rows(c: &Ctx<'_>, stated: Option<f64>) -> Vec<DoraRow> {
    let s = c.sizing;
    let assumed = c.band.below();
    Key::ALL
        .into_iter()
        .map(|key| {
            let bands = Band::ALL
                .into_iter()
                .map(|b| {
                    let f = dora::band_figure(key, b);
                    BandCell {
                        band: b.as_str().to_string(),
                        value: f.value.to_string(),
                        source: f.source.to_string(),
                    }
                })
                .collect();
            let current = match (key, stated) {
                (Key::DeploymentFrequency, Some(d)) => format!(
                    "{} ({}, your prompt)",
                    plan::deploy_rate_text(d),
                    dora::deploy_band(d).as_str()
                ),
                _ => format!(
                    "{} ({}, assumed)",
                    dora::band_figure(key, assumed).value,
                    assumed.as_str()
                ),
            };
            let (target, value, unit) = match key {
                Key::DeploymentFrequency if c.elite() => (
                    format!(
                        "{} deploys a week: every merged pull request ships",
                        num(s.deploys_per_week)
                    ),
                    s.deploys_per_week,
                    "deploys/week",
                ),
                Key::DeploymentFrequency => (
                    format!(
                        "{} deploys a week: one every working day",
                        num(s.deploys_per_week)
                    ),
                    s.deploys_per_week,
                    "deploys/week",
                ),
                Key::LeadTime => (
                    format!(
                        "Under {} hours ({})",
                        num(s.lead_time_hours),
                        if c.elite() { "one day" } else { "one week" }
                    ),
                    s.lead_time_hours,
                    "hours",
                ),
                Key::ChangeFailureRate => (
                    format!(
                        "At most 15%: no more than {} failed deploys out of {} a month",
                        s.max_failed_deploys_per_month,
                        num(s.deploys_per_month)
                    ),
                    dora::ELITE_MAX_CHANGE_FAILURE_RATE,
                    "share",
                ),
                Key::TimeToRestore => (
                    format!(
                        "Under {} hour{}",
                        num(s.restore_hours),
                        if s.restore_hours == 1.0 { "" } else { "s" }
                    ),
                    s.restore_hours,
                    "hours",
                ),
            };
            DoraRow {
                metric: key.label().to_string(),
                bands,
                current,
                target,
                target_value: value,
                unit: unit.to_string(),
            }
        })
        .collect()
}

fn target(metric: &str, value: f64, unit: &str, rule: String) -> TeamTarget {
    TeamTarget {
        metric: metric.to_string(),
        value,
        unit: unit.to_string(),
        rule,
    }
}

/// Targets sized to the team, each with its rule.
pub(super) fn team_targets(c: &Ctx<'_>) -> Vec<TeamTarget> {
    let s = c.sizing;
    let tier = if c.elite() { "elite" } else { "strong" };
    vec![
        target(
            "Merged pull requests",
            s.prs_per_week,
            "per week",
            format!(
                "{} engineers x {} a week (planning assumption)",
                c.team,
                num(dora::ASSUMED_PRS_PER_ENGINEER_WEEK)
            ),
        ),
        target(
            "Deploys",
            s.deploys_per_week,
            "per week",
            if c.elite() {
                "every merged pull request deploys, and at least 10 a week (two a working day)"
                    .to_string()
            } else {
                "one deploy every working day, the top of the high band".to_string()
            },
        ),
        target(
            "Deploys",
            round1(s.deploys_per_month),
            "per month",
            "deploys a week x 52 / 12".to_string(),
        ),
        target(
            "Failed deploys allowed",
            f64::from(s.max_failed_deploys_per_month),
            "per month",
            format!(
                "deploys a month x 15%, rounded down ({} x 0.15 = {})",
                num(s.deploys_per_month),
                num(s.deploys_per_month * 0.15)
            ),
        ),
        target(
            "Lead time for changes",
            s.lead_time_hours,
            "h",
            format!("ceiling of the DORA {} band", c.band.as_str()),
        ),
        target(
            "Time to restore",
            s.restore_hours,
            "h",
            format!("ceiling of the DORA {} band", c.band.as_str()),
        ),
        target(
            "Cycle time",
            s.cycle_time_hours,
            "h",
            format!("LinearB {tier} tier"),
        ),
        target(
            "Work in progress limit",
            f64::from(s.wip_limit),
            "items",
            format!(
                "team size {}, lowered until Little's law meets the cycle-time target: {} PRs a week x {} h / 168 h = {} items; at {} items average cycle time is {} h",
                c.team,
                num(s.prs_per_week),
                num(s.cycle_time_hours),
                num(s.prs_per_week * s.cycle_time_hours / 168.0),
                s.wip_limit,
                num(s.little_cycle_hours)
            ),
        ),
        target(
            "Pull request size",
            pr_size(c.band),
            "changed lines",
            format!("LinearB {tier} tier"),
        ),
    ]
}

/// Cycle-time phases with targets for the band.
pub(super) fn cycle_phases(band: Band) -> Vec<CyclePhase> {
    let mut out: Vec<CyclePhase> = dora::CYCLE_PHASES
        .iter()
        .enumerate()
        .map(|(i, p)| CyclePhase {
            phase: p.phase.to_string(),
            definition: p.definition.to_string(),
            target_hours: phase(band, i),
            source: dora::LINEARB.to_string(),
        })
        .collect();
    out.push(CyclePhase {
        phase: "Cycle time".to_string(),
        definition: "first commit to running in production".to_string(),
        target_hours: if band == Band::Elite {
            dora::CYCLE_TIME_HOURS.0
        } else {
            dora::CYCLE_TIME_HOURS.1
        },
        source: dora::LINEARB.to_string(),
    });
    out
}

fn bench(metric: &str, band: &str, value: String, source: &str) -> Benchmark {
    Benchmark {
        metric: metric.to_string(),
        band: band.to_string(),
        value,
        source: source.to_string(),
    }
}

/// The target band and the band below it for each key, then LinearB's cycle-time tiers.
pub(super) fn benchmarks(band: Band, planning: bool) -> Vec<Benchmark> {
    let mut out = Vec::new();
    for b in [band, band.below()] {
        for key in Key::ALL {
            let f = dora::band_figure(key, b);
            out.push(bench(
                key.label(),
                b.as_str(),
                f.value.to_string(),
                f.source,
            ));
        }
    }
    let (tier, cycle, size) = if band == Band::Elite {
        (
            "elite",
            format!("under {} hours", num(dora::CYCLE_TIME_HOURS.0)),
            format!("under {} changed lines", num(dora::PR_SIZE_LINES.0)),
        )
    } else {
        (
            "strong",
            format!("49 to {} hours", num(dora::CYCLE_TIME_HOURS.1)),
            format!("225 to {} changed lines", num(dora::PR_SIZE_LINES.1)),
        )
    };
    out.push(bench("Cycle time", tier, cycle, dora::LINEARB));
    out.push(bench(
        "Pickup time",
        tier,
        format!("{} hours or less", num(phase(band, 1))),
        dora::LINEARB,
    ));
    out.push(bench("Pull request size", tier, size, dora::LINEARB));
    if planning {
        let (elite, strong) = dora::PLANNING_ACCURACY;
        out.push(bench(
            "Planning accuracy",
            "elite",
            format!("above {}", percent(elite)),
            dora::LINEARB,
        ));
        out.push(bench(
            "Planning accuracy",
            "strong",
            format!("{} to 79%", percent(strong)),
            dora::LINEARB,
        ));
    }
    out
}
