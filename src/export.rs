//! `cosos export`: reads the chosen artifacts through the backend (the store, or a running
//! server) and hands their values to cosos-site, which renders and writes the site.

use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::{DateTime, NaiveDate};
use cosos_engine::{ArtifactRecord, Clock};
use cosos_site::{ExportOptions, ExportReport, Site, SiteArtifact, SiteContext, SiteGenerator};

use crate::backend::Backend;
use crate::cli::ExportArgs;
use crate::output;

/// Shorter passphrases get a warning: the encryption is only as strong as the passphrase.
const SHORT_PASSPHRASE: usize = 12;

/// Runs `cosos export`.
pub async fn run(ws: &Backend, home: &Path, clock: Clock, args: ExportArgs) -> Result<()> {
    let passphrase = args.passphrase_env.as_deref().map(passphrase).transpose()?;
    let name = ws.info().await?.name;
    let records = select(ws, &args.artifacts).await?;
    let site = Site {
        name,
        artifacts: records.into_iter().map(site_artifact).collect(),
    };
    let options = ExportOptions {
        out: args.out,
        base_url: args.base_url,
        passphrase,
        templates_dir: Some(home.join("templates")),
        as_of: as_of(clock)?,
    };
    let report = tokio::task::spawn_blocking(move || cosos_site::export(&site, &options))
        .await
        .context("the export stopped unexpectedly")??;
    print(&report, args.json)
}

/// The artifacts to export: the ones named, in that order and each once, else every artifact
/// that is not archived, most recently updated first.
async fn select(ws: &Backend, ids: &[String]) -> Result<Vec<ArtifactRecord>> {
    let mut records: Vec<ArtifactRecord> = Vec::new();
    if ids.is_empty() {
        for row in ws.list().await?.into_iter().filter(|r| !r.archived) {
            records.push(ws.get(&row.id).await?);
        }
        return Ok(records);
    }
    for id in ids {
        let record = ws.get(id).await?;
        if !records.iter().any(|r| r.id == record.id) {
            records.push(record);
        }
    }
    Ok(records)
}

/// The engine's record as the site's input; the same fields, so `artifact.json` matches
/// `cosos show ID --json`.
fn site_artifact(r: ArtifactRecord) -> SiteArtifact {
    SiteArtifact {
        id: r.id,
        url: r.url,
        slug: r.slug,
        kind: r.kind,
        title: r.title,
        prompt: r.prompt,
        context: SiteContext {
            stage: r.context.stage,
            goal: r.context.goal,
            challenge: r.context.challenge,
        },
        params: r.params,
        content: r.content,
        data: r.data,
        notes: r.notes,
        archived: r.archived,
        created_at: r.created_at,
        updated_at: r.updated_at,
        generator: SiteGenerator {
            engine: r.generator.engine,
            confidence: r.generator.confidence,
            alternatives: r.generator.alternatives,
            fallback_reason: r.generator.fallback_reason,
        },
    }
}

fn passphrase(var: &str) -> Result<String> {
    let value =
        std::env::var(var).with_context(|| format!("the environment variable {var} is not set"))?;
    if value.is_empty() {
        anyhow::bail!("the environment variable {var} is empty: it must hold the passphrase");
    }
    if value.chars().count() < SHORT_PASSPHRASE {
        eprintln!(
            "warning: the passphrase has fewer than {SHORT_PASSPHRASE} characters; the pages are only as \
             safe as it is (four or more random words are better)"
        );
    }
    Ok(value)
}

/// The index page's "as of" date: the clock (which `COSOS_NOW` pins), else `SOURCE_DATE_EPOCH`
/// when set (reproducible builds), else today.
fn as_of(clock: Clock) -> Result<NaiveDate> {
    if let Clock::Fixed(now) = clock {
        return Ok(now.date_naive());
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .map(|t| t.date_naive())
            .with_context(|| format!("SOURCE_DATE_EPOCH must be seconds since 1970, not {v:?}")),
        _ => Ok(clock.today()),
    }
}

fn print(report: &ExportReport, as_json: bool) -> Result<()> {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if as_json {
        return output::json(report);
    }
    let n = report.artifacts.len();
    println!(
        "Exported {n} artifact{} to {} ({} files{})",
        if n == 1 { "" } else { "s" },
        report.out,
        report.files,
        if report.encrypted { ", encrypted" } else { "" }
    );
    let out = Path::new(&report.out);
    println!("  open        {}", out.join("index.html").display());
    println!(
        "  board book  {} (print it to PDF)",
        out.join("board-book.html").display()
    );
    if report.encrypted {
        println!("  send the passphrase separately from the files");
    }
    Ok(())
}
