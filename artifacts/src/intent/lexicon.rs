//! The cue patterns compiled once into an index, and the scan that finds them in a prompt.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::cues::cues;
use super::text::Token;
use super::words::{ANCHORS, HARM};
use crate::model::{Kind, Params};

/// How many words a `..` step may skip: far enough for "lose about 5% of our customers", near
/// enough that two unrelated clauses of a long prompt don't join.
const GAP: usize = 4;

/// Added to a kind whose specific cue is followed by a harm word ("churn is killing ..."): the
/// problem the founder names outweighs the outcome it hurts.
const FOCUS: f64 = 2.0;

/// How many words after a cue a harm word may come: "churn is really killing".
const FOCUS_REACH: usize = 3;

/// One choice within a step.
#[derive(Debug, Clone, Copy)]
enum Alt {
    Exact(&'static str),
    Prefix(&'static str),
}

/// One word position of a pattern.
#[derive(Debug)]
struct Step {
    alts: Vec<Alt>,
    /// May come up to [`GAP`] words after the previous step instead of right after it.
    gap: bool,
}

/// What a cue tests: words of the prompt, or a parameter extracted from it.
#[derive(Debug)]
enum Test {
    Words(Vec<Step>),
    Money,
    Multiple,
    Meeting,
}

/// A compiled cue.
#[derive(Debug)]
struct Cue {
    kind: Kind,
    weight: f64,
    weak: bool,
    test: Test,
}

/// The evidence for one kind.
#[derive(Debug, Clone, Default)]
pub(super) struct Evidence {
    /// Sum of the weights of the distinct cues found.
    pub score: f64,
    /// At least one cue that names the kind without needing context.
    pub strong: bool,
    /// The cues found, as the prompt spelled them.
    pub hits: Vec<String>,
}

impl Evidence {
    fn add(&mut self, weight: f64, strong: bool, label: String) {
        self.score += weight;
        self.strong |= strong;
        // Two cues can match the same words ("meetings", "too many meetings" share one); show once.
        if !self.hits.contains(&label) {
            self.hits.push(label);
        }
    }
}

/// The compiled lexicon.
pub(super) struct Lexicon {
    cues: Vec<Cue>,
    /// Cue ids by the exact words of their first step.
    first_exact: HashMap<&'static str, Vec<usize>>,
    /// Cue ids by the prefixes of their first step.
    first_prefix: HashMap<&'static str, Vec<usize>>,
    /// Every exact word of every step, so typo repair leaves known words alone.
    known_exact: HashSet<&'static str>,
    /// Every prefix of every step.
    known_prefix: HashSet<&'static str>,
    /// Shortest and longest prefix, to bound the lookups per word.
    prefix_lens: (usize, usize),
    anchors: HashSet<&'static str>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::compile);

/// The lexicon, compiled on first use.
pub(super) fn lexicon() -> &'static Lexicon {
    &LEXICON
}

impl Lexicon {
    fn compile() -> Lexicon {
        let mut lex = Lexicon {
            cues: Vec::new(),
            first_exact: HashMap::new(),
            first_prefix: HashMap::new(),
            known_exact: HashSet::new(),
            known_prefix: HashSet::new(),
            prefix_lens: (usize::MAX, 0),
            anchors: ANCHORS.iter().copied().collect(),
        };
        for kind in Kind::ALL {
            for &(pattern, weight) in cues(kind) {
                lex.add(kind, pattern, weight);
            }
        }
        lex
    }

    fn add(&mut self, kind: Kind, pattern: &'static str, weight: f64) {
        let weak = pattern.starts_with('~');
        let body = pattern.trim_start_matches('~');
        let test = match body {
            "$money" => Test::Money,
            "$multiple" => Test::Multiple,
            "$meeting" => Test::Meeting,
            _ => Test::Words(parse_steps(body)),
        };
        let id = self.cues.len();
        if let Test::Words(steps) = &test {
            for (i, step) in steps.iter().enumerate() {
                for alt in &step.alts {
                    match *alt {
                        Alt::Exact(w) => {
                            self.known_exact.insert(w);
                            if i == 0 {
                                self.first_exact.entry(w).or_default().push(id);
                            }
                        }
                        Alt::Prefix(p) => {
                            self.known_prefix.insert(p);
                            self.prefix_lens.0 = self.prefix_lens.0.min(p.len());
                            self.prefix_lens.1 = self.prefix_lens.1.max(p.len());
                            if i == 0 {
                                self.first_prefix.entry(p).or_default().push(id);
                            }
                        }
                    }
                }
            }
        }
        self.cues.push(Cue {
            kind,
            weight,
            weak,
            test,
        });
    }

    /// Whether a word already means something to some cue (so it is no typo).
    pub(super) fn knows(&self, word: &str) -> bool {
        self.anchors.contains(word)
            || singulars(word).any(|w| self.known_exact.contains(w))
            || self.prefixes(word).any(|p| self.known_prefix.contains(p))
    }

    /// Whether a word places the prompt in a business context.
    pub(super) fn is_anchor(&self, word: &str) -> bool {
        self.anchors.contains(word)
    }

    fn prefixes<'w>(&self, word: &'w str) -> impl Iterator<Item = &'w str> {
        let (lo, hi) = self.prefix_lens;
        (lo..=hi.min(word.len()))
            .filter(move |&n| word.is_char_boundary(n))
            .map(move |n| &word[..n])
    }

    /// Finds every cue in the tokens (each counted once) and sums the evidence per kind, in
    /// [`Kind::ALL`] order.
    pub(super) fn scan(&self, tokens: &[Token<'_>], params: &Params) -> [Evidence; 7] {
        let mut evidence: [Evidence; 7] = Default::default();
        let mut found = vec![false; self.cues.len()];
        for (id, cue) in self.cues.iter().enumerate() {
            let label = match cue.test {
                Test::Money if params.target_mrr.or(params.current_mrr).is_some() => "money amount",
                Test::Multiple if params.target_multiple.is_some() => "growth multiple",
                Test::Meeting if params.meeting_date.is_some() => "meeting date",
                _ => continue,
            };
            found[id] = true;
            evidence[kind_index(cue.kind)].add(cue.weight, !cue.weak, label.to_string());
        }
        // Where each kind's specific cues end, for the focus rule.
        let mut ends: Vec<(usize, usize)> = Vec::new();
        for start in 0..tokens.len() {
            let word = tokens[start].word;
            let exact = singulars(word).filter_map(|w| self.first_exact.get(w));
            let prefix = self.prefixes(word).filter_map(|p| self.first_prefix.get(p));
            for &id in exact.chain(prefix).flatten() {
                if found[id] {
                    continue;
                }
                let cue = &self.cues[id];
                if let Test::Words(steps) = &cue.test
                    && let Some(used) = match_at(steps, tokens, start)
                {
                    found[id] = true;
                    let k = kind_index(cue.kind);
                    evidence[k].add(cue.weight, !cue.weak, label(tokens, &used));
                    if !cue.weak {
                        ends.push((k, used[used.len() - 1]));
                    }
                }
            }
        }
        let mut focused = [false; 7];
        for (k, end) in ends {
            let after = &tokens[end + 1..(end + 1 + FOCUS_REACH).min(tokens.len())];
            if let Some(harm) = after.iter().find(|t| HARM.contains(&t.word))
                && !focused[k]
            {
                focused[k] = true;
                let label = format!("focus: {} .. {}", tokens[end].word, harm.word);
                evidence[k].add(FOCUS, true, label);
            }
        }
        evidence
    }
}

/// The position of `kind` in [`Kind::ALL`].
pub(super) fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

fn parse_steps(body: &'static str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut gap = false;
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        if word == ".." {
            gap = true;
            continue;
        }
        let alts = word
            .split('|')
            .map(|a| match a.strip_suffix('*') {
                Some(p) => Alt::Prefix(p),
                None => Alt::Exact(a),
            })
            .collect();
        steps.push(Step { alts, gap });
        gap = false;
    }
    steps
}

/// The word itself and, when it ends in -s or -es, the word without it.
fn singulars(word: &str) -> impl Iterator<Item = &str> {
    let s = word.strip_suffix('s').filter(|s| s.len() >= 2);
    let es = s.and_then(|s| s.strip_suffix('e')).filter(|s| s.len() >= 2);
    std::iter::once(word).chain(s).chain(es)
}

fn alt_matches(alt: Alt, word: &str) -> bool {
    match alt {
        Alt::Exact(w) => singulars(word).any(|s| s == w),
        Alt::Prefix(p) => word.starts_with(p),
    }
}

/// The token positions of a match of `steps` starting at `start`, if there is one.
fn match_at(steps: &[Step], tokens: &[Token<'_>], start: usize) -> Option<Vec<usize>> {
    let first = steps.first()?;
    if !first
        .alts
        .iter()
        .any(|a| alt_matches(*a, tokens[start].word))
    {
        return None;
    }
    let mut used = vec![start];
    let mut pos = start;
    for step in &steps[1..] {
        let reach = if step.gap { GAP + 1 } else { 1 };
        let end = (pos + reach).min(tokens.len() - 1);
        pos =
            (pos + 1..=end).find(|&j| step.alts.iter().any(|a| alt_matches(*a, tokens[j].word)))?;
        used.push(pos);
    }
    Some(used)
}

/// The matched words as the prompt spelled them, typos shown with their repair.
fn label(tokens: &[Token<'_>], used: &[usize]) -> String {
    let mut out = String::new();
    for (n, &i) in used.iter().enumerate() {
        if n > 0 {
            out.push_str(if i == used[n - 1] + 1 { " " } else { " .. " });
        }
        let t = tokens[i];
        match t.typo {
            Some(typed) => {
                out.push_str(t.word);
                out.push_str(" (typed \"");
                out.push_str(typed);
                out.push_str("\")");
            }
            None => out.push_str(t.word),
        }
    }
    out
}
