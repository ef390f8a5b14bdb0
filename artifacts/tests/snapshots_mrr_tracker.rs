//! Snapshots of the MRR tracker's Markdown for three prompts, with context varied.

use cosos_artifacts::{Context, Goal, Kind, Stage};

mod common;

fn render(prompt: &str, context: Context) -> String {
    common::render(Kind::MrrTracker, prompt, context)
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
