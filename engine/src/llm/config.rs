//! The `[llm]` table of `<home>/cosos.toml`: where the optional prose engine lives.
//!
//! The file never holds the API key itself, only the name of the environment variable that does,
//! so the file can be shared, backed up or pasted into a bug report without leaking it.

use std::path::Path;

use reqwest::Url;
use serde::Deserialize;

use super::LlmError;

/// The configuration file in a home.
pub const CONFIG_FILE: &str = "cosos.toml";
/// Seconds a call may take when `timeout_s` is not given.
pub const DEFAULT_TIMEOUT_S: u64 = 20;
/// Longest timeout accepted: a founder waits on this call.
pub const MAX_TIMEOUT_S: u64 = 600;

/// A validated `[llm]` table. Holds no secret: the key is read from the environment per call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmConfig {
    /// The OpenAI-compatible API root, without a trailing slash, e.g. `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// The model name sent with every request.
    pub model: String,
    /// The name of the environment variable that holds the API key, if the server needs one.
    pub api_key_env: Option<String>,
    /// Seconds before a call is abandoned and the built-in prose kept.
    pub timeout_s: u64,
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    llm: Option<LlmTable>,
}

// Unknown keys are refused so a typo (or a pasted `api_key = ...`) is not silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LlmTable {
    base_url: String,
    model: String,
    #[serde(default)]
    api_key_env: Option<String>,
    #[serde(default = "default_timeout")]
    timeout_s: u64,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_S
}

impl LlmConfig {
    /// Reads `<home>/cosos.toml`; `None` when there is no file or no `[llm]` table.
    pub fn load(home: &Path) -> Result<Option<LlmConfig>, LlmError> {
        let path = home.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(LlmError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        LlmConfig::parse(&text).map_err(|reason| LlmError::Invalid {
            path: path.display().to_string(),
            reason,
        })
    }

    /// Parses the text of a `cosos.toml`; the error says what is wrong without quoting values.
    pub fn parse(text: &str) -> Result<Option<LlmConfig>, String> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        file.llm.map(LlmConfig::validate).transpose()
    }

    /// The scheme, host and port of `base_url`, safe to show in messages.
    pub fn origin(&self) -> String {
        Url::parse(&self.base_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| "the configured server".to_string())
    }

    /// The `chat/completions` endpoint.
    pub fn endpoint(&self) -> String {
        format!("{}/chat/completions", self.base_url)
    }

    fn validate(table: LlmTable) -> Result<LlmConfig, String> {
        let base_url = table.base_url.trim().trim_end_matches('/').to_string();
        // The URL is not echoed: a malformed one may still carry a credential.
        let url = Url::parse(&base_url).map_err(|_| {
            "[llm] base_url is not a URL (e.g. http://127.0.0.1:11434/v1)".to_string()
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err("[llm] base_url must start with http:// or https://".into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(
                "[llm] base_url must not contain credentials: put the key in an environment \
                 variable and name it with api_key_env"
                    .into(),
            );
        }
        let model = table.model.trim().to_string();
        if model.is_empty() {
            return Err("[llm] model is empty (e.g. model = \"llama3.1\")".into());
        }
        let api_key_env = match table.api_key_env.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) if is_env_name(name) => Some(name.to_string()),
            Some(_) => {
                return Err(
                    "[llm] api_key_env must be the NAME of an environment variable \
                     (letters, digits and _), such as OPENAI_API_KEY, never the key itself"
                        .into(),
                );
            }
        };
        if table.timeout_s == 0 || table.timeout_s > MAX_TIMEOUT_S {
            return Err(format!(
                "[llm] timeout_s must be between 1 and {MAX_TIMEOUT_S} seconds"
            ));
        }
        Ok(LlmConfig {
            base_url,
            model,
            api_key_env,
            timeout_s: table.timeout_s,
        })
    }
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Line, column and message of a TOML error, without the source excerpt toml's `Display` adds,
/// because that excerpt would print a key someone pasted into the file.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message =
        redact_quoted_strings(&e.message().split_whitespace().collect::<Vec<_>>().join(" "));
    let hint = if message.contains("`api_key`") || message.contains("`key`") {
        "; cosos does not read keys from cosos.toml: put the key in an environment variable and \
         set api_key_env to its name"
    } else {
        ""
    };
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}{hint}")
        }
        None => format!("{message}{hint}"),
    }
}

/// Replaces the contents of `string "..."` in serde messages, which quote the offending value.
fn redact_quoted_strings(message: &str) -> String {
    const MARK: &str = "string \"";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len()]);
        let tail = &rest[at + MARK.len()..];
        let mut escaped = false;
        let end = tail.char_indices().find_map(|(i, c)| {
            let close = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            close.then_some(i)
        });
        out.push('…');
        match end {
            Some(i) => rest = &tail[i..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_table_is_builtin_only() {
        assert_eq!(LlmConfig::parse("").unwrap(), None);
        assert_eq!(LlmConfig::parse("[other]\nx = 1\n").unwrap(), None);
    }

    #[test]
    fn parses_with_defaults() {
        let c = LlmConfig::parse(
            "[llm]\nbase_url = \"http://127.0.0.1:11434/v1/\"\nmodel = \"llama3.1\"\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:11434/v1");
        assert_eq!(c.endpoint(), "http://127.0.0.1:11434/v1/chat/completions");
        assert_eq!(c.origin(), "http://127.0.0.1:11434");
        assert_eq!(c.api_key_env, None);
        assert_eq!(c.timeout_s, DEFAULT_TIMEOUT_S);
    }

    #[test]
    fn errors_name_the_line_and_never_quote_a_key() {
        let text = "[llm]\nbase_url = \"https://api.openai.com/v1\"\nmodel = \"gpt-4o-mini\"\napi_key = \"sk-SECRET\"\n";
        let e = LlmConfig::parse(text).unwrap_err();
        assert!(e.contains("line 4"), "{e}");
        assert!(e.contains("api_key_env"), "{e}");
        assert!(!e.contains("sk-SECRET"), "{e}");
        let e = LlmConfig::parse(
            "[llm]\nbase_url = \"http://x\"\nmodel = \"m\"\ntimeout_s = \"sk-SECRET\"\n",
        )
        .unwrap_err();
        assert!(!e.contains("sk-SECRET"), "{e}");
        assert!(e.contains("line 4"), "{e}");
        let e = LlmConfig::parse(
            "[llm]\nbase_url = \"http://x\"\nmodel = \"m\"\napi_key_env = \"sk-SECRET\"\n",
        )
        .unwrap_err();
        assert!(!e.contains("sk-SECRET") && e.contains("NAME"), "{e}");
        let e = LlmConfig::parse(
            "[llm]\nbase_url = \"https://user:sk-SECRET@host/v1\"\nmodel = \"m\"\n",
        )
        .unwrap_err();
        assert!(!e.contains("sk-SECRET") && e.contains("credentials"), "{e}");
    }

    #[test]
    fn rejects_bad_values() {
        assert!(
            LlmConfig::parse("[llm]\nmodel = \"m\"\n")
                .unwrap_err()
                .contains("base_url")
        );
        assert!(LlmConfig::parse("[llm]\nbase_url = \"ftp://x\"\nmodel = \"m\"\n").is_err());
        assert!(LlmConfig::parse("[llm]\nbase_url = \"http://x\"\nmodel = \" \"\n").is_err());
        assert!(
            LlmConfig::parse("[llm]\nbase_url = \"http://x\"\nmodel = \"m\"\ntimeout_s = 0\n")
                .is_err()
        );
        assert!(LlmConfig::parse("[llm\n").unwrap_err().contains("line 1"));
    }
}
