//! Classifier accuracy on the shared labelled prompts and on the held-out set, with confusion
//! matrices printed to stdout (`cargo test --test classifier -- --nocapture`).

use chrono::NaiveDate;
use cosos_artifacts::intent::classify;
use cosos_artifacts::parse::extract_params;
use cosos_artifacts::{ArtifactError, Kind};
use serde_json::Value;

const SHARED: &str = include_str!("../../shared/data/prompts.jsonl");
const HELDOUT: &str = include_str!("heldout_prompts.jsonl");

/// Below this, a founder would meet a wrong artifact too often to trust the classifier.
const MIN_ACCURACY: f64 = 0.95;

/// Row and column names: the seven kinds, then "refused" (no kind fits).
const REFUSED: usize = 7;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// (prompt, expected class index) per line; `"kind": null` means the prompt must be refused.
fn load(jsonl: &str) -> Vec<(String, usize)> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let prompt = v["prompt"].as_str().unwrap().to_string();
            let class = match v["kind"].as_str() {
                Some(k) => index(k.parse::<Kind>().unwrap()),
                None => REFUSED,
            };
            (prompt, class)
        })
        .collect()
}

fn index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap()
}

fn name(class: usize) -> &'static str {
    Kind::ALL.get(class).map_or("refused", |k| k.as_str())
}

fn predict(prompt: &str) -> usize {
    match classify(prompt, &extract_params(prompt, today())) {
        Ok(intent) => index(intent.kind),
        Err(ArtifactError::NoKindFits(_)) => REFUSED,
        Err(e) => panic!("{prompt}: unexpected error {e}"),
    }
}

/// Classifies every prompt, prints the confusion matrix and the misses, returns the accuracy.
fn evaluate(title: &str, set: &[(String, usize)]) -> f64 {
    let mut matrix = [[0usize; 8]; 8];
    let mut misses = Vec::new();
    for (prompt, expected) in set {
        let got = predict(prompt);
        matrix[*expected][got] += 1;
        if got != *expected {
            misses.push(format!(
                "  expected {:<18} got {:<18} {prompt}",
                name(*expected),
                name(got)
            ));
        }
    }
    let correct: usize = (0..8).map(|i| matrix[i][i]).sum();
    let accuracy = correct as f64 / set.len() as f64;
    println!(
        "\n== {title}: {correct}/{} correct, accuracy {:.1}%",
        set.len(),
        accuracy * 100.0
    );
    println!("{}", render(&matrix));
    if !misses.is_empty() {
        println!("misclassified:\n{}", misses.join("\n"));
    }
    accuracy
}

/// A Markdown table: rows are the labels, columns the predictions.
fn render(matrix: &[[usize; 8]; 8]) -> String {
    let short = [
        "mrr",
        "retention",
        "board",
        "activation",
        "velocity",
        "feedback",
        "opsys",
        "refused",
    ];
    let mut out = String::from("| label \\ predicted |");
    for s in short {
        out.push_str(&format!(" {s} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(8));
    for (i, row) in matrix.iter().enumerate() {
        if row.iter().sum::<usize>() == 0 {
            continue;
        }
        out.push_str(&format!("\n| {} |", name(i)));
        for n in row {
            out.push_str(&format!(" {n} |"));
        }
    }
    out
}

#[test]
fn shared_prompts_accuracy() {
    let accuracy = evaluate("shared/data/prompts.jsonl", &load(SHARED));
    assert!(accuracy >= MIN_ACCURACY, "accuracy {accuracy:.3}");
}

#[test]
fn heldout_prompts_accuracy() {
    let set = load(HELDOUT);
    assert!(
        set.len() >= 140,
        "the held-out set needs at least 140 prompts"
    );
    for class in 0..REFUSED {
        let n = set.iter().filter(|(_, c)| *c == class).count();
        assert!(n >= 20, "{} has only {n} held-out prompts", name(class));
    }
    let accuracy = evaluate("tests/heldout_prompts.jsonl", &set);
    assert!(accuracy >= MIN_ACCURACY, "accuracy {accuracy:.3}");
}

#[test]
fn nonsense_is_refused_with_the_kinds_listed() {
    let set = load(HELDOUT);
    let nonsense: Vec<&str> = set
        .iter()
        .filter(|(_, c)| *c == REFUSED)
        .map(|(p, _)| p.as_str())
        .collect();
    assert!(nonsense.len() >= 15);
    let accepted: Vec<&str> = nonsense
        .iter()
        .copied()
        .filter(|p| predict(p) != REFUSED)
        .collect();
    assert!(accepted.is_empty(), "nonsense accepted: {accepted:?}");
    let p = "what's the weather in Paris";
    match classify(p, &extract_params(p, today())) {
        Err(ArtifactError::NoKindFits(msg)) => {
            for kind in Kind::ALL {
                assert!(msg.contains(kind.as_str()), "{msg}");
                assert!(msg.contains(kind.example_prompt()), "{msg}");
            }
        }
        other => panic!("{other:?}"),
    }
}
