//! Hypotheses, experiments and next actions of an activation funnel, built from its numbers.

use chrono::{Days, Months};

use super::plan::{Ctx, pts, users};
use super::{Experiment, Hypothesis, sample_size_per_arm};
use crate::format::{group_thousands, percent};
use crate::kinds::mrr_tracker::month_label;
use crate::kinds::sections::NextAction;
use crate::model::Goal;

/// Why users may not activate.
pub(super) fn hypotheses(ctx: &Ctx<'_>) -> Vec<Hypothesis> {
    let today = ctx.input.today;
    let mut out = Vec::new();
    let compare = if ctx.said.last_month {
        let last = today.checked_sub_months(Months::new(1)).unwrap_or(today);
        let before = today.checked_sub_months(Months::new(2)).unwrap_or(today);
        format!(
            "the sign-up cohorts of {} and {}",
            month_label(before),
            month_label(last)
        )
    } else {
        format!(
            "weekly sign-up cohorts since {}",
            today.checked_sub_days(Days::new(56)).unwrap_or(today)
        )
    };
    if ctx.said.dropped || ctx.drop().is_some() {
        let size = ctx.drop().map_or(String::new(), |c| {
            format!(
                " Activation fell {} points ({} relative): {} fewer activated users per 1,000 sign-ups.",
                pts(c.drop_points),
                percent(c.relative_drop),
                users(c.users_lost_per_1000)
            )
        });
        let levels = ctx.drop().map_or(String::new(), |c| {
            format!(
                ": cohorts before it near {} and after it near {} confirm it",
                percent(c.before),
                percent(c.after)
            )
        });
        out.push(if ctx.said.onboarding {
            Hypothesis {
                statement: "The new onboarding caused the drop.".to_string(),
                evidence: format!("The drop started when the new onboarding shipped.{size}"),
                test: format!(
                    "Split {compare} at the onboarding release date{levels}; then A/B test the old onboarding against the new one."
                ),
            }
        } else {
            Hypothesis {
                statement: "A change shipped just before the drop caused it.".to_string(),
                evidence: format!("Activation does not fall on its own: something in the product, pricing or sign-up flow moved.{size}"),
                test: format!(
                    "List the releases, pricing and sign-up form changes of the 4 weeks before the drop, and split {compare} at each date{levels}."
                ),
            }
        });
        out.push(Hypothesis {
            statement: "Tracking changed, not behaviour: the activation event stopped firing on one path.".to_string(),
            evidence: "A drop that appears overnight, on one platform or one browser, is usually instrumentation.".to_string(),
            test: format!(
                "Compare the counts of sign-ups and of the {} event for {compare}: a step change in one with none in the other points to tracking.",
                ctx.funnel.steps.get(3).map_or("activated", |s| s.event.as_str())
            ),
        });
        out.push(Hypothesis {
            statement: "The sign-up mix shifted toward lower-intent users.".to_string(),
            evidence: "A new channel or campaign can add sign-ups that were never going to activate.".to_string(),
            test: format!(
                "Break activation down by acquisition source for {compare}: a source that grew and activates far below the rest explains the drop."
            ),
        });
    }
    if let Some(w) = ctx.weakest() {
        out.push(Hypothesis {
            statement: format!("Most users are lost at \"{}\".", w.name),
            evidence: format!(
                "{} of the previous step get through ({}); {} of every 1,000 sign-ups stop there.",
                percent(w.rate.unwrap_or(0.0)),
                match w.source.as_str() {
                    "prompt" => "from your prompt",
                    "posthog" => "from PostHog",
                    _ => "an estimate until PostHog data fills it",
                },
                users(w.lost_per_1000.unwrap_or(0.0))
            ),
            test: "Watch 20 session recordings of users who stalled at this step and note the first point of confusion in each.".to_string(),
        });
    }
    if let (Some(a), Some(step)) = (&ctx.said.action, ctx.funnel.steps.get(2)) {
        out.push(Hypothesis {
            statement: format!("New users do not see how to {}.", a.base),
            evidence: format!(
                "{} of every 1,000 sign-ups {} ({}).",
                users(step.reached_per_1000.unwrap_or(0.0)),
                a.base,
                if step.source == "prompt" {
                    "from your prompt"
                } else {
                    "an estimate until PostHog data fills it"
                }
            ),
            test: format!(
                "Measure the median time from sign-up to {}: if most who get there take more than a day, the path is unclear.",
                step.event
            ),
        });
    }
    if ctx.said.trial {
        out.push(Hypothesis {
            statement: "Trial users do not reach value before the trial ends.".to_string(),
            evidence: format!(
                "Only the users who {} early have time to form a habit inside the trial.",
                ctx.action_base()
            ),
            test: "Chart activation by the day users first reached the key action: if most who activate do it within 3 days, the rest need help before day 3.".to_string(),
        });
    }
    if ctx.said.action.is_none() || ctx.input.context.goal == Some(Goal::FindPmf) {
        out.push(Hypothesis {
            statement: "Activation is defined on the wrong action.".to_string(),
            evidence: "An activation event only matters if users who reach it retain better than those who do not.".to_string(),
            test: format!(
                "Compare week-4 retention of users who {} within {} days with those who did not: the right key action at least doubles it.",
                ctx.action_base(),
                ctx.window()
            ),
        });
    }
    out
}

fn experiment(
    name: &str,
    change: String,
    metric: &str,
    baseline: f64,
    target: f64,
) -> Option<Experiment> {
    let n = sample_size_per_arm(baseline, target)?;
    Some(Experiment {
        name: name.to_string(),
        change,
        metric: metric.to_string(),
        baseline,
        target,
        mde_points: ((target - baseline) * 10_000.0).round() / 100.0,
        sample_size_per_arm: n,
        total_sample: 2 * n,
    })
}

/// The lift the guided-first-action experiment is sized to detect: five points.
const GUIDED_LIFT: f64 = 0.05;
/// The lift a weakest-step experiment is sized to detect: ten points.
const STEP_LIFT: f64 = 0.10;

/// A/B experiments, each sized for alpha 0.05 (two-sided) and power 0.8.
pub(super) fn experiments(ctx: &Ctx<'_>) -> Vec<Experiment> {
    let mut out = Vec::new();
    let r = ctx.rate();
    let goal = ctx.target.activation_rate;
    if let Some(c) = ctx.drop() {
        let (name, change) = if ctx.said.onboarding {
            (
                "Previous vs new onboarding",
                "Half of new sign-ups get the previous onboarding, half the new one.".to_string(),
            )
        } else {
            (
                "Undo the suspected change",
                "Half of new sign-ups get the product as it was before the drop.".to_string(),
            )
        };
        out.extend(experiment(
            name,
            change,
            "activation rate",
            c.after,
            c.before,
        ));
    } else if goal > r {
        let change = match &ctx.said.action {
            Some(a) => format!(
                "Replace the empty first screen with a template that {} in one click.",
                a.phrase.replacen("their", "the user's", 1)
            ),
            None => "Replace the empty first screen with a guided path to the first key action."
                .to_string(),
        };
        // A first experiment should find a realistic lift, not the whole gap at once.
        let variant = goal.min(r + GUIDED_LIFT);
        out.extend(experiment(
            "Guided first key action",
            change,
            "activation rate",
            r,
            variant,
        ));
    }
    if let Some(w) = ctx.weakest() {
        let base = w.rate.unwrap_or(0.0);
        let change = match w.event.as_str() {
            "setup_completed" => {
                "Cut setup to the fields needed for the first use; ask for the rest later."
                    .to_string()
            }
            "activated" => format!(
                "Send a day-2 and a day-5 reminder that links straight back to {}.",
                ctx.definition
                    .key_action
                    .split(" their ")
                    .nth(1)
                    .map_or("the product".to_string(), |n| format!("their {n}"))
            ),
            _ => {
                "Show a checklist with the key action first and pre-filled sample data.".to_string()
            }
        };
        out.extend(experiment(
            &format!("Lift \"{}\"", w.name),
            change,
            &format!("conversion into \"{}\"", w.name),
            base,
            (base + STEP_LIFT).min(0.99),
        ));
    }
    out
}

/// What to do next, most useful first.
pub(super) fn next_actions(ctx: &Ctx<'_>, experiments: &[Experiment]) -> Vec<NextAction> {
    let events: Vec<&str> = ctx.funnel.steps.iter().map(|s| s.event.as_str()).collect();
    let mut out = vec![
        NextAction::todo(format!(
            "Connect PostHog (cosos connect posthog) so the funnel fills with real conversion per step over a {}-day window.",
            ctx.window()
        )),
        NextAction::todo(format!(
            "Check that the {} funnel events fire once per user: {}.",
            events.len(),
            events.join(", ")
        )),
    ];
    if let Some(h) = hypotheses(ctx)
        .first()
        .filter(|_| ctx.said.dropped || ctx.drop().is_some())
    {
        out.push(NextAction::todo(format!(
            "Test the first hypothesis: {}",
            h.test
        )));
    }
    if let Some(e) = experiments.first() {
        out.push(NextAction::todo(format!(
            "Run \"{}\": {} users per arm ({} in all) detect a move from {} to {}; read it {} days after the last user enters.",
            e.name,
            group_thousands(u128::from(e.sample_size_per_arm)),
            group_thousands(u128::from(e.total_sample)),
            percent(e.baseline),
            percent(e.target),
            ctx.window()
        )));
    }
    out.push(NextAction::todo(format!(
        "Read the first weekly cohort (sign-ups {} to {}) on {}, when its {}-day window closes.",
        ctx.readout.cohort_start,
        ctx.readout.cohort_end,
        ctx.readout.window_closes,
        ctx.window()
    )));
    if let Some(goal) = goal_action(ctx) {
        out.push(NextAction::todo(goal));
    }
    if let Some(ch) = ctx.challenge() {
        out.push(NextAction::todo(format!(
            "Write down which funnel step \"{ch}\" hits hardest, and check it against that step's conversion."
        )));
    }
    out
}

fn goal_action(ctx: &Ctx<'_>) -> Option<String> {
    let t = ctx.target;
    Some(match ctx.input.context.goal? {
        Goal::ImproveRetention => format!(
            "Compare week-4 retention of activated and non-activated users from the same cohorts, to size what reaching {} activation is worth.",
            percent(t.activation_rate)
        ),
        Goal::GrowRevenue => format!(
            "Put activation in the revenue model: reaching {} by {} adds {} activated users per 1,000 sign-ups.",
            percent(t.activation_rate),
            t.deadline,
            users(t.users_gained_per_1000)
        ),
        Goal::RaiseFunding => format!(
            "Add the funnel to the fundraising deck with the 36% average and 30% median next to your {}.",
            percent(ctx.rate())
        ),
        Goal::FindPmf => "Interview five activated and five non-activated users from the same week, and write down what the activated ones came for.".to_string(),
        Goal::ShipFaster => "Ship the first experiment behind a feature flag this week, so rollback takes minutes.".to_string(),
        Goal::ReduceChaos => "Name one owner for activation and review the funnel in the same weekly meeting.".to_string(),
        Goal::Other => return None,
    })
}
