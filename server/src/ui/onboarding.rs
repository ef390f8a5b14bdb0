//! The onboarding steps: welcome, quick context, prompt. Each step is a plain form, so the flow
//! works without JavaScript; the context travels between steps in the query string and hidden
//! fields rather than a session, because the server keeps none.

use axum::http::StatusCode;
use axum::response::Response;
use cosos_artifacts::{Goal, Kind, Stage};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::page;
use super::view::link;

/// The onboarding state as the query string (GET) or the form (POST) carries it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Answers {
    /// `welcome` (default), `context` or `prompt`.
    pub step: Option<String>,
    /// A stage value, or empty.
    #[serde(default)]
    pub stage: String,
    /// A goal value, or empty.
    #[serde(default)]
    pub goal: String,
    /// The founder's challenge in their words.
    #[serde(default)]
    pub challenge: String,
    /// The prompt so far.
    #[serde(default)]
    pub prompt: String,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
    hint: &'static str,
    checked: bool,
}

#[derive(Serialize)]
struct Suggestion {
    text: &'static str,
    href: String,
}

#[derive(Serialize)]
struct SuggestionGroup {
    goal: &'static str,
    label: &'static str,
    items: Vec<Suggestion>,
}

#[derive(Serialize)]
struct Example {
    kind: &'static str,
    label: &'static str,
    prompt: &'static str,
    href: String,
}

fn stage_hint(stage: Stage) -> &'static str {
    match stage {
        Stage::PreLaunch => "Building, no revenue yet",
        Stage::EarlyRevenue => "First paying customers",
        Stage::Seed => "Seed round raised",
        Stage::SeriesA => "Scaling what works",
        Stage::SeriesBPlus => "Scaling the company",
    }
}

fn challenges(goal: Goal) -> &'static [&'static str] {
    match goal {
        Goal::FindPmf => &[
            "Users sign up but few come back",
            "We can't tell which segment loves us most",
            "Customer interviews give mixed signals",
        ],
        Goal::GrowRevenue => &[
            "MRR has been flat for three months",
            "Too few trials convert to paid",
            "We don't know which channel drives revenue",
        ],
        Goal::ImproveRetention => &[
            "Customers churn after their first month",
            "Big accounts downgrade at renewal",
            "We only hear about churn when they cancel",
        ],
        Goal::ShipFaster => &[
            "Releases slip every sprint",
            "Code reviews take days",
            "The same bugs keep coming back",
        ],
        Goal::RaiseFunding => &[
            "Our metrics story for investors is unclear",
            "Board meetings take a week to prepare",
            "Runway is under 12 months",
        ],
        Goal::ReduceChaos => &[
            "Meetings eat the whole week",
            "Nobody knows who owns what",
            "Priorities change every week",
        ],
        Goal::Other => &[
            "Too many priorities at once",
            "No single source of truth for our numbers",
        ],
    }
}

/// Renders the step the answers ask for; `error` re-renders the prompt step with a message.
pub fn render(answers: &Answers, status: StatusCode, error: Option<&str>) -> Response {
    let step = match answers.step.as_deref() {
        _ if error.is_some() => "prompt",
        Some("context") => "context",
        Some("prompt") => "prompt",
        _ => "welcome",
    };
    let mut ctx = Context::new();
    ctx.insert("nav", "onboarding");
    ctx.insert("step", step);
    ctx.insert("stage", &answers.stage);
    ctx.insert("goal", &answers.goal);
    ctx.insert("challenge", &answers.challenge);
    ctx.insert("prompt", &answers.prompt);
    ctx.insert("error", &error);
    let stages: Vec<Choice> = Stage::ALL
        .into_iter()
        .map(|s| Choice {
            value: s.as_str(),
            label: s.label(),
            hint: stage_hint(s),
            checked: answers.stage == s.as_str(),
        })
        .collect();
    ctx.insert("stages", &stages);
    let goals: Vec<Choice> = Goal::ALL
        .into_iter()
        .map(|g| Choice {
            value: g.as_str(),
            label: g.label(),
            hint: "",
            checked: answers.goal == g.as_str(),
        })
        .collect();
    ctx.insert("goals", &goals);
    let groups: Vec<SuggestionGroup> = Goal::ALL
        .into_iter()
        .map(|g| SuggestionGroup {
            goal: g.as_str(),
            label: g.label(),
            items: challenges(g)
                .iter()
                .map(|text| Suggestion {
                    text,
                    href: link(
                        "/onboarding",
                        &[
                            ("step", "context"),
                            ("stage", &answers.stage),
                            ("goal", g.as_str()),
                            ("challenge", text),
                        ],
                    ),
                })
                .collect(),
        })
        .collect();
    ctx.insert("suggestions", &groups);
    let examples: Vec<Example> = Kind::ALL
        .into_iter()
        .map(|k| Example {
            kind: k.as_str(),
            label: k.label(),
            prompt: k.example_prompt(),
            href: link(
                "/onboarding",
                &[
                    ("step", "prompt"),
                    ("stage", &answers.stage),
                    ("goal", &answers.goal),
                    ("challenge", &answers.challenge),
                    ("prompt", k.example_prompt()),
                ],
            ),
        })
        .collect();
    ctx.insert("examples", &examples);
    ctx.insert(
        "back",
        &link(
            "/onboarding",
            &[
                ("step", "context"),
                ("stage", &answers.stage),
                ("goal", &answers.goal),
                ("challenge", &answers.challenge),
            ],
        ),
    );
    page(status, "onboarding.html", &ctx)
}
