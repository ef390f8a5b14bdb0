//! Hand-checked numbers of the activation funnel.

use chrono::NaiveDate;

use super::*;
use crate::model::{Context, Goal, Stage};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn run_with(prompt: &str, context: &Context) -> (String, ActivationFunnel) {
    let params = crate::parse::extract_params(prompt, today());
    let input = KindInput {
        prompt,
        context,
        params: &params,
        today: today(),
        live: None,
    };
    let out = generate(&input).unwrap();
    (out.title, serde_json::from_value(out.content).unwrap())
}

fn run(prompt: &str, stage: Option<Stage>) -> (String, ActivationFunnel) {
    run_with(
        prompt,
        &Context {
            stage,
            ..Context::default()
        },
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn sample_size_matches_hand_checked_values() {
    // p = 0.325: (1.95996 * sqrt(0.43875) + 0.84162 * sqrt(0.4275))^2 / 0.0225 = 151.87.
    assert_eq!(sample_size_per_arm(0.25, 0.40), Some(152));
    assert_eq!(sample_size_per_arm(0.40, 0.25), Some(152));
    // p = 0.33: (1.95996 * 0.66498 + 0.84162 * 0.66363)^2 / 0.0036 = 962.92.
    assert_eq!(sample_size_per_arm(0.30, 0.36), Some(963));
    assert_eq!(sample_size_per_arm(0.30, 0.30), None);
    assert_eq!(sample_size_per_arm(0.30, 1.2), None);
}

#[test]
fn estimates_are_scaled_through_a_stated_rate() {
    // Seed estimates multiply to 0.273; a = ln(0.25) / ln(0.273) = 1.06779.
    let rates = fill_rates(&[0.60, 0.65, 0.70], &[(3, 0.25)]);
    assert!(close(rates[0].0, 0.579_578));
    assert!(close(rates[1].0, 0.631_293));
    assert!(close(rates[2].0, 0.683_278));
    assert!(close(rates.iter().map(|r| r.0).product::<f64>(), 0.25));
    assert!(rates.iter().all(|r| r.1 == "scaled-estimate"));
    // A stated first step is taken as is; later steps keep their estimates.
    let rates = fill_rates(&[0.65, 0.70, 0.75], &[(1, 0.2)]);
    assert_eq!(
        rates,
        vec![
            (0.2, "prompt"),
            (0.70, "stage-estimate"),
            (0.75, "stage-estimate")
        ]
    );
    // Two anchors: 50% after step 1, 20% after step 3, so steps 2 and 3 multiply to 0.4.
    let rates = fill_rates(&[0.60, 0.65, 0.70], &[(1, 0.5), (3, 0.2)]);
    assert_eq!(rates[0], (0.5, "prompt"));
    assert!(close(rates[1].0 * rates[2].0, 0.4));
    // A later anchor above an earlier one is clamped: no step converts more than 100%.
    let rates = fill_rates(&[0.60, 0.65, 0.70], &[(1, 0.3), (2, 0.5)]);
    assert_eq!(rates[1], (1.0, "prompt"));
}

#[test]
fn onboarding_drop_gives_before_after_and_gap() {
    let (title, c) = run(
        "Activation went from 40% to 25% since the new onboarding shipped",
        Some(Stage::Seed),
    );
    assert_eq!(
        title,
        "Activation rate fell from 40% to 25%: recover it to 40%"
    );
    let ch = c.change.as_ref().unwrap();
    assert!(close(ch.before, 0.40));
    assert!(close(ch.after, 0.25));
    assert!(close(ch.drop_points, 15.0));
    assert!(close(ch.relative_drop, 0.375));
    assert!(close(ch.users_lost_per_1000, 150.0));
    assert!(close(c.current.activation_rate, 0.25));
    assert_eq!(c.current.source, "prompt");
    assert!(close(c.gap.vs_average_points, -11.0));
    assert!(close(c.gap.vs_median_points, -5.0));
    assert!(close(c.gap.users_short_per_1000, 50.0));
    assert!(close(c.target.activation_rate, 0.40));
    assert_eq!(c.target.source, "before-the-drop");
    assert!(close(c.target.users_gained_per_1000, 150.0));
    // The activated step is reached by exactly 250 of 1,000 sign-ups.
    assert_eq!(c.funnel.steps[3].reached_per_1000, Some(250.0));
    assert_eq!(c.experiments[0].sample_size_per_arm, 152);
    assert_eq!(c.experiments[0].total_sample, 304);
    assert!(close(c.experiments[0].mde_points, 15.0));
    assert!(c.hypotheses[0].statement.contains("onboarding"));
    let a = &c.alerts[0];
    assert_eq!(
        (a.id.as_str(), a.condition.as_str()),
        ("activation-rate-below", "below")
    );
    assert!(close(a.threshold, 0.25));
    assert_eq!(c.readout.window_closes.to_string(), "2026-12-16");
    assert_eq!(c.target.deadline.to_string(), "2027-02-26");
}

#[test]
fn one_in_five_is_setup_completion() {
    let (title, c) = run(
        "Only 1 in 5 trial users finishes setup",
        Some(Stage::SeriesA),
    );
    assert_eq!(
        title,
        "Setup completion at 20% of trial users: the step to fix"
    );
    assert_eq!(c.funnel.steps[0].name, "Starts a trial");
    assert_eq!(c.funnel.steps[1].rate, Some(0.2));
    assert_eq!(c.funnel.steps[1].source, "prompt");
    assert_eq!(c.funnel.steps[1].lost_per_1000, Some(800.0));
    // 0.2 * 0.70 * 0.75 = 0.105.
    assert!(close(c.current.activation_rate, 0.105));
    assert_eq!(c.current.source, "computed");
    // Guided experiment: 10.5% -> 15.5%; setup experiment: 20% -> 30%.
    assert!(close(c.experiments[0].target, 0.155));
    assert_eq!(
        c.experiments[1].sample_size_per_arm,
        sample_size_per_arm(0.2, 0.3).unwrap()
    );
}

#[test]
fn key_action_comes_from_the_prompt() {
    let (title, c) = run(
        "Where do new signups drop off before they create their first project?",
        None,
    );
    assert_eq!(
        title,
        "Activation funnel: from sign-up to the first project"
    );
    assert_eq!(c.funnel.steps[2].name, "Creates their first project");
    assert_eq!(c.funnel.steps[2].event, "create_first_project");
    assert!(
        c.definition
            .text
            .starts_with("A new user is activated when they create their first project")
    );
    assert!(c.change.is_none());
    // Early-revenue estimates: 0.55 * 0.60 * 0.65 = 0.2145.
    assert!(close(c.current.activation_rate, 0.2145));
    assert_eq!(c.funnel.steps[3].reached_per_1000, Some(214.5));
    assert_eq!(c.current.source, "stage-estimate");
}

#[test]
fn signup_to_paid_adds_a_paid_step_and_window_is_read() {
    let (title, c) = run("Monitor the signup to paid conversion funnel", None);
    assert_eq!(c.funnel.steps.len(), 5);
    assert_eq!(c.funnel.steps[4].event, "subscription_started");
    assert_eq!(title, "Sign-up to paid: the conversion funnel to monitor");
    assert_eq!(c.definition.window_days, 14);
    assert_eq!(c.definition.window_source, "default");
    let (_, c) = run("How many users activate within 7 days?", None);
    assert_eq!(c.definition.window_days, 7);
    assert_eq!(c.funnel.window_days, 7);
}

#[test]
fn paid_rate_and_target_come_from_the_prompt() {
    let (title, c) = run(
        "Only 4% of trial users convert to paid, want 10% by June",
        Some(Stage::Seed),
    );
    assert_eq!(
        title,
        "Conversion to paid at 4% of trial users: the step to fix"
    );
    assert_eq!(c.funnel.steps[4].reached_per_1000, Some(40.0));
    assert_eq!(c.target.paid_conversion, Some(0.10));
    assert_eq!(c.target.deadline.to_string(), "2027-06-30");
    // The four estimated conversions are scaled to multiply to exactly 4%.
    let product: f64 = c.funnel.steps.iter().filter_map(|s| s.rate).product();
    assert!((product - 0.04).abs() < 1e-5);
}

#[test]
fn stage_changes_estimates_and_benchmarks() {
    let prompt = "Figure out why activation dropped";
    let (_, seed) = run(prompt, Some(Stage::Seed));
    let (_, series_a) = run(prompt, Some(Stage::SeriesA));
    assert!(close(seed.current.activation_rate, 0.273));
    assert!(close(series_a.current.activation_rate, 0.341_25));
    assert_ne!(seed.funnel, series_a.funnel);
    assert_ne!(seed.benchmarks, series_a.benchmarks);
    assert!(close(seed.gap.bar, 0.30));
    assert!(close(series_a.gap.bar, 0.36));
}

#[test]
fn context_shows_in_summary_and_actions() {
    let context = Context {
        stage: Some(Stage::Seed),
        goal: Some(Goal::GrowRevenue),
        challenge: Some("Too many  screens\nbefore value".to_string()),
    };
    let (_, c) = run_with(
        "Figure out why our activation rate dropped last month",
        &context,
    );
    assert!(c.summary.contains("\"Too many screens before value\""));
    assert!(c.summary.contains("revenue growth"));
    assert!(
        c.next_actions
            .last()
            .unwrap()
            .text
            .contains("\"Too many screens before value\"")
    );
    assert!(
        c.hypotheses[0]
            .test
            .contains("September 2026 and October 2026")
    );
}

#[test]
fn content_round_trips_and_renders() {
    let (_, c) = run(
        "Activation went from 40% to 25% since the new onboarding shipped",
        None,
    );
    let value = serde_json::to_value(&c).unwrap();
    let back: ActivationFunnel = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, c);
    let md = render_markdown(&value).unwrap();
    assert!(md.contains("| Activation rate | 40% | 25% | -15 points | -37.5% | -150 |"));
    assert!(md.trim_end().starts_with("## Summary"));
}

#[test]
fn users_show_one_decimal_at_most() {
    assert_eq!(plan::users(150.0), "150");
    assert_eq!(plan::users(214.5), "214.5");
    assert_eq!(plan::users(1000.0), "1,000");
    assert_eq!(plan::pts(-11.0), "11");
    assert_eq!(plan::pts(8.55), "8.55");
}

#[test]
fn every_labelled_prompt_at_every_stage_round_trips() {
    const PROMPTS: &str = include_str!("../../../../../shared/data/prompts.jsonl");
    let extra = [
        "activation is 100%",
        "churn is 0%",
        "NRR 150% and churn 250%",
        "activation 0% -> 0%",
    ];
    let rows: Vec<String> = PROMPTS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["prompt"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .chain(extra.iter().map(|s| s.to_string()))
        .collect();
    let stages = [None].into_iter().chain(Stage::ALL.into_iter().map(Some));
    for stage in stages {
        for prompt in &rows {
            let (_, c) = run(prompt, stage);
            let value = serde_json::to_value(&c).unwrap();
            let back: ActivationFunnel =
                serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{prompt}: {e}"));
            assert_eq!(back, c, "{prompt}");
            let md = render_markdown(&value).unwrap();
            assert!(md.contains("## Next actions\n\n- [ ] "), "{prompt}");
            assert!(!md.contains("NaN") && !md.contains("inf%"), "{prompt}");
        }
    }
}
