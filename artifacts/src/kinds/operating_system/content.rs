//! Assembles the operating system from the prompt, the context and today's date.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::growth::{growth_plan, months_to};
use super::okrs::{self, OkrInput};
use super::parts;
use super::rituals::{
    self, LEADER_CAP_HOURS, MEMBER_CAP_HOURS, Starts, first_monday_next_month, monday_on_or_after,
    monday_on_or_before, next_weekday,
};
use super::scorecard;
use super::{MeetingLoad, OperatingSystem, Team};
use crate::benchmarks::board;
use crate::kinds::KindInput;
use crate::kinds::board_prep::plan::{quarter_end, quarter_of};
use crate::kinds::board_prep::{stage_or_default, stage_with_article};
use crate::kinds::mrr_tracker::stage_estimate;
use crate::kinds::sections::{NextAction, one_line};
use crate::parse::normalize;

/// Phrases that mean the founder wants one place for everything.
const TOOL_CUES: [&str; 8] = [
    "too many tools",
    "source of truth",
    "tool sprawl",
    "too many apps",
    "scattered across",
    "spreadsheets everywhere",
    "all over the place",
    "in five different",
];

/// Whether the prompt or challenge asks for tool consolidation.
pub fn wants_consolidation(prompt: &str, challenge: Option<&str>) -> bool {
    let text = normalize(&format!("{prompt} {}", challenge.unwrap_or("")));
    TOOL_CUES.iter().any(|c| text.contains(c))
}

fn days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn back(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

/// Builds the whole operating system.
pub fn build(input: &KindInput<'_>) -> OperatingSystem {
    let stage = stage_or_default(input.context.stage);
    let goal = input.context.goal;
    let today = input.today;
    let challenge = input
        .context
        .challenge
        .as_deref()
        .map(one_line)
        .filter(|c| !c.is_empty());
    let mut assumptions = Vec::new();
    if input.context.stage.is_none() {
        assumptions.push(
            "No stage was given: targets and estimates are those of an early-revenue company."
                .to_string(),
        );
    }
    let (size, size_source) = match input.params.team_size.filter(|n| *n > 0) {
        Some(n) => (n, "prompt"),
        None => {
            let n = rituals::estimated_team_size(stage);
            assumptions.push(format!("Team size is an estimate of {n} for {} company; state it (\"team of 12\") to resize the cadence.", stage_with_article(stage)));
            (n, "stage-estimate")
        }
    };
    let band = rituals::band(size);
    let lead = rituals::leadership_size(size);
    let small = band == "small";

    let mut q = okrs::quarter(today);
    let weekly = next_weekday(today, Weekday::Mon);
    let this_q_end = quarter_end(today.year(), quarter_of(today));
    // Planning happens in the second-to-last week of the quarter; too late for that, as soon as
    // possible, because the next quarter's OKRs must exist before it starts.
    let quarterly = monday_on_or_before(back(this_q_end, 14));
    let quarterly = if quarterly < days(today, 3) {
        next_weekday(days(today, 2), Weekday::Mon)
    } else {
        quarterly
    };
    let annual = monday_on_or_before(back(quarter_end(today.year(), 4), 14));
    let annual = if annual < days(today, 7) {
        monday_on_or_before(back(quarter_end(today.year() + 1, 4), 14))
    } else {
        annual
    };
    let board_day = days(this_q_end, 21);
    let starts = Starts {
        today,
        quarter_kickoff: monday_on_or_after(days(this_q_end, 1)),
        year_kickoff: monday_on_or_after(days(quarter_end(today.year(), 4), 1)),
        weekly,
        monthly: first_monday_next_month(today),
        quarterly,
        board: board_day,
        annual,
    };
    let mut cadence = super::cadence::rituals(size, stage, goal, starts);
    let reports = rituals::ceo_reports(size);
    let mut adjustments = rituals::fit_to_cap(
        &mut cadence,
        &["everyone", "function"],
        MEMBER_CAP_HOURS,
        rituals::member_hours,
    );
    adjustments.extend(rituals::fit_to_cap(
        &mut cadence,
        &["everyone", "leadership", "founders"],
        LEADER_CAP_HOURS,
        |r| rituals::leader_hours(r, reports, small),
    ));
    let member = rituals::member_hours(&cadence);
    let leader = rituals::leader_hours(&cadence, reports, small);
    let meeting_load = MeetingLoad {
        member_hours_per_week: member,
        leader_hours_per_week: leader,
        member_cap_hours: MEMBER_CAP_HOURS,
        leader_cap_hours: LEADER_CAP_HOURS,
        within_cap: member <= MEMBER_CAP_HOURS && leader <= LEADER_CAP_HOURS,
        adjustments,
    };
    let weekly_meeting = cadence
        .first()
        .map_or_else(|| "weekly meeting".to_string(), |r| lower_first(&r.name));

    let reasoning = match band {
        "small" => format!(
            "With {size} people the whole team is the leadership team: one {}-minute weekly meeting runs the scorecard, OKRs and issues for everyone, and a separate leadership meeting would repeat it.",
            cadence.first().map_or(60, |r| r.duration_minutes)
        ),
        "mid" => format!(
            "At {size} people a weekly all-hands can no longer solve issues: the {lead} leaders meet for the 90-minute Level 10 meeting, everyone else gets a 30-minute all-hands and a 45-minute team meeting."
        ),
        _ => format!(
            "At {size} people the {lead}-person executive team runs the Level 10 meeting, departments meet weekly and the whole company meets monthly."
        ),
    };

    let (mrr, mrr_source) = match (input.params.current_mrr, input.live) {
        (Some(m), _) => (m, "prompt".to_string()),
        (None, Some(l)) => (l.mrr, l.source.clone()),
        _ => {
            let est = stage_estimate(Some(stage));
            if est > 0.0 {
                assumptions.push(format!("MRR of {} is the estimate for {} company behind the revenue targets; state your MRR or connect Stripe to replace it.", crate::format::money(est), stage_with_article(stage)));
            }
            (est, "stage-estimate".to_string())
        }
    };
    let growth = growth_plan(
        stage,
        goal,
        mrr,
        &mrr_source,
        input.params.target_mrr,
        months_to(today, input.params.deadline),
        input.live.and_then(|l| l.arpa),
    );
    let card = scorecard::scorecard(stage, size, &growth);
    let tools = wants_consolidation(input.prompt, challenge.as_deref());
    let okr_input = OkrInput {
        today,
        stage,
        goal,
        challenge: challenge.clone(),
        size,
        growth: &growth,
        rates: &input.params.rates,
        weekly_meeting: weekly_meeting.clone(),
        scorecard_len: card.len(),
        tools,
    };
    q.objectives = okrs::objectives(&okr_input, &q);
    if q.next_quarter {
        assumptions.push(format!(
            "Fewer than {} days are left in this quarter, so the OKRs are for {} ({} to {}).",
            okrs::MIN_DAYS_LEFT,
            q.quarter,
            q.start,
            q.end
        ));
    }
    assumptions.push(format!("Recurring rituals are capped at {MEMBER_CAP_HOURS} h a week for a team member and {LEADER_CAP_HOURS} h for the CEO, customer and hiring calls excluded ({}).", board::MAKERS_SCHEDULE));

    let decision_log = parts::decision_log(
        today,
        weekly,
        &weekly_meeting,
        cadence.len(),
        card.len(),
        &q,
    );
    let tool_homes = tools.then(parts::tool_homes);

    let benchmarks = parts::benchmarks(stage, mrr);

    let hypotheses = {
        let mut h = vec![
            format!(
                "A {}-metric scorecard reviewed every Monday catches a metric going off target within 7 days instead of at the month-end review.",
                card.len()
            ),
            format!(
                "Keeping recurring rituals to {member} h a week for a team member (cap {MEMBER_CAP_HOURS} h) leaves {} hours of a 40-hour week for focused work.",
                round2(40.0 - member)
            ),
        ];
        if let Some(c) = &challenge {
            h.push(format!("\"{c}\" persists because nobody owns it week to week; one owner and one scorecard metric, reviewed in the {}, move it back on target by {}.", weekly_meeting, q.end));
        }
        if let Some(o) = q.objectives.first() {
            h.push(format!("Putting the quarter behind \"{}\" with {} key results beats spreading effort over more objectives.", o.title, o.key_results.len()));
        }
        h
    };
    let experiments = parts::experiments(weekly, &weekly_meeting, tools);
    let monitoring = parts::monitoring();
    let alerts = parts::alerts();

    let mut actions: Vec<(NaiveDate, String)> = vec![
        (
            days(today, 1),
            format!(
                "By {}: Put the {} rituals in the calendar, starting with the {} on {weekly}.",
                days(today, 1),
                cadence.len(),
                weekly_meeting
            ),
        ),
        (
            weekly,
            format!(
                "By {weekly}: Each owner enters this week's number for their scorecard metrics ({} in all).",
                card.len()
            ),
        ),
        (
            weekly,
            format!(
                "On {weekly}: Run the first {} with the scorecard, the OKRs and the issues list.",
                weekly_meeting
            ),
        ),
        (
            days(q.start.max(today), 7),
            format!(
                "By {}: Agree the {} objectives for {} and name an owner for each key result.",
                days(q.start.max(today), 7),
                q.objectives.len(),
                q.quarter
            ),
        ),
        (
            starts.monthly,
            format!(
                "On {}: Hold the first monthly review of scorecard trends, cash and OKR pace.",
                starts.monthly
            ),
        ),
    ];
    if let Some(c) = &challenge {
        let due = days(q.start.max(today), okrs::EARLY_DUE_DAYS as u64);
        actions.push((
            due,
            format!(
                "By {due}: Agree the root cause and the fix of \"{c}\" in the {}.",
                weekly_meeting
            ),
        ));
    }
    if tools {
        actions.push((days(today, 7), format!("By {}: List every tool in use with its owner and monthly cost; retire each one that duplicates a home above by {}.", days(today, 7), days(today, 28))));
    }
    if let Some(text) = parts::goal_action(goal, weekly) {
        actions.push(text);
    }
    actions.sort_by_key(|(d, _)| *d);

    OperatingSystem {
        team: Team {
            size,
            size_source: size_source.to_string(),
            stage: stage.as_str().to_string(),
            stage_source: if input.context.stage.is_some() {
                "context"
            } else {
                "default"
            }
            .to_string(),
            band: band.to_string(),
            leadership_size: lead,
            separate_leadership_meeting: !small,
            reasoning,
        },
        rituals: cadence,
        meeting_load,
        scorecard: card,
        okrs: q,
        decision_log,
        tools: tool_homes,
        benchmarks,
        assumptions,
        hypotheses,
        experiments,
        monitoring,
        alerts,
        next_actions: actions
            .into_iter()
            .map(|(_, t)| NextAction::todo(t))
            .collect(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// "Leadership meeting (Level 10)" -> "leadership meeting (Level 10)", for use mid-sentence.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
