//! What pages show about an artifact beyond its sections: the headline number, the integration
//! call to action, dates and links.

use chrono::DateTime;
use cosos_artifacts::Kind;
use cosos_artifacts::format::{money, percent};
use serde::Serialize;
use serde_json::Value;

/// A call to action that points at an integration which would replace estimates with data.
#[derive(Debug, Clone, Serialize)]
pub struct Cta {
    /// What connecting gives the founder.
    pub text: &'static str,
    /// Where to go to connect.
    pub href: &'static str,
}

/// The one number (or fact) a dashboard card leads with, read from the kind's content.
pub fn headline(kind: Kind, c: &Value) -> Option<String> {
    let s = |p: &str| c.pointer(p).and_then(Value::as_str);
    let n = |p: &str| c.pointer(p).and_then(Value::as_f64);
    match kind {
        Kind::MrrTracker => Some(format!(
            "{} MRR by {}",
            money(n("/target/mrr")?),
            long_date(s("/target/deadline")?)
        )),
        Kind::RetentionAnalysis => Some(format!(
            "{} logo churn by {}",
            percent(n("/target/logo_churn")?),
            long_date(s("/target/deadline")?)
        )),
        Kind::BoardPrep => Some(format!(
            "Meeting on {} ({} days away)",
            long_date(s("/meeting/date")?),
            n("/meeting/days_until")?
        )),
        Kind::ActivationFunnel => Some(format!(
            "Activation {} → {} by {}",
            percent(n("/current/activation_rate")?),
            percent(n("/target/activation_rate")?),
            long_date(s("/target/deadline")?)
        )),
        Kind::ProductVelocity => Some(format!("Target: DORA {} band", s("/target/band")?)),
        Kind::CustomerFeedback => Some(format!(
            "NPS {} from {} answers",
            n("/nps/score")?,
            n("/nps/sample_size")?
        )),
        Kind::OperatingSystem => Some(format!(
            "{} rituals, {} OKRs",
            c.get("rituals")?.as_array()?.len(),
            s("/okrs/quarter")?
        )),
    }
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

/// `2026-11-26T00:00:00.000Z` or `2027-06-30` as `Jun 30, 2027`; anything else unchanged.
pub fn long_date(text: &str) -> String {
    let date = DateTime::parse_from_rfc3339(text)
        .map(|t| t.date_naive())
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d"));
    match date {
        Ok(d) => d.format("%b %-d, %Y").to_string(),
        Err(_) => text.to_string(),
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
    use serde_json::json;

    #[test]
    fn mrr_headline_names_target_and_deadline() {
        let c = json!({"target": {"mrr": 50000.0, "deadline": "2027-06-30", "months": 7}});
        assert_eq!(
            headline(Kind::MrrTracker, &c).as_deref(),
            Some("$50,000 MRR by Jun 30, 2027")
        );
        assert_eq!(headline(Kind::BoardPrep, &c), None);
    }

    #[test]
    fn links_encode_everything_but_unreserved() {
        assert_eq!(
            link(
                "/o",
                &[("step", "prompt"), ("prompt", "$1k & <b>"), ("goal", "")]
            ),
            "/o?step=prompt&prompt=%241k%20%26%20%3Cb%3E"
        );
        assert_eq!(long_date("2026-11-26T00:00:00.000Z"), "Nov 26, 2026");
    }
}
