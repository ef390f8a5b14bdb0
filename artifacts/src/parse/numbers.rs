//! Team size, NPS, sample size and rates.

use super::cues::{listed, words_before};
use super::words::{EXACT_WORDS, count, numeral};
use super::{Lazy, normalize, re};

/// Team sizes above this are not a team a founder runs rituals for; they are misreadings.
const MAX_TEAM: u32 = 1_000_000;

/// "team of 6", "6 engineers", "12-person startup", "we are 8 people", "headcount of 20".
static TEAM: Lazy = Lazy::new(|| {
    re(&format!(
        r"(?x)\b(?:
        team \b \s* (?:size\s*)? (?:of|is|=|:) \s* (?:about\s+|around\s+|roughly\s+|just\s+|only\s+|~\s*)? (?P<a>\d+|{EXACT_WORDS}) \b
       |(?P<b>\d+|{EXACT_WORDS}) [\s-]+ (?:full[\s-]?time\s+|fte\s+|senior\s+|junior\s+|in-house\s+|backend\s+|frontend\s+|software\s+|product\s+|full[\s-]?stack\s+)?
            (?:engineers?|developers?|devs|programmers|employees|staffers|ftes|teammates|team\s+members) \b
       |(?P<c>\d+|{EXACT_WORDS})
            (?: \s*-\s* (?:person|people|man|member|strong) | \s+ (?:person|man|member) | \s+ people \s+ (?:startup|team|company|org|shop|crew|squad|business) ) \b
       |we(?:'re|\s+are) \s+ (?:just\s+|only\s+)? (?P<d>\d+|{EXACT_WORDS}) \s+ (?:people|persons|of\s+us|folks|humans|founders|employees) \b
       |headcount \s+ (?:of|is|=|:)? \s* (?P<e>\d+|{EXACT_WORDS}) \b
    )"
    ))
});

/// Words before "N engineers" that make them a plan or a loss, not the team.
const NOT_TEAM: &str = "\
    hire hiring add adding recruit recruiting need lost losing fired";

/// "300 survey answers", "120 responses", "45 interviews", "500 support tickets", "interviewed 30".
static SAMPLE: Lazy = Lazy::new(|| {
    re(r"(?x)\b(?:
        (?P<n> \d{1,3}(?:,\d{3})+ | \d+ ) (?P<k>k)? \s+
        (?: (?:survey|customer|user|support|nps|open[\s-]ended|written|free[\s-]text|text|qualitative|zendesk
            |intercom|typeform|app\s+store|g2|sales|discovery|exit|churn|onboarding|in-app|recent|new|raw
            |email|feedback|csat|product|ux|research|unread|open|user\s+research) \s+ ){0,3}
        (?:answers|responses|respondents|replies|interviews|tickets|reviews|comments|surveys|submissions
            |conversations|transcripts|verbatims|entries|feedback\s+items|data\s+points|calls)
       |(?:interviewed|surveyed|polled|talked\s+to|spoke\s+(?:to|with)) \s+ (?P<v> \d{1,3}(?:,\d{3})+ | \d+ )
    )\b")
});

static NPS: Lazy = Lazy::new(|| re(r"\b(?:nps|net\s+promoter(?:\s+score)?)\b"));

/// Words that may sit between "NPS" and its value ("NPS fell to 21", "NPS score of -5").
const NPS_LINKS: &str = "\
    score is was of at to fell dropped rose went sits sitting stands standing now currently \
    around about roughly approximately just only has been declined increased improved down \
    up a an from our the dipped jumped climbed slipped sank decreased grew moved hovering \
    hovers it's its plummeted tanked crashed still stuck today";

/// Verbs before "NPS" after which "from A to B" names a goal B, so the current score is A.
const NPS_GOAL_VERBS: &str = "\
    improve raise increase boost grow lift push get move take bring";

/// "7%", "40 percent", "1 in 5", "3 out of 10".
static RATE: Lazy = Lazy::new(|| {
    re(&format!(
        r"(?x)\b(?:
        (?P<p> \d+(?:\.\d+)? ) \s? (?: % | percent\b | per\s+cent\b | pct\b )
       |(?P<a> \d+|{EXACT_WORDS} ) \s+ (?:in|out\s+of) \s+ (?P<b> \d+|{EXACT_WORDS} ) \b (?P<unit> \s+ (?:days?|weeks?|months?|years?|quarters?|hours?|minutes?)\b )?
    )"
    ))
});

/// Team size stated in the prompt.
pub fn team_size(prompt: &str) -> Option<u32> {
    scan_team_size(&normalize(prompt))
}

/// Net promoter score stated in the prompt (-100..=100).
pub fn nps(prompt: &str) -> Option<f64> {
    scan_nps(&normalize(prompt))
}

/// Number of survey answers, interviews or tickets stated in the prompt.
pub fn sample_size(prompt: &str) -> Option<u32> {
    scan_sample_size(&normalize(prompt))
}

/// Every percentage (and "N in M" ratio) in order of appearance, as fractions.
pub fn rates(prompt: &str) -> Vec<f64> {
    scan_rates(&normalize(prompt))
}

/// [`team_size`] on normalized text.
pub(crate) fn scan_team_size(text: &str) -> Option<u32> {
    TEAM.captures_iter(text).find_map(|c| {
        let n = ["a", "b", "c", "d", "e"].iter().find_map(|g| c.name(g))?;
        // "hire 2 engineers" is about the team to be, not the team we are.
        if c.name("b").is_some()
            && words_before(&text[..n.start()], 2)
                .iter()
                .any(|w| listed(NOT_TEAM, w))
        {
            return None;
        }
        count(n.as_str()).filter(|n| (1..=MAX_TEAM).contains(n))
    })
}

/// [`nps`] on normalized text.
pub(crate) fn scan_nps(text: &str) -> Option<f64> {
    NPS.find_iter(text).find_map(|m| {
        let after = &text[m.end()..(m.end() + 60).min(text.len())];
        let mut values = Vec::new();
        let mut saw_from = false;
        for word in after.split_whitespace().take(8) {
            let word = word.trim_end_matches([',', '.', '!', '?', ';']);
            let (sign, digits) = match word.trim_start_matches([':', '=', '~']) {
                w if w.starts_with('-') => (-1.0, &w[1..]),
                w => (1.0, w.trim_start_matches('+')),
            };
            if let Some(v) = digits.strip_suffix('%').or(Some(digits)).and_then(numeral) {
                values.push(sign * v);
            } else if word == "from" {
                saw_from = true;
            } else if !(word.bytes().all(|b| b.is_ascii_punctuation()) || listed(NPS_LINKS, word)) {
                break;
            }
            if values.len() == 2 || (values.len() == 1 && !saw_from) {
                break;
            }
        }
        let goal_verb = words_before(&text[..m.start()], 3)
            .iter()
            .any(|w| listed(NPS_GOAL_VERBS, w));
        let value = match values.as_slice() {
            [from, _] if goal_verb => *from,
            [.., last] => *last,
            // "a 50 NPS", but not "45 NPS responses" (a sample size).
            [] if !after_is_sample(after) => words_before(&text[..m.start()], 1)
                .first()
                .and_then(|w| w.strip_prefix('+').or(Some(w)).and_then(numeral))?,
            [] => return None,
        };
        (-100.0..=100.0).contains(&value).then_some(value)
    })
}

fn after_is_sample(after: &str) -> bool {
    let next = after.split_whitespace().next().unwrap_or("");
    listed(
        "response responses answers comments survey surveys scores data feedback verbatims",
        next.trim_end_matches([',', '.', '!', '?', ';']),
    )
}

/// [`sample_size`] on normalized text.
pub(crate) fn scan_sample_size(text: &str) -> Option<u32> {
    SAMPLE.captures_iter(text).find_map(|c| {
        let n = c.name("n").or(c.name("v"))?;
        let base = count(n.as_str())?;
        let n = if c.name("k").is_some() {
            base.checked_mul(1000)?
        } else {
            base
        };
        (n > 0).then_some(n)
    })
}

/// [`rates`] on normalized text.
pub(crate) fn scan_rates(text: &str) -> Vec<f64> {
    RATE.captures_iter(text)
        .filter_map(|c| {
            if let Some(p) = c.name("p") {
                return numeral(p.as_str()).map(|v| v / 100.0);
            }
            // "5 in 9 months" is a count over time, not a ratio.
            if c.name("unit").is_some() {
                return None;
            }
            let a = count(c.name("a")?.as_str())?;
            let b = count(c.name("b")?.as_str())?;
            (b > 0 && a <= b && b <= 1000).then(|| f64::from(a) / f64::from(b))
        })
        .filter(|r| r.is_finite() && *r <= 1e4)
        .collect()
}
