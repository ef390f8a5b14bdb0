//! Synthetic sites for benchmarks, tests and demos: real generated artifacts of every kind, with
//! made-up live data (an MRR series, a funnel, billing cohorts) so every chart is drawn.

use chrono::NaiveDate;
use cosos_artifacts::{Kind, Request, Stage, generate};
use serde_json::{Value, json};

use crate::model::{Site, SiteArtifact, SiteContext, SiteGenerator};

/// The date every sample is generated on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

/// A site of `n` artifacts cycling through the seven kinds, live data included.
pub fn site(n: usize) -> Site {
    let artifacts = (0..n)
        .filter_map(|i| artifact(Kind::ALL[i % Kind::ALL.len()], i))
        .collect();
    Site {
        name: "Acme Robotics".into(),
        artifacts,
    }
}

/// Artifact number `i`, of `kind`, or `None` if its prompt stops generating (it does not).
pub fn artifact(kind: Kind, i: usize) -> Option<SiteArtifact> {
    let request = Request {
        prompt: kind.sample_prompt().to_string(),
        context: cosos_artifacts::Context {
            stage: Some(Stage::Seed),
            goal: None,
            challenge: None,
        },
        kind: Some(kind),
    };
    let g = generate(&request, today(), None).ok()?;
    let id = format!("{:0>28}", format!("S{i}"));
    let slug = if i < Kind::ALL.len() {
        kind.as_str().replace('_', "-")
    } else {
        format!("{}-{i}", kind.as_str().replace('_', "-"))
    };
    Some(SiteArtifact {
        url: format!("automerge:{id}"),
        id,
        slug,
        kind: kind.as_str().into(),
        title: g.title,
        prompt: request.prompt.clone(),
        context: SiteContext {
            stage: Some("seed".into()),
            goal: None,
            challenge: None,
        },
        params: serde_json::to_value(&g.params).unwrap_or(Value::Null),
        data: data(kind),
        content: g.content,
        notes: if i.is_multiple_of(3) {
            "Board wants this **weekly**.\n\n- check churn\n- hire SDR".into()
        } else {
            String::new()
        },
        archived: false,
        created_at: "2026-11-26T12:00:00.000Z".into(),
        updated_at: "2026-11-26T12:00:00.000Z".into(),
        generator: SiteGenerator {
            engine: g.generator.engine,
            confidence: g.generator.confidence,
            alternatives: g.generator.alternatives,
            fallback_reason: None,
        },
    })
}

/// Made-up live data of the shape the pullers write.
fn data(kind: Kind) -> Value {
    let series: Vec<Value> = (0..12)
        .map(|m| json!({"month": format!("2025-{:02}", m + 1), "mrr": 6000.0 + 500.0 * f64::from(m), "customers": 40 + m}))
        .collect();
    match kind {
        Kind::MrrTracker => json!({
            "source": "stripe", "synced_at": "2026-11-26T12:00:00Z", "mrr": 11500.0,
            "series": [{"month": "2026-09", "mrr": 10100.0}, {"month": "2026-10", "mrr": 10900.0}, {"month": "2026-11", "mrr": 11500.0}],
            "actual_vs_plan": [{"month": "2026-11", "plan": 12000.0, "actual": 11500.0, "status": "on-track"},
                               {"month": "2026-12", "plan": 14717.0, "actual": null, "status": "upcoming"}]
        }),
        Kind::ActivationFunnel => {
            json!({"funnel_source": "posthog", "funnel": {"from": "2026-10-28", "to": "2026-11-26", "window_days": 14, "steps": [
            {"event": "$pageview", "count": 1840, "conversion_from_start": 1.0, "conversion_from_previous": 1.0},
            {"event": "signed_up", "count": 412, "conversion_from_start": 0.2239, "conversion_from_previous": 0.2239},
            {"event": "created_first_project", "count": 167, "conversion_from_start": 0.0908, "conversion_from_previous": 0.4053}]}})
        }
        Kind::RetentionAnalysis => {
            let cohorts: Vec<Value> = (0..6)
                .map(|c| {
                    let cells: Vec<Value> = (1..6 - c)
                        .map(|m| json!({"month": "x", "months_since": m, "customers": 10, "customers_share": 1.0 - 0.08 * f64::from(m) - 0.02 * f64::from(c), "mrr": 1000.0, "mrr_share": 1.0}))
                        .collect();
                    json!({"month": format!("2026-{:02}", c + 6), "includes_earlier": c == 0, "customers": 20 + c, "mrr": 2000.0, "retention": cells})
                })
                .collect();
            json!({"source": "stripe", "synced_at": "2026-11-26T12:00:00Z", "mrr": 11500.0, "series": series,
                   "retention": {"window_months": 12, "months_available": 6, "nrr": null, "grr": null, "quick_ratio": 2.4,
                                 "quick_ratio_month": "2026-10", "months": [], "cohorts": cohorts}})
        }
        _ => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_generates() {
        let site = site(14);
        assert_eq!(site.artifacts.len(), 14);
        assert_eq!(site.artifacts[7].slug, "mrr-tracker-7");
    }
}
