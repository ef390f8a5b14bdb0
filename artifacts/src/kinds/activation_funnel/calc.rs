//! The formulas and tables of an activation funnel: stage estimates and bars, the two-proportion
//! sample size, scaling estimates through stated rates, and the benchmark list.

use super::{Benchmark, Change, FunnelStep};
use crate::benchmarks::activation as bench;
use crate::format::percent;
use crate::model::Stage;

/// Step conversions estimated for a stage, from the previous step: setup, key action,
/// activated, paid. cosos planning estimates, shown as such: they multiply to about 21% activation
/// at early revenue, 27% at seed and 34% at Series A, around the 30% median and 36% average.
pub fn stage_step_estimates(stage: Option<Stage>) -> [f64; 4] {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch => [0.50, 0.55, 0.60, 0.15],
        Stage::EarlyRevenue => [0.55, 0.60, 0.65, 0.20],
        Stage::Seed => [0.60, 0.65, 0.70, 0.25],
        Stage::SeriesA => [0.65, 0.70, 0.75, 0.30],
        Stage::SeriesBPlus => [0.70, 0.72, 0.78, 0.35],
    }
}

/// The benchmark bar for a stage: early products are held to the median, later ones to the
/// average, because the average is pulled up by mature products.
pub fn stage_bar(stage: Option<Stage>) -> (f64, &'static str) {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch | Stage::EarlyRevenue | Stage::Seed => {
            (bench::MEDIAN_ACTIVATION, "median")
        }
        Stage::SeriesA | Stage::SeriesBPlus => (bench::AVERAGE_ACTIVATION, "average"),
    }
}

/// Users per arm to tell `p1` from `p2` with a two-sided two-proportion z-test:
///
/// n = (z_(1-a/2) * sqrt(2 p (1 - p)) + z_(1-b) * sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p1 - p2)^2,
/// p = (p1 + p2) / 2, with z = 1.96 for alpha 0.05 and 0.8416 for power 0.8 (Fleiss).
/// Hand-checked: 25% vs 40% needs 151.87, so 152 per arm. None when the rates are equal.
pub fn sample_size_per_arm(p1: f64, p2: f64) -> Option<u64> {
    let d = (p1 - p2).abs();
    if d < 1e-9 || !(0.0..=1.0).contains(&p1) || !(0.0..=1.0).contains(&p2) {
        return None;
    }
    let p = (p1 + p2) / 2.0;
    let a = bench::Z_ALPHA_05_TWO_SIDED * (2.0 * p * (1.0 - p)).sqrt();
    let b = bench::Z_POWER_80 * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let n = (a + b).powi(2) / (d * d);
    // Round away float noise before ceil so 152.0000000001 users is 152, not 153.
    Some(((n * 1e6).round() / 1e6).ceil() as u64)
}

/// Step conversion rates from estimates and stated cumulative anchors (step index, share of
/// sign-ups). Between two anchors, each estimated rate e is raised to the same power a, with
/// a = ln(ratio) / ln(product of e), so the steps multiply to exactly the stated ratio while
/// keeping their relative shape. Returns (rate, source) for steps 1.. (step 0 is sign-up).
pub fn fill_rates(estimates: &[f64], anchors: &[(usize, f64)]) -> Vec<(f64, &'static str)> {
    let mut out: Vec<(f64, &'static str)> =
        estimates.iter().map(|e| (*e, "stage-estimate")).collect();
    let mut anchors: Vec<(usize, f64)> = anchors
        .iter()
        .copied()
        .filter(|(i, _)| (1..=estimates.len()).contains(i))
        .collect();
    anchors.sort_by_key(|(i, _)| *i);
    let (mut prev_step, mut prev_cum) = (0usize, 1.0f64);
    for (step, cum) in anchors {
        if step <= prev_step {
            continue;
        }
        // A later step cannot convert more users than an earlier one.
        let cum = cum.clamp(0.0, prev_cum);
        let ratio = if prev_cum > 0.0 { cum / prev_cum } else { 0.0 };
        let segment = prev_step..step;
        if step == prev_step + 1 {
            out[step - 1] = (ratio, "prompt");
        } else if ratio <= 0.0 {
            out[prev_step] = (0.0, "scaled-estimate");
            for k in segment.clone().skip(1) {
                out[k].1 = "scaled-estimate";
            }
        } else {
            let product: f64 = segment.clone().map(|k| estimates[k]).product();
            let power = if product > 0.0 && product < 1.0 {
                ratio.ln() / product.ln()
            } else {
                1.0
            };
            for k in segment {
                out[k] = (estimates[k].powf(power), "scaled-estimate");
            }
        }
        prev_step = step;
        prev_cum = cum;
    }
    out
}

/// A before/after change with its drop in points, relative drop and users lost per 1,000.
pub(super) fn change(metric: &str, before: f64, after: f64) -> Change {
    Change {
        metric: metric.to_string(),
        before,
        after,
        drop_points: points(before - after),
        relative_drop: if before > 0.0 {
            (before - after) / before
        } else {
            0.0
        },
        users_lost_per_1000: per_1000(before - after),
    }
}

/// The funnel steps from names and step rates, with users reached and lost per 1,000 sign-ups.
pub(super) fn build_steps(names: &[(String, String)], rates: &[(f64, &str)]) -> Vec<FunnelStep> {
    let mut reached = 1.0;
    let mut steps = vec![FunnelStep {
        name: names[0].0.clone(),
        event: names[0].1.clone(),
        rate: Some(1.0),
        source: "definition".to_string(),
        reached_per_1000: Some(1000.0),
        lost_per_1000: Some(0.0),
    }];
    for ((name, event), (rate, source)) in names.iter().skip(1).zip(rates) {
        let next = reached * rate;
        steps.push(FunnelStep {
            name: name.clone(),
            event: event.clone(),
            rate: Some(round6(*rate)),
            source: (*source).to_string(),
            reached_per_1000: Some(per_1000(next)),
            lost_per_1000: Some(per_1000(reached - next)),
        });
        reached = next;
    }
    steps
}

/// A share as users per 1,000, to one decimal (so 21.45% is 214.5, never a rounded 215).
pub(super) fn per_1000(x: f64) -> f64 {
    (x * 10_000.0).round() / 10.0
}

/// A difference of shares in percentage points, to two decimals.
pub(super) fn points(x: f64) -> f64 {
    (x * 10_000.0).round() / 100.0
}

/// Rounds away float noise so stored rates read cleanly.
pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// First letter upper case: "activation rate" -> "Activation rate".
pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// The benchmarks for a stage, each with its source.
pub fn benchmarks(stage: Option<Stage>) -> Vec<Benchmark> {
    let (bar, name) = stage_bar(stage);
    let single = |metric: String, v: f64, source: &str| Benchmark {
        metric,
        value: percent(v),
        low: v,
        high: None,
        source: source.to_string(),
    };
    vec![
        single(
            "Activation rate, SaaS average".to_string(),
            bench::AVERAGE_ACTIVATION,
            bench::LENNY_ACTIVATION,
        ),
        single(
            "Activation rate, SaaS median".to_string(),
            bench::MEDIAN_ACTIVATION,
            bench::LENNY_ACTIVATION,
        ),
        single(
            format!(
                "Bar for the {} stage (the {name})",
                crate::kinds::retention_analysis::stage_name(stage)
            ),
            bar,
            bench::LENNY_ACTIVATION,
        ),
        Benchmark {
            metric: "Funnel conversion window".to_string(),
            value: format!("{} days", bench::DEFAULT_WINDOW_DAYS),
            low: f64::from(bench::DEFAULT_WINDOW_DAYS),
            high: None,
            source: bench::POSTHOG_FUNNELS.to_string(),
        },
    ]
}
