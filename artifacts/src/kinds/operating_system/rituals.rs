//! The cadence of rituals, sized to the team, and the meeting load it puts on people.
//!
//! Decisions where the design is silent:
//! - Team size from the prompt, else a stage estimate (pre-launch 3, early revenue 6, seed 12,
//!   Series A 35, Series B+ 120), marked as such.
//! - Up to 8 people the whole team is the leadership team: one weekly team meeting runs the EOS
//!   agenda in 60 minutes and no separate leadership meeting repeats it. From 9 to 30 a 90-minute
//!   leadership meeting (EOS Level 10), a 30-minute all-hands and 45-minute team meetings. From 31
//!   an executive meeting, department meetings and a monthly all-hands.
//! - One-on-ones every two weeks for an hour (Grove's hour, at a pace a startup can hold).
//! - Recurring rituals are capped at 4 h a week for a team member (a tenth of a 40-hour week) and
//!   12 h for the CEO, so makers keep long blocks (Paul Graham, "Maker's Schedule"). Over the cap,
//!   the longest weekly ritual the person attends loses 15 minutes at a time, down to 30.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{AgendaSlot, Ritual};
use crate::model::Stage;

/// Recurring meeting hours a week a team member may spend in rituals.
pub const MEMBER_CAP_HOURS: f64 = 4.0;
/// Recurring meeting hours a week the CEO may spend in rituals.
pub const LEADER_CAP_HOURS: f64 = 12.0;
/// Largest team that runs one weekly meeting for everyone.
pub const SMALL_TEAM_MAX: u32 = 8;
/// Largest team that keeps a weekly all-hands.
pub const MID_TEAM_MAX: u32 = 30;

/// Team size when the prompt gives none.
pub fn estimated_team_size(stage: Stage) -> u32 {
    match stage {
        Stage::PreLaunch => 3,
        Stage::EarlyRevenue => 6,
        Stage::Seed => 12,
        Stage::SeriesA => 35,
        Stage::SeriesBPlus => 120,
    }
}

/// `small`, `mid` or `large`.
pub fn band(size: u32) -> &'static str {
    if size <= SMALL_TEAM_MAX {
        "small"
    } else if size <= MID_TEAM_MAX {
        "mid"
    } else {
        "large"
    }
}

/// People in the leadership meeting: everyone up to 8; then one leader per five people (3-7);
/// then one per twelve (6-10).
pub fn leadership_size(size: u32) -> u32 {
    match band(size) {
        "small" => size.max(1),
        "mid" => size.div_ceil(5).clamp(3, 7),
        _ => size.div_ceil(12).clamp(6, 10),
    }
}

/// People who report to the CEO: in a small team the other people split between two founders.
pub fn ceo_reports(size: u32) -> u32 {
    if band(size) == "small" {
        let founders = size.min(2);
        (size - founders).div_ceil(founders.max(1))
    } else {
        leadership_size(size) - 1
    }
}

/// Occurrences a week of a cadence.
pub fn per_week(cadence: &str) -> f64 {
    match cadence {
        "weekly" => 1.0,
        "biweekly" => 0.5,
        "monthly" => 12.0 / 52.0,
        "quarterly" => 4.0 / 52.0,
        _ => 1.0 / 52.0,
    }
}

/// Weekly hours of the rituals for a team member (everyone, their function, one one-on-one).
pub fn member_hours(rituals: &[Ritual]) -> f64 {
    hours(rituals, |a| match a {
        "everyone" | "function" | "one-on-one" => 1.0,
        _ => 0.0,
    })
}

/// Weekly hours of the rituals for the CEO, who holds a one-on-one with each of `reports`.
pub fn leader_hours(rituals: &[Ritual], reports: u32, small: bool) -> f64 {
    hours(rituals, |a| match a {
        "everyone" | "leadership" | "founders" => 1.0,
        "function" if small => 1.0,
        "one-on-one" => reports as f64,
        _ => 0.0,
    })
}

fn hours(rituals: &[Ritual], times: impl Fn(&str) -> f64) -> f64 {
    let minutes: f64 = rituals
        .iter()
        .map(|r| r.duration_minutes as f64 * per_week(&r.cadence) * times(&r.audience))
        .sum();
    (minutes / 60.0 * 100.0).round() / 100.0
}

/// Shortens the longest weekly ritual of `audiences` by 15 minutes at a time (never below 30)
/// until `load` is within `cap`; returns what was shortened.
pub fn fit_to_cap(
    rituals: &mut [Ritual],
    audiences: &[&str],
    cap: f64,
    load: impl Fn(&[Ritual]) -> f64,
) -> Vec<String> {
    let mut changes = Vec::new();
    while load(rituals) > cap {
        let Some(r) = rituals
            .iter_mut()
            .filter(|r| r.cadence == "weekly" && audiences.contains(&r.audience.as_str()))
            .filter(|r| r.duration_minutes > 30)
            .max_by_key(|r| r.duration_minutes)
        else {
            break;
        };
        r.duration_minutes -= 15;
        if let Some(slot) = r.agenda.iter_mut().max_by_key(|s| s.minutes) {
            slot.minutes = slot.minutes.saturating_sub(15);
        }
        changes.push(format!(
            "{} shortened to {} minutes to stay within {cap} h a week",
            r.name, r.duration_minutes
        ));
    }
    changes
}

/// First day after `today` that falls on `weekday`.
pub fn next_weekday(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() as i64
        - today.weekday().num_days_from_monday() as i64)
        % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today
        .checked_add_days(Days::new(ahead as u64))
        .unwrap_or(today)
}

/// First Monday of the month after `today`'s.
pub fn first_monday_next_month(today: NaiveDate) -> NaiveDate {
    first_weekday_next_month(today, Weekday::Mon)
}

/// First `weekday` of the month after `today`'s.
pub fn first_weekday_next_month(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let (y, m) = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() + 1)
    };
    let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(today);
    if first.weekday() == weekday {
        first
    } else {
        next_weekday(first, weekday)
    }
}

/// The Monday on or before `d`.
pub fn monday_on_or_before(d: NaiveDate) -> NaiveDate {
    let back = d.weekday().num_days_from_monday() as u64;
    d.checked_sub_days(Days::new(back)).unwrap_or(d)
}

/// Agenda slots from (item, minutes) pairs.
pub fn slots(items: &[(&str, u32)]) -> Vec<AgendaSlot> {
    items
        .iter()
        .map(|(item, minutes)| AgendaSlot {
            item: item.to_string(),
            minutes: *minutes,
        })
        .collect()
}

/// Dates the rituals start from.
#[derive(Debug, Clone, Copy)]
pub struct Starts {
    /// Today, for monthly rituals on other weekdays.
    pub today: NaiveDate,
    /// The first weekly Monday.
    pub weekly: NaiveDate,
    /// The first monthly Monday.
    pub monthly: NaiveDate,
    /// The first quarterly planning day.
    pub quarterly: NaiveDate,
    /// The first board meeting.
    pub board: NaiveDate,
    /// The first annual planning day.
    pub annual: NaiveDate,
    /// The first Monday of the next quarter.
    pub quarter_kickoff: NaiveDate,
    /// The first Monday of the next year.
    pub year_kickoff: NaiveDate,
}

impl Starts {
    /// The first `weekday` of next month.
    pub fn monthly_on(&self, weekday: Weekday) -> NaiveDate {
        first_weekday_next_month(self.today, weekday)
    }
}

/// The first Monday on or after `d`.
pub fn monday_on_or_after(d: NaiveDate) -> NaiveDate {
    if d.weekday() == Weekday::Mon {
        d
    } else {
        next_weekday(d, Weekday::Mon)
    }
}

/// The leadership team by size, in the order roles are usually added.
pub fn leaders(size: u32) -> Vec<&'static str> {
    const MID: [&str; 7] = [
        "CEO",
        "CTO",
        "Head of Sales",
        "Head of Product",
        "Head of Customer Success",
        "Finance lead",
        "Head of People",
    ];
    const LARGE: [&str; 10] = [
        "CEO",
        "CTO",
        "VP Sales",
        "VP Product",
        "VP Customer Success",
        "CFO",
        "Head of People",
        "VP Marketing",
        "VP Operations",
        "General Counsel",
    ];
    let n = leadership_size(size) as usize;
    match band(size) {
        "small" => ["CEO", "CTO"].into_iter().take(n.min(2)).collect(),
        "mid" => MID.into_iter().take(n).collect(),
        _ => LARGE.into_iter().take(n).collect(),
    }
}

/// "CEO, CTO and Head of Sales".
pub fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A ritual whose length is the sum of its agenda.
#[allow(clippy::too_many_arguments)]
pub fn ritual(
    name: &str,
    cadence: &str,
    when: &str,
    first: NaiveDate,
    owner: &str,
    audience: &str,
    attendees: String,
    agenda: &[(&str, u32)],
) -> Ritual {
    Ritual {
        name: name.to_string(),
        cadence: cadence.to_string(),
        when: when.to_string(),
        first,
        owner: owner.to_string(),
        audience: audience.to_string(),
        attendees,
        duration_minutes: agenda.iter().map(|s| s.1).sum(),
        agenda: slots(agenda),
    }
}
