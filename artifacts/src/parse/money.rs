//! Money amounts in prompts: which amounts are MRR, monthly or annual, and current or target.
//!
//! A number is money only with evidence: a currency (`$`, `€`, `£`, `USD`, "dollars"), a
//! magnitude suffix (`k`, `M`, "grand", "million"), a slash period (`/mo`, `/yr`) or a recurring
//! revenue word (`MRR`, `ARR`, "monthly recurring revenue", "revenue"). "team of 6" or
//! "300 survey answers" never are. Amounts without a currency that are followed by a count noun
//! ("100k users") or that sit next to price, spend or funding words ("raised $2M", "$49 per
//! seat") are not MRR either.
//!
//! Roles come from the nearest cue in the clause before the amount: "from", "we're at",
//! "currently", "now", "we make/have" mean current; "to", "reach", "hit", "goal", "target",
//! "want", "->" mean target; "is" (current) and "of" (target) count only when nothing stronger is
//! there; "was" marks a past value, used as current only when nothing newer is stated. Words right
//! after an amount win over those before: "$25k MRR today" or "last month" is current, "$50k
//! goal" a target. An amount with no cue is the target; a second uncued amount smaller than the
//! target is the current one ("$10k -> $50k"); with "double"/"3x" the uncued amount is the
//! current one ("double our $20k MRR") and the target is current times the multiple. A period
//! word after the amount decides monthly vs annual; without one, the nearest of "ARR" or "MRR"
//! before it in the clause does ("ARR target of $3M" is $250k MRR).

use super::cues::{self, clause_after, clause_before};
use super::{Lazy, normalize, re, words};

/// Whether an amount is where the company is now or where it wants to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Where the company is today ("we're at", "from", "currently").
    Current,
    /// Where it wants to be ("to", "reach", "goal", "target").
    Target,
    /// A value from before now ("MRR was $8k in January"): current only if nothing newer is.
    Past,
    /// No cue either way.
    Unknown,
}

/// One money mention, converted to monthly major units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount {
    /// Monthly amount in major units (ARR already divided by 12).
    pub mrr: f64,
    /// What the cues say the amount is.
    pub role: Role,
}

/// What the prompt says about MRR.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MoneyFacts {
    /// Current MRR in major units.
    pub current_mrr: Option<f64>,
    /// Target MRR in major units, possibly derived from current times the multiple.
    pub target_mrr: Option<f64>,
    /// "Double" = 2, "3x" = 3.
    pub target_multiple: Option<f64>,
}

/// Amounts beyond this per month are typos or jokes, not plans; they are ignored.
const MAX_MRR: f64 = 1e12;

/// A number with optional currency and magnitude; the period and cues are read after it.
static MENTION: Lazy = Lazy::new(|| {
    re(r"(?x)
    (?: (?P<pre> \$ | \b(?:usd|eur|gbp|cad|aud|chf)\b ) \s? )?
    \b (?P<num> \d{1,3}(?:,\d{3})+(?:\.\d+)? | \d+(?:\.\d+)? )
    (?: (?P<m1> k|m|mm|b|bn ) \b | \s? (?P<m2> thousand|grand|million|mil|mln|mn|billion ) \b )?
    (?: \s? (?P<post> dollars? | bucks | euros? | pounds? | quid | usd | eur | gbp | cad | aud | chf ) \b )?")
});

/// The period right after an amount. `rev` marks recurring-revenue words (evidence of money on
/// their own); slash forms are evidence too; "a month" alone is not ("20 deploys a month").
static PERIOD: Lazy = Lazy::new(|| {
    re(r"(?x) ^ \s* (?: (?:in|of) \s+ )? (?:
      (?P<mrev> mrr | monthly\s+recurring\s+revenue | recurring\s+monthly\s+revenue | monthly\s+revenue )\b
     |(?P<arev> arr | annual(?:ized)?\s+recurring\s+revenue | annual\s+revenue | yearly\s+revenue
        | annual\s+run[\s-]?rate | run[\s-]?rate | revenue\s+run[\s-]?rate )\b
     |(?P<rev> (?:in\s+)?revenue )\b
     |(?P<mslash> / \s* (?:mo|month|mth|m) )\b
     |(?P<aslash> / \s* (?:yr|year|y|annum) )\b
     |(?P<mword> (?:a|per|each|every) \s+ (?:month|mo) | monthly | p/m | pm )\b
     |(?P<aword> (?:a|per|each|every) \s+ year\b | per\s+annum\b | p\.a\. | yearly\b | annually\b | annualized\b | annual\b )
    )")
});

/// "ARR target of $3M": a recurring-revenue word before the amount sets its period.
static PERIOD_BEFORE: Lazy = Lazy::new(|| {
    re(
        r"\b(?:(?P<a>arr|annual\s+recurring\s+revenue|annual\s+revenue|run[\s-]?rate)|(?P<m>mrr|monthly\s+recurring\s+revenue|monthly\s+revenue|revenue))\b",
    )
});

/// Relative targets: "double", "3x", "10-fold".
static MULTIPLE: Lazy = Lazy::new(|| {
    re(r"(?x)\b(?:
      (?P<n> \d{1,4}(?:\.\d+)? ) (?:x|[\s-]?fold) \b
     |(?P<two> double|doubling|twofold|two-fold|2x )\b
     |(?P<three> triple|tripling|threefold|three-fold )\b
     |(?P<four> quadruple|quadrupling|fourfold|four-fold )\b
     |(?P<ten> tenfold|ten-fold )\b
    )")
});

/// "from zero to $10k": a start with no money evidence of its own.
static FROM_ZERO: Lazy = Lazy::new(|| {
    re(
        r"\bfrom\s+(?:\$\s?|eur\s|gbp\s)?(?:0|zero|nothing|scratch)\s+(?:mrr\s+|arr\s+|revenue\s+)?to\b",
    )
});

/// Every MRR amount in the prompt with its role, in order of appearance.
pub fn amounts(prompt: &str) -> Vec<Amount> {
    scan_amounts(&normalize(prompt))
}

/// Current MRR, target MRR and relative target stated in the prompt.
pub fn extract_money(prompt: &str) -> MoneyFacts {
    scan(&normalize(prompt))
}

/// [`extract_money`] on text that is already [`normalize`]d.
pub(crate) fn scan(text: &str) -> MoneyFacts {
    let found = scan_amounts(text);
    let multiple = scan_multiple(text);
    let first = |role: Role| found.iter().find(|a| a.role == role).map(|a| a.mrr);
    let latest_past = found
        .iter()
        .rev()
        .find(|a| a.role == Role::Past)
        .map(|a| a.mrr);
    let mut current = first(Role::Current);
    let mut target = first(Role::Target);
    for a in found.iter().filter(|a| a.role == Role::Unknown) {
        if multiple.is_some() && current.is_none() && target.is_none() {
            // "Double our $20k MRR": the amount being multiplied is where we are.
            current = Some(a.mrr);
        } else if target.is_none() {
            target = Some(a.mrr);
        } else if current.is_none() && target.is_some_and(|t| a.mrr < t) {
            // "$10k -> $50k" or "grow 10k to 50k": the smaller uncued amount is the start.
            current = Some(a.mrr);
        }
    }
    current = current.or(latest_past);
    if current.is_none() && target.is_some() && FROM_ZERO.is_match(text) {
        current = Some(0.0);
    }
    if target.is_none()
        && let (Some(c), Some(m)) = (current, multiple)
    {
        target = Some(c * m).filter(|t| *t <= MAX_MRR);
    }
    MoneyFacts {
        current_mrr: current,
        target_mrr: target,
        target_multiple: multiple,
    }
}

fn scan_amounts(text: &str) -> Vec<Amount> {
    let mut out = Vec::new();
    let mut floor = 0;
    for caps in MENTION.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        let (start, num_end) = (whole.start(), whole.end());
        let before = clause_before(text, floor, start.max(floor));
        let rest = &text[num_end..];
        if rest.trim_start().starts_with('%') || rest.trim_start().starts_with("percent") {
            continue;
        }
        let period = PERIOD.captures(rest);
        let end = num_end
            + period
                .as_ref()
                .map_or(0, |p| p.get(0).map_or(0, |m| m.end()));
        let after = clause_after(text, end);
        let currency = caps.name("pre").is_some() || caps.name("post").is_some();
        let magnitude = caps.name("m1").or(caps.name("m2")).map(|m| m.as_str());
        let has = |name: &str| period.as_ref().is_some_and(|p| p.name(name).is_some());
        let revenue_word = has("mrev") || has("arev") || has("rev");
        let near_revenue = cues::names_revenue(text, before, start);
        let evidence = currency
            || magnitude.is_some()
            || revenue_word
            || has("mslash")
            || has("aslash")
            || near_revenue;
        // A bare "2027" after "MRR" is a year, not an amount.
        let year_like = caps["num"].len() == 4 && caps["num"].starts_with("20");
        let bare = !currency && magnitude.is_none() && !revenue_word;
        if !evidence || (bare && year_like) || (!currency && !revenue_word && cues::is_count(after))
        {
            continue;
        }
        if cues::is_one_deal(before) || (!revenue_word && cues::is_not_revenue(before, after)) {
            floor = end;
            continue;
        }
        let annual = if has("arev") || has("aslash") || has("aword") {
            true
        } else if period.is_some() {
            false
        } else {
            PERIOD_BEFORE
                .captures_iter(before)
                .last()
                .is_some_and(|c| c.name("a").is_some())
        };
        let factor = match magnitude {
            Some("k" | "thousand" | "grand") => 1e3,
            Some("m" | "mm" | "million" | "mil" | "mln" | "mn") => 1e6,
            Some("b" | "bn" | "billion") => 1e9,
            _ => 1.0,
        };
        let Some(value) = words::scaled_numeral(&caps["num"], factor) else {
            continue;
        };
        let mrr = if annual { value / 12.0 } else { value };
        floor = end;
        if mrr.is_finite() && mrr <= MAX_MRR {
            out.push(Amount {
                mrr,
                role: cues::role(before, after),
            });
        }
    }
    out
}

fn scan_multiple(text: &str) -> Option<f64> {
    MULTIPLE.captures_iter(text).find_map(|c| {
        let m = if let Some(n) = c.name("n") {
            words::numeral(n.as_str())?
        } else if c.name("two").is_some() {
            2.0
        } else if c.name("three").is_some() {
            3.0
        } else if c.name("four").is_some() {
            4.0
        } else {
            10.0
        };
        // "1x" is no change and "5000x" is hyperbole, not a plan.
        (m > 1.0 && m <= 1000.0).then_some(m)
    })
}
