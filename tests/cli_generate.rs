//! `cosos generate` end to end: the acceptance example and the labelled MRR prompts.

mod common;

use common::{json, run};
use serde_json::Value;

#[test]
fn generates_the_acceptance_example() {
    let home = tempfile::tempdir().unwrap();
    let a = json(
        home.path(),
        &[
            "generate",
            "We're at $12k MRR and want to hit $50k by June 2027",
            "--json",
        ],
    );
    assert_eq!(a["kind"], "mrr_tracker");
    assert_eq!(a["params"]["current_mrr"], 12000);
    assert_eq!(a["params"]["target_mrr"], 50000);
    assert_eq!(a["params"]["deadline"], "2027-06-30");
    let content = &a["content"];
    assert_eq!(content["target"]["months"], 7);
    let g = content["path"]["required_monthly_growth"].as_f64().unwrap();
    let expected = (50000f64 / 12000f64).powf(1.0 / 7.0) - 1.0;
    assert!((g - expected).abs() < 1e-12, "{g} vs {expected}");
    let milestones = content["path"]["milestones"].as_array().unwrap();
    let months: Vec<&str> = milestones
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(
        months,
        [
            "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"
        ]
    );
    assert_eq!(milestones.last().unwrap()["target_mrr"], 50000);
    let url = a["url"].as_str().unwrap();
    assert_eq!(url, format!("automerge:{}", a["id"].as_str().unwrap()));
    for key in [
        "id",
        "url",
        "slug",
        "kind",
        "title",
        "prompt",
        "context",
        "params",
        "content",
        "data",
        "notes",
        "archived",
        "created_at",
        "updated_at",
        "generator",
    ] {
        assert!(a.get(key).is_some(), "missing {key}");
    }
    assert_eq!(content["current"]["source"], "prompt");
    assert_eq!(content["reality_check"]["verdict"], "unrealistic");
    assert_eq!(a["generator"]["engine"], "builtin");
}

#[test]
fn extracts_every_expectation_of_the_labelled_mrr_prompts() {
    let home = tempfile::tempdir().unwrap();
    let rows = include_str!("../../shared/data/prompts.jsonl");
    let mut checked = 0;
    for line in rows.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        if row["kind"] != "mrr_tracker" {
            continue;
        }
        let prompt = row["prompt"].as_str().unwrap();
        let a = json(home.path(), &["generate", prompt, "--json"]);
        assert_eq!(a["kind"], "mrr_tracker", "{prompt}");
        if let Some(expect) = row["expect"].as_object() {
            for (key, want) in expect {
                let got = &a["params"][key];
                let same = match (got.as_f64(), want.as_f64()) {
                    (Some(g), Some(w)) => (g - w).abs() < 1e-6,
                    _ => got == want,
                };
                assert!(same, "{prompt}: {key} = {got}, expected {want}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} mrr rows");
}

#[test]
fn forced_kind_and_context_are_recorded() {
    let home = tempfile::tempdir().unwrap();
    let a = json(
        home.path(),
        &[
            "generate",
            "Track MRR growth weekly and alert me if we fall behind plan",
            "--stage",
            "seed",
            "--goal",
            "raise-funding",
            "--challenge",
            "Long enterprise sales cycles",
            "--kind",
            "mrr_tracker",
            "--json",
        ],
    );
    assert_eq!(a["context"]["stage"], "seed");
    assert_eq!(a["context"]["goal"], "raise-funding");
    assert_eq!(a["context"]["challenge"], "Long enterprise sales cycles");
    assert_eq!(a["content"]["current"]["source"], "stage-estimate");
    assert_eq!(a["content"]["current"]["mrr"], 25000);
    assert_eq!(a["generator"]["confidence"].as_f64(), Some(1.0));
    let actions = a["content"]["next_actions"].to_string();
    assert!(
        actions.contains("Long enterprise sales cycles"),
        "{actions}"
    );
    assert!(actions.contains("fundraising"), "{actions}");
}

#[test]
fn human_output_is_markdown_with_numbers() {
    let home = tempfile::tempdir().unwrap();
    let out = run(common::cosos(home.path()).args([
        "generate",
        "We're at $12k MRR and want to hit $50k by June 2027",
    ]));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("$12,000"), "{text}");
    assert!(text.contains("$50,000"), "{text}");
    assert!(text.contains("| June 2027 |"), "{text}");
    assert!(text.contains("automerge:"), "{text}");
}

#[test]
fn every_kind_generates_and_stage_changes_estimates_and_benchmarks() {
    let home = tempfile::tempdir().unwrap();
    let prompts = [
        (
            "mrr_tracker",
            "Track MRR growth weekly and alert me if we fall behind plan",
        ),
        ("retention_analysis", "We're struggling with retention"),
        (
            "board_prep",
            "Help me prepare for our board meeting next week",
        ),
        ("activation_funnel", "Figure out why activation dropped"),
        (
            "product_velocity",
            "Monitor our product velocity and flag bottlenecks",
        ),
        (
            "customer_feedback",
            "Analyze our customer feedback and find patterns",
        ),
        (
            "operating_system",
            "Set up an operating system for the company: goals, rituals, metrics",
        ),
    ];
    for (kind, prompt) in prompts {
        let seed = json(
            home.path(),
            &["generate", prompt, "--stage", "seed", "--json"],
        );
        let series_a = json(
            home.path(),
            &["generate", prompt, "--stage", "series-a", "--json"],
        );
        assert_eq!(seed["kind"], kind, "{prompt}");
        assert_eq!(series_a["kind"], kind, "{prompt}");
        let benchmarks = |a: &Value| {
            if kind == "mrr_tracker" {
                a["content"]["reality_check"].clone()
            } else {
                a["content"]["benchmarks"].clone()
            }
        };
        assert!(!benchmarks(&seed).is_null(), "{kind} has no benchmarks");
        assert_ne!(
            benchmarks(&seed),
            benchmarks(&series_a),
            "{kind}: same benchmarks"
        );
        assert_ne!(seed["content"], series_a["content"], "{kind}: same content");
        let actions = seed["content"]["next_actions"].as_array().unwrap();
        assert!(!actions.is_empty(), "{kind} has no next actions");
        let md = run(common::cosos(home.path()).args([
            "show",
            seed["id"].as_str().unwrap(),
            "--markdown",
        ]));
        assert!(md.status.success(), "{kind} does not render");
        assert!(
            String::from_utf8_lossy(&md.stdout).contains("- [ ] "),
            "{kind}: no checkboxes"
        );
    }
}
