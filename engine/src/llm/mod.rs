//! The optional LLM engine: rephrases an artifact's prose through an OpenAI-compatible server.
//!
//! Numbers are always computed by the built-in engine. The model only sees the prose slots
//! ([`slots`]) and its answer is refused unless it matches the slots' schema and every number
//! it writes is one the built-in engine computed ([`numbers`]). A refusal, timeout or error keeps
//! the built-in text and records why in `generator.fallback_reason`: refining never fails.

pub mod client;
pub mod config;
pub mod numbers;
pub mod prose;
pub mod slots;

use cosos_artifacts::Generated;
use thiserror::Error;

pub use config::{CONFIG_FILE, LlmConfig};

/// Why the LLM configuration cannot be used.
#[derive(Debug, Error)]
pub enum LlmError {
    /// The configuration file exists but cannot be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// What the OS said.
        reason: String,
    },
    /// The configuration file is not valid.
    #[error("{path} is not valid: {reason}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with its line and column.
        reason: String,
    },
}

/// Rewrites the prose of `generated` with the configured model, or keeps the built-in prose
/// and records why in `generator.fallback_reason`.
pub async fn refine(mut generated: Generated, prompt: &str, config: &LlmConfig) -> Generated {
    let slots = slots::collect(&generated.content);
    if slots.is_empty() {
        return generated;
    }
    let key = match api_key(config) {
        Ok(key) => key,
        Err(reason) => return fall_back(generated, reason, None),
    };
    match rewrite(&generated, prompt, config, key.as_deref(), &slots).await {
        Ok(texts) => {
            for (slot, text) in slots.iter().zip(texts) {
                slots::apply(&mut generated.content, &slot.pointer, text);
            }
            generated.generator.engine = format!("llm:{}", config.model);
            generated.generator.fallback_reason = None;
            generated
        }
        Err(reason) => fall_back(generated, reason, key.as_deref()),
    }
}

async fn rewrite(
    generated: &Generated,
    prompt: &str,
    config: &LlmConfig,
    key: Option<&str>,
    slots: &[slots::Slot],
) -> Result<Vec<String>, String> {
    let body = prose::request_body(&config.model, prompt, generated.kind.as_str(), slots);
    let reply = client::post_chat(config, key, &body).await?;
    let answer = prose::answer_of(&reply)?;
    let texts = prose::validate(&answer, slots, &generated.content)?;
    // A server that echoes the key into prose must not get it stored in a synced document.
    if let Some(key) = key
        && texts.iter().any(|t| t.contains(key))
    {
        return Err("does not match the schema: the answer repeats the API key".into());
    }
    Ok(texts)
}

/// The key from the environment variable `api_key_env` names; read per call so it is never kept.
fn api_key(config: &LlmConfig) -> Result<Option<String>, String> {
    let Some(name) = &config.api_key_env else {
        return Ok(None);
    };
    match std::env::var(name) {
        Ok(key) if !key.trim().is_empty() => Ok(Some(key.trim().to_string())),
        _ => Err(format!(
            "api_key_env names {name}, which is not set in the environment"
        )),
    }
}

fn fall_back(mut generated: Generated, reason: String, key: Option<&str>) -> Generated {
    // Servers may quote the key back in error bodies; it must not reach the document or logs.
    let reason = match key {
        Some(key) => reason.replace(key, "[redacted]"),
        None => reason,
    };
    tracing::warn!(reason = %reason, "kept the built-in prose");
    generated.generator.engine = "builtin".to_string();
    generated.generator.fallback_reason = Some(reason);
    generated
}
