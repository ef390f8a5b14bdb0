//! The activation funnel as a self-contained SVG bar chart: one bar per step of
//! `data.funnel.steps[]`, its length the step's `count` against the first step's.
//!
//! Like the MRR chart it uses presentation attributes only and no external references, and it is
//! a pure function of its input, so the web UI and the static export can embed it as is.

use std::fmt::Write;

use serde_json::Value;

use super::chart::escape;
use crate::format::{group_thousands, percent};

const WIDTH: f64 = 640.0;
const ROW: f64 = 36.0;
const BAR: f64 = 22.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 12.0;
/// Room for the step names on the left.
const LABELS: f64 = 180.0;
/// Room for "1,234 · 57.1%" on the right.
const VALUES: f64 = 120.0;
/// Longer event names are cut with an ellipsis (the full name stays in the bar's tooltip).
const MAX_LABEL_CHARS: usize = 24;
const BAR_FILL: &str = "#4f46e5";
const TRACK: &str = "#eef2ff";
const INK: &str = "#374151";

/// One step: its event name, how many people reached it and their share of the first step.
struct Step {
    event: String,
    count: f64,
    from_start: Option<f64>,
}

/// The funnel in `data.funnel` as bars, or `None` when there is no step with a count.
pub fn funnel_svg(data: &Value) -> Option<String> {
    let steps: Vec<Step> = data
        .pointer("/funnel/steps")?
        .as_array()?
        .iter()
        .filter_map(|s| {
            let count = s.get("count")?.as_f64().filter(|c| c.is_finite())?.max(0.0);
            Some(Step {
                event: s
                    .get("event")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                count,
                from_start: s.get("conversion_from_start").and_then(Value::as_f64),
            })
        })
        .collect();
    if steps.is_empty() {
        return None;
    }
    Some(render(&steps))
}

fn render(steps: &[Step]) -> String {
    let height = TOP + ROW * steps.len() as f64 + BOTTOM;
    let max = steps.iter().map(|s| s.count).fold(0.0, f64::max);
    let track = WIDTH - LABELS - VALUES;
    let desc = describe(steps);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" \
         role=\"img\" aria-labelledby=\"funnel-chart-title funnel-chart-desc\" class=\"chart funnel-chart\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"12\">\
         <title id=\"funnel-chart-title\">Activation funnel</title><desc id=\"funnel-chart-desc\">{}</desc>",
        escape(&desc)
    );
    for (i, step) in steps.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let bar_y = y + (ROW - BAR) / 2.0;
        let w = if max > 0.0 {
            step.count / max * track
        } else {
            0.0
        };
        let text_y = y + ROW / 2.0 + 4.0;
        let _ = write!(
            s,
            "<g class=\"step\"><title>{}</title>\
             <text x=\"{:.1}\" y=\"{text_y:.1}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>\
             <rect x=\"{LABELS}\" y=\"{bar_y:.1}\" width=\"{track:.1}\" height=\"{BAR}\" rx=\"3\" fill=\"{TRACK}\"/>\
             <rect x=\"{LABELS}\" y=\"{bar_y:.1}\" width=\"{w:.1}\" height=\"{BAR}\" rx=\"3\" fill=\"{BAR_FILL}\"/>\
             <text x=\"{:.1}\" y=\"{text_y:.1}\" fill=\"{INK}\">{}</text></g>",
            escape(&tooltip(step)),
            LABELS - 8.0,
            escape(&short(&step.event)),
            LABELS + track + 8.0,
            escape(&value_label(step)),
        );
    }
    s.push_str("</svg>");
    s
}

fn count_text(count: f64) -> String {
    group_thousands(count.round() as u128)
}

fn value_label(step: &Step) -> String {
    match step.from_start {
        Some(share) if share.is_finite() => {
            format!("{} · {}", count_text(step.count), percent(share))
        }
        _ => count_text(step.count),
    }
}

fn tooltip(step: &Step) -> String {
    let people = match count_text(step.count).as_str() {
        "1" => "1 person".to_string(),
        n => format!("{n} people"),
    };
    match step.from_start {
        Some(share) if share.is_finite() => format!(
            "{}: {people}, {} of the first step",
            step.event,
            percent(share)
        ),
        _ => format!("{}: {people}", step.event),
    }
}

fn describe(steps: &[Step]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|s| format!("{} {}", s.event, count_text(s.count)))
        .collect();
    format!("People at each step: {}.", parts.join(", "))
}

fn short(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn data() -> Value {
        json!({"funnel": {"from": "2026-03-01", "to": "2026-03-31", "window_days": 14, "steps": [
            {"event": "$pageview", "count": 7, "conversion_from_start": 1.0, "conversion_from_previous": 1.0},
            {"event": "signed_up", "count": 4, "conversion_from_start": 0.5714, "conversion_from_previous": 0.5714},
            {"event": "created_first_project", "count": 1, "conversion_from_start": 0.1429, "conversion_from_previous": 0.25}
        ]}})
    }

    #[test]
    fn one_bar_per_step_scaled_to_the_first() {
        let svg = funnel_svg(&data()).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("class=\"step\"").count(), 3);
        // The first step fills the track; 4 of 7 fill 4/7 of it.
        assert!(svg.contains(&format!("width=\"{:.1}\"", WIDTH - LABELS - VALUES)));
        assert!(svg.contains(&format!(
            "width=\"{:.1}\"",
            4.0 / 7.0 * (WIDTH - LABELS - VALUES)
        )));
        assert!(svg.contains(">4 · 57.1%<"), "{svg}");
        assert!(
            svg.contains("People at each step: $pageview 7, signed_up 4, created_first_project 1.")
        );
    }

    #[test]
    fn names_are_escaped_and_long_ones_cut() {
        let svg = funnel_svg(&json!({"funnel": {"steps": [
            {"event": "<script>alert(1)</script>&", "count": 3},
            {"event": "a_really_long_event_name_that_keeps_going", "count": 0}
        ]}}))
        .unwrap();
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;"));
        assert!(svg.contains(">a_really_long_event_nam…<"));
        assert!(svg.contains("a_really_long_event_name_that_keeps_going: 0 people"));
    }

    #[test]
    fn nothing_to_draw_gives_none() {
        assert_eq!(funnel_svg(&json!({})), None);
        assert_eq!(funnel_svg(&json!({"funnel": {"steps": []}})), None);
        assert_eq!(
            funnel_svg(&json!({"funnel": {"steps": [{"event": "x"}]}})),
            None
        );
        let zero = funnel_svg(&json!({"funnel": {"steps": [{"event": "x", "count": 0}]}})).unwrap();
        assert!(zero.contains("width=\"0.0\""));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(funnel_svg(&data()).unwrap().replace("><", ">\n<"));
    }
}
