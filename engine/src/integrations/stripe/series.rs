//! The metrics JSON of DESIGN section 5: MRR, customers, ARPA and the monthly series with its
//! movements (rule 5).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use num::{BigInt, BigRational};
use serde::{Deserialize, Serialize};

use super::amounts::Amount;
use super::mrr::MrrHistory;

/// The metrics JSON (`cosos pull stripe --json`, `cosos metrics --json`, `GET /api/v1/metrics`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StripeMetrics {
    /// The reporting currency: always `usd`.
    pub currency: String,
    /// The instant the metrics are for (RFC 3339, whole seconds).
    pub as_of: DateTime<Utc>,
    /// MRR now, in dollars, to the cent.
    pub mrr: f64,
    /// Customers with MRR now.
    pub customers: u64,
    /// Average revenue per account: exact MRR / customers, to the cent (0 without customers).
    pub arpa: f64,
    /// The 12 month-ends before the current month, then now.
    pub series: Vec<SeriesPoint>,
}

/// One point of the series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// `YYYY-MM`.
    pub month: String,
    /// MRR at the point, to the cent.
    pub mrr: f64,
    /// Customers with MRR at the point.
    pub customers: u64,
    /// The movements since the previous point (absent on the first point).
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub movements: Option<Movements>,
}

/// MRR movements between two points, each to the cent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movements {
    /// From customers at 0 who never had MRR earlier in the series.
    pub new: f64,
    /// Increases of customers who had MRR at both points.
    pub expansion: f64,
    /// Decreases of customers who had MRR at both points (a positive number).
    pub contraction: f64,
    /// MRR of customers who went to 0 (a positive number).
    pub churn: f64,
    /// From customers at 0 who had MRR at an earlier point of the series.
    pub reactivation: f64,
}

/// The exact movements between one point and the previous one, with customer counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    /// The later point's `YYYY-MM`.
    pub month: String,
    /// New MRR.
    pub new: Amount,
    /// Expansion MRR.
    pub expansion: Amount,
    /// Contraction MRR (positive).
    pub contraction: Amount,
    /// Churned MRR (positive).
    pub churn: Amount,
    /// Reactivated MRR.
    pub reactivation: Amount,
    /// Customers who are new.
    pub new_customers: u64,
    /// Customers who came back.
    pub reactivated_customers: u64,
    /// Customers who left.
    pub churned_customers: u64,
}

impl Step {
    /// `new + expansion + reactivation - contraction - churn`: exactly the change in MRR.
    pub fn net(&self) -> Amount {
        self.new.clone() + &self.expansion + &self.reactivation
            - self.contraction.clone()
            - self.churn.clone()
    }

    /// Each movement rounded to the cent.
    pub fn rounded(&self) -> Movements {
        Movements {
            new: self.new.to_f64(),
            expansion: self.expansion.to_f64(),
            contraction: self.contraction.to_f64(),
            churn: self.churn.to_f64(),
            reactivation: self.reactivation.to_f64(),
        }
    }
}

/// Rule 5's movements for each point after the first, per customer: 0 -> >0 is new, or reactivation
/// when the customer had MRR at an earlier point of the series (only the series counts: a customer
/// who left before the first point comes back as new); >0 -> 0 churn; up expansion; down contraction.
pub fn steps(history: &MrrHistory) -> Vec<Step> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::with_capacity(history.points.len().saturating_sub(1));
    for pair in history.points.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        seen.extend(before.customers.keys().map(String::as_str));
        let mut step = Step {
            month: after.month.clone(),
            ..Step::default()
        };
        for (id, old) in &before.customers {
            match after.customers.get(id) {
                None => {
                    step.churn += old;
                    step.churned_customers += 1;
                }
                Some(new) if new > old => step.expansion += &(new - old),
                Some(new) if new < old => step.contraction += &(old - new),
                Some(_) => {}
            }
        }
        for (id, new) in &after.customers {
            if before.customers.contains_key(id) {
                continue;
            }
            if seen.contains(id.as_str()) {
                step.reactivation += new;
                step.reactivated_customers += 1;
            } else {
                step.new += new;
                step.new_customers += 1;
            }
        }
        out.push(step);
    }
    out
}

/// The metrics JSON from a history: every figure is its exact value rounded to the cent, so a
/// point's movements reconcile with the change in MRR exactly before rounding and to within a few
/// cents after (each of the seven figures is rounded on its own).
pub fn metrics(history: &MrrHistory) -> StripeMetrics {
    let steps = steps(history);
    let series: Vec<SeriesPoint> = history
        .points
        .iter()
        .enumerate()
        .map(|(i, point)| SeriesPoint {
            month: point.month.clone(),
            mrr: point.mrr().to_f64(),
            customers: point.customers.len() as u64,
            movements: i.checked_sub(1).map(|s| steps[s].rounded()),
        })
        .collect();
    let (mrr, customers) = history
        .points
        .last()
        .map(|p| (p.mrr(), p.customers.len() as u64))
        .unwrap_or_default();
    let arpa = if customers == 0 {
        Amount::zero()
    } else {
        Amount::from_ratio(mrr.ratio() / BigRational::from_integer(BigInt::from(customers)))
    };
    StripeMetrics {
        currency: "usd".to_string(),
        as_of: history.as_of,
        mrr: mrr.to_f64(),
        customers,
        arpa: arpa.to_f64(),
        series,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::super::model::{Coupon, Discount, Price, Subscription};
    use super::super::mrr::{Account, Fx, MrrPoint, When, history};
    use super::*;

    const SUBSCRIPTIONS: &str =
        include_str!("../../../../../shared/data/stripe/subscriptions.json");
    const DISCOUNTS: &str = include_str!("../../../../../shared/data/stripe/discounts.json");
    const COUPONS: &str = include_str!("../../../../../shared/data/stripe/coupons.json");
    const PRICES: &str = include_str!("../../../../../shared/data/stripe/prices.json");
    const EXPECTED: &str = include_str!("../../../../../shared/data/stripe/expected.json");

    /// The account as the puller builds it: subscriptions as listed (discounts unexpanded) plus the
    /// discount, coupon and tiered-price objects it fetched by ID.
    fn shared_account() -> Account {
        Account {
            subscriptions: serde_json::from_str::<Vec<Subscription>>(SUBSCRIPTIONS).unwrap(),
            discounts: serde_json::from_str::<HashMap<String, Discount>>(DISCOUNTS).unwrap(),
            coupons: serde_json::from_str::<HashMap<String, Coupon>>(COUPONS).unwrap(),
            prices: serde_json::from_str::<HashMap<String, Price>>(PRICES).unwrap(),
        }
    }

    fn shared_now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[test]
    fn acceptance_shared_dataset_gives_expected_json() {
        let fx = Fx::parse(&["EUR=1.08".to_string()]).unwrap();
        let metrics = metrics(&history(&shared_account(), shared_now(), &fx).unwrap());
        let expected: StripeMetrics = serde_json::from_str(EXPECTED).unwrap();
        assert_eq!(metrics, expected);
        let expected_value: serde_json::Value = serde_json::from_str(EXPECTED).unwrap();
        assert_eq!(serde_json::to_value(&metrics).unwrap(), expected_value);
        // And the text itself, key order included (expected.json is indented by one space).
        let mut text = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
        metrics.serialize(&mut serializer).unwrap();
        assert_eq!(String::from_utf8(text).unwrap(), EXPECTED.trim_end());
    }

    #[test]
    fn acceptance_without_eur_rate_names_eur() {
        let err = history(&shared_account(), shared_now(), &Fx::usd_only()).unwrap_err();
        assert!(err.to_string().contains("EUR"), "{err}");
    }

    #[test]
    fn acceptance_with_everything_expanded_is_the_same() {
        // The puller may get discounts and coupons expanded instead: same result.
        let mut account = shared_account();
        for sub in &mut account.subscriptions {
            for d in &mut sub.discounts {
                let mut discount = account.discounts[d.id()].clone();
                let coupon = account.coupons[discount.coupon_ref().unwrap().id()].clone();
                discount.source.as_mut().unwrap().coupon =
                    Some(super::super::model::Expandable::Object(Box::new(coupon)));
                *d = super::super::model::Expandable::Object(Box::new(discount));
            }
            for item in &mut sub.items.data {
                if let Some(p) = account.prices.get(&item.price.id) {
                    item.price = p.clone();
                }
            }
        }
        account.discounts.clear();
        account.coupons.clear();
        account.prices.clear();
        let fx = Fx::parse(&["EUR=1.08".to_string()]).unwrap();
        let metrics = metrics(&history(&account, shared_now(), &fx).unwrap());
        assert_eq!(metrics, serde_json::from_str(EXPECTED).unwrap());
    }

    fn point(month: &str, customers: &[(&str, i64)]) -> MrrPoint {
        MrrPoint {
            month: month.to_string(),
            at: When::Past(shared_now()),
            customers: customers
                .iter()
                .map(|(id, cents)| (id.to_string(), Amount::from_cents(*cents)))
                .collect(),
        }
    }

    fn hist(points: Vec<MrrPoint>) -> MrrHistory {
        MrrHistory {
            as_of: shared_now(),
            points,
        }
    }

    #[test]
    fn movements_new_reactivation_churn_expansion_contraction() {
        let h = hist(vec![
            point("2026-01", &[("a", 1000), ("b", 2000), ("c", 3000)]),
            point("2026-02", &[("a", 1500), ("b", 1200), ("d", 700)]), // c churns, d new
            point("2026-03", &[("a", 1500), ("b", 1200), ("d", 700)]),
            point(
                "2026-04",
                &[("a", 1500), ("b", 1200), ("c", 2500), ("e", 100)],
            ), // c back, d out
        ]);
        let s = steps(&h);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].month, "2026-02");
        assert_eq!(s[0].new, Amount::from_cents(700));
        assert_eq!(s[0].expansion, Amount::from_cents(500));
        assert_eq!(s[0].contraction, Amount::from_cents(800));
        assert_eq!(s[0].churn, Amount::from_cents(3000));
        assert_eq!(s[0].reactivation, Amount::zero());
        assert_eq!((s[0].new_customers, s[0].churned_customers), (1, 1));
        assert_eq!(
            s[1],
            Step {
                month: "2026-03".into(),
                ..Step::default()
            }
        );
        // c had MRR two points earlier: reactivation, not new; e is new.
        assert_eq!(s[2].reactivation, Amount::from_cents(2500));
        assert_eq!(s[2].reactivated_customers, 1);
        assert_eq!(s[2].new, Amount::from_cents(100));
        assert_eq!(s[2].churn, Amount::from_cents(700));
        let m = metrics(&h);
        assert_eq!(m.series[0].movements, None);
        assert_eq!(
            m.series[3].movements,
            Some(Movements {
                new: 1.0,
                expansion: 0.0,
                contraction: 0.0,
                churn: 7.0,
                reactivation: 25.0
            })
        );
        assert_eq!((m.mrr, m.customers), (53.0, 4));
        assert_eq!(m.arpa, 13.25);
    }

    #[test]
    fn no_customers_means_zero_arpa() {
        let m = metrics(&hist(vec![point("2026-01", &[]), point("2026-02", &[])]));
        assert_eq!((m.mrr, m.customers, m.arpa), (0.0, 0, 0.0));
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["series"][0].as_object().unwrap().len(), 3);
        assert_eq!(json["series"][1].as_object().unwrap().len(), 8);
    }

    #[test]
    fn rounds_to_cents_only_at_the_end() {
        // Three customers at $10/3 each: $3.33 each when rounded, but $10.00 in all.
        let third = Amount::from_ratio(BigRational::new(BigInt::from(10), BigInt::from(3)));
        let mut customers = BTreeMap::new();
        for id in ["a", "b", "c"] {
            customers.insert(id.to_string(), third.clone());
        }
        let h = hist(vec![MrrPoint {
            month: "2026-11".into(),
            at: When::Now(shared_now()),
            customers,
        }]);
        let m = metrics(&h);
        assert_eq!(m.mrr, 10.0);
        assert_eq!(m.arpa, 3.33);
    }

    #[test]
    fn as_of_serialises_as_rfc3339_with_z() {
        let m = metrics(&hist(vec![point("2026-11", &[])]));
        assert_eq!(
            serde_json::to_value(&m).unwrap()["as_of"],
            "2026-11-26T12:00:00Z"
        );
    }

    proptest! {
        /// Movements reconcile exactly with the change in MRR; rounded, to within the rounding of
        /// the seven figures involved (3 cents); and the rounded MRR is the rounded sum over customers.
        #[test]
        fn movements_reconcile(
            raw in prop::collection::vec(prop::collection::vec(0i64..5000, 6), 2..8),
            thirds in prop::collection::vec(0i64..3, 6),
        ) {
            let points: Vec<MrrPoint> = raw
                .iter()
                .enumerate()
                .map(|(i, row)| MrrPoint {
                    month: format!("2026-{:02}", i + 1),
                    at: When::Past(shared_now()),
                    customers: row
                        .iter()
                        .zip(&thirds)
                        .enumerate()
                        .filter(|(_, (cents, _))| **cents > 0)
                        .map(|(c, (cents, third))| {
                            let exact = BigRational::new(
                                BigInt::from(*cents * 3 + *third),
                                BigInt::from(300),
                            );
                            (format!("cus_{c}"), Amount::from_ratio(exact))
                        })
                        .collect(),
                })
                .collect();
            let h = hist(points);
            let s = steps(&h);
            for (i, step) in s.iter().enumerate() {
                prop_assert_eq!(step.net(), &h.points[i + 1].mrr() - &h.points[i].mrr());
            }
            let m = metrics(&h);
            for (i, p) in m.series.iter().enumerate() {
                let exact: Amount = h.points[i].customers.values().sum();
                prop_assert_eq!(p.mrr, exact.to_f64());
                prop_assert_eq!(p.customers as usize, h.points[i].customers.len());
                if let Some(mv) = &p.movements {
                    let net = mv.new + mv.expansion + mv.reactivation - mv.contraction - mv.churn;
                    let diff = (p.mrr - m.series[i - 1].mrr) - net;
                    prop_assert!(diff.abs() <= 0.035, "{} vs {}", p.mrr - m.series[i - 1].mrr, net);
                    prop_assert!(mv.new >= 0.0 && mv.churn >= 0.0 && mv.contraction >= 0.0);
                }
            }
        }
    }
}
