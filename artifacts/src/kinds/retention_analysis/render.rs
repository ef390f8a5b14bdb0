//! Markdown for a retention analysis.

use std::fmt::Write;

use super::pct as percent;
use super::plan::{num1, points};
use super::{Churn, RetentionAnalysis};
use crate::error::ArtifactError;
use crate::kinds::mrr_tracker::month_label_ym;
use crate::kinds::research;
use crate::kinds::sections::{self, cell, one_line};
use crate::kinds::typed;
use crate::model::Kind;

fn source_label(source: &str) -> &'static str {
    match source {
        "prompt" => "from your prompt",
        "stripe" => "from Stripe",
        "revenue-churn" => "derived from revenue churn",
        "stage-estimate" => "stage estimate",
        _ => "not measured yet",
    }
}

fn lifetime(m: Option<f64>) -> String {
    m.map_or("unbounded".to_string(), |m| format!("{} months", num1(m)))
}

fn churn_rows(out: &mut String, name: &str, c: &Churn) {
    let _ = writeln!(
        out,
        "| Monthly {name} churn | {} | {} |",
        percent(c.monthly),
        source_label(&c.source)
    );
    if let Some(p) = c.previous {
        let _ = writeln!(
            out,
            "| Monthly {name} churn before | {} | change of {} points |",
            percent(p),
            points((c.monthly - p) * 100.0)
        );
    }
    let _ = writeln!(
        out,
        "| Kept over a year ({name}) | {} | (1 - {})^12 |",
        percent(c.annual_retention),
        percent(c.monthly)
    );
    let _ = writeln!(
        out,
        "| Average {name} lifetime | {} | 1 / {} |",
        lifetime(c.lifetime_months),
        percent(c.monthly)
    );
}

/// Renders the retention analysis's sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: RetentionAnalysis = typed(Kind::RetentionAnalysis, content)?;
    let mut out = String::new();
    let _ = writeln!(out, "## Summary\n\n{}\n", one_line(&c.summary));

    let _ = writeln!(
        out,
        "## Where you are\n\nAs of {}.\n\n| Metric | Value | How |\n|---|---:|---|",
        c.current.as_of
    );
    churn_rows(&mut out, "logo", &c.current.logo_churn);
    if let Some(r) = &c.current.revenue_churn {
        churn_rows(&mut out, "revenue", r);
    }
    out.push('\n');

    let t = &c.target;
    let _ = writeln!(
        out,
        "## Target\n\n**{}** monthly logo churn by **{}** ({} month{}, {}): remove **{} points** a month. At {}, {} of customers stay a year and the average lifetime is {}.\n",
        percent(t.logo_churn),
        t.deadline,
        t.months,
        if t.months == 1 { "" } else { "s" },
        match t.source.as_str() {
            "prompt" => "target from your prompt",
            "segment-benchmark" => "target from the segment benchmark",
            _ => "target a fifth below today",
        },
        points(t.monthly_reduction_points),
        percent(t.logo_churn),
        percent(t.annual_retention),
        lifetime(t.lifetime_months)
    );
    out.push_str("| Month | Logo churn | Kept over a year |\n|---|---:|---:|\n");
    for p in &t.path {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            month_label_ym(&p.month),
            percent(p.logo_churn),
            percent(p.annual_retention)
        );
    }

    let _ = writeln!(
        out,
        "\n## Segment\n\n**{}.** {}\n",
        match c.segment.segment.as_str() {
            "mid-market" => "Mid-market",
            "enterprise" => "Enterprise",
            _ => "SMB",
        },
        one_line(&c.segment.reason)
    );

    out.push_str("## NRR and GRR\n\n| Metric | Yours | Segment band | Status | Next bar | Definition |\n|---|---:|---:|---|---:|---|\n");
    for r in &c.revenue_retention {
        let yours = match r.current {
            Some(v) => format!("{} ({})", percent(v), source_label(&r.source)),
            None => "not measured yet".to_string(),
        };
        let band = match r.band_high {
            Some(h) => format!("{}-{}", percent(r.band_low), percent(h)),
            None => format!("above {}", percent(r.band_low)),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.metric.to_uppercase(),
            yours,
            band,
            r.status.replace('-', " "),
            percent(r.target),
            cell(&r.definition)
        );
    }
    out.push('\n');

    sections::render_table(
        &mut out,
        "## Benchmarks\n\n| Metric | Value | Source |\n|---|---:|---|\n",
        c.benchmarks
            .iter()
            .map(|b| vec![cell(&b.metric), cell(&b.value), cell(&b.source)]),
    );

    render_cohorts(&mut out, &c);

    let q = &c.quick_ratio;
    let _ = writeln!(
        out,
        "## SaaS quick ratio\n\nQuick ratio = {} A ratio above {} is strong. At {} monthly MRR churn, a ratio of {} needs new, expansion and reactivation MRR worth {} of MRR every month. {}\n\nSource: {}.\n",
        one_line(&q.definition),
        num1(q.benchmark),
        percent(q.churn_basis),
        num1(q.benchmark),
        percent(q.gross_adds_needed),
        match q.value {
            Some(v) => format!("Yours: **{}**.", num1(v)),
            None =>
                "Not measured yet: it comes from Stripe MRR movements once connected.".to_string(),
        },
        one_line(&q.source)
    );

    research::render_tested_hypotheses(&mut out, &c.hypotheses);

    sections::render_table(
        &mut out,
        "## Experiments\n\n| Experiment | Change | Metric | Success | Start | Read out |\n|---|---|---|---|---|---|\n",
        c.experiments.iter().map(|e| {
            vec![
                cell(&e.name),
                cell(&e.change),
                cell(&e.metric),
                cell(&e.success),
                e.start.to_string(),
                e.readout.to_string(),
            ]
        }),
    );

    sections::render_list(&mut out, "Assumptions", &c.assumptions);
    sections::render_monitoring(&mut out, &c.monitoring);
    sections::render_alerts(&mut out, &c.alerts, |a| match a.metric.as_str() {
        "quick_ratio" => num1(a.threshold),
        _ => percent(a.threshold),
    });
    sections::render_next_actions(&mut out, &c.next_actions);
    Ok(out)
}

fn render_cohorts(out: &mut String, c: &RetentionAnalysis) {
    let t = &c.cohorts;
    let columns = t.expected.len();
    let _ = writeln!(
        out,
        "## Cohort table\n\n{} Each cell is the share of a sign-up month's customers still active m months later; month 0 is 100% by definition. Blank cells are months to fill ({} in all); a dash marks months that have not ended yet.\n",
        one_line(&t.basis),
        t.cells_to_fill
    );
    out.push_str("| Cohort |");
    for m in 0..columns {
        let _ = write!(out, " M{m} |");
    }
    out.push_str("\n|---|");
    for _ in 0..columns {
        out.push_str("---:|");
    }
    out.push('\n');
    let churn = c.current.logo_churn.monthly;
    let expected = |label: String, values: &[f64]| {
        let mut row = format!("| {label} |");
        for v in values {
            let _ = write!(row, " {} |", percent(*v));
        }
        row
    };
    let _ = writeln!(
        out,
        "{}",
        expected(format!("Expected at {} churn", percent(churn)), &t.expected)
    );
    if (c.target.logo_churn - churn).abs() > 1e-9 {
        let _ = writeln!(
            out,
            "{}",
            expected(
                format!("Expected at {} target", percent(c.target.logo_churn)),
                &t.at_target
            )
        );
    }
    for r in &t.rows {
        let _ = write!(out, "| {} |", month_label_ym(&r.cohort));
        for m in 0..columns {
            match r.retained.get(m) {
                Some(Some(v)) => {
                    let _ = write!(out, " {} |", percent(*v));
                }
                Some(None) => out.push_str("  |"),
                None => out.push_str(" - |"),
            }
        }
        out.push('\n');
    }
    out.push('\n');
}
