//! MRR from Stripe objects, by the rules of DESIGN section 5: pure functions, no I/O.
//!
//! The puller fills an [`Account`]; [`history`] gives each customer's exact MRR at each point of the
//! series; [`metrics`] turns that into the metrics JSON and [`retention`] into the retention figures.
//! Amounts stay exact ([`Amount`], see `amounts.rs` for why) until each reported figure is rounded
//! to the cent.
//!
//! Choices where DESIGN leaves room, all deliberate:
//! - **Now** (the last point) a subscription counts when its status is `active` or `past_due`, and
//!   only then: `trialing`, `canceled`, `incomplete`, `incomplete_expired`, `unpaid`, `paused` and
//!   statuses this code does not know do not count (Stripe Billing's own MRR does the same).
//!   `pause_collection` on an active subscription does not change that.
//! - **Earlier points** use the dates, since a status is only known now: `start_date <= t`,
//!   `trial_end` null or `<= t` (a trial ending exactly at t counts), `ended_at` null or `> t` (a
//!   subscription ending exactly at t does not), and never `incomplete`/`incomplete_expired`. So an
//!   `unpaid` or `paused` subscription counts in the past and not now, which shows as churn this month.
//! - **Amounts at earlier points** use today's items, prices and quantities: Stripe does not give
//!   back past plan changes (the dated snapshots of each pull make them exact from then on); only the
//!   discounts change with time.
//! - **Customers** are those whose MRR is above 0: a subscription reduced to 0 (a 100 % coupon, a free
//!   price) counts for nothing, as Baremetrics does.
//! - **Currencies**: a counted subscription is converted at `--fx` rates; one counted at any point
//!   in a currency without a rate is an error naming it. A subscription that counts at no point
//!   needs no rate. Stripe's zero- and three-decimal currencies are converted with their own scale.
//! - **Item discounts** (a discount on one subscription item) reduce that item like rule 4 does a
//!   subscription (the item's own factor for amount-offs) before the subscription's discounts apply.
//! - Instants are whole seconds (Stripe's resolution): `now`'s fraction of a second is dropped.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Months, NaiveDate, Timelike, Utc};
use num::BigRational;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::amounts::{monthly_factor, period_amount, to_major};
use super::discounts::reduction_at;
use super::model::{
    Coupon, Discount, Price, PriceType, Subscription, SubscriptionStatus, UsageType,
};

pub use super::amounts::Amount;
pub use super::fx::Fx;
pub use super::retention::{Cohort, CohortCell, MonthRetention, RetentionStats, retention};
pub use super::series::{Movements, SeriesPoint, Step, StripeMetrics, metrics, steps};

/// What the puller hands over: subscriptions as listed, plus the objects it fetched by ID.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Every subscription, as `GET /v1/subscriptions?status=all` lists them.
    pub subscriptions: Vec<Subscription>,
    /// Discounts by ID, for those the subscriptions list as IDs.
    pub discounts: HashMap<String, Discount>,
    /// Coupons by ID, for those the discounts give as IDs.
    pub coupons: HashMap<String, Coupon>,
    /// Prices by ID with their `tiers` (`GET /v1/prices/ID?expand[]=tiers`), for tiered prices.
    pub prices: HashMap<String, Price>,
}

/// Why metrics could not be computed; each message names what to fix.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MetricsError {
    /// An `--fx` argument is not usable.
    #[error("bad --fx {arg:?}: {reason}")]
    BadFx {
        /// The offending argument (at most 64 characters of it).
        arg: String,
        /// Why.
        reason: String,
    },
    /// A counted subscription is in a currency without a rate.
    #[error(
        "subscriptions are billed in {0} but no exchange rate was given for it: \
         add --fx {0}=RATE (1 {0} = RATE USD)"
    )]
    UnknownCurrency(String),
    /// An object given as an ID is not among those fetched.
    #[error("the Stripe {kind} {id} is referenced but was not fetched")]
    Missing {
        /// `discount` or `coupon`.
        kind: &'static str,
        /// Its ID.
        id: String,
    },
    /// A tiered price's tiers were not fetched.
    #[error(
        "the tiered Stripe price {0} has no tiers: fetch it with GET /v1/prices/{0}?expand[]=tiers"
    )]
    MissingTiers(String),
    /// A price cannot be priced.
    #[error("cannot use the Stripe price {price}: {reason}")]
    BadPrice {
        /// Its ID.
        price: String,
        /// Why.
        reason: String,
    },
    /// A coupon cannot be applied.
    #[error("cannot use the Stripe coupon {coupon}: {reason}")]
    BadCoupon {
        /// Its ID.
        coupon: String,
        /// Why.
        reason: String,
    },
    /// A discount cannot be applied.
    #[error("cannot use the Stripe discount {discount}: {reason}")]
    BadDiscount {
        /// Its ID.
        discount: String,
        /// Why.
        reason: String,
    },
    /// The instant is beyond the calendar's range.
    #[error("the instant {0} is out of range")]
    BadInstant(String),
}

/// An instant of the series, and which counting rule applies there (rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The current instant: statuses decide.
    Now(DateTime<Utc>),
    /// An earlier instant: dates decide.
    Past(DateTime<Utc>),
}

impl When {
    /// The instant itself.
    pub fn instant(&self) -> DateTime<Utc> {
        match self {
            When::Now(t) | When::Past(t) => *t,
        }
    }
}

/// Every customer's MRR at every point of the series, exact.
#[derive(Debug, Clone, PartialEq)]
pub struct MrrHistory {
    /// The instant the history was computed for (whole seconds).
    pub as_of: DateTime<Utc>,
    /// The points, oldest first; the last one is `as_of`.
    pub points: Vec<MrrPoint>,
}

/// One point of the series.
#[derive(Debug, Clone, PartialEq)]
pub struct MrrPoint {
    /// `YYYY-MM`: the month the point closes (or, for the last, the current month).
    pub month: String,
    /// The instant and its counting rule.
    pub at: When,
    /// MRR in USD by customer ID, for customers whose MRR is above 0.
    pub customers: BTreeMap<String, Amount>,
}

impl MrrPoint {
    /// Total MRR at this point.
    pub fn mrr(&self) -> Amount {
        self.customers.values().sum()
    }

    /// One customer's MRR here (0 when absent).
    pub fn customer(&self, id: &str) -> Amount {
        self.customers.get(id).cloned().unwrap_or_default()
    }
}

/// Rule 1: whether the subscription counts at this instant.
pub fn counts(sub: &Subscription, when: When) -> bool {
    match when {
        When::Now(_) => matches!(
            sub.status,
            SubscriptionStatus::Active | SubscriptionStatus::PastDue
        ),
        When::Past(t) => {
            let t = t.timestamp();
            sub.start_date <= t
                && sub.trial_end.is_none_or(|end| end <= t)
                && sub.ended_at.is_none_or(|end| end > t)
                && !matches!(
                    sub.status,
                    SubscriptionStatus::Incomplete | SubscriptionStatus::IncompleteExpired
                )
        }
    }
}

/// Whether an item's price is licensed and recurring (rule 2: metered and one-time prices are out).
fn is_counted_price(price: &Price) -> Result<bool, MetricsError> {
    if price.kind != PriceType::Recurring {
        return Ok(false);
    }
    let recurring = price
        .recurring
        .as_ref()
        .ok_or_else(|| MetricsError::BadPrice {
            price: price.id.clone(),
            reason: "it is recurring but has no `recurring` details".into(),
        })?;
    Ok(recurring.usage_type == UsageType::Licensed)
}

/// A subscription's MRR in USD at an instant, exact (rules 1 to 4): 0 when it does not count.
pub fn subscription_mrr(
    account: &Account,
    sub: &Subscription,
    when: When,
    fx: &Fx,
) -> Result<Amount, MetricsError> {
    if !counts(sub, when) {
        return Ok(Amount::zero());
    }
    let rate = fx.rate(&sub.currency)?;
    let t = when.instant().timestamp();
    let mut monthly = BigRational::default();
    let mut first_factor = None;
    for item in &sub.items.data {
        if !is_counted_price(&item.price)? {
            continue;
        }
        let factor = monthly_factor(&item.price)?;
        let amount = period_amount(item, &account.prices)? * &factor;
        monthly += reduction_at(account, &item.discounts, t, &sub.currency)?.apply(amount, &factor);
        first_factor.get_or_insert(factor);
    }
    let Some(factor) = first_factor else {
        return Ok(Amount::zero());
    };
    let minor = reduction_at(account, &sub.discounts, t, &sub.currency)?.apply(monthly, &factor);
    Ok(Amount::from_ratio(to_major(&minor, &sub.currency) * rate))
}

/// Rule 5's instants: the last second (UTC) of each of the 12 full months before `now`'s month, then
/// `now`, each with its `YYYY-MM`.
pub fn series_points(now: DateTime<Utc>) -> Result<Vec<(String, When)>, MetricsError> {
    let out_of_range = || MetricsError::BadInstant(now.to_rfc3339());
    let this_month =
        NaiveDate::from_ymd_opt(now.year(), now.month(), 1).ok_or_else(out_of_range)?;
    let mut points = Vec::with_capacity(13);
    for back in (1..=12u32).rev() {
        let month = this_month
            .checked_sub_months(Months::new(back))
            .ok_or_else(out_of_range)?;
        let next = this_month
            .checked_sub_months(Months::new(back - 1))
            .ok_or_else(out_of_range)?;
        let last_second = next
            .and_hms_opt(0, 0, 0)
            .ok_or_else(out_of_range)?
            .and_utc()
            - chrono::Duration::seconds(1);
        points.push((month.format("%Y-%m").to_string(), When::Past(last_second)));
    }
    points.push((this_month.format("%Y-%m").to_string(), When::Now(now)));
    Ok(points)
}

/// Each customer's MRR at each point of the series (rule 5), exact.
pub fn history(account: &Account, now: DateTime<Utc>, fx: &Fx) -> Result<MrrHistory, MetricsError> {
    let now = now.with_nanosecond(0).unwrap_or(now);
    let mut points = Vec::with_capacity(13);
    for (month, when) in series_points(now)? {
        let mut customers: BTreeMap<String, Amount> = BTreeMap::new();
        for sub in &account.subscriptions {
            let mrr = subscription_mrr(account, sub, when, fx)?;
            if mrr.is_positive() {
                *customers.entry(sub.customer_id().to_string()).or_default() += &mrr;
            }
        }
        points.push(MrrPoint {
            month,
            at: when,
            customers,
        });
    }
    Ok(MrrHistory { as_of: now, points })
}

#[cfg(test)]
#[path = "mrr_tests.rs"]
mod tests;
