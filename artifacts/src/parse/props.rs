//! Property tests: notations round-trip, relative dates match chrono, nothing panics.

use chrono::{Days, Months, NaiveDate};
use proptest::prelude::*;

use super::dates::find_date;
use super::extract_params;
use super::money::extract_money;
use super::words::number_word;

/// `n` with thousands separators, as founders type it.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0u64..20_000).prop_map(|d| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(d))
}

const WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

proptest! {
    #[test]
    fn whole_amounts_round_trip(n in 1u64..1_000_000_000, notation in 0usize..6) {
        let text = match notation {
            0 => format!("reach ${n}"),
            1 => format!("reach ${}", grouped(n)),
            2 => format!("reach {} dollars", grouped(n)),
            3 => format!("reach {n} MRR"),
            4 => format!("reach ${}/mo", grouped(n)),
            _ => format!("reach €{n} per month"),
        };
        prop_assert_eq!(extract_money(&text).target_mrr, Some(n as f64), "{}", text);
    }

    #[test]
    fn thousands_and_millions_round_trip(k in 1u64..100_000, notation in 0usize..5) {
        let (text, want) = match notation {
            0 => (format!("get to ${k}k"), k as f64 * 1e3),
            1 => (format!("get to {k}K MRR"), k as f64 * 1e3),
            2 => (format!("get to {k} grand"), k as f64 * 1e3),
            3 => (format!("get to ${}.{}M", k / 10, k % 10), k as f64 * 1e5),
            _ => (format!("get to {}.{} million", k / 10, k % 10), k as f64 * 1e5),
        };
        let got = extract_money(&text).target_mrr.unwrap();
        prop_assert!((got - want).abs() < 1e-6, "{} -> {}", text, got);
    }

    #[test]
    fn arr_is_twelve_months_of_mrr(n in 1u64..10_000_000_000, current in any::<bool>()) {
        let text = if current {
            format!("we're at ${} ARR", grouped(n))
        } else {
            format!("hit ${} ARR", grouped(n))
        };
        let f = extract_money(&text);
        let got = if current { f.current_mrr } else { f.target_mrr };
        prop_assert!((got.unwrap() - n as f64 / 12.0).abs() < 1e-6);
    }

    #[test]
    fn from_to_pairs(a in 1u64..1_000_000, b in 1u64..1_000_000) {
        let f = extract_money(&format!("grow from ${a} to ${b} MRR"));
        prop_assert_eq!((f.current_mrr, f.target_mrr), (Some(a as f64), Some(b as f64)));
    }

    #[test]
    fn in_n_months_matches_chrono(today in any_day(), n in 1u32..=240, word in any::<bool>()) {
        let n_text = if word && (n as usize) < WORDS.len() { WORDS[n as usize].to_string() } else { n.to_string() };
        let unit = if n == 1 { "month" } else { "months" };
        let got = find_date(&format!("ship it in {n_text} {unit}"), today);
        prop_assert_eq!(got, today.checked_add_months(Months::new(n)));
    }

    #[test]
    fn in_n_days_and_weeks_match_chrono(today in any_day(), n in 1u64..=400, weeks in any::<bool>()) {
        let (text, days) = if weeks {
            (format!("within {n} weeks"), n * 7)
        } else {
            (format!("in the next {n} days"), n)
        };
        prop_assert_eq!(find_date(&text, today), today.checked_add_days(Days::new(days)));
    }

    #[test]
    fn month_day_is_on_or_after_today(today in any_day(), m in 1u32..=12, d in 1u32..=28) {
        let name = ["january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december"][m as usize - 1];
        let got = find_date(&format!("due on {name} {d}"), today).unwrap();
        prop_assert!(got >= today && got < today + Days::new(366));
        prop_assert_eq!((got.format("%m").to_string(), got.format("%d").to_string()),
            (format!("{m:02}"), format!("{d:02}")));
    }

    #[test]
    fn number_words_below_twenty_one(n in 0usize..21) {
        prop_assert_eq!(number_word(WORDS[n]), Some(n as u32));
    }

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>(), today in any_day()) {
        let p = extract_params(&s, today);
        prop_assert!(p.rates.iter().all(|r| r.is_finite()));
        prop_assert!(p.target_mrr.is_none_or(f64::is_finite));
    }

    #[test]
    fn token_soup_never_panics(
        tokens in prop::collection::vec(prop::sample::select(vec![
            "$", "€", "9", "99999999999999999999", "1.2", ",000", "k", "m", "grand", "mrr", "arr",
            "/mo", "a month", "from", "to", "by", "in", "q4", "2027", "'27", "june", "dec", "the",
            "9th", "of", "next", "friday's", "end", "year", "weeks", "months", "days", "%", "nps",
            "team", "of", "engineers", "-", "1 in", "x", "double", "since", "responses", "→", " ",
        ]), 0..40),
        today in any_day(),
    ) {
        let text = tokens.join(" ");
        let p = extract_params(&text, today);
        prop_assert!(p.rates.iter().chain(p.nps.iter()).all(|r| r.is_finite()));
        prop_assert!(p.current_mrr.is_none_or(|v| v.is_finite() && v >= 0.0));
        prop_assert!(p.target_mrr.is_none_or(|v| v.is_finite() && v >= 0.0));
    }
}
