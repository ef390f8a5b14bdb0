//! Tests of the customer feedback numbers against hand-checked values.

use chrono::NaiveDate;

use super::nps::*;
use super::{CustomerFeedback, generate, render_markdown, stage_nps, stage_sample};
use crate::kinds::KindInput;
use crate::model::{Context, Goal, Stage};
use crate::parse::{extract_params, normalize};

fn close(a: f64, b: f64, eps: f64) -> bool {
    (a - b).abs() < eps
}

fn run(prompt: &str, context: Context) -> CustomerFeedback {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let params = extract_params(prompt, today);
    let input = KindInput {
        prompt,
        context: &context,
        params: &params,
        today,
        live: None,
    };
    serde_json::from_value(generate(&input).unwrap().content).unwrap()
}

fn stage(s: Stage) -> Context {
    Context {
        stage: Some(s),
        ..Context::default()
    }
}

#[test]
fn assumed_mix_keeps_30_percent_passives() {
    let m = assumed_mix(21.0);
    assert!(close(m.promoters, 0.455, 1e-9));
    assert!(close(m.passives, 0.30, 1e-9));
    assert!(close(m.detractors, 0.245, 1e-9));
    // 85 leaves room for only 15% passives: (1 - 0.15 + 0.85) / 2 = 0.85 promoters, 0 detractors.
    let high = assumed_mix(85.0);
    assert!(close(high.passives, 0.15, 1e-9));
    assert!(close(high.promoters, 0.85, 1e-9));
    assert!(close(high.detractors, 0.0, 1e-9));
    let low = assumed_mix(-100.0);
    assert!(close(low.detractors, 1.0, 1e-9));
}

#[test]
fn mixes_consistent_with_nps_21() {
    let mixes = consistent_mixes(21.0);
    assert_eq!(mixes.len(), 4);
    assert!(close(mixes[0].promoters, 0.26, 1e-9) && close(mixes[0].passives, 0.69, 1e-9));
    assert!(close(mixes[3].promoters, 0.51, 1e-9) && close(mixes[3].passives, 0.19, 1e-9));
    for m in &mixes {
        assert!(close((m.promoters - m.detractors) * 100.0, 21.0, 1e-6));
        assert!(close(m.promoters + m.passives + m.detractors, 1.0, 1e-6));
    }
}

#[test]
fn counts_sum_to_the_sample() {
    let m = |p: f64, q: f64, d: f64| Mix {
        promoters: p,
        passives: q,
        detractors: d,
    };
    // 75 x 10% = 7.5 -> 8 detractors; 75 x 30% = 22.5 -> 23 net; 31 promoters; 36 passives.
    assert_eq!(counts(m(0.4, 0.5, 0.1), 75), [31, 36, 8]);
    // 300 x 24.5% = 73.5 -> 74 detractors; 300 x 21% = 63 net; 137 promoters; 89 passives.
    assert_eq!(counts(m(0.455, 0.3, 0.245), 300), [137, 89, 74]);
    assert_eq!(counts(m(1.0, 0.0, 0.0), 10), [10, 0, 0]);
    assert_eq!(counts(m(0.0, 0.0, 1.0), 10), [0, 0, 10]);
}

#[test]
fn standard_error_matches_hand_checked_values() {
    // p = 0.5, d = 0.2, n = 100: (0.7 - 0.09) / 100 = 0.0061, sqrt = 0.078102 -> 7.8102 points.
    let m = Mix {
        promoters: 0.5,
        passives: 0.3,
        detractors: 0.2,
    };
    assert!(close(standard_error(m, 100), 7.8102, 1e-4));
    assert!(close(margin_of_error(m, 100), 15.3080, 1e-4));
    // NPS 21 at 300 answers: (0.7 - 0.0441) / 300 = 0.00218633, sqrt = 0.0467582.
    let m21 = assumed_mix(21.0);
    assert!(close(standard_error(m21, 300), 4.67582, 1e-5));
    assert!(close(margin_of_error(m21, 300), 9.16462, 1e-5));
    assert!(close(change_margin(m21, 300), 12.96072, 1e-5));
}

#[test]
fn share_margins_and_sample_sizes() {
    // 1.96 x sqrt(0.25 / 300) = 0.056580; 1.96 x sqrt(0.09 / 300) = 0.033948.
    assert!(close(share_margin(0.5, 300), 0.056580, 1e-6));
    assert!(close(share_margin(0.1, 300), 0.033948, 1e-6));
    let m21 = assumed_mix(21.0);
    // 3.8416 x 0.6559 / 0.01 = 251.97 -> 252; / 0.0025 = 1007.88 -> 1008.
    assert_eq!(answers_for_nps_margin(m21, 10.0), 252);
    assert_eq!(answers_for_nps_margin(m21, 5.0), 1008);
    // 3.8416 x 0.25 / 0.0025 = 384.16 -> 385.
    assert_eq!(answers_for_share_margin(0.05), 385);
}

#[test]
fn conversions_to_gain_ten_points() {
    assert_eq!(detractors_to_passives(10.0, 300), 30);
    assert_eq!(detractors_to_promoters(10.0, 300), 15);
    assert_eq!(detractors_to_passives(10.0, 75), 8);
    assert_eq!(detractors_to_promoters(10.0, 75), 4);
    assert_eq!(detractors_to_passives(10.0, 100), 10);
}

#[test]
fn previous_nps_from_the_prompt() {
    let p = |s: &str, now: f64| previous_nps(&normalize(s), now);
    assert_eq!(p("Our NPS fell from 35 to 21", 21.0), Some(35.0));
    assert_eq!(p("NPS dropped 8 points to 27", 27.0), Some(35.0));
    assert_eq!(p("our NPS rose by 5 points to 40", 40.0), Some(35.0));
    assert_eq!(p("Make sense of 300 survey answers, NPS is 32", 32.0), None);
}

#[test]
fn stage_estimates() {
    assert_eq!(stage_nps(Some(Stage::Seed)), 30.0);
    assert_eq!(stage_nps(Some(Stage::SeriesA)), 25.0);
    // Customers = MRR estimate / $100, 30% answer: 50 -> 15, 250 -> 75, 1,500 -> 450.
    assert_eq!(stage_sample(None), 15);
    assert_eq!(stage_sample(Some(Stage::Seed)), 75);
    assert_eq!(stage_sample(Some(Stage::SeriesA)), 450);
    assert_eq!(stage_sample(Some(Stage::SeriesBPlus)), 1800);
    assert_eq!(stage_sample(Some(Stage::PreLaunch)), 20);
}

#[test]
fn nps_drop_with_300_answers() {
    let c = run(
        "Our NPS fell from 35 to 21 across 300 survey answers, what are people complaining about?",
        stage(Stage::SeriesA),
    );
    let a = &c.nps;
    assert_eq!(a.score, 21.0);
    assert_eq!(a.source, "prompt");
    assert_eq!(a.previous, Some(35.0));
    assert_eq!(a.change, Some(-14.0));
    assert_eq!(a.sample_size, 300);
    assert_eq!(a.net_promoters, 63);
    assert_eq!(a.detractors_in_sample, 74);
    assert_eq!(a.standard_error, 4.68);
    assert_eq!(a.margin_of_error, 9.16);
    assert_eq!((a.low, a.high), (11.84, 30.16));
    assert_eq!(a.change_margin, 12.96);
    assert_eq!(a.change_is_real, Some(true));
    assert_eq!(a.detractors_to_passives, 30);
    let drop = c.alerts.iter().find(|r| r.id == "nps-drop").unwrap();
    assert_eq!((drop.condition.as_str(), drop.threshold), ("above", 13.0));
    let bugs = c.themes.iter().find(|t| t.key == "bugs").unwrap();
    assert_eq!((bugs.act_now_share, bugs.act_now_mentions), (0.1, 30));
    assert!(c.benchmarks.iter().any(|b| b.source.contains("Reichheld")));
}

#[test]
fn tickets_size_the_themes_but_not_the_nps_margin() {
    let c = run(
        "categorize 500 support tickets into themes",
        stage(Stage::Seed),
    );
    assert_eq!(c.sample.items, 500);
    assert_eq!(c.sample.items_source, "prompt");
    assert_eq!(c.nps.sample_size, 75);
    assert_eq!(c.nps.sample_source, "stage-estimate");
    assert_eq!(c.nps.source, "stage-estimate");
    assert!(
        c.sources
            .iter()
            .any(|s| s.name == "Support tickets" && s.from_prompt)
    );
}

#[test]
fn seed_and_series_a_differ_in_estimates_and_benchmarks() {
    let prompt = "Analyze our customer feedback and find patterns";
    let seed = run(prompt, stage(Stage::Seed));
    let series_a = run(prompt, stage(Stage::SeriesA));
    assert_ne!(seed.nps.score, series_a.nps.score);
    assert_ne!(seed.nps.sample_size, series_a.nps.sample_size);
    assert_ne!(seed.benchmarks, series_a.benchmarks);
    assert!(
        seed.benchmarks
            .iter()
            .any(|b| b.metric == "Product-market fit")
    );
    assert!(
        series_a
            .benchmarks
            .iter()
            .any(|b| b.metric.starts_with("Gross revenue"))
    );
}

#[test]
fn goal_and_challenge_change_the_themes_and_actions() {
    let ctx = Context {
        stage: Some(Stage::Seed),
        goal: Some(Goal::FindPmf),
        challenge: Some("Users find the setup confusing".to_string()),
    };
    let c = run("What are customers complaining about?", ctx);
    let features = c
        .themes
        .iter()
        .find(|t| t.key == "missing_features")
        .unwrap();
    assert_eq!(features.severity, 4);
    assert_eq!(c.themes[0].key, "onboarding");
    assert!(c.themes[0].mentioned_in_challenge);
    let actions: Vec<&str> = c.next_actions.iter().map(|a| a.text.as_str()).collect();
    assert!(
        actions
            .iter()
            .any(|a| a.contains("\"Users find the setup confusing\""))
    );
    assert!(actions.iter().any(|a| a.contains("Sean Ellis")));
}

#[test]
fn negative_nps_reads_as_more_detractors_and_round_trips() {
    let c = run("our NPS is -10 from 120 responses", Context::default());
    assert_eq!(c.nps.score, -10.0);
    assert_eq!(c.nps.net_promoters, -12);
    let value = serde_json::to_value(&c).unwrap();
    let back: CustomerFeedback = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, c);
    let md = render_markdown(&value).unwrap();
    assert!(md.contains("detractors outnumber promoters by 10 points"));
    let last = md.rfind("## ").unwrap();
    assert!(md[last..].starts_with("## Next actions"));
}
