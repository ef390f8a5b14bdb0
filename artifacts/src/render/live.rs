//! Markdown for an artifact's live data (`data`, filled by integrations), shared by the web app,
//! the folder mirror and the static export: actual against plan, billing retention, board KPIs,
//! the PostHog funnel and product retention. Nothing here computes a number; it shows the ones
//! the pullers computed.

use std::fmt::Write as _;

use serde_json::Value;

use crate::format::{money, percent};
use crate::kinds::sections::{cell, render_table};

/// An artifact's Markdown with its live-data sections inserted just before `## Notes` (or at
/// the end), as the export's `index.md` and the folder mirror show it.
pub fn with_live_data(markdown: &str, kind: &str, data: &Value) -> String {
    let mut md = markdown.to_string();
    if let Some(live) = live_markdown(kind, data) {
        let at = md.find("\n## Notes\n").map_or(md.len(), |i| i + 1);
        md.insert_str(at, &live);
    }
    md
}

/// The live-data sections of an artifact of `kind`, or `None` when it has no live data yet.
pub fn live_markdown(kind: &str, data: &Value) -> Option<String> {
    let mut out = String::new();
    match kind {
        "mrr_tracker" => actual_vs_plan(&mut out, data),
        "retention_analysis" => {
            billing_retention(&mut out, data);
            product_retention(&mut out, &data["product_retention"]);
        }
        "board_prep" => kpis(&mut out, data),
        "activation_funnel" => funnel(&mut out, &data["funnel"]),
        _ => {}
    }
    (!out.is_empty()).then_some(out)
}

/// `(YYYY-MM, mrr)` of the actual series, for the MRR chart.
pub fn actual_series(data: &Value) -> Vec<(String, f64)> {
    data["series"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|p| Some((p["month"].as_str()?.to_string(), p["mrr"].as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn source_line(out: &mut String, data: &Value, what: &str) {
    let at = data["synced_at"].as_str().unwrap_or("the last pull");
    let _ = writeln!(out, "_{what} from Stripe, as of {}._\n", cell(at));
}

fn amount(v: &Value) -> String {
    v.as_f64().map_or("–".to_string(), money)
}

fn share(v: &Value) -> String {
    v.as_f64().map_or("–".to_string(), percent)
}

fn actual_vs_plan(out: &mut String, data: &Value) {
    let Some(rows) = data["actual_vs_plan"].as_array() else {
        return;
    };
    out.push_str("## Actual vs plan\n\n");
    source_line(out, data, "Actual MRR");
    render_table(
        out,
        "| Month | Plan | Actual | Status |\n|---|---:|---:|---|\n",
        rows.iter().map(|r| {
            vec![
                cell(r["month"].as_str().unwrap_or("")),
                amount(&r["plan"]),
                amount(&r["actual"]),
                cell(&r["status"].as_str().unwrap_or("").replace('-', " ")),
            ]
        }),
    );
}

fn billing_retention(out: &mut String, data: &Value) {
    let r = &data["retention"];
    if r.is_null() {
        return;
    }
    out.push_str("## Retention from billing\n\n");
    source_line(out, data, "Computed");
    let window = r["window_months"].as_u64().unwrap_or(12);
    let needs = |what: &str| {
        format!(
            "{what}: needs {window} months of history ({} available so far)",
            r["months_available"].as_u64().unwrap_or(0)
        )
    };
    let _ = writeln!(
        out,
        "- {}",
        r["nrr"].as_f64().map_or_else(
            || needs("NRR"),
            |v| format!("NRR over {window} months: {}", percent(v))
        )
    );
    let _ = writeln!(
        out,
        "- {}",
        r["grr"].as_f64().map_or_else(
            || needs("GRR"),
            |v| format!("GRR over {window} months: {}", percent(v))
        )
    );
    let month = r["quick_ratio_month"].as_str().unwrap_or("the last month");
    let _ = writeln!(
        out,
        "- Quick ratio ({}): {}\n",
        cell(month),
        r["quick_ratio"].as_f64().map_or(
            "no churn or contraction to divide by".to_string(),
            |q| format!("{q:.2}")
        )
    );
    if let Some(months) = r["months"].as_array() {
        render_table(
            out,
            "| Month | Customers at start | Churned | Logo churn | Revenue churn |\n|---|---:|---:|---:|---:|\n",
            months.iter().map(|m| {
                vec![
                    cell(m["month"].as_str().unwrap_or("")),
                    m["customers_start"].to_string(),
                    m["customers_churned"].to_string(),
                    share(&m["logo_churn_rate"]),
                    share(&m["revenue_churn_rate"]),
                ]
            }),
        );
    }
    if let Some(cohorts) = r["cohorts"].as_array() {
        render_table(
            out,
            "| Cohort | Customers | Starting MRR | Customers now | MRR now |\n|---|---:|---:|---:|---:|\n",
            cohorts.iter().map(|c| {
                let last = c["retention"].as_array().and_then(|cells| cells.last());
                vec![
                    cell(&format!(
                        "{}{}",
                        c["month"].as_str().unwrap_or(""),
                        if c["includes_earlier"].as_bool() == Some(true) {
                            " and earlier"
                        } else {
                            ""
                        }
                    )),
                    c["customers"].to_string(),
                    amount(&c["mrr"]),
                    last.map_or("–".to_string(), |l| share(&l["customers_share"])),
                    last.map_or("–".to_string(), |l| share(&l["mrr_share"])),
                ]
            }),
        );
    }
}

fn product_retention(out: &mut String, retention: &Value) {
    let Some(cohorts) = retention["cohorts"].as_array() else {
        return;
    };
    let _ = writeln!(
        out,
        "## Product retention from PostHog\n\n_People who did `{}` and came back with `{}`, by week._\n",
        cell(retention["start_event"].as_str().unwrap_or("")),
        cell(retention["return_event"].as_str().unwrap_or(""))
    );
    render_table(
        out,
        "| Week of | People | Week 1 | Week 2 | Week 4 |\n|---|---:|---:|---:|---:|\n",
        cohorts.iter().map(|c| {
            let rate = |i: usize| share(&c["rates"][i]);
            vec![
                cell(c["week_start"].as_str().unwrap_or("")),
                c["size"].to_string(),
                rate(1),
                rate(2),
                rate(4),
            ]
        }),
    );
}

fn kpis(out: &mut String, data: &Value) {
    let Some(rows) = data["kpis"].as_array() else {
        return;
    };
    out.push_str("## KPIs\n\n");
    source_line(out, data, "Actuals");
    render_table(
        out,
        "| KPI | Actual | Prior period | Plan |\n|---|---:|---:|---:|\n",
        rows.iter().map(|k| {
            let name = k["name"].as_str().unwrap_or("");
            let show = |v: &Value| match name {
                "Paying customers" => v.as_u64().map_or("–".to_string(), |n| n.to_string()),
                n if n.starts_with("Quick ratio") => {
                    v.as_f64().map_or("–".to_string(), |q| format!("{q:.2}"))
                }
                _ => amount(v),
            };
            vec![
                cell(name),
                show(&k["actual"]),
                show(&k["prior"]),
                show(&k["plan"]),
            ]
        }),
    );
}

fn funnel(out: &mut String, funnel: &Value) {
    let Some(steps) = funnel["steps"].as_array() else {
        return;
    };
    let _ = writeln!(
        out,
        "## Funnel from PostHog\n\n_{} to {}, each step within {} days of the first._\n",
        cell(funnel["from"].as_str().unwrap_or("")),
        cell(funnel["to"].as_str().unwrap_or("")),
        funnel["window_days"]
    );
    render_table(
        out,
        "| Step | People | From the first step | From the previous step |\n|---|---:|---:|---:|\n",
        steps.iter().map(|s| {
            vec![
                format!("`{}`", cell(s["event"].as_str().unwrap_or(""))),
                s["count"].to_string(),
                share(&s["conversion_from_start"]),
                share(&s["conversion_from_previous"]),
            ]
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nothing_without_data_and_tables_with_it() {
        assert_eq!(live_markdown("mrr_tracker", &json!({})), None);
        let data = json!({
            "synced_at": "2026-11-26T12:00:00Z",
            "series": [{"month": "2026-10", "mrr": 5247.92}, {"month": "2026-11", "mrr": 5070.42}],
            "actual_vs_plan": [{"month": "2026-11", "plan": 12000.0, "actual": 5070.42, "status": "off-track"},
                               {"month": "2026-12", "plan": 14000.0, "actual": null, "status": "upcoming"}]
        });
        let md = live_markdown("mrr_tracker", &data).unwrap();
        assert!(
            md.contains("| 2026-11 | $12,000 | $5,070.42 | off track |"),
            "{md}"
        );
        assert!(md.contains("| 2026-12 | $14,000 | – | upcoming |"), "{md}");
        assert_eq!(
            actual_series(&data),
            vec![("2026-10".into(), 5247.92), ("2026-11".into(), 5070.42)]
        );
    }

    #[test]
    fn funnel_event_names_are_escaped() {
        let data = json!({"funnel": {"from": "2026-10-28", "to": "2026-11-26", "window_days": 14, "steps": [
            {"event": "a|b <script>", "count": 7, "conversion_from_start": 1.0, "conversion_from_previous": 1.0},
            {"event": "signed_up", "count": 0, "conversion_from_start": null, "conversion_from_previous": null}]}});
        let md = live_markdown("activation_funnel", &data).unwrap();
        assert!(
            md.contains("a\\|b <script>"),
            "pipes are escaped; HTML is escaped by the Markdown renderer: {md}"
        );
        assert!(md.contains("| `signed_up` | 0 | – | – |"), "{md}");
    }
}
