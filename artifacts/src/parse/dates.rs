//! Date phrases in prompts (DESIGN section 4): the first forward-looking date a prompt states.
//!
//! Each rule is one regex plus a function from its captures to a date. The earliest mention in
//! the text wins (the longer one on a tie), so "by June 2027" is read whole rather than as
//! "by June". Past references are skipped: anything right after "since", "last", "past",
//! "previous", "prior", "every" or "each"; "in October" in a past-tense clause ("we had 45 calls
//! in October"); and any date before today.
//!
//! Decisions where the design is silent:
//! - "next month/quarter/year" and "this quarter" mean the last day of that period; "this month"
//!   and "this year" alone are not dates ("users who signed up this year").
//! - "end of (this) week"/"EOW" is the coming Friday (today if it is Friday); "end of next week"
//!   the Friday after.
//! - "by 2027"/"in 2027" is Dec 31 2027, "by mid-2027" Jun 30 2027; seasons end with May (spring),
//!   Aug (summer), Nov (fall) and Feb (winter), northern hemisphere.
//! - "in the next month" is today + 1 month (a span), "next month" its last day (a period).
//! - A bare "Q4", "June" or "summer" needs a preposition ("by", "in", "until", "end of", ...) or a
//!   year to be a date, because "the Q4 board deck" names a period.
//! - "today" is a date only next to a meeting word ("board call today"): "$12k MRR today" and
//!   "Today we're at..." describe the present.
//! - "on the 12th" is the next 12th on or after today.
//! - Slash dates like "12/10" are ignored (US or EU order would be a guess); ISO dates are read.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use regex::Captures;

use super::calendar::{self, month_end, quarter_end};
use super::cues::{clause_before, listed, words_before};
use super::words::{NUM_WORDS, count, number_word, numeral};
use super::{Lazy, normalize, re};

/// The first date the prompt states, relative to `today`.
pub fn find_date(prompt: &str, today: NaiveDate) -> Option<NaiveDate> {
    scan(&normalize(prompt), today)
}

/// Whether the prompt is about a meeting, so its date is the meeting date rather than a deadline.
pub fn mentions_meeting(prompt: &str) -> bool {
    scan_meeting(&normalize(prompt))
}

/// A board, a single meeting or an investor update; "meetings" (plural) is a cadence, not a date.
static MEETING: Lazy = Lazy::new(|| {
    re(
        r"\b(?:board|bod|meeting|mtg|investor\s+updates?|investors?\s+(?:call|meeting)|call\s+with\s+(?:the\s+|our\s+)?(?:board|investors))\b",
    )
});

/// [`mentions_meeting`] on [`normalize`]d text.
pub(crate) fn scan_meeting(text: &str) -> bool {
    MEETING.is_match(text)
}

/// Spans of time: "in 9 months", "within two years", "the next 90 days", "in a couple of weeks".
const UNIT: &str = r"(?P<u>days?|weeks?|wks?|fortnights?|months?|mos|mo|mths?|mnths?|monhts?|quarters?|qtrs?|years?|yrs?|yaers?)";

static RELATIVE: Lazy = Lazy::new(|| {
    re(&format!(
        r"\b(?:(?:in|within|over|inside|during)\s+(?:the\s+)?(?:next\s+|coming\s+|following\s+)?|(?:the\s+)?(?:next|coming|following)\s+)(?P<n>\d+(?:\.\d+)?|{NUM_WORDS})[\s-]*{UNIT}\b(?P<half>\s+and\s+a\s+half\b)?"
    ))
});

static FROM_NOW: Lazy = Lazy::new(|| {
    re(&format!(
        r"\b(?P<n>\d+(?:\.\d+)?|{NUM_WORDS})[\s-]*{UNIT}\s+(?:from\s+(?:now|today)|out)\b"
    ))
});

/// "in the next month": a single unit without a number.
static NEXT_UNIT: Lazy = Lazy::new(|| {
    re(
        r"\b(?:in|within|over|during)\s+(?:the\s+)?(?:next|coming)\s+(?P<u>day|week|fortnight|month|quarter|year)\b",
    )
});

static TOMORROW: Lazy = Lazy::new(|| {
    re(r"\b(?P<after>(?:the\s+)?day\s+after\s+)?(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr)\b")
});

/// "board call today", "today's meeting": "today" next to a meeting word; elsewhere it describes
/// the present ("Today we're at $12k").
static TODAY: Lazy = Lazy::new(|| {
    re(r"(?x)\b(?:
        (?:board|meeting|call|mtg|update) \s+ (?:[a-z]+\s+){0,2}? (?:today|tonight)
       |(?:today|tonight)(?:'s)? \s+ (?:[a-z]+\s+){0,2}? (?:board|meeting|call|mtg)
    )\b")
});

static NEXT_WEEK: Lazy = Lazy::new(|| re(r"\bnext\s+week\b"));

static WEEK_END: Lazy = Lazy::new(|| {
    re(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?P<next>next\s+)?week|eow)\b")
});

static WEEKDAY: Lazy = Lazy::new(|| {
    re(
        r"\b(?:(?P<prep>next|this|coming|on|by|until|till|before)\s+)?(?P<wd>monday|tuesday|wednesday|wednsday|wensday|thursday|thurday|friday|firday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)(?P<s>'s|s)?\b",
    )
});

type Rule = fn(&Captures, NaiveDate, bool) -> Option<NaiveDate>;

/// Every rule with its regex; the order only matters for ties at the same position.
static RULES: [(&Lazy, Rule); 16] = [
    (&RELATIVE, relative),
    (&FROM_NOW, relative),
    (&NEXT_UNIT, relative),
    (&TOMORROW, tomorrow),
    (&TODAY, |_, today, meeting| meeting.then_some(today)),
    (&NEXT_WEEK, |_, today, _| {
        today.checked_add_days(Days::new(7))
    }),
    (&WEEK_END, week_end),
    (&WEEKDAY, weekday),
    (&calendar::MONTH, calendar::month),
    (&calendar::QUARTER, calendar::quarter),
    (&calendar::PERIOD_END, calendar::period_end),
    (&calendar::YEAR, calendar::year),
    (&calendar::ISO, calendar::iso),
    (&calendar::NEXT_PERIOD, calendar::period_end),
    (&calendar::ORDINAL_DAY, calendar::ordinal_day),
    (&calendar::SEASON, calendar::season),
];

/// Words that turn the date after them into a past or recurring reference.
const NOT_A_DEADLINE: &str = "\
    since last past previous prior every each ago earlier";

/// [`find_date`] on [`normalize`]d text.
pub(crate) fn scan(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let meeting = scan_meeting(text);
    // (start, end, date) of the earliest mention so far.
    let mut best: Option<(usize, usize, NaiveDate)> = None;
    for (regex, rule) in &RULES {
        for caps in regex.captures_iter(text) {
            let Some(m) = caps.get(0) else { continue };
            if best.is_some_and(|(start, _, _)| m.start() > start) {
                break;
            }
            let past = words_before(&text[..m.start()], 2)
                .iter()
                .any(|w| listed(NOT_A_DEADLINE, w))
                || told_in_past_tense(text, m.start(), m.as_str());
            let Some(date) = rule(&caps, today, meeting).filter(|d| !past && *d >= today) else {
                continue;
            };
            let better =
                best.is_none_or(|(s, e, _)| m.start() < s || (m.start() == s && m.end() > e));
            if better {
                best = Some((m.start(), m.end(), date));
            }
            break;
        }
    }
    best.map(|(_, _, date)| date)
}

/// "We had 45 calls in October", "MRR was $8k in January": a named period after "in" or
/// "during" in a past-tense clause is history. Spans ("in 3 months") and "by" dates never are.
fn told_in_past_tense(text: &str, start: usize, mention: &str) -> bool {
    let calendar_in = (mention.starts_with("in ") || mention.starts_with("during "))
        && !RELATIVE.is_match(mention);
    calendar_in
        && words_before(clause_before(text, 0, start), 6)
            .iter()
            .any(|w| {
                matches!(
                    *w,
                    "was" | "were" | "had" | "did" | "got" | "grew" | "dropped"
                )
            })
}

/// Adds a span to today: months stay on the same day (clamped to the month's end), weeks are days.
fn relative(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let n = match caps.name("n") {
        Some(n) if n.as_str().starts_with(|c: char| c.is_ascii_digit()) => numeral(n.as_str())?,
        Some(n) => f64::from(number_word(n.as_str())?),
        None => 1.0,
    };
    let n = n + if caps.name("half").is_some() {
        0.5
    } else {
        0.0
    };
    let unit = caps.name("u")?.as_str();
    let (per, in_months) = match unit.as_bytes()[0] {
        b'd' => (1.0, false),
        b'w' => (7.0, false),
        b'f' => (14.0, false),
        b'q' => (3.0, true),
        b'y' => (12.0, true),
        _ => (1.0, true),
    };
    let total = (n * per).round();
    // A century ahead is no plan; the cap also keeps chrono far from its range limits.
    if in_months && total <= 1200.0 {
        today.checked_add_months(Months::new(total as u32))
    } else if !in_months && total <= 36_500.0 {
        today.checked_add_days(Days::new(total as u64))
    } else {
        None
    }
}

fn tomorrow(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let days = if caps.name("after").is_some() { 2 } else { 1 };
    today.checked_add_days(Days::new(days))
}

fn week_end(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let friday = next_weekday(today, Weekday::Fri, true)?;
    match caps.name("next") {
        Some(_) => friday.checked_add_days(Days::new(7)),
        None => Some(friday),
    }
}

fn weekday(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let name = caps.name("wd")?.as_str();
    // "on Mondays" is a routine; abbreviations like "sat" or "sun" are words too unless anchored.
    if caps.name("s").is_some_and(|s| s.as_str() == "s")
        || (name.len() <= 5 && !name.ends_with("day") && caps.name("prep").is_none())
    {
        return None;
    }
    let wd = match &name[..2] {
        "mo" => Weekday::Mon,
        "tu" => Weekday::Tue,
        "we" => Weekday::Wed,
        "th" => Weekday::Thu,
        "fr" | "fi" => Weekday::Fri,
        "sa" => Weekday::Sat,
        _ => Weekday::Sun,
    };
    next_weekday(today, wd, false)
}

/// The first `wd` after today (or on today when `inclusive`).
pub(crate) fn next_weekday(today: NaiveDate, wd: Weekday, inclusive: bool) -> Option<NaiveDate> {
    let ahead = (7 + wd.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 && !inclusive { 7 } else { ahead };
    today.checked_add_days(Days::new(u64::from(ahead)))
}

/// Last day of the quarter `q` (1..=4) that ends on or after `today`'s year, strictly after today.
pub(crate) fn next_quarter_end(today: NaiveDate, q: u32) -> Option<NaiveDate> {
    let this = quarter_end(today.year(), q)?;
    if this > today {
        Some(this)
    } else {
        quarter_end(today.year() + 1, q)
    }
}

/// Last day of month `m` strictly after today: "by November" on Nov 26 is Nov 30.
pub(crate) fn next_month_end(today: NaiveDate, m: u32) -> Option<NaiveDate> {
    let this = month_end(today.year(), m)?;
    if this > today {
        Some(this)
    } else {
        month_end(today.year() + 1, m)
    }
}

/// Parses a day-of-month capture such as "15" (suffixes are outside the capture).
pub(crate) fn day_number(s: &str) -> Option<u32> {
    count(s).filter(|d| (1..=31).contains(d))
}
