//! Prose slots: the string values of an artifact's content that a model may rephrase, each named
//! by its JSON Pointer (RFC 6901).
//!
//! The walk is generic over the content so every kind gets LLM prose without a per-kind table;
//! everything else (numbers, ids, metrics, sources, dates) is never offered to the model.

use serde_json::Value;

/// Keys whose string value is prose.
pub const PROSE_KEYS: &[&str] = &[
    "reasoning",
    "text",
    "rationale",
    "statement",
    "hypothesis",
    "summary",
    "description",
    "why",
];
/// Keys whose list of strings is prose, one slot per item.
pub const PROSE_LISTS: &[&str] = &["hypotheses", "assumptions"];

/// One piece of prose in the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Where it is, e.g. `/next_actions/2/text`.
    pub pointer: String,
    /// The built-in text.
    pub text: String,
}

/// Every prose slot of `content`, in document order.
pub fn collect(content: &Value) -> Vec<Slot> {
    let mut out = Vec::new();
    walk(content, "", &mut out);
    out
}

fn walk(value: &Value, pointer: &str, out: &mut Vec<Slot>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let at = format!("{pointer}/{}", escape(key));
                match child {
                    Value::String(s) if PROSE_KEYS.contains(&key.as_str()) => push(out, at, s),
                    Value::Array(items) if PROSE_LISTS.contains(&key.as_str()) => {
                        for (i, item) in items.iter().enumerate() {
                            let item_at = format!("{at}/{i}");
                            match item {
                                Value::String(s) => push(out, item_at, s),
                                other => walk(other, &item_at, out),
                            }
                        }
                    }
                    other => walk(other, &at, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

// An empty text has nothing to rephrase, and the schema's non-empty rule could never hold for it.
fn push(out: &mut Vec<Slot>, pointer: String, text: &str) {
    if !text.trim().is_empty() {
        out.push(Slot {
            pointer,
            text: text.to_string(),
        });
    }
}

/// Escapes one reference token (RFC 6901 section 3).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Replaces the string at `pointer`; false when it is not a string there.
pub fn apply(content: &mut Value, pointer: &str, text: String) -> bool {
    match content.pointer_mut(pointer) {
        Some(slot @ Value::String(_)) => {
            *slot = Value::String(text);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn collects_prose_only() {
        let content = json!({
            "reality_check": { "verdict": "ambitious", "reasoning": "Needs 9.3% a month.", "sources": ["ChartMogul"] },
            "assumptions": ["ARPA is $100.", ""],
            "hypotheses": [ { "statement": "Onboarding is slow.", "metric": "activation" }, "Plain one." ],
            "next_actions": [ { "text": "Call 5 customers.", "done": false } ],
            "monitoring": [ { "metric": "MRR", "cadence": "weekly" } ],
            "odd/key~": { "why": "Because." },
            "text": 5
        });
        let pointers: Vec<String> = collect(&content).into_iter().map(|s| s.pointer).collect();
        assert_eq!(
            pointers,
            vec![
                "/assumptions/0",
                "/hypotheses/0/statement",
                "/hypotheses/1",
                "/next_actions/0/text",
                "/odd~1key~0/why",
                "/reality_check/reasoning",
            ]
        );
    }

    #[test]
    fn pointers_round_trip() {
        let mut content = json!({ "odd/key~": { "why": "Because." }, "n": 1 });
        for slot in collect(&content.clone()) {
            assert_eq!(content.pointer(&slot.pointer), Some(&json!(slot.text)));
            assert!(apply(&mut content, &slot.pointer, "New.".into()));
        }
        assert_eq!(content["odd/key~"]["why"], "New.");
        assert!(!apply(&mut content, "/n", "x".into()));
        assert!(!apply(&mut content, "/missing", "x".into()));
    }
}
