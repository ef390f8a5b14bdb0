//! The formulas and tables of a retention analysis: stage estimates, segment choice, retention
//! arithmetic, the churn path, the cohort rows and the benchmark list.

use chrono::{Datelike, Months, NaiveDate};

use super::read;
use super::{Benchmark, Churn, CohortRow, PathStep};
use crate::benchmarks::retention::{self as bench, Band, Segment};
use crate::format::percent as one_decimal;
use crate::kinds::mrr_tracker::months_between;
use crate::model::Stage;

/// Cohorts shown when the prompt does not say which.
const DEFAULT_COHORTS: u32 = 6;
/// Cohort columns beyond a year add little: annual retention is the benchmark.
const MAX_COHORT_MONTHS: u32 = 12;

/// Monthly logo churn estimated for a stage when neither the prompt nor data gives it.
/// These are cosos planning estimates, shown as such, not published benchmarks: early products
/// lose customers fastest, and later stages sell to larger customers who stay longer.
pub fn stage_churn_estimate(stage: Option<Stage>) -> f64 {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch => 0.08,
        Stage::EarlyRevenue => 0.06,
        Stage::Seed => 0.05,
        Stage::SeriesA => 0.03,
        Stage::SeriesBPlus => 0.015,
    }
}

/// The segment whose benchmarks apply to a stage: a named segment in the prompt wins.
pub fn segment_for(stage: Option<Stage>, named: Option<Segment>) -> (Segment, String) {
    if let Some(s) = named {
        return (
            s,
            format!("Your prompt names {} customers.", s.label().to_lowercase()),
        );
    }
    match stage {
        Some(st @ (Stage::PreLaunch | Stage::EarlyRevenue | Stage::Seed)) => (
            Segment::Smb,
            format!("At the {} stage most customers are small businesses, so the SMB bands apply.", stage_name(Some(st))),
        ),
        Some(Stage::SeriesA) => (
            Segment::MidMarket,
            "At Series A most revenue comes from mid-market accounts, so the mid-market bands apply.".to_string(),
        ),
        Some(Stage::SeriesBPlus) => (
            Segment::Enterprise,
            "At Series B and later, larger enterprise accounts carry revenue, so the enterprise bands apply.".to_string(),
        ),
        None => (
            Segment::Smb,
            "No stage was given: the SMB bands apply, the widest and most forgiving; set your stage to sharpen them.".to_string(),
        ),
    }
}

/// The stage as a sentence names it; no stage reads as early revenue, like the estimates.
pub(crate) fn stage_name(stage: Option<Stage>) -> &'static str {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch => "pre-launch",
        Stage::EarlyRevenue => "early-revenue",
        Stage::Seed => "seed",
        Stage::SeriesA => "Series A",
        Stage::SeriesBPlus => "Series B+",
    }
}

/// Share kept over 12 months at monthly churn `c`: (1 - c)^12.
pub fn annual_retention(monthly_churn: f64) -> f64 {
    (1.0 - monthly_churn).clamp(0.0, 1.0).powi(12)
}

/// Average customer lifetime in months at monthly churn `c`: 1 / c.
pub fn lifetime_months(monthly_churn: f64) -> Option<f64> {
    (monthly_churn > 0.0).then(|| 1.0 / monthly_churn)
}

/// Share of a cohort left after `m` months at monthly churn `c`: (1 - c)^m.
pub fn survival(monthly_churn: f64, months: u32) -> f64 {
    (1.0 - monthly_churn).clamp(0.0, 1.0).powi(months as i32)
}

/// The typical level of a band: its midpoint, or the SaaS Capital median midpoint when open.
pub fn typical(band: Band, median: Band) -> f64 {
    match band.high {
        Some(h) => (band.low + h) / 2.0,
        None => (median.low + median.high.unwrap_or(median.low)) / 2.0,
    }
}

/// The next bar for an annual retention: the band's typical level, then its top, then hold.
pub fn next_bar(current: Option<f64>, band: Band, median: Band) -> f64 {
    let typical = typical(band, median);
    let top = band.high.or(median.high).unwrap_or(typical);
    match current {
        Some(c) if c >= top => c,
        Some(c) if c >= typical => top,
        _ => typical,
    }
}

/// Where an annual retention sits against a band: `below`, `within`, `above`, `not-measured`.
pub(super) fn status(current: Option<f64>, band: Band) -> &'static str {
    match current {
        None => "not-measured",
        Some(c) if c < band.low - 1e-9 => "below",
        Some(c) if band.high.is_some_and(|h| c > h + 1e-9) => "above",
        Some(_) => "within",
    }
}

/// A churn rate with its annual retention and lifetime.
pub(super) fn churn(monthly: f64, source: &str, previous: Option<f64>) -> Churn {
    Churn {
        monthly,
        source: source.to_string(),
        annual_retention: annual_retention(monthly),
        lifetime_months: lifetime_months(monthly),
        previous,
    }
}

/// Rounds away float noise (0.064285714... stays 0.064286) so stored paths read cleanly.
pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `YYYY-MM` of the month `i` months after `today`'s month.
pub(super) fn month_after(today: NaiveDate, i: u32) -> NaiveDate {
    today
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(i)))
        .unwrap_or(today)
}

/// `YYYY-MM` of a date.
pub(super) fn ym(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Linear path from `current` to `target`, one step per month through the deadline month.
pub fn churn_path(today: NaiveDate, current: f64, target: f64, months: u32) -> Vec<PathStep> {
    (1..=months)
        .map(|i| {
            let c = if i == months {
                target
            } else {
                round6(current - (current - target) * f64::from(i) / f64::from(months))
            };
            PathStep {
                month: ym(month_after(today, i)),
                logo_churn: c,
                annual_retention: annual_retention(c),
            }
        })
        .collect()
}

/// Monthly cohorts: this year's sign-up months, else the `DEFAULT_COHORTS` before this month.
pub fn cohort_rows(today: NaiveDate, this_year: bool) -> (Vec<CohortRow>, String) {
    let current = month_after(today, 0);
    let (first, basis) = if this_year && today.month() > 1 {
        (
            NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(current),
            format!(
                "Sign-ups of {} by month, through last month: the current month is not complete yet.",
                today.year()
            ),
        )
    } else {
        (
            current
                .checked_sub_months(Months::new(DEFAULT_COHORTS))
                .unwrap_or(current),
            format!(
                "The last {DEFAULT_COHORTS} complete sign-up months: enough to see whether the curve flattens."
            ),
        )
    };
    let mut rows = Vec::new();
    let mut month = first;
    while month < current {
        let to_fill = (months_between(month, current) - 1).min(MAX_COHORT_MONTHS);
        let mut retained = vec![None; to_fill as usize + 1];
        retained[0] = Some(1.0);
        rows.push(CohortRow {
            cohort: ym(month),
            months_to_fill: to_fill,
            retained,
        });
        month = month.checked_add_months(Months::new(1)).unwrap_or(current);
    }
    (rows, basis)
}

/// A band as shown: `70%-80%` or `above 90%`.
pub(super) fn band_text(b: Band) -> String {
    match b.high {
        Some(h) => format!("{}-{}", pct(b.low), pct(h)),
        None => format!("above {}", pct(b.low)),
    }
}

/// The benchmarks for a segment, each with its source.
pub fn benchmarks(segment: Segment) -> Vec<Benchmark> {
    let grr = bench::grr_band(segment);
    let nrr = bench::nrr_band(segment);
    let row = |metric: String, b: Band, source: &str| Benchmark {
        metric,
        value: band_text(b),
        low: b.low,
        high: b.high,
        source: source.to_string(),
    };
    // The monthly churn band behind the GRR band: a high GRR means a low churn, so ends swap.
    let churn_low = grr.high.map_or(0.0, read::monthly_from_annual_retention);
    let churn_high = read::monthly_from_annual_retention(grr.low);
    let churn_value = match grr.high {
        Some(_) => format!("{}-{}", pct(churn_low), pct(churn_high)),
        None => format!("below {}", pct(churn_high)),
    };
    vec![
        row(format!("GRR, {}", segment.label()), grr, bench::BESSEMER),
        row(format!("NRR, {}", segment.label()), nrr, bench::BESSEMER),
        row(
            "Median NRR".to_string(),
            bench::SAAS_CAPITAL_NRR,
            bench::SAAS_CAPITAL,
        ),
        row(
            "Median GRR".to_string(),
            bench::SAAS_CAPITAL_GRR,
            bench::SAAS_CAPITAL,
        ),
        Benchmark {
            metric: format!(
                "Monthly revenue churn within the {} GRR band",
                segment.label()
            ),
            value: churn_value,
            low: round6(churn_low),
            high: Some(round6(churn_high)),
            source: format!("Computed as 1 - GRR^(1/12) from {}", bench::BESSEMER),
        },
        Benchmark {
            metric: "SaaS quick ratio".to_string(),
            value: format!("above {}", bench::QUICK_RATIO_STRONG),
            low: bench::QUICK_RATIO_STRONG,
            high: None,
            source: bench::QUICK_RATIO.to_string(),
        },
    ]
}

/// A rate as a percentage: two decimals below 10%, where monthly churn moves in hundredths of a
/// point (0.0643 -> `6.43%`), one decimal above (0.4186 -> `41.9%`).
pub fn pct(x: f64) -> String {
    if x.abs() < 0.1 {
        let s = format!("{:.2}", x * 100.0);
        format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
    } else {
        one_decimal(x)
    }
}
