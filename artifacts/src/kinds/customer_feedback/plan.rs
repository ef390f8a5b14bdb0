//! Hypotheses, experiments, monitoring, alerts, next actions and the title of a customer feedback
//! analysis.

use chrono::Duration;

use super::text::{Ctx, short};
use super::{Experiment, FeedbackSource, Hypothesis, join_and, num, num2, pct};
use crate::benchmarks::feedback as fb;
use crate::kinds::sections::{AlertRule, Monitor, NextAction, alert, monitor, one_line};
use crate::model::{Goal, Stage};

fn early(c: &Ctx<'_>) -> bool {
    matches!(
        c.input.context.stage.unwrap_or(Stage::EarlyRevenue),
        Stage::PreLaunch | Stage::EarlyRevenue | Stage::Seed
    )
}

fn changed(c: &Ctx<'_>) -> Option<(f64, f64)> {
    Some((c.nps.previous?, c.nps.change?))
}

fn direction(change: f64) -> &'static str {
    if change < 0.0 { "drop" } else { "rise" }
}

/// A specific title from the NPS, the sources and the sample.
pub(super) fn title(c: &Ctx<'_>, sources: &[FeedbackSource]) -> String {
    let n = c.nps;
    if let Some((prev, change)) = changed(c) {
        let verb = if change < 0.0 { "fell" } else { "rose" };
        return format!(
            "Why NPS {verb} from {} to {}: themes, priorities and the math",
            num(prev),
            num(n.score)
        );
    }
    let complaint = ["complain", "fell", "drop", "down", "unhappy", "detractor"]
        .iter()
        .any(|w| c.text.contains(w));
    if n.source == "prompt" && complaint {
        return format!(
            "What's behind NPS {}: complaint themes and priorities",
            num(n.score)
        );
    }
    if n.source == "prompt" {
        return if n.sample_source == "prompt" {
            format!(
                "NPS {} from {} answers: themes and priorities",
                num(n.score),
                n.sample_size
            )
        } else {
            format!("NPS {}: themes and priorities", num(n.score))
        };
    }
    let named: Vec<String> = sources
        .iter()
        .filter(|s| s.from_prompt)
        .map(|s| lower_first(&s.name))
        .collect();
    if named.len() <= 2 && named.iter().any(|s| s == "sales calls") && c.text.contains("feature") {
        return "Feature request themes from sales calls, ranked by priority".to_string();
    }
    match (named.is_empty(), n.sample_source == "prompt") {
        (false, true) => format!(
            "Themes in {} {}, ranked by priority",
            n.sample_size,
            join_and(&named)
        ),
        (false, false) => format!("Themes in {}, ranked by priority", join_and(&named)),
        _ => "Customer feedback themes, ranked by priority".to_string(),
    }
}

fn lower_first(s: &str) -> String {
    if s.starts_with("NPS") {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What may be behind the feedback: the stated change, the prompt's theme, the stage's question.
pub(super) fn hypotheses(c: &Ctx<'_>) -> Vec<Hypothesis> {
    let mut out = Vec::new();
    if let Some((prev, change)) = changed(c) {
        out.push(Hypothesis::new(
            format!("The {} from {} to {} comes from one or two themes that grew, not from a general change in mood.", direction(change), num(prev), num(c.nps.score)),
            "One theme's share among detractors is at least twice its share among promoters, and it grew since the previous survey.".to_string(),
        ));
    }
    if let Some(t) = c.themes.iter().find(|t| t.mentioned_in_prompt) {
        out.push(Hypothesis::new(
            format!(
                "{} drives most of the feedback, as the prompt suggests.",
                t.name
            ),
            format!(
                "Its share reaches {}% ({} or more of {} items), a priority of {} or more.",
                pct(t.act_now_share),
                t.act_now_mentions,
                c.sample.items,
                num(fb::ACT_NOW_SCORE)
            ),
        ));
    }
    if c.text.contains("feature") || c.text.contains("sales") {
        out.push(Hypothesis::new(
            "A few capabilities account for most requests, and they come from the larger deals.".to_string(),
            "The top 3 requests hold more than half of missing-features mentions, and the accounts behind them are above your average deal size.".to_string(),
        ));
    }
    let mut severe: Vec<_> = c.themes.iter().collect();
    severe.sort_by_key(|t| std::cmp::Reverse(t.severity));
    if let [a, b, ..] = severe.as_slice() {
        out.push(Hypothesis::new(
            format!(
                "Detractors cluster in the two most severe themes, {} and {}.",
                short(a),
                short(b)
            ),
            format!(
                "More than half of detractor comments are tagged {} or {}.",
                short(a),
                short(b)
            ),
        ));
    }
    if early(c) {
        out.push(Hypothesis::new(
            "Fewer than 40% of users would be very disappointed without the product, so complaints are about fit more than polish.".to_string(),
            format!("The Sean Ellis question scores below {}% \"very disappointed\" among active users.", pct(fb::PMF_VERY_DISAPPOINTED)),
        ));
    } else {
        out.push(Hypothesis::new(
            "Detractor accounts renew less than promoters, so feedback themes carry revenue risk.".to_string(),
            format!("Gross revenue retention of detractor accounts is below {}% (the SaaS Capital median) while promoters' is above it.", pct(fb::MEDIAN_GRR_LOW)),
        ));
    }
    out
}

/// Four-week experiments, one after another from next Monday.
pub(super) fn experiments(c: &Ctx<'_>) -> Vec<Experiment> {
    let a = c.nps;
    let top = c.themes.first();
    let mut specs = vec![(
        "Close the loop with detractors".to_string(),
        "Reply personally to every detractor within 48 hours and ask which one change would raise their score.".to_string(),
        format!(
            "NPS up {} points on the next survey: {} of the about {} detractors in {} answers move to passive ({} points each).",
            num(a.gain_points), a.detractors_to_passives, a.detractors_in_sample, a.sample_size, num2(a.points_per_conversion)
        ),
    )];
    if let Some(t) = top {
        specs.push((
            format!("Fix the top issue in {}", short(t)),
            format!(
                "Ship the most requested fix in {} and tell every customer who raised it.",
                short(t)
            ),
            format!(
                "Its share of new feedback falls below {}% (priority under {}).",
                pct(t.act_now_share),
                num(fb::ACT_NOW_SCORE)
            ),
        ));
    }
    if early(c) {
        specs.push((
            "Ask the Sean Ellis question".to_string(),
            "Add \"How would you feel if you could no longer use the product?\" to the next survey.".to_string(),
            format!("{}% or more answer \"very disappointed\".", pct(fb::PMF_VERY_DISAPPOINTED)),
        ));
    } else {
        specs.push((
            "Weight themes by revenue".to_string(),
            "Join every tagged item to the account's MRR and renewal date.".to_string(),
            "Every theme has a revenue-weighted priority, and the top theme by MRR has an owner."
                .to_string(),
        ));
    }
    specs
        .into_iter()
        .enumerate()
        .map(|(i, (name, change, success))| {
            let start = c.monday + Duration::days(28 * i as i64);
            Experiment {
                name,
                change,
                success,
                start,
                end: start + Duration::days(25),
            }
        })
        .collect()
}

/// What to watch, with the cadence the sample supports.
pub(super) fn monitoring(c: &Ctx<'_>, sources: &[FeedbackSource]) -> Vec<Monitor> {
    let cadence = if c.nps.sample_size >= c.sample.answers_for_nps_10 {
        "monthly"
    } else {
        "quarterly, pooling answers"
    };
    let mut out = vec![
        monitor(
            "NPS with its margin of error",
            cadence,
            "Survey tool (in-app or email)",
        ),
        monitor(
            "Theme shares and priority scores",
            "weekly",
            "Tagged tickets and survey comments",
        ),
        monitor(
            "Detractors answered within 48 hours",
            "weekly",
            "Help desk or CRM",
        ),
    ];
    for s in sources.iter().filter(|s| s.from_prompt) {
        match s.name.as_str() {
            "Sales calls" => out.push(monitor(
                "Feature requests by account and deal size",
                "monthly",
                "CRM and call notes",
            )),
            "Public reviews (app stores, G2, Capterra)" => out.push(monitor(
                "Average rating and review themes",
                "weekly",
                "App Store Connect and Google Play Console",
            )),
            "Cancellation reasons" => out.push(monitor(
                "Cancellation reasons by theme",
                "monthly",
                "Billing cancellation survey",
            )),
            "Support tickets" => out.push(monitor(
                "Tickets per theme per 100 customers",
                "weekly",
                "Help desk",
            )),
            _ => {}
        }
    }
    out
}

/// Alerts: a NPS drop beyond the two-survey margin, NPS under its interval, theme shares at act-now.
pub(super) fn alerts(c: &Ctx<'_>) -> Vec<AlertRule> {
    let mut out = vec![
        alert(
            "nps-drop",
            "nps_drop_points",
            "above",
            c.nps.change_margin.ceil().max(1.0),
        ),
        alert(
            "nps-below-interval",
            "nps",
            "below",
            (c.nps.low * 10.0).round() / 10.0,
        ),
    ];
    for t in c.themes {
        out.push(alert(
            &format!("theme-share-{}", t.key.replace('_', "-")),
            &format!("theme_share_{}", t.key),
            "above",
            t.act_now_share,
        ));
    }
    out
}

/// What to do next, dated from next Monday.
pub(super) fn next_actions(c: &Ctx<'_>, sources: &[FeedbackSource]) -> Vec<NextAction> {
    let a = c.nps;
    let n = a.sample_size;
    let items = c.sample.items;
    let names: Vec<String> = sources.iter().map(|s| lower_first(&s.name)).collect();
    let mut out = vec![NextAction::todo(format!(
        "Export {}, then tag the last {items} items with one theme and a severity from 1 to 5 by {}.",
        join_and(&names),
        c.friday
    ))];
    if let Some(t) = c.themes.first() {
        out.push(NextAction::todo(format!(
            "Score every theme (share x severity) on {} and work on any at {} or more: for {} that is {} of {items} items.",
            c.friday, num(fb::ACT_NOW_SCORE), short(t), t.act_now_mentions
        )));
    }
    if a.source == "prompt" {
        out.push(NextAction::todo(format!(
            "Reply to every detractor within 48 hours: turning {} of them into passives adds {} points.",
            a.detractors_to_passives,
            num(a.gain_points)
        )));
    } else {
        out.push(NextAction::todo(format!(
            "Run an NPS survey by {}: {} answers give a ±10-point read.",
            c.friday + Duration::days(7),
            c.sample.answers_for_nps_10
        )));
    }
    if let Some((_, change)) = changed(c) {
        out.push(NextAction::todo(if a.change_is_real == Some(true) {
            format!("Treat the {}-point {} as real (it exceeds the ±{} margin of two surveys of {n}): compare theme shares before and after.", num(change.abs()), direction(change), num(a.change_margin))
        } else {
            format!("Do not react to the {}-point {} alone: it is within the ±{} margin of two surveys of {n}; compare theme shares instead.", num(change.abs()), direction(change), num(a.change_margin))
        }));
    }
    if n < c.sample.answers_for_nps_10 {
        out.push(NextAction::todo(format!(
            "Pool answers until there are {} before reading NPS changes: at {n} the margin is ±{} points.",
            c.sample.answers_for_nps_10,
            num(a.margin_of_error)
        )));
    }
    out.push(NextAction::todo(format!(
        "Re-survey on {}, after the first fixes ship, and compare with the ±{} margin.",
        c.monday + Duration::days(28),
        num(a.change_margin)
    )));
    if let Some(g) = goal_action(c) {
        out.push(NextAction::todo(g));
    }
    if let Some(ch) = c
        .input
        .context
        .challenge
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        out.push(NextAction::todo(format!(
            "Tag which comments relate to \"{}\" and report their share next to the top themes on {}.",
            one_line(ch),
            c.friday
        )));
    }
    out
}

fn goal_action(c: &Ctx<'_>) -> Option<String> {
    Some(match c.input.context.goal? {
        Goal::FindPmf => format!("Add the Sean Ellis question to the next survey: {}% or more \"very disappointed\" is the product-market fit line.", pct(fb::PMF_VERY_DISAPPOINTED)),
        Goal::GrowRevenue => "Weight each theme by the MRR of the accounts that raised it before ranking, so pricing and expansion blockers surface.".to_string(),
        Goal::ImproveRetention => "Match detractors to renewals due in the next 90 days and call those accounts first.".to_string(),
        Goal::ReduceChaos => "Route all feedback into one tagged queue with one owner per theme.".to_string(),
        Goal::RaiseFunding => format!("Show NPS {} with its ±{} margin and the top three themes in the investor update.", num(c.nps.score), num(c.nps.margin_of_error)),
        Goal::ShipFaster => "Make the top-priority theme the next sprint's goal.".to_string(),
        Goal::Other => return None,
    })
}
