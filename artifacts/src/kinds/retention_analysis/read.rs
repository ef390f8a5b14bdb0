//! What a retention prompt states: churn and retention rates with their roles, the period they
//! cover, an early-life churn cue, the cohorts asked for, and a named customer segment.

use super::pct as percent;
use super::text::{self, Role};
use crate::benchmarks::retention::Segment;

/// The retention metrics a rate may belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Metric {
    /// Share of customers lost a month.
    Logo,
    /// Share of MRR lost a month.
    Revenue,
    /// Net revenue retention, annual.
    Nrr,
    /// Gross revenue retention, annual.
    Grr,
    /// "Retention" without more: customer retention over a month or a year.
    Retention,
}

const KEYWORDS: &[(&str, Metric)] = &[
    ("nrr", Metric::Nrr),
    ("ndr", Metric::Nrr),
    ("net revenue retention", Metric::Nrr),
    ("net dollar retention", Metric::Nrr),
    ("net retention", Metric::Nrr),
    ("revenue retention", Metric::Nrr),
    ("dollar retention", Metric::Nrr),
    ("grr", Metric::Grr),
    ("gdr", Metric::Grr),
    ("gross revenue retention", Metric::Grr),
    ("gross dollar retention", Metric::Grr),
    ("gross retention", Metric::Grr),
    ("revenue churn*", Metric::Revenue),
    ("mrr churn*", Metric::Revenue),
    ("arr churn*", Metric::Revenue),
    ("dollar churn*", Metric::Revenue),
    ("net churn*", Metric::Revenue),
    ("gross churn*", Metric::Revenue),
    ("logo churn*", Metric::Logo),
    ("customer churn*", Metric::Logo),
    ("churn*", Metric::Logo),
    ("cancel*", Metric::Logo),
    ("retention", Metric::Retention),
    ("retain*", Metric::Retention),
];

/// A metric's values as the prompt states them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Stated {
    /// Where it was before a change.
    pub previous: Option<f64>,
    /// Where it is.
    pub current: Option<f64>,
    /// Where it should go.
    pub target: Option<f64>,
}

impl Stated {
    fn set(&mut self, role: Role, value: f64) {
        let slot = match role {
            Role::Previous => &mut self.previous,
            Role::Current => &mut self.current,
            Role::Target => &mut self.target,
        };
        // The first statement wins: later ones restate it ("7%, that is 7 in 100").
        slot.get_or_insert(value);
    }
}

/// Everything a retention prompt states.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RetentionPrompt {
    /// Monthly logo churn.
    pub logo: Stated,
    /// Monthly revenue churn.
    pub revenue: Stated,
    /// Annual NRR.
    pub nrr: Stated,
    /// Annual GRR.
    pub grr: Stated,
    /// "day", "week" or "month" when the prompt says customers leave early in their life.
    pub early: Option<&'static str>,
    /// The prompt asks for this year's sign-up cohorts.
    pub this_year: bool,
    /// A segment the prompt names.
    pub segment: Option<Segment>,
    /// How stated rates were converted, for the assumptions.
    pub notes: Vec<String>,
}

/// Reads a normalized retention prompt.
pub(super) fn read(text: &str) -> RetentionPrompt {
    let mut out = RetentionPrompt::default();
    for r in text::read(text, KEYWORDS) {
        let annual = text::mentions(
            &r.clause,
            &[
                "annual*",
                "yearly",
                "per year",
                "a year",
                "each year",
                "every year",
                "12 months",
                "twelve months",
            ],
        );
        let monthly =
            text::mentions(
                &r.clause,
                &[
                    "month*",
                    "mom",
                    "per month",
                    "a month",
                    "each month",
                    "every month",
                ],
            ) && !text::mentions(&r.clause, &["first month", "12 months", "twelve months"]);
        let metric = r.metric.unwrap_or(if r.value <= 0.5 {
            Metric::Logo
        } else {
            Metric::Retention
        });
        match metric {
            Metric::Logo | Metric::Revenue => {
                let value = if annual && !monthly {
                    let m = monthly_from_annual_retention(1.0 - r.value);
                    out.notes.push(format!(
                        "The {} annual churn you gave is {} a month: 1 - (1 - {})^(1/12).",
                        percent(r.value),
                        percent(m),
                        percent(r.value)
                    ));
                    m
                } else {
                    r.value
                };
                let slot = if metric == Metric::Logo {
                    &mut out.logo
                } else {
                    &mut out.revenue
                };
                slot.set(r.role, value);
            }
            Metric::Nrr => out.nrr.set(r.role, r.value),
            Metric::Grr => out.grr.set(r.role, r.value),
            Metric::Retention => {
                let churn = if monthly {
                    out.notes.push(format!(
                        "Retention of {} a month is monthly logo churn of {}.",
                        percent(r.value),
                        percent(1.0 - r.value)
                    ));
                    1.0 - r.value
                } else {
                    let m = monthly_from_annual_retention(r.value);
                    out.notes.push(format!(
                        "The {} retention you gave is read as customers kept over a year, which is {} monthly logo churn: 1 - {}^(1/12).",
                        percent(r.value),
                        percent(m),
                        percent(r.value)
                    ));
                    m
                };
                out.logo.set(r.role, churn.max(0.0));
            }
        }
    }
    out.early = if text::mentions(
        text,
        &[
            "day one",
            "day 1",
            "first day",
            "after a day",
            "never come back",
            "never return",
            "don't come back",
            "do not come back",
        ],
    ) {
        Some("day")
    } else if text::mentions(text, &["first week", "week one", "week 1", "after a week"]) {
        Some("week")
    } else if text::mentions(
        text,
        &[
            "first month",
            "month one",
            "month 1",
            "after a month",
            "first renewal",
            "first invoice",
        ],
    ) {
        Some("month")
    } else {
        None
    };
    out.this_year = text::mentions(
        text,
        &["this year", "year to date", "ytd", "so far this year"],
    );
    out.segment = if text::mentions(text, &["enterprise*"]) {
        Some(Segment::Enterprise)
    } else if text::mentions(text, &["mid-market", "mid market", "midmarket"]) {
        Some(Segment::MidMarket)
    } else if text::mentions(text, &["smb*", "small business*", "small and medium"]) {
        Some(Segment::Smb)
    } else {
        None
    };
    out
}

/// Monthly churn that compounds to `annual_retention` over 12 months: 1 - r^(1/12).
pub(super) fn monthly_from_annual_retention(annual_retention: f64) -> f64 {
    1.0 - annual_retention.clamp(0.0, 1.0).powf(1.0 / 12.0)
}
