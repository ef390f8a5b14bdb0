//! Snapshots of the retention analysis Markdown for three prompts with varied context.

use cosos_artifacts::{Context, Goal, Kind, Stage};

mod common;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::RetentionAnalysis, prompt, context)
}

#[test]
fn logo_churn_target_with_full_context() {
    insta::assert_snapshot!(render(
        "Our monthly logo churn is 7% and I want it under 3% by Q2",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::ImproveRetention),
            challenge: Some("Customers say setup takes too long".to_string()),
        },
    ));
}

#[test]
fn nrr_drop_at_series_a() {
    insta::assert_snapshot!(render(
        "Net revenue retention dropped to 92%, help me understand it",
        Context {
            stage: Some(Stage::SeriesA),
            goal: Some(Goal::RaiseFunding),
            challenge: None,
        },
    ));
}

#[test]
fn first_month_churn_without_context() {
    insta::assert_snapshot!(render(
        "Why are customers churning after the first month?",
        Context::default(),
    ));
}
