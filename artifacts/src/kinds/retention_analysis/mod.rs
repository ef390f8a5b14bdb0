//! Retention analysis: logo and revenue churn, NRR and GRR against the segment's benchmarks, a
//! month-by-month path from current to target churn, and a cohort table to fill.
//!
//! Formulas: annual retention = (1 - c)^12 for monthly churn c; average customer lifetime = 1 / c
//! months; the monthly churn behind an annual retention r is 1 - r^(1/12); the path cuts churn by
//! the same number of percentage points every month, (current - target) / months.

mod calc;
mod ideas;
mod plan;
mod read;
mod render;
#[cfg(test)]
mod tests;
pub(crate) mod text;
mod types;

pub use calc::*;
pub use render::render_markdown;
pub use types::*;

use chrono::Months;

use super::mrr_tracker::months_between;
use super::{KindInput, KindOutput, to_value};
use crate::benchmarks::retention as bench;
use crate::error::ArtifactError;
use calc::pct as percent;

/// Months a churn plan runs when the prompt gives no deadline: churn work shows in two quarters.
const DEFAULT_PLAN_MONTHS: u32 = 6;
/// When churn already beats the segment's typical level, aim to cut it by a fifth.
const IMPROVEMENT_FACTOR: f64 = 0.8;

/// Generates a retention analysis.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let text = crate::parse::normalize(input.prompt);
    let said = read::read(&text);
    let today = input.today;
    let stage = input.context.stage;
    let mut assumptions = said.notes.clone();
    let (segment, reason) = segment_for(stage, said.segment);

    let logo = match said.logo.current {
        Some(c) => churn(c, "prompt", said.logo.previous),
        None => {
            let est = stage_churn_estimate(stage);
            assumptions.push(format!(
                "Monthly logo churn is an estimate of {} for a company at the {} stage (a cosos planning estimate, not a published benchmark); connect Stripe or state it in the prompt to replace it.",
                percent(est),
                stage_name(stage)
            ));
            churn(est, "stage-estimate", None)
        }
    };
    let revenue = said
        .revenue
        .current
        .map(|c| churn(c, "prompt", said.revenue.previous));
    let grr_band = bench::grr_band(segment);
    let nrr_band = bench::nrr_band(segment);

    let typical_churn =
        read::monthly_from_annual_retention(typical(grr_band, bench::SAAS_CAPITAL_GRR));
    let (target_churn, target_source) = match said.logo.target {
        Some(t) => (t, "prompt"),
        None if logo.monthly > typical_churn => {
            assumptions.push(format!(
                "No churn target was given: {} a month keeps {} of customers a year, the middle of the {} GRR benchmark (logo retention stands in for revenue retention here).",
                percent(typical_churn),
                percent(annual_retention(typical_churn)),
                segment.label()
            ));
            (round6(typical_churn), "segment-benchmark")
        }
        None => {
            let t = round6(logo.monthly * IMPROVEMENT_FACTOR);
            assumptions.push(format!(
                "Churn already beats the middle of the {} benchmark, so the target cuts it by a fifth, to {}.",
                segment.label(),
                percent(t)
            ));
            (t, "improvement")
        }
    };
    let deadline = match input.params.deadline {
        Some(d) => d,
        None => {
            assumptions.push(format!(
                "No deadline was given: the plan runs {DEFAULT_PLAN_MONTHS} months, the time churn work takes to show in cohorts."
            ));
            today
                .checked_add_months(Months::new(DEFAULT_PLAN_MONTHS))
                .unwrap_or(today)
        }
    };
    let months = months_between(today, deadline);
    let reduction = ((logo.monthly - target_churn).max(0.0) * 100.0) / f64::from(months);
    let target = ChurnTarget {
        logo_churn: target_churn,
        source: target_source.to_string(),
        deadline,
        months,
        monthly_reduction_points: round6(reduction),
        annual_retention: annual_retention(target_churn),
        lifetime_months: lifetime_months(target_churn),
        path: churn_path(today, logo.monthly, target_churn.min(logo.monthly), months),
    };

    let grr_derived = said.grr.current.is_none() && revenue.is_some();
    let grr_now = said
        .grr
        .current
        .or_else(|| revenue.as_ref().map(|r| r.annual_retention));
    let revenue_retention = vec![
        RevenueRetention {
            metric: "nrr".to_string(),
            definition: "MRR today from the customers you had 12 months ago, divided by their MRR 12 months ago: expansion counts, churn and contraction subtract.".to_string(),
            current: said.nrr.current,
            previous: said.nrr.previous,
            source: if said.nrr.current.is_some() { "prompt" } else { "not-measured" }.to_string(),
            band_low: nrr_band.low,
            band_high: nrr_band.high,
            status: status(said.nrr.current, nrr_band).to_string(),
            target: next_bar(said.nrr.current, nrr_band, bench::SAAS_CAPITAL_NRR),
            monthly_equivalent: said.nrr.current.map(|r| r.max(0.0).powf(1.0 / 12.0) - 1.0),
        },
        RevenueRetention {
            metric: "grr".to_string(),
            definition: "Like NRR, but each customer counts at most their MRR of 12 months ago: only churn and contraction move it, so it never exceeds 100%.".to_string(),
            current: grr_now,
            previous: said.grr.previous,
            source: if said.grr.current.is_some() { "prompt" } else if grr_derived { "revenue-churn" } else { "not-measured" }.to_string(),
            band_low: grr_band.low,
            band_high: grr_band.high,
            status: status(grr_now, grr_band).to_string(),
            target: next_bar(grr_now, grr_band, bench::SAAS_CAPITAL_GRR),
            monthly_equivalent: grr_now.map(read::monthly_from_annual_retention),
        },
    ];
    if grr_derived {
        assumptions.push("GRR is derived from your monthly revenue churn as (1 - churn)^12, which ignores contraction.".to_string());
    }

    let (rows, basis) = cohort_rows(today, said.this_year);
    let columns = rows.iter().map(|r| r.months_to_fill).max().unwrap_or(0);
    let cohorts = CohortTable {
        basis,
        expected: (0..=columns).map(|m| survival(logo.monthly, m)).collect(),
        at_target: (0..=columns).map(|m| survival(target_churn, m)).collect(),
        cells_to_fill: rows.iter().map(|r| r.months_to_fill).sum(),
        rows,
    };
    let churn_basis = revenue.as_ref().map_or(logo.monthly, |r| r.monthly);
    if revenue.is_none() {
        assumptions.push(format!(
            "Revenue churn is taken equal to logo churn ({}) until billing data separates them.",
            percent(logo.monthly)
        ));
    }
    let quick_ratio = QuickRatio {
        definition: "(new + expansion + reactivation MRR) / (churned + contraction MRR), over the same month.".to_string(),
        benchmark: bench::QUICK_RATIO_STRONG,
        source: bench::QUICK_RATIO.to_string(),
        value: None,
        churn_basis,
        gross_adds_needed: bench::QUICK_RATIO_STRONG * churn_basis,
    };

    let current = CurrentRetention {
        logo_churn: logo,
        revenue_churn: revenue,
        as_of: today,
    };
    let ctx = plan::Ctx {
        input,
        said: &said,
        segment,
        current: &current,
        target: &target,
        revenue_retention: &revenue_retention,
        cohorts: &cohorts,
    };
    let content = RetentionAnalysis {
        summary: plan::summary(&ctx),
        segment: SegmentChoice {
            segment: segment.as_str().to_string(),
            reason,
        },
        benchmarks: benchmarks(segment),
        hypotheses: ideas::hypotheses(&ctx),
        experiments: ideas::experiments(&ctx),
        monitoring: plan::monitoring(input),
        alerts: plan::alerts(&ctx),
        next_actions: ideas::next_actions(&ctx),
        current,
        target,
        revenue_retention,
        cohorts,
        quick_ratio,
        assumptions,
    };
    Ok(KindOutput {
        title: plan::title(&content, &said, today),
        content: to_value(&content),
    })
}
