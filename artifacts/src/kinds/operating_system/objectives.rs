//! The objective builders: one per goal, plus the challenge's, each with measurable key results.

use chrono::NaiveDate;

use super::okrs::{EARLY_DUE_DAYS, INVESTOR_MEETINGS_PER_WEEK, OkrInput};
use super::scorecard::{CONVERSATIONS_PER_WEEK, DEPLOYS_PER_WEEK, PIPELINE_COVERAGE};
use super::{KeyResult, Objective, Okrs};
use crate::benchmarks::{ASSUMED_MONTHLY_CHURN, board};
use crate::format::{money, percent};
use crate::kinds::board_prep::plan::shift;
use crate::model::{Goal, Stage};

fn kr(
    text: String,
    metric: &str,
    baseline: Option<f64>,
    target: f64,
    unit: &str,
    due: NaiveDate,
) -> KeyResult {
    KeyResult {
        text,
        metric: metric.to_string(),
        baseline,
        target,
        unit: unit.to_string(),
        due,
    }
}

/// The objective for `goal`.
pub fn objective(goal: Goal, input: &OkrInput<'_>, q: &Okrs) -> Objective {
    let g = input.growth;
    let end = q.end;
    let weeks = q.weeks as f64;
    let early = shift(q.start, EARLY_DUE_DAYS);
    let months_left = (end - input.today).num_days() as f64 / (365.25 / 12.0);
    let scale = matches!(input.stage, Stage::SeriesA | Stage::SeriesBPlus);
    let activation = || {
        kr(
            format!(
                "Activation rate of new sign-ups at least {} by {end}",
                percent(board::ACTIVATION_AVERAGE)
            ),
            "activation_rate",
            None,
            board::ACTIVATION_AVERAGE,
            "%",
            end,
        )
    };
    let talks = || {
        let n = CONVERSATIONS_PER_WEEK * weeks;
        kr(
            format!("Hold {n} customer conversations by {end} ({CONVERSATIONS_PER_WEEK} a week)"),
            "customer_conversations",
            Some(0.0),
            n,
            "count",
            end,
        )
    };
    let churn = |target: f64| {
        kr(
            format!(
                "Logo churn at or below {} a month by {end}",
                percent(target)
            ),
            "logo_churn",
            None,
            target,
            "%",
            end,
        )
    };
    let (title, owner, key_results) = match goal {
        Goal::FindPmf => (
            "Find the customer segment that cannot live without the product".to_string(),
            "CEO",
            vec![
                talks(),
                kr(
                    format!(
                        "At least {} of active users \"very disappointed\" without the product (Sean Ellis survey) by {end}",
                        percent(board::SEAN_ELLIS_THRESHOLD)
                    ),
                    "very_disappointed_share",
                    None,
                    board::SEAN_ELLIS_THRESHOLD,
                    "%",
                    end,
                ),
                activation(),
            ],
        ),
        Goal::GrowRevenue if g.mrr <= 0.0 => {
            let n = weeks.max(3.0);
            (
                "Win the first paying customers".to_string(),
                "CEO",
                vec![
                    kr(
                        format!("Sign {n} paying customers by {end} (one a week)"),
                        "paying_customers",
                        Some(0.0),
                        n,
                        "count",
                        end,
                    ),
                    talks(),
                    activation(),
                ],
            )
        }
        Goal::GrowRevenue if scale => {
            let arr = g.mrr * 12.0;
            let target = (arr * g.yearly_multiple.powf(months_left / 12.0)).round();
            let pipeline = PIPELINE_COVERAGE * g.net_new_arr_per_week() * weeks;
            let burn = if input.stage == Stage::SeriesBPlus {
                board::BURN_MULTIPLE_AMAZING
            } else {
                board::BURN_MULTIPLE_GREAT
            };
            (
                format!("Grow ARR from {} to {} by {end}", money(arr), money(target)),
                "CEO",
                vec![
                    kr(
                        format!("ARR at least {} by {end}", money(target)),
                        "arr",
                        Some(arr),
                        target,
                        "$",
                        end,
                    ),
                    kr(
                        format!(
                            "Qualified pipeline of at least {} ARR created by {end}",
                            money(pipeline)
                        ),
                        "pipeline_created",
                        Some(0.0),
                        pipeline,
                        "$",
                        end,
                    ),
                    kr(
                        format!("Burn multiple at most {burn}x for the quarter"),
                        "burn_multiple",
                        None,
                        burn,
                        "x",
                        end,
                    ),
                ],
            )
        }
        Goal::GrowRevenue => {
            let target = (g.mrr * (1.0 + g.monthly).powf(months_left)).round();
            let customers = g.customers_per_week() * weeks;
            let pipeline = (PIPELINE_COVERAGE * g.new_mrr_per_week()).round() * weeks;
            (
                format!(
                    "Grow MRR from {} to {} by {end}",
                    money(g.mrr),
                    money(target)
                ),
                "CEO",
                vec![
                    kr(
                        format!(
                            "MRR at least {} by {end} ({} a month)",
                            money(target),
                            percent(g.monthly)
                        ),
                        "mrr",
                        Some(g.mrr),
                        target,
                        "$",
                        end,
                    ),
                    kr(
                        format!("Win {customers} new paying customers by {end}"),
                        "new_customers",
                        Some(0.0),
                        customers,
                        "count",
                        end,
                    ),
                    kr(
                        format!(
                            "Qualified pipeline of at least {} new MRR created by {end}",
                            money(pipeline)
                        ),
                        "pipeline_created",
                        Some(0.0),
                        pipeline,
                        "$",
                        end,
                    ),
                ],
            )
        }
        Goal::ImproveRetention => {
            let baseline = input
                .rates
                .first()
                .copied()
                .filter(|r| *r > 0.0 && *r < 1.0);
            let target = match (baseline, input.rates.get(1)) {
                (Some(b), Some(t)) if *t < b => *t,
                (Some(b), _) if b > ASSUMED_MONTHLY_CHURN => ASSUMED_MONTHLY_CHURN,
                (Some(b), _) => (b * 0.8 * 1000.0).round() / 1000.0,
                _ => ASSUMED_MONTHLY_CHURN,
            };
            // Series B+ aims at the top of the SaaS Capital median band, as its scorecard does.
            let nrr = if input.stage == Stage::SeriesBPlus {
                board::NRR_MEDIAN.1
            } else {
                board::NRR_MEDIAN.0
            };
            let mut churn_kr = churn(target);
            if let Some(b) = baseline {
                churn_kr.baseline = Some(b);
                churn_kr.text = format!(
                    "Logo churn from {} to {} a month by {end}",
                    percent(b),
                    percent(target)
                );
            }
            let interviews = 2.0 * weeks;
            (
                "Keep the customers we win".to_string(),
                "CEO",
                vec![
                    churn_kr,
                    kr(
                        format!("Net revenue retention at least {} by {end}", percent(nrr)),
                        "nrr",
                        None,
                        nrr,
                        "%",
                        end,
                    ),
                    kr(
                        format!(
                            "Interview {interviews} churned or at-risk customers by {end} (two a week)"
                        ),
                        "churn_interviews",
                        Some(0.0),
                        interviews,
                        "count",
                        end,
                    ),
                ],
            )
        }
        Goal::ShipFaster => (
            "Ship smaller changes, more often".to_string(),
            "CTO",
            vec![
                kr(
                    format!("At least {DEPLOYS_PER_WEEK} deploys to production a week by {end}"),
                    "deploys_per_week",
                    None,
                    DEPLOYS_PER_WEEK,
                    "count",
                    end,
                ),
                kr(
                    format!(
                        "Lead time for changes under 24 hours by {end} (DORA elite: under a day)"
                    ),
                    "lead_time_hours",
                    None,
                    24.0,
                    "hours",
                    end,
                ),
                kr(
                    format!(
                        "Change failure rate at most {} by {end}",
                        percent(board::DORA_ELITE_CHANGE_FAILURE)
                    ),
                    "change_failure_rate",
                    None,
                    board::DORA_ELITE_CHANGE_FAILURE,
                    "%",
                    end,
                ),
            ],
        ),
        Goal::RaiseFunding => {
            let meetings = INVESTOR_MEETINGS_PER_WEEK * weeks;
            (
                "Raise the next round".to_string(),
                "CEO",
                vec![
                    kr(
                        format!("Deck, financial model and data room ready by {early}"),
                        "fundraising_materials_ready",
                        Some(0.0),
                        1.0,
                        "done",
                        early,
                    ),
                    kr(
                        format!(
                            "{meetings} first meetings with target investors by {end} ({INVESTOR_MEETINGS_PER_WEEK} a week)"
                        ),
                        "investor_first_meetings",
                        Some(0.0),
                        meetings,
                        "count",
                        end,
                    ),
                    kr(
                        format!("At least one term sheet by {end}"),
                        "term_sheets",
                        Some(0.0),
                        1.0,
                        "count",
                        end,
                    ),
                ],
            )
        }
        Goal::ReduceChaos | Goal::Other => {
            let mut krs = vec![
                kr(
                    format!(
                        "Hold the {} in all {} weeks to {end}",
                        input.weekly_meeting, q.weeks
                    ),
                    "weekly_meetings_held",
                    Some(0.0),
                    weeks,
                    "count",
                    end,
                ),
                kr(
                    format!(
                        "All {} scorecard metrics updated by their owner before every weekly meeting",
                        input.scorecard_len
                    ),
                    "scorecard_updated_share",
                    None,
                    1.0,
                    "%",
                    end,
                ),
                kr(
                    "Every decision from the weekly meeting in the decision log within 24 hours"
                        .to_string(),
                    "decisions_logged_share",
                    None,
                    1.0,
                    "%",
                    end,
                ),
            ];
            if input.tools {
                let due = shift(q.start, 28);
                krs.push(kr(
                    format!("Company metrics kept in one place, the scorecard, by {due}"),
                    "systems_holding_metrics",
                    None,
                    1.0,
                    "count",
                    due,
                ));
            }
            (
                "Run the company on one operating rhythm".to_string(),
                "CEO",
                krs,
            )
        }
    };
    Objective {
        title,
        owner: owner.to_string(),
        key_results,
    }
}

/// The objective that removes the founder's challenge.
pub fn challenge_objective(challenge: &str, input: &OkrInput<'_>, q: &Okrs) -> Objective {
    let early = shift(q.start, EARLY_DUE_DAYS);
    let streak = q.weeks.min(4) as f64;
    Objective {
        title: format!("Remove the blocker: \"{challenge}\""),
        owner: "CEO".to_string(),
        key_results: vec![
            kr(
                format!(
                    "Root cause and fix agreed in the {} by {early}",
                    input.weekly_meeting
                ),
                "root_cause_agreed",
                Some(0.0),
                1.0,
                "done",
                early,
            ),
            kr(
                format!(
                    "The scorecard metric it hurts most on target for the last {streak} weeks to {}",
                    q.end
                ),
                "weeks_on_target",
                Some(0.0),
                streak,
                "count",
                q.end,
            ),
        ],
    }
}
