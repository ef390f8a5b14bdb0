//! Sources, themes, scoring and benchmarks of a customer feedback analysis, from the prompt's
//! words, the goal and the stage.

use chrono::NaiveDate;

use super::nps::share_margin;
use super::{Benchmark, FeedbackSource, NpsAnalysis, SampleGuidance, Scoring, Theme, num, pct};
use crate::benchmarks::feedback as fb;
use crate::kinds::KindInput;
use crate::model::{Goal, Stage};

/// Everything the section builders share.
pub(super) struct Ctx<'a> {
    /// The generator input.
    pub input: &'a KindInput<'a>,
    /// The normalized prompt.
    pub text: &'a str,
    /// The NPS analysis.
    pub nps: &'a NpsAnalysis,
    /// The taxonomy, most relevant first.
    pub themes: &'a [Theme],
    /// Sample-size guidance.
    pub sample: &'a SampleGuidance,
    /// Next Monday, where every dated plan starts.
    pub monday: NaiveDate,
    /// The Friday after it, when tagging is due.
    pub friday: NaiveDate,
}

struct ThemeDef {
    key: &'static str,
    name: &'static str,
    what_counts: &'static str,
    severity: u8,
    cues: &'static [&'static str],
}

/// Base severities follow the scale in [`SEVERITY_SCALE`]: bugs block the core job, performance
/// and onboarding cost real work, features and pricing have workarounds, support is friction.
const THEMES: [ThemeDef; 6] = [
    ThemeDef {
        key: "bugs",
        name: "Bugs and errors",
        what_counts: "errors, crashes, broken flows, wrong or lost data",
        severity: 5,
        cues: &["bug", "crash", "broken", "error", "glitch"],
    },
    ThemeDef {
        key: "performance",
        name: "Performance and reliability",
        what_counts: "slow pages, timeouts, downtime",
        severity: 4,
        cues: &[
            "slow",
            "performance",
            "speed",
            "latency",
            "downtime",
            "outage",
            "lag",
        ],
    },
    ThemeDef {
        key: "onboarding",
        name: "Onboarding and setup",
        what_counts: "cannot get started, confusing setup, slow time to first value",
        severity: 4,
        cues: &[
            "onboard",
            "setup",
            "set up",
            "getting started",
            "confusing",
            "takes too long to start",
        ],
    },
    ThemeDef {
        key: "missing_features",
        name: "Missing features",
        what_counts: "feature requests, missing integrations, workarounds",
        severity: 3,
        cues: &[
            "feature",
            "missing",
            "integration",
            "wish",
            "request",
            "asking for",
        ],
    },
    ThemeDef {
        key: "pricing",
        name: "Pricing and billing",
        what_counts: "too expensive, plan limits, invoices and charges",
        severity: 3,
        cues: &[
            "price",
            "pricing",
            "expensive",
            "cost",
            "billing",
            "invoice",
        ],
    },
    ThemeDef {
        key: "support",
        name: "Support experience",
        what_counts: "slow replies, unresolved tickets, unhelpful answers",
        severity: 2,
        cues: &[
            "support team",
            "response time",
            "customer service",
            "no reply",
            "unresolved",
        ],
    },
];

/// The severity scale every tagged item is rated on.
pub const SEVERITY_SCALE: [&str; 5] = [
    "5: blocks the core job or loses data; a churn risk",
    "4: major pain with a costly workaround",
    "3: friction with a workaround",
    "2: annoyance",
    "1: cosmetic or nice to have",
];

/// The theme a goal depends on most, which gets +1 severity.
fn goal_theme(goal: Option<Goal>) -> Option<&'static str> {
    match goal? {
        Goal::FindPmf => Some("missing_features"),
        Goal::GrowRevenue => Some("pricing"),
        Goal::ImproveRetention => Some("performance"),
        Goal::ReduceChaos => Some("support"),
        Goal::ShipFaster | Goal::RaiseFunding | Goal::Other => None,
    }
}

/// The taxonomy: themes the prompt names first, then by severity; act-now thresholds for `n`.
pub(super) fn themes(text: &str, challenge: &str, goal: Option<Goal>, n: u32) -> Vec<Theme> {
    let boosted = goal_theme(goal);
    let mut out: Vec<Theme> = THEMES
        .iter()
        .map(|t| {
            let boost = boosted == Some(t.key) && t.severity < 5;
            let severity = if boost { t.severity + 1 } else { t.severity };
            let share = fb::ACT_NOW_SCORE / f64::from(severity);
            let severity_reason = match (boost, goal) {
                (true, Some(g)) => format!(
                    "base {}, +1 for your goal: {}",
                    t.severity,
                    g.label().to_lowercase()
                ),
                _ => format!("base {}", t.severity),
            };
            Theme {
                key: t.key.to_string(),
                name: t.name.to_string(),
                what_counts: t.what_counts.to_string(),
                severity,
                severity_reason,
                mentioned_in_prompt: t.cues.iter().any(|c| text.contains(c)),
                mentioned_in_challenge: t.cues.iter().any(|c| challenge.contains(c)),
                act_now_share: round4(share),
                act_now_mentions: ceil(share * f64::from(n)),
                act_now_margin: round4(share_margin(share, n)),
            }
        })
        .collect();
    // Stable sort keeps the taxonomy order among equals.
    out.sort_by_key(|t| {
        (
            !t.mentioned_in_prompt,
            !t.mentioned_in_challenge,
            std::cmp::Reverse(t.severity),
        )
    });
    out
}

fn ceil(x: f64) -> u32 {
    ((x * 1e6).round() / 1e6).ceil().max(0.0) as u32
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The scoring rule, with the first theme worked through.
pub(super) fn scoring(themes: &[Theme], n: u32) -> Scoring {
    let worked_example = match themes.first() {
        Some(t) => format!(
            "{}: {} mentions out of {n} items is a {}% share; {}% x severity {} = {}, so it is worked on this cycle.",
            t.name,
            t.act_now_mentions,
            pct(f64::from(t.act_now_mentions) / f64::from(n.max(1))),
            pct(f64::from(t.act_now_mentions) / f64::from(n.max(1))),
            t.severity,
            num2(f64::from(t.act_now_mentions) / f64::from(n.max(1)) * f64::from(t.severity))
        ),
        None => String::new(),
    };
    Scoring {
        formula: "priority = frequency share (mentions of the theme / items tagged) x severity weight (1-5); from 0 to 5".to_string(),
        severity_scale: SEVERITY_SCALE.iter().map(|s| s.to_string()).collect(),
        act_now_score: fb::ACT_NOW_SCORE,
        watch_score: fb::ACT_NOW_SCORE / 2.0,
        worked_example,
    }
}

fn num2(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A theme's short name for sentences: `missing features`.
pub(super) fn short(t: &Theme) -> String {
    t.key.replace('_', " ")
}

/// What the sample supports.
pub(super) fn sample_verdict(n: u32, moe: f64, answers_for_10: u32) -> String {
    if n >= answers_for_10 {
        format!(
            "{n} answers read NPS within ±{} points: enough to act on changes larger than that, and on themes with clear leads.",
            num(moe)
        )
    } else {
        format!(
            "{n} answers read NPS only within ±{} points: treat the score as directional, read themes from the comments, and pool answers until there are {answers_for_10}.",
            num(moe)
        )
    }
}

const SOURCES: [(&str, &[&str], &str); 8] = [
    (
        "Support tickets",
        &[
            "ticket",
            "support",
            "zendesk",
            "intercom",
            "help desk",
            "helpdesk",
        ],
        "Export the last 90 days from the help desk; tag each ticket with one theme and a severity.",
    ),
    (
        "NPS survey comments",
        &["nps", "net promoter", "promoter", "detractor"],
        "Export score and comment per answer; tag detractor and passive comments first.",
    ),
    (
        "Survey answers",
        &["survey", "questionnaire", "answers", "responses"],
        "Export every open answer with the respondent's plan and signup month.",
    ),
    (
        "Sales calls",
        &["sales", "gong", "demo call"],
        "Pull notes or transcripts of won and lost deals; tag each request with the account and its deal size.",
    ),
    (
        "Customer interviews",
        &[
            "interview",
            "user research",
            "conversations",
            "customer call",
        ],
        "Summarise each interview in three quotes; tag each quote.",
    ),
    (
        "Public reviews (app stores, G2, Capterra)",
        &[
            "app store",
            "play store",
            "reviews",
            "g2",
            "capterra",
            "rating",
        ],
        "Export reviews with stars and date; tag reviews of 3 stars or fewer first.",
    ),
    (
        "Cancellation reasons",
        &["churn", "cancel"],
        "Export the cancellation survey and the last ticket of each churned account.",
    ),
    (
        "Feature requests",
        &["feature request", "feature idea", "canny", "roadmap"],
        "Export requests with votes and the accounts behind them.",
    ),
];

/// Sources the prompt names; support tickets, NPS comments and interviews when it names none.
pub(super) fn sources(text: &str) -> Vec<FeedbackSource> {
    let named: Vec<FeedbackSource> = SOURCES
        .iter()
        .filter(|(_, cues, _)| cues.iter().any(|c| text.contains(c)))
        .map(|(name, _, pull)| FeedbackSource {
            name: name.to_string(),
            from_prompt: true,
            pull: pull.to_string(),
        })
        .collect();
    if !named.is_empty() {
        return named;
    }
    [0usize, 1, 4]
        .into_iter()
        .map(|i| FeedbackSource {
            name: SOURCES[i].0.to_string(),
            from_prompt: false,
            pull: SOURCES[i].2.to_string(),
        })
        .collect()
}

fn bench(metric: &str, value: &str, source: &str) -> Benchmark {
    Benchmark {
        metric: metric.to_string(),
        value: value.to_string(),
        source: source.to_string(),
    }
}

/// The NPS definition and methods, plus the stage's line: PMF early, retention later.
pub(super) fn benchmarks(stage: Option<Stage>) -> Vec<Benchmark> {
    let mut out = vec![
        bench(
            "Net Promoter Score",
            "% promoters (9-10) - % detractors (0-6)",
            fb::NPS,
        ),
        bench("NPS scale", "-100 to 100", fb::NPS),
        bench(
            "NPS standard error",
            "sqrt((p + d - (p - d)^2) / n)",
            fb::NPS_VARIANCE,
        ),
        bench("Theme share margin", "1.96 x sqrt(s(1 - s) / n)", fb::WALD),
    ];
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch | Stage::EarlyRevenue | Stage::Seed => out.push(bench(
            "Product-market fit",
            &format!(
                "{}% or more \"very disappointed\"",
                pct(fb::PMF_VERY_DISAPPOINTED)
            ),
            fb::SEAN_ELLIS,
        )),
        Stage::SeriesA | Stage::SeriesBPlus => {
            out.push(bench(
                "Gross revenue retention (median)",
                "90-93%",
                fb::SAAS_CAPITAL,
            ));
            out.push(bench(
                "Gross revenue retention by segment",
                "SMB 70-80%, mid-market 80-90%, enterprise above 90%",
                fb::BESSEMER,
            ));
        }
    }
    out
}
