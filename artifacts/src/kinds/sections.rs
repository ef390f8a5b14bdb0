//! Section types that every kind shares: monitoring, alert rules and next actions.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// A metric to watch, how often, and where its numbers come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Monitor {
    /// The metric, e.g. `MRR`.
    pub metric: String,
    /// How often to look: `daily`, `weekly`, `monthly`.
    pub cadence: String,
    /// Where the numbers come from.
    pub source: String,
}

/// An alert rule evaluated after every data pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRule {
    /// Stable id within the artifact.
    pub id: String,
    /// The metric the rule reads.
    pub metric: String,
    /// `below`, `above` or `below_plan` (actual / plan below the threshold).
    pub condition: String,
    /// The threshold the metric is compared with.
    pub threshold: f64,
}

/// A next action with its check box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextAction {
    /// What to do, specifically.
    pub text: String,
    /// Ticked by the founder.
    pub done: bool,
}

impl NextAction {
    /// An unticked action.
    pub fn todo(text: impl Into<String>) -> NextAction {
        NextAction {
            text: text.into(),
            done: false,
        }
    }
}

/// Shorthand for a monitor row.
pub fn monitor(metric: &str, cadence: &str, source: &str) -> Monitor {
    Monitor {
        metric: metric.to_string(),
        cadence: cadence.to_string(),
        source: source.to_string(),
    }
}

/// Shorthand for an alert rule.
pub fn alert(id: &str, metric: &str, condition: &str, threshold: f64) -> AlertRule {
    AlertRule {
        id: id.to_string(),
        metric: metric.to_string(),
        condition: condition.to_string(),
        threshold,
    }
}

/// Renders a bullet list section; nothing when empty.
pub fn render_list(out: &mut String, heading: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {heading}\n");
    for item in items {
        let _ = writeln!(out, "- {}", one_line(item));
    }
    out.push('\n');
}

/// Renders the monitoring table.
pub fn render_monitoring(out: &mut String, monitoring: &[Monitor]) {
    if monitoring.is_empty() {
        return;
    }
    out.push_str("## Monitoring\n\n| Metric | Cadence | Source |\n|---|---|---|\n");
    for m in monitoring {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&m.metric),
            cell(&m.cadence),
            cell(&m.source)
        );
    }
    out.push('\n');
}

/// Renders the alert rules table; `fmt_threshold` formats each threshold for its metric.
pub fn render_alerts(
    out: &mut String,
    alerts: &[AlertRule],
    fmt_threshold: impl Fn(&AlertRule) -> String,
) {
    if alerts.is_empty() {
        return;
    }
    out.push_str("## Alerts\n\n| Alert | Fires when | Threshold |\n|---|---|---|\n");
    for a in alerts {
        let when = match a.condition.as_str() {
            "below_plan" => format!("{} falls below this share of the plan", a.metric),
            "above" => format!("{} rises above", a.metric),
            _ => format!("{} falls below", a.metric),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            a.id,
            cell(&when),
            cell(&fmt_threshold(a))
        );
    }
    out.push('\n');
}

/// Renders next actions as GitHub task-list checkboxes, which the folder mirror reads back.
pub fn render_next_actions(out: &mut String, actions: &[NextAction]) {
    if actions.is_empty() {
        return;
    }
    out.push_str("## Next actions\n\n");
    for a in actions {
        let mark = if a.done { 'x' } else { ' ' };
        let _ = writeln!(out, "- [{mark}] {}", one_line(&a.text));
    }
    out.push('\n');
}

/// Keeps a value on one line so it cannot break the list or table around it.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes a table cell.
pub fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

/// Renders a table: `head` is its heading and header lines, each row's cells are already escaped
/// (see [`cell`]), and a blank line ends it.
pub fn render_table(out: &mut String, head: &str, rows: impl IntoIterator<Item = Vec<String>>) {
    out.push_str(head);
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}
