//! Billing cohorts as a self-contained SVG heatmap: one row per cohort of
//! `data.retention.cohorts[]`, one column per month since the cohort started, each cell shaded by
//! `customers_share` (the share of the cohort's customers still paying).
//!
//! Like the MRR chart it uses presentation attributes only and no external references, and it is
//! a pure function of its input, so the web UI and the static export can embed it as is.

use std::fmt::Write;

use serde_json::Value;

use super::chart::escape;
use crate::format::percent;

const WIDTH: f64 = 640.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 8.0;
const ROW: f64 = 24.0;
/// Cells narrower than this show their share only in the tooltip.
const MIN_TEXT_CELL: f64 = 34.0;
const INK: &str = "#374151";
/// Shades run from this (nobody left) to the accent (everyone left).
const LOW: (f64, f64, f64) = (238.0, 242.0, 255.0);
const HIGH: (f64, f64, f64) = (79.0, 70.0, 229.0);

/// One cohort: its label and the share still paying 1, 2, ... months later.
struct Row {
    label: String,
    customers: u64,
    cells: Vec<(u64, f64)>,
}

/// The cohorts in `data.retention.cohorts` as a heatmap, or `None` when no cohort has a later
/// month to show.
pub fn cohort_heatmap_svg(data: &Value) -> Option<String> {
    let rows: Vec<Row> = data
        .pointer("/retention/cohorts")?
        .as_array()?
        .iter()
        .filter_map(row)
        .collect();
    let columns = rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.0))
        .max()?;
    Some(render(&rows, columns))
}

fn row(cohort: &Value) -> Option<Row> {
    let month = cohort.get("month")?.as_str()?;
    let earlier = cohort.get("includes_earlier").and_then(Value::as_bool) == Some(true);
    let cells = cohort
        .get("retention")
        .and_then(Value::as_array)
        .map(|cells| {
            cells
                .iter()
                .filter_map(|c| {
                    let since = c.get("months_since")?.as_u64().filter(|m| *m >= 1)?;
                    let share = c
                        .get("customers_share")?
                        .as_f64()
                        .filter(|s| s.is_finite())?;
                    Some((since, share.clamp(0.0, 1.0)))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Row {
        label: if earlier {
            format!("{month} and earlier")
        } else {
            month.to_string()
        },
        customers: cohort.get("customers").and_then(Value::as_u64).unwrap_or(0),
        cells,
    })
}

fn shade(share: f64) -> String {
    let mix = |lo: f64, hi: f64| (lo + (hi - lo) * share).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(LOW.0, HIGH.0),
        mix(LOW.1, HIGH.1),
        mix(LOW.2, HIGH.2)
    )
}

fn render(rows: &[Row], columns: u64) -> String {
    let height = TOP + ROW * rows.len() as f64 + BOTTOM;
    let cell_w = (WIDTH - LEFT - RIGHT) / columns as f64;
    let mut s = String::new();
    let desc = format!(
        "Share of each monthly cohort's customers still paying 1 to {columns} months later; {} cohorts.",
        rows.len()
    );
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" \
         role=\"img\" aria-labelledby=\"cohort-chart-title cohort-chart-desc\" class=\"chart cohort-chart\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"11\">\
         <title id=\"cohort-chart-title\">Customer retention by cohort</title><desc id=\"cohort-chart-desc\">{}</desc>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">Months later</text>",
        escape(&desc),
        LEFT - 8.0,
        TOP - 10.0
    );
    for m in 1..=columns {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{m}</text>",
            LEFT + cell_w * (m as f64 - 0.5),
            TOP - 10.0
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            LEFT - 8.0,
            y + ROW / 2.0 + 4.0,
            escape(&r.label)
        );
        for &(since, share) in &r.cells {
            if since > columns {
                continue;
            }
            let x = LEFT + cell_w * (since - 1) as f64;
            let _ = write!(
                s,
                "<g class=\"cell\"><title>{}</title>\
                 <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                escape(&format!(
                    "{} cohort ({} customers), {since} months later: {} still paying",
                    r.label,
                    r.customers,
                    percent(share)
                )),
                x + 1.0,
                y + 1.0,
                (cell_w - 2.0).max(0.5),
                ROW - 2.0,
                shade(share)
            );
            if cell_w >= MIN_TEXT_CELL {
                let colour = if share > 0.55 { "#ffffff" } else { INK };
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{colour}\">{}</text>",
                    x + cell_w / 2.0,
                    y + ROW / 2.0 + 4.0,
                    escape(&percent(share))
                );
            }
            s.push_str("</g>");
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cell(since: u64, share: f64) -> Value {
        json!({"month": "x", "months_since": since, "customers": 1, "customers_share": share, "mrr": 1.0, "mrr_share": 1.0})
    }

    fn data() -> Value {
        json!({"retention": {"cohorts": [
            {"month": "2026-08", "includes_earlier": true, "customers": 10, "mrr": 1000.0,
             "retention": [cell(1, 0.9), cell(2, 0.8), cell(3, 0.7)]},
            {"month": "2026-09", "includes_earlier": false, "customers": 4, "mrr": 400.0,
             "retention": [cell(1, 0.75), cell(2, 0.5)]},
            {"month": "2026-10", "includes_earlier": false, "customers": 2, "mrr": 200.0,
             "retention": [cell(1, 1.0)]},
            {"month": "2026-11", "includes_earlier": false, "customers": 3, "mrr": 300.0, "retention": []}
        ]}})
    }

    #[test]
    fn a_row_per_cohort_and_a_cell_per_later_month() {
        let svg = cohort_heatmap_svg(&data()).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(svg.matches("class=\"cell\"").count(), 6);
        assert!(svg.contains(">2026-08 and earlier<"));
        assert!(
            svg.contains(">2026-11<"),
            "a cohort without later months still has its row"
        );
        assert!(svg.contains("2026-09 cohort (4 customers), 2 months later: 50% still paying"));
        assert!(svg.contains(">90%<"));
        // Full retention is the accent, none the palest shade.
        assert_eq!(shade(1.0), "#4f46e5");
        assert_eq!(shade(0.0), "#eef2ff");
    }

    #[test]
    fn no_cohorts_or_no_later_month_gives_none() {
        assert_eq!(cohort_heatmap_svg(&json!({})), None);
        assert_eq!(
            cohort_heatmap_svg(&json!({"retention": {"cohorts": []}})),
            None
        );
        assert_eq!(
            cohort_heatmap_svg(
                &json!({"retention": {"cohorts": [{"month": "2026-11", "retention": []}]}})
            ),
            None
        );
    }

    #[test]
    fn labels_are_escaped_and_shares_clamped() {
        let svg = cohort_heatmap_svg(&json!({"retention": {"cohorts": [
            {"month": "<b>&", "customers": 1, "retention": [cell(1, 7.0), cell(2, -1.0)]}
        ]}}))
        .unwrap();
        assert!(svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"));
        assert!(svg.contains(">100%<"));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(cohort_heatmap_svg(&data()).unwrap().replace("><", ">\n<"));
    }
}
