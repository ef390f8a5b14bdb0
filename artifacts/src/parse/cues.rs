//! Context windows around a mention and the cue words that decide what an amount means.

use super::{Lazy, re};
use crate::parse::money::Role;

/// How far back a cue may sit from the amount it qualifies.
const WINDOW: usize = 60;

/// The text of the current clause before `start`, never reaching back past `floor` (the end of
/// the previous mention) nor more than [`WINDOW`] bytes. Text is ASCII, so any index is a boundary.
pub(crate) fn clause_before(text: &str, floor: usize, start: usize) -> &str {
    let from = floor.max(start.saturating_sub(WINDOW));
    let window = &text[from..start];
    let bytes = window.as_bytes();
    let cut = (0..bytes.len()).rev().find(|&i| is_clause_end(bytes, i));
    match cut {
        Some(i) => &window[i + 1..],
        None => window,
    }
}

/// The text after `end` up to the end of its clause, at most [`WINDOW`] bytes.
pub(crate) fn clause_after(text: &str, end: usize) -> &str {
    let to = (end + WINDOW).min(text.len());
    let window = &text[end..to];
    let bytes = window.as_bytes();
    match (0..bytes.len()).find(|&i| is_clause_end(bytes, i) || bytes[i] == b',') {
        Some(i) => &window[..i],
        None => window,
    }
}

/// A full stop ends a clause only when it is not a decimal point ("1.2M").
fn is_clause_end(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b';' | b'!' | b'?' | b'\n' => true,
        b'.' => bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()),
        _ => false,
    }
}

/// The last `n` words before a position, nearest last, with punctuation trimmed.
pub(crate) fn words_before(text: &str, n: usize) -> Vec<&str> {
    // Only the tail can hold the last few words; bounding it keeps huge inputs linear.
    let text = &text[text.len().saturating_sub(80.max(n * 20))..];
    let mut words: Vec<&str> = text
        .split_whitespace()
        .rev()
        .take(n)
        .map(trim_word)
        .collect();
    words.reverse();
    words
}

/// The first `n` words of `text`, with punctuation trimmed.
pub(crate) fn words_after(text: &str, n: usize) -> Vec<&str> {
    text.split_whitespace().take(n).map(trim_word).collect()
}

fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\'' && c != '/' && c != '-')
}

/// Cue words before an amount; strong cues say clearly which side it is, weak ones ("is", "of")
/// only count when nothing stronger is in the clause.
static ROLE_CUE: Lazy = Lazy::new(|| {
    re(r"(?x)
    \b(?:
      (?P<from>from)
     |(?P<cur>we(?:'re|\s+are)\s+(?:at|doing|making|currently|now)|currently|current|right\s+now|now|today
        |we\s+(?:make|have|do|earn|bring\s+in|generate)|sitting\s+at|stuck\s+at|at|so\s+far|presently
        |existing|starting)
     |(?P<tgt>be\s+(?:at|doing|making)|to|reach(?:ing)?|hit(?:ting)?|goal|goals|target(?:ing|s|ed)?|aim(?:ing)?|want|toward|towards
        |achiev\w*|cross(?:ing)?|surpass\w*|exceed\w*|break(?:ing)?|need|grow\w*|scale|get)
     |(?P<wcur>is|are)
     |(?P<wpast>was|were|had\s+been|used\s+to\s+be)
     |(?P<wtgt>of)
    )\b
    |(?P<arrow>->|=>)")
});

/// Cues right after an amount: "$12k MRR today" is where we are, "$50k goal" where we go.
static POST_CUE: Lazy = Lazy::new(|| {
    re(r"(?x)^\s*(?:
      (?P<cur>today|now|currently|right\s+now|at\s+the\s+moment|as\s+of|so\s+far|at\s+present|this\s+month
        |(?:in\s+)?(?:the\s+)?last\s+(?:month|quarter|year))
     |(?P<tgt>target|goal)
    )\b")
});

/// The role an amount plays, from the clause before it and the words right after it.
pub(crate) fn role(before: &str, after: &str) -> Role {
    let mut strong = None;
    let mut weak = None;
    for caps in ROLE_CUE.captures_iter(before) {
        if caps.name("from").is_some() || caps.name("cur").is_some() {
            strong = Some(Role::Current);
        } else if caps.name("tgt").is_some() || caps.name("arrow").is_some() {
            strong = Some(Role::Target);
        } else if caps.name("wcur").is_some() {
            weak = Some(Role::Current);
        } else if caps.name("wpast").is_some() {
            weak = Some(Role::Past);
        } else {
            weak = Some(Role::Target);
        }
    }
    match POST_CUE.captures(after) {
        // "We hit $12k MRR today": the achievement is the current state whatever precedes it.
        Some(c) if c.name("cur").is_some() => return Role::Current,
        Some(_) if strong.is_none() => return Role::Target,
        _ => {}
    }
    strong.or(weak).unwrap_or(Role::Unknown)
}

/// Words that make an amount something other than recurring revenue: prices, funding, spend.
const NOT_REVENUE: &str = "\
    burn burning burned raise raised raising round funding funded seed series valuation \
    valued runway salary salaries budget spend spending spent cost costs price priced \
    pricing charge charges charging arpa arpu acv aov ltv cac cash bank loan debt grant fee \
    fees payroll invest invested investment check cheque ticket deal deals contract \
    contracts worth bill invoice refund expenses";

/// Per-unit prices ("$49 per seat", "$100/user") are not MRR.
const PER_UNIT: &str = "\
    seat seats user users customer customers account accounts head license licence member \
    members employee person client unit month/seat";

/// Nouns that make a "100k" a count, not money.
const COUNT_NOUNS: &str = "\
    users user signups sign-ups visitors visits downloads installs customers subscribers \
    followers views pageviews sessions events requests leads members accounts people emails \
    messages rows records lines stars tickets responses answers employees seats units orders \
    transactions impressions clicks mau dau wau trials api calls times days day weeks week \
    months month years year hours minutes person engineers developers devs interviews \
    surveys reviews comments";

/// Whether the words around an amount say it is a price, spend or funding, not revenue.
pub(crate) fn is_not_revenue(before: &str, after: &str) -> bool {
    let pre = words_before(before, 3);
    if pre.iter().any(|w| listed(NOT_REVENUE, w)) {
        return true;
    }
    // "customers at $99", "users paying $20": a price per customer.
    if let [.., unit, "at" | "paying" | "pay" | "for"] = pre.as_slice()
        && listed(PER_UNIT, unit)
    {
        return true;
    }
    let post = words_after(after, 3);
    if post.iter().any(|w| listed(NOT_REVENUE, w)) {
        return true;
    }
    match post.as_slice() {
        ["each", ..] => true,
        [p, unit, ..] if matches!(*p, "per" | "a" | "an" | "every") => listed(PER_UNIT, unit),
        [w, ..] => w
            .strip_prefix('/')
            .is_some_and(|u| PER_UNIT.split_whitespace().any(|p| u.starts_with(p))),
        [] => false,
    }
}

/// Whether a bare number sits where an MRR figure is named: "MRR is 12000", "ARR: 3000000", or
/// "target is 30000" after MRR came up earlier; "MRR tracker for 2027" does not.
pub(crate) fn names_revenue(text: &str, before: &str, start: usize) -> bool {
    let is_revenue = |w: &&str| matches!(*w, "mrr" | "arr" | "revenue");
    let pre = words_before(before, 4);
    let links_only = |words: &[&str]| {
        words
            .iter()
            .all(|w| w.is_empty() || listed(REVENUE_LINKS, w))
    };
    if let Some(i) = pre.iter().rposition(is_revenue) {
        return links_only(&pre[i + 1..]);
    }
    match pre.iter().rposition(|w| matches!(*w, "target" | "goal")) {
        Some(i) => {
            links_only(&pre[i + 1..]) && words_before(&text[..start], 40).iter().any(is_revenue)
        }
        None => false,
    }
}

/// Words that may join "MRR" to its number.
const REVENUE_LINKS: &str = "\
    is of at was around about roughly currently now to from reach hit target goal today";

/// Whether `word` is one of the space-separated words of `list`.
pub(crate) fn listed(list: &str, word: &str) -> bool {
    !word.is_empty() && list.split_ascii_whitespace().any(|w| w == word)
}

/// Whether the word after a bare or "k"-suffixed number makes it a count ("100k users").
pub(crate) fn is_count(after: &str) -> bool {
    words_after(after, 1)
        .first()
        .is_some_and(|w| listed(COUNT_NOUNS, w))
}

/// "2 deals worth $120k ARR" is bookings, not the company's MRR, even with a revenue word.
pub(crate) fn is_one_deal(before: &str) -> bool {
    words_before(before, 3).iter().any(|w| {
        matches!(
            *w,
            "deal" | "deals" | "contract" | "contracts" | "worth" | "pipeline"
        )
    })
}
