//! What pages show about an artifact beyond its sections: the headline number, the integration
//! call to action, dates and links.

use cosos_artifacts::Kind;
pub use cosos_artifacts::render::headline::{headline, long_date};
use serde::Serialize;

/// A call to action that points at an integration which would replace estimates with data.
#[derive(Debug, Clone, Serialize)]
pub struct Cta {
    /// What connecting gives the founder.
    pub text: &'static str,
    /// Where to go to connect.
    pub href: &'static str,
}

/// The integration that would make this kind's numbers real, if one exists.
pub fn cta(kind: Kind, data: &serde_json::Value) -> Option<Cta> {
    // Once live data arrived, there is nothing left to connect for this artifact.
    let live = match kind {
        Kind::ActivationFunnel => !data["funnel"].is_null(),
        _ => data["source"] == "stripe",
    };
    if live {
        return None;
    }
    match kind {
        Kind::MrrTracker | Kind::RetentionAnalysis | Kind::BoardPrep => Some(Cta {
            text: "Connect Stripe to replace the estimate with real numbers",
            href: "/settings#stripe",
        }),
        Kind::ActivationFunnel => Some(Cta {
            text: "Connect PostHog to measure the funnel from real sign-ups",
            href: "/settings#posthog",
        }),
        Kind::ProductVelocity | Kind::CustomerFeedback | Kind::OperatingSystem => None,
    }
}

/// Builds `path?k=v&...` with every value percent-encoded, skipping empty values.
pub fn link(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_everything_but_unreserved() {
        assert_eq!(
            link(
                "/o",
                &[("step", "prompt"), ("prompt", "$1k & <b>"), ("goal", "")]
            ),
            "/o?step=prompt&prompt=%241k%20%26%20%3Cb%3E"
        );
    }
}
