//! Hand-written cases for the date rules, with today = Thursday 2026-11-26.

use chrono::NaiveDate;

use super::dates::{find_date, mentions_meeting};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn date(prompt: &str) -> Option<String> {
    find_date(prompt, today()).map(|d| d.to_string())
}

fn check(cases: &[(&str, &str)]) {
    for (prompt, want) in cases {
        assert_eq!(date(prompt).as_deref(), Some(*want), "{prompt}");
    }
}

#[test]
fn period_ends() {
    check(&[
        ("by end of year", "2026-12-31"),
        ("by EOY", "2026-12-31"),
        ("before the end of the year", "2026-12-31"),
        ("by end of yaer", "2026-12-31"),
        ("by year-end", "2026-12-31"),
        ("by end of next year", "2027-12-31"),
        ("next year", "2027-12-31"),
        ("end of month", "2026-11-30"),
        ("by EOM", "2026-11-30"),
        ("end of next month", "2026-12-31"),
        ("next month", "2026-12-31"),
        ("end of quarter", "2026-12-31"),
        ("EOQ", "2026-12-31"),
        ("this quarter", "2026-12-31"),
        ("next quarter", "2027-03-31"),
        ("end of next quarter", "2027-03-31"),
        ("end of the week", "2026-11-27"),
        ("EOW", "2026-11-27"),
        ("end of next week", "2026-12-04"),
    ]);
}

#[test]
fn quarters_and_years() {
    check(&[
        ("by Q3 2027", "2027-09-30"),
        ("Q1 2028", "2028-03-31"),
        ("by q2", "2027-06-30"),
        ("by Q4", "2026-12-31"),
        ("before Q1", "2027-03-31"),
        ("in the third quarter", "2027-09-30"),
        ("by H1", "2027-06-30"),
        ("by Q2 '27", "2027-06-30"),
        ("by 2028", "2028-12-31"),
        ("by the end of 2027", "2027-12-31"),
    ]);
}

#[test]
fn months_and_days() {
    check(&[
        ("by June", "2027-06-30"),
        ("by september", "2027-09-30"),
        ("by November", "2026-11-30"),
        ("in december", "2026-12-31"),
        ("by Septmber", "2027-09-30"),
        ("by June 2027", "2027-06-30"),
        ("March 2028", "2028-03-31"),
        ("jun '27", "2027-06-30"),
        ("January 15", "2027-01-15"),
        ("Dec 10", "2026-12-10"),
        ("dec. 10th", "2026-12-10"),
        ("the 9th of December", "2026-12-09"),
        ("15 January", "2027-01-15"),
        ("on Nov 26", "2026-11-26"),
        ("on Nov 25", "2027-11-25"),
        ("February 29", "2028-02-29"),
        ("December 9, 2027", "2027-12-09"),
        ("2027-01-15", "2027-01-15"),
    ]);
}

#[test]
fn relative_spans() {
    check(&[
        ("in 9 months", "2027-08-26"),
        ("within two years", "2028-11-26"),
        ("in the next 12 months", "2027-11-26"),
        ("in 18 months", "2028-05-26"),
        ("over the next six months", "2027-05-26"),
        ("in a year", "2027-11-26"),
        ("in a year and a half", "2028-05-26"),
        ("in 1.5 years", "2028-05-26"),
        ("in 3 mos", "2027-02-26"),
        ("in a couple of months", "2027-01-26"),
        ("in a few weeks", "2026-12-17"),
        ("in 10 days", "2026-12-06"),
        ("in two weeks", "2026-12-10"),
        ("in 3 weeks", "2026-12-17"),
        ("the next 90 days", "2027-02-24"),
        ("90 days from now", "2027-02-24"),
        ("in the next month", "2026-12-26"),
        ("in 2 quarters", "2027-05-26"),
        ("in twenty-one days", "2026-12-17"),
    ]);
}

#[test]
fn month_spans_clamp_to_month_end() {
    let jan31 = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
    assert_eq!(
        find_date("in 1 month", jan31),
        NaiveDate::from_ymd_opt(2027, 2, 28)
    );
}

#[test]
fn days_and_weekdays() {
    check(&[
        ("tomorrow", "2026-11-27"),
        ("the day after tomorrow", "2026-11-28"),
        ("next week", "2026-12-03"),
        ("next Monday", "2026-11-30"),
        ("Friday's board call", "2026-11-27"),
        ("on Friday", "2026-11-27"),
        ("by thursday", "2026-12-03"),
        ("this wednesday", "2026-12-02"),
        ("on tue", "2026-12-01"),
    ]);
}

#[test]
fn today_is_a_date_only_for_meetings() {
    assert_eq!(date("board meeting today").as_deref(), Some("2026-11-26"));
    assert_eq!(date("pack for the board, today please"), None);
    assert_eq!(date("we're at $12k MRR today"), None);
}

#[test]
fn past_and_recurring_references_are_not_dates() {
    for p in [
        "In the last 30 days",
        "activation dropped last month",
        "since January 15",
        "since the 9th of December",
        "users who signed up this year",
        "what shipped this month",
        "over the past 6 months",
        "last Friday",
        "standup every Monday",
        "reviews on Mondays",
        "the Q4 board deck",
        "in March 2025",
        "by 2024",
        "why are customers churning after the first month?",
        "we may 10x revenue",
        "the sat nav",
    ] {
        assert_eq!(date(p), None, "{p}");
    }
}

#[test]
fn the_first_date_wins_and_longer_mentions_beat_prefixes() {
    check(&[
        ("Q4 board deck for our meeting on January 15", "2027-01-15"),
        ("hit $50k by June 2027, review in 2 weeks", "2027-06-30"),
        ("Can we reach $1.2M ARR by Q4 2027?", "2027-12-31"),
    ]);
}

#[test]
fn meeting_cues() {
    assert!(mentions_meeting("Help me prepare for our board meeting"));
    assert!(mentions_meeting("What should I show the board?"));
    assert!(mentions_meeting("investor update for Dec 10"));
    assert!(!mentions_meeting("an onboarding dashboard"));
    assert!(!mentions_meeting("weekly meetings cadence"));
}

#[test]
fn ordinal_days_of_unnamed_months() {
    check(&[
        ("board meeting on the 12th", "2026-12-12"),
        ("by the 30th", "2026-11-30"),
        ("on the 31st", "2026-12-31"),
        ("on the 9th of December", "2026-12-09"),
    ]);
    assert_eq!(date("the 5th customer"), None);
}

#[test]
fn seasons_and_iso_dates() {
    check(&[
        ("by summer", "2027-08-31"),
        ("by summer 2027", "2027-08-31"),
        ("next spring", "2027-05-31"),
        ("by fall", "2026-11-30"),
        ("in winter 2027", "2028-02-29"),
        ("hit 30k mrr by 2027-06-01", "2027-06-01"),
    ]);
    assert_eq!(date("our summer intern"), None);
}

#[test]
fn past_tense_calendar_mentions_are_history() {
    assert_eq!(date("we had 45 customer calls in october"), None);
    assert_eq!(date("our MRR was $8k in January"), None);
    assert_eq!(
        date("we were at 10k. Hit 50k in June"),
        Some("2027-06-30".into())
    );
    assert_eq!(
        date("we were at 10k, want 50k in 6 months"),
        Some("2027-05-26".into())
    );
    assert_eq!(date("50% growth by mid 2027"), Some("2027-06-30".into()));
}

#[test]
fn today_needs_a_meeting_word_next_to_it() {
    assert_eq!(date("board call today").as_deref(), Some("2026-11-26"));
    assert_eq!(date("today's board meeting").as_deref(), Some("2026-11-26"));
    assert_eq!(
        date("Prepare the board meeting. Today we're at $20k MRR"),
        None
    );
}
