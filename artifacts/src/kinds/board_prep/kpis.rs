//! The KPI table a board reads, chosen by stage, and the stage's benchmark figures.
//!
//! Rows hold only numbers the founder stated or a connected source gave; every other cell stays
//! empty to be filled at the metrics freeze, because a stage estimate in a board deck would be
//! an invented number. Variances are computed only when both sides are known.

use super::{Benchmark, KpiRow};
use crate::benchmarks::{self, board};
use crate::format::percent;
use crate::model::Stage;

/// Which way a KPI should move.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Better {
    Higher,
    Lower,
}

/// (metric, definition, unit, better) rows of a stage's KPI table.
fn catalog(stage: Stage) -> Vec<(&'static str, &'static str, &'static str, Better)> {
    use Better::{Higher, Lower};
    let burn = (
        "Net burn",
        "monthly average of cash out minus cash in",
        "$",
        Lower,
    );
    let runway = (
        "Runway",
        "cash at period end / monthly net burn",
        "months",
        Higher,
    );
    let activation = (
        "Activation rate",
        "share of new sign-ups reaching the key action within 7 days",
        "%",
        Higher,
    );
    let nrr = (
        "Net revenue retention",
        "MRR now from customers of 12 months ago / their MRR then",
        "%",
        Higher,
    );
    let grr = (
        "Gross revenue retention",
        "NRR with each customer capped at their old MRR",
        "%",
        Higher,
    );
    let burn_multiple = (
        "Burn multiple",
        "net burn / net new ARR over the period",
        "x",
        Lower,
    );
    let margin = (
        "Gross margin",
        "(revenue - cost of revenue) / revenue",
        "%",
        Higher,
    );
    let headcount = (
        "Headcount",
        "people at period end against the hiring plan",
        "count",
        Higher,
    );
    match stage {
        Stage::PreLaunch => vec![
            (
                "Sign-ups",
                "new waitlist or beta sign-ups in the period",
                "count",
                Higher,
            ),
            (
                "Weekly active users",
                "users active in the last 7 days at period end",
                "count",
                Higher,
            ),
            activation,
            (
                "Design partners",
                "companies using the product under a design-partner agreement or LOI",
                "count",
                Higher,
            ),
            ("Cash in bank", "at period end", "$", Higher),
            burn,
            runway,
        ],
        Stage::EarlyRevenue => vec![
            (
                "MRR",
                "monthly recurring revenue at period end",
                "$",
                Higher,
            ),
            ("Paying customers", "at period end", "count", Higher),
            ("New paying customers", "won in the period", "count", Higher),
            (
                "Logo churn",
                "customers lost in a month / customers at its start",
                "%",
                Lower,
            ),
            activation,
            burn,
            runway,
        ],
        Stage::Seed => vec![
            (
                "MRR",
                "monthly recurring revenue at period end",
                "$",
                Higher,
            ),
            (
                "MRR growth",
                "CMGR over the period: (end / start)^(1/months) - 1",
                "%",
                Higher,
            ),
            (
                "Net new MRR",
                "new + expansion + reactivation - churn - contraction",
                "$",
                Higher,
            ),
            (
                "Logo churn",
                "customers lost in a month / customers at its start",
                "%",
                Lower,
            ),
            nrr,
            activation,
            (
                "CAC payback",
                "sales and marketing spend / (new MRR x gross margin)",
                "months",
                Lower,
            ),
            burn,
            runway,
        ],
        Stage::SeriesA => vec![
            ("ARR", "MRR at period end x 12", "$", Higher),
            (
                "Net new ARR",
                "ARR added in the period, net of churn and contraction",
                "$",
                Higher,
            ),
            nrr,
            grr,
            burn_multiple,
            (
                "CAC payback",
                "sales and marketing spend / (new MRR x gross margin)",
                "months",
                Lower,
            ),
            margin,
            headcount,
            runway,
        ],
        Stage::SeriesBPlus => vec![
            ("ARR", "MRR at period end x 12", "$", Higher),
            ("ARR growth", "ARR now / ARR 12 months ago - 1", "%", Higher),
            nrr,
            grr,
            (
                "Rule of 40",
                "ARR growth + free-cash-flow margin",
                "%",
                Higher,
            ),
            burn_multiple,
            margin,
            headcount,
            runway,
        ],
    }
}

/// Known actuals and plans: (metric, actual, plan, where they came from).
pub struct Known {
    /// Current MRR stated or pulled, if any.
    pub mrr: Option<f64>,
    /// Planned MRR stated in the prompt, if any.
    pub plan_mrr: Option<f64>,
    /// Paying customers from a connected source, if any.
    pub customers: Option<f64>,
    /// `prompt` or the live source's name, for the actual.
    pub source: String,
}

/// The stage's KPI rows with what is known filled in and variances computed.
pub fn kpis(stage: Stage, known: &Known) -> Vec<KpiRow> {
    catalog(stage)
        .into_iter()
        .map(|(metric, definition, unit, better)| {
            let (actual, plan) = match metric {
                "MRR" => (known.mrr, known.plan_mrr),
                "ARR" => (
                    known.mrr.map(|m| m * 12.0),
                    known.plan_mrr.map(|m| m * 12.0),
                ),
                "Paying customers" => (known.customers, None),
                _ => (None, None),
            };
            let variance = actual.zip(plan).map(|(a, p)| a - p);
            let variance_pct = actual
                .zip(plan)
                .filter(|(_, p)| *p != 0.0 && unit != "%")
                .map(|(a, p)| (a - p) / p);
            let source = match (actual.is_some(), plan.is_some()) {
                (true, true) => format!("actual: {}; plan: prompt", known.source),
                (true, false) => format!("actual: {}", known.source),
                (false, true) => "plan: prompt".to_string(),
                (false, false) => "to fill at the metrics freeze".to_string(),
            };
            KpiRow {
                metric: metric.to_string(),
                definition: definition.to_string(),
                unit: unit.to_string(),
                better: if better == Better::Higher {
                    "higher"
                } else {
                    "lower"
                }
                .to_string(),
                actual,
                plan,
                prior: None,
                variance,
                variance_pct,
                variance_formula: variance_formula(unit, better),
                source,
            }
        })
        .collect()
}

fn variance_formula(unit: &str, better: Better) -> String {
    let base = if unit == "%" {
        "actual - plan in points; actual - prior in points"
    } else {
        "actual - plan and (actual - plan) / plan; same against prior"
    };
    match better {
        Better::Higher => base.to_string(),
        Better::Lower => format!("{base}; negative is better"),
    }
}

fn figure(metric: &str, value: f64, display: String, source: &str) -> Benchmark {
    Benchmark {
        metric: metric.to_string(),
        value,
        display,
        source: source.to_string(),
    }
}

/// Board practice figures, then the stage's KPI benchmarks; `mrr` picks the ChartMogul band.
pub fn stage_benchmarks(stage: Stage, mrr: f64) -> Vec<Benchmark> {
    let mut out = vec![
        figure(
            "Pack sent before the meeting (hours)",
            board::PACK_LEAD_HOURS_MAX,
            format!(
                "{}-{} h",
                board::PACK_LEAD_HOURS_MIN,
                board::PACK_LEAD_HOURS_MAX
            ),
            board::BOARD_PACK,
        ),
        figure(
            "Board meetings a year",
            board::MEETINGS_PER_YEAR,
            format!("{} (quarterly)", board::MEETINGS_PER_YEAR),
            board::BOARD_PACK,
        ),
        figure(
            "Longest board meeting (minutes)",
            board::FELD_MEETING_MINUTES,
            format!("{} min", board::FELD_MEETING_MINUTES),
            board::FELD_IDEAL_MEETING,
        ),
    ];
    let growth = benchmarks::median_monthly_growth(mrr);
    let chartmogul = figure(
        &format!(
            "Median monthly MRR growth, {}",
            benchmarks::mrr_band_label(mrr)
        ),
        growth.value,
        percent(growth.value),
        growth.source,
    );
    let activation = figure(
        "Activation rate (SaaS average)",
        board::ACTIVATION_AVERAGE,
        format!(
            "{} average, {} median",
            percent(board::ACTIVATION_AVERAGE),
            percent(board::ACTIVATION_MEDIAN)
        ),
        board::ACTIVATION,
    );
    let (lo, hi) = benchmarks::YC_WEEKLY_GOOD;
    let yc = figure(
        "Weekly growth, good early-stage pace",
        lo,
        format!("{}-{} a week", percent(lo), percent(hi)),
        benchmarks::YC_GROWTH,
    );
    let burn = |v: f64, label: &str| {
        figure(
            &format!("Burn multiple, {label}"),
            v,
            format!("at most {v}x"),
            board::SACKS_BURN_MULTIPLE,
        )
    };
    match stage {
        Stage::PreLaunch => out.extend([activation, yc]),
        Stage::EarlyRevenue => out.extend([chartmogul, yc, activation]),
        Stage::Seed => out.extend([
            chartmogul,
            figure(
                "Net revenue retention (median)",
                board::NRR_MEDIAN.0,
                format!(
                    "{}-{}",
                    percent(board::NRR_MEDIAN.0),
                    percent(board::NRR_MEDIAN.1)
                ),
                board::SAAS_CAPITAL_NRR,
            ),
            activation,
        ]),
        Stage::SeriesA => out.extend([
            chartmogul,
            figure(
                "ARR growth a year (T2D3 triple years)",
                3.0,
                "3x".to_string(),
                benchmarks::T2D3,
            ),
            burn(board::BURN_MULTIPLE_GREAT, "great"),
            figure(
                "Net revenue retention, mid-market",
                board::NRR_MID_MARKET.0,
                format!(
                    "{}-{}",
                    percent(board::NRR_MID_MARKET.0),
                    percent(board::NRR_MID_MARKET.1)
                ),
                board::BESSEMER_RETENTION,
            ),
        ]),
        Stage::SeriesBPlus => out.extend([
            figure(
                "Rule of 40 (growth + margin)",
                board::RULE_OF_40_VALUE,
                format!("at least {}", percent(board::RULE_OF_40_VALUE)),
                board::RULE_OF_40,
            ),
            figure(
                "ARR growth a year (T2D3 double years)",
                2.0,
                "2x".to_string(),
                benchmarks::T2D3,
            ),
            burn(board::BURN_MULTIPLE_AMAZING, "amazing"),
            figure(
                "Net revenue retention, enterprise",
                board::NRR_ENTERPRISE_FLOOR,
                format!("above {}", percent(board::NRR_ENTERPRISE_FLOOR)),
                board::BESSEMER_RETENTION,
            ),
            figure(
                "Gross revenue retention, enterprise",
                board::GRR_ENTERPRISE_FLOOR,
                format!("above {}", percent(board::GRR_ENTERPRISE_FLOOR)),
                board::BESSEMER_RETENTION,
            ),
        ]),
    }
    out
}
