//! Snapshot tests of the board pack's Markdown, with today pinned to 2026-11-26.

use cosos_artifacts::{Context, Goal, Kind, Request, Stage, generate};

mod common;

use common::today;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::BoardPrep, prompt, context)
}

#[test]
fn next_week_seed_raising_with_a_challenge() {
    insta::assert_snapshot!(render(
        "Help me prepare for our board meeting next week",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::RaiseFunding),
            challenge: Some(
                "Burn went up after we hired two engineers and runway is 11 months".to_string()
            ),
        },
    ));
}

#[test]
fn q4_deck_series_a() {
    insta::assert_snapshot!(render(
        "Put together the Q4 board deck for our meeting on January 15",
        Context {
            stage: Some(Stage::SeriesA),
            goal: None,
            challenge: None,
        },
    ));
}

#[test]
fn friday_call_without_context() {
    insta::assert_snapshot!(render(
        "Prepare talking points and KPIs for Friday's board call",
        Context::default(),
    ));
}

#[test]
fn numbers_from_the_prompt_fill_the_kpi_table() {
    insta::assert_snapshot!(render(
        "90-minute board meeting on Dec 10: we're at $35k MRR against a target of $40k",
        Context {
            stage: Some(Stage::EarlyRevenue),
            goal: Some(Goal::GrowRevenue),
            challenge: None,
        },
    ));
}

#[test]
fn stage_changes_estimates_and_benchmarks() {
    let content = |stage| {
        let request = Request {
            prompt: "Help me prepare for our board meeting next week".to_string(),
            context: Context {
                stage: Some(stage),
                goal: None,
                challenge: None,
            },
            kind: Some(Kind::BoardPrep),
        };
        generate(&request, today(), None).unwrap().content
    };
    let (seed, a) = (content(Stage::Seed), content(Stage::SeriesA));
    assert_eq!(seed["current_state"]["mrr"], 25_000.0);
    assert_eq!(a["current_state"]["mrr"], 150_000.0);
    assert_ne!(seed["benchmarks"], a["benchmarks"]);
    assert_ne!(seed["kpis"], a["kpis"]);
}
