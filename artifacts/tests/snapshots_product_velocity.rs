//! Snapshots of the product velocity Markdown, three prompts with different contexts.

use cosos_artifacts::{Context, Goal, Kind, Stage};

mod common;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::ProductVelocity, prompt, context)
}

#[test]
fn sprint_goals_team_of_six_seed() {
    insta::assert_snapshot!(render(
        "Our engineering team of 6 keeps missing sprint goals",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::ShipFaster),
            challenge: Some("Two senior engineers left in October".to_string()),
        },
    ));
}

#[test]
fn standup_dashboard_no_context() {
    insta::assert_snapshot!(render(
        "Create a dashboard for our weekly team standup",
        Context::default(),
    ));
}

#[test]
fn review_bottleneck_series_a_monthly_release() {
    insta::assert_snapshot!(render(
        "We ship one release a month and PRs sit in review for days, where's the bottleneck?",
        Context {
            stage: Some(Stage::SeriesA),
            goal: Some(Goal::ImproveRetention),
            challenge: None,
        },
    ));
}
