//! Activation funnel: the activation definition and window, the funnel from sign-up to activated
//! (and to paid), before/after rates, the gap to the 36% average / 30% median, and experiments
//! sized with the two-proportion formula.
//!
//! Step rates are conversion from the previous step. Rates the prompt states are shares of
//! sign-ups (cumulative); estimated steps between two stated points are scaled so the funnel
//! passes through both (see [`fill_rates`]).

mod calc;
mod ideas;
mod plan;
mod read;
mod render;
#[cfg(test)]
mod tests;
mod types;

pub use calc::*;
pub use render::render_markdown;
pub use types::*;

use chrono::{Days, Months};

use super::{KindInput, KindOutput, to_value};
use crate::benchmarks::activation as bench;
use crate::error::ArtifactError;
use crate::format::percent;

/// Months an activation target runs when the prompt gives no deadline.
const DEFAULT_TARGET_MONTHS: u32 = 3;
/// Lift aimed for when activation already beats its bar: five points.
const IMPROVEMENT_POINTS: f64 = 0.05;

/// Generates an activation funnel.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let text = crate::parse::normalize(input.prompt);
    let said = read::read(&text);
    let today = input.today;
    let stage = input.context.stage;
    let mut assumptions = Vec::new();

    let window_days = said.window_days.unwrap_or(bench::DEFAULT_WINDOW_DAYS);
    let (key_action, key_event, noun) = match &said.action {
        Some(a) => (
            a.phrase.clone(),
            a.event.clone(),
            format!("their {}", a.noun),
        ),
        None => (
            "takes the first key action".to_string(),
            "first_key_action".to_string(),
            "the product".to_string(),
        ),
    };
    let base = said
        .action
        .as_ref()
        .map_or("take the first key action", |a| a.base.as_str());
    let definition = Definition {
        text: format!(
            "A new user is activated when they {base} and come back to {noun} on a second day, within {window_days} days of signing up."
        ),
        key_action: key_action.clone(),
        window_days,
        window_source: if said.window_days.is_some() {
            "prompt"
        } else {
            "default"
        }
        .to_string(),
    };

    let estimates = stage_step_estimates(stage);
    let mut names = vec![
        (
            if said.trial {
                "Starts a trial"
            } else {
                "Signs up"
            }
            .to_string(),
            if said.trial {
                "trial_started"
            } else {
                "signed_up"
            }
            .to_string(),
        ),
        ("Completes setup".to_string(), "setup_completed".to_string()),
        (capitalise(&key_action), key_event),
        (
            format!("Activated: back on a second day within {window_days} days"),
            "activated".to_string(),
        ),
    ];
    if said.to_paid {
        names.push((
            "Converts to paid".to_string(),
            "subscription_started".to_string(),
        ));
    }
    let step_estimates = &estimates[..names.len() - 1];
    let mut anchors = Vec::new();
    for (idx, stated) in [
        (1, said.setup),
        (2, said.key_action),
        (3, said.activation),
        (4, said.paid),
    ] {
        if idx < names.len()
            && let Some(c) = stated.current
        {
            anchors.push((idx, c));
        }
    }
    let rates = fill_rates(step_estimates, &anchors);
    let steps = build_steps(&names, &rates);
    // Activated is the fourth step: sign-up, setup, key action, activated.
    let funnel_rate: f64 = rates.iter().take(3).map(|r| r.0).product();
    let activation = said.activation.current.unwrap_or(round6(funnel_rate));
    let source = if said.activation.current.is_some() {
        "prompt"
    } else if anchors.is_empty() {
        "stage-estimate"
    } else {
        "computed"
    };
    if rates.iter().any(|(_, s)| *s != "prompt") {
        assumptions.push(format!(
            "Step rates marked as estimates are cosos planning estimates for the {} stage ({}), not published benchmarks; where the prompt states a rate, the estimated steps around it are scaled to pass through it. PostHog data replaces them.",
            crate::kinds::retention_analysis::stage_name(stage),
            estimates[..names.len() - 1].iter().map(|e| percent(*e)).collect::<Vec<_>>().join(", ")
        ));
    }
    if said.window_days.is_none() {
        assumptions.push(format!(
            "The window is {window_days} days, PostHog's default funnel conversion window."
        ));
    }

    let change = match (said.activation.previous, said.activation.current) {
        (Some(before), Some(after)) => Some(change("activation rate", before, after)),
        _ => [
            ("setup completion", said.setup),
            ("first key action", said.key_action),
            ("conversion to paid", said.paid),
        ]
        .into_iter()
        .find_map(|(m, s)| Some(change(m, s.previous?, s.current?))),
    };

    let (bar, bar_name) = stage_bar(stage);
    let (target_rate, target_source) = match (said.activation.target, said.activation.previous) {
        (Some(t), _) => (t, "prompt"),
        (None, Some(b)) if b > activation => (b, "before-the-drop"),
        _ if activation < bar => (bar, "stage-benchmark"),
        _ => (
            (activation + IMPROVEMENT_POINTS).min(0.95).max(activation),
            "improvement",
        ),
    };
    let deadline = input.params.deadline.unwrap_or_else(|| {
        assumptions.push(format!(
            "No deadline was given: the target date is {DEFAULT_TARGET_MONTHS} months out, enough for two experiment cycles."
        ));
        today.checked_add_months(Months::new(DEFAULT_TARGET_MONTHS)).unwrap_or(today)
    });
    let target = Target {
        activation_rate: target_rate,
        source: target_source.to_string(),
        deadline,
        users_gained_per_1000: per_1000(target_rate - activation),
        paid_conversion: said.paid.target.filter(|_| said.to_paid),
    };
    let gap = Gap {
        bar,
        bar_name: bar_name.to_string(),
        vs_average_points: points(activation - bench::AVERAGE_ACTIVATION),
        vs_median_points: points(activation - bench::MEDIAN_ACTIVATION),
        users_short_per_1000: per_1000((bar - activation).max(0.0)),
    };
    let cohort_end = today.checked_add_days(Days::new(6)).unwrap_or(today);
    let readout = Readout {
        cohort_start: today,
        cohort_end,
        window_closes: cohort_end
            .checked_add_days(Days::new(u64::from(window_days)))
            .unwrap_or(cohort_end),
    };
    let current = Current {
        activation_rate: activation,
        source: source.to_string(),
        as_of: today,
    };
    let funnel = Funnel { window_days, steps };
    let ctx = plan::Ctx {
        input,
        said: &said,
        definition: &definition,
        funnel: &funnel,
        current: &current,
        change: change.as_ref(),
        target: &target,
        gap: &gap,
        readout: &readout,
    };
    let experiments = ideas::experiments(&ctx);
    let content = ActivationFunnel {
        summary: plan::summary(&ctx),
        hypotheses: ideas::hypotheses(&ctx),
        monitoring: plan::monitoring(&ctx),
        alerts: plan::alerts(&ctx),
        next_actions: ideas::next_actions(&ctx, &experiments),
        benchmarks: benchmarks(stage),
        experiments,
        definition,
        funnel,
        current,
        change,
        target,
        gap,
        readout,
        assumptions,
    };
    Ok(KindOutput {
        title: plan::title(&content, &said),
        content: to_value(&content),
    })
}
