//! The MRR path as a self-contained SVG line chart, for the web UI and the static export.
//!
//! The output uses presentation attributes only (no `style`, no external references), so it passes
//! a strict Content-Security-Policy and opens from `file://`; it is a pure function of its input,
//! so two exports of the same artifact are byte-identical.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::format::{money, money_short};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 36.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 44.0;
/// More month labels than this overlap on a phone, so longer paths label every n-th month.
const MAX_X_LABELS: usize = 8;
const ACCENT: &str = "#4f46e5";
const ACTUAL: &str = "#059669";
const INK: &str = "#6b7280";
const GRID: &str = "#e5e7eb";

/// One point of a series: a month as `YYYY-MM` and MRR in major units.
type Point = (NaiveDate, f64);

/// The plan from `content.current.mrr` through every `content.path.milestones[].target_mrr`.
///
/// Returns `None` when the content is not an MRR tracker's (no milestones or no current MRR).
pub fn mrr_path_svg(content: &Value) -> Option<String> {
    mrr_path_svg_with_actuals(content, &[])
}

/// The plan plus an actual series of `(YYYY-MM, mrr)` pairs, once live data exists.
pub fn mrr_path_svg_with_actuals(content: &Value, actuals: &[(String, f64)]) -> Option<String> {
    let plan = plan_points(content)?;
    let actual: Vec<Point> = actuals
        .iter()
        .filter_map(|(m, v)| Some((month(m)?, finite(*v)?)))
        .collect();
    Some(render(&plan, &actual))
}

fn plan_points(content: &Value) -> Option<Vec<Point>> {
    let current = finite(content.pointer("/current/mrr")?.as_f64()?)?;
    let milestones = content.pointer("/path/milestones")?.as_array()?;
    let mut points = Vec::with_capacity(milestones.len() + 1);
    for m in milestones {
        let at = month(m.get("month")?.as_str()?)?;
        points.push((at, finite(m.get("target_mrr")?.as_f64()?)?));
    }
    let first = points.first()?.0;
    // The path starts in the month of `as_of`; without it, the month before the first milestone.
    let start = content
        .pointer("/current/as_of")
        .and_then(Value::as_str)
        .and_then(|d| month(d.get(..7)?))
        .filter(|d| *d < first)
        .or_else(|| first.checked_sub_months(chrono::Months::new(1)))?;
    points.insert(0, (start, current));
    Some(points)
}

fn month(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d").ok()
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x.max(0.0))
}

fn month_index(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// The smallest 1, 2, 2.5 or 5 times a power of ten at or above `max / 5`: about five round steps.
fn nice_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power)
}

fn render(plan: &[Point], actual: &[Point]) -> String {
    let all = || plan.iter().chain(actual);
    let first = all().map(|p| month_index(p.0)).min().unwrap_or(0);
    let last = all().map(|p| month_index(p.0)).max().unwrap_or(first);
    let span = (last - first).max(1) as f64;
    let max = all().map(|p| p.1).fold(0.0, f64::max);
    let step = nice_step(max);
    let top = (max / step).ceil().max(1.0) * step;
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let x = |d: NaiveDate| LEFT + (month_index(d) - first) as f64 / span * plot_w;
    let y = |v: f64| TOP + plot_h - v / top * plot_h;

    let (start, end) = (plan[0], plan[plan.len() - 1]);
    let mut desc = format!(
        "Planned MRR grows from {} in {} to {} in {}.",
        money(start.1),
        long_month(start.0),
        money(end.1),
        long_month(end.0)
    );
    if let Some(latest) = actual.last() {
        let _ = write!(
            desc,
            " Actual MRR was {} in {}.",
            money(latest.1),
            long_month(latest.0)
        );
    }
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" \
         role=\"img\" aria-labelledby=\"mrr-chart-title mrr-chart-desc\" class=\"chart\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"12\">\
         <title id=\"mrr-chart-title\">MRR path</title><desc id=\"mrr-chart-desc\">{}</desc>",
        escape(&desc)
    );
    let mut v = 0.0;
    while v <= top + step / 2.0 {
        let gy = y(v);
        let _ = write!(
            s,
            "<line x1=\"{LEFT}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\" stroke=\"{GRID}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 8.0,
            gy + 4.0,
            escape(&money_short(v))
        );
        v += step;
    }
    let every = usize::try_from(last - first).unwrap_or(0) / MAX_X_LABELS + 1;
    for m in (first..=last).step_by(every) {
        let Some(d) = from_month_index(m) else {
            continue;
        };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            x(d),
            HEIGHT - BOTTOM + 20.0,
            escape(&short_month(d))
        );
    }
    // Dashed only next to actuals, where the plan is the reference rather than the subject.
    series(&mut s, plan, "Plan", ACCENT, !actual.is_empty(), &x, &y);
    series(&mut s, actual, "Actual", ACTUAL, false, &x, &y);
    s.push_str("</svg>");
    s
}

fn series(
    s: &mut String,
    points: &[Point],
    name: &str,
    colour: &str,
    dashed: bool,
    x: &dyn Fn(NaiveDate) -> f64,
    y: &dyn Fn(f64) -> f64,
) {
    if points.is_empty() {
        return;
    }
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.0), y(p.1)))
        .collect();
    let dash = if dashed {
        " stroke-dasharray=\"6 4\""
    } else {
        ""
    };
    let _ = write!(
        s,
        "<g class=\"series\"><polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" \
         stroke-width=\"2.5\"{dash}/>",
        path.join(" ")
    );
    for p in points {
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{colour}\"><title>{}</title></circle>",
            x(p.0),
            y(p.1),
            escape(&format!("{name}, {}: {}", long_month(p.0), money(p.1)))
        );
    }
    s.push_str("</g>");
}

fn from_month_index(m: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(m / 12).ok()?,
        u32::try_from(m % 12).ok()? + 1,
        1,
    )
}

fn short_month(d: NaiveDate) -> String {
    d.format("%b %Y").to_string()
}

fn long_month(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

/// XML-escapes text (also right for HTML text and attributes); every string that reaches the
/// SVG goes through here.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn acceptance() -> Value {
        json!({
            "current": {"mrr": 12000.0, "source": "prompt", "as_of": "2026-11-26"},
            "path": {"required_monthly_growth": 0.2264, "milestones": [
                {"month": "2026-12", "target_mrr": 14717.0},
                {"month": "2027-01", "target_mrr": 18049.0},
                {"month": "2027-02", "target_mrr": 22136.0},
                {"month": "2027-03", "target_mrr": 27148.0},
                {"month": "2027-04", "target_mrr": 33295.0},
                {"month": "2027-05", "target_mrr": 40834.0},
                {"month": "2027-06", "target_mrr": 50000.0}
            ]}
        })
    }

    #[test]
    fn plans_from_current_mrr_through_every_milestone() {
        let svg = mrr_path_svg(&acceptance()).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 8);
        assert!(svg.contains("Plan, November 2026: $12,000"));
        assert!(svg.contains("Plan, June 2027: $50,000"));
        assert!(svg.contains(">Nov 2026<") && svg.contains(">Jun 2027<"));
        assert!(svg.contains("<title id=\"mrr-chart-title\">MRR path</title>"));
        assert!(svg.contains("from $12,000 in November 2026 to $50,000 in June 2027"));
        // The axis tops out at a round number above the target.
        assert!(svg.contains(">$50k<"));
    }

    #[test]
    fn is_deterministic_and_self_contained() {
        let a = mrr_path_svg(&acceptance()).unwrap();
        assert_eq!(a, mrr_path_svg(&acceptance()).unwrap());
        for banned in [
            "href",
            "style=",
            "<script",
            "url(",
            "http://www.w3.org/1999",
        ] {
            assert!(!a.contains(banned), "{banned}");
        }
    }

    #[test]
    fn not_an_mrr_tracker_gives_none() {
        assert_eq!(mrr_path_svg(&json!({})), None);
        assert_eq!(
            mrr_path_svg(&json!({"current": {"mrr": 1}, "path": {"milestones": []}})),
            None
        );
        assert_eq!(
            mrr_path_svg(
                &json!({"current": {"mrr": "x"}, "path": {"milestones": [{"month": "2027-01", "target_mrr": 5}]}})
            ),
            None
        );
    }

    #[test]
    fn long_paths_thin_their_month_labels() {
        let milestones: Vec<Value> = (1..=24)
            .map(|i| json!({"month": format!("{}-{:02}", 2026 + (i + 10) / 12, (i + 10) % 12 + 1), "target_mrr": 1000.0 * f64::from(i)}))
            .collect();
        let c = json!({"current": {"mrr": 0.0, "as_of": "2026-11-26"}, "path": {"milestones": milestones}});
        let svg = mrr_path_svg(&c).unwrap();
        let labels = svg.matches("text-anchor=\"middle\"").count();
        assert!((2..=MAX_X_LABELS + 1).contains(&labels), "{labels}");
    }

    #[test]
    fn actual_series_and_text_are_escaped() {
        let svg = mrr_path_svg_with_actuals(
            &acceptance(),
            &[
                ("2026-12".into(), 13000.0),
                ("bad".into(), 1.0),
                ("2027-01".into(), f64::NAN),
            ],
        )
        .unwrap();
        assert_eq!(svg.matches("Actual, ").count(), 1);
        assert!(svg.contains("Actual MRR was $13,000 in December 2026."));
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(mrr_path_svg(&acceptance()).unwrap().replace("><", ">\n<"));
    }
}
