//! NPS arithmetic: promoter/detractor mixes behind a score, its standard error and margin of
//! error, conversions needed to gain points, theme-share margins and sample-size guidance.
//!
//! All shares are fractions (0.21), all NPS values points (21).

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::benchmarks::feedback::{ASSUMED_PASSIVES, Z95};

/// Shares of promoters, passives and detractors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mix {
    /// Share answering 9-10.
    pub promoters: f64,
    /// Share answering 7-8.
    pub passives: f64,
    /// Share answering 0-6.
    pub detractors: f64,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The mix assumed when only the score is known: 30% passives (fewer when the score is so far
/// from zero that 30% cannot fit), the rest split so that promoters - detractors = NPS.
pub fn assumed_mix(nps: f64) -> Mix {
    let s = (nps / 100.0).clamp(-1.0, 1.0);
    let q = ASSUMED_PASSIVES.min(1.0 - s.abs());
    Mix {
        promoters: round4((1.0 - q + s) / 2.0),
        passives: round4(q),
        detractors: round4((1.0 - q - s) / 2.0),
    }
}

/// Mixes with 5%, 10%, 20%, 30% or 40% detractors that give exactly this NPS.
pub fn consistent_mixes(nps: f64) -> Vec<Mix> {
    let s = (nps / 100.0).clamp(-1.0, 1.0);
    [0.05, 0.10, 0.20, 0.30, 0.40]
        .into_iter()
        .filter_map(|d| {
            let p = round4(d + s);
            let q = round4(1.0 - p - d);
            (p >= 0.0 && q >= 0.0).then_some(Mix {
                promoters: p,
                passives: q,
                detractors: d,
            })
        })
        .collect()
}

/// Answers of each kind in a sample of `n` at `mix`, rounded so that they sum to `n` and
/// promoters minus detractors stays the rounded NPS share of `n`.
pub fn counts(mix: Mix, n: u32) -> [u32; 3] {
    let total = f64::from(n);
    let d = round(mix.detractors * total).clamp(0.0, total);
    let net = round((mix.promoters - mix.detractors) * total);
    let p = (d + net).clamp(0.0, total - d);
    [p as u32, (total - p - d) as u32, d as u32]
}

/// Rounds half away from zero after removing float noise, so 73.49999999 counts as 73.5.
fn round(x: f64) -> f64 {
    ((x * 1e6).round() / 1e6).round()
}

/// Standard error of NPS in points: 100 x sqrt((p + d - (p - d)^2) / n).
pub fn standard_error(mix: Mix, n: u32) -> f64 {
    let (p, d) = (mix.promoters, mix.detractors);
    let variance = (p + d - (p - d).powi(2)).max(0.0);
    100.0 * (variance / f64::from(n.max(1))).sqrt()
}

/// 95% margin of error of NPS in points.
pub fn margin_of_error(mix: Mix, n: u32) -> f64 {
    Z95 * standard_error(mix, n)
}

/// 95% margin of error in points of the change between two surveys of `n` answers each.
pub fn change_margin(mix: Mix, n: u32) -> f64 {
    Z95 * std::f64::consts::SQRT_2 * standard_error(mix, n)
}

/// 95% margin of error of a share `s` measured on `n` items (Wald), as a fraction.
pub fn share_margin(s: f64, n: u32) -> f64 {
    Z95 * (s * (1.0 - s) / f64::from(n.max(1))).sqrt()
}

/// Ceiling that ignores float noise, so 30.000000001 answers is 30.
fn ceil(x: f64) -> u32 {
    ((x * 1e6).round() / 1e6).ceil().max(0.0) as u32
}

/// Answers needed for a 95% NPS margin of `points`.
pub fn answers_for_nps_margin(mix: Mix, points: f64) -> u32 {
    let (p, d) = (mix.promoters, mix.detractors);
    let m = points / 100.0;
    ceil(Z95 * Z95 * (p + d - (p - d).powi(2)) / (m * m))
}

/// Answers needed for a 95% margin of `margin` on a share, at the worst case s = 50%.
pub fn answers_for_share_margin(margin: f64) -> u32 {
    ceil(Z95 * Z95 * 0.25 / (margin * margin))
}

/// Detractors who must become passives to gain `points`: each one adds 100 / n points.
pub fn detractors_to_passives(points: f64, n: u32) -> u32 {
    ceil(points * f64::from(n) / 100.0)
}

/// Detractors who must become promoters to gain `points`: each one adds 200 / n points.
pub fn detractors_to_promoters(points: f64, n: u32) -> u32 {
    ceil(points * f64::from(n) / 200.0)
}

static FROM_TO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:nps|net promoter score)\b[^.?!]{0,40}?\bfrom\s+(-?\d{1,3})\s+to\s+(-?\d{1,3})\b",
    )
    .ok()
});
static DROPPED_BY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:nps|net promoter score)\b[^.?!]{0,40}?\b(fell|dropped|declined|down|rose|grew|up|increased|improved)\s+(?:by\s+)?(\d{1,3})\s+points?\b").ok()
});

/// The earlier NPS the normalized prompt compares with ("fell from 35 to 21", "dropped 8 points").
pub fn previous_nps(text: &str, nps: f64) -> Option<f64> {
    if let Some(c) = FROM_TO.as_ref().and_then(|re| re.captures(text)) {
        let from: f64 = c.get(1)?.as_str().parse().ok()?;
        let to: f64 = c.get(2)?.as_str().parse().ok()?;
        return ((to - nps).abs() < 1e-9 && (-100.0..=100.0).contains(&from)).then_some(from);
    }
    let c = DROPPED_BY.as_ref().and_then(|re| re.captures(text))?;
    let points: f64 = c.get(2)?.as_str().parse().ok()?;
    let up = matches!(
        c.get(1)?.as_str(),
        "rose" | "grew" | "up" | "increased" | "improved"
    );
    let prev = if up { nps - points } else { nps + points };
    (-100.0..=100.0).contains(&prev).then_some(prev)
}
