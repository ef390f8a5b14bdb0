//! Markdown for the sections of a product velocity dashboard after the DORA table.

use std::fmt::Write;

use super::ProductVelocity;
use super::plan::{self, num};
use crate::format::percent;
use crate::kinds::research;
use crate::kinds::sections::{self, cell, one_line};
use crate::model::Stage;

/// Where the team is, the target band, and the DORA table with footnoted sources.
pub(super) fn head(out: &mut String, c: &ProductVelocity) {
    let team_note = if c.current.team_source == "prompt" {
        "from your prompt".to_string()
    } else {
        let stage = c
            .current
            .stage
            .parse::<Stage>()
            .map(Stage::label)
            .unwrap_or("your stage");
        format!("{stage} stage estimate")
    };
    let _ = writeln!(
        out,
        "## Where you are\n\nTeam: **{} engineer{}** ({team_note}).\n",
        c.current.team_size,
        if c.current.team_size == 1 { "" } else { "s" }
    );
    let band_note = match c.current.deploys_per_week {
        Some(d) => format!(
            "Deployment frequency: **{}** (from your prompt), the DORA **{}** band.",
            plan::deploy_rate_text(d),
            c.current.band
        ),
        None => format!(
            "Delivery band: assumed **{}** (stage estimate until GitHub and CI are connected).",
            c.current.band
        ),
    };
    let _ = writeln!(out, "{band_note}\n");
    for s in &c.current.signals {
        let _ = writeln!(out, "- {}", one_line(s));
    }
    if !c.current.signals.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "## Target: DORA {} band\n\n{}\n",
        c.target.band,
        one_line(&c.target.reasoning)
    );
    out.push_str("## DORA four keys\n\n| Key | Elite | High | Medium | Low | You (now) | Target |\n|---|---|---|---|---|---|---|\n");
    // Footnote numbers keep every band figure next to its report without repeating long citations.
    let mut sources: Vec<&str> = Vec::new();
    for r in &c.dora {
        let bands: Vec<String> = r
            .bands
            .iter()
            .map(|b| {
                let i = match sources.iter().position(|s| *s == b.source) {
                    Some(i) => i,
                    None => {
                        sources.push(&b.source);
                        sources.len() - 1
                    }
                };
                format!("{} [{}]", cell(&b.value), i + 1)
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&r.metric),
            bands.join(" | "),
            cell(&r.current),
            cell(&r.target)
        );
    }
    out.push('\n');
    for (i, s) in sources.iter().enumerate() {
        let _ = writeln!(out, "[{}] {}  ", i + 1, one_line(s));
    }
    out.push('\n');
}

/// Team targets, cycle time, the weekly dashboard and the sprint.
pub(super) fn targets(out: &mut String, c: &ProductVelocity) {
    out.push_str("## Targets sized to your team\n\n| Target | Value | How it is computed |\n|---|---:|---|\n");
    for t in &c.team_targets {
        let _ = writeln!(
            out,
            "| {} | {} {} | {} |",
            cell(&t.metric),
            num(t.value),
            cell(&t.unit),
            cell(&t.rule)
        );
    }
    out.push_str("\n## Cycle time targets\n\n| Phase | From - to | Target |\n|---|---|---:|\n");
    for p in &c.cycle_time {
        let _ = writeln!(
            out,
            "| {} | {} | under {} h |",
            cell(&p.phase),
            cell(&p.definition),
            num(p.target_hours)
        );
    }
    if let Some(p) = c.cycle_time.first() {
        let _ = writeln!(out, "\nSource: {}.", one_line(&p.source));
    }
    let heading = if c.focus.iter().any(|f| f == "standup") {
        "Weekly standup dashboard"
    } else {
        "Weekly dashboard"
    };
    let _ = writeln!(
        out,
        "\n## {heading}\n\nReview these numbers every Monday, starting {}.\n\n| Metric | Target | Act when | Source |\n|---|---|---|---|",
        c.dashboard.first_review
    );
    for r in &c.dashboard.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&r.metric),
            cell(&r.target),
            cell(&r.act_when),
            cell(&r.source)
        );
    }
    out.push('\n');
    if let Some(sp) = &c.sprint {
        let _ = writeln!(
            out,
            "## Next sprint\n\nSprint **{}** to **{}**: capacity {} engineer-days; commit **{}** ({} of capacity), about {} merged pull requests. Target planning accuracy: {} or more of committed work finished.\n",
            sp.start,
            sp.end,
            sp.capacity_days,
            num(sp.commit_days),
            percent(if sp.capacity_days > 0 {
                sp.commit_days / f64::from(sp.capacity_days)
            } else {
                0.0
            }),
            num(sp.prs_per_sprint),
            percent(sp.planning_accuracy_target)
        );
    }
}

/// Bottlenecks, benchmarks, hypotheses, experiments, assumptions, monitoring, alerts, actions.
pub(super) fn rest(out: &mut String, c: &ProductVelocity) {
    if !c.bottlenecks.is_empty() {
        sections::render_table(
            out,
            "## Where to look for the bottleneck\n\n| Stage | Check | Fix |\n|---|---|---|\n",
            c.bottlenecks
                .iter()
                .map(|b| vec![cell(&b.stage), cell(&b.check), cell(&b.fix)]),
        );
    }
    out.push_str("## Benchmarks\n\n| Metric | Band | Value | Source |\n|---|---|---|---|\n");
    for b in &c.benchmarks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&b.metric),
            cell(&b.band),
            cell(&b.value),
            cell(&b.source)
        );
    }
    out.push('\n');
    research::render_hypotheses(out, &c.hypotheses);
    research::render_experiments(out, &c.experiments);
    sections::render_list(out, "Assumptions", &c.assumptions);
    sections::render_monitoring(out, &c.monitoring);
    sections::render_alerts(out, &c.alerts, |a| {
        if a.metric.ends_with("_hours") {
            format!("{} h", num(a.threshold))
        } else if a.metric.ends_with("_rate") || a.metric.ends_with("_accuracy") {
            percent(a.threshold)
        } else {
            num(a.threshold)
        }
    });
    sections::render_next_actions(out, &c.next_actions);
}
