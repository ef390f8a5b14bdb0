//! The words of an activation funnel, built from its computed numbers: summary, title,
//! hypotheses, experiments, monitoring, alerts and next actions.

use super::read::ActivationPrompt;
use super::{
    ActivationFunnel, Change, Current, Definition, Funnel, FunnelStep, Gap, Readout, Target,
    capitalise,
};
use crate::format::{group_thousands, percent};
use crate::kinds::KindInput;
use crate::kinds::mrr_tracker::month_label;
use crate::kinds::sections::{AlertRule, Monitor, alert, monitor, one_line};
use crate::model::Goal;

/// What the plan is built from.
pub(super) struct Ctx<'a> {
    pub input: &'a KindInput<'a>,
    pub said: &'a ActivationPrompt,
    pub definition: &'a Definition,
    pub funnel: &'a Funnel,
    pub current: &'a Current,
    pub change: Option<&'a Change>,
    pub target: &'a Target,
    pub gap: &'a Gap,
    pub readout: &'a Readout,
}

impl Ctx<'_> {
    pub(super) fn rate(&self) -> f64 {
        self.current.activation_rate
    }

    /// The step between sign-up and activated that keeps the fewest users.
    pub(super) fn weakest(&self) -> Option<&FunnelStep> {
        self.funnel.steps[1..self.funnel.steps.len().min(4)]
            .iter()
            .min_by(|a, b| a.rate.unwrap_or(1.0).total_cmp(&b.rate.unwrap_or(1.0)))
    }

    pub(super) fn drop(&self) -> Option<&Change> {
        self.change.filter(|c| c.drop_points > 0.0)
    }

    pub(super) fn challenge(&self) -> Option<String> {
        self.input
            .context
            .challenge
            .as_deref()
            .map(one_line)
            .filter(|c| !c.is_empty())
    }

    pub(super) fn window(&self) -> u32 {
        self.definition.window_days
    }

    /// The key action after "users who": "create their first project".
    pub(super) fn action_base(&self) -> &str {
        self.said
            .action
            .as_ref()
            .map_or("take the first key action", |a| a.base.as_str())
    }
}

/// Percentage points with at most two decimals: 15.0 -> "15", 0.57 -> "0.57".
pub(super) fn pts(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Users per 1,000 with at most one decimal: 150.0 -> "150", 214.5 -> "214.5", 1000 -> "1,000".
pub(super) fn users(x: f64) -> String {
    let tenths = (x.abs() * 10.0).round() as u128;
    match tenths % 10 {
        0 => group_thousands(tenths / 10),
        d => format!("{}.{d}", group_thousands(tenths / 10)),
    }
}

fn source_words(source: &str) -> &'static str {
    match source {
        "prompt" => "from your prompt",
        "computed" => "computed from the rate you gave and stage estimates",
        _ => "a stage estimate",
    }
}

/// The reasoning in one paragraph.
pub(super) fn summary(ctx: &Ctx<'_>) -> String {
    let r = ctx.rate();
    let mut s = format!(
        "Activation is {} ({}) within a {}-day window: {} of every 1,000 sign-ups activate.",
        percent(r),
        source_words(&ctx.current.source),
        ctx.window(),
        users(r * 1000.0)
    );
    if let Some(c) = ctx.change {
        let verb = if c.drop_points >= 0.0 { "fell" } else { "rose" };
        s.push_str(&format!(
            " The {} {verb} from {} to {}: {} points, {} relative, {} users per 1,000 sign-ups {}.",
            c.metric,
            percent(c.before),
            percent(c.after),
            pts(c.drop_points),
            percent(c.relative_drop.abs()),
            users(c.users_lost_per_1000),
            if c.drop_points >= 0.0 {
                "lost"
            } else {
                "gained"
            }
        ));
    }
    let g = ctx.gap;
    s.push_str(&format!(
        " Against the SaaS average of 36% that is {} points {}, and {} points {} the 30% median (Lenny Rachitsky and Yuriy Timen).",
        pts(g.vs_average_points),
        if g.vs_average_points < 0.0 { "below" } else { "above" },
        pts(g.vs_median_points),
        if g.vs_median_points < 0.0 { "below" } else { "above" },
    ));
    s.push_str(&format!(
        " At the {} stage the bar is the {}, {}",
        crate::kinds::retention_analysis::stage_name(ctx.input.context.stage),
        g.bar_name,
        percent(g.bar)
    ));
    if g.users_short_per_1000 > 0.0 {
        s.push_str(&format!(
            ": {} more activated users per 1,000 sign-ups reach it.",
            users(g.users_short_per_1000)
        ));
    } else {
        s.push_str(", and you clear it.");
    }
    if let Some(w) = ctx.weakest() {
        s.push_str(&format!(
            " The weakest step is \"{}\" at {} conversion, losing {} of every 1,000 sign-ups.",
            w.name,
            percent(w.rate.unwrap_or(0.0)),
            users(w.lost_per_1000.unwrap_or(0.0))
        ));
    }
    if let Some(goal) = goal_sentence(ctx) {
        s.push(' ');
        s.push_str(&goal);
    }
    if let Some(ch) = ctx.challenge() {
        s.push_str(&format!(
            " The challenge you named, \"{ch}\", is mapped to a funnel step in the next actions."
        ));
    }
    s
}

fn goal_sentence(ctx: &Ctx<'_>) -> Option<String> {
    Some(match ctx.input.context.goal? {
        Goal::ImproveRetention => "With retention as the goal, activation comes first: users who never activate cannot be retained.".to_string(),
        Goal::GrowRevenue => "With revenue growth as the goal, every point of activation adds 10 activated users per 1,000 sign-ups without more acquisition spend.".to_string(),
        Goal::RaiseFunding => format!(
            "With fundraising as the goal, expect investors to compare your {} with the 36% average.",
            percent(ctx.rate())
        ),
        Goal::FindPmf => "With product-market fit as the goal, check that activated users retain: activation only matters if it predicts retention.".to_string(),
        Goal::ShipFaster => format!(
            "With shipping faster as the goal, ship each funnel fix behind a flag and read it after one {}-day window.",
            ctx.window()
        ),
        Goal::ReduceChaos => "With reducing chaos as the goal, one funnel, one owner and one weekly number keep activation work focused.".to_string(),
        Goal::Other => return None,
    })
}

/// A specific title.
pub(super) fn title(c: &ActivationFunnel, said: &ActivationPrompt) -> String {
    if let Some(ch) = &c.change {
        return if ch.drop_points > 0.0 {
            format!(
                "{} fell from {} to {}: recover it to {}",
                capitalise(&ch.metric),
                percent(ch.before),
                percent(ch.after),
                percent(c.target.activation_rate.max(ch.after))
            )
        } else {
            format!(
                "{} rose from {} to {}: keep it there",
                capitalise(&ch.metric),
                percent(ch.before),
                percent(ch.after)
            )
        };
    }
    let first_key = match &said.action {
        Some(a) => format!("First {}", a.noun),
        None => "First key action".to_string(),
    };
    let stated = [
        (said.setup.current, "Setup completion".to_string()),
        (said.key_action.current, first_key),
        (said.paid.current, "Conversion to paid".to_string()),
    ]
    .into_iter()
    .find_map(|(v, label)| Some((v?, label)));
    if let Some((v, label)) = stated {
        return format!(
            "{label} at {} of {}: the step to fix",
            percent(v),
            if said.trial {
                "trial users"
            } else {
                "sign-ups"
            }
        );
    }
    if said.activation.current.is_some() {
        return format!(
            "Activation at {}: path to {} by {}",
            percent(c.current.activation_rate),
            percent(c.target.activation_rate),
            month_label(c.target.deadline)
        );
    }
    if said.to_paid {
        let first = if said.trial { "Trial" } else { "Sign-up" };
        return format!("{first} to paid: the conversion funnel to monitor");
    }
    if let Some(a) = &said.action {
        return format!("Activation funnel: from sign-up to the first {}", a.noun);
    }
    if said.dropped {
        return format!(
            "Why activation dropped: the {}-day funnel step by step",
            c.definition.window_days
        );
    }
    format!(
        "Activation funnel: from sign-up to activated in {} days",
        c.definition.window_days
    )
}

/// What to watch, and where the numbers come from.
pub(super) fn monitoring(ctx: &Ctx<'_>) -> Vec<Monitor> {
    let w = ctx.window();
    vec![
        monitor(
            &format!("Activation rate ({w}-day window)"),
            "weekly",
            "PostHog funnel",
        ),
        monitor("Conversion per funnel step", "weekly", "PostHog funnel"),
        monitor(
            "Median time from sign-up to activation",
            "weekly",
            "PostHog funnel",
        ),
        monitor(
            "Activation by acquisition source",
            "monthly",
            "PostHog funnel breakdown",
        ),
        monitor("Weekly sign-ups", "weekly", "PostHog"),
    ]
}

/// Alert rules with their thresholds.
pub(super) fn alerts(ctx: &Ctx<'_>) -> Vec<AlertRule> {
    let floor = ctx.rate().min(ctx.gap.bar);
    let mut out = vec![alert(
        "activation-rate-below",
        "activation_rate",
        "below",
        round4(floor),
    )];
    if let Some(w) = ctx.weakest() {
        out.push(alert(
            &format!("{}-conversion-below", w.event.replace('_', "-")),
            &format!("{}_conversion", w.event),
            "below",
            round4(w.rate.unwrap_or(0.0)),
        ));
    }
    if let Some(p) = ctx.funnel.steps.get(4) {
        out.push(alert(
            "paid-conversion-below",
            "subscription_started_conversion",
            "below",
            round4(p.rate.unwrap_or(0.0)),
        ));
    }
    out
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
