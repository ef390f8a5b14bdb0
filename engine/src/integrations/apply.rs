//! What pulled data becomes in each artifact's `data`, and the readings its alert rules see.
//!
//! Pure functions of the artifact's content and the pulled metrics (as their pinned JSON, so this
//! module depends on the metrics contract rather than on the puller's types). Each returns the
//! keys to set in `data`; other keys (another integration's) are left alone.

use serde_json::{Map, Value, json};

use super::alerts::Readings;

/// Keys to set in an artifact's `data`.
pub type DataPatch = Map<String, Value>;

/// Month-over-month numbers of the last full month of a metrics series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LastMonth {
    /// MRR at the end of the month before it.
    pub start_mrr: f64,
    /// MRR at its end.
    pub end_mrr: f64,
    /// New + expansion + reactivation.
    pub gained: f64,
    /// Churn + contraction.
    pub lost: f64,
}

impl LastMonth {
    /// From the metrics JSON: the series' last two full-month points (the last point is "now").
    pub fn of(metrics: &Value) -> Option<LastMonth> {
        let series = metrics["series"].as_array()?;
        if series.len() < 3 {
            return None;
        }
        let end = &series[series.len() - 2];
        let start = &series[series.len() - 3];
        let num = |v: &Value, k: &str| v[k].as_f64().unwrap_or(0.0);
        Some(LastMonth {
            start_mrr: num(start, "mrr"),
            end_mrr: num(end, "mrr"),
            gained: num(end, "new") + num(end, "expansion") + num(end, "reactivation"),
            lost: num(end, "churn") + num(end, "contraction"),
        })
    }

    /// Growth over the month, when it started above zero.
    pub fn growth(&self) -> Option<f64> {
        (self.start_mrr > 0.0).then(|| self.end_mrr / self.start_mrr - 1.0)
    }

    /// Churned and contracted MRR over the starting MRR.
    pub fn churn_rate(&self) -> Option<f64> {
        (self.start_mrr > 0.0).then(|| self.lost / self.start_mrr)
    }

    /// (new + expansion + reactivation) / (churn + contraction).
    pub fn quick_ratio(&self) -> Option<f64> {
        (self.lost > 0.0).then(|| self.gained / self.lost)
    }
}

/// Readings every Stripe-fed artifact shares.
pub fn stripe_readings(metrics: &Value, retention: &Value) -> Readings {
    let mut readings = Readings::default();
    if let Some(mrr) = metrics["mrr"].as_f64() {
        readings.values.insert("mrr".into(), mrr);
    }
    if let Some(last) = LastMonth::of(metrics) {
        let pairs = [
            ("mrr_growth_mom", last.growth()),
            ("mrr_churn_rate", last.churn_rate()),
            ("quick_ratio", last.quick_ratio()),
        ];
        for (name, value) in pairs {
            if let Some(v) = value {
                readings.values.insert(name.into(), v);
            }
        }
    }
    if let Some(rate) = last_number(&retention["months"], "logo_churn_rate") {
        readings.values.insert("logo_churn_monthly".into(), rate);
    }
    readings
}

/// The last non-null `key` in an array of objects.
fn last_number(rows: &Value, key: &str) -> Option<f64> {
    rows.as_array()?.iter().rev().find_map(|r| r[key].as_f64())
}

fn series_rows(metrics: &Value) -> Vec<Value> {
    metrics["series"]
        .as_array()
        .map(|s| {
            s.iter()
                .map(|p| json!({"month": p["month"], "mrr": p["mrr"], "customers": p["customers"]}))
                .collect()
        })
        .unwrap_or_default()
}

fn stripe_common(metrics: &Value) -> DataPatch {
    let mut patch = DataPatch::new();
    patch.insert("source".into(), json!("stripe"));
    patch.insert("synced_at".into(), metrics["as_of"].clone());
    patch.insert("currency".into(), metrics["currency"].clone());
    patch.insert("mrr".into(), metrics["mrr"].clone());
    patch.insert("customers".into(), metrics["customers"].clone());
    patch.insert("arpa".into(), metrics["arpa"].clone());
    patch.insert("series".into(), Value::Array(series_rows(metrics)));
    patch
}

/// The plan for `month` of an MRR tracker: that month's milestone, else (before the first
/// milestone) the MRR the tracker started from.
pub fn tracker_plan(content: &Value, month: &str) -> Option<f64> {
    let milestones = content["path"]["milestones"].as_array()?;
    if let Some(m) = milestones
        .iter()
        .find(|m| m["month"].as_str() == Some(month))
    {
        return m["target_mrr"].as_f64();
    }
    let first = milestones.first()?["month"].as_str()?;
    (month < first)
        .then(|| content["current"]["mrr"].as_f64())
        .flatten()
}

/// How an actual compares with its plan.
fn status(actual: Option<f64>, plan: f64) -> &'static str {
    match actual {
        None => "upcoming",
        Some(_) if plan <= 0.0 => "on-track",
        Some(a) if a / plan >= 1.05 => "ahead",
        Some(a) if a / plan >= 0.95 => "on-track",
        Some(a) if a / plan >= 0.8 => "behind",
        Some(_) => "off-track",
    }
}

/// An MRR tracker: the actual series, and actual against plan for this month and each milestone.
pub fn mrr_tracker(content: &Value, metrics: &Value, now_month: &str) -> (DataPatch, Readings) {
    let mut patch = stripe_common(metrics);
    let actual_of = |month: &str| -> Option<f64> {
        if month == now_month {
            return metrics["mrr"].as_f64();
        }
        if month > now_month {
            return None;
        }
        metrics["series"]
            .as_array()?
            .iter()
            .find(|p| p["month"].as_str() == Some(month))?["mrr"]
            .as_f64()
    };
    let mut rows = Vec::new();
    let milestones = content["path"]["milestones"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let has_now = milestones
        .iter()
        .any(|m| m["month"].as_str() == Some(now_month));
    if !has_now && let Some(plan) = tracker_plan(content, now_month) {
        let actual = actual_of(now_month);
        rows.push(json!({"month": now_month, "plan": plan, "actual": actual, "status": status(actual, plan)}));
    }
    for m in &milestones {
        let (Some(month), Some(plan)) = (m["month"].as_str(), m["target_mrr"].as_f64()) else {
            continue;
        };
        let actual = actual_of(month);
        rows.push(
            json!({"month": month, "plan": plan, "actual": actual, "status": status(actual, plan)}),
        );
    }
    patch.insert("actual_vs_plan".into(), Value::Array(rows));
    let mut readings = Readings::default();
    if let Some(plan) = tracker_plan(content, now_month) {
        readings.plans.insert("mrr".into(), plan);
    }
    (patch, readings)
}

/// A retention analysis: churn, NRR/GRR, quick ratio and cohorts from billing.
pub fn retention_analysis(metrics: &Value, retention: &Value) -> DataPatch {
    let mut patch = stripe_common(metrics);
    patch.insert("retention".into(), retention.clone());
    patch
}

/// A board pack: KPIs with actual, prior period and plan.
pub fn board_prep(metrics: &Value, mrr_plan: Option<f64>) -> DataPatch {
    let mut patch = stripe_common(metrics);
    let series = metrics["series"].as_array().cloned().unwrap_or_default();
    let prior = series.len().checked_sub(2).and_then(|i| series.get(i));
    let last = LastMonth::of(metrics);
    let kpi = |name: &str, actual: Value, prior: Value, plan: Value| json!({"name": name, "actual": actual, "prior": prior, "plan": plan});
    let kpis = vec![
        kpi(
            "MRR",
            metrics["mrr"].clone(),
            prior.map_or(Value::Null, |p| p["mrr"].clone()),
            mrr_plan.map_or(Value::Null, |p| json!(p)),
        ),
        kpi(
            "Paying customers",
            metrics["customers"].clone(),
            prior.map_or(Value::Null, |p| p["customers"].clone()),
            Value::Null,
        ),
        kpi("ARPA", metrics["arpa"].clone(), Value::Null, Value::Null),
        kpi(
            "Net new MRR (last full month)",
            last.map_or(Value::Null, |l| json!(round2(l.end_mrr - l.start_mrr))),
            Value::Null,
            Value::Null,
        ),
        kpi(
            "Quick ratio (last full month)",
            last.and_then(|l| l.quick_ratio())
                .map_or(Value::Null, |q| json!(round2(q))),
            Value::Null,
            Value::Null,
        ),
    ];
    patch.insert("kpis".into(), Value::Array(kpis));
    patch
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics() -> Value {
        json!({
            "currency": "usd", "as_of": "2026-11-26T12:00:00Z", "mrr": 5070.42, "customers": 50, "arpa": 101.41,
            "series": [
                {"month": "2026-09", "mrr": 4927.92, "customers": 48},
                {"month": "2026-10", "mrr": 5247.92, "customers": 51, "new": 320.0, "expansion": 0.0,
                 "contraction": 0.0, "churn": 0.0, "reactivation": 0.0},
                {"month": "2026-11", "mrr": 5070.42, "customers": 50, "new": 207.5, "expansion": 0.0,
                 "contraction": 0.0, "churn": 385.0, "reactivation": 0.0}
            ]
        })
    }

    fn tracker() -> Value {
        json!({
            "current": {"mrr": 12000, "source": "prompt"},
            "path": {"milestones": [
                {"month": "2026-12", "target_mrr": 14000},
                {"month": "2027-01", "target_mrr": 16000}
            ]}
        })
    }

    #[test]
    fn tracker_rows_put_actual_against_plan() {
        let (patch, readings) = mrr_tracker(&tracker(), &metrics(), "2026-11");
        let rows = patch["actual_vs_plan"].as_array().unwrap();
        assert_eq!(
            rows[0],
            json!({"month": "2026-11", "plan": 12000.0, "actual": 5070.42, "status": "off-track"})
        );
        assert_eq!(rows[1]["status"], "upcoming");
        assert_eq!(rows[1]["actual"], Value::Null);
        assert_eq!(readings.plans["mrr"], 12000.0);
        assert_eq!(patch["source"], "stripe");
        assert_eq!(patch["series"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn last_full_month_numbers() {
        let last = LastMonth::of(&metrics()).unwrap();
        assert_eq!(last.start_mrr, 4927.92);
        assert_eq!(last.end_mrr, 5247.92);
        assert_eq!(last.quick_ratio(), None, "no churn in October");
        let growth = last.growth().unwrap();
        assert!((growth - (5247.92 / 4927.92 - 1.0)).abs() < 1e-12);
        let readings = stripe_readings(
            &metrics(),
            &json!({"months": [{"logo_churn_rate": 0.02}, {"logo_churn_rate": null}]}),
        );
        assert_eq!(readings.values["logo_churn_monthly"], 0.02);
        assert_eq!(readings.values["mrr_churn_rate"], 0.0);
    }

    #[test]
    fn board_kpis_compare_with_prior_and_plan() {
        let patch = board_prep(&metrics(), Some(5500.0));
        let mrr = &patch["kpis"][0];
        assert_eq!(mrr["actual"], 5070.42);
        assert_eq!(mrr["prior"], 5247.92);
        assert_eq!(mrr["plan"], 5500.0);
        assert_eq!(patch["kpis"][3]["actual"], 320.0);
    }
}
