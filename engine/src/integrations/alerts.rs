//! Evaluating artifacts' alert rules against pulled metrics; firing rules become insights.
//!
//! A rule names a metric, a condition (`below`, `above`, or `below_plan`: actual / plan below the
//! threshold) and a threshold. Only metrics that pulled data provides are evaluated; a rule on a
//! metric nobody measures yet stays silent rather than guessing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One alert rule as artifacts store it in `content.alerts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable id within the artifact.
    pub id: String,
    /// The metric it reads.
    pub metric: String,
    /// `below`, `above` or `below_plan`.
    pub condition: String,
    /// The threshold.
    pub threshold: f64,
}

/// An insight: an alert that fired, as the workspace document stores it (DESIGN section 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    /// `<artifact>:<rule>:<YYYY-MM>`: one insight per rule per month, however often data arrives.
    pub id: String,
    /// The artifact whose rule fired.
    pub artifact: String,
    /// When it fired (ms since the epoch).
    pub at: i64,
    /// `info`, `warn` or `alert`.
    pub severity: String,
    /// What happened, with the numbers.
    pub text: String,
}

/// Metric values known now, by metric name, plus the plan for `below_plan` rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readings {
    /// Values by metric name (`mrr`, `mrr_growth_mom`, `mrr_churn_rate`, ...).
    pub values: BTreeMap<String, f64>,
    /// The plan for each metric that has one (an MRR tracker's milestone for this month).
    pub plans: BTreeMap<String, f64>,
}

/// A rule that fired, with what it saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// The rule.
    pub rule: Rule,
    /// The metric's value.
    pub value: f64,
    /// The plan it was compared with, for `below_plan`.
    pub plan: Option<f64>,
}

/// The rules among `rules` that fire on `readings`.
pub fn evaluate(rules: &[Rule], readings: &Readings) -> Vec<Firing> {
    rules
        .iter()
        .filter_map(|rule| {
            let value = *readings.values.get(&rule.metric)?;
            if !value.is_finite() {
                return None;
            }
            let (fires, plan) = match rule.condition.as_str() {
                "below" => (value < rule.threshold, None),
                "above" => (value > rule.threshold, None),
                "below_plan" => {
                    let plan = *readings.plans.get(&rule.metric)?;
                    (plan > 0.0 && value / plan < rule.threshold, Some(plan))
                }
                _ => return None,
            };
            fires.then(|| Firing {
                rule: rule.clone(),
                value,
                plan,
            })
        })
        .collect()
}

/// How bad a firing is: far past its threshold is an `alert`, otherwise a `warn`.
pub fn severity(firing: &Firing) -> &'static str {
    let rule = &firing.rule;
    let far = match (rule.condition.as_str(), firing.plan) {
        ("below_plan", Some(plan)) => firing.value / plan < rule.threshold - 0.15,
        ("below", _) => firing.value < rule.threshold * 0.5,
        ("above", _) => firing.value > rule.threshold * 2.0,
        _ => false,
    };
    if far { "alert" } else { "warn" }
}

/// A sentence for the founder, with the numbers.
pub fn describe(firing: &Firing) -> String {
    let rule = &firing.rule;
    let show = |metric: &str, v: f64| display(metric, v);
    match (rule.condition.as_str(), firing.plan) {
        ("below_plan", Some(plan)) => format!(
            "{} is {}, {:.0}% of the {} plan (alert below {:.0}%).",
            label(&rule.metric),
            show(&rule.metric, firing.value),
            firing.value / plan * 100.0,
            show(&rule.metric, plan),
            rule.threshold * 100.0
        ),
        (condition, _) => format!(
            "{} is {}, {} the {} threshold.",
            label(&rule.metric),
            show(&rule.metric, firing.value),
            if condition == "below" {
                "below"
            } else {
                "above"
            },
            show(&rule.metric, rule.threshold)
        ),
    }
}

fn label(metric: &str) -> String {
    match metric {
        "mrr" => "MRR".to_string(),
        "mrr_growth_mom" => "Month-over-month MRR growth".to_string(),
        "mrr_churn_rate" => "MRR churn".to_string(),
        "logo_churn_monthly" => "Logo churn".to_string(),
        "quick_ratio" => "The SaaS quick ratio".to_string(),
        "activation_rate" => "Activation".to_string(),
        other => {
            let mut words = other.replace('_', " ");
            if let Some(first) = words.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            words
        }
    }
}

fn display(metric: &str, value: f64) -> String {
    match metric {
        "mrr" => format!("${}", thousands(value)),
        "quick_ratio" => format!("{value:.2}"),
        m if m.ends_with("_rate") || m.ends_with("_mom") || m.ends_with("_monthly") => {
            format!("{:.1}%", value * 100.0)
        }
        _ => format!("{value}"),
    }
}

fn thousands(value: f64) -> String {
    let whole = value.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str, metric: &str, condition: &str, threshold: f64) -> Rule {
        Rule {
            id: id.into(),
            metric: metric.into(),
            condition: condition.into(),
            threshold,
        }
    }

    #[test]
    fn evaluates_each_condition_and_skips_unmeasured_metrics() {
        let mut readings = Readings::default();
        readings.values.insert("mrr".into(), 5070.42);
        readings.plans.insert("mrr".into(), 5600.0);
        readings.values.insert("mrr_churn_rate".into(), 0.05);
        readings.values.insert("quick_ratio".into(), 4.5);
        let rules = [
            rule("plan", "mrr", "below_plan", 0.95),
            rule("churn", "mrr_churn_rate", "above", 0.03),
            rule("qr", "quick_ratio", "below", 1.0),
            rule("nps", "nps", "below", 30.0),
        ];
        let fired = evaluate(&rules, &readings);
        let ids: Vec<&str> = fired.iter().map(|f| f.rule.id.as_str()).collect();
        assert_eq!(ids, ["plan", "churn"]);
        // 5070.42 / 5600 = 90.5%: below 95%, not 15 points below.
        assert_eq!(severity(&fired[0]), "warn");
        assert_eq!(
            describe(&fired[0]),
            "MRR is $5,070, 91% of the $5,600 plan (alert below 95%)."
        );
        assert_eq!(
            describe(&fired[1]),
            "MRR churn is 5.0%, above the 3.0% threshold."
        );
        assert_eq!(severity(&fired[1]), "warn");
    }

    #[test]
    fn far_misses_are_alerts() {
        let mut readings = Readings::default();
        readings.values.insert("mrr".into(), 4000.0);
        readings.plans.insert("mrr".into(), 5600.0);
        let fired = evaluate(&[rule("plan", "mrr", "below_plan", 0.95)], &readings);
        assert_eq!(severity(&fired[0]), "alert");
        readings.plans.insert("mrr".into(), 0.0);
        assert!(evaluate(&[rule("plan", "mrr", "below_plan", 0.95)], &readings).is_empty());
    }
}
