//! Calendar date rules: month names, quarters, period ends, years and ISO dates.

use chrono::{Datelike, Months, NaiveDate};
use regex::Captures;

use super::dates::{day_number, next_month_end, next_quarter_end};
use super::{Lazy, re};

/// Month names with common misspellings; longest first so "sept" is not read as "sep".
const MONTHS: &str = r"(?P<m>january|janurary|januray|jan|february|febuary|feburary|feb|march|mar|april|apirl|apr|may|june|jun|july|jul|august|agust|aug|september|septmber|setpember|sept|sep|october|ocotber|oct|november|novmber|novemeber|nov|december|decmber|decemeber|dec)";

/// "by June", "June 2027", "January 15", "Dec 10, 2027", "the 9th of December", "jun '27".
pub(crate) static MONTH: Lazy = Lazy::new(|| {
    re(&format!(
        r"(?x)\b
        (?: (?P<prep> by|before|until|till|til|in|on|for|during|through|thru|around|(?:the\s+)?end\s+of )
            \s+ (?:the\s+)? (?:end\s+of\s+)? )?
        (?: (?P<d1>\d{{1,2}}) (?:st|nd|rd|th)? \s+ (?:of\s+)? )?
        {MONTHS} \b \.?
        (?: \s+ (?:the\s+)? (?P<d2>\d{{1,2}}) (?:st|nd|rd|th)? \b )?
        (?: ,? \s* (?:of\s+)? (?P<y>20\d\d) \b | \s* ' (?P<yy>\d\d) \b )?"
    ))
});

/// "by Q2", "Q3 2027", "in the third quarter", "by H2"; a bare "Q4" needs a preposition or year.
pub(crate) static QUARTER: Lazy = Lazy::new(|| {
    re(r"(?x)\b
        (?: (?P<prep> by|before|until|till|til|in|during|through|(?:the\s+)?end\s+of ) \s+ (?:the\s+)? (?:end\s+of\s+)? )?
        (?: q (?P<q>[1-4]) | h (?P<h>[12]) | (?P<qw>first|second|third|fourth|1st|2nd|3rd|4th) \s+ (?:quarter|qtr|quater) )
        (?: \s* (?:of\s+|,\s*)? (?: (?P<y>20\d\d) | ' (?P<yy>\d\d) | fy\s?(?P<fy>\d\d) ) )? \b")
});

/// "end of year", "EOY", "end of next month", "EOQ", "year-end".
pub(crate) static PERIOD_END: Lazy = Lazy::new(|| {
    re(r"(?x)\b(?:
        (?:the\s+)? end \s+ of \s+ (?:the\s+|this\s+|current\s+)? (?P<next>next\s+)? (?P<u>y(?:ea|ae)r|month|quarter|qtr|quater)
       |(?P<eo> eoy|eom|eoq )
       |(?P<u2> year|month|quarter ) [\s-]? end
    )\b")
});

/// "next month", "next quarter", "next year", "this quarter".
pub(crate) static NEXT_PERIOD: Lazy = Lazy::new(|| {
    re(
        r"\b(?:(?P<next>next)|(?P<this>this|current))\s+(?P<u>month|quarter|qtr|quater|y(?:ea|ae)r)\b",
    )
});

/// "on the 12th": a day of an unnamed month (a named month is [`MONTH`]'s job).
pub(crate) static ORDINAL_DAY: Lazy = Lazy::new(|| {
    re(&format!(
        r"\b(?:on|by|before|until|till|for)\s+the\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)\b(?:\s+(?:of\s+)?{MONTHS}\b)?"
    ))
});

/// "by summer", "next spring", "fall 2027" (northern hemisphere: a season ends with May, Aug,
/// Nov or Feb).
pub(crate) static SEASON: Lazy = Lazy::new(|| {
    re(r"(?x)\b
        (?: (?P<prep> by|before|until|till|in|during|through|(?:the\s+)?end\s+of|next|this ) \s+ (?:the\s+)? (?:end\s+of\s+)? )?
        (?P<s> spring|summer|fall|autumn|winter ) \b
        (?: \s* (?:of\s+)? (?P<y>20\d\d) \b )?")
});

/// "by 2027", "end of 2028", "by mid-2027".
pub(crate) static YEAR: Lazy = Lazy::new(|| {
    re(
        r"\b(?:by|before|until|till|in|during|through|(?:the\s+)?end\s+of)\s+(?P<mid>mid[\s-]?)?(?P<y>20\d\d)\b(?P<iso>[-/.]\d)?",
    )
});

/// "2027-01-15", "2027/01/15".
pub(crate) static ISO: Lazy =
    Lazy::new(|| re(r"\b(?P<y>20\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"));

/// Last day of a month.
pub(crate) fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

/// Last day of quarter `q` (1..=4).
pub(crate) fn quarter_end(year: i32, q: u32) -> Option<NaiveDate> {
    month_end(year, q * 3)
}

fn month_number(name: &str) -> Option<u32> {
    let m = match name.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" | "api" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" | "agu" => 8,
        "sep" | "set" => 9,
        "oct" | "oco" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn year_of(caps: &Captures) -> Option<Option<i32>> {
    if let Some(y) = caps.name("y") {
        return Some(Some(y.as_str().parse().ok()?));
    }
    match caps.name("yy").or(caps.name("fy")) {
        Some(yy) => Some(Some(2000 + yy.as_str().parse::<i32>().ok()?)),
        None => Some(None),
    }
}

/// Month names: with a day the next such date on or after today, with a year that month's end,
/// alone (after a preposition) the next such month end after today.
pub(crate) fn month(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let m = month_number(caps.name("m")?.as_str())?;
    let year = year_of(caps)?;
    let day = match caps.name("d1").or(caps.name("d2")) {
        Some(d) => Some(day_number(d.as_str())?),
        None => None,
    };
    match (day, year) {
        (Some(d), Some(y)) => NaiveDate::from_ymd_opt(y, m, d),
        // Feb 29 may be years away; eight years always contain a leap year.
        (Some(d), None) => (today.year()..today.year() + 9)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
            .find(|date| *date >= today),
        (None, Some(y)) => month_end(y, m),
        (None, None) if caps.name("prep").is_some() => next_month_end(today, m),
        (None, None) => None,
    }
}

/// Quarters and halves: with a year that period's last day, else the next such end after today.
pub(crate) fn quarter(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let year = year_of(caps)?;
    if year.is_none() && caps.name("prep").is_none() {
        return None;
    }
    let q = if let Some(q) = caps.name("q") {
        q.as_str().parse().ok()?
    } else if let Some(h) = caps.name("h") {
        if h.as_str() == "1" { 2 } else { 4 }
    } else {
        match caps.name("qw")?.as_str() {
            "first" | "1st" => 1,
            "second" | "2nd" => 2,
            "third" | "3rd" => 3,
            _ => 4,
        }
    };
    match year {
        Some(y) => quarter_end(y, q),
        None => next_quarter_end(today, q),
    }
}

/// End of this or next month, quarter or year; "this month" and "this year" alone are left out
/// because they usually describe the past ("users who signed up this year").
pub(crate) fn period_end(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let unit = caps
        .name("u")
        .or(caps.name("u2"))
        .map(|u| u.as_str().as_bytes()[0])
        .or_else(|| caps.name("eo").map(|e| e.as_str().as_bytes()[2]))?;
    let unit = match unit {
        b'y' => 12,
        b'm' => 1,
        _ => 3,
    };
    if caps.name("this").is_some() && unit != 3 {
        return None;
    }
    let ahead = if caps.name("next").is_some() { unit } else { 0 };
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1)?;
    // Months since January at the period's first month, then its last day.
    let first = (today.month0() / unit) * unit + ahead;
    let first = start.checked_add_months(Months::new(first))?;
    month_end(first.year(), first.month() + unit - 1)
}

/// The next date on or after today with that day of the month (skipping months too short).
pub(crate) fn ordinal_day(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    if caps.name("m").is_some() {
        return None;
    }
    let d = day_number(caps.name("d")?.as_str())?;
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?;
    (0..3)
        .filter_map(|i| first.checked_add_months(Months::new(i))?.with_day(d))
        .find(|date| *date >= today)
}

/// The last day of the season's last month: with a year that one (winter 2027 ends Feb 2028),
/// else the next such end after today.
pub(crate) fn season(caps: &Captures, today: NaiveDate, _: bool) -> Option<NaiveDate> {
    let year = year_of(caps)?;
    if year.is_none() && caps.name("prep").is_none() {
        return None;
    }
    let (last_month, wraps) = match caps.name("s")?.as_str() {
        "spring" => (5, false),
        "summer" => (8, false),
        "winter" => (2, true),
        _ => (11, false),
    };
    match year {
        Some(y) => month_end(if wraps { y + 1 } else { y }, last_month),
        None => next_month_end(today, last_month),
    }
}

/// "by 2027": the last day of that year; "by mid-2027" the last day of its June.
pub(crate) fn year(caps: &Captures, _: NaiveDate, _: bool) -> Option<NaiveDate> {
    if caps.name("iso").is_some() {
        return None;
    }
    let month = if caps.name("mid").is_some() { 6 } else { 12 };
    month_end(caps.name("y")?.as_str().parse().ok()?, month)
}

/// An ISO date as written.
pub(crate) fn iso(caps: &Captures, _: NaiveDate, _: bool) -> Option<NaiveDate> {
    let part = |n: &str| caps.name(n).and_then(|m| m.as_str().parse().ok());
    NaiveDate::from_ymd_opt(part("y")? as i32, part("m")?, part("d")?)
}
