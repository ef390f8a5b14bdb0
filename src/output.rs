//! Printing results: exactly one JSON document with `--json`, readable text otherwise.

use std::io::Write as _;

use anyhow::Result;
use cosos_engine::folder::MirrorReport;
use cosos_engine::integrations::alerts::Insight;
use cosos_engine::integrations::credentials::IntegrationStatus;
use cosos_engine::integrations::pull::PullOutcome;
use cosos_engine::local_state::PromptLogEntry;
use cosos_engine::sync::SyncSummary;
use serde_json::Value;

use crate::cli::PullSource;
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
    let text = record.markdown()?;
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

/// Prints an integration's status (the key masked).
pub fn integration(status: &IntegrationStatus, as_json: bool) -> Result<()> {
    if as_json {
        return json(status);
    }
    if status.connected {
        println!(
            "{} connected ({}, key {})",
            status.name,
            status.endpoint.as_deref().unwrap_or("-"),
            status.key.as_deref().unwrap_or("-")
        );
    } else {
        println!("{} not connected", status.name);
    }
    Ok(())
}

/// A spinner on standard error while pulling, when it is a terminal; nothing otherwise.
pub fn pull_progress() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(100));
    bar.set_message("pulling");
    Some(bar)
}

/// Prints a pull: `pull stripe --json` prints exactly the metrics JSON.
pub fn pull(outcome: &PullOutcome, source: PullSource, as_json: bool) -> Result<()> {
    if as_json {
        return match source {
            PullSource::Stripe => json(&outcome.stripe),
            PullSource::Posthog => json(&outcome.posthog),
            PullSource::All => json(&serde_json::json!({
                "stripe": outcome.stripe,
                "posthog": outcome.posthog,
            })),
        };
    }
    if let Some(m) = &outcome.stripe {
        print_metrics(m);
    }
    if outcome.posthog.is_some() {
        println!("PostHog: funnel and retention pulled.");
    }
    println!("{} artifacts updated.", outcome.artifacts_updated);
    for insight in &outcome.insights {
        println!("[{}] {}", insight.severity, insight.text);
    }
    Ok(())
}

/// Prints the metrics of the last pull.
pub fn metrics(metrics: &Value, as_json: bool) -> Result<()> {
    if as_json {
        return json(metrics);
    }
    if metrics["as_of"].is_null() {
        println!("No metrics yet: connect Stripe (`cosos connect stripe`) and run `cosos pull`.");
        return Ok(());
    }
    print_metrics(metrics);
    Ok(())
}

fn print_metrics(m: &Value) {
    let money = |v: &Value| v.as_f64().map_or("-".to_string(), |x| format!("${x:.2}"));
    println!(
        "MRR {} from {} customers (ARPA {}) as of {}",
        money(&m["mrr"]),
        m["customers"],
        money(&m["arpa"]),
        m["as_of"].as_str().unwrap_or("-")
    );
    for p in m["series"].as_array().into_iter().flatten() {
        println!(
            "  {}  {:>12}  {:>4} customers",
            p["month"].as_str().unwrap_or("-"),
            money(&p["mrr"]),
            p["customers"]
        );
    }
}

/// Prints insights, newest first.
pub fn insights(insights: &[Insight], as_json: bool) -> Result<()> {
    if as_json {
        return json(&insights);
    }
    if insights.is_empty() {
        println!("No insights yet: they appear when pulled data trips an artifact's alert rules.");
    }
    for i in insights {
        println!("[{}] {}", i.severity, i.text);
    }
    Ok(())
}

/// Prints what a `cosos folder` pass did: notices on stderr, a summary (or the JSON) on stdout.
/// Files whose edits could not be read back make it fail, after everything else was mirrored.
pub fn mirror_report(report: &MirrorReport, dir: &std::path::Path, as_json: bool) -> Result<()> {
    if as_json {
        json(report)?;
    } else {
        print_notices(report);
        println!(
            "Mirrored into {}: {} written, {} unchanged, {} with edits applied, {} archived, {} removed",
            dir.display(),
            report.written,
            report.unchanged,
            report.imported,
            report.archived,
            report.removed
        );
    }
    match report.problems() {
        0 => Ok(()),
        1 => anyhow::bail!("1 file could not be read back (see above); its artifact is unchanged"),
        n => anyhow::bail!(
            "{n} files could not be read back (see above); their artifacts are unchanged"
        ),
    }
}

/// Prints what one round of `folder --watch` did, when it did anything.
pub fn mirror_round(report: &MirrorReport) {
    print_notices(report);
    let mut parts = Vec::new();
    for (n, what) in [
        (report.imported, "with edits applied"),
        (report.written, "written"),
        (report.archived, "archived (file deleted)"),
        (report.removed, "removed (artifact archived)"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if !parts.is_empty() {
        // Not println!: a long-running process whose stdout was closed must keep mirroring.
        let _ = writeln!(std::io::stdout(), "folder: {}", parts.join(", "));
    }
}

fn print_notices(report: &MirrorReport) {
    let mut stderr = std::io::stderr();
    for n in &report.notices {
        let label = if n.problem { "error" } else { "note" };
        let _ = if n.file.is_empty() {
            writeln!(stderr, "{label}: {}", n.message)
        } else {
            writeln!(stderr, "{label}: {}: {}", n.file, n.message)
        };
    }
}
