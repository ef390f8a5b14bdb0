//! Markdown for the board pack.

use std::fmt::Write;

use super::{Benchmark, BoardPrep, Experiment, KpiRow, long_date};
use crate::error::ArtifactError;
use crate::format::{group_thousands, money, percent};
use crate::kinds::sections::{self, cell};
use crate::kinds::typed;
use crate::model::Kind;

/// A KPI value in its unit.
pub fn value(unit: &str, v: f64) -> String {
    match unit {
        "$" => money(v),
        "%" => percent(v),
        "months" => format!("{v:.1} months"),
        "x" => format!("{v:.1}x"),
        _ => group_thousands(v.round().abs() as u128),
    }
}

fn variance(row: &KpiRow) -> String {
    let Some(v) = row.variance else {
        return "to compute".to_string();
    };
    let sign = if v > 0.0 { "+" } else { "" };
    let main = if row.unit == "%" {
        format!("{sign}{:.1} pts", v * 100.0)
    } else {
        format!("{sign}{}", value(&row.unit, v))
    };
    match row.variance_pct {
        Some(p) => format!("{main} ({sign}{})", percent(p)),
        None => main,
    }
}

fn opt(unit: &str, v: Option<f64>) -> String {
    v.map_or_else(|| "to fill".to_string(), |v| value(unit, v))
}

/// Renders the board pack's sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: BoardPrep = typed(Kind::BoardPrep, content)?;
    let mut out = String::new();
    let m = &c.meeting;
    let when = match m.days_until {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        d if d < 0 => format!("{} days ago", -d),
        d => format!("in {d} days"),
    };
    let source = if m.date_source == "prompt" {
        "from your prompt"
    } else {
        "estimated: confirm it"
    };
    let length = if m.length_source == "prompt" {
        "from your prompt"
    } else {
        "default"
    };
    let span = if m.period.complete {
        format!("{} to {}", m.period.start, m.period.end)
    } else {
        format!("{} to date; quarter ends {}", m.period.start, m.period.end)
    };
    let _ = writeln!(
        out,
        "## Meeting\n\n- Date: **{}** ({}, {source}), {when}.\n- Length: {} minutes ({length}).\n- Reviews: **{}** ({span}); the forecast runs through {}.\n",
        m.date,
        long_date(m.date),
        m.length_minutes,
        m.period.label,
        m.period.forecast_through
    );
    let s = &c.current_state;
    let stage = if s.stage_source == "context" {
        s.stage.clone()
    } else {
        format!("{} (assumed)", s.stage)
    };
    let mrr_source = match s.mrr_source.as_str() {
        "prompt" => "from your prompt".to_string(),
        "stage-estimate" => "stage estimate, used for the benchmark band only".to_string(),
        other => format!("from {other}"),
    };
    let plan = s
        .plan_mrr
        .map(|p| format!(" Plan: {} MRR (from your prompt).", money(p)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "## Where you are\n\nStage: {stage}. MRR: {} ({mrr_source}).{plan}\n",
        money(s.mrr)
    );

    let t = &c.timeline;
    let _ = writeln!(out, "## Preparation timeline\n\n{}\n", t.note);
    out.push_str("| Date | Days before | Step | Owner |\n|---|---:|---|---|\n");
    for step in &t.steps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            step.date,
            step.days_before_meeting,
            cell(&step.step),
            cell(&step.owner)
        );
    }
    let _ = writeln!(
        out,
        "\n## Agenda ({} minutes)\n\n| # | Item | Owner | Minutes | Covers |\n|---:|---|---|---:|---|",
        c.agenda.total_minutes
    );
    for (i, item) in c.agenda.items.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            cell(&item.item),
            cell(&item.owner),
            item.minutes,
            cell(&item.contents.join("; "))
        );
    }
    let _ = writeln!(
        out,
        "| | **Total** | | **{}** | |\n",
        c.agenda.total_minutes
    );

    out.push_str("## CEO update\n\nHighlights:\n\n");
    for h in &c.ceo_update.highlights {
        let _ = writeln!(out, "- {}", sections::one_line(h));
    }
    out.push_str("\nLowlights:\n\n");
    for l in &c.ceo_update.lowlights {
        let _ = writeln!(out, "- {}", sections::one_line(l));
    }
    out.push_str("\n## KPIs vs plan vs prior period\n\n| KPI | Definition | Actual | Plan | Prior period | Variance vs plan | How to compute |\n|---|---|---:|---:|---:|---:|---|\n");
    for k in &c.kpis {
        let better = if k.better == "lower" {
            " (lower is better)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {}{better} | {} | {} | {} | {} | {} | {} |",
            cell(&k.metric),
            cell(&k.definition),
            opt(&k.unit, k.actual),
            opt(&k.unit, k.plan),
            opt(&k.unit, k.prior),
            variance(k),
            cell(&k.variance_formula)
        );
    }
    out.push('\n');
    sections::render_list(&mut out, "Asks", &c.asks);
    if let Some(steps) = &c.fundraising {
        sections::render_table(
            &mut out,
            "## Fundraising plan\n\n| Date | Step | Owner |\n|---|---|---|\n",
            steps
                .iter()
                .map(|s| vec![s.date.to_string(), cell(&s.step), cell(&s.owner)]),
        );
    }
    render_evidence(
        &mut out,
        &c.benchmarks,
        &c.assumptions,
        &c.hypotheses,
        &c.experiments,
    );
    sections::render_monitoring(&mut out, &c.monitoring);
    sections::render_alerts(&mut out, &c.alerts, |a| match a.metric.as_str() {
        "pack_lead_hours" => format!("{} h", a.threshold),
        "runway_months" => format!("{} months", a.threshold),
        "mrr" => format!("{} of plan", percent(a.threshold)),
        "burn_multiple" => format!("{}x", a.threshold),
        _ => percent(a.threshold),
    });
    sections::render_next_actions(&mut out, &c.next_actions);
    Ok(out)
}

/// Benchmarks, assumptions, hypotheses and dated experiments, as board packs and operating
/// systems show them.
pub(crate) fn render_evidence(
    out: &mut String,
    benchmarks: &[Benchmark],
    assumptions: &[String],
    hypotheses: &[String],
    experiments: &[Experiment],
) {
    sections::render_table(
        out,
        "## Benchmarks\n\n| Metric | Benchmark | Source |\n|---|---|---|\n",
        benchmarks
            .iter()
            .map(|b| vec![cell(&b.metric), cell(&b.display), cell(&b.source)]),
    );
    sections::render_list(out, "Assumptions", assumptions);
    sections::render_list(out, "Hypotheses", hypotheses);
    if !experiments.is_empty() {
        sections::render_table(
            out,
            "## Experiments\n\n| Experiment | Dates | Metric | Success |\n|---|---|---|---|\n",
            experiments.iter().map(|e| {
                vec![
                    cell(&e.name),
                    format!("{} to {}", e.start, e.end),
                    cell(&e.metric),
                    cell(&e.success),
                ]
            }),
        );
    }
}
