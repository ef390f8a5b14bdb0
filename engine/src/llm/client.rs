//! The HTTP call to an OpenAI-compatible `POST {base_url}/chat/completions`.
//!
//! Every failure is turned into a short reason for `generator.fallback_reason`; reasons name the
//! server by origin only (no path or query, which can carry credentials) and never the key.

use std::time::Duration;

use serde_json::Value;

use super::config::LlmConfig;
use crate::integrations::http::describe;

/// Longest part of a server's error message kept in a reason.
const MAX_SERVER_MESSAGE: usize = 200;

/// Posts `body` and returns the reply body, or why there is none.
pub async fn post_chat(
    config: &LlmConfig,
    key: Option<&str>,
    body: &Value,
) -> Result<String, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(config.timeout_s))
        .build()
        .map_err(|e| format!("could not start the HTTP client: {}", describe(&e)))?;
    let mut request = client.post(config.endpoint()).json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.map_err(|e| failure(config, &e))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| failure(config, &e))?;
    if status.is_client_error() || status.is_server_error() {
        let mut reason = format!(
            "the LLM server at {} answered HTTP {status}",
            config.origin()
        );
        if let Some(message) = server_message(&text) {
            reason.push_str(": ");
            reason.push_str(&message);
        }
        return Err(reason);
    }
    Ok(text)
}

fn failure(config: &LlmConfig, e: &reqwest::Error) -> String {
    if e.is_timeout() {
        format!("timed out after {}s", config.timeout_s)
    } else if e.is_connect() {
        format!("could not connect to the LLM server at {}", config.origin())
    } else {
        format!(
            "the request to the LLM server at {} failed: {}",
            config.origin(),
            describe(e)
        )
    }
}

/// `error.message` of an OpenAI-style error body, else the start of the body, on one line.
fn server_message(body: &str) -> Option<String> {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let message = parsed
        .as_ref()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error"))
                .or_else(|| v.get("message"))
        })
        .and_then(Value::as_str)
        .unwrap_or(body);
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return None;
    }
    let mut short: String = line.chars().take(MAX_SERVER_MESSAGE).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    Some(short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_messages_are_short_single_lines() {
        assert_eq!(
            server_message(r#"{"error":{"message":"model\n not found","type":"x"}}"#).as_deref(),
            Some("model not found")
        );
        assert_eq!(
            server_message(r#"{"error":"busy"}"#).as_deref(),
            Some("busy")
        );
        assert_eq!(
            server_message("Bad Gateway").as_deref(),
            Some("Bad Gateway")
        );
        assert_eq!(server_message("  "), None);
        assert_eq!(
            server_message(&"x".repeat(500)).map(|m| m.chars().count()),
            Some(201)
        );
    }
}
