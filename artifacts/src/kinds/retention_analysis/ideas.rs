//! Hypotheses, experiments and next actions of a retention analysis, built from its numbers.

use chrono::Days;

use super::pct as percent;
use super::plan::{Ctx, num1, points};
use super::{Experiment, Hypothesis, survival};
use crate::kinds::mrr_tracker::month_label_ym;
use crate::kinds::sections::NextAction;
use crate::model::Goal;

/// Why customers may be leaving.
pub(super) fn hypotheses(ctx: &Ctx<'_>) -> Vec<Hypothesis> {
    let c = ctx.churn();
    let period = ctx.said.early.unwrap_or("month");
    let recent: Vec<String> = ctx
        .cohorts
        .rows
        .iter()
        .rev()
        .filter(|r| r.months_to_fill >= 1)
        .take(3)
        .map(|r| month_label_ym(&r.cohort))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut test = format!(
        "Fill month 1 of the cohorts of {}: a flat {} churn predicts {} left after one month. Well below that while later months hold steady means churn is front-loaded.",
        recent.join(", "),
        percent(c),
        percent(survival(c, 1))
    );
    if period != "month" {
        test.push_str(&format!(
            " Check the {period}-1 return rate in a PostHog retention insight too."
        ));
    }
    let mut out = vec![Hypothesis {
        statement: format!(
            "Churn concentrates in the first {period}: customers who do not reach value early leave at the first chance."
        ),
        evidence: match ctx.said.early {
            Some(p) => format!("You said customers leave after the first {p}."),
            None => {
                "Not measured yet: the cohort table shows it once month 1 is filled.".to_string()
            }
        },
        test,
    }];
    let since = ctx
        .input
        .today
        .checked_sub_days(Days::new(90))
        .unwrap_or(ctx.input.today);
    out.push(Hypothesis {
        statement: "Part of the churn is failed payments, not decisions.".to_string(),
        evidence: "Involuntary churn shows up as a past_due subscription before the cancellation, and no product change fixes it.".to_string(),
        test: format!(
            "Count the cancellations since {since} that followed a failed payment; if more than 1 in 5 did, fix payment recovery first."
        ),
    });
    out.push(Hypothesis {
        statement: format!(
            "Customers outside your best-fit profile churn faster than the {} average.",
            percent(c)
        ),
        evidence: "Churn averaged over every customer hides the group that drives it.".to_string(),
        test: format!(
            "Split churn of the {} cohorts by plan, acquisition channel and company size; a group churning at twice the average ({}) is the problem to solve.",
            ctx.cohorts.rows.len(),
            percent(2.0 * c)
        ),
    });
    if let Some(n) = ctx.nrr().filter(|n| n.current.is_some()) {
        let now = n.current.unwrap_or_default();
        out.push(Hypothesis {
            statement: format!(
                "Contraction and weak expansion, more than lost customers, hold NRR at {}.",
                percent(now)
            ),
            evidence: match n.previous {
                Some(p) => format!(
                    "NRR moved from {} to {}, {} points.",
                    percent(p),
                    percent(now),
                    points((now - p) * 100.0)
                ),
                None => format!(
                    "NRR of {} is {} points from the next bar of {}.",
                    percent(now),
                    points((n.target - now) * 100.0),
                    percent(n.target)
                ),
            },
            test: format!(
                "Split the last 12 months of MRR change into churn, contraction and expansion: if GRR sits in the {} band of {}, expansion is the gap to {}.",
                ctx.segment.label(),
                ctx.band("grr"),
                percent(n.target)
            ),
        });
    }
    if let Some(r) = &ctx.current.revenue_churn
        && (r.monthly - c).abs() > 1e-9
    {
        let small = r.monthly < c;
        out.push(Hypothesis {
            statement: if small {
                "Small accounts churn more than large ones.".to_string()
            } else {
                "Your largest accounts are the ones leaving or downgrading.".to_string()
            },
            evidence: format!(
                "Revenue churn of {} is {} logo churn of {}.",
                percent(r.monthly),
                if small { "below" } else { "above" },
                percent(c)
            ),
            test: "Compare churn of the smallest and the largest third of accounts by MRR over the last six months.".to_string(),
        });
    }
    if ctx.input.context.goal == Some(Goal::FindPmf) {
        out.push(Hypothesis {
            statement: format!(
                "A core group already has product-market fit: some cohort curves flatten instead of falling {} a month.",
                percent(c)
            ),
            evidence: "A retention curve that flattens is the clearest sign of product-market fit.".to_string(),
            test: "Find the cohort rows whose last three filled months differ by less than 2 points, and interview those customers about what they rely on.".to_string(),
        });
    }
    out
}

/// Experiments to cut churn, dated from today.
pub(super) fn experiments(ctx: &Ctx<'_>) -> Vec<Experiment> {
    let today = ctx.input.today;
    let readout = |weeks: u64| {
        today
            .checked_add_days(Days::new(weeks * 7))
            .unwrap_or(today)
    };
    let c = ctx.churn();
    let first_step = ctx
        .target
        .path
        .first()
        .map_or(ctx.target.logo_churn, |p| p.logo_churn);
    let mut out = vec![Experiment {
        name: "First-month success program".to_string(),
        change: match ctx.said.early {
            Some("day") => "Bring every new user back on day 2 and day 4 with a message that leads to the one action retained users share.".to_string(),
            _ => "Give every new customer a named owner and a checklist to their first result within 30 days.".to_string(),
        },
        metric: "month-1 logo churn of new cohorts".to_string(),
        baseline: Some(c),
        goal: Some(first_step),
        success: format!(
            "The next two cohorts lose at most {} in their first month, against {} today.",
            percent(first_step),
            percent(c)
        ),
        start: today,
        readout: readout(8),
    }];
    out.push(Experiment {
        name: "Payment recovery".to_string(),
        change: "Turn on smart retries and card-update emails before a subscription cancels for non-payment.".to_string(),
        metric: "cancellations after a failed payment".to_string(),
        baseline: None,
        goal: None,
        success: "Half of failed payments are recovered within 14 days.".to_string(),
        start: today,
        readout: readout(4),
    });
    out.push(Experiment {
        name: "Cancellation flow".to_string(),
        change: "Ask one exit question and offer a pause or a downgrade before the cancellation completes.".to_string(),
        metric: "cancellations saved".to_string(),
        baseline: None,
        goal: Some(0.10),
        success: "1 in 10 cancellations becomes a pause or a downgrade, and every exit has a tagged reason.".to_string(),
        start: today,
        readout: readout(6),
    });
    if let Some(n) = ctx
        .nrr()
        .filter(|n| n.current.is_some_and(|v| v < n.target))
    {
        out.push(Experiment {
            name: "Expansion offer".to_string(),
            change: "Offer the next plan when an account reaches 80% of its plan limit."
                .to_string(),
            metric: "NRR".to_string(),
            baseline: n.current,
            goal: Some(n.target),
            success: format!(
                "NRR of the accounts that saw the offer reaches {}.",
                percent(n.target)
            ),
            start: today,
            readout: readout(12),
        });
    }
    out
}

/// What to do next, most useful first.
pub(super) fn next_actions(ctx: &Ctx<'_>) -> Vec<NextAction> {
    let c = ctx.churn();
    let mut out = vec![NextAction::todo(match ctx.current.logo_churn.source.as_str() {
        "prompt" => "Connect Stripe (cosos connect stripe) so logo churn, revenue churn, NRR and GRR are measured every month against the path.".to_string(),
        _ => format!(
            "Connect Stripe (cosos connect stripe) to replace the {} churn estimate with your measured logo churn, revenue churn, NRR and GRR.",
            percent(c)
        ),
    })];
    if let (Some(first), Some(last)) = (ctx.cohorts.rows.first(), ctx.cohorts.rows.last()) {
        out.push(NextAction::todo(format!(
            "Fill the cohort table: {} monthly cohorts from {} to {}, {} cells, from a PostHog retention insight or Stripe.",
            ctx.cohorts.rows.len(),
            month_label_ym(&first.cohort),
            month_label_ym(&last.cohort),
            ctx.cohorts.cells_to_fill
        )));
    }
    out.push(NextAction::todo(format!(
        "Call five customers who cancelled in {}, and tag each reason as product gap, poor fit, price, failed payment or champion left.",
        ctx.last_month()
    )));
    if ctx.cutting()
        && let Some(step) = ctx.target.path.first()
    {
        out.push(NextAction::todo(format!(
            "Get monthly logo churn to {} in {}: the first step down to {} by {}.",
            percent(step.logo_churn),
            month_label_ym(&step.month),
            percent(ctx.target.logo_churn),
            ctx.target.deadline
        )));
    }
    if let Some(n) = ctx
        .nrr()
        .filter(|n| n.current.is_some_and(|v| v < n.target))
    {
        out.push(NextAction::todo(format!(
            "Split NRR of {} into churn, contraction and expansion, to see which one keeps it below {}.",
            percent(n.current.unwrap_or_default()),
            percent(n.target)
        )));
    }
    if let Some(e) = experiments(ctx).first() {
        out.push(NextAction::todo(format!(
            "Start the {} on {} and read it out on {}.",
            e.name.to_lowercase(),
            e.start,
            e.readout
        )));
    }
    if let Some(goal) = goal_action(ctx) {
        out.push(NextAction::todo(goal));
    }
    if let Some(ch) = ctx.challenge() {
        out.push(NextAction::todo(format!(
            "Write down how \"{ch}\" drives churn, and check it against the exit reasons of {}.",
            ctx.last_month()
        )));
    }
    out
}

fn goal_action(ctx: &Ctx<'_>) -> Option<String> {
    Some(match ctx.input.context.goal? {
        Goal::ImproveRetention => format!(
            "Make churn the first line of the weekly review, with one owner for the path to {}.",
            percent(ctx.target.logo_churn)
        ),
        Goal::GrowRevenue => format!(
            "Add churn to the growth model: at {} a month, {} of every 100 customers must be replaced each month before growth counts.",
            percent(ctx.churn()),
            num1(ctx.churn() * 100.0)
        ),
        Goal::RaiseFunding => format!(
            "Put NRR and GRR in the data room next to the {} bands (NRR {}, GRR {}).",
            ctx.segment.label(),
            ctx.band("nrr"),
            ctx.band("grr")
        ),
        Goal::FindPmf => "Interview the customers of the flattest cohort row: their reason to stay is your product-market fit.".to_string(),
        Goal::ShipFaster => "Ship the first-month fix in weekly slices and read the cohort table after each.".to_string(),
        Goal::ReduceChaos => "Give churn one owner and one monthly review, so it stops being everyone's fire.".to_string(),
        Goal::Other => return None,
    })
}
