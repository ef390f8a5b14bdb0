//! Integration credentials: kept in the home's local-only settings (never in a synced document,
//! an export, a log line or an error message) and shown masked.

use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::workspace::Workspace;

/// Stripe's API base.
pub const STRIPE_API: &str = "https://api.stripe.com";
/// PostHog's US cloud.
pub const POSTHOG_HOST: &str = "https://us.posthog.com";

const STRIPE_SETTING: &str = "integration.stripe";
const POSTHOG_SETTING: &str = "integration.posthog";

/// A Stripe connection.
#[derive(Clone, Serialize, Deserialize)]
pub struct StripeCredentials {
    /// Secret (`sk_`) or restricted (`rk_`) key.
    pub api_key: String,
    /// API base URL.
    pub api_base: String,
    /// Webhook endpoint secret (`whsec_`), when webhooks are set up.
    pub webhook_secret: Option<String>,
}

/// A PostHog connection.
#[derive(Clone, Serialize, Deserialize)]
pub struct PostHogCredentials {
    /// Personal API key (`phx_`).
    pub api_key: String,
    /// Project id.
    pub project_id: u64,
    /// Host URL.
    pub host: String,
}

// Secrets stay out of Debug output, and so out of logs and panics.
impl std::fmt::Debug for StripeCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeCredentials")
            .field("api_key", &mask(&self.api_key))
            .field("api_base", &self.api_base)
            .field("webhook_secret", &self.webhook_secret.as_deref().map(mask))
            .finish()
    }
}

impl std::fmt::Debug for PostHogCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostHogCredentials")
            .field("api_key", &mask(&self.api_key))
            .field("project_id", &self.project_id)
            .field("host", &self.host)
            .finish()
    }
}

/// What the founder sees of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationStatus {
    /// `stripe` or `posthog`.
    pub name: String,
    /// Whether credentials are stored.
    pub connected: bool,
    /// The key, masked (`sk_test_…4242`).
    pub key: Option<String>,
    /// The API origin it talks to.
    pub endpoint: Option<String>,
    /// PostHog project id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<u64>,
    /// Whether Stripe webhooks are verified (a signing secret is stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<bool>,
    /// When the last pull happened (RFC 3339), if ever.
    pub last_pull: Option<String>,
}

/// `sk_test_abc…` -> `sk_test_…4242`: enough to tell keys apart, useless to an attacker.
pub fn mask(key: &str) -> String {
    const PREFIXES: [&str; 6] = [
        "sk_test_", "sk_live_", "rk_test_", "rk_live_", "whsec_", "phx_",
    ];
    let prefix = PREFIXES
        .iter()
        .find(|p| key.starts_with(*p))
        .copied()
        .unwrap_or("");
    let chars: Vec<char> = key.chars().collect();
    // Show the last four only when at least eight more stay hidden.
    let tail: String = if chars.len() >= prefix.len() + 12 {
        chars[chars.len() - 4..].iter().collect()
    } else {
        String::new()
    };
    format!("{prefix}…{tail}")
}

fn invalid(what: &str) -> EngineError {
    EngineError::Integration(what.to_string())
}

fn check_key(key: &str, prefixes: &[&str], service: &str) -> Result<String, EngineError> {
    let key = key.trim();
    if key.is_empty() || key.len() > 512 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(&format!(
            "the {service} key is empty or not printable"
        )));
    }
    if !prefixes.iter().any(|p| key.starts_with(p)) {
        return Err(invalid(&format!(
            "that does not look like a {service} key (they start with {})",
            prefixes.join(" or ")
        )));
    }
    Ok(key.to_string())
}

fn check_url(url: &str, what: &str) -> Result<String, EngineError> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|_| invalid(&format!("{what} must be an http(s) URL")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(&format!("{what} must be an http(s) URL")));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

impl Workspace {
    /// Stores Stripe credentials (checked for shape, not contacted: that happens on `pull`).
    pub fn connect_stripe(
        &self,
        api_key: &str,
        api_base: Option<&str>,
        webhook_secret: Option<&str>,
    ) -> Result<IntegrationStatus, EngineError> {
        let credentials = StripeCredentials {
            api_key: check_key(api_key, &["sk_", "rk_"], "Stripe secret")?,
            api_base: check_url(api_base.unwrap_or(STRIPE_API), "--api-base")?,
            webhook_secret: webhook_secret
                .map(|s| check_key(s, &["whsec_"], "Stripe webhook signing"))
                .transpose()?,
        };
        self.save(STRIPE_SETTING, &credentials)?;
        self.integration("stripe")
    }

    /// Stores PostHog credentials.
    pub fn connect_posthog(
        &self,
        api_key: &str,
        project_id: u64,
        host: Option<&str>,
    ) -> Result<IntegrationStatus, EngineError> {
        let credentials = PostHogCredentials {
            api_key: check_key(api_key, &["phx_"], "PostHog personal API")?,
            project_id,
            host: check_url(host.unwrap_or(POSTHOG_HOST), "--host")?,
        };
        self.save(POSTHOG_SETTING, &credentials)?;
        self.integration("posthog")
    }

    /// Forgets an integration's credentials (its pulled data stays).
    pub fn disconnect(&self, name: &str) -> Result<IntegrationStatus, EngineError> {
        let setting = setting_of(name)?;
        self.local().remove_setting(setting)?;
        self.integration(name)
    }

    /// Every integration's status.
    pub fn integrations(&self) -> Result<Vec<IntegrationStatus>, EngineError> {
        ["stripe", "posthog"]
            .iter()
            .map(|n| self.integration(n))
            .collect()
    }

    /// One integration's status.
    pub fn integration(&self, name: &str) -> Result<IntegrationStatus, EngineError> {
        let last_pull = self.last_pull(name)?;
        let mut status = IntegrationStatus {
            name: name.to_string(),
            connected: false,
            key: None,
            endpoint: None,
            project_id: None,
            webhooks: None,
            last_pull,
        };
        match name {
            "stripe" => {
                if let Some(c) = self.stripe_credentials()? {
                    status.connected = true;
                    status.key = Some(mask(&c.api_key));
                    status.endpoint = Some(super::http::origin(&c.api_base));
                    status.webhooks = Some(c.webhook_secret.is_some());
                }
            }
            "posthog" => {
                if let Some(c) = self.posthog_credentials()? {
                    status.connected = true;
                    status.key = Some(mask(&c.api_key));
                    status.endpoint = Some(super::http::origin(&c.host));
                    status.project_id = Some(c.project_id);
                }
            }
            other => return Err(unknown(other)),
        }
        Ok(status)
    }

    /// The stored Stripe credentials.
    pub fn stripe_credentials(&self) -> Result<Option<StripeCredentials>, EngineError> {
        self.load(STRIPE_SETTING)
    }

    /// The stored PostHog credentials.
    pub fn posthog_credentials(&self) -> Result<Option<PostHogCredentials>, EngineError> {
        self.load(POSTHOG_SETTING)
    }

    fn save<T: Serialize>(&self, setting: &str, value: &T) -> Result<(), EngineError> {
        let json = serde_json::to_string(value).map_err(|e| invalid(&e.to_string()))?;
        Ok(self.local().set_setting(setting, &json)?)
    }

    fn load<T: for<'de> Deserialize<'de>>(&self, setting: &str) -> Result<Option<T>, EngineError> {
        match self.local().setting(setting)? {
            None => Ok(None),
            // The message must not quote the stored value: it holds a key.
            Some(json) => serde_json::from_str(&json).map(Some).map_err(|_| {
                invalid(&format!(
                    "the stored {setting} settings are unreadable; connect again to replace them"
                ))
            }),
        }
    }
}

fn setting_of(name: &str) -> Result<&'static str, EngineError> {
    match name {
        "stripe" => Ok(STRIPE_SETTING),
        "posthog" => Ok(POSTHOG_SETTING),
        other => Err(unknown(other)),
    }
}

fn unknown(name: &str) -> EngineError {
    invalid(&format!(
        "unknown integration {:?}: use stripe or posthog",
        name.chars().take(40).collect::<String>()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys() {
        assert_eq!(mask("sk_test_cosos_fake_4242"), "sk_test_…4242");
        assert_eq!(mask("phx_abcdefghijklmnop"), "phx_…mnop");
        assert_eq!(mask("whsec_x"), "whsec_…");
        assert_eq!(mask("short"), "…");
        assert_eq!(
            mask("sk_test_12345678901"),
            "sk_test_…",
            "too short to show a tail"
        );
        let creds = StripeCredentials {
            api_key: "sk_live_SECRETSECRET1234".into(),
            api_base: STRIPE_API.into(),
            webhook_secret: Some("whsec_TOPSECRET99".into()),
        };
        let debug = format!("{creds:?}");
        assert!(
            !debug.contains("SECRETSECRET") && !debug.contains("TOPSECRET"),
            "{debug}"
        );
    }
}
