//! Reading rates out of a prompt: where each percentage sits, which metric it belongs to, and
//! whether it says where a metric was, where it is, or where it should go.
//!
//! Shared by `retention_analysis` and `activation_funnel`; both pass their own metric keywords.
//! All positions are byte offsets into text from [`crate::parse::normalize`], which is ASCII.

use crate::parse::words::{EXACT_WORDS, count, numeral};
use crate::parse::{Lazy, re};

/// "7%", "40 percent", "1 in 5", "3 out of 10" (but not "5 in 9 months", a count over time).
static RATE: Lazy = Lazy::new(|| {
    re(&format!(
        r"(?x)\b(?:
        (?P<p> \d+(?:\.\d+)? ) \s? (?: % | percent\b | per\s+cent\b | pct\b )
       |(?P<a> \d+|{EXACT_WORDS} ) \s+ (?:in|out\s+of) \s+ (?P<b> \d+|{EXACT_WORDS} ) \b
            (?P<unit> \s+ (?:days?|weeks?|months?|years?|quarters?|hours?|minutes?)\b )?
    )"
    ))
});

/// What a rate says about its metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Where the metric was before a change ("from 40%" in "went from 40% to 25%").
    Previous,
    /// Where the metric is now.
    Current,
    /// Where the founder wants it.
    Target,
}

/// A rate in the prompt with the metric it belongs to and its role.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reading<M> {
    /// The metric, when a keyword names it (or the previous rate of the clause did).
    pub metric: Option<M>,
    /// The rate as a fraction.
    pub value: f64,
    /// Previous, current or target.
    pub role: Role,
    /// The clause the rate sits in, for cues such as "annual".
    pub clause: String,
}

/// Past-tense verbs that make two rates a history ("went from 40% to 25%").
const CHANGE: &str = "went dropped fell fallen rose risen increased decreased declined grew grown \
    climbed jumped slipped sank tanked crashed plummeted improved worsened moved changed spiked \
    doubled halved since";
/// Words that make a rate a goal ("I want it under 3%", "reduce churn to 3%").
const GOAL: &str = "under below above less most least target targets targeting goal aim aiming \
    want wants need needs should get bring reduce cut lower improve raise increase boost lift \
    push reach hit keep maintain";
/// Comparison words that describe the present when a linking verb comes with them.
const COMPARE: &str = "under below above less most least";
/// Linking verbs that describe the present ("churn is above 5%").
const IS: &str = "is are was were stays sits remains it's";

/// Every rate of `text` (normalized), read against the metric `keywords`.
pub(crate) fn read<M: Copy>(text: &str, keywords: &[(&str, M)]) -> Vec<Reading<M>> {
    let found = find(text, keywords);
    let mut out: Vec<Reading<M>> = Vec::new();
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for caps in RATE.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let value = if let Some(p) = caps.name("p") {
            numeral(p.as_str()).map(|v| v / 100.0)
        } else if caps.name("unit").is_some() {
            None
        } else {
            match (
                caps.name("a").and_then(|a| count(a.as_str())),
                caps.name("b").and_then(|b| count(b.as_str())),
            ) {
                (Some(a), Some(b)) if b > 0 && a <= b => Some(f64::from(a) / f64::from(b)),
                _ => None,
            }
        };
        let Some(value) = value.filter(|v| v.is_finite() && *v <= 100.0) else {
            continue;
        };
        let (start, end) = (whole.start(), whole.end());
        let clause_start = clause_start(text, start);
        let clause_end = clause_end(text, end);
        let prev = spans.last().copied();
        let same_clause = prev.is_some_and(|(_, _, cs)| cs == clause_start);
        let floor = match prev {
            Some((_, pe, _)) if same_clause => pe,
            _ => clause_start,
        };
        let before = &text[floor..start];
        let next_start = RATE.find_at(text, end).map_or(text.len(), |m| m.start());
        let after = &text[end..clause_end.min(next_start).max(end)];
        let metric = last_in(&found, floor, start)
            .or_else(|| {
                same_clause
                    .then(|| out.last().and_then(|r| r.metric))
                    .flatten()
            })
            .or_else(|| last_in(&found, end, end + after.len()));
        let before_words = words(before);
        let last = before_words.last().copied().unwrap_or("");
        let joins = matches!(before_words.as_slice(), ["to"] | ["->"] | ["=>"]);
        let mut role = if joins && same_clause {
            // A pair: "from 40% to 25%", "40% -> 25%". History unless the clause states a goal.
            let prefix_words = words(&text[clause_start..spans.last().map_or(start, |s| s.0)]);
            let history = prefix_words.iter().any(|w| listed(CHANGE, w))
                || words(after).first().is_some_and(|w| listed(CHANGE, w));
            let goal =
                prefix_words.iter().any(|w| listed(GOAL, w)) || words(after).first() == Some(&"by");
            let (first, second) = if goal && !history {
                (Role::Current, Role::Target)
            } else {
                (Role::Previous, Role::Current)
            };
            if let Some(r) = out.last_mut() {
                r.role = first;
            }
            second
        } else if last == "from" {
            Role::Current
        } else if is_goal(&before_words) {
            Role::Target
        } else {
            Role::Current
        };
        if last == "from" && !joins {
            // A lone "dropped from 40%" names where it was; a following "to" may still pair it.
            let prefix = words(&text[clause_start..start]);
            if prefix.iter().any(|w| listed(CHANGE, w)) {
                role = Role::Previous;
            }
        }
        spans.push((start, end, clause_start));
        out.push(Reading {
            metric,
            value,
            role,
            clause: text[clause_start..clause_end].to_string(),
        });
    }
    out
}

fn is_goal(words: &[&str]) -> bool {
    let change = words.iter().any(|w| listed(CHANGE, w));
    let linking = words.iter().any(|w| listed(IS, w));
    words
        .iter()
        .any(|w| listed(GOAL, w) && !change && !(linking && listed(COMPARE, w)))
}

/// Keyword matches of `text` as (start, end, metric), earliest first, the longest at a position.
/// A keyword ending in `*` matches any word starting with it ("churn*" matches "churned").
pub(crate) fn find<M: Copy>(text: &str, keywords: &[(&str, M)]) -> Vec<(usize, usize, M)> {
    let mut all = Vec::new();
    for (kw, metric) in keywords {
        let (stem, prefix) = match kw.strip_suffix('*') {
            Some(s) => (s, true),
            None => (*kw, false),
        };
        for (i, _) in text.match_indices(stem) {
            let mut end = i + stem.len();
            if prefix {
                end += text[end..]
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
            }
            if boundary(text, i, end) {
                all.push((i, end, *metric));
            }
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut kept: Vec<(usize, usize, M)> = Vec::new();
    for m in all {
        if kept.last().is_none_or(|k| m.0 >= k.1) {
            kept.push(m);
        }
    }
    kept
}

/// Whether any keyword of `phrases` occurs in `text` as whole words.
pub(crate) fn mentions(text: &str, phrases: &[&str]) -> bool {
    let keywords: Vec<(&str, ())> = phrases.iter().map(|p| (*p, ())).collect();
    !find(text, &keywords).is_empty()
}

fn boundary(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = start == 0 || !b[start - 1].is_ascii_alphanumeric();
    let after = end >= b.len() || !b[end].is_ascii_alphanumeric();
    before && after
}

fn last_in<M: Copy>(found: &[(usize, usize, M)], from: usize, to: usize) -> Option<M> {
    found
        .iter()
        .rev()
        .find(|(s, _, _)| *s >= from && *s < to)
        .map(|(_, _, m)| *m)
}

fn clause_start(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    (0..start)
        .rev()
        .find(|&i| is_clause_end(b, i))
        .map_or(0, |i| i + 1)
}

fn clause_end(text: &str, end: usize) -> usize {
    let b = text.as_bytes();
    (end..b.len())
        .find(|&i| is_clause_end(b, i))
        .unwrap_or(b.len())
}

/// A full stop ends a clause only when it is not a decimal point ("2.5%").
fn is_clause_end(b: &[u8], i: usize) -> bool {
    match b[i] {
        b';' | b'!' | b'?' | b'\n' => true,
        b'.' => b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()),
        _ => false,
    }
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .map(|w| {
            if w == "->" || w == "=>" {
                w
            } else {
                w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn listed(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::normalize;

    const KW: &[(&str, u8)] = &[
        ("churn*", 1),
        ("nrr", 2),
        ("net revenue retention", 2),
        ("activation", 3),
        ("setup", 4),
        ("trial", 5),
    ];

    fn roles(prompt: &str) -> Vec<(Option<u8>, f64, Role)> {
        read(&normalize(prompt), KW)
            .into_iter()
            .map(|r| (r.metric, (r.value * 1e6).round() / 1e6, r.role))
            .collect()
    }

    #[test]
    fn reads_current_and_target() {
        assert_eq!(
            roles("Our monthly logo churn is 7% and I want it under 3% by Q2"),
            vec![
                (Some(1), 0.07, Role::Current),
                (Some(1), 0.03, Role::Target)
            ]
        );
    }

    #[test]
    fn reads_a_history_pair() {
        assert_eq!(
            roles("Activation went from 40% to 25% since the new onboarding shipped"),
            vec![
                (Some(3), 0.4, Role::Previous),
                (Some(3), 0.25, Role::Current)
            ]
        );
        assert_eq!(
            roles("activation 40% -> 25%"),
            vec![
                (Some(3), 0.4, Role::Previous),
                (Some(3), 0.25, Role::Current)
            ]
        );
    }

    #[test]
    fn reads_a_goal_pair() {
        assert_eq!(
            roles("Reduce churn from 7% to 3%"),
            vec![
                (Some(1), 0.07, Role::Current),
                (Some(1), 0.03, Role::Target)
            ]
        );
        assert_eq!(
            roles("churn from 7% to 3% by June"),
            vec![
                (Some(1), 0.07, Role::Current),
                (Some(1), 0.03, Role::Target)
            ]
        );
    }

    #[test]
    fn reads_a_change_as_current() {
        assert_eq!(
            roles("Net revenue retention dropped to 92%, help me understand it"),
            vec![(Some(2), 0.92, Role::Current)]
        );
        assert_eq!(
            roles("churn is above 5% and NRR fell below 90%"),
            vec![
                (Some(1), 0.05, Role::Current),
                (Some(2), 0.9, Role::Current)
            ]
        );
    }

    #[test]
    fn takes_the_metric_after_the_rate() {
        assert_eq!(
            roles("Only 1 in 5 trial users finishes setup"),
            vec![(Some(4), 0.2, Role::Current)]
        );
    }

    #[test]
    fn skips_counts_over_time() {
        assert!(roles("we lost 5 in 9 months").is_empty());
    }

    #[test]
    fn finds_whole_words_and_prefixes() {
        let t = normalize("Customers churned; no churnalism");
        let hits = find(&t, &[("churn*", 1u8)]);
        assert_eq!(hits.len(), 2);
        assert!(mentions(&t, &["churned"]));
        assert!(!mentions(&t, &["churn"]));
    }
}
