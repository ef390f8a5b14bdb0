//! The one number (or fact) an artifact leads with on a card: the dashboard's and the export's.

use chrono::{DateTime, NaiveDate};
use serde_json::Value;

use crate::format::{money, percent};
use crate::model::Kind;

/// The headline of an artifact of `kind` with `content`, or `None` when the content lacks it.
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

/// The live number next to the headline, once a pull filled `data`: actual MRR from Stripe.
pub fn live_headline(data: &Value) -> Option<String> {
    (data.get("source")?.as_str()? == "stripe")
        .then(|| data.get("mrr")?.as_f64())
        .flatten()
        .map(|mrr| format!("{} MRR now", money(mrr)))
}

/// `2026-11-26T00:00:00.000Z` or `2027-06-30` as `Jun 30, 2027`; anything else unchanged.
pub fn long_date(text: &str) -> String {
    let date = DateTime::parse_from_rfc3339(text)
        .map(|t| t.date_naive())
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"));
    match date {
        Ok(d) => d.format("%b %-d, %Y").to_string(),
        Err(_) => text.to_string(),
    }
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
    fn live_number_only_from_stripe() {
        assert_eq!(
            live_headline(&json!({"source": "stripe", "mrr": 5070.42})).as_deref(),
            Some("$5,070.42 MRR now")
        );
        assert_eq!(live_headline(&json!({"mrr": 1.0})), None);
        assert_eq!(long_date("2026-11-26T00:00:00.000Z"), "Nov 26, 2026");
        assert_eq!(long_date("soon"), "soon");
    }
}
