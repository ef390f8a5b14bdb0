//! The Markdown rendering of a whole artifact: title, prompt, context, the kind's sections, notes.
//!
//! The output is deterministic (no clock, stable order), so re-rendering an unchanged artifact
//! gives identical bytes: the folder mirror relies on that for a clean `git diff`.

use std::fmt::Write;

use crate::error::ArtifactError;
use crate::kinds::{self, sections::one_line};
use crate::model::{Context, Kind};

/// What rendering needs to know about an artifact.
#[derive(Debug, Clone, Copy)]
pub struct ArtifactView<'a> {
    /// The kind.
    pub kind: Kind,
    /// The title.
    pub title: &'a str,
    /// The prompt it was generated from.
    pub prompt: &'a str,
    /// Stage, goal and challenge.
    pub context: &'a Context,
    /// Kind-specific content.
    pub content: &'a serde_json::Value,
    /// The founder's notes.
    pub notes: &'a str,
}

/// Renders the artifact as Markdown.
pub fn markdown(view: &ArtifactView<'_>) -> Result<String, ArtifactError> {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", one_line(view.title));
    for line in view.prompt.trim().lines() {
        let _ = writeln!(out, "> {line}");
    }
    let mut facts = vec![view.kind.label().to_string()];
    if let Some(stage) = view.context.stage {
        facts.push(format!("stage: {}", stage.label()));
    }
    if let Some(goal) = view.context.goal {
        facts.push(format!("goal: {}", goal.label()));
    }
    let _ = writeln!(out, "\n*{}*\n", facts.join(" · "));
    if let Some(challenge) = view
        .context
        .challenge
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        let _ = writeln!(out, "Challenge: {}\n", one_line(challenge));
    }
    out.push_str(&kinds::render_markdown(view.kind, view.content)?);
    out.push_str("## Notes\n\n");
    let notes = view.notes.trim();
    if !notes.is_empty() {
        out.push_str(notes);
        out.push('\n');
    }
    Ok(out)
}

/// Removes the `## {heading}` section (through the next `## ` heading or the end).
pub fn strip_section(markdown: &str, heading: &str) -> String {
    let marker = format!("## {heading}");
    let mut out = String::with_capacity(markdown.len());
    let mut skipping = false;
    for line in markdown.split_inclusive('\n') {
        if line.starts_with("## ") {
            skipping = line.trim_end() == marker;
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_one_section() {
        let md = "## Target\n\nx\n\n## Next actions\n\n- [ ] a\n\n## Notes\n\ny\n";
        assert_eq!(
            strip_section(md, "Next actions"),
            "## Target\n\nx\n\n## Notes\n\ny\n"
        );
    }
}
