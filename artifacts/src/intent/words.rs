//! Word lists of the classifier: harm words, business anchors, the typo vocabulary and the real
//! words typo repair must leave alone.

/// Words that make the cue just before them the founder's problem: "churn is killing our ARR"
/// is about churn, whatever it does to ARR.
#[rustfmt::skip]
pub(super) const HARM: &[&str] = &[
    "killing", "kills", "killed", "hurting", "hurts", "eating", "eats", "dragging", "drags",
    "hitting", "capping", "caps", "limiting", "limits", "blocking", "blocks", "destroying",
    "crushing", "holding", "costing", "costs", "stalling", "stalls", "tanking", "ruining",
    "ruins", "sinking", "problem", "issue",
];

/// Words that show the prompt is about a business, so weak cues count: "we", "our company".
#[rustfmt::skip]
pub(super) const ANCHORS: &[&str] = &[
    "we", "were", "weve", "our", "ours", "us", "company", "companys", "startup", "startups",
    "team", "teams", "customer", "customers", "user", "users", "client", "clients", "subscriber",
    "subscribers", "product", "saas", "business", "founder", "founders", "cofounder", "app",
    "platform", "revenue",
];

/// Distinctive cue words a typo is repaired to. Everyday words stay out: repairing "bored" to
/// "board" would turn chatter into a board pack.
#[rustfmt::skip]
pub(super) const TYPO_VOCAB: &[&str] = &[
    "retention", "churn", "cohort", "attrition", "renewal", "cancel", "cancellation",
    "subscription", "activation", "activate", "onboarding", "funnel", "signup", "conversion",
    "convert", "trial", "velocity", "deploy", "deployment", "sprint", "engineering", "engineers",
    "developers", "standup", "bottleneck", "release", "shipping", "feedback", "survey",
    "complaint", "complaints", "interview", "interviews", "sentiment", "satisfaction", "request",
    "requests", "tickets", "operating", "system", "cadence", "ritual", "rituals", "rhythm",
    "scorecard", "alignment", "meeting", "meetings", "board", "investor", "investors",
    "directors", "recurring", "revenue", "tracker", "forecast", "milestone", "growth",
    "customers", "priorities", "leadership", "productivity",
];

/// Real words a typo check would otherwise repair, found by running the vocabulary against an
/// English word list (/usr/share/dict/words): they are the language, not slips. Kept out on
/// purpose: "reoccurring", "recurrent", "retentive", which mean what they are repaired to.
#[rustfmt::skip]
pub(super) const NOT_TYPOS: &[&str] = &[
    "alinement", "assignment", "attention", "attraction", "attribution", "bard", "beard", "boar",
    "boars", "cancer", "captivation", "chancel", "churl", "complacent", "complaisant",
    "compliant", "complying", "concert", "concession", "confession", "convection", "convent",
    "convention", "conversation", "conversing", "convulsion", "covert", "customary", "customs",
    "defectors", "detectors", "developed", "develops", "directer", "directories", "directory",
    "directs", "engendering", "engenders", "engines", "fennel", "foremast", "funner", "injectors",
    "inventor", "inventors", "inventory", "invests", "melting", "meting", "millstone",
    "millstones", "minestrone", "operatic", "operation", "operations", "operative", "orating",
    "overacting", "overawing", "overeating", "overrating", "print", "priories", "reception",
    "recording", "referring", "rejection", "requiring", "revenge", "scoreboard", "sediment",
    "sentient", "sentimental", "shopping", "sipping", "skipping", "snipping", "splint", "spring",
    "surrey", "thickets", "tickers", "tracer", "tracked", "trail", "triad", "tribal", "trill",
    "trucker",
];
