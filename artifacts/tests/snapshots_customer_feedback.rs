//! Snapshots of the customer feedback Markdown, three prompts with different contexts.

use cosos_artifacts::{Context, Goal, Kind, Stage};

mod common;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::CustomerFeedback, prompt, context)
}

#[test]
fn nps_fell_from_35_to_21_with_300_answers_series_a() {
    insta::assert_snapshot!(render(
        "Our NPS fell from 35 to 21 across 300 survey answers, what are people complaining about?",
        Context {
            stage: Some(Stage::SeriesA),
            goal: Some(Goal::ImproveRetention),
            challenge: Some("Enterprise customers say onboarding takes too long".to_string()),
        },
    ));
}

#[test]
fn support_tickets_and_nps_comments_no_context() {
    insta::assert_snapshot!(render(
        "Summarize what users are saying in support tickets and NPS comments",
        Context::default(),
    ));
}

#[test]
fn feature_requests_from_sales_calls_seed() {
    insta::assert_snapshot!(render(
        "Group the feature requests from sales calls into themes",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::FindPmf),
            challenge: None,
        },
    ));
}
