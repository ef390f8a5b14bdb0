//! Snapshot tests of the operating system's Markdown, with today pinned to 2026-11-26.

use cosos_artifacts::{Context, Goal, Kind, Request, Stage, generate};

mod common;

use common::today;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::OperatingSystem, prompt, context)
}

#[test]
fn twelve_person_seed_growing_with_a_challenge() {
    insta::assert_snapshot!(render(
        "Create OKRs and a meeting rhythm for our 12 person startup",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::GrowRevenue),
            challenge: Some(
                "Everyone works on different priorities and sales calls get no follow-up"
                    .to_string()
            ),
        },
    ));
}

#[test]
fn too_many_tools_without_context() {
    insta::assert_snapshot!(render(
        "We have no single source of truth and too many tools, help us run the company",
        Context::default(),
    ));
}

#[test]
fn team_of_five_pre_launch_finding_fit() {
    insta::assert_snapshot!(render(
        "Set up weekly rituals and OKRs for our team of 5",
        Context {
            stage: Some(Stage::PreLaunch),
            goal: Some(Goal::FindPmf),
            challenge: None,
        },
    ));
}

#[test]
fn series_b_cadence_reducing_chaos() {
    insta::assert_snapshot!(render(
        "Design our weekly, monthly and quarterly operating cadence",
        Context {
            stage: Some(Stage::SeriesBPlus),
            goal: Some(Goal::ReduceChaos),
            challenge: None,
        },
    ));
}

#[test]
fn stage_changes_estimates_and_benchmarks() {
    let content = |stage| {
        let request = Request {
            prompt: "Set up an operating system for the company: goals, rituals, metrics"
                .to_string(),
            context: Context {
                stage: Some(stage),
                goal: None,
                challenge: None,
            },
            kind: Some(Kind::OperatingSystem),
        };
        generate(&request, today(), None).unwrap().content
    };
    let (seed, a) = (content(Stage::Seed), content(Stage::SeriesA));
    assert_eq!(seed["team"]["size"], 12);
    assert_eq!(a["team"]["size"], 35);
    assert_ne!(seed["benchmarks"], a["benchmarks"]);
    assert_ne!(seed["scorecard"], a["scorecard"]);
}
