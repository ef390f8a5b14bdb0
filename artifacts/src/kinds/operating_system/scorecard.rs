//! The weekly scorecard: 5-15 metrics by stage, each with one owner and a numeric target.
//!
//! Targets come from the prompt's numbers when it states them, else from benchmarks for the
//! stage (ChartMogul medians by MRR band, YC weekly growth, T2D3, Sacks, DORA, the activation
//! survey), else from a cosos default that the `basis` column names as such.

use super::ScorecardRow;
use super::growth::GrowthPlan;
use super::rituals::{band, leaders};
use crate::benchmarks::{self, ASSUMED_MONTHLY_CHURN, board};
use crate::format::{money, percent};
use crate::model::Stage;

/// Pipeline created should cover the new revenue it must turn into three times over.
pub const PIPELINE_COVERAGE: f64 = 3.0;
/// Customer conversations a week for the founders: one every working day.
pub const CONVERSATIONS_PER_WEEK: f64 = 5.0;
/// Deploys a week: daily, the high end of DORA's "high" band on the way to on-demand.
pub const DEPLOYS_PER_WEEK: f64 = 5.0;

/// Metrics on the scorecard for a team of this band: small 6, mid 10, large 13.
pub fn scorecard_len(band: &str) -> usize {
    match band {
        "small" => 6,
        "mid" => 10,
        _ => 13,
    }
}

/// Owner of a function's metric: the first leader on the team who owns that function, else
/// the CEO, so every owner is someone in the leadership meeting.
fn owner(leaders: &[&str], function: &str) -> String {
    let candidates: &[&str] = match function {
        "sales" => &["VP Sales", "Head of Sales"],
        "product" => &["VP Product", "Head of Product", "CTO"],
        "discovery" if leaders.len() <= 2 => &["CEO"],
        "discovery" => &["VP Product", "Head of Product", "CEO"],
        "eng" => &["CTO"],
        "success" => &[
            "VP Customer Success",
            "Head of Customer Success",
            "VP Sales",
            "Head of Sales",
        ],
        "finance" => &["CFO", "Finance lead"],
        "people" => &["Head of People"],
        _ => &[],
    };
    candidates
        .iter()
        .find(|c| leaders.contains(c))
        .unwrap_or(&"CEO")
        .to_string()
}

/// The scorecard for the stage, truncated to the band's length.
pub fn scorecard(stage: Stage, size: u32, g: &GrowthPlan) -> Vec<ScorecardRow> {
    let band = band(size);
    let leaders = leaders(size);
    let row =
        |metric: &str, function: &str, direction: &str, target: f64, unit: &str, basis: &str| {
            ScorecardRow {
                metric: metric.to_string(),
                owner: owner(&leaders, function),
                direction: direction.to_string(),
                target,
                unit: unit.to_string(),
                basis: basis.to_string(),
            }
        };
    let (yc_low, _) = benchmarks::YC_WEEKLY_GOOD;
    let yc = "Paul Graham, \"Startup = Growth\": 5-7% a week is good";
    let activation = row(
        "Activation rate of new sign-ups",
        "product",
        "at least",
        board::ACTIVATION_AVERAGE,
        "%",
        "SaaS average 36% (Rachitsky and Timen)",
    );
    let deploys = row(
        "Deploys to production",
        "eng",
        "at least",
        DEPLOYS_PER_WEEK,
        "count",
        "one a working day; DORA elite teams deploy on demand",
    );
    let cfr = row(
        "Change failure rate",
        "eng",
        "at most",
        board::DORA_ELITE_CHANGE_FAILURE,
        "%",
        "DORA elite band 0-15%",
    );
    let talks = row(
        "Customer conversations",
        "discovery",
        "at least",
        CONVERSATIONS_PER_WEEK,
        "count",
        "cosos default: one every working day",
    );
    let support = row(
        "Support first response time",
        "success",
        "at most",
        24.0,
        "hours",
        "cosos default: within one working day",
    );
    let hires = row(
        "Hires against the hiring plan, quarter to date",
        "people",
        "at least",
        1.0,
        "%",
        "cosos default: the plan is the target",
    );
    let runway = |months: f64| {
        row(
            "Runway",
            "finance",
            "at least",
            months,
            "months",
            "cosos default: time to raise before cash runs out",
        )
    };
    let weekly_growth = format!("{}; {} a week", g.basis, percent(g.weekly()));
    let rows = match stage {
        Stage::PreLaunch => vec![
            talks,
            row(
                "New sign-ups, week over week",
                "sales",
                "at least",
                yc_low,
                "%/week",
                yc,
            ),
            row(
                "Weekly active users, week over week",
                "product",
                "at least",
                yc_low,
                "%/week",
                yc,
            ),
            activation,
            deploys,
            runway(12.0),
            row(
                "Share of active users \"very disappointed\" without the product",
                "product",
                "at least",
                board::SEAN_ELLIS_THRESHOLD,
                "%",
                "Sean Ellis: 40% signals product-market fit",
            ),
            row(
                "Design partners active this week",
                "sales",
                "at least",
                5.0,
                "count",
                "cosos default: enough partners to see a pattern",
            ),
            cfr,
            support,
        ],
        Stage::EarlyRevenue | Stage::Seed => vec![
            row(
                "MRR growth, week over week",
                "sales",
                "at least",
                round4(g.weekly()),
                "%/week",
                &weekly_growth,
            ),
            row(
                "New paying customers",
                "sales",
                "at least",
                g.customers_per_week(),
                "count",
                &format!(
                    "{} of new MRR a week (growth plus {} monthly churn) at {} per account",
                    money(g.new_mrr_per_week().round()),
                    percent(ASSUMED_MONTHLY_CHURN),
                    money(g.arpa)
                ),
            ),
            row(
                "Qualified pipeline created (MRR)",
                "sales",
                "at least",
                (PIPELINE_COVERAGE * g.new_mrr_per_week()).round(),
                "$",
                "cosos default: 3x the new MRR needed a week",
            ),
            activation,
            row(
                "Logo churn, trailing four weeks",
                "success",
                "at most",
                ASSUMED_MONTHLY_CHURN,
                "%",
                "cosos planning assumption of 3% a month",
            ),
            runway(12.0),
            deploys,
            talks,
            row(
                "Net revenue retention, trailing 12 months",
                "success",
                "at least",
                board::NRR_MEDIAN.0,
                "%",
                "SaaS Capital 2023 median NRR 100-110%",
            ),
            support,
            cfr,
            hires,
        ],
        Stage::SeriesA | Stage::SeriesBPlus => {
            let b = stage == Stage::SeriesBPlus;
            let arr_basis = format!(
                "ARR of {} growing {}x a year ({})",
                money(g.mrr * 12.0),
                trim(g.yearly_multiple),
                if g.from_target {
                    "your target"
                } else {
                    "Battery Ventures T2D3"
                }
            );
            let mut rows = vec![
                row(
                    "Net new ARR",
                    "sales",
                    "at least",
                    g.net_new_arr_per_week(),
                    "$",
                    &arr_basis,
                ),
                row(
                    "Qualified pipeline created (ARR)",
                    "sales",
                    "at least",
                    PIPELINE_COVERAGE * g.net_new_arr_per_week(),
                    "$",
                    "cosos default: 3x the net new ARR needed a week",
                ),
                row(
                    "Net revenue retention, trailing 12 months",
                    "success",
                    "at least",
                    if b {
                        board::NRR_MEDIAN.1
                    } else {
                        board::NRR_MEDIAN.0
                    },
                    "%",
                    "SaaS Capital 2023 median NRR 100-110%",
                ),
                row(
                    "Gross revenue retention, trailing 12 months",
                    "success",
                    "at least",
                    board::GRR_ENTERPRISE_FLOOR,
                    "%",
                    "Bessemer: enterprise GRR above 90%",
                ),
                row(
                    "Burn multiple, trailing quarter",
                    "finance",
                    "at most",
                    if b {
                        board::BURN_MULTIPLE_AMAZING
                    } else {
                        board::BURN_MULTIPLE_GREAT
                    },
                    "x",
                    if b {
                        "David Sacks: under 1x is amazing"
                    } else {
                        "David Sacks: 1-1.5x is great"
                    },
                ),
                activation,
                runway(18.0),
                hires,
                cfr,
                deploys,
                support,
                talks,
            ];
            let rule40 = row(
                "Rule of 40, trailing quarter",
                "finance",
                "at least",
                board::RULE_OF_40_VALUE,
                "%",
                "Brad Feld: growth + margin of at least 40%",
            );
            rows.insert(if b { 4 } else { rows.len() }, rule40);
            rows
        }
    };
    let n = scorecard_len(band).clamp(board::SCORECARD_MIN, board::SCORECARD_MAX);
    rows.into_iter().take(n).collect()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
