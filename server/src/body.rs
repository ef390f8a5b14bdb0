//! Request bodies: the decoders that check them field by field (their documented shapes are in
//! [`crate::schema`]).
//!
//! Bodies are decoded by hand from a `serde_json::Value` rather than derived, because serde's
//! errors do not name the field at fault and the API promises a 422 naming every bad field.

use std::str::FromStr;

use cosos_artifacts::generate::MAX_PROMPT_CHARS;
use cosos_artifacts::{Context, Goal, Kind, Request, Stage};
use cosos_engine::ArtifactEdit;
use cosos_engine::workspace::{MAX_NOTES_CHARS, MAX_TITLE_CHARS};
use serde_json::{Map, Value};

use crate::problem::{FieldError, Problem};

/// A decoded update body; `edit.actions_done[i]` comes from `next_actions[i]` of the body.
#[derive(Debug, Default)]
pub struct Update {
    /// The edit to apply.
    pub edit: ArtifactEdit,
}

impl Update {
    /// True when the body asked for no change at all.
    pub fn is_empty(&self) -> bool {
        self.edit == ArtifactEdit::default()
    }

    /// Refuses next-action indices past the end of the artifact's list, naming the field.
    pub fn check_actions(&self, actions: usize) -> Result<(), Problem> {
        let errors: Vec<FieldError> = self
            .edit
            .actions_done
            .iter()
            .enumerate()
            .filter(|(_, (index, _))| *index >= actions)
            .map(|(i, (index, _))| {
                FieldError::new(
                    format!("next_actions[{i}].index"),
                    format!(
                        "there is no next action {index}; this artifact has {actions} (0-based)"
                    ),
                )
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Problem::invalid_fields(errors))
        }
    }
}

/// Checks a generate body and turns it into an artifact request.
pub fn generate_request(body: Value) -> Result<Request, Problem> {
    let mut errors = Vec::new();
    let obj = object(body)?;
    unknown_members(&obj, "", &["prompt", "context", "kind"], &mut errors);
    let prompt = match obj.get("prompt") {
        None => {
            errors.push(FieldError::new("prompt", "is required"));
            String::new()
        }
        Some(v) => string(v, "prompt", &mut errors).unwrap_or_default(),
    };
    if obj.get("prompt").is_some_and(Value::is_string) {
        let len = prompt.trim().chars().count();
        if len == 0 {
            errors.push(FieldError::new(
                "prompt",
                "cannot be empty: describe what you need",
            ));
        } else if len > MAX_PROMPT_CHARS {
            errors.push(FieldError::new(
                "prompt",
                format!("is {len} characters long; the limit is {MAX_PROMPT_CHARS}"),
            ));
        }
    }
    let context = context(obj.get("context"), &mut errors);
    let kind = optional_enum::<Kind>(obj.get("kind"), "kind", &mut errors);
    if errors.is_empty() {
        Ok(Request {
            prompt,
            context,
            kind,
        })
    } else {
        Err(Problem::invalid_fields(errors))
    }
}

fn context(value: Option<&Value>, errors: &mut Vec<FieldError>) -> Context {
    let obj = match value {
        None | Some(Value::Null) => return Context::default(),
        Some(Value::Object(obj)) => obj,
        Some(_) => {
            errors.push(FieldError::new("context", "must be an object or null"));
            return Context::default();
        }
    };
    unknown_members(obj, "context.", &["stage", "goal", "challenge"], errors);
    Context {
        stage: optional_enum::<Stage>(obj.get("stage"), "context.stage", errors),
        goal: optional_enum::<Goal>(obj.get("goal"), "context.goal", errors),
        challenge: match obj.get("challenge") {
            None | Some(Value::Null) => None,
            Some(v) => string(v, "context.challenge", errors),
        },
    }
}

/// Checks an update body and turns it into an engine edit.
pub fn update(body: Value) -> Result<Update, Problem> {
    let mut errors = Vec::new();
    let obj = object(body)?;
    unknown_members(
        &obj,
        "",
        &["title", "notes", "archived", "next_actions"],
        &mut errors,
    );
    let mut edit = ArtifactEdit::default();
    if let Some(v) = obj.get("title") {
        edit.title = string(v, "title", &mut errors);
        if let Some(title) = &edit.title {
            check_title(title, &mut errors);
        }
    }
    if let Some(v) = obj.get("notes") {
        edit.notes = string(v, "notes", &mut errors);
        let len = edit.notes.as_deref().map_or(0, |n| n.chars().count());
        if len > MAX_NOTES_CHARS {
            errors.push(FieldError::new(
                "notes",
                format!("are {len} characters long; the limit is {MAX_NOTES_CHARS}"),
            ));
        }
    }
    match obj.get("archived") {
        None => {}
        Some(Value::Bool(b)) => edit.archived = Some(*b),
        Some(_) => errors.push(FieldError::new("archived", "must be true or false")),
    }
    match obj.get("next_actions") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(pair) = next_action(item, i, &mut errors) {
                    edit.actions_done.push(pair);
                }
            }
        }
        Some(_) => errors.push(FieldError::new(
            "next_actions",
            "must be an array of {\"index\": number, \"done\": boolean}",
        )),
    }
    if errors.is_empty() {
        Ok(Update { edit })
    } else {
        Err(Problem::invalid_fields(errors))
    }
}

/// Mirrors the engine's rule (whitespace collapses to single spaces) so the field is named here.
fn check_title(title: &str, errors: &mut Vec<FieldError>) {
    let collapsed = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = collapsed.chars().count();
    if len == 0 {
        errors.push(FieldError::new("title", "cannot be empty"));
    } else if len > MAX_TITLE_CHARS {
        errors.push(FieldError::new(
            "title",
            format!("is {len} characters long; the limit is {MAX_TITLE_CHARS}"),
        ));
    }
}

fn next_action(item: &Value, i: usize, errors: &mut Vec<FieldError>) -> Option<(usize, bool)> {
    let path = format!("next_actions[{i}]");
    let Value::Object(obj) = item else {
        errors.push(FieldError::new(
            path,
            "must be an object {\"index\", \"done\"}",
        ));
        return None;
    };
    unknown_members(obj, &format!("{path}."), &["index", "done"], errors);
    let index = match obj.get("index") {
        Some(v) => match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                errors.push(FieldError::new(
                    format!("{path}.index"),
                    "must be an integer >= 0",
                ));
                None
            }
        },
        None => {
            errors.push(FieldError::new(format!("{path}.index"), "is required"));
            None
        }
    };
    let done = match obj.get("done") {
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            errors.push(FieldError::new(
                format!("{path}.done"),
                "must be true or false",
            ));
            None
        }
        None => {
            errors.push(FieldError::new(format!("{path}.done"), "is required"));
            None
        }
    };
    Some((index?, done?))
}

fn object(body: Value) -> Result<Map<String, Value>, Problem> {
    match body {
        Value::Object(obj) => Ok(obj),
        _ => Err(Problem::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "the request body must be a JSON object",
        )),
    }
}

/// Rejects members we do not know, so a typo ("titel") is an error rather than a silent no-op.
fn unknown_members(
    obj: &Map<String, Value>,
    prefix: &str,
    known: &[&str],
    errors: &mut Vec<FieldError>,
) {
    for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
        let shown: String = key.chars().take(64).collect();
        errors.push(FieldError::new(
            format!("{prefix}{shown}"),
            format!(
                "is not a known member; expected one of {}",
                known.join(", ")
            ),
        ));
    }
}

fn string(value: &Value, field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        _ => {
            errors.push(FieldError::new(field, "must be a string"));
            None
        }
    }
}

/// A string member parsed with the artifacts crate's own `FromStr`, whose message lists the values.
fn optional_enum<T>(value: Option<&Value>, field: &str, errors: &mut Vec<FieldError>) -> Option<T>
where
    T: FromStr<Err = cosos_artifacts::ArtifactError>,
{
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match s.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                // The message quotes the value; a bounded copy keeps a huge one from echoing whole.
                let shown: String = s.chars().take(64).collect();
                let message = match shown.parse::<T>() {
                    Err(e) => e.to_string(),
                    Ok(_) => "is not a known value".to_string(),
                };
                errors.push(FieldError::new(field, message));
                None
            }
        },
        Some(_) => {
            errors.push(FieldError::new(field, "must be a string or null"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_body_decodes() {
        let body = serde_json::json!({
            "prompt": "p", "context": {"stage": "seed", "goal": null, "challenge": "c"}, "kind": "board_prep"
        });
        let r = generate_request(body).unwrap();
        assert_eq!(r.context.stage, Some(Stage::Seed));
        assert_eq!(r.context.goal, None);
        assert_eq!(r.kind, Some(Kind::BoardPrep));
    }
}
