//! What the model is asked (messages and JSON schema) and how its answer is checked.

use serde_json::{Map, Value, json};

use super::numbers::{Computed, first_contradiction};
use super::slots::Slot;

/// Schema name sent in `response_format`.
pub const SCHEMA_NAME: &str = "cosos_prose";
/// Sampling temperature: rephrasing wants little invention.
pub const TEMPERATURE: f64 = 0.2;

/// The system message: the model's whole licence.
pub const SYSTEM_PROMPT: &str = "You rephrase the prose of a startup founder's planning artifact \
so it reads clearly and speaks to the founder's prompt. You may only rephrase the prose you are \
given. You must not introduce, remove or change any number, amount, percentage, date or count: \
every number you write must already appear, with the same value, in the slot you are rewriting. \
Keep each slot's meaning and keep it about as long as the original. Answer with one JSON object \
whose keys are exactly the given slot keys (JSON Pointers) and whose values are the rewritten texts.";

/// The JSON schema of the answer: every slot pointer, a required string, nothing else.
pub fn schema(slots: &[Slot]) -> Value {
    let properties: Map<String, Value> = slots
        .iter()
        .map(|s| (s.pointer.clone(), json!({ "type": "string" })))
        .collect();
    let required: Vec<&str> = slots.iter().map(|s| s.pointer.as_str()).collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The body of `POST /chat/completions`.
pub fn request_body(model: &str, prompt: &str, kind: &str, slots: &[Slot]) -> Value {
    let texts: Map<String, Value> = slots
        .iter()
        .map(|s| (s.pointer.clone(), Value::String(s.text.clone())))
        .collect();
    let user = json!({ "prompt": prompt, "kind": kind, "slots": texts });
    json!({
        "model": model,
        "temperature": TEMPERATURE,
        "stream": false,
        "messages": [
            { "role": "system", "content": SYSTEM_PROMPT },
            { "role": "user", "content": user.to_string() },
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": { "name": SCHEMA_NAME, "strict": true, "schema": schema(slots) },
        },
    })
}

/// The answer object inside a chat completion body.
pub fn answer_of(body: &str) -> Result<Value, String> {
    let body: Value = serde_json::from_str(body)
        .map_err(|_| "invalid JSON: the reply is not JSON".to_string())?;
    let message = body
        .get("choices")
        .and_then(|c| c.get(0))
        .and_then(|c| c.get("message"))
        .ok_or("invalid JSON: the reply has no choices")?;
    let content = message
        .get("content")
        .and_then(Value::as_str)
        .ok_or("invalid JSON: the reply's message has no text content")?;
    serde_json::from_str(strip_fence(content))
        .map_err(|_| "invalid JSON: the message content is not JSON".to_string())
}

// Some local servers wrap JSON in a Markdown fence even in JSON mode.
fn strip_fence(content: &str) -> &str {
    let t = content.trim();
    match t.strip_prefix("```") {
        Some(inner) => inner
            .strip_suffix("```")
            .map(|i| i.trim_start_matches("json").trim())
            .unwrap_or(t),
        None => t,
    }
}

/// Longest rewrite accepted for an original of `chars` characters.
pub fn max_chars(chars: usize) -> usize {
    chars * 4 + 200
}

/// The new text of every slot, in slot order, once the answer passes every check.
pub fn validate(answer: &Value, slots: &[Slot], content: &Value) -> Result<Vec<String>, String> {
    let schema_err = |why: String| format!("does not match the schema: {why}");
    let object = answer
        .as_object()
        .ok_or_else(|| schema_err("the answer is not a JSON object".into()))?;
    if let Some(extra) = object
        .keys()
        .find(|k| !slots.iter().any(|s| &s.pointer == *k))
    {
        let shown: String = extra.chars().take(80).collect();
        return Err(schema_err(format!("unexpected key {shown:?}")));
    }
    let mut texts = Vec::with_capacity(slots.len());
    for slot in slots {
        let p = &slot.pointer;
        let text = match object.get(p) {
            None => return Err(schema_err(format!("missing slot {p}"))),
            Some(Value::String(s)) => s.trim(),
            Some(_) => return Err(schema_err(format!("slot {p} is not a string"))),
        };
        if text.is_empty() {
            return Err(schema_err(format!("slot {p} is empty")));
        }
        let limit = max_chars(slot.text.chars().count());
        if text.chars().count() > limit {
            return Err(schema_err(format!(
                "slot {p} is longer than {limit} characters"
            )));
        }
        texts.push(text.to_string());
    }
    let computed = Computed::of(content);
    for (slot, text) in slots.iter().zip(&texts) {
        if let Some(number) = first_contradiction(text, &slot.text, &computed) {
            return Err(format!(
                "contradicts computed numbers: {number} (in {})",
                slot.pointer
            ));
        }
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots() -> Vec<Slot> {
        vec![
            Slot {
                pointer: "/a/reasoning".into(),
                text: "Needs 22.6% a month.".into(),
            },
            Slot {
                pointer: "/next_actions/0/text".into(),
                text: "Call 5 customers.".into(),
            },
        ]
    }

    #[test]
    fn schema_lists_exactly_the_slots() {
        let s = schema(&slots());
        assert_eq!(
            s["required"],
            json!(["/a/reasoning", "/next_actions/0/text"])
        );
        assert_eq!(s["additionalProperties"], json!(false));
        let body = request_body("m", "p", "mrr_tracker", &slots());
        assert_eq!(
            body["response_format"]["json_schema"]["strict"],
            json!(true)
        );
        let user: Value =
            serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
        assert_eq!(user["slots"]["/next_actions/0/text"], "Call 5 customers.");
    }

    #[test]
    fn reads_the_answer() {
        let body =
            json!({ "choices": [ { "message": { "content": "```json\n{\"a\": 1}\n```" } } ] });
        assert_eq!(answer_of(&body.to_string()).unwrap(), json!({ "a": 1 }));
        assert!(answer_of("nope").unwrap_err().starts_with("invalid JSON"));
        assert!(
            answer_of("{\"choices\": []}")
                .unwrap_err()
                .contains("no choices")
        );
        let body = json!({ "choices": [ { "message": { "content": "Sure! {" } } ] });
        assert!(
            answer_of(&body.to_string())
                .unwrap_err()
                .starts_with("invalid JSON")
        );
    }

    #[test]
    fn validates_shape_length_and_numbers() {
        let content = json!({ "growth": 0.2261, "a": { "reasoning": "Needs 22.6% a month." } });
        let ok = json!({ "/a/reasoning": "It takes 22.6% monthly.", "/next_actions/0/text": " Phone 5 customers. " });
        assert_eq!(
            validate(&ok, &slots(), &content).unwrap(),
            vec!["It takes 22.6% monthly.", "Phone 5 customers."]
        );
        let cases = [
            (
                json!({ "/a/reasoning": "x" }),
                "missing slot /next_actions/0/text",
            ),
            (
                json!({ "/a/reasoning": "x", "/next_actions/0/text": "y", "/z": "w" }),
                "unexpected key",
            ),
            (
                json!({ "/a/reasoning": 3, "/next_actions/0/text": "y" }),
                "not a string",
            ),
            (
                json!({ "/a/reasoning": "  ", "/next_actions/0/text": "y" }),
                "is empty",
            ),
            (
                json!({ "/a/reasoning": "x".repeat(281), "/next_actions/0/text": "y" }),
                "longer than 280",
            ),
            (json!(["x"]), "not a JSON object"),
        ];
        for (answer, why) in cases {
            let e = validate(&answer, &slots(), &content).unwrap_err();
            assert!(
                e.starts_with("does not match the schema") && e.contains(why),
                "{e}"
            );
        }
        let bad =
            json!({ "/a/reasoning": "It takes 30% monthly.", "/next_actions/0/text": "Call 5." });
        assert_eq!(
            validate(&bad, &slots(), &content).unwrap_err(),
            "contradicts computed numbers: 30% (in /a/reasoning)"
        );
    }
}
