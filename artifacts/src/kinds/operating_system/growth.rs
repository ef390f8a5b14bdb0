//! The revenue growth plan behind the scorecard and OKR targets: the prompt's target as a CMGR,
//! else the ChartMogul median for the MRR band (doubled when the goal is to grow revenue); T2D3
//! multiples for Series A (3x) and B+ (2x).

use chrono::NaiveDate;

use crate::benchmarks::{self, ASSUMED_ARPA, ASSUMED_MONTHLY_CHURN};
use crate::format::{money, percent};
use crate::kinds::mrr_tracker::months_between;
use crate::model::{Goal, Stage};

/// Weeks in a month on average.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// How fast revenue must grow, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthPlan {
    /// MRR now.
    pub mrr: f64,
    /// `prompt`, a live source's name, or `stage-estimate`.
    pub mrr_source: String,
    /// Monthly growth the plan needs.
    pub monthly: f64,
    /// Why that rate.
    pub basis: String,
    /// ARR multiple a year for Series A and later.
    pub yearly_multiple: f64,
    /// Average revenue per account.
    pub arpa: f64,
    /// Whether the rate comes from a target in the prompt.
    pub from_target: bool,
}

impl GrowthPlan {
    /// Weekly growth equivalent to the monthly rate.
    pub fn weekly(&self) -> f64 {
        (1.0 + self.monthly).powf(12.0 / 52.0) - 1.0
    }

    /// New MRR a week: growth plus replacing churn.
    pub fn new_mrr_per_week(&self) -> f64 {
        self.mrr * (self.monthly + ASSUMED_MONTHLY_CHURN) / WEEKS_PER_MONTH
    }

    /// New paying customers a week to add that MRR, rounded up.
    pub fn customers_per_week(&self) -> f64 {
        // Round away float noise before ceil so 3.0000000001 customers is 3, not 4.
        ((self.new_mrr_per_week() / self.arpa * 1e6).round() / 1e6).ceil()
    }

    /// Net new ARR a week at the start of the year, compounding to the yearly multiple.
    pub fn net_new_arr_per_week(&self) -> f64 {
        (self.mrr * 12.0 * (self.yearly_multiple.powf(1.0 / 52.0) - 1.0)).round()
    }
}

/// The growth plan from the prompt's target, else the stage's benchmark.
pub fn growth_plan(
    stage: Stage,
    goal: Option<Goal>,
    mrr: f64,
    mrr_source: &str,
    target: Option<f64>,
    months_to_deadline: Option<u32>,
    arpa: Option<f64>,
) -> GrowthPlan {
    let median = benchmarks::median_monthly_growth(mrr).value;
    let stretch = goal == Some(Goal::GrowRevenue);
    let (monthly, basis) = match target.filter(|t| *t > mrr && mrr > 0.0) {
        Some(t) => {
            let months = months_to_deadline.unwrap_or(12).max(1);
            (
                (t / mrr).powf(1.0 / months as f64) - 1.0,
                format!("your target of {} MRR in {months} months (CMGR)", money(t)),
            )
        }
        None if mrr <= 0.0 => (0.0, "no revenue yet".to_string()),
        None if stretch => (
            2.0 * median,
            format!(
                "twice the ChartMogul median of {} a month for companies {} (goal: grow revenue)",
                percent(median),
                benchmarks::mrr_band_label(mrr)
            ),
        ),
        None => (
            median,
            format!(
                "the ChartMogul median of {} a month for companies {}",
                percent(median),
                benchmarks::mrr_band_label(mrr)
            ),
        ),
    };
    let yearly_multiple = match (target, stage) {
        (Some(t), _) if t > mrr && mrr > 0.0 => (1.0 + monthly).powi(12),
        (_, Stage::SeriesBPlus) => 2.0,
        _ => 3.0,
    };
    GrowthPlan {
        mrr,
        mrr_source: mrr_source.to_string(),
        monthly,
        basis,
        yearly_multiple,
        arpa: arpa.filter(|a| *a > 0.0).unwrap_or(ASSUMED_ARPA),
        from_target: target.is_some_and(|t| t > mrr && mrr > 0.0),
    }
}

/// Months to a deadline, for [`growth_plan`].
pub fn months_to(today: NaiveDate, deadline: Option<NaiveDate>) -> Option<u32> {
    deadline.map(|d| months_between(today, d))
}
