//! Intent classification: which kind of artifact a prompt asks for, how sure we are, and why.
//!
//! A transparent weighted-cue classifier, deterministic and fast:
//! 1. the prompt is lower-cased and split into words; a word the lexicon doesn't know that is one
//!    slip (two for long words) from a distinctive cue word is repaired ("retension");
//! 2. every kind's cue patterns (words, stems, synonyms, phrases, "lose .. customers" windows,
//!    and the extracted money amount) are found; each distinct cue adds its weight once;
//! 3. a specific cue followed by a harm word ("churn is killing ...") earns its kind a focus bonus;
//! 4. the best-scoring kind wins if its evidence is enough: a score of `MIN_SCORE` with a cue
//!    specific to the kind or two cues, or `MIN_SCORE_IN_CONTEXT` in a business context ("we",
//!    "our customers"), which shows an everyday word like "grow" or "ship" is meant in the
//!    startup sense;
//! 5. confidence combines the winner's strength with its margin over the runner-up.
//!
//! The cues that decided are returned, so a founder (and a test) can see why. See
//! `docs/classifier.md` for accuracy and known limits.

mod cues;
mod lexicon;
mod text;
mod words;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::error::ArtifactError;
use crate::model::{Kind, Params};
use lexicon::{Evidence, lexicon};

/// The least total cue weight that counts as asking for a kind: one specific cue (2) or two
/// supporting ones; a lone supporting word ("goal", "update") is not a request.
const MIN_SCORE: f64 = 2.0;

/// In a business context ("our customers", "we") one supporting cue is enough: "stop customers
/// from leaving" is a retention question although "leaving" alone is an everyday word.
const MIN_SCORE_IN_CONTEXT: f64 = 1.5;

/// The classifier's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// The chosen kind.
    pub kind: Kind,
    /// Confidence in 0..=1.
    pub confidence: f64,
    /// Other kinds that scored, best first.
    pub alternatives: Vec<Kind>,
    /// The cues that matched for the chosen kind.
    pub cues: Vec<String>,
}

impl Intent {
    /// The intent when the founder forced a kind.
    pub fn forced(kind: Kind) -> Intent {
        Intent {
            kind,
            confidence: 1.0,
            alternatives: Vec::new(),
            cues: vec!["--kind".to_string()],
        }
    }
}

/// Classifies a prompt given the parameters extracted from it (a money amount is a cue), or
/// explains which kinds exist when none fits.
pub fn classify(prompt: &str, params: &Params) -> Result<Intent, ArtifactError> {
    let lex = lexicon();
    let normalised = text::normalise(prompt);
    let tokens = text::tokens(&normalised, &|w| lex.knows(w));
    let evidence = lex.scan(&tokens, params);
    let anchor = tokens.iter().map(|t| t.word).find(|w| lex.is_anchor(w));
    decide(evidence, anchor).ok_or_else(|| ArtifactError::NoKindFits(no_fit_message()))
}

/// Picks the best kind whose evidence is enough, with confidence and alternatives.
fn decide(evidence: [Evidence; 7], anchor: Option<&str>) -> Option<Intent> {
    let mut ranked: Vec<(Kind, Evidence)> = Kind::ALL.into_iter().zip(evidence).collect();
    // Stable sort keeps the design's kind order as the tie-breaker.
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
    let enough = |e: &Evidence| {
        (e.score >= MIN_SCORE && (e.strong || e.hits.len() >= 2))
            || (e.score >= MIN_SCORE_IN_CONTEXT && anchor.is_some())
    };
    let winner = ranked.iter().position(|(_, e)| enough(e))?;
    let (kind, best) = ranked.remove(winner);
    let runner_up = ranked.first().map_or(0.0, |(_, e)| e.score);
    let mut cues = best.hits;
    if !(best.score >= MIN_SCORE && (best.strong || cues.len() >= 2))
        && let Some(word) = anchor
    {
        cues.push(format!("context: {word}"));
    }
    let alternatives = ranked
        .iter()
        .filter(|(_, e)| e.score >= 1.0 && e.score >= best.score / 3.0)
        .map(|(k, _)| *k)
        .collect();
    Some(Intent {
        kind,
        confidence: confidence(best.score, runner_up),
        alternatives,
        cues,
    })
}

/// Strength (saturating in the winner's score: one specific cue ~0.7, three ~0.97) times margin
/// (1 when nothing else scored, 0.5 on a tie), rounded so stored documents stay stable.
fn confidence(best: f64, runner_up: f64) -> f64 {
    let strength = 1.0 - (-best / 2.5).exp();
    let margin = 0.5 + 0.5 * (best - runner_up.min(best)) / best;
    (strength * margin * 1000.0).round() / 1000.0
}

/// The message shown when no kind fits: every kind with an example prompt.
pub fn no_fit_message() -> String {
    let mut msg = String::from(
        "this prompt doesn't match any artifact cosos can build. Try one of these kinds (or force one with --kind):",
    );
    for kind in Kind::ALL {
        msg.push_str(&format!(
            "\n  {:<19} e.g. \"{}\"",
            kind.as_str(),
            kind.example_prompt()
        ));
    }
    msg
}

/// Evidence per kind for a prompt, for tests and tuning tools: (kind, score, cues).
#[cfg(test)]
fn explain(prompt: &str, params: &Params) -> Vec<(Kind, f64, Vec<String>)> {
    let lex = lexicon();
    let normalised = text::normalise(prompt);
    let tokens = text::tokens(&normalised, &|w| lex.knows(w));
    let evidence = lex.scan(&tokens, params);
    Kind::ALL
        .into_iter()
        .zip(evidence)
        .filter(|(_, e)| e.score > 0.0)
        .map(|(k, e)| (k, e.score, e.hits))
        .collect()
}
