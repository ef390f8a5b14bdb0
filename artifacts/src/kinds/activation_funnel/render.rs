//! Markdown for an activation funnel.

use std::fmt::Write;

use super::plan::{pts, users};
use super::{ActivationFunnel, capitalise};
use crate::benchmarks::activation as bench;
use crate::error::ArtifactError;
use crate::format::{group_thousands, percent};
use crate::kinds::research;
use crate::kinds::sections::{self, cell, one_line};
use crate::kinds::typed;
use crate::model::Kind;

fn source_label(source: &str) -> &'static str {
    match source {
        "definition" => "start of the funnel",
        "prompt" => "from your prompt",
        "scaled-estimate" => "estimate, scaled to your rate",
        "posthog" => "PostHog",
        _ => "stage estimate",
    }
}

/// Renders the activation funnel's sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: ActivationFunnel = typed(Kind::ActivationFunnel, content)?;
    let mut out = String::new();
    let _ = writeln!(out, "## Summary\n\n{}\n", one_line(&c.summary));

    let d = &c.definition;
    let _ = writeln!(
        out,
        "## Activation definition\n\n{}\n\nWindow: **{} days**, {}.\n",
        one_line(&d.text),
        d.window_days,
        if d.window_source == "prompt" {
            "from your prompt".to_string()
        } else {
            format!(
                "PostHog's default conversion window (source: {})",
                bench::POSTHOG_FUNNELS
            )
        }
    );

    let _ = writeln!(
        out,
        "## Funnel\n\nActivation today: **{}** ({}, as of {}). Conversion is from the previous step, within {} days of sign-up.\n",
        percent(c.current.activation_rate),
        match c.current.source.as_str() {
            "prompt" => "from your prompt",
            "computed" => "computed from the rate you gave and stage estimates",
            _ => "stage estimate",
        },
        c.current.as_of,
        c.funnel.window_days
    );
    out.push_str("| Step | Event | Conversion | Reached per 1,000 sign-ups | Lost per 1,000 | Source |\n|---|---|---:|---:|---:|---|\n");
    for s in &c.funnel.steps {
        let opt = |v: Option<f64>| v.map_or("not measured yet".to_string(), users);
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} |",
            cell(&s.name),
            s.event,
            s.rate.map_or("not measured yet".to_string(), percent),
            opt(s.reached_per_1000),
            opt(s.lost_per_1000),
            source_label(&s.source)
        );
    }
    out.push('\n');

    if let Some(ch) = &c.change {
        let _ = writeln!(
            out,
            "## Before and after\n\n| Metric | Before | After | Change | Relative change | Users per 1,000 sign-ups |\n|---|---:|---:|---:|---:|---:|\n| {} | {} | {} | {}{} points | {}{} | {}{} |\n",
            cell(&capitalise(&ch.metric)),
            percent(ch.before),
            percent(ch.after),
            if ch.drop_points > 0.0 { "-" } else { "+" },
            pts(ch.drop_points),
            if ch.drop_points > 0.0 { "-" } else { "+" },
            percent(ch.relative_drop.abs()),
            if ch.drop_points > 0.0 { "-" } else { "+" },
            users(ch.users_lost_per_1000)
        );
    }

    let t = &c.target;
    let _ = writeln!(
        out,
        "## Target\n\n**{}** activation by **{}** ({}): {} more activated users per 1,000 sign-ups than today.\n",
        percent(t.activation_rate),
        t.deadline,
        match t.source.as_str() {
            "prompt" => "from your prompt",
            "before-the-drop" => "back to the level before the drop",
            "stage-benchmark" => "the benchmark bar for your stage",
            _ => "five points above today",
        },
        users(t.users_gained_per_1000)
    );
    let paid_now = c
        .funnel
        .steps
        .get(4)
        .and_then(|s| s.reached_per_1000)
        .map(|r| r / 1000.0);
    if let (Some(goal), Some(now)) = (t.paid_conversion, paid_now) {
        let _ = writeln!(
            out,
            "Conversion to paid: **{}** of sign-ups by **{}** (from your prompt), against {} today: {} more paying users per 1,000 sign-ups.\n",
            percent(goal),
            t.deadline,
            percent(now),
            users(((goal - now) * 1000.0).max(0.0))
        );
    }

    let g = &c.gap;
    out.push_str("## Benchmarks\n\n| Metric | Value | Source |\n|---|---:|---|\n");
    for b in &c.benchmarks {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&b.metric),
            cell(&b.value),
            cell(&b.source)
        );
    }
    let side = |p: f64| if p < 0.0 { "below" } else { "above" };
    let _ = writeln!(
        out,
        "\nGap: {} points {} the 36% average, {} points {} the 30% median; {}.\n",
        pts(g.vs_average_points),
        side(g.vs_average_points),
        pts(g.vs_median_points),
        side(g.vs_median_points),
        if g.users_short_per_1000 > 0.0 {
            format!(
                "{} activated users per 1,000 sign-ups short of the {} bar of {}",
                users(g.users_short_per_1000),
                g.bar_name,
                percent(g.bar)
            )
        } else {
            format!("you clear the {} bar of {}", g.bar_name, percent(g.bar))
        }
    );

    research::render_tested_hypotheses(&mut out, &c.hypotheses);

    if !c.experiments.is_empty() {
        out.push_str("## Experiments\n\n| Experiment | Change | Metric | Control | Variant | Effect to detect | Users per arm | Users in all |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        for e in &c.experiments {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {}{} points | {} | {} |",
                cell(&e.name),
                cell(&e.change),
                cell(&e.metric),
                percent(e.baseline),
                percent(e.target),
                if e.mde_points < 0.0 { "-" } else { "+" },
                pts(e.mde_points),
                group_thousands(u128::from(e.sample_size_per_arm)),
                group_thousands(u128::from(e.total_sample))
            );
        }
        let _ = writeln!(
            out,
            "\nUsers per arm n = (1.96 * sqrt(2p(1 - p)) + 0.84 * sqrt(p1(1 - p1) + p2(1 - p2)))^2 / (p1 - p2)^2, with p the mean of p1 and p2: alpha 0.05 two-sided, power 0.8 ({}).\n",
            bench::TWO_PROPORTION
        );
    }

    let r = &c.readout;
    let _ = writeln!(
        out,
        "## First read-out\n\nSign-ups from {} to {} finish their {}-day window by **{}**: read the first cohort then.\n",
        r.cohort_start, r.cohort_end, c.definition.window_days, r.window_closes
    );

    sections::render_list(&mut out, "Assumptions", &c.assumptions);
    sections::render_monitoring(&mut out, &c.monitoring);
    sections::render_alerts(&mut out, &c.alerts, |a| percent(a.threshold));
    sections::render_next_actions(&mut out, &c.next_actions);
    Ok(out)
}
