//! Shared by the snapshot tests: generate an artifact of a forced kind on the pinned day and
//! render its Markdown.

use chrono::NaiveDate;
use cosos_artifacts::render::{ArtifactView, markdown};
use cosos_artifacts::{Context, Kind, Request, generate};

/// The pinned day of every snapshot: a Thursday.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Generates `kind` from `prompt` and `context` and renders the whole artifact as Markdown.
pub fn render(kind: Kind, prompt: &str, context: Context) -> String {
    let request = Request {
        prompt: prompt.to_string(),
        context: context.clone(),
        kind: Some(kind),
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
