//! The board pack's prose parts: agenda rows, asks, the fundraising plan, the CEO update,
//! hypotheses and the goal's action, each made specific with the period, dates and challenge.

use chrono::NaiveDate;

use super::content::{INTROS_PER_DIRECTOR, challenge};
use super::kpis::Known;
use super::plan::{self, Owners, shift};
use super::{Agenda, CeoUpdate, DatedStep, Period};
use crate::format::{money, percent};
use crate::kinds::KindInput;
use crate::model::{Goal, Stage};

/// The agenda, weighted by stage and goal, with minutes summing to `length`.
pub(super) fn agenda(
    input: &KindInput<'_>,
    stage: Stage,
    period: &Period,
    length: u32,
    kpi_count: usize,
    topic: &str,
    owners: Owners,
) -> Agenda {
    let raise = input.context.goal == Some(Goal::RaiseFunding);
    let early = matches!(stage, Stage::PreLaunch | Stage::EarlyRevenue);
    let product = if early { "CTO" } else { "Head of product" };
    let mut ceo = vec![
        format!(
            "Three highlights and three lowlights of {}, each with its number",
            period.label
        ),
        "What changed since the last meeting and what was decided".to_string(),
    ];
    if let Some(c) = challenge(input) {
        ceo.push(format!("Lowlight: \"{c}\", what it cost and the fix"));
    }
    let mut rows = vec![
        (
            "CEO update: highlights and lowlights".to_string(),
            owners.ceo.to_string(),
            15,
            ceo,
        ),
        (
            "Financials and forecast".to_string(),
            owners.finance.to_string(),
            if early { 10 } else { 15 },
            vec![
                format!(
                    "Income statement and cash against budget for {}",
                    period.label
                ),
                "Runway at period end and under the forecast".to_string(),
                format!("Forecast through {}", period.forecast_through),
            ],
        ),
        (
            "KPIs vs plan vs prior period".to_string(),
            owners.ceo.to_string(),
            15,
            vec![
                format!("The {kpi_count} KPIs below: actual, plan, prior period and variance"),
                "One line of explanation for every variance larger than 10% of plan".to_string(),
            ],
        ),
        (
            "Product".to_string(),
            product.to_string(),
            if early { 20 } else { 15 },
            vec![
                format!("Shipped in {} against the roadmap", period.label),
                "What customers did with it: usage and activation numbers".to_string(),
                "Next quarter's roadmap and its trade-offs".to_string(),
            ],
        ),
        (
            "Team and hiring".to_string(),
            owners.ceo.to_string(),
            10,
            vec![
                "Headcount against plan, open roles and time to fill".to_string(),
                "Key hires, departures and organisation changes".to_string(),
            ],
        ),
    ];
    let discussion = if early { 40 } else { 30 };
    if raise {
        rows.push((
            "Fundraising plan and asks".to_string(),
            owners.ceo.to_string(),
            25,
            vec![
                "Round size, use of funds and runway at close".to_string(),
                "Target investor list and each director's introductions".to_string(),
            ],
        ));
    } else {
        rows.push((
            "Asks".to_string(),
            owners.ceo.to_string(),
            10,
            vec!["Specific asks, each with a named director and a due date".to_string()],
        ));
    }
    rows.push((
        format!("Discussion: {topic}"),
        owners.ceo.to_string(),
        if raise { discussion - 15 } else { discussion },
        vec![
            "One question for the board, sent with the pack so directors come prepared".to_string(),
        ],
    ));
    if !early {
        rows.push((
            "Executive session (directors only)".to_string(),
            "Board chair".to_string(),
            10,
            vec![
                "Directors without management; the chair brings feedback to the CEO the same day"
                    .to_string(),
            ],
        ));
    }
    let items = plan::agenda(length, rows);
    Agenda {
        total_minutes: items.iter().map(|i| i.minutes).sum(),
        items,
    }
}

/// Asks of the board, each with a due date two weeks after the meeting.
pub(super) fn asks(input: &KindInput<'_>, stage: Stage, date: NaiveDate) -> Vec<String> {
    let due = shift(date, 14);
    let mut out = vec![if stage == Stage::PreLaunch {
        format!("One design-partner introduction per director by {due}")
    } else {
        format!("One candidate introduction per director for the most important open role by {due}")
    }];
    if input.context.goal == Some(Goal::RaiseFunding) {
        out.push(format!(
            "{INTROS_PER_DIRECTOR} warm introductions per director to target investors by {due}"
        ));
        out.push(format!(
            "Agreement on round size and timing before outreach starts on {}",
            shift(date, 7)
        ));
    }
    if stage != Stage::PreLaunch {
        out.push(format!(
            "Two customer introductions per director in the segment you sell to by {due}"
        ));
    }
    if let Some(c) = challenge(input) {
        out.push(format!(
            "A call before {due} with the director who has dealt with \"{c}\" before"
        ));
    }
    out
}

/// The fundraising plan, dated from the meeting (cosos planning defaults).
pub(super) fn fundraising(date: NaiveDate, pack: NaiveDate) -> Vec<DatedStep> {
    let step = |d, s: &str, o: &str| DatedStep {
        date: d,
        step: s.to_string(),
        owner: o.to_string(),
    };
    vec![
        step(
            pack,
            "Fundraising slide in the pack: round size, use of funds, runway at close, target investors",
            "CEO",
        ),
        step(
            date,
            &format!(
                "Board agrees round size and timing; each director commits to {INTROS_PER_DIRECTOR} warm introductions"
            ),
            "Board",
        ),
        step(
            shift(date, 7),
            "Outreach starts: first meetings booked from the target list",
            "CEO",
        ),
        step(shift(date, 14), "Director introductions made", "Directors"),
        step(
            shift(date, 42),
            "First meetings done; partner meetings with the most engaged funds",
            "CEO",
        ),
        step(shift(date, 90), "Target close", "CEO"),
    ]
}

/// Highlights and lowlights; MRR against plan goes to whichever side it falls on.
pub(super) fn ceo_update(challenge: &Option<String>, period: &Period, known: &Known) -> CeoUpdate {
    let p = &period.label;
    let generic_high = format!("The {p} KPI furthest above plan, with its plan and prior period");
    let mut highlights = Vec::new();
    let mut lowlights = Vec::new();
    match (known.mrr, known.plan_mrr) {
        (Some(a), Some(plan)) if plan > 0.0 => {
            let line = format!(
                "MRR of {} against a plan of {}: {} ({}) {} plan",
                money(a),
                money(plan),
                money((a - plan).abs()),
                percent(((a - plan) / plan).abs()),
                if a >= plan { "above" } else { "below" }
            );
            if a >= plan {
                highlights.push(line);
            } else {
                lowlights.push(format!("{line}: the reason and the fix"));
                highlights.push(generic_high);
            }
        }
        (Some(a), _) => highlights.push(format!(
            "MRR of {} ({}), with its plan and prior period from the KPI table",
            money(a),
            if known.source == "prompt" {
                "from your prompt".to_string()
            } else {
                format!("from {}", known.source)
            }
        )),
        (None, Some(plan)) => highlights.push(format!(
            "MRR against the plan of {}: fill the actual at the metrics freeze",
            money(plan)
        )),
        _ => highlights.push(generic_high),
    }
    highlights.push(format!(
        "The most important thing shipped in {p} and what customers did with it"
    ));
    highlights.push(format!("The best customer win or hire of {p}"));
    if let Some(c) = challenge {
        lowlights.push(format!(
            "\"{c}\": what happened in {p}, what it cost, and the fix you chose"
        ));
    }
    if lowlights.is_empty() {
        lowlights.push(format!(
            "The {p} KPI furthest below plan, with the reason and the fix"
        ));
    }
    lowlights.push(format!(
        "What you would do differently if {p} started again"
    ));
    CeoUpdate {
        highlights,
        lowlights,
    }
}

/// What the preparation bets on, with the computed minutes and counts.
#[allow(clippy::too_many_arguments)]
pub(super) fn hypotheses(
    input: &KindInput<'_>,
    challenge: &Option<String>,
    stage: Stage,
    period: &Period,
    hours: i64,
    length: u32,
    discussion: u32,
    kpi_count: usize,
) -> Vec<String> {
    let lead = if hours > 0 {
        format!("Sending the pack {hours} h ahead")
    } else {
        "Sharing the pack before anything else".to_string()
    };
    let mut out = vec![format!(
        "{lead} and taking it as read leaves {discussion} of the {length} minutes for discussion and asks instead of presentation."
    )];
    if let Some(c) = challenge {
        out.push(format!("Naming \"{c}\" as a lowlight with its fix, and calling directors about it before the pack lands, gets specific help instead of a status debate."));
    }
    if input.context.goal == Some(Goal::RaiseFunding) {
        out.push(format!("Agreeing the round size at this meeting, with {INTROS_PER_DIRECTOR} introductions per director, fills the first two weeks of outreach with warm meetings."));
    }
    out.push(format!("The same {kpi_count} {} KPIs in the same format every quarter let directors read the trend since the last meeting without asking for extra data ({} is the first period of the series if it is new).", super::stage_words(stage), period.label));
    out
}

/// The goal's addition to the pack, if the goal calls for one.
pub(super) fn goal_action(goal: Option<Goal>, period: &Period) -> Option<String> {
    let p = &period.label;
    Some(match goal? {
        Goal::GrowRevenue => format!("List the top five deals in the forecast after {p} with their close dates."),
        Goal::ImproveRetention => format!("Add logo churn and NRR by cohort for {p} to the KPI section."),
        Goal::FindPmf => format!("Add the share of active users who would be \"very disappointed\" without the product (40% signals fit) for {p}."),
        Goal::ShipFaster => format!("Add deploys per week and lead time for changes in {p} to the product section."),
        Goal::ReduceChaos => "Add one slide on the operating cadence: weekly meeting, scorecard owners and the decision log.".to_string(),
        Goal::RaiseFunding | Goal::Other => return None,
    })
}
