//! Prompt text to tokens: lower case, punctuation-free words, with typo repair against the
//! classifier's own vocabulary.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::words::{NOT_TYPOS, TYPO_VOCAB};

/// One word of the prompt as the cue matcher sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Token<'a> {
    /// The word to match: the prompt's own, or the vocabulary word a typo was repaired to.
    pub word: &'a str,
    /// The prompt's spelling when `word` is a repair, so the explanation can show both.
    pub typo: Option<&'a str>,
}

/// Lower-cases and splits into words. Apostrophes join ("don't" -> "dont") so contractions stay
/// one word; every other non-alphanumeric char separates, so "sign-up" and "1:1" become phrases.
pub(super) fn normalise(prompt: &str) -> String {
    let mut out = String::with_capacity(prompt.len());
    let mut gap = true;
    for c in prompt.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            gap = false;
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}') {
            // Joining keeps "we're" a single (anchor) word instead of "we" + "re".
        } else if !gap {
            out.push(' ');
            gap = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Splits normalised text into tokens, repairing likely typos of vocabulary words.
pub(super) fn tokens<'a>(text: &'a str, known: &dyn Fn(&str) -> bool) -> Vec<Token<'a>> {
    text.split(' ')
        .filter(|w| !w.is_empty())
        .map(|word| match repair(word, known) {
            Some(fixed) => Token {
                word: fixed,
                typo: Some(word),
            },
            None => Token { word, typo: None },
        })
        .collect()
}

/// Real English words one or two edits from a vocabulary word ("spring" vs "sprint"): never repaired.
static NOT_TYPO_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NOT_TYPOS.iter().copied().collect());

/// The vocabulary word `word` is a typo of, if it is one. Only words the lexicon doesn't already
/// know are tried, and short words never are: "bord" -> "board" is useful, but three-letter
/// words sit one edit from too many others.
fn repair(word: &str, known: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    let len = word.len();
    if !(4..=20).contains(&len) || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if known(word) || NOT_TYPO_SET.contains(word) {
        return None;
    }
    let w = word.as_bytes();
    TYPO_VOCAB.iter().copied().find(|v| {
        // Two edits only for long words, where two slips are common and collisions rare.
        let max = if v.len() >= 9 { 2 } else { 1 };
        let vb = v.as_bytes();
        v.len().abs_diff(len) <= max
            && v.len() >= 5
            && (vb[0] == w[0] || (vb[0] == w[1] && vb[1] == w[0]))
            && strsim::osa_distance(word, v) <= max
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn normalises_case_punctuation_and_contractions() {
        assert_eq!(normalise("  We're at $12K MRR!! "), "were at 12k mrr");
        assert_eq!(normalise("sign-up -> 1:1"), "sign up 1 1");
        assert_eq!(normalise("don’t"), "dont");
        assert_eq!(normalise("...?"), "");
    }

    #[test]
    fn repairs_typos_of_vocabulary_words_only() {
        let toks = tokens("retension chrun onbording velcity fedback", &none);
        let words: Vec<&str> = toks.iter().map(|t| t.word).collect();
        assert_eq!(
            words,
            ["retention", "churn", "onboarding", "velocity", "feedback"]
        );
        assert_eq!(toks[1].typo, Some("chrun"));
        for real in ["spring", "print", "revenge", "melting", "conversation"] {
            assert_eq!(tokens(real, &none)[0].typo, None, "{real}");
        }
    }
}
