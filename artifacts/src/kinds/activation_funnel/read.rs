//! What an activation prompt states: rates with the funnel step they belong to, the key action
//! in the founder's words, the conversion window, and cues (trial, paid, onboarding, a drop).

use std::sync::LazyLock;

use regex::Regex;

use super::super::retention_analysis::text::{self, Role};
use crate::parse::words::count;

/// The funnel metric a rate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Metric {
    /// Overall activation rate.
    Activation,
    /// Setup completion.
    Setup,
    /// The first key action.
    KeyAction,
    /// Conversion to paid.
    Paid,
    /// Sign-ups or trials themselves: the base of the funnel, not a rate of it.
    Signup,
}

const KEYWORDS: &[(&str, Metric)] = &[
    ("activation*", Metric::Activation),
    ("activate*", Metric::Activation),
    ("setup", Metric::Setup),
    ("set up", Metric::Setup),
    ("setting up", Metric::Setup),
    ("onboarding completion", Metric::Setup),
    ("complete onboarding", Metric::Setup),
    ("completes onboarding", Metric::Setup),
    ("complete the onboarding", Metric::Setup),
    ("finish onboarding", Metric::Setup),
    ("finishes onboarding", Metric::Setup),
    ("finish the onboarding", Metric::Setup),
    ("key action", Metric::KeyAction),
    ("aha moment", Metric::KeyAction),
    ("first project", Metric::KeyAction),
    ("paid", Metric::Paid),
    ("paying", Metric::Paid),
    ("pay", Metric::Paid),
    ("purchase*", Metric::Paid),
    ("subscribe*", Metric::Paid),
    ("upgrade*", Metric::Paid),
    ("convert*", Metric::Paid),
    ("conversion", Metric::Paid),
    ("signup*", Metric::Signup),
    ("sign up*", Metric::Signup),
    ("sign-up*", Metric::Signup),
    ("signed up", Metric::Signup),
    ("trial*", Metric::Signup),
    ("register*", Metric::Signup),
    ("new user*", Metric::Signup),
];

/// "create their first project", "send your first invoice".
static FIRST_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    crate::parse::re(
        r"\b(?P<verb>[a-z]{3,})\s+(?:their|a|the|your|its|our|his|her)\s+first\s+(?P<noun>[a-z]{3,}(?:\s+(?:page|list|report|campaign|board|app|site|flow))?)\b",
    )
});
/// "within 7 days", "in the first 10 days", "first week".
static WINDOW: LazyLock<Regex> = LazyLock::new(|| {
    crate::parse::re(
        r"\b(?:within|in\s+(?:the\s+|their\s+)?first|first)\s+(?P<n>\d+|[a-z]+)\s+(?P<unit>days?|weeks?)\b|\b(?:first|within\s+(?:a|one))\s+(?P<w>week|month|day)\b",
    )
});

/// The first key action in the founder's words.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyAction {
    /// "creates their first project".
    pub phrase: String,
    /// "create their first project".
    pub base: String,
    /// "project".
    pub noun: String,
    /// "create_first_project".
    pub event: String,
}

/// A metric's values as the prompt states them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Stated {
    /// Before a change.
    pub previous: Option<f64>,
    /// Now.
    pub current: Option<f64>,
    /// The goal.
    pub target: Option<f64>,
}

/// Everything an activation prompt states.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ActivationPrompt {
    /// Overall activation.
    pub activation: Stated,
    /// Setup completion, as a share of sign-ups.
    pub setup: Stated,
    /// First key action, as a share of sign-ups.
    pub key_action: Stated,
    /// Conversion to paid, as a share of sign-ups.
    pub paid: Stated,
    /// The key action, when the prompt names one.
    pub action: Option<KeyAction>,
    /// Conversion window in days, when stated.
    pub window_days: Option<u32>,
    /// Sign-ups are trials.
    pub trial: bool,
    /// The funnel runs to paid.
    pub to_paid: bool,
    /// The prompt mentions onboarding.
    pub onboarding: bool,
    /// The prompt says activation dropped.
    pub dropped: bool,
    /// The prompt points at last month.
    pub last_month: bool,
}

/// Reads a normalized activation prompt.
pub(super) fn read(text: &str) -> ActivationPrompt {
    let mut out = ActivationPrompt::default();
    for r in text::read(text, KEYWORDS) {
        let stated = match r.metric.unwrap_or(Metric::Activation) {
            Metric::Activation | Metric::Signup => &mut out.activation,
            Metric::Setup => &mut out.setup,
            Metric::KeyAction => &mut out.key_action,
            Metric::Paid => &mut out.paid,
        };
        let slot = match r.role {
            Role::Previous => &mut stated.previous,
            Role::Current => &mut stated.current,
            Role::Target => &mut stated.target,
        };
        slot.get_or_insert(r.value.min(1.0));
    }
    out.action = FIRST_ACTION.captures_iter(text).find_map(|c| {
        let verb = c.name("verb")?.as_str();
        let noun = c.name("noun")?.as_str();
        if listed(NOT_ACTION_VERBS, verb) || listed(NOT_ACTION_NOUNS, noun) {
            return None;
        }
        let base = verb
            .strip_suffix('s')
            .filter(|b| b.len() >= 3 && !b.ends_with('s'))
            .unwrap_or(verb);
        Some(KeyAction {
            phrase: format!("{} their first {noun}", third_person(base)),
            base: format!("{base} their first {noun}"),
            noun: noun.to_string(),
            event: format!("{base}_first_{}", noun.replace(' ', "_")),
        })
    });
    out.window_days = WINDOW.captures(text).and_then(|c| {
        if let Some(w) = c.name("w") {
            return Some(match w.as_str() {
                "day" => 1,
                "week" => 7,
                _ => 30,
            });
        }
        let n = count(c.name("n")?.as_str())?;
        let days = if c.name("unit")?.as_str().starts_with("week") {
            n.checked_mul(7)?
        } else {
            n
        };
        (1..=90).contains(&days).then_some(days)
    });
    out.trial = text::mentions(text, &["trial*"]);
    out.to_paid = text::mentions(
        text,
        &[
            "paid",
            "paying",
            "pay",
            "purchase*",
            "subscribe*",
            "upgrade*",
        ],
    ) || out.paid.current.is_some();
    out.onboarding = text::mentions(text, &["onboarding"]);
    // "Where do signups drop off" is about the funnel's shape, not a decline.
    let no_drop_off = [
        "drop-off",
        "drop off",
        "drops off",
        "dropping off",
        "dropped off",
    ]
    .iter()
    .fold(text.to_string(), |t, p| t.replace(p, " "));
    out.dropped = text::mentions(
        &no_drop_off,
        &[
            "drop*",
            "fell",
            "fallen",
            "declin*",
            "decreas*",
            "went down",
            "tank*",
            "crash*",
            "plummet*",
            "slipp*",
            "worse",
        ],
    ) || matches!(out.activation, Stated { previous: Some(p), current: Some(c), .. } if c < p);
    out.last_month = text::mentions(text, &["last month", "past month", "previous month"]);
    out
}

/// Words before "their first ..." that are not an action ("during their first week").
const NOT_ACTION_VERBS: &str =
    "during within after before until from since into with over for in at on of";
/// Nouns after "first" that are a time, not an object ("their first week").
const NOT_ACTION_NOUNS: &str =
    "day days week weeks month months year session visit time login hour minute";

fn listed(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|w| w == word)
}

/// "create" -> "creates", "publish" -> "publishes".
fn third_person(verb: &str) -> String {
    if ["sh", "ch", "x", "ss", "o"]
        .iter()
        .any(|e| verb.ends_with(e))
    {
        format!("{verb}es")
    } else if verb.ends_with('y') && !verb.ends_with("ay") && !verb.ends_with("ey") {
        format!("{}ies", &verb[..verb.len() - 1])
    } else {
        format!("{verb}s")
    }
}
