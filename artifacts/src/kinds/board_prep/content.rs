//! Assembles the board pack from the prompt, the context and today's date.

use super::kpis::{self, Known};
use super::parts::{agenda, asks, ceo_update, fundraising, goal_action, hypotheses};
use super::plan::{self, Owners, STANDARD_LEAD_DAYS, shift};
use super::stage_with_article;
use super::{BoardPrep, CurrentState, Experiment, Meeting, Timeline, stage_or_default};
use crate::benchmarks::board;
use crate::format::money;
use crate::kinds::KindInput;
use crate::kinds::mrr_tracker::stage_estimate;
use crate::kinds::sections::{NextAction, alert, monitor, one_line};
use crate::model::{Goal, Stage};

/// Warm investor introductions asked of each director when raising.
pub const INTROS_PER_DIRECTOR: u32 = 3;
/// Runway (months) below which the board should hear about it, by stage: later rounds take
/// longer to close and carry larger teams.
pub fn runway_floor_months(stage: Stage) -> f64 {
    match stage {
        Stage::SeriesA | Stage::SeriesBPlus => 18.0,
        _ => 12.0,
    }
}

fn owners(stage: Stage) -> Owners {
    match stage {
        Stage::PreLaunch | Stage::EarlyRevenue => Owners {
            ceo: "CEO",
            finance: "CEO",
            reviewers: "CEO and co-founders",
        },
        Stage::Seed => Owners {
            ceo: "CEO",
            finance: "CEO with the bookkeeper",
            reviewers: "CEO and co-founders",
        },
        Stage::SeriesA | Stage::SeriesBPlus => Owners {
            ceo: "CEO",
            finance: "CFO / finance lead",
            reviewers: "CEO, co-founders and CFO",
        },
    }
}

/// The founder's challenge on one line, if any.
pub(super) fn challenge(input: &KindInput<'_>) -> Option<String> {
    input
        .context
        .challenge
        .as_deref()
        .map(one_line)
        .filter(|c| !c.is_empty())
}

fn topic(input: &KindInput<'_>, stage: Stage) -> String {
    if let Some(c) = challenge(input) {
        return format!("\"{c}\"");
    }
    match input.context.goal {
        Some(Goal::FindPmf) => "which customer segment shows pull, and what to stop doing",
        Some(Goal::GrowRevenue) => "which growth lever to fund next quarter",
        Some(Goal::ImproveRetention) => "why customers churn and which fix to fund",
        Some(Goal::ShipFaster) => "roadmap scope against delivery speed",
        Some(Goal::RaiseFunding) => "round size, timing and the investor list",
        Some(Goal::ReduceChaos) => "the operating cadence and the top three priorities",
        _ => match stage {
            Stage::PreLaunch => "launch scope and launch date",
            Stage::EarlyRevenue => "which customer segment to focus on",
            Stage::Seed => "what must be true to raise the Series A",
            Stage::SeriesA => "where the next dollar of burn goes",
            Stage::SeriesBPlus => "the path to profitability",
        },
    }
    .to_string()
}

/// Builds the whole pack.
pub fn build(input: &KindInput<'_>) -> BoardPrep {
    let stage = stage_or_default(input.context.stage);
    let goal = input.context.goal;
    let raise = goal == Some(Goal::RaiseFunding);
    let owners = owners(stage);
    let today = input.today;
    let mut assumptions = Vec::new();
    if input.context.stage.is_none() {
        assumptions.push(
            "No stage was given: the KPI set and benchmarks are those of an early-revenue company."
                .to_string(),
        );
    }

    let (date, date_source) = match input.params.meeting_date {
        Some(d) => (d, "prompt"),
        None => {
            let d = shift(today, STANDARD_LEAD_DAYS);
            assumptions.push(format!("No meeting date in the prompt: the meeting is estimated at {d}, {STANDARD_LEAD_DAYS} days out, the lead the standard timeline needs. Confirm the date and regenerate."));
            (d, "estimate")
        }
    };
    let days_until = (date - today).num_days();
    if days_until < 0 {
        assumptions.push(format!("The meeting date {date} has passed: the steps before it are due today and the minutes are the next thing to send."));
    }
    let (length, length_source) = match plan::stated_minutes(input.prompt) {
        Some(m) => (m, "prompt"),
        None => {
            assumptions.push(format!("Meeting length: {} minutes (default); state it in the prompt, e.g. \"90-minute board call\", to change it.", plan::DEFAULT_MEETING_MINUTES));
            (plan::DEFAULT_MEETING_MINUTES, "default")
        }
    };
    let period = plan::period(input.prompt, date);
    assumptions.push(match (period.source.as_str(), period.complete) {
        ("prompt", _) => format!("The pack reviews {}, the quarter named in the prompt.", period.label),
        (_, true) => format!("The meeting falls in the first month of a quarter, so it reviews the full {} ({} to {}).", period.label, period.start, period.end),
        _ => format!("The pack reviews {} to date ({} to the metrics freeze), the quarter the meeting falls in.", period.label, period.start),
    });

    let (mrr, mrr_source) = match (input.params.current_mrr, input.live) {
        (Some(m), _) => (m, "prompt".to_string()),
        (None, Some(l)) => (l.mrr, l.source.clone()),
        _ => {
            let est = stage_estimate(Some(stage));
            assumptions.push(format!("MRR of {} is the estimate for {} company, used only to pick the growth benchmark band; it is not put in the KPI table.", money(est), stage_with_article(stage)));
            (est, "stage-estimate".to_string())
        }
    };
    let known = Known {
        mrr: (mrr_source != "stage-estimate").then_some(mrr),
        plan_mrr: input.params.target_mrr,
        customers: input.live.map(|l| l.customers as f64),
        source: mrr_source.clone(),
    };
    let kpis = kpis::kpis(stage, &known);

    let books = if period.complete {
        format!("close the books for {}", period.label)
    } else {
        format!("pull {} numbers to date", period.label)
    };
    let steps = plan::timeline(date, days_until, length, kpis.len(), &books, owners);
    let pack_offset = plan::pack_offset(days_until);
    let compressed = days_until < STANDARD_LEAD_DAYS;
    let note = timeline_note(days_until, pack_offset);
    let step_date = |id: &str| steps.iter().find(|s| s.id == id).map_or(date, |s| s.date);
    let pack_date = step_date("pack-sent");
    let draft_date = step_date("draft-review");

    let topic = topic(input, stage);
    let agenda = agenda(input, stage, &period, length, kpis.len(), &topic, owners);
    let discussion: u32 = agenda
        .items
        .iter()
        .filter(|i| i.item.starts_with("Discussion") || i.item.contains("asks") || i.item == "Asks")
        .map(|i| i.minutes)
        .sum();
    let presenting: u32 = agenda.items.iter().take(3).map(|i| i.minutes).sum();

    let asks = asks(input, stage, date);
    let fundraising = raise.then(|| fundraising(date, pack_date));
    if raise {
        assumptions.push("Fundraising dates are a cosos planning default: outreach a week after the meeting, first meetings done in six weeks, close targeted 90 days out.".to_string());
    }

    let c = challenge(input);
    let hypotheses = hypotheses(
        input,
        &c,
        stage,
        &period,
        pack_offset * 24,
        length,
        discussion,
        kpis.len(),
    );
    let experiments = vec![
        Experiment {
            name: "Pack as pre-read: open the meeting with questions on the pack instead of presenting it".to_string(),
            start: pack_date,
            end: date,
            metric: "Minutes spent presenting slides".to_string(),
            success: format!("At most {presenting} of {length} minutes presenting; the rest on discussion and asks"),
        },
        Experiment {
            name: "Asks tracker: every ask leaves the meeting with a named director and a due date".to_string(),
            start: date,
            end: shift(date, 30),
            metric: "Asks closed by their due date".to_string(),
            success: format!("{} closed by {}", if asks.len() == 1 { "The ask".to_string() } else { format!("All {} asks", asks.len()) }, shift(date, 30)),
        },
    ];
    let billing = if known.mrr.is_some() && mrr_source != "prompt" {
        "Stripe"
    } else {
        "Stripe (connect it) and your accounting export"
    };
    let monitoring = vec![
        monitor(
            "Days until the board meeting",
            "daily",
            "this pack's timeline",
        ),
        monitor("KPI actuals against plan", "monthly", billing),
        monitor(
            "Runway (months)",
            "monthly",
            "bank balance and accounting export",
        ),
        monitor(
            "Board asks still open",
            "weekly",
            "asks tracker in the minutes",
        ),
    ];
    let mut alerts = vec![
        alert(
            "pack-late",
            "pack_lead_hours",
            "below",
            board::PACK_LEAD_HOURS_MIN,
        ),
        alert(
            "runway-short",
            "runway_months",
            "below",
            runway_floor_months(stage),
        ),
    ];
    match stage {
        Stage::PreLaunch => alerts.push(alert(
            "activation-below-median",
            "activation_rate",
            "below",
            board::ACTIVATION_MEDIAN,
        )),
        Stage::EarlyRevenue | Stage::Seed => {
            alerts.push(alert("mrr-below-plan", "mrr", "below_plan", 0.95))
        }
        Stage::SeriesA | Stage::SeriesBPlus => alerts.push(alert(
            "burn-multiple-suspect",
            "burn_multiple",
            "above",
            board::BURN_MULTIPLE_GOOD,
        )),
    }

    let ceo_update = ceo_update(&c, &period, &known);
    let mut next_actions = Vec::new();
    if date_source == "estimate" {
        next_actions.push((today, format!("By {today}: confirm the meeting date with the board chair; this plan assumes {date}.")));
    }
    for s in steps.iter().filter(|s| s.id != "meeting") {
        let due = s.date.max(today);
        next_actions.push((due, format!("By {due}: {} ({}).", s.step, s.owner)));
    }
    if let Some(c) = &c {
        next_actions.push((draft_date.max(today), format!("By {}: Write the lowlight on \"{c}\": what happened, what it cost in {}, the fix, and the help you need from the board.", draft_date.max(today), period.label)));
    }
    if raise {
        next_actions.push((pack_date.max(today), format!("By {}: Add the fundraising slide (round size, use of funds, runway at close, target investors) and ask each director for {INTROS_PER_DIRECTOR} warm introductions.", pack_date.max(today))));
    } else if let Some(text) = goal_action(goal, &period) {
        next_actions.push((
            draft_date.max(today),
            format!("By {}: {text}", draft_date.max(today)),
        ));
    }
    next_actions.sort_by_key(|(d, _)| *d);

    let benchmarks = kpis::stage_benchmarks(stage, mrr);
    BoardPrep {
        meeting: Meeting {
            date,
            date_source: date_source.to_string(),
            days_until,
            length_minutes: length,
            length_source: length_source.to_string(),
            period,
        },
        current_state: CurrentState {
            stage: stage.as_str().to_string(),
            stage_source: if input.context.stage.is_some() {
                "context"
            } else {
                "default"
            }
            .to_string(),
            mrr,
            mrr_source,
            plan_mrr: input.params.target_mrr,
        },
        timeline: Timeline {
            standard_lead_days: STANDARD_LEAD_DAYS,
            compressed,
            pack_lead_hours: pack_offset * 24,
            note,
            steps,
        },
        agenda,
        ceo_update,
        kpis,
        asks,
        fundraising,
        benchmarks,
        assumptions,
        hypotheses,
        experiments,
        monitoring,
        alerts,
        next_actions: next_actions
            .into_iter()
            .map(|(_, t)| NextAction::todo(t))
            .collect(),
    }
}

fn timeline_note(days_until: i64, pack_offset: i64) -> String {
    let hours = pack_offset * 24;
    if days_until >= STANDARD_LEAD_DAYS {
        return format!(
            "Standard timeline: preparation starts {STANDARD_LEAD_DAYS} days before the meeting and the pack goes out 72 h ahead."
        );
    }
    let practice = if hours >= board::PACK_LEAD_HOURS_MIN as i64 {
        "within the 48-72 h practice"
    } else {
        "below the 48-72 h practice: tell directors when it will arrive and keep the meeting for discussion"
    };
    let when = if hours > 0 {
        format!("the pack goes out {hours} h ahead, {practice}")
    } else {
        format!("the pack is shared at the meeting, {practice}")
    };
    format!(
        "Compressed: the meeting is {} day{} away, less than the {STANDARD_LEAD_DAYS} days the standard timeline needs, so the steps before the pack are squeezed into the days left and {when}.",
        days_until.max(0),
        if days_until == 1 { "" } else { "s" }
    )
}
