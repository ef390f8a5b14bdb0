//! Unit tests of the operating system's computed numbers and dates, against hand-checked values.

use chrono::{NaiveDate, Weekday};

use super::cadence::rituals;
use super::content::wants_consolidation;
use super::growth::growth_plan;
use super::okrs::quarter;
use super::rituals::{
    Starts, band, ceo_reports, estimated_team_size, first_monday_next_month, fit_to_cap,
    leader_hours, leadership_size, member_hours, monday_on_or_before, next_weekday,
};
use super::scorecard::scorecard;
use super::*;
use crate::model::{Context, Goal, Params, Stage};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 26)
}

fn os(prompt: &str, context: Context, params: Params) -> OperatingSystem {
    let input = KindInput {
        prompt,
        context: &context,
        params: &params,
        today: today(),
        live: None,
    };
    serde_json::from_value(generate(&input).unwrap().content).unwrap()
}

fn team(n: u32) -> Params {
    Params {
        team_size: Some(n),
        ..Params::default()
    }
}

fn ctx(stage: Stage, goal: Option<Goal>, challenge: Option<&str>) -> Context {
    Context {
        stage: Some(stage),
        goal,
        challenge: challenge.map(str::to_string),
    }
}

fn starts() -> Starts {
    Starts {
        today: today(),
        quarter_kickoff: d(2027, 1, 4),
        year_kickoff: d(2027, 1, 4),
        weekly: d(2026, 11, 30),
        monthly: d(2026, 12, 7),
        quarterly: d(2026, 12, 14),
        board: d(2027, 1, 21),
        annual: d(2026, 12, 14),
    }
}

#[test]
fn quarter_is_current_unless_under_thirty_days_remain() {
    let q = quarter(today());
    assert_eq!(
        (
            q.quarter.as_str(),
            q.start,
            q.end,
            q.days,
            q.weeks,
            q.next_quarter
        ),
        ("Q4 2026", today(), d(2026, 12, 31), 35, 5, false)
    );
    let late = quarter(d(2026, 12, 5));
    assert_eq!(
        (
            late.quarter.as_str(),
            late.start,
            late.end,
            late.days,
            late.weeks,
            late.next_quarter
        ),
        ("Q1 2027", d(2027, 1, 1), d(2027, 3, 31), 89, 13, true)
    );
}

#[test]
fn team_sizing_rules() {
    assert_eq!(estimated_team_size(Stage::Seed), 12);
    assert_eq!(
        (band(8), band(9), band(30), band(31)),
        ("small", "mid", "mid", "large")
    );
    assert_eq!([5, 12, 30, 35, 120].map(leadership_size), [5, 3, 6, 6, 10]);
    assert_eq!([1, 2, 5, 12].map(ceo_reports), [0, 0, 2, 2]);
}

#[test]
fn calendar_helpers() {
    assert_eq!(next_weekday(today(), Weekday::Mon), d(2026, 11, 30));
    assert_eq!(next_weekday(d(2026, 11, 30), Weekday::Mon), d(2026, 12, 7));
    assert_eq!(first_monday_next_month(today()), d(2026, 12, 7));
    assert_eq!(monday_on_or_before(d(2026, 12, 17)), d(2026, 12, 14));
}

#[test]
fn meeting_hours_are_computed_per_person() {
    // Team of 5: weekly 60 + one-on-ones 60 every 2 weeks + demo 45 x 12/52 + quarterly 240 x
    // 4/52 + annual 480 / 52 = 2.1346 h; the CEO adds the founders' monthly review (60 x 12/52)
    // and one-on-ones with 2 reports instead of 1: 2.8654 h.
    let small = rituals(5, Stage::EarlyRevenue, None, starts());
    assert_eq!(member_hours(&small), 2.13);
    assert_eq!(leader_hours(&small, 2, true), 2.87);
    // Team of 12 at seed: all-hands 30 + team 45 + one-on-ones 30 + kickoff 90 x 4/52 +
    // company kickoff 240 / 52 = 1.9423 h; CEO 4.6154 h.
    let mid = rituals(12, Stage::Seed, None, starts());
    assert_eq!(member_hours(&mid), 1.94);
    assert_eq!(leader_hours(&mid, 2, false), 4.62);
    for r in small.iter().chain(&mid) {
        assert_eq!(
            r.duration_minutes,
            r.agenda.iter().map(|s| s.minutes).sum::<u32>(),
            "{}",
            r.name
        );
    }
}

#[test]
fn every_size_and_stage_stays_within_the_cap() {
    for stage in Stage::ALL {
        for goal in [None, Some(Goal::ShipFaster), Some(Goal::RaiseFunding)] {
            for n in [1, 2, 3, 5, 8, 9, 12, 30, 31, 60, 120, 400] {
                let o = os("operating cadence", ctx(stage, goal, None), team(n));
                assert!(o.meeting_load.within_cap, "{n} {stage:?}");
                assert!(
                    (board_len(&o)).contains(&o.scorecard.len()),
                    "{n} {stage:?}"
                );
                assert!((2..=3).contains(&o.okrs.objectives.len()));
            }
        }
    }
}

fn board_len(_: &OperatingSystem) -> std::ops::RangeInclusive<usize> {
    crate::benchmarks::board::SCORECARD_MIN..=crate::benchmarks::board::SCORECARD_MAX
}

#[test]
fn over_the_cap_the_longest_weekly_ritual_shrinks() {
    let mut small = rituals(5, Stage::EarlyRevenue, None, starts());
    let changes = fit_to_cap(&mut small, &["everyone"], 1.5, member_hours);
    // 60 -> 45 -> 30 minutes, then nothing weekly is longer than 30.
    assert_eq!(changes.len(), 2);
    assert_eq!(small[0].duration_minutes, 30);
    assert_eq!(small[0].agenda.iter().map(|s| s.minutes).sum::<u32>(), 30);
    assert_eq!(member_hours(&small), 1.63);
}

#[test]
fn small_teams_have_no_separate_leadership_meeting() {
    let five = os("rituals", ctx(Stage::EarlyRevenue, None, None), team(5));
    assert!(!five.team.separate_leadership_meeting);
    assert_eq!(five.rituals[0].name, "Weekly team meeting");
    assert!(!five.rituals.iter().any(|r| r.audience == "leadership"));
    let twelve = os("rituals", ctx(Stage::Seed, None, None), team(12));
    assert!(twelve.team.separate_leadership_meeting);
    assert_eq!(twelve.rituals[0].name, "Leadership meeting (Level 10)");
    assert_eq!(twelve.rituals[0].duration_minutes, 90);
    assert_eq!(twelve.scorecard.len(), 10);
    assert_eq!(five.scorecard.len(), 6);
}

#[test]
fn scorecard_targets_from_benchmarks() {
    // Seed, $25k MRR: ChartMogul median 3.1% a month = 1.031^(12/52) - 1 = 0.707% a week;
    // new MRR a week 25,000 x (3.1% + 3% churn) / (52/12) = $351.92 -> 3.52 customers -> 4;
    // pipeline 3 x 351.92 = $1,056.
    let g = growth_plan(
        Stage::Seed,
        None,
        25_000.0,
        "stage-estimate",
        None,
        None,
        None,
    );
    assert!((g.weekly() - 0.007070077).abs() < 1e-9);
    assert_eq!(g.customers_per_week(), 4.0);
    let card = scorecard(Stage::Seed, 12, &g);
    assert_eq!(card[0].target, 0.0071);
    assert_eq!(card[1].target, 4.0);
    assert_eq!(card[2].target, 1056.0);
    // Series A, $150k MRR: ARR $1.8M tripling a year = 1.8M x (3^(1/52) - 1) = $38,433 a week.
    let a = growth_plan(
        Stage::SeriesA,
        None,
        150_000.0,
        "stage-estimate",
        None,
        None,
        None,
    );
    assert_eq!(a.net_new_arr_per_week(), 38_433.0);
    // A stated target wins: $10k -> $20k in 12 months = 2^(1/12) - 1 = 5.95% a month.
    let t = growth_plan(
        Stage::Seed,
        None,
        10_000.0,
        "prompt",
        Some(20_000.0),
        Some(12),
        None,
    );
    assert!((t.monthly - 0.0594631).abs() < 1e-6);
    assert!(t.from_target);
}

#[test]
fn okrs_follow_goal_and_challenge() {
    let o = os(
        "okrs",
        ctx(
            Stage::Seed,
            Some(Goal::GrowRevenue),
            Some("sales calls\nget no follow-up"),
        ),
        team(12),
    );
    let objectives = &o.okrs.objectives;
    // Twice the 3.1% median = 6.2% a month over 35 / 30.4375 = 1.1499 months: 25,000 x
    // 1.062^1.1499 = $26,790.48 -> $26,790; customers 25,000 x 9.2% / (52/12) / $100 = 5.31 -> 6 a
    // week, x 5 weeks = 30.
    assert_eq!(
        objectives[0].title,
        "Grow MRR from $25,000 to $26,790 by 2026-12-31"
    );
    assert_eq!(objectives[0].key_results[0].target, 26_790.0);
    assert_eq!(objectives[0].key_results[1].target, 30.0);
    // Pipeline: 3 x $530.77 of new MRR a week = $1,592 a week, x 5 weeks = $7,960.
    assert_eq!(objectives[0].key_results[2].target, 7_960.0);
    assert_eq!(
        objectives[1].title,
        "Remove the blocker: \"sales calls get no follow-up\""
    );
    assert_eq!(objectives[1].key_results[0].due, d(2026, 12, 10));
    assert_eq!(objectives[1].key_results[1].target, 4.0);
    assert_eq!(
        objectives[2].title,
        "Run the company on one operating rhythm"
    );
    assert_eq!(objectives[2].key_results[0].target, 5.0);
    assert!(
        o.next_actions
            .iter()
            .any(|a| a.text.contains("\"sales calls get no follow-up\""))
    );
    assert!(o.rituals.iter().any(|r| r.name == "Pipeline review"));
}

#[test]
fn retention_goal_reads_the_rates_in_the_prompt() {
    let params = Params {
        rates: vec![0.07, 0.03],
        team_size: Some(6),
        ..Params::default()
    };
    let o = os(
        "churn is 7%, want 3%",
        ctx(Stage::EarlyRevenue, Some(Goal::ImproveRetention), None),
        params,
    );
    let kr = &o.okrs.objectives[0].key_results[0];
    assert_eq!((kr.baseline, kr.target), (Some(0.07), 0.03));
    assert_eq!(kr.text, "Logo churn from 7% to 3% a month by 2026-12-31");
}

#[test]
fn tools_consolidation_and_dates() {
    assert!(wants_consolidation(
        "We have no single source of truth and too many tools",
        None
    ));
    assert!(!wants_consolidation("Design our weekly cadence", None));
    let o = os(
        "We have no single source of truth and too many tools, help us run the company",
        Context::default(),
        Params::default(),
    );
    assert!(o.tools.is_some());
    assert_eq!(o.team.size, 6);
    assert_eq!(o.team.size_source, "stage-estimate");
    assert_eq!(o.rituals[0].first, d(2026, 11, 30));
    let quarterly = o.rituals.iter().find(|r| r.cadence == "quarterly").unwrap();
    assert_eq!(quarterly.first, d(2026, 12, 14));
    assert_eq!(o.decision_log[0].revisit, d(2026, 12, 31));
    assert_eq!(o.decision_log[1].revisit, d(2026, 12, 28));
    assert!(
        o.next_actions
            .iter()
            .any(|a| a.text.starts_with("By 2026-12-03: List every tool"))
    );
    let rules = &o.okrs.objectives[2].key_results;
    assert_eq!(rules.last().unwrap().due, d(2026, 12, 24));
}

#[test]
fn stage_changes_estimates_and_benchmarks() {
    let seed = os(
        "Set up rituals",
        ctx(Stage::Seed, None, None),
        Params::default(),
    );
    let a = os(
        "Set up rituals",
        ctx(Stage::SeriesA, None, None),
        Params::default(),
    );
    assert_eq!((seed.team.size, a.team.size), (12, 35));
    assert_ne!(seed.benchmarks, a.benchmarks);
    assert_ne!(seed.scorecard, a.scorecard);
    assert!(
        a.rituals
            .iter()
            .any(|r| r.name == "Board meeting" && r.first == d(2027, 1, 21))
    );
}

#[test]
fn content_round_trips_and_renders() {
    let o = os(
        "rituals",
        ctx(Stage::Seed, Some(Goal::ReduceChaos), None),
        team(12),
    );
    let value = serde_json::to_value(&o).unwrap();
    let back: OperatingSystem = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, o);
    let md = render_markdown(&value).unwrap();
    assert!(md.contains("## Decision log"));
    assert!(
        md.trim_end()
            .ends_with(&format!("- [ ] {}", o.next_actions.last().unwrap().text))
    );
}

#[test]
fn owners_sit_in_the_leadership_meeting_and_dates_follow_the_calendar() {
    let twelve = os("rituals", ctx(Stage::Seed, None, None), team(12));
    assert_eq!(twelve.rituals[0].attendees, "CEO, CTO and Head of Sales");
    let owners: Vec<&str> = twelve.scorecard.iter().map(|s| s.owner.as_str()).collect();
    assert!(
        owners
            .iter()
            .all(|o| ["CEO", "CTO", "Head of Sales"].contains(o)),
        "{owners:?}"
    );
    let five = os("rituals", ctx(Stage::PreLaunch, None, None), team(5));
    assert_eq!(five.scorecard[0].metric, "Customer conversations");
    assert_eq!(five.scorecard[0].owner, "CEO");
    let demo = five
        .rituals
        .iter()
        .find(|r| r.name == "Demo and retro")
        .unwrap();
    assert_eq!(demo.first, d(2026, 12, 4));
    let big = os(
        "rituals",
        ctx(Stage::SeriesBPlus, None, None),
        Params::default(),
    );
    let kickoff = big
        .rituals
        .iter()
        .find(|r| r.name == "Company kickoff")
        .unwrap();
    assert_eq!(kickoff.first, d(2027, 1, 4));
    let planning = big
        .rituals
        .iter()
        .find(|r| r.name == "Department planning")
        .unwrap();
    assert_eq!(
        (planning.first, planning.owner.as_str()),
        (d(2027, 1, 4), "Each department head")
    );
    let all_hands = big.rituals.iter().find(|r| r.name == "All-hands").unwrap();
    assert_eq!(all_hands.first, d(2026, 12, 3));
    assert_eq!(
        super::content::lower_first("Executive meeting (Level 10)"),
        "executive meeting (Level 10)"
    );
}
