//! Hypotheses and experiments that several kinds share, with their one Markdown rendering.

use std::fmt::Write;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::sections::{cell, one_line, render_table};

/// A hypothesis with what would confirm it (customer feedback, product velocity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hypothesis {
    /// The claim.
    pub statement: String,
    /// What would confirm it.
    pub confirmed_if: String,
}

impl Hypothesis {
    /// A hypothesis from its claim and its confirmation.
    pub fn new(statement: String, confirmed_if: String) -> Hypothesis {
        Hypothesis {
            statement,
            confirmed_if,
        }
    }
}

/// A hypothesis with the evidence for it and its test (activation, retention).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestedHypothesis {
    /// What may be true.
    pub statement: String,
    /// What points to it.
    pub evidence: String,
    /// How to confirm or reject it.
    pub test: String,
}

/// A dated experiment (customer feedback, product velocity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// Short name.
    pub name: String,
    /// The change to make.
    pub change: String,
    /// What counts as success.
    pub success: String,
    /// Start, `YYYY-MM-DD`.
    pub start: NaiveDate,
    /// End, `YYYY-MM-DD`.
    pub end: NaiveDate,
}

/// `## Hypotheses` as a list of claims with what would confirm each.
pub fn render_hypotheses(out: &mut String, hypotheses: &[Hypothesis]) {
    out.push_str("## Hypotheses\n\n");
    for h in hypotheses {
        let _ = writeln!(
            out,
            "- {} Confirmed if: {}",
            one_line(&h.statement),
            one_line(&h.confirmed_if)
        );
    }
    out.push('\n');
}

/// `## Hypotheses` as a numbered list with evidence and test.
pub fn render_tested_hypotheses(out: &mut String, hypotheses: &[TestedHypothesis]) {
    out.push_str("## Hypotheses\n\n");
    for (i, h) in hypotheses.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. **{}** {} Test: {}",
            i + 1,
            one_line(&h.statement),
            one_line(&h.evidence),
            one_line(&h.test)
        );
    }
    out.push('\n');
}

/// `## Experiments` as a table with dates.
pub fn render_experiments(out: &mut String, experiments: &[Experiment]) {
    render_table(
        out,
        "## Experiments\n\n| Experiment | Change | Success | Dates |\n|---|---|---|---|\n",
        experiments.iter().map(|e| {
            vec![
                cell(&e.name),
                cell(&e.change),
                cell(&e.success),
                format!("{} to {}", e.start, e.end),
            ]
        }),
    );
}
