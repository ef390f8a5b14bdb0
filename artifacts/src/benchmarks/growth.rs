//! Growth benchmarks: ChartMogul medians by MRR band, YC weekly growth, T2D3, CMGR.

use super::Figure;

/// ChartMogul, SaaS Growth Report: median monthly MRR growth by MRR band.
pub const CHARTMOGUL: &str =
    "ChartMogul, SaaS Growth Report: median monthly MRR growth by MRR band";
/// Paul Graham, "Startup = Growth" (2012): 5-7% a week is good, 10% exceptional.
pub const YC_GROWTH: &str =
    "Paul Graham, \"Startup = Growth\" (2012): 5-7% a week is good, 10% exceptional";
/// Battery Ventures, T2D3 (2015): from $2M ARR triple, triple, double, double, double.
pub const T2D3: &str =
    "Battery Ventures, T2D3 (2015): from $2M ARR triple, triple, double, double, double";
/// a16z, "16 More Startup Metrics": CMGR definition.
pub const CMGR: &str = "a16z, \"16 More Startup Metrics\": CMGR = (last / first)^(1/months) - 1";

/// Median monthly growth of companies whose MRR is in the same band (ChartMogul).
pub fn median_monthly_growth(current_mrr: f64) -> Figure {
    let value = if current_mrr < 10_000.0 {
        0.044
    } else if current_mrr <= 50_000.0 {
        0.031
    } else {
        0.02
    };
    Figure {
        value,
        source: CHARTMOGUL,
    }
}

/// The MRR band label matching [`median_monthly_growth`].
pub fn mrr_band_label(current_mrr: f64) -> &'static str {
    if current_mrr < 10_000.0 {
        "under $10k MRR"
    } else if current_mrr <= 50_000.0 {
        "between $10k and $50k MRR"
    } else {
        "above $50k MRR"
    }
}

/// YC's weekly growth range (good low end, good high end, exceptional).
pub const YC_WEEKLY_GOOD: (f64, f64) = (0.05, 0.07);
/// YC's exceptional weekly growth.
pub const YC_WEEKLY_EXCEPTIONAL: f64 = 0.10;
/// The ARR from which T2D3 applies.
pub const T2D3_START_ARR: f64 = 2_000_000.0;
/// T2D3's first years triple ARR: the monthly growth that compounds to 3x a year.
pub fn t2d3_triple_monthly() -> f64 {
    3f64.powf(1.0 / 12.0) - 1.0
}

/// Assumed monthly MRR churn until real data replaces it.
pub const ASSUMED_MONTHLY_CHURN: f64 = 0.03;
/// Assumed average revenue per account until real data replaces it.
pub const ASSUMED_ARPA: f64 = 100.0;
