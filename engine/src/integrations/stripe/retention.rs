//! Retention figures from an MRR history, for the retention artifact: monthly logo and revenue churn,
//! NRR and GRR over 12 months, the SaaS quick ratio, and a cohort table.
//!
//! Conventions: ratios are plain fractions (0.95 = 95 %), computed exactly and rounded at the end to
//! 4 decimals (a hundredth of a percent); the quick ratio is rounded to 2 decimals; money to the cent.
//! A ratio whose denominator is 0 is `null`, never 0 or infinity.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use num::{BigInt, BigRational, Zero};
use serde::{Deserialize, Serialize};

use super::amounts::{Amount, round_to};
use super::mrr::MrrHistory;
use super::series::steps;

/// How many months back NRR and GRR look.
pub const RETENTION_WINDOW_MONTHS: u32 = 12;

/// The retention artifact's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionStats {
    /// The instant of the last point.
    pub as_of: DateTime<Utc>,
    /// Churn for each month of the series (each point after the first).
    pub months: Vec<MonthRetention>,
    /// The window of `nrr` and `grr`, in months (12).
    pub window_months: u32,
    /// Months from the first point with MRR to the last point (up to the series' length).
    pub months_available: u32,
    /// Net revenue retention: MRR now of the customers who had MRR 12 months ago, over their MRR
    /// then. `null` when the history does not reach back 12 months with MRR.
    pub nrr: Option<f64>,
    /// Gross revenue retention: as `nrr`, each customer's MRR now capped at their MRR then.
    pub grr: Option<f64>,
    /// The month of `quick_ratio`: the last point's (month to date).
    pub quick_ratio_month: Option<String>,
    /// (new + expansion + reactivation) / (churn + contraction) in that month; `null` when nothing
    /// was lost.
    pub quick_ratio: Option<f64>,
    /// One row per month in which customers first had MRR, oldest first.
    pub cohorts: Vec<Cohort>,
}

/// Churn in one month: from the previous point to this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRetention {
    /// `YYYY-MM` of the later point.
    pub month: String,
    /// Customers with MRR at the start (the previous point).
    pub customers_start: u64,
    /// Of those, how many had none at the end.
    pub customers_churned: u64,
    /// `customers_churned / customers_start`; `null` without customers at the start.
    pub logo_churn_rate: Option<f64>,
    /// MRR at the start, to the cent.
    pub mrr_start: f64,
    /// MRR lost to churn, to the cent.
    pub mrr_churned: f64,
    /// MRR lost to contraction, to the cent.
    pub mrr_contraction: f64,
    /// `(churned + contraction MRR) / MRR at the start` (gross; expansion does not offset it);
    /// `null` without MRR at the start.
    pub revenue_churn_rate: Option<f64>,
}

/// The customers who first had MRR at one point of the series, followed through the later points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// `YYYY-MM` of the point where they first had MRR.
    pub month: String,
    /// True for the first point's cohort, which holds every customer who had MRR then, however long
    /// before the series began they started.
    pub includes_earlier: bool,
    /// How many customers.
    pub customers: u64,
    /// Their MRR at that point, to the cent.
    pub mrr: f64,
    /// One cell per later point.
    pub retention: Vec<CohortCell>,
}

/// A cohort at one later point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortCell {
    /// `YYYY-MM` of the point.
    pub month: String,
    /// Points since the cohort's own (1 = the next).
    pub months_since: u32,
    /// Cohort customers with MRR at this point.
    pub customers: u64,
    /// `customers` over the cohort's size.
    pub customers_share: f64,
    /// The cohort's MRR at this point (expansion included), to the cent.
    pub mrr: f64,
    /// `mrr` over the cohort's starting MRR (net: above 1 when expansion outweighs losses).
    pub mrr_share: f64,
}

/// `a / b` rounded to `decimals`, or `None` when `b` is 0.
fn ratio(a: &BigRational, b: &BigRational, decimals: u32) -> Option<f64> {
    (!b.is_zero()).then(|| round_to(&(a / b), decimals))
}

fn count(n: u64) -> BigRational {
    BigRational::from_integer(BigInt::from(n))
}

/// The retention figures of a history (see [`RetentionStats`] for each definition).
pub fn retention(history: &MrrHistory) -> RetentionStats {
    let points = &history.points;
    let steps = steps(history);
    let months = steps
        .iter()
        .zip(points.windows(2))
        .map(|(step, pair)| {
            let start = pair[0].mrr();
            let customers_start = pair[0].customers.len() as u64;
            let lost = step.churn.clone() + &step.contraction;
            MonthRetention {
                month: step.month.clone(),
                customers_start,
                customers_churned: step.churned_customers,
                logo_churn_rate: ratio(&count(step.churned_customers), &count(customers_start), 4),
                mrr_start: start.to_f64(),
                mrr_churned: step.churn.to_f64(),
                mrr_contraction: step.contraction.to_f64(),
                revenue_churn_rate: ratio(lost.ratio(), start.ratio(), 4),
            }
        })
        .collect();

    let first_with_mrr = points.iter().position(|p| !p.customers.is_empty());
    let months_available = first_with_mrr.map_or(0, |i| (points.len() - 1 - i) as u32);
    let window = RETENTION_WINDOW_MONTHS as usize;
    let (mut nrr, mut grr) = (None, None);
    if let (Some(now), Some(then)) = (
        points.last(),
        points.len().checked_sub(window + 1).map(|i| &points[i]),
    ) {
        let base: Amount = then.customers.values().sum();
        let kept: Amount = then.customers.keys().map(|id| now.customer(id)).sum();
        let capped: Amount = then
            .customers
            .iter()
            .map(|(id, old)| now.customer(id).min(old.clone()))
            .sum();
        nrr = ratio(kept.ratio(), base.ratio(), 4);
        grr = ratio(capped.ratio(), base.ratio(), 4);
    }

    let (quick_ratio_month, quick_ratio) = match steps.last() {
        Some(last) => {
            let gained = last.new.clone() + &last.expansion + &last.reactivation;
            let lost = last.churn.clone() + &last.contraction;
            (
                Some(last.month.clone()),
                ratio(gained.ratio(), lost.ratio(), 2),
            )
        }
        None => (None, None),
    };

    RetentionStats {
        as_of: history.as_of,
        months,
        window_months: RETENTION_WINDOW_MONTHS,
        months_available,
        nrr,
        grr,
        quick_ratio_month,
        quick_ratio,
        cohorts: cohorts(history),
    }
}

/// Cohort = the point where a customer first had MRR in the series.
fn cohorts(history: &MrrHistory) -> Vec<Cohort> {
    let points = &history.points;
    let mut members: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, point) in points.iter().enumerate() {
        for id in point.customers.keys() {
            if seen.insert(id.as_str()) {
                members.entry(i).or_default().push(id);
            }
        }
    }
    members
        .into_iter()
        .map(|(start, ids)| {
            let size = ids.len() as u64;
            let start_mrr: Amount = ids.iter().map(|id| points[start].customer(id)).sum();
            let retention = points[start + 1..]
                .iter()
                .enumerate()
                .map(|(k, point)| {
                    let still = ids
                        .iter()
                        .filter(|id| point.customers.contains_key(**id))
                        .count() as u64;
                    let mrr: Amount = ids.iter().map(|id| point.customer(id)).sum();
                    CohortCell {
                        month: point.month.clone(),
                        months_since: k as u32 + 1,
                        customers: still,
                        customers_share: ratio(&count(still), &count(size), 4).unwrap_or(0.0),
                        mrr: mrr.to_f64(),
                        mrr_share: ratio(mrr.ratio(), start_mrr.ratio(), 4).unwrap_or(0.0),
                    }
                })
                .collect();
            Cohort {
                month: points[start].month.clone(),
                includes_earlier: start == 0,
                customers: size,
                mrr: start_mrr.to_f64(),
                retention,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::super::mrr::{MrrPoint, When};
    use super::*;

    fn history(rows: &[&[(&str, i64)]]) -> MrrHistory {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        MrrHistory {
            as_of: now,
            points: rows
                .iter()
                .enumerate()
                .map(|(i, row)| MrrPoint {
                    month: format!("m{i:02}"),
                    at: When::Past(now),
                    customers: row
                        .iter()
                        .map(|(id, dollars)| (id.to_string(), Amount::from_cents(dollars * 100)))
                        .collect(),
                })
                .collect(),
        }
    }

    /// 13 points: a (100) and b (200) 12 months ago; a expands to 150, b contracts to 50, c (300)
    /// joins later, d (100) joins and churns.
    fn year() -> MrrHistory {
        let mut rows: Vec<Vec<(&str, i64)>> = vec![vec![("a", 100), ("b", 200)]; 13];
        rows[5] = vec![("a", 100), ("b", 200), ("c", 300), ("d", 100)];
        for row in rows.iter_mut().skip(6) {
            *row = vec![("a", 150), ("b", 50), ("c", 300)];
        }
        let refs: Vec<&[(&str, i64)]> = rows.iter().map(Vec::as_slice).collect();
        history(&refs)
    }

    #[test]
    fn nrr_and_grr_over_twelve_months() {
        let r = retention(&year());
        assert_eq!(r.months_available, 12);
        // NRR: (150 + 50) / (100 + 200); c is not in the base.
        assert_eq!(r.nrr, Some(0.6667));
        // GRR: (min(150, 100) + min(50, 200)) / 300 = 150 / 300.
        assert_eq!(r.grr, Some(0.5));
    }

    #[test]
    fn nrr_is_null_without_twelve_months() {
        let mut short = year();
        short.points.remove(0);
        let r = retention(&short);
        assert_eq!((r.nrr, r.grr, r.months_available), (None, None, 11));
        // 13 points but no MRR 12 months ago: still null, and fewer months available.
        let late = history(&[
            &[],
            &[],
            &[],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 10)],
            &[("a", 20)],
        ]);
        let r = retention(&late);
        assert_eq!((r.nrr, r.grr, r.months_available), (None, None, 9));
    }

    #[test]
    fn monthly_churn_rates() {
        let r = retention(&year());
        assert_eq!(r.months.len(), 12);
        let m6 = &r.months[5]; // from point 5 (a, b, c, d) to point 6
        assert_eq!(m6.month, "m06");
        assert_eq!((m6.customers_start, m6.customers_churned), (4, 1));
        assert_eq!(m6.logo_churn_rate, Some(0.25));
        assert_eq!(
            (m6.mrr_start, m6.mrr_churned, m6.mrr_contraction),
            (700.0, 100.0, 150.0)
        );
        // (100 churned + 150 contraction) / 700, expansion of a not netted.
        assert_eq!(m6.revenue_churn_rate, Some(0.3571));
        let empty = retention(&history(&[&[], &[("a", 5)]]));
        assert_eq!(empty.months[0].logo_churn_rate, None);
        assert_eq!(empty.months[0].revenue_churn_rate, None);
    }

    #[test]
    fn quick_ratio_of_the_last_month() {
        let r = retention(&history(&[
            &[("a", 100), ("b", 100), ("c", 50)],
            &[("a", 140), ("b", 80), ("d", 60), ("e", 20)],
        ]));
        // (new 80 + expansion 40) / (churn 50 + contraction 20)
        assert_eq!(r.quick_ratio_month.as_deref(), Some("m01"));
        assert_eq!(r.quick_ratio, Some(1.71));
        let growing = retention(&history(&[&[("a", 100)], &[("a", 100), ("b", 5)]]));
        assert_eq!(growing.quick_ratio, None);
        let single = retention(&history(&[&[("a", 100)]]));
        assert_eq!((single.quick_ratio_month, single.quick_ratio), (None, None));
    }

    #[test]
    fn cohort_table() {
        let r = retention(&year());
        assert_eq!(r.cohorts.len(), 2);
        let first = &r.cohorts[0];
        assert_eq!(
            (first.month.as_str(), first.includes_earlier),
            ("m00", true)
        );
        assert_eq!((first.customers, first.mrr), (2, 300.0));
        assert_eq!(first.retention.len(), 12);
        assert_eq!(first.retention[11].months_since, 12);
        assert_eq!(first.retention[11].customers_share, 1.0);
        assert_eq!(first.retention[11].mrr_share, 0.6667);
        let second = &r.cohorts[1];
        assert_eq!(
            (second.month.as_str(), second.includes_earlier),
            ("m05", false)
        );
        assert_eq!((second.customers, second.mrr), (2, 400.0));
        assert_eq!(second.retention.len(), 7);
        let next = &second.retention[0];
        assert_eq!((next.month.as_str(), next.customers), ("m06", 1));
        assert_eq!(
            (next.customers_share, next.mrr, next.mrr_share),
            (0.5, 300.0, 0.75)
        );
        // Serialises, with nulls where undefined.
        let json = serde_json::to_value(retention(&history(&[&[("a", 1)]]))).unwrap();
        assert!(json["nrr"].is_null() && json["quick_ratio"].is_null());
    }
}
