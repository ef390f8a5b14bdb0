//! The pipeline: prompt + context -> intent -> params -> kind generator -> content.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ArtifactError;
use crate::intent::{self, Intent};
use crate::kinds::{self, KindInput, LiveMetrics};
use crate::model::{Context, GeneratorInfo, Kind, Params};
use crate::parse;

/// The longest prompt we accept, in characters; longer text is almost certainly pasted by mistake.
pub const MAX_PROMPT_CHARS: usize = 10_000;

/// What the founder asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The prompt in the founder's words.
    pub prompt: String,
    /// Stage, goal and challenge.
    #[serde(default)]
    pub context: Context,
    /// Forces a kind instead of classifying the prompt.
    #[serde(default)]
    pub kind: Option<Kind>,
}

/// A generated artifact, ready to be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generated {
    /// The kind that was generated.
    pub kind: Kind,
    /// A specific title, e.g. "Path to $50k MRR by June 2027".
    pub title: String,
    /// Parameters the prompt stated.
    pub params: Params,
    /// Kind-specific content (DESIGN section 4).
    pub content: serde_json::Value,
    /// Engine, confidence and alternatives.
    pub generator: GeneratorInfo,
    /// The classifier's decision, with the cues that decided it.
    pub intent: Intent,
}

/// Generates an artifact for `request` as of `today`, using live metrics when there are any.
pub fn generate(
    request: &Request,
    today: NaiveDate,
    live: Option<&LiveMetrics>,
) -> Result<Generated, ArtifactError> {
    let prompt = request.prompt.trim();
    if prompt.is_empty() {
        return Err(ArtifactError::EmptyPrompt);
    }
    let len = prompt.chars().count();
    if len > MAX_PROMPT_CHARS {
        return Err(ArtifactError::PromptTooLong {
            len,
            max: MAX_PROMPT_CHARS,
        });
    }
    let params = parse::extract_params(prompt, today);
    let intent = match request.kind {
        Some(kind) => Intent::forced(kind),
        None => intent::classify(prompt, &params)?,
    };
    let input = KindInput {
        prompt,
        context: &request.context,
        params: &params,
        today,
        live,
    };
    let output = kinds::generate(intent.kind, &input)?;
    Ok(Generated {
        kind: intent.kind,
        title: output.title,
        params,
        content: output.content,
        generator: GeneratorInfo {
            engine: "builtin".to_string(),
            confidence: intent.confidence,
            alternatives: intent
                .alternatives
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
            fallback_reason: None,
        },
        intent,
    })
}
