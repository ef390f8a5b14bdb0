//! Unit tests of the board pack's computed numbers and dates, against hand-checked values.

use chrono::NaiveDate;

use super::plan::{allocate, pack_offset, period, prep_offset, stated_minutes};
use super::*;
use crate::model::{Context, Goal, Params};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 26)
}

fn pack(prompt: &str, context: Context, params: Params) -> BoardPrep {
    let input = KindInput {
        prompt,
        context: &context,
        params: &params,
        today: today(),
        live: None,
    };
    let out = generate(&input).unwrap();
    serde_json::from_value(out.content).unwrap()
}

fn meeting_on(date: NaiveDate) -> Params {
    Params {
        meeting_date: Some(date),
        ..Params::default()
    }
}

#[test]
fn standard_timeline_works_back_from_the_meeting() {
    let p = pack(
        "board meeting on Jan 15",
        Context::default(),
        meeting_on(d(2027, 1, 15)),
    );
    assert_eq!(p.meeting.days_until, 50);
    assert!(!p.timeline.compressed);
    assert_eq!(p.timeline.pack_lead_hours, 72);
    let dates: Vec<(String, NaiveDate)> = p
        .timeline
        .steps
        .iter()
        .map(|s| (s.id.clone(), s.date))
        .collect();
    assert_eq!(
        dates,
        vec![
            ("kick-off".to_string(), d(2027, 1, 1)),
            ("metrics-freeze".to_string(), d(2027, 1, 5)),
            ("draft-review".to_string(), d(2027, 1, 9)),
            ("pre-calls".to_string(), d(2027, 1, 11)),
            ("pack-sent".to_string(), d(2027, 1, 12)),
            ("meeting".to_string(), d(2027, 1, 15)),
            ("minutes-sent".to_string(), d(2027, 1, 17)),
        ]
    );
}

#[test]
fn a_meeting_next_week_compresses_the_timeline() {
    // 7 days out: pack stays at 72 h; 14 -> 7 (today), 10 -> 3 + round(7*4/11 = 2.55) = 6,
    // 6 -> 3 + round(3*4/11 = 1.09) = 4, 4 -> 3 + round(4/11) = 3.
    assert_eq!(prep_offset(14, 7), 7);
    assert_eq!(prep_offset(10, 7), 6);
    assert_eq!(prep_offset(6, 7), 4);
    assert_eq!(prep_offset(4, 7), 3);
    let p = pack(
        "board meeting next week",
        Context::default(),
        meeting_on(d(2026, 12, 3)),
    );
    assert!(p.timeline.compressed);
    assert_eq!(p.timeline.pack_lead_hours, 72);
    let dates: Vec<NaiveDate> = p.timeline.steps.iter().map(|s| s.date).collect();
    assert_eq!(
        dates,
        vec![
            d(2026, 11, 26),
            d(2026, 11, 27),
            d(2026, 11, 29),
            d(2026, 11, 30),
            d(2026, 11, 30),
            d(2026, 12, 3),
            d(2026, 12, 5)
        ]
    );
    assert!(p.timeline.note.contains("7 days away"));
}

#[test]
fn a_meeting_tomorrow_puts_everything_today_and_says_so() {
    assert_eq!(pack_offset(1), 1);
    assert_eq!(pack_offset(4), 2);
    assert_eq!(pack_offset(0), 0);
    let p = pack(
        "board call tomorrow",
        Context::default(),
        meeting_on(d(2026, 11, 27)),
    );
    assert_eq!(p.meeting.days_until, 1);
    assert_eq!(p.timeline.pack_lead_hours, 24);
    assert!(p.timeline.steps.iter().take(5).all(|s| s.date == today()));
    assert!(p.timeline.note.contains("below the 48-72 h practice"));
    assert!(
        p.next_actions
            .iter()
            .all(|a| !a.text.contains("By 2026-11-25"))
    );
}

#[test]
fn no_date_is_an_estimate_fourteen_days_out() {
    let p = pack(
        "Help me prepare for board meeting",
        Context::default(),
        Params::default(),
    );
    assert_eq!(p.meeting.date, d(2026, 12, 10));
    assert_eq!(p.meeting.date_source, "estimate");
    assert_eq!(p.timeline.steps[0].date, today());
    assert!(p.next_actions[0].text.contains("confirm the meeting date"));
}

#[test]
fn agenda_minutes_sum_to_the_meeting() {
    assert_eq!(
        allocate(120, &[15, 10, 15, 20, 10, 10, 40]),
        vec![15, 10, 15, 20, 10, 10, 40]
    );
    // 60 min = 12 slots of 5: exact 1.5,1,1.5,2,1,1,4 -> floors 1,1,1,2,1,1,4 (11), the first
    // largest remainder (CEO update) gets the 12th slot.
    assert_eq!(
        allocate(60, &[15, 10, 15, 20, 10, 10, 40]),
        vec![10, 5, 5, 10, 5, 5, 20]
    );
    // 92 min: 18 slots, 2 minutes left over go to the heaviest item.
    let m = allocate(92, &[15, 15, 15, 15, 10, 10, 30, 10]);
    assert_eq!(m.iter().sum::<u32>(), 92);
    for total in [30, 45, 60, 90, 92, 120, 180, 240] {
        let p = pack(
            &format!("{total}-minute board meeting"),
            Context {
                stage: Some(Stage::SeriesA),
                goal: Some(Goal::RaiseFunding),
                challenge: None,
            },
            meeting_on(d(2026, 12, 10)),
        );
        assert_eq!(p.agenda.total_minutes, total);
        assert_eq!(p.agenda.items.iter().map(|i| i.minutes).sum::<u32>(), total);
    }
}

#[test]
fn default_agendas_by_stage_and_goal() {
    let early = pack("board", Context::default(), meeting_on(d(2026, 12, 10)));
    let m: Vec<u32> = early.agenda.items.iter().map(|i| i.minutes).collect();
    assert_eq!(m, vec![15, 10, 15, 20, 10, 10, 40]);
    let raise = pack(
        "board",
        Context {
            stage: Some(Stage::Seed),
            goal: Some(Goal::RaiseFunding),
            challenge: None,
        },
        meeting_on(d(2026, 12, 10)),
    );
    let m: Vec<u32> = raise.agenda.items.iter().map(|i| i.minutes).collect();
    assert_eq!(m, vec![15, 15, 15, 15, 10, 25, 15, 10]);
    assert_eq!(raise.agenda.items[5].item, "Fundraising plan and asks");
    let steps = raise.fundraising.unwrap();
    assert_eq!(steps[0].date, d(2026, 12, 7));
    assert_eq!(steps.last().unwrap().date, d(2027, 3, 10));
}

#[test]
fn meeting_length_from_the_prompt() {
    assert_eq!(stated_minutes("a 90-minute board call"), Some(90));
    assert_eq!(stated_minutes("our 3 hour board meeting"), Some(180));
    assert_eq!(stated_minutes("two-hour board meeting"), Some(120));
    assert_eq!(stated_minutes("board meeting in 3 hours"), None);
    assert_eq!(stated_minutes("board meeting next week"), None);
    assert_eq!(stated_minutes("a 5 minute update"), None);
}

#[test]
fn period_follows_the_prompt_or_the_meeting() {
    let q4 = period("Put together the Q4 board deck", d(2027, 1, 15));
    assert_eq!(
        (q4.label.as_str(), q4.start, q4.end, q4.complete),
        ("Q4 2026", d(2026, 10, 1), d(2026, 12, 31), true)
    );
    assert_eq!(q4.forecast_through, d(2027, 3, 31));
    let named = period("Q2 2027 review", d(2027, 1, 15));
    assert_eq!(named.label, "Q2 2027");
    let ytd = period("board meeting", d(2026, 12, 3));
    assert_eq!((ytd.label.as_str(), ytd.complete), ("Q4 2026", false));
    let after_close = period("board meeting", d(2027, 4, 20));
    assert_eq!(after_close.label, "Q1 2027");
}

#[test]
fn title_names_the_period_and_the_date() {
    let context = Context::default();
    let params = meeting_on(d(2027, 1, 15));
    let input = KindInput {
        prompt: "Put together the Q4 board deck for our meeting on January 15",
        context: &context,
        params: &params,
        today: today(),
        live: None,
    };
    assert_eq!(
        generate(&input).unwrap().title,
        "Q4 2026 board deck for the January 15, 2027 meeting"
    );
}

#[test]
fn kpi_variance_is_computed_when_both_sides_are_known() {
    let params = Params {
        meeting_date: Some(d(2026, 12, 10)),
        current_mrr: Some(35_000.0),
        target_mrr: Some(40_000.0),
        ..Params::default()
    };
    let p = pack(
        "board meeting Dec 10, we're at $35k MRR and planned $40k",
        Context {
            stage: Some(Stage::Seed),
            goal: None,
            challenge: None,
        },
        params,
    );
    let mrr = &p.kpis[0];
    assert_eq!((mrr.actual, mrr.plan), (Some(35_000.0), Some(40_000.0)));
    assert_eq!(mrr.variance, Some(-5_000.0));
    assert_eq!(mrr.variance_pct, Some(-0.125));
    assert_eq!(
        p.ceo_update.lowlights[0],
        "MRR of $35,000 against a plan of $40,000: $5,000 (12.5%) below plan: the reason and the fix"
    );
    assert!(
        p.kpis[1..]
            .iter()
            .all(|k| k.actual.is_none() && k.variance.is_none())
    );
}

#[test]
fn stage_changes_kpis_estimates_and_benchmarks() {
    let at = |stage| {
        pack(
            "Help me prepare for our board meeting next week",
            Context {
                stage: Some(stage),
                goal: None,
                challenge: None,
            },
            meeting_on(d(2026, 12, 3)),
        )
    };
    let (seed, a) = (at(Stage::Seed), at(Stage::SeriesA));
    assert_eq!(seed.current_state.mrr, 25_000.0);
    assert_eq!(a.current_state.mrr, 150_000.0);
    assert_ne!(seed.benchmarks, a.benchmarks);
    assert!(a.kpis.iter().any(|k| k.metric == "Burn multiple"));
    assert!(!seed.kpis.iter().any(|k| k.metric == "Burn multiple"));
    assert!(seed.benchmarks.iter().any(|b| b.value == 0.031));
    assert!(a.benchmarks.iter().any(|b| b.value == 0.02));
    let pre = at(Stage::PreLaunch);
    let metrics: Vec<&str> = pre.kpis.iter().map(|k| k.metric.as_str()).collect();
    assert!(metrics.contains(&"Weekly active users") && metrics.contains(&"Runway"));
    assert_eq!(pre.current_state.mrr, 0.0);
}

#[test]
fn challenge_shows_in_lowlights_asks_and_actions() {
    let ctx = Context {
        stage: Some(Stage::Seed),
        goal: Some(Goal::GrowRevenue),
        challenge: Some("enterprise deals\nstall in legal".to_string()),
    };
    let p = pack("board meeting", ctx, meeting_on(d(2026, 12, 10)));
    let quoted = "\"enterprise deals stall in legal\"";
    assert!(p.ceo_update.lowlights[0].contains(quoted));
    assert!(p.asks.iter().any(|a| a.contains(quoted)));
    assert!(p.next_actions.iter().any(|a| a.text.contains(quoted)));
    assert!(
        p.agenda
            .items
            .iter()
            .any(|i| i.item == format!("Discussion: {quoted}"))
    );
    // Next actions are in date order.
    let dates: Vec<&str> = p.next_actions.iter().map(|a| &a.text[3..13]).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
}

#[test]
fn content_round_trips_and_renders() {
    let p = pack(
        "board meeting",
        Context::default(),
        meeting_on(d(2026, 12, 10)),
    );
    let value = serde_json::to_value(&p).unwrap();
    let back: BoardPrep = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, p);
    let md = render_markdown(&value).unwrap();
    assert!(
        md.trim_end()
            .ends_with(&format!("- [ ] {}", p.next_actions.last().unwrap().text))
    );
    assert!(md.contains("| | **Total** | | **120** | |"));
}

#[test]
fn four_or_five_days_out_sends_the_pack_48_hours_ahead() {
    // 5 days out: pack at 2 days (48 h); 14 -> 2 + round(11*3/11) = 5 (today),
    // 10 -> 2 + round(7*3/11 = 1.91) = 4, 6 -> 2 + round(3*3/11 = 0.82) = 3, 4 -> 2.
    assert_eq!([14, 10, 6, 4].map(|o| prep_offset(o, 5)), [5, 4, 3, 2]);
    let p = pack(
        "board meeting",
        Context::default(),
        meeting_on(d(2026, 12, 1)),
    );
    assert_eq!(p.timeline.pack_lead_hours, 48);
    assert!(p.timeline.note.contains("within the 48-72 h practice"));
}

#[test]
fn a_past_meeting_is_flagged_and_nothing_is_due_before_today() {
    let p = pack(
        "board meeting",
        Context::default(),
        meeting_on(d(2026, 11, 20)),
    );
    assert_eq!(p.meeting.days_until, -6);
    assert!(p.assumptions.iter().any(|a| a.contains("has passed")));
    assert!(
        p.next_actions
            .iter()
            .all(|a| a.text[3..13] >= *"2026-11-26")
    );
}
