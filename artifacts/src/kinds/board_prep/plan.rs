//! The board pack's dated parts: the meeting, the period it reviews, the preparation timeline
//! and the agenda's minutes.
//!
//! Decisions where the design is silent:
//! - No meeting date in the prompt: the meeting is assumed [`STANDARD_LEAD_DAYS`] days out, the
//!   lead the standard timeline needs, so its first step is today; the date is marked an estimate.
//! - The standard timeline works back from the meeting: kick-off 14 days before, metrics freeze
//!   10, co-founder review 6, director pre-calls 4, pack sent 3 (72 h). A meeting closer than 14
//!   days compresses the steps before the pack into the days left, and the pack moves to 48 h
//!   (4-5 days out) or 24 h (1-3 days out) when 72 h no longer leaves room to prepare.
//! - The period reviewed: a quarter named in the prompt ("Q4 board deck") is the latest such
//!   quarter that began on or before the meeting; otherwise the previous quarter when the meeting
//!   falls in the first month of a quarter (the usual post-close meeting), else the current
//!   quarter to date.

use chrono::{Datelike, Days, NaiveDate};

use super::{AgendaItem, Period, TimelineStep};
use crate::parse::{Lazy, normalize, re};

/// Days before the meeting at which the standard timeline starts.
pub const STANDARD_LEAD_DAYS: i64 = 14;
/// Meeting length when the prompt gives none, in minutes.
pub const DEFAULT_MEETING_MINUTES: u32 = 120;
/// Days after the meeting by which the minutes go out.
pub const MINUTES_AFTER_DAYS: i64 = 2;
/// Standard days before the meeting on which the pack is sent (72 h).
const PACK_OFFSET: i64 = 3;

/// Days before the meeting the pack goes out, given the days left.
pub fn pack_offset(days_until: i64) -> i64 {
    match days_until {
        d if d >= 6 => PACK_OFFSET,
        4 | 5 => 2,
        1..=3 => 1,
        _ => 0,
    }
}

/// Days before the meeting for a step whose standard offset is `standard`, squeezed linearly
/// between today and the pack date when the meeting is closer than the standard lead.
pub fn prep_offset(standard: i64, days_until: i64) -> i64 {
    let d = days_until.max(0);
    if d >= STANDARD_LEAD_DAYS {
        return standard;
    }
    let p = pack_offset(d);
    let span = (STANDARD_LEAD_DAYS - PACK_OFFSET) as f64;
    p + ((standard - PACK_OFFSET) as f64 * (d - p) as f64 / span).round() as i64
}

/// Who does what before the meeting, by stage.
#[derive(Debug, Clone, Copy)]
pub struct Owners {
    /// Runs the meeting.
    pub ceo: &'static str,
    /// Closes the books and fills the KPI table.
    pub finance: &'static str,
    /// Reviews the draft.
    pub reviewers: &'static str,
}

/// The preparation timeline from today to two days after the meeting.
pub fn timeline(
    meeting: NaiveDate,
    days_until: i64,
    minutes: u32,
    kpi_count: usize,
    books: &str,
    owners: Owners,
) -> Vec<TimelineStep> {
    let pack = pack_offset(days_until);
    let hours = pack * 24;
    let steps: [(&str, i64, String, &str); 7] = [
        (
            "kick-off",
            prep_offset(14, days_until),
            "Agree the agenda, the discussion topic and the asks with the board chair or lead investor".to_string(),
            owners.ceo,
        ),
        (
            "metrics-freeze",
            prep_offset(10, days_until),
            format!("Metrics freeze: {books} and fill actual, plan and prior period for the {kpi_count} KPIs"),
            owners.finance,
        ),
        (
            "draft-review",
            prep_offset(6, days_until),
            "Review the draft pack with co-founders: CEO letter, highlights and lowlights, financials, KPI table, asks".to_string(),
            owners.reviewers,
        ),
        (
            "pre-calls",
            prep_offset(4, days_until),
            "Call each director about the lowlights and any decision you will ask for, so nothing in the pack is a surprise".to_string(),
            owners.ceo,
        ),
        (
            "pack-sent",
            pack,
            if hours > 0 {
                format!("Send the pack {hours} h before the meeting, in the same format as every meeting")
            } else {
                "Share the pack at the start of the meeting and take questions on it first".to_string()
            },
            owners.ceo,
        ),
        ("meeting", 0, format!("Board meeting ({minutes} min)"), owners.ceo),
        (
            "minutes-sent",
            -MINUTES_AFTER_DAYS,
            "Send minutes, decisions with owners, and the asks with a named director and due date".to_string(),
            owners.ceo,
        ),
    ];
    steps
        .into_iter()
        .map(|(id, before, step, owner)| TimelineStep {
            id: id.to_string(),
            date: shift(meeting, -before),
            days_before_meeting: before,
            step,
            owner: owner.to_string(),
        })
        .collect()
}

/// `date` moved by `days` (negative goes back); unchanged at the ends of the calendar.
pub fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    let n = Days::new(days.unsigned_abs());
    let moved = if days >= 0 {
        date.checked_add_days(n)
    } else {
        date.checked_sub_days(n)
    };
    moved.unwrap_or(date)
}

/// First day of quarter `q` of `year`.
pub fn quarter_start(year: i32, q: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 3 * q - 2, 1).unwrap_or(NaiveDate::MIN)
}

/// Last day of quarter `q` of `year`.
pub fn quarter_end(year: i32, q: u32) -> NaiveDate {
    let (y, q) = if q == 4 { (year + 1, 1) } else { (year, q + 1) };
    quarter_start(y, q).pred_opt().unwrap_or(NaiveDate::MAX)
}

/// The quarter (1-4) a date falls in.
pub fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// The quarter after `q` of `year`.
pub fn next_quarter(year: i32, q: u32) -> (i32, u32) {
    if q == 4 { (year + 1, 1) } else { (year, q + 1) }
}

static QUARTER: Lazy = Lazy::new(|| re(r"\bq([1-4])(?:\s*'?(20\d{2}|\d{2}))?\b"));

/// The period the meeting reviews (see the module notes).
pub fn period(prompt: &str, meeting: NaiveDate) -> Period {
    let text = normalize(prompt);
    let named = QUARTER.captures(&text).and_then(|c| {
        let q: u32 = c.get(1)?.as_str().parse().ok()?;
        let year = match c.get(2).and_then(|y| y.as_str().parse::<i32>().ok()) {
            Some(y) if y < 100 => Some(2000 + y),
            other => other,
        };
        Some((q, year))
    });
    let (year, q, source) = match named {
        Some((q, Some(year))) => (year, q, "prompt"),
        Some((q, None)) => {
            let year = if quarter_start(meeting.year(), q) <= meeting {
                meeting.year()
            } else {
                meeting.year() - 1
            };
            (year, q, "prompt")
        }
        None => {
            let q = quarter_of(meeting);
            if (meeting.month() - 1).is_multiple_of(3) {
                if q == 1 {
                    (meeting.year() - 1, 4, "meeting-date")
                } else {
                    (meeting.year(), q - 1, "meeting-date")
                }
            } else {
                (meeting.year(), q, "meeting-date")
            }
        }
    };
    let end = quarter_end(year, q);
    let (ny, nq) = next_quarter(year, q);
    Period {
        label: format!("Q{q} {year}"),
        start: quarter_start(year, q),
        end,
        complete: meeting > end,
        forecast_through: quarter_end(ny, nq),
        source: source.to_string(),
    }
}

static MINUTES: Lazy = Lazy::new(|| re(r"\b(\d{2,3})[\s-]*(?:minutes?|mins?)\b"));
static HOURS: Lazy = Lazy::new(|| {
    re(r"(?:^|[^a-z])(in|within)?\s*\b(\d(?:\.5)?|one|two|three|four)[\s-]*(?:hours?|hrs?|hr)\b")
});

/// Meeting length stated in the prompt ("90-minute board call", "a 3-hour meeting"), 30-480 min.
pub fn stated_minutes(prompt: &str) -> Option<u32> {
    let text = normalize(prompt);
    let from_minutes = MINUTES
        .captures(&text)
        .and_then(|c| c.get(1)?.as_str().parse::<u32>().ok());
    let from_hours = || {
        HOURS.captures_iter(&text).find_map(|c| {
            // "in 3 hours" is when, not how long.
            if c.get(1).is_some() {
                return None;
            }
            let h = match c.get(2)?.as_str() {
                "one" => 1.0,
                "two" => 2.0,
                "three" => 3.0,
                "four" => 4.0,
                n => n.parse::<f64>().ok()?,
            };
            Some((h * 60.0).round() as u32)
        })
    };
    from_minutes
        .or_else(from_hours)
        .filter(|m| (30..=480).contains(m))
}

/// Splits `total` minutes in proportion to `weights`, in 5-minute slots (largest remainder, ties
/// to the earlier item); minutes that do not fill a slot go to the heaviest item.
pub fn allocate(total: u32, weights: &[u32]) -> Vec<u32> {
    let sum: u32 = weights.iter().sum();
    if weights.is_empty() || sum == 0 {
        return vec![0; weights.len()];
    }
    let slots = total / 5;
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| slots as f64 * *w as f64 / sum as f64)
        .collect();
    let mut out: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut left = slots - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let (ra, rb) = (exact[*a] - exact[*a].floor(), exact[*b] - exact[*b].floor());
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    let mut minutes: Vec<u32> = out.iter().map(|s| s * 5).collect();
    let heaviest = (0..weights.len())
        .max_by(|a, b| weights[*a].cmp(&weights[*b]).then(b.cmp(a)))
        .unwrap_or(0);
    minutes[heaviest] += total % 5;
    minutes
}

/// Builds the agenda items from (item, owner, weight, contents) rows, with minutes summing to
/// `total`.
pub fn agenda(total: u32, rows: Vec<(String, String, u32, Vec<String>)>) -> Vec<AgendaItem> {
    let weights: Vec<u32> = rows.iter().map(|r| r.2).collect();
    let minutes = allocate(total, &weights);
    rows.into_iter()
        .zip(minutes)
        .map(|((item, owner, _, contents), minutes)| AgendaItem {
            item,
            owner,
            minutes,
            contents,
        })
        .collect()
}
