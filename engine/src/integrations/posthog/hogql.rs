//! HogQL literals for values that come from configuration.

use chrono::NaiveDate;

use super::PostHogError;

/// Longest event name accepted, in bytes (PostHog's own names are far shorter).
pub const MAX_EVENT_NAME_LEN: usize = 400;

/// Quotes `value` as a HogQL string literal, escaping it the way PostHog's own
/// `escape_hogql_string` does: backslash, single quote and control characters become backslash
/// escapes, so no event name can end the literal early. Empty or over-long names are refused.
pub fn hogql_string(value: &str) -> Result<String, PostHogError> {
    if value.is_empty() {
        return Err(invalid("it is empty".to_string()));
    }
    if value.len() > MAX_EVENT_NAME_LEN {
        return Err(invalid(format!(
            "it is longer than {MAX_EVENT_NAME_LEN} bytes"
        )));
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// The start of `day` as a HogQL datetime in the project's timezone: `toDateTime('YYYY-MM-DD 00:00:00')`.
pub(super) fn day_start(day: NaiveDate) -> String {
    format!("toDateTime('{} 00:00:00')", day.format("%Y-%m-%d"))
}

fn invalid(reason: String) -> PostHogError {
    PostHogError::InvalidSpec {
        what: "event name",
        reason,
    }
}

/// `hogql_string` for a named event of a definition, with errors naming the definition and slot.
pub(super) fn event_literal(
    what: &'static str,
    slot: &str,
    value: &str,
) -> Result<String, PostHogError> {
    hogql_string(value).map_err(|e| match e {
        PostHogError::InvalidSpec { reason, .. } => PostHogError::InvalidSpec {
            what,
            reason: format!("the event name of {slot}: {reason}"),
        },
        other => other,
    })
}
