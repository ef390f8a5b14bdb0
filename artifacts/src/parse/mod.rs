//! Prompt parameter extraction: money, dates and plain numbers (DESIGN section 4).
//!
//! Every rule runs on [`normalize`]d text: ASCII only and lower case, so the regexes stay small,
//! their lazy DFAs never fall back to the slow engines on non-ASCII input, and byte offsets are
//! always char boundaries.

pub mod dates;
pub mod money;
pub mod numbers;
pub mod words;

mod calendar;
mod cues;

#[cfg(test)]
mod dates_tests;
#[cfg(test)]
mod money_tests;
#[cfg(test)]
mod numbers_tests;
#[cfg(test)]
mod props;

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::model::Params;

/// Extracts every parameter the prompt states, relative to `today`.
pub fn extract_params(prompt: &str, today: NaiveDate) -> Params {
    let text = normalize(prompt);
    let money = money::scan(&text);
    let date = dates::scan(&text, today);
    let meeting = dates::scan_meeting(&text);
    Params {
        target_mrr: money.target_mrr,
        current_mrr: money.current_mrr,
        target_multiple: money.target_multiple,
        // One date per prompt: a board pack is due at the meeting, so it never doubles as a deadline.
        deadline: date.filter(|_| !meeting),
        meeting_date: date.filter(|_| meeting),
        team_size: numbers::scan_team_size(&text),
        nps: numbers::scan_nps(&text),
        sample_size: numbers::scan_sample_size(&text),
        rates: numbers::scan_rates(&text),
    }
}

/// Lower-cases to ASCII; currency signs, arrows and typographic punctuation become their ASCII
/// spellings and any other non-ASCII char a space.
pub fn normalize(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len() + 8);
    for c in prompt.chars() {
        match c {
            '\t' | '\n' => out.push(c),
            c if c.is_ascii_control() => out.push(' '),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '€' => out.push_str(" eur "),
            '£' => out.push_str(" gbp "),
            '\u{2018}' | '\u{2019}' | '\u{2032}' | '\u{02bc}' => out.push('\''),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{2192}' | '\u{21d2}' | '\u{27f6}' => out.push_str(" -> "),
            '\u{00d7}' => out.push('x'),
            _ => out.push(' '),
        }
    }
    out
}

/// Compiles a pattern once; the patterns are constants, so failure is a programming error.
pub(crate) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad built-in regex {pattern}: {e}"))
}

/// A lazily compiled regex, shared by every call.
pub(crate) type Lazy = LazyLock<Regex>;

#[cfg(test)]
mod tests {
    use super::*;

    const PROMPTS: &str = include_str!("../../../../shared/data/prompts.jsonl");

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn money_eq(got: Option<f64>, want: &serde_json::Value) -> bool {
        match (got, want.as_f64()) {
            (Some(g), Some(w)) => (g - w).abs() < 1e-6,
            _ => false,
        }
    }

    #[test]
    fn every_labelled_prompt_extracts_its_expectations() {
        let mut rows = 0;
        for line in PROMPTS.lines().filter(|l| !l.trim().is_empty()) {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let prompt = row["prompt"].as_str().unwrap();
            let p = extract_params(prompt, today());
            let empty = serde_json::Map::new();
            let expect = row["expect"].as_object().unwrap_or(&empty);
            for (key, want) in expect {
                let ok = match key.as_str() {
                    "target_mrr" => money_eq(p.target_mrr, want),
                    "current_mrr" => money_eq(p.current_mrr, want),
                    "deadline" => p.deadline.map(|d| d.to_string()).as_deref() == want.as_str(),
                    "meeting_date" => {
                        p.meeting_date.map(|d| d.to_string()).as_deref() == want.as_str()
                    }
                    other => panic!("unknown expect key {other}"),
                };
                assert!(ok, "{prompt}: {key} want {want}, got {p:?}");
            }
            // The labels list every money amount and date a prompt states, so anything more is a
            // false positive (e.g. "last month" or "since" read as a deadline).
            for key in ["target_mrr", "current_mrr", "deadline", "meeting_date"] {
                if !expect.contains_key(key) {
                    let set = match key {
                        "target_mrr" => p.target_mrr.is_some(),
                        "current_mrr" => p.current_mrr.is_some(),
                        "deadline" => p.deadline.is_some(),
                        _ => p.meeting_date.is_some(),
                    };
                    assert!(!set, "{prompt}: unexpected {key} in {p:?}");
                }
            }
            rows += 1;
        }
        assert_eq!(rows, 40);
    }

    #[test]
    fn labelled_prompts_state_these_numbers() {
        let p = |s: &str| extract_params(s, today());
        assert_eq!(
            p("Our engineering team of 6 keeps missing sprint goals").team_size,
            Some(6)
        );
        assert_eq!(
            p("Create OKRs and a meeting rhythm for our 12 person startup").team_size,
            Some(12)
        );
        assert_eq!(
            p("Our NPS fell to 21, what are people complaining about?").nps,
            Some(21.0)
        );
        assert_eq!(p("Only 1 in 5 trial users finishes setup").rates, vec![0.2]);
        assert_eq!(
            p("Activation went from 40% to 25% since the new onboarding shipped").rates,
            vec![0.4, 0.25]
        );
        let churn = p("Our monthly logo churn is 7% and I want it under 3% by Q2");
        assert_eq!(churn.rates, vec![0.07, 0.03]);
        assert_eq!(churn.target_mrr, None);
        let doubling = p("Is doubling MRR in 6 months realistic for us?");
        assert_eq!(doubling.target_multiple, Some(2.0));
    }

    #[test]
    fn meeting_prompts_fill_meeting_date_not_deadline() {
        let p = extract_params("Board meeting on Dec 10, we need $40k MRR", today());
        assert_eq!(p.meeting_date, NaiveDate::from_ymd_opt(2026, 12, 10));
        assert_eq!(p.deadline, None);
        let p = extract_params("investor update due next week", today());
        assert_eq!(p.meeting_date, NaiveDate::from_ymd_opt(2026, 12, 3));
    }

    #[test]
    fn normalize_keeps_ascii_and_maps_symbols() {
        assert_eq!(normalize("€5K → £7K"), " eur 5k  ->   gbp 7k");
        assert_eq!(normalize("We\u{2019}re at 2×"), "we're at 2x");
        assert!(normalize("héllo 日本 🎉").is_ascii());
    }

    #[test]
    fn a_typical_prompt_is_fast() {
        // Loose in debug builds; the release benchmark holds the real budget.
        let prompt = "Build me a tracker for our ARR target of $3M by end of next year, currently at $900k ARR";
        let _ = extract_params(prompt, today());
        let start = std::time::Instant::now();
        for _ in 0..100 {
            std::hint::black_box(extract_params(std::hint::black_box(prompt), today()));
        }
        let per_call = start.elapsed() / 100;
        assert!(
            per_call < std::time::Duration::from_millis(2),
            "{per_call:?}"
        );
    }

    #[test]
    fn huge_inputs_do_not_panic_or_stall() {
        let big = "by june $99999999999999999999999k team of 99999999999 NPS 1e999 ".repeat(16_000);
        let start = std::time::Instant::now();
        let p = extract_params(&big, today());
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(p.target_mrr, None);
        assert!(p.rates.iter().all(|r| r.is_finite()));
        let unicode = "ß€£→×\u{0}\u{ffff}𝔘".repeat(50_000);
        let _ = extract_params(&unicode, today());
    }
}
