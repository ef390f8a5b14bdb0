//! Markdown for a customer feedback analysis.

use std::fmt::Write;

use super::{CustomerFeedback, num, num2, pct};
use crate::format::percent;
use crate::kinds::research;
use crate::kinds::sections::{self, cell, one_line};
use crate::model::Stage;

fn estimate_note(source: &str, stage: Option<Stage>) -> String {
    if source == "prompt" {
        "from your prompt".to_string()
    } else {
        match stage {
            Some(s) => format!("{} stage estimate", s.label()),
            None => "stage estimate".to_string(),
        }
    }
}

/// Renders every section; next actions last.
pub(super) fn markdown(c: &CustomerFeedback, stage: Option<Stage>) -> String {
    let mut out = String::new();
    let a = &c.nps;
    let n = a.sample_size;
    let _ = writeln!(
        out,
        "## Where you are\n\nNPS: **{}** ({}), from **{n} answers** ({}).\n",
        num(a.score),
        estimate_note(&a.source, stage),
        estimate_note(&a.sample_source, stage)
    );
    if c.sample.items != n || c.sample.items_source != a.sample_source {
        let _ = writeln!(
            out,
            "Feedback to tag: **{} items** ({}).\n",
            c.sample.items,
            estimate_note(&c.sample.items_source, stage)
        );
    }
    if let (Some(prev), Some(change)) = (a.previous, a.change) {
        let verdict = if a.change_is_real == Some(true) {
            "larger than that, so the change is very likely real"
        } else {
            "within it, so the change may be noise"
        };
        let _ = writeln!(
            out,
            "{} {} points from {}. Two surveys of {n} answers differ by up to ±{} points by chance (95%): {verdict}.\n",
            if change < 0.0 { "Down" } else { "Up" },
            num(change.abs()),
            num(prev),
            num(a.change_margin)
        );
    }
    let meaning = if a.score > 0.0 {
        format!(
            "promoters outnumber detractors by {} points of the sample: about {} more promoters than detractors in {n} answers",
            num(a.score),
            a.net_promoters
        )
    } else if a.score < 0.0 {
        format!(
            "detractors outnumber promoters by {} points of the sample: about {} more detractors than promoters in {n} answers",
            num(-a.score),
            -a.net_promoters
        )
    } else {
        "there are as many promoters as detractors".to_string()
    };
    let _ = writeln!(out, "NPS {} means {meaning}.\n", num(a.score));
    out.push_str("## Sources\n\n| Source | Named in the prompt | What to pull |\n|---|---|---|\n");
    for s in &c.sources {
        let from = if s.from_prompt { "yes" } else { "suggested" };
        let _ = writeln!(out, "| {} | {from} | {} |", cell(&s.name), cell(&s.pull));
    }
    let m = a.assumed_mix;
    let _ = writeln!(
        out,
        "\n## NPS arithmetic\n\nNPS = % promoters (9-10) - % detractors (0-6), from -100 to 100. These mixes all give NPS {}:\n\n| Promoters | Passives | Detractors | In {n} answers (promoters / passives / detractors) |\n|---:|---:|---:|---|",
        num(a.score)
    );
    for x in &a.consistent_mixes {
        let [p, q, d] = super::nps::counts(*x, n);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {p} / {q} / {d} |",
            percent(x.promoters),
            percent(x.passives),
            percent(x.detractors),
        );
    }
    let _ = writeln!(
        out,
        "\nAt the assumed mix ({}% promoters, {}% passives, {}% detractors), the standard error is sqrt(({} + {} - {}^2) / {n}) = **{} points**, so the 95% margin of error is **±{} points**: the 95% interval runs from {} to {}.\n",
        pct(m.promoters),
        pct(m.passives),
        pct(m.detractors),
        m.promoters,
        m.detractors,
        num2(m.promoters - m.detractors),
        num2(a.standard_error),
        num2(a.margin_of_error),
        num2(a.low),
        num2(a.high)
    );
    let _ = writeln!(
        out,
        "To gain {} points: each detractor who becomes a passive adds {} points (100 / {n}), so **{} detractors to passives**, or **{} to promoters** (200 / {n} points each), out of about {} detractors.\n",
        num(a.gain_points),
        num2(a.points_per_conversion),
        a.detractors_to_passives,
        a.detractors_to_promoters,
        a.detractors_in_sample
    );
    let items = c.sample.items;
    let _ = writeln!(
        out,
        "## Theme taxonomy\n\n| Theme | What counts | Severity | Act now at | Of {items} items | Margin (95%) |\n|---|---|---:|---:|---:|---:|"
    );
    for t in &c.themes {
        let named = if t.mentioned_in_prompt {
            " (named in the prompt)"
        } else if t.mentioned_in_challenge {
            " (named in your challenge)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| {}{named} | {} | {} ({}) | {} share | {} | ±{} points |",
            cell(&t.name),
            cell(&t.what_counts),
            t.severity,
            cell(&t.severity_reason),
            percent(t.act_now_share),
            t.act_now_mentions,
            pct(t.act_now_margin)
        );
    }
    let s = &c.scoring;
    let _ = writeln!(
        out,
        "\n## Priority scoring\n\n{}. Work on a theme this cycle at **{}** or more; watch it from {}.\n\nSeverity scale:\n",
        one_line(&s.formula),
        num(s.act_now_score),
        num2(s.watch_score)
    );
    for line in &s.severity_scale {
        let _ = writeln!(out, "- {}", one_line(line));
    }
    let _ = writeln!(out, "\nWorked example: {}\n", one_line(&s.worked_example));
    let g = &c.sample;
    let _ = writeln!(
        out,
        "## Sample size\n\n- A theme share measured on {items} items is within ±{} points at worst (a 50% share).\n- NPS within ±10 points needs {} answers; within ±5 points, {}.\n- A theme share within ±5 points needs {} items.\n- {}\n",
        pct(g.theme_margin_at_half),
        g.answers_for_nps_10,
        g.answers_for_nps_5,
        g.answers_for_theme_5,
        one_line(&g.verdict)
    );
    out.push_str("## Benchmarks\n\n| Metric | Value | Source |\n|---|---|---|\n");
    for b in &c.benchmarks {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&b.metric),
            cell(&b.value),
            cell(&b.source)
        );
    }
    out.push('\n');
    research::render_hypotheses(&mut out, &c.hypotheses);
    research::render_experiments(&mut out, &c.experiments);
    sections::render_list(&mut out, "Assumptions", &c.assumptions);
    sections::render_monitoring(&mut out, &c.monitoring);
    sections::render_alerts(&mut out, &c.alerts, |r| {
        if r.metric.starts_with("theme_share") {
            percent(r.threshold)
        } else if r.metric == "nps_drop_points" {
            format!("{} points", num(r.threshold))
        } else {
            num(r.threshold)
        }
    });
    sections::render_next_actions(&mut out, &c.next_actions);
    out
}
