//! Printing results: exactly one JSON document with `--json`, readable text otherwise.

use anyhow::Result;
use cosos_artifacts::render::{ArtifactView, markdown};
use cosos_artifacts::{Context, Kind};
use cosos_engine::local_state::PromptLogEntry;
use cosos_engine::sync::SyncSummary;
use cosos_engine::{ArtifactRecord, ArtifactSummary, WorkspaceInfo};
use serde::Serialize;

/// Prints a value as pretty JSON.
pub fn json<T: Serialize>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints workspace info.
pub fn workspace(info: &WorkspaceInfo, as_json: bool) -> Result<()> {
    if as_json {
        return json(info);
    }
    println!("Workspace \"{}\"", info.name);
    println!("  url        {}", info.url);
    println!("  artifacts  {}", info.artifacts);
    Ok(())
}

/// Prints the artifact list.
pub fn list(rows: &[ArtifactSummary], as_json: bool) -> Result<()> {
    if as_json {
        return json(&rows);
    }
    if rows.is_empty() {
        println!(
            "No artifacts yet. Try: cosos generate \"Track our path to $100k MRR by end of year\""
        );
        return Ok(());
    }
    for r in rows {
        let archived = if r.archived { "  (archived)" } else { "" };
        println!("{:<20} {:<40} {}{archived}", r.kind, r.slug, r.title);
    }
    Ok(())
}

/// Prints an artifact as Markdown; in human mode, followed by where to find it.
pub fn artifact(record: &ArtifactRecord, markdown_only: bool) -> Result<()> {
    let kind: Kind = record.kind.parse()?;
    let context = Context {
        stage: record.context.stage.as_deref().and_then(|s| s.parse().ok()),
        goal: record.context.goal.as_deref().and_then(|s| s.parse().ok()),
        challenge: record.context.challenge.clone(),
    };
    let text = markdown(&ArtifactView {
        kind,
        title: &record.title,
        prompt: &record.prompt,
        context: &context,
        content: &record.content,
        notes: &record.notes,
    })?;
    print!("{text}");
    if !markdown_only {
        println!(
            "\n---\n{}  ·  slug {}  ·  updated {}",
            record.url, record.slug, record.updated_at
        );
    }
    Ok(())
}

/// Prints the prompt log.
pub fn prompts(entries: &[PromptLogEntry], as_json: bool) -> Result<()> {
    if as_json {
        return json(&entries);
    }
    if entries.is_empty() {
        println!("No prompts yet.");
    }
    for e in entries {
        let outcome = match (&e.kind, &e.error) {
            (Some(kind), _) => kind.clone(),
            (None, Some(err)) => format!("error: {}", err.lines().next().unwrap_or_default()),
            _ => String::new(),
        };
        println!(
            "{}  {:<20} {}",
            e.at,
            outcome,
            e.prompt.chars().take(80).collect::<String>()
        );
    }
    Ok(())
}

/// Prints what a sync did.
pub fn sync_summary(summary: &SyncSummary, as_json: bool) -> Result<()> {
    if as_json {
        return json(summary);
    }
    println!(
        "Synced {} documents with {} ({} new on this device{}).",
        summary.documents,
        summary.relay,
        summary.received,
        if summary.missing > 0 {
            format!(", {} not on the relay yet", summary.missing)
        } else {
            String::new()
        }
    );
    Ok(())
}
