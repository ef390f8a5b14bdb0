//! Snapshots of the MRR tracker's Markdown for three prompts, with context varied.

use chrono::NaiveDate;
use cosos_artifacts::render::{ArtifactView, markdown};
use cosos_artifacts::{Context, Goal, Kind, Request, Stage, generate};

fn render(prompt: &str, context: Context) -> String {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let request = Request {
        prompt: prompt.to_string(),
        context: context.clone(),
        kind: Some(Kind::MrrTracker),
    };
    let g = generate(&request, today, None).unwrap();
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
fn from_twelve_to_fifty_k() {
    insta::assert_snapshot!(render(
        "We're at $12k MRR and want to hit $50k by June 2027",
        Context::default()
    ));
}

#[test]
fn arr_target_at_series_a_raising() {
    insta::assert_snapshot!(render(
        "Build me a tracker for our ARR target of $3M by end of next year, currently at $900k ARR",
        Context {
            stage: Some(Stage::SeriesA),
            goal: Some(Goal::RaiseFunding),
            challenge: Some("Enterprise deals take six months to close".into()),
        }
    ));
}

#[test]
fn pre_launch_from_zero() {
    insta::assert_snapshot!(render(
        "Track our path to $20k MRR by end of next year",
        Context {
            stage: Some(Stage::PreLaunch),
            goal: Some(Goal::FindPmf),
            challenge: None,
        }
    ));
}
