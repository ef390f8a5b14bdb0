//! Tests of the product velocity numbers against hand-checked values.

use chrono::NaiveDate;

use super::plan::*;
use super::{ProductVelocity, generate, render_markdown};
use crate::benchmarks::dora::{Band, deploy_band};
use crate::kinds::KindInput;
use crate::model::{Context, Goal, Params, Stage};
use crate::parse::{extract_params, normalize};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn run(prompt: &str, context: Context) -> ProductVelocity {
    let today = d(2026, 11, 26);
    let params: Params = extract_params(prompt, today);
    let input = KindInput {
        prompt,
        context: &context,
        params: &params,
        today,
        live: None,
    };
    let out = generate(&input).unwrap();
    serde_json::from_value(out.content).unwrap()
}

fn stage(s: Stage) -> Context {
    Context {
        stage: Some(s),
        ..Context::default()
    }
}

#[test]
fn team_size_estimates_by_stage() {
    assert_eq!(stage_team_size(Some(Stage::PreLaunch)), 2);
    assert_eq!(stage_team_size(None), 4);
    assert_eq!(stage_team_size(Some(Stage::Seed)), 6);
    assert_eq!(stage_team_size(Some(Stage::SeriesA)), 15);
    assert_eq!(stage_team_size(Some(Stage::SeriesBPlus)), 40);
}

#[test]
fn target_band_rule() {
    assert_eq!(target_band(Some(Stage::Seed), 6), Band::High);
    assert_eq!(target_band(Some(Stage::Seed), 8), Band::Elite);
    assert_eq!(target_band(Some(Stage::SeriesA), 6), Band::Elite);
    assert_eq!(target_band(Some(Stage::SeriesA), 2), Band::High);
    assert_eq!(target_band(None, 4), Band::High);
}

#[test]
fn sizing_for_six_engineers_high_band() {
    let s = size(6, Band::High);
    assert!(close(s.prs_per_week, 18.0));
    assert!(close(s.deploys_per_week, 5.0));
    // 5 x 52 / 12 = 21.666..., x 0.15 = 3.25 -> 3.
    assert!(close(s.deploys_per_month, 260.0 / 12.0));
    assert_eq!(s.max_failed_deploys_per_month, 3);
    assert!(close(s.lead_time_hours, 168.0));
    assert!(close(s.restore_hours, 24.0));
    assert!(close(s.cycle_time_hours, 118.0));
    // Little: 18 x 118 / 168 = 12.64 -> capped at the team size 6; 6 / 18 x 168 = 56 h.
    assert_eq!(s.wip_limit, 6);
    assert!(close(s.little_cycle_hours, 56.0));
}

#[test]
fn sizing_for_fifteen_engineers_elite_band() {
    let s = size(15, Band::Elite);
    assert!(close(s.prs_per_week, 45.0));
    assert!(close(s.deploys_per_week, 45.0));
    assert!(close(s.deploys_per_month, 195.0));
    // 195 x 0.15 = 29.25 -> 29.
    assert_eq!(s.max_failed_deploys_per_month, 29);
    assert!(close(s.lead_time_hours, 24.0));
    assert!(close(s.restore_hours, 1.0));
    // Little: 45 x 48 / 168 = 12.857 -> 12; 12 / 45 x 168 = 44.8 h.
    assert_eq!(s.wip_limit, 12);
    assert!(close(s.little_cycle_hours, 44.8));
}

#[test]
fn small_elite_team_deploys_at_least_ten_a_week() {
    let s = size(3, Band::Elite);
    assert!(close(s.deploys_per_week, 10.0));
    // 10 x 52 / 12 = 43.33, x 0.15 = 6.5 -> 6; Little: 9 x 48 / 168 = 2.57 -> 2.
    assert_eq!(s.max_failed_deploys_per_month, 6);
    assert_eq!(s.wip_limit, 2);
    let two = size(2, Band::High);
    assert_eq!(two.wip_limit, 2);
}

#[test]
fn sprint_capacity() {
    let c = capacity(6, &size(6, Band::High));
    assert_eq!(c.capacity_days, 60);
    assert!(close(c.commit_days, 48.0));
    assert!(close(c.prs_per_sprint, 36.0));
}

#[test]
fn stated_deploy_rates() {
    let rate = |s: &str| stated_deploys_per_week(&normalize(s));
    assert!(close(
        rate("We ship one release a month").unwrap(),
        12.0 / 52.0
    ));
    assert!(close(rate("we deploy 3 times a week").unwrap(), 3.0));
    assert!(close(rate("We deploy twice a day").unwrap(), 10.0));
    assert!(close(rate("we release every two weeks").unwrap(), 0.5));
    assert!(close(rate("we ship once a quarter").unwrap(), 1.0 / 13.0));
    assert_eq!(rate("deploys are scary and infrequent"), None);
    assert_eq!(rate("how many features did we ship this quarter?"), None);
    assert_eq!(
        rate("Our engineering team of 6 keeps missing sprint goals"),
        None
    );
}

#[test]
fn deploy_bands_and_words() {
    assert_eq!(deploy_band(10.0), Band::Elite);
    assert_eq!(deploy_band(3.0), Band::High);
    assert_eq!(deploy_band(12.0 / 52.0), Band::Medium);
    assert_eq!(deploy_band(0.1), Band::Low);
    assert_eq!(deploy_rate_text(12.0 / 52.0), "1 deploy a month");
    assert_eq!(deploy_rate_text(3.0), "3 deploys a week");
    assert_eq!(deploy_rate_text(1.0 / 13.0), "4 deploys a year");
}

#[test]
fn dates() {
    assert_eq!(next_monday(d(2026, 11, 26)), d(2026, 11, 30));
    assert_eq!(next_monday(d(2026, 11, 30)), d(2026, 12, 7));
    assert_eq!(
        window(d(2026, 11, 30), 0),
        (d(2026, 11, 30), d(2026, 12, 11))
    );
    assert_eq!(
        window(d(2026, 11, 30), 1),
        (d(2026, 12, 14), d(2026, 12, 25))
    );
}

#[test]
fn prompt_words_pick_sections() {
    let f = |s: &str| foci(&normalize(s));
    assert_eq!(
        f("Our engineering team of 6 keeps missing sprint goals"),
        ["planning"]
    );
    assert_eq!(
        f("Create a dashboard for our weekly team standup"),
        ["standup", "dashboard"]
    );
    assert_eq!(
        f("How fast are we shipping? Track cycle time and deploy frequency"),
        ["cycle-time", "deploys", "dashboard"]
    );
    assert_eq!(
        f("Monitor our product velocity and flag bottlenecks"),
        ["bottlenecks", "dashboard"]
    );
    assert_eq!(f("eng velocity"), ["dashboard"]);
}

#[test]
fn sprint_prompt_builds_a_sprint_and_round_trips() {
    let c = run(
        "Our engineering team of 6 keeps missing sprint goals",
        stage(Stage::Seed),
    );
    assert_eq!(c.current.team_size, 6);
    assert_eq!(c.current.team_source, "prompt");
    assert_eq!(c.target.band, "high");
    let sprint = c.sprint.as_ref().unwrap();
    assert_eq!(
        (sprint.start, sprint.end),
        (d(2026, 11, 30), d(2026, 12, 11))
    );
    assert!(close(sprint.commit_days, 48.0));
    assert!(
        c.alerts
            .iter()
            .any(|a| a.id == "planning-accuracy-below-80")
    );
    let value = serde_json::to_value(&c).unwrap();
    let back: ProductVelocity = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, c);
    let md = render_markdown(&value).unwrap();
    assert!(md.contains("## Next sprint"));
    let last = md.rfind("## ").unwrap();
    assert!(md[last..].starts_with("## Next actions"));
}

#[test]
fn seed_and_series_a_differ_in_estimates_and_benchmarks() {
    let prompt = "Monitor our product velocity and flag bottlenecks";
    let seed = run(prompt, stage(Stage::Seed));
    let series_a = run(prompt, stage(Stage::SeriesA));
    assert_eq!(seed.current.team_size, 6);
    assert_eq!(series_a.current.team_size, 15);
    assert_eq!(seed.current.team_source, "stage-estimate");
    assert_ne!(seed.current.band, series_a.current.band);
    assert_ne!(seed.benchmarks, series_a.benchmarks);
    assert!(seed.benchmarks.iter().all(|b| b.band != "elite"));
    assert!(series_a.benchmarks.iter().any(|b| b.band == "elite"));
    assert!(seed.benchmarks.iter().all(|b| !b.source.is_empty()));
}

#[test]
fn stated_team_and_monthly_releases_show_in_the_current_state() {
    let c = run(
        "our 4 developers ship one release a month, what's slowing delivery?",
        Context::default(),
    );
    assert_eq!(c.current.team_size, 4);
    assert_eq!(c.current.band, "medium");
    assert_eq!(c.current.band_source, "prompt");
    assert!(close(c.current.deploys_per_week.unwrap(), 0.231));
    assert!(c.dora[0].current.starts_with("1 deploy a month"));
}

#[test]
fn a_team_faster_than_the_band_keeps_its_pace() {
    let c = run("our team of 5 deploys 3 times a day", stage(Stage::Seed));
    assert_eq!(c.target.band, "high");
    assert!(close(c.dora[0].target_value, 15.0));
    // 15 x 52 / 12 = 65 deploys a month, x 0.15 = 9.75 -> 9.
    assert!(
        c.dora[2]
            .target
            .contains("no more than 9 failed deploys out of 65")
    );
}

#[test]
fn goal_and_challenge_change_the_result() {
    let base = run("how do we ship faster?", Context::default());
    let ctx = Context {
        stage: Some(Stage::Seed),
        goal: Some(Goal::ImproveRetention),
        challenge: Some("Our biggest customer\nthreatens to churn".to_string()),
    };
    let c = run("how do we ship faster?", ctx);
    assert_ne!(base.target.reasoning, c.target.reasoning);
    assert!(c.target.reasoning.contains("retention"));
    let actions: Vec<&str> = c.next_actions.iter().map(|a| a.text.as_str()).collect();
    assert!(
        actions
            .iter()
            .any(|a| a.contains("\"Our biggest customer threatens to churn\""))
    );
    assert!(actions.iter().any(|a| a.contains("failed deploys")));
    assert!(
        c.dashboard.rows[0]
            .metric
            .starts_with("Change failure rate")
    );
}

#[test]
fn every_number_is_finite() {
    for prompt in [
        "eng velocity",
        "our team of 1 ships too slowly",
        "team of 400 engineers, measure dora metrics",
        "we deploy 999 times a day",
    ] {
        let c = run(prompt, Context::default());
        assert!(c.current.team_size >= 1);
        assert!(c.team_targets.iter().all(|t| t.value.is_finite()));
        assert!(c.alerts.iter().all(|a| a.threshold.is_finite()));
        assert!(c.dora.iter().all(|r| r.target_value.is_finite()));
    }
}
