//! Snapshots of the product velocity Markdown, three prompts with different contexts.

use chrono::NaiveDate;
use cosos_artifacts::render::{ArtifactView, markdown};
use cosos_artifacts::{Context, Goal, Kind, Request, Stage, generate};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn render(prompt: &str, context: Context) -> String {
    let request = Request {
        prompt: prompt.to_string(),
        context: context.clone(),
        kind: Some(Kind::ProductVelocity),
    };
    let g = generate(&request, today(), None).unwrap();
    markdown(&ArtifactView {
        kind: g.kind,
        title: &g.title,
        prompt,
        context: &context,
        content: &g.content,
        notes: "",
    })
    .unwrap()
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
