//! Hand-checked numbers of the retention analysis.

use chrono::NaiveDate;

use super::*;
use crate::benchmarks::retention::Segment;
use crate::model::{Context, Goal, Stage};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn run(prompt: &str, stage: Option<Stage>) -> (String, RetentionAnalysis) {
    let context = Context {
        stage,
        goal: Some(Goal::ImproveRetention),
        challenge: Some("Champions leave\nand accounts go quiet".to_string()),
    };
    let params = crate::parse::extract_params(prompt, today());
    let input = KindInput {
        prompt,
        context: &context,
        params: &params,
        today: today(),
        live: None,
    };
    let out = generate(&input).unwrap();
    (out.title, serde_json::from_value(out.content).unwrap())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn formulas_match_hand_checked_values() {
    // 0.93^12 = 0.418596..., 1 / 0.07 = 14.2857...
    assert!(close(annual_retention(0.07), 0.418_596_297));
    assert!(close(annual_retention(0.03), 0.693_842_361));
    assert!(close(lifetime_months(0.07).unwrap(), 14.285_714_286));
    assert_eq!(lifetime_months(0.0), None);
    assert!(close(survival(0.07, 1), 0.93));
    assert!(close(survival(0.07, 2), 0.8649));
    assert!(close(survival(0.07, 3), 0.804_357));
    // 1 - 0.75^(1/12) = 0.023688...
    assert!(close(
        read::monthly_from_annual_retention(0.75),
        0.023_688_424
    ));
}

#[test]
fn logo_churn_prompt_gives_current_target_and_path() {
    let (title, c) = run(
        "Our monthly logo churn is 7% and I want it under 3% by Q2",
        Some(Stage::Seed),
    );
    assert_eq!(title, "Cut monthly logo churn from 7% to 3% by June 2027");
    assert!(close(c.current.logo_churn.monthly, 0.07));
    assert_eq!(c.current.logo_churn.source, "prompt");
    assert!(close(c.target.logo_churn, 0.03));
    assert_eq!(c.target.source, "prompt");
    assert_eq!(c.target.deadline.to_string(), "2027-06-30");
    // December 2026 through June 2027.
    assert_eq!(c.target.months, 7);
    // (7 - 3) / 7 = 0.571428... points a month.
    assert!(close(c.target.monthly_reduction_points, 0.571_429));
    let path: Vec<(&str, f64)> = c
        .target
        .path
        .iter()
        .map(|p| (p.month.as_str(), p.logo_churn))
        .collect();
    assert_eq!(path.len(), 7);
    assert_eq!(path[0].0, "2026-12");
    assert!(close(path[0].1, 0.064_286));
    assert!(close(path[3].1, 0.047_143));
    assert_eq!(path[6], ("2027-06", 0.03));
    assert!(close(c.target.annual_retention, 0.693_842_361));
    assert!(close(c.target.lifetime_months.unwrap(), 33.333_333_333));
    assert!(close(c.cohorts.expected[1], 0.93));
    assert!(close(c.cohorts.expected[2], 0.8649));
    let alert = c
        .alerts
        .iter()
        .find(|a| a.id == "logo-churn-above-target")
        .unwrap();
    assert!(close(alert.threshold, 0.03));
    assert_eq!(alert.condition, "above");
    // SaaS quick ratio of 4 at 7% churn needs 28% of MRR in new + expansion + reactivation.
    assert!(close(c.quick_ratio.gross_adds_needed, 0.28));
}

#[test]
fn nrr_is_compared_with_the_segment_band() {
    let (title, c) = run(
        "Net revenue retention dropped to 92%, help me understand it",
        Some(Stage::Seed),
    );
    let nrr = &c.revenue_retention[0];
    assert_eq!(nrr.metric, "nrr");
    assert_eq!(nrr.current, Some(0.92));
    assert_eq!(nrr.status, "within");
    // SMB band 80-100%: 92% is past the 90% midpoint, so the next bar is the top.
    assert!(close(nrr.target, 1.0));
    // 0.92^(1/12) - 1 = -0.006924...
    assert!(close(nrr.monthly_equivalent.unwrap(), -0.006_924_3));
    assert_eq!(title, "Net revenue retention at 92%: the path to 100%");
    let (_, a) = run(
        "Net revenue retention dropped to 92%, help me understand it",
        Some(Stage::SeriesA),
    );
    // Mid-market band 90-120%, midpoint 105%.
    assert!(close(a.revenue_retention[0].target, 1.05));
}

#[test]
fn stage_changes_estimates_and_benchmarks() {
    let prompt = "We're struggling with retention";
    let (_, seed) = run(prompt, Some(Stage::Seed));
    let (_, series_a) = run(prompt, Some(Stage::SeriesA));
    assert_eq!(seed.current.logo_churn.source, "stage-estimate");
    assert!(close(seed.current.logo_churn.monthly, 0.05));
    assert!(close(series_a.current.logo_churn.monthly, 0.03));
    assert_ne!(seed.benchmarks, series_a.benchmarks);
    assert_eq!(seed.segment.segment, "smb");
    assert_eq!(series_a.segment.segment, "mid-market");
    assert_eq!(seed.benchmarks[0].value, "70%-80%");
    assert_eq!(series_a.benchmarks[0].value, "80%-90%");
    // No target: churn behind the band midpoint GRR, 1 - 0.75^(1/12) and 1 - 0.85^(1/12).
    assert!(close(seed.target.logo_churn, 0.023_688));
    assert!(close(series_a.target.logo_churn, 0.013_452));
    assert_eq!(seed.target.source, "segment-benchmark");
    // No deadline: six months out.
    assert_eq!(seed.target.deadline.to_string(), "2027-05-26");
    assert_eq!(seed.target.months, 6);
}

#[test]
fn segment_churn_band_is_computed_from_grr() {
    let smb = benchmarks(Segment::Smb);
    let churn = smb
        .iter()
        .find(|b| b.metric.starts_with("Monthly"))
        .unwrap();
    // 1 - 0.8^(1/12) = 0.018423, 1 - 0.7^(1/12) = 0.029286.
    assert!(close(churn.low, 0.018_423));
    assert!(close(churn.high.unwrap(), 0.029_286));
    assert_eq!(churn.value, "1.84%-2.93%");
    assert_eq!(pct(0.064_286), "6.43%");
    assert_eq!(pct(0.07), "7%");
    assert_eq!(pct(0.418_596), "41.9%");
    let ent = benchmarks(Segment::Enterprise);
    assert_eq!(ent[0].value, "above 90%");
    assert!(ent.iter().all(|b| !b.source.is_empty()));
}

#[test]
fn cohorts_cover_this_year_or_the_last_six_months() {
    let (rows, _) = cohort_rows(today(), true);
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].cohort, "2026-01");
    // January's cohort has February through October complete: 9 months to fill.
    assert_eq!(rows[0].months_to_fill, 9);
    assert_eq!(rows[0].retained.len(), 10);
    assert_eq!(rows[0].retained[0], Some(1.0));
    assert_eq!(rows[9].cohort, "2026-10");
    assert_eq!(rows[9].months_to_fill, 0);
    let (rows, _) = cohort_rows(today(), false);
    let names: Vec<&str> = rows.iter().map(|r| r.cohort.as_str()).collect();
    assert_eq!(
        names,
        [
            "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"
        ]
    );
    // 5 + 4 + 3 + 2 + 1 + 0 cells.
    assert_eq!(rows.iter().map(|r| r.months_to_fill).sum::<u32>(), 15);
}

#[test]
fn this_years_cohorts_are_asked_for() {
    let (title, c) = run(
        "Analyze cohort retention for users who signed up this year",
        Some(Stage::Seed),
    );
    assert_eq!(title, "Cohort retention of 2026 sign-ups");
    assert_eq!(c.cohorts.rows.len(), 10);
    // 9 + 8 + ... + 1 + 0 = 45 cells; columns M0..M9 at 5% churn: 0.95^9 = 0.630249.
    assert_eq!(c.cohorts.cells_to_fill, 45);
    assert_eq!(c.cohorts.expected.len(), 10);
    assert!(close(c.cohorts.expected[9], 0.630_249_4));
}

#[test]
fn annual_churn_and_generic_retention_become_monthly() {
    let (_, c) = run("Annual churn is 40% and it hurts", Some(Stage::Seed));
    // 1 - 0.6^(1/12) = 0.041680.
    assert!(close(
        c.current.logo_churn.monthly,
        1.0 - 0.6f64.powf(1.0 / 12.0)
    ));
    let (_, c) = run("Monthly retention is 95%", None);
    assert!(close(c.current.logo_churn.monthly, 0.05));
}

#[test]
fn revenue_churn_gives_grr_and_a_hypothesis() {
    let (_, c) = run(
        "Logo churn is 5% a month but revenue churn is only 2%",
        Some(Stage::Seed),
    );
    assert!(close(c.current.logo_churn.monthly, 0.05));
    let r = c.current.revenue_churn.as_ref().unwrap();
    assert!(close(r.monthly, 0.02));
    let grr = &c.revenue_retention[1];
    assert_eq!(grr.source, "revenue-churn");
    // 0.98^12 = 0.784717.
    assert!(close(grr.current.unwrap(), 0.784_716_9));
    assert!(
        c.hypotheses
            .iter()
            .any(|h| h.statement.starts_with("Small accounts"))
    );
}

#[test]
fn context_shows_in_summary_and_actions() {
    let (_, c) = run(
        "Why are customers churning after the first month?",
        Some(Stage::Seed),
    );
    assert!(
        c.summary
            .contains("\"Champions leave and accounts go quiet\"")
    );
    let last = &c.next_actions.last().unwrap().text;
    assert!(last.contains("\"Champions leave and accounts go quiet\""));
    assert!(c.hypotheses[0].evidence.contains("first month"));
    // From 5% to 4% churn: 0.96^12 - 0.95^12 = 0.6127 - 0.5404, 7.2 more kept per 100.
    assert!(c.summary.contains("keeps 7.2 more of every 100 customers"));
}

#[test]
fn content_round_trips_and_renders() {
    let (_, c) = run(
        "Our monthly logo churn is 7% and I want it under 3% by Q2",
        None,
    );
    let value = serde_json::to_value(&c).unwrap();
    let back: RetentionAnalysis = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, c);
    let md = render_markdown(&value).unwrap();
    assert!(md.trim_end().ends_with("exit reasons of October 2026."));
    assert!(!md.contains("X%"));
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
            let back: RetentionAnalysis =
                serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{prompt}: {e}"));
            assert_eq!(back, c, "{prompt}");
            let md = render_markdown(&value).unwrap();
            assert!(md.contains("## Next actions\n\n- [ ] "), "{prompt}");
            assert!(!md.contains("NaN") && !md.contains("inf%"), "{prompt}");
        }
    }
}
