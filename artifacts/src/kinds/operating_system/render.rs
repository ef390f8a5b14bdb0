//! Markdown for the operating system.

use std::fmt::Write;

use super::OperatingSystem;
use crate::error::ArtifactError;
use crate::format::{group_thousands, money, percent};
use crate::kinds::board_prep::render_evidence;
use crate::kinds::sections::{self, cell};
use crate::kinds::typed;
use crate::model::Kind;

/// A value in its unit.
pub fn value(unit: &str, v: f64) -> String {
    match unit {
        "$" => money(v),
        "%" => percent(v),
        "%/week" => format!("{} a week", percent(v)),
        "months" => format!("{v} months"),
        "hours" => format!("{v} h"),
        "x" => format!("{v}x"),
        "done" => if v >= 1.0 { "done" } else { "not started" }.to_string(),
        _ => group_thousands(v.round().abs() as u128),
    }
}

/// Renders the operating system's sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: OperatingSystem = typed(Kind::OperatingSystem, content)?;
    let mut out = String::new();
    let t = &c.team;
    let size = if t.size_source == "prompt" {
        format!("{} people (from your prompt)", t.size)
    } else {
        format!("{} people (stage estimate)", t.size)
    };
    let stage = if t.stage_source == "context" {
        t.stage.clone()
    } else {
        format!("{} (assumed)", t.stage)
    };
    let _ = writeln!(
        out,
        "## Team\n\nTeam: {size}. Stage: {stage}. Leadership meeting: {} people{}.\n\n{}\n",
        t.leadership_size,
        if t.separate_leadership_meeting {
            ", separate from the all-hands"
        } else {
            ", the whole team"
        },
        sections::one_line(&t.reasoning)
    );

    out.push_str("## Cadence\n\n| Ritual | Cadence | When | First | Owner | Attendees | Minutes |\n|---|---|---|---|---|---|---:|\n");
    for r in &c.rituals {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.name),
            r.cadence,
            cell(&r.when),
            r.first,
            cell(&r.owner),
            cell(&r.attendees),
            r.duration_minutes
        );
    }
    out.push_str("\n## Agendas\n\n");
    for r in &c.rituals {
        let items: Vec<String> = r
            .agenda
            .iter()
            .map(|s| format!("{} ({} min)", sections::one_line(&s.item), s.minutes))
            .collect();
        let _ = writeln!(
            out,
            "- **{}** ({} min): {}",
            sections::one_line(&r.name),
            r.duration_minutes,
            items.join("; ")
        );
    }
    let l = &c.meeting_load;
    let _ = writeln!(
        out,
        "\n## Meeting load\n\n| Person | Hours a week | Cap |\n|---|---:|---:|\n| Team member | {} | {} |\n| CEO | {} | {} |\n",
        l.member_hours_per_week, l.member_cap_hours, l.leader_hours_per_week, l.leader_cap_hours
    );
    let verdict = if l.within_cap {
        "Both are within their caps."
    } else {
        "Over the cap even after shortening: cut a ritual."
    };
    let _ = writeln!(out, "{verdict}\n");
    sections::render_list(&mut out, "Cap adjustments", &l.adjustments);

    out.push_str(
        "## Scorecard (weekly)\n\n| Metric | Owner | Target | Basis |\n|---|---|---|---|\n",
    );
    for s in &c.scorecard {
        let _ = writeln!(
            out,
            "| {} | {} | {} {} | {} |",
            cell(&s.metric),
            cell(&s.owner),
            s.direction,
            value(&s.unit, s.target),
            cell(&s.basis)
        );
    }
    let q = &c.okrs;
    let _ = writeln!(
        out,
        "\n## OKRs for {}\n\nFrom {} to {}: {} days, {} weeks{}.\n",
        q.quarter,
        q.start,
        q.end,
        q.days,
        q.weeks,
        if q.next_quarter {
            " (this quarter ends too soon to plan)"
        } else {
            ""
        }
    );
    for (i, o) in q.objectives.iter().enumerate() {
        let _ = writeln!(
            out,
            "### Objective {}: {}\n\nOwner: {}.\n\n| Key result | Baseline | Target | Due |\n|---|---:|---:|---|",
            i + 1,
            sections::one_line(&o.title),
            cell(&o.owner)
        );
        for k in &o.key_results {
            let base = k
                .baseline
                .map_or_else(|| "to measure".to_string(), |b| value(&k.unit, b));
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&k.text),
                base,
                value(&k.unit, k.target),
                k.due
            );
        }
        out.push('\n');
    }
    out.push_str("## Decision log\n\n| Date | Decision | Owner | Alternatives considered | Revisit |\n|---|---|---|---|---|\n");
    for d in &c.decision_log {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            d.date,
            cell(&d.decision),
            cell(&d.owner),
            cell(&d.alternatives),
            d.revisit
        );
    }
    out.push('\n');
    if let Some(tools) = &c.tools {
        sections::render_table(
            &mut out,
            "## One home per need\n\n| Need | Home | Rule |\n|---|---|---|\n",
            tools
                .iter()
                .map(|h| vec![cell(&h.need), cell(&h.home), cell(&h.rule)]),
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
        "meeting_hours_per_person_per_week" => format!("{} h", a.threshold),
        "scorecard_metrics_off_target_2_weeks_running" => format!("{} metrics", a.threshold),
        _ => percent(a.threshold),
    });
    sections::render_next_actions(&mut out, &c.next_actions);
    Ok(out)
}
