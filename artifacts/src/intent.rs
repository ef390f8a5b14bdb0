//! Intent classification: which kind of artifact a prompt asks for, how sure we are, and why.
//!
//! A transparent weighted-cue classifier: every kind has cue words and phrases with weights;
//! the prompt's score per kind is the sum of the cues it contains. Single words of five letters
//! or more also match with one typo, so "retension" still means retention. The cues that decided
//! are returned, so a founder (and a test) can see why.

use serde::{Deserialize, Serialize};

use crate::error::ArtifactError;
use crate::model::{Kind, Params};

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

/// A cue: a word (`*` suffix = prefix match) or a phrase of several words, and its weight.
type Cue = (&'static str, f64);

fn cues(kind: Kind) -> &'static [Cue] {
    match kind {
        Kind::MrrTracker => &[
            ("mrr", 3.0),
            ("arr", 3.0),
            ("recurring revenue", 3.0),
            ("revenue", 2.0),
            ("path to", 1.0),
            ("growth", 1.0),
            ("grow", 1.0),
            ("new customers", 1.5),
            ("doubling", 1.5),
            ("double", 1.0),
            ("run rate", 2.0),
            ("fall behind plan", 1.0),
            ("sales target", 2.0),
            ("$money", 2.0),
        ],
        Kind::RetentionAnalysis => &[
            ("retention", 3.0),
            ("retain*", 3.0),
            ("churn*", 3.0),
            ("cohort*", 2.5),
            ("come back", 3.0),
            ("coming back", 3.0),
            ("nrr", 3.0),
            ("grr", 3.0),
            ("renewal*", 2.0),
            ("cancel*", 2.0),
            ("leaving", 1.5),
            ("stick around", 2.0),
            ("downgrade*", 1.5),
        ],
        Kind::BoardPrep => &[
            ("board", 3.0),
            ("board meeting", 2.0),
            ("investor update", 3.0),
            ("investors", 1.5),
            ("investor", 1.5),
            ("deck", 2.0),
            ("board pack", 2.0),
            ("talking points", 1.5),
            ("kpis", 0.5),
            ("directors", 2.0),
        ],
        Kind::ActivationFunnel => &[
            ("activation", 3.0),
            ("activate*", 3.0),
            ("funnel", 3.0),
            ("onboarding", 2.0),
            ("signup*", 2.0),
            ("sign up", 2.0),
            ("sign-up*", 2.0),
            ("drop off", 2.0),
            ("drop-off", 2.0),
            ("conversion", 2.0),
            ("convert*", 1.5),
            ("trial", 2.0),
            ("setup", 1.0),
            ("first project", 1.5),
            ("aha moment", 2.0),
            ("time to value", 2.0),
        ],
        Kind::ProductVelocity => &[
            ("velocity", 3.0),
            ("shipping", 2.0),
            ("ship", 2.0),
            ("deploy*", 2.5),
            ("cycle time", 3.0),
            ("lead time", 2.5),
            ("sprint*", 2.5),
            ("engineering", 2.0),
            ("engineers", 2.0),
            ("developers", 2.0),
            ("standup", 2.5),
            ("stand-up", 2.5),
            ("bottleneck*", 2.0),
            ("dora", 3.0),
            ("pull request*", 2.0),
            ("release*", 1.5),
            ("roadmap", 1.0),
        ],
        Kind::CustomerFeedback => &[
            ("feedback", 3.0),
            ("nps", 3.0),
            ("survey*", 2.5),
            ("complain*", 2.5),
            ("support tickets", 2.5),
            ("tickets", 1.5),
            ("feature request*", 3.0),
            ("themes", 2.0),
            ("reviews", 1.5),
            ("users are saying", 2.5),
            ("customers are saying", 2.5),
            ("interviews", 1.5),
            ("comments", 1.0),
            ("sales calls", 1.0),
        ],
        Kind::OperatingSystem => &[
            ("operating system", 4.0),
            ("okr*", 3.0),
            ("ritual*", 3.0),
            ("cadence", 3.0),
            ("rhythm", 2.5),
            ("source of truth", 3.0),
            ("run the company", 3.0),
            ("too many tools", 2.0),
            ("chaos", 2.0),
            ("alignment", 2.0),
            ("meeting rhythm", 1.0),
            ("scorecard", 2.5),
            ("decision log", 2.5),
        ],
    }
}

/// Classifies a prompt given the parameters extracted from it (a money amount is a cue), or
/// explains which kinds exist when none fits.
pub fn classify(prompt: &str, params: &Params) -> Result<Intent, ArtifactError> {
    let text = normalise(prompt);
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let has_money = params.target_mrr.is_some() || params.current_mrr.is_some();
    let mut scored: Vec<(Kind, f64, Vec<String>)> = Kind::ALL
        .into_iter()
        .map(|kind| {
            let mut score = 0.0;
            let mut hits = Vec::new();
            for &(cue, weight) in cues(kind) {
                let matched = if cue == "$money" {
                    has_money
                } else {
                    matches_cue(cue, &text, &words)
                };
                if matched {
                    score += weight;
                    hits.push(cue.trim_end_matches('*').to_string());
                }
            }
            (kind, score, hits)
        })
        .collect();
    // Stable sort keeps the design's kind order as the tie-breaker.
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (kind, top, cues) = scored[0].clone();
    if top < 1.0 {
        return Err(ArtifactError::NoKindFits(no_fit_message()));
    }
    let second = scored.get(1).map_or(0.0, |s| s.1);
    let confidence = ((top / (top + second + 1.0)) * 1000.0).round() / 1000.0;
    let alternatives = scored[1..]
        .iter()
        .filter(|s| s.1 > 0.0)
        .map(|s| s.0)
        .collect();
    Ok(Intent {
        kind,
        confidence,
        alternatives,
        cues,
    })
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

fn normalise(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len());
    let mut last_space = true;
    for c in prompt.chars().flat_map(char::to_lowercase) {
        let keep = c.is_alphanumeric() || c == '-' || c == '$';
        if keep {
            out.push(if c == '’' { '\'' } else { c });
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    out
}

fn matches_cue(cue: &str, text: &str, words: &[&str]) -> bool {
    if cue.contains(' ') {
        return contains_phrase(text, cue.trim_end_matches('*'));
    }
    if let Some(stem) = cue.strip_suffix('*') {
        return words
            .iter()
            .any(|w| w.starts_with(stem) || (stem.len() >= 5 && near(&w[..], stem)));
    }
    words
        .iter()
        .any(|w| *w == cue || (cue.len() >= 5 && near(w, cue)))
}

fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, _)| {
        let before_ok = i == 0 || text.as_bytes()[i - 1] == b' ';
        let end = i + phrase.len();
        let after = &text[end..];
        // A phrase may end a word's stem ("pull requests"), but may not start mid-word.
        before_ok && (after.is_empty() || after.starts_with(' ') || after.starts_with('s'))
    })
}

/// One typo away (insertion, deletion, substitution or swap), for words of similar length.
fn near(word: &str, cue: &str) -> bool {
    word.len() + 1 >= cue.len()
        && word.len() <= cue.len() + 1
        && strsim::damerau_levenshtein(word, cue) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(p: &str) -> Params {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        crate::parse::extract_params(p, today)
    }

    fn kind_of(p: &str) -> Kind {
        classify(p, &params(p))
            .map(|i| i.kind)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn classifies_mrr_prompts() {
        assert_eq!(kind_of("Track our path to $100k MRR"), Kind::MrrTracker);
        assert_eq!(
            kind_of("Can we reach $1.2M ARR by Q4 2027?"),
            Kind::MrrTracker
        );
        assert_eq!(
            kind_of("is doubling mrr in 6 months realistic"),
            Kind::MrrTracker
        );
    }

    #[test]
    fn tolerates_typos() {
        assert_eq!(
            kind_of("we have a retension problem"),
            Kind::RetentionAnalysis
        );
        assert_eq!(kind_of("activaton is low"), Kind::ActivationFunnel);
    }

    #[test]
    fn nonsense_fits_no_kind() {
        for p in ["asdf qwerty", "what's the weather in Paris"] {
            match classify(p, &params(p)) {
                Err(ArtifactError::NoKindFits(msg)) => {
                    for kind in Kind::ALL {
                        assert!(msg.contains(kind.as_str()), "{msg}");
                    }
                }
                other => panic!("{p}: {other:?}"),
            }
        }
    }

    #[test]
    fn reports_cues_and_alternatives() {
        let p = "Why are customers churning after the first month?";
        let intent = classify(p, &params(p)).unwrap();
        assert_eq!(intent.kind, Kind::RetentionAnalysis);
        assert!(intent.cues.iter().any(|c| c == "churn"));
        assert!(intent.confidence > 0.5 && intent.confidence <= 1.0);
    }
}
