//! The operating system's fixed parts: decision log, tool homes, benchmarks, experiments,
//! monitoring, alerts and the goal's first action, filled with the plan's dates and numbers.

use chrono::{Days, NaiveDate};

use super::rituals::MEMBER_CAP_HOURS;
use super::{Decision, Okrs, ToolHome};
use crate::benchmarks::board;
use crate::format::percent;
use crate::kinds::board_prep::{Benchmark, Experiment};
use crate::kinds::sections::{AlertRule, Monitor, alert, monitor};
use crate::model::{Goal, Stage};

/// `d` plus `n` days.
pub fn days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

/// The decision log, started with the decisions this plan makes.
pub fn decision_log(
    today: NaiveDate,
    weekly: NaiveDate,
    weekly_meeting: &str,
    rituals: usize,
    metrics: usize,
    q: &Okrs,
) -> Vec<Decision> {
    let revisit_q = q.end;
    let mut log = vec![
        Decision {
            date: today,
            decision: format!(
                "Run the company on this cadence from {weekly}: {weekly_meeting} every Monday, {} rituals in all",
                rituals
            ),
            owner: "CEO".to_string(),
            alternatives: "Keep meeting ad hoc; adopt full EOS with a certified implementer"
                .to_string(),
            revisit: revisit_q,
        },
        Decision {
            date: today,
            decision: format!(
                "Track {} weekly scorecard metrics, each updated by one owner before the weekly meeting",
                metrics
            ),
            owner: "CEO".to_string(),
            alternatives: "Monthly reporting only; a dashboard nobody owns".to_string(),
            revisit: days(weekly, 28),
        },
    ];
    if let Some(o) = q.objectives.first() {
        log.push(Decision {
            date: today,
            decision: format!("{} focus: {}", q.quarter, o.title),
            owner: o.owner.clone(),
            alternatives: q
                .objectives
                .iter()
                .skip(1)
                .map(|o| o.title.clone())
                .collect::<Vec<_>>()
                .join("; "),
            revisit: q.end,
        });
    }
    log
}

/// One home per need.
pub fn tool_homes() -> Vec<ToolHome> {
    vec![
        home(
            "Metrics and scorecard",
            "This cosos workspace, fed by Stripe and PostHog",
            "Numbers are quoted from the scorecard only; no side spreadsheets",
        ),
        home(
            "Goals and OKRs",
            "The OKR section of this artifact",
            "Key results are scored here every two weeks",
        ),
        home(
            "Decisions",
            "The decision log below",
            "A decision made in chat is logged within 24 hours or it is not made",
        ),
        home(
            "Documents and specs",
            "One wiki: the one the team already uses most",
            "Retire the others by moving live pages and archiving the rest",
        ),
        home(
            "Tasks",
            "One tracker: the one with the most active tasks",
            "Work not in the tracker is not planned",
        ),
        home(
            "Chat",
            "One chat tool",
            "Chat is for conversation; outcomes go to the log or the tracker",
        ),
    ]
}

/// Cadence benchmarks, then the stage's target benchmarks.
pub fn benchmarks(stage: Stage, mrr: f64) -> Vec<Benchmark> {
    let mut benchmarks = vec![
        bench(
            "Leadership meeting length (minutes)",
            board::L10_MINUTES as f64,
            format!("{} min weekly", board::L10_MINUTES),
            board::EOS_TRACTION,
        ),
        bench(
            "Scorecard size (weekly metrics)",
            board::SCORECARD_MAX as f64,
            format!("{}-{} metrics", board::SCORECARD_MIN, board::SCORECARD_MAX),
            board::EOS_TRACTION,
        ),
        bench(
            "Quarterly planning (minutes)",
            board::EOS_QUARTERLY_MINUTES as f64,
            "one full day".to_string(),
            board::EOS_TRACTION,
        ),
        bench(
            "Objectives a quarter",
            board::OKR_MAX_OBJECTIVES as f64,
            format!(
                "3-{} at most, {} key results each at most",
                board::OKR_MAX_OBJECTIVES,
                board::OKR_MAX_KEY_RESULTS
            ),
            board::DOERR_OKRS,
        ),
        bench(
            "Key-result score that counts as success",
            board::OKR_SUCCESS_SCORE,
            format!("{}", board::OKR_SUCCESS_SCORE),
            board::DOERR_OKRS,
        ),
        bench(
            "One-on-one length (minutes)",
            board::ONE_ON_ONE_MINUTES as f64,
            format!("at least {} min", board::ONE_ON_ONE_MINUTES),
            board::GROVE_ONE_ON_ONE,
        ),
    ];
    benchmarks.extend(stage_benchmarks(stage, mrr));
    benchmarks
}

/// Trials of the cadence, dated from the first weekly meeting.
pub fn experiments(weekly: NaiveDate, weekly_meeting: &str, tools: bool) -> Vec<Experiment> {
    let mut experiments = vec![
        Experiment {
            name: format!(
                "Four-week trial of the {}: everyone rates each meeting 1-10 at the end",
                weekly_meeting
            ),
            start: weekly,
            end: days(weekly, 21),
            metric: "Average meeting rating".to_string(),
            success: "Average of 8 or more; otherwise change one agenda item and rerun".to_string(),
        },
        Experiment {
            name: "Scorecard discipline: owners update their numbers before Monday 10:00"
                .to_string(),
            start: weekly,
            end: days(weekly, 27),
            metric: "Share of scorecard metrics updated on time".to_string(),
            success: "At least 90% in each of four weeks".to_string(),
        },
    ];
    if tools {
        experiments.push(Experiment {
            name: "Metrics freeze: for four weeks numbers are quoted only from the scorecard"
                .to_string(),
            start: weekly,
            end: days(weekly, 27),
            metric: "Meetings where a number came from another tool".to_string(),
            success: "None in the last two weeks".to_string(),
        });
    }
    experiments
}

/// What to watch.
pub fn monitoring() -> Vec<Monitor> {
    let monitoring = vec![
        monitor("Scorecard metrics on target", "weekly", "the scorecard"),
        monitor(
            "Recurring meeting hours per person",
            "monthly",
            "the shared calendar",
        ),
        monitor(
            "Key results on pace",
            "biweekly",
            "OKR check in the weekly meeting",
        ),
        monitor("Decisions due for revisit", "weekly", "the decision log"),
    ];
    monitoring
}

/// Alert rules.
pub fn alerts() -> Vec<AlertRule> {
    let alerts = vec![
        alert(
            "scorecard-off-target-2-weeks",
            "scorecard_metrics_off_target_2_weeks_running",
            "above",
            0.0,
        ),
        alert(
            "meeting-load-high",
            "meeting_hours_per_person_per_week",
            "above",
            MEMBER_CAP_HOURS,
        ),
        alert(
            "key-results-behind-pace",
            "key_result_progress_vs_time_elapsed",
            "below",
            board::OKR_SUCCESS_SCORE,
        ),
        alert(
            "weekly-meeting-skipped",
            "weekly_meetings_held_share",
            "below",
            1.0,
        ),
    ];

    alerts
}

/// The goal's first weekly ritual, on the Thursday after the first weekly meeting.
pub fn goal_action(goal: Option<Goal>, weekly: NaiveDate) -> Option<(NaiveDate, String)> {
    let thursday = days(weekly, 3);
    let text = match goal? {
        Goal::RaiseFunding => {
            "Hold the first fundraising pipeline review with the target investor list"
        }
        Goal::GrowRevenue => {
            "Hold the first pipeline review: top deals with next step and close date"
        }
        Goal::FindPmf => {
            "Hold the first customer learning review with this week's conversation notes"
        }
        Goal::ImproveRetention => {
            "Hold the first at-risk accounts review with usage trends per account"
        }
        Goal::ShipFaster => "Hold the first weekly demo of everything shipped that week",
        Goal::ReduceChaos | Goal::Other => return None,
    };
    Some((thursday, format!("On {thursday}: {text}.")))
}

fn home(need: &str, home: &str, rule: &str) -> ToolHome {
    ToolHome {
        need: need.to_string(),
        home: home.to_string(),
        rule: rule.to_string(),
    }
}

fn bench(metric: &str, value: f64, display: String, source: &str) -> Benchmark {
    Benchmark {
        metric: metric.to_string(),
        value,
        display,
        source: source.to_string(),
    }
}

fn stage_benchmarks(stage: crate::model::Stage, mrr: f64) -> Vec<Benchmark> {
    use crate::benchmarks as b;
    use crate::model::Stage;
    let activation = bench(
        "Activation rate (SaaS average)",
        board::ACTIVATION_AVERAGE,
        percent(board::ACTIVATION_AVERAGE),
        board::ACTIVATION,
    );
    match stage {
        Stage::PreLaunch => vec![
            bench(
                "Weekly growth, good early-stage pace",
                b::YC_WEEKLY_GOOD.0,
                format!(
                    "{}-{} a week",
                    percent(b::YC_WEEKLY_GOOD.0),
                    percent(b::YC_WEEKLY_GOOD.1)
                ),
                b::YC_GROWTH,
            ),
            bench(
                "\"Very disappointed\" share that signals fit",
                board::SEAN_ELLIS_THRESHOLD,
                percent(board::SEAN_ELLIS_THRESHOLD),
                board::SEAN_ELLIS_PMF,
            ),
            activation,
        ],
        Stage::EarlyRevenue | Stage::Seed => {
            let g = b::median_monthly_growth(mrr);
            vec![
                bench(
                    &format!("Median monthly MRR growth, {}", b::mrr_band_label(mrr)),
                    g.value,
                    percent(g.value),
                    g.source,
                ),
                bench(
                    "Net revenue retention (median)",
                    board::NRR_MEDIAN.0,
                    format!(
                        "{}-{}",
                        percent(board::NRR_MEDIAN.0),
                        percent(board::NRR_MEDIAN.1)
                    ),
                    board::SAAS_CAPITAL_NRR,
                ),
                activation,
            ]
        }
        Stage::SeriesA => vec![
            bench(
                "ARR growth a year (T2D3 triple years)",
                3.0,
                "3x".to_string(),
                b::T2D3,
            ),
            bench(
                "Burn multiple, great",
                board::BURN_MULTIPLE_GREAT,
                format!("at most {}x", board::BURN_MULTIPLE_GREAT),
                board::SACKS_BURN_MULTIPLE,
            ),
            bench(
                "Gross revenue retention, enterprise",
                board::GRR_ENTERPRISE_FLOOR,
                format!("above {}", percent(board::GRR_ENTERPRISE_FLOOR)),
                board::BESSEMER_RETENTION,
            ),
        ],
        Stage::SeriesBPlus => vec![
            bench(
                "Rule of 40 (growth + margin)",
                board::RULE_OF_40_VALUE,
                format!("at least {}", percent(board::RULE_OF_40_VALUE)),
                board::RULE_OF_40,
            ),
            bench(
                "ARR growth a year (T2D3 double years)",
                2.0,
                "2x".to_string(),
                b::T2D3,
            ),
            bench(
                "Burn multiple, amazing",
                board::BURN_MULTIPLE_AMAZING,
                format!("under {}x", board::BURN_MULTIPLE_AMAZING),
                board::SACKS_BURN_MULTIPLE,
            ),
        ],
    }
}
