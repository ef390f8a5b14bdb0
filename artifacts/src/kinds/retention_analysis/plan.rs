//! The words of a retention analysis, built from its computed numbers: summary, title,
//! hypotheses, experiments, monitoring, alerts and next actions.

use chrono::{Months, NaiveDate};

use super::pct as percent;
use super::read::RetentionPrompt;
use super::{
    ChurnTarget, CohortTable, CurrentRetention, RetentionAnalysis, RevenueRetention,
    annual_retention,
};
use crate::benchmarks::retention::{self as bench, Segment};
use crate::kinds::KindInput;
use crate::kinds::mrr_tracker::month_label;
use crate::kinds::sections::{AlertRule, Monitor, alert, monitor, one_line};
use crate::model::Goal;

/// What the plan is built from.
pub(super) struct Ctx<'a> {
    pub input: &'a KindInput<'a>,
    pub said: &'a RetentionPrompt,
    pub segment: Segment,
    pub current: &'a CurrentRetention,
    pub target: &'a ChurnTarget,
    pub revenue_retention: &'a [RevenueRetention],
    pub cohorts: &'a CohortTable,
}

impl Ctx<'_> {
    pub(super) fn churn(&self) -> f64 {
        self.current.logo_churn.monthly
    }

    pub(super) fn cutting(&self) -> bool {
        self.target.logo_churn < self.churn()
    }

    pub(super) fn nrr(&self) -> Option<&RevenueRetention> {
        self.revenue_retention.iter().find(|r| r.metric == "nrr")
    }

    pub(super) fn band(&self, metric: &str) -> String {
        self.revenue_retention
            .iter()
            .find(|r| r.metric == metric)
            .map(|r| match r.band_high {
                Some(h) => format!("{}-{}", percent(r.band_low), percent(h)),
                None => format!("above {}", percent(r.band_low)),
            })
            .unwrap_or_default()
    }

    pub(super) fn last_month(&self) -> String {
        month_label(
            self.input
                .today
                .checked_sub_months(Months::new(1))
                .unwrap_or(self.input.today),
        )
    }

    pub(super) fn challenge(&self) -> Option<String> {
        self.input
            .context
            .challenge
            .as_deref()
            .map(one_line)
            .filter(|c| !c.is_empty())
    }
}

/// One decimal at most: 14.2857 -> "14.3".
pub(super) fn num1(x: f64) -> String {
    let s = format!("{x:.1}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Percentage points with at most two decimals: 0.5714 -> "0.57".
pub(super) fn points(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn lifetime(x: Option<f64>) -> String {
    x.map_or("unbounded".to_string(), |m| format!("{} months", num1(m)))
}

/// The reasoning in one paragraph.
pub(super) fn summary(ctx: &Ctx<'_>) -> String {
    let c = &ctx.current.logo_churn;
    let source = match c.source.as_str() {
        "prompt" => "from your prompt".to_string(),
        _ => format!(
            "estimated for the {} stage",
            super::stage_name(ctx.input.context.stage)
        ),
    };
    let mut s = format!(
        "Monthly logo churn of {} ({source}) keeps {} of customers over a year, an average customer lifetime of {}.",
        percent(c.monthly),
        percent(c.annual_retention),
        lifetime(c.lifetime_months)
    );
    if let Some(p) = c.previous {
        s.push_str(&format!(
            " It was {} before: a change of {} points.",
            percent(p),
            points((c.monthly - p) * 100.0)
        ));
    }
    let t = ctx.target;
    if ctx.cutting() {
        s.push_str(&format!(
            " Reaching {} by {} means removing {} points of churn a month for {} month{}; at {} a month, {} of customers stay a year and the average lifetime grows to {}.",
            percent(t.logo_churn),
            t.deadline,
            points(t.monthly_reduction_points),
            t.months,
            if t.months == 1 { "" } else { "s" },
            percent(t.logo_churn),
            percent(t.annual_retention),
            lifetime(t.lifetime_months)
        ));
    } else {
        s.push_str(&format!(
            " At {} churn already meets the {} target: hold it through {} and watch the cohorts.",
            percent(c.monthly),
            percent(t.logo_churn),
            t.deadline
        ));
    }
    s.push_str(&format!(
        " The benchmarks are the {} bands (Bessemer 2019: GRR {}, NRR {}).",
        ctx.segment.label(),
        ctx.band("grr"),
        ctx.band("nrr")
    ));
    if let Some(n) = ctx.nrr().filter(|n| n.current.is_some()) {
        let now = n.current.unwrap_or_default();
        s.push_str(&format!(
            " NRR of {} is {} the {} band of {}; the next bar is {}.",
            percent(now),
            match n.status.as_str() {
                "below" => "below",
                "above" => "above",
                _ => "within",
            },
            ctx.segment.label(),
            ctx.band("nrr"),
            percent(n.target)
        ));
    }
    if let Some(goal) = goal_sentence(ctx) {
        s.push(' ');
        s.push_str(&goal);
    }
    if let Some(ch) = ctx.challenge() {
        s.push_str(&format!(
            " The challenge you named, \"{ch}\", is checked against the exit reasons in the next actions."
        ));
    }
    s
}

fn goal_sentence(ctx: &Ctx<'_>) -> Option<String> {
    let c = ctx.churn();
    Some(match ctx.input.context.goal? {
        Goal::ImproveRetention => {
            let gain = annual_retention((c - 0.01).max(0.0)) - annual_retention(c);
            format!(
                "With retention as the goal, each point of monthly churn removed keeps {} more of every 100 customers over a year.",
                num1(gain * 100.0)
            )
        }
        Goal::GrowRevenue => format!(
            "With revenue growth as the goal, churn is a tax on it: at {} a month, new sales first replace {} of MRR every month.",
            percent(c),
            percent(c)
        ),
        Goal::RaiseFunding => format!(
            "With fundraising as the goal, investors will check NRR against the {} band of {} first.",
            ctx.segment.label(),
            ctx.band("nrr")
        ),
        Goal::FindPmf => "With product-market fit as the goal, the shape of the cohort curves matters more than the average: curves that flatten are the signal.".to_string(),
        Goal::ShipFaster => "With shipping faster as the goal, the experiments below are sized to ship and read out in weeks.".to_string(),
        Goal::ReduceChaos => "With reducing chaos as the goal, one owner and one monthly churn review keep this plan from becoming another fire.".to_string(),
        Goal::Other => return None,
    })
}

/// A specific title.
pub(super) fn title(c: &RetentionAnalysis, said: &RetentionPrompt, today: NaiveDate) -> String {
    let churn = c.current.logo_churn.monthly;
    let by = month_label(c.target.deadline);
    let nrr = c.revenue_retention.iter().find(|r| r.metric == "nrr");
    if said.logo.current.is_some() {
        if c.target.logo_churn < churn {
            format!(
                "Cut monthly logo churn from {} to {} by {by}",
                percent(churn),
                percent(c.target.logo_churn)
            )
        } else {
            format!("Hold monthly logo churn at {} through {by}", percent(churn))
        }
    } else if let Some((now, target)) = nrr.and_then(|n| n.current.map(|v| (v, n.target))) {
        format!(
            "Net revenue retention at {}: the path to {}",
            percent(now),
            percent(target)
        )
    } else if said.this_year {
        format!("Cohort retention of {} sign-ups", today.format("%Y"))
    } else if let Some(p) = said.early {
        format!(
            "Stop customers leaving after the first {p}: churn from an estimated {} to {} by {by}",
            percent(churn),
            percent(c.target.logo_churn)
        )
    } else {
        format!(
            "Cut monthly churn from an estimated {} to {} by {by}",
            percent(churn),
            percent(c.target.logo_churn)
        )
    }
}

/// What to watch, and where the numbers come from.
pub(super) fn monitoring(input: &KindInput<'_>) -> Vec<Monitor> {
    let billing = if input.live.is_some() {
        "Stripe"
    } else {
        "Stripe (connect it: cosos connect stripe)"
    };
    vec![
        monitor("Monthly logo churn", "monthly", billing),
        monitor("Monthly revenue churn", "monthly", billing),
        monitor("NRR and GRR, trailing 12 months", "monthly", billing),
        monitor(
            "Retention by sign-up cohort",
            "monthly",
            "PostHog retention insight or Stripe",
        ),
        monitor("SaaS quick ratio", "monthly", billing),
        monitor("Cancellation reasons", "weekly", "exit survey answers"),
    ]
}

/// Alert rules with their thresholds.
pub(super) fn alerts(ctx: &Ctx<'_>) -> Vec<AlertRule> {
    let mut out = vec![alert(
        "logo-churn-above-target",
        "logo_churn_monthly",
        "above",
        ctx.target.logo_churn,
    )];
    if ctx.current.logo_churn.source == "prompt" && ctx.cutting() {
        out.push(alert(
            "logo-churn-rising",
            "logo_churn_monthly",
            "above",
            ctx.churn(),
        ));
    }
    for r in ctx.revenue_retention {
        out.push(alert(
            &format!("{}-below-band", r.metric),
            &r.metric,
            "below",
            r.band_low,
        ));
    }
    out.push(alert(
        "quick-ratio-below-4",
        "quick_ratio",
        "below",
        bench::QUICK_RATIO_STRONG,
    ));
    out
}
