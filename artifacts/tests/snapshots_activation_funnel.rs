//! Snapshots of the activation funnel Markdown for three prompts with varied context.

use chrono::NaiveDate;
use cosos_artifacts::render::{ArtifactView, markdown};
use cosos_artifacts::{Context, Goal, Kind, Request, Stage, generate};

fn render(prompt: &str, context: Context) -> String {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let request = Request {
        prompt: prompt.to_string(),
        context: context.clone(),
        kind: Some(Kind::ActivationFunnel),
    };
    let g = generate(&request, today, None).unwrap();
    let view = ArtifactView {
        kind: g.kind,
        title: &g.title,
        prompt,
        context: &context,
        content: &g.content,
        notes: "",
    };
    markdown(&view).unwrap()
}

#[test]
fn onboarding_drop_with_full_context() {
    insta::assert_snapshot!(render(
        "Activation went from 40% to 25% since the new onboarding shipped",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::GrowRevenue),
            challenge: Some("Our onboarding has seven screens before the editor".to_string()),
        },
    ));
}

#[test]
fn trial_setup_rate_at_series_a() {
    insta::assert_snapshot!(render(
        "Only 1 in 5 trial users finishes setup",
        Context {
            stage: Some(Stage::SeriesA),
            goal: None,
            challenge: None,
        },
    ));
}

#[test]
fn first_project_without_context() {
    insta::assert_snapshot!(render(
        "Where do new signups drop off before they create their first project?",
        Context::default(),
    ));
}
