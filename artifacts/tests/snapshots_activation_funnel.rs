//! Snapshots of the activation funnel Markdown for three prompts with varied context.

use cosos_artifacts::{Context, Goal, Kind, Stage};

mod common;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::ActivationFunnel, prompt, context)
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
