//! Stripe API objects as the API returns them (API version 2025-09-30.clover and later, with the
//! older shapes still read where they differ): only the fields the metrics need, everything else
//! ignored.
//!
//! Tolerance, as Stripe's own libraries have it: nullable fields are `Option`s (or empty lists when
//! Stripe sends `null` for a list), `*_decimal` amounts are decimal strings (a JSON number is read too),
//! `quantity` may be absent (metered items have none), enum values this code does not know are kept
//! as text instead of failing the whole pull, and expandable fields are [`Expandable`]: an ID unless the
//! request expanded them.

use serde::{Deserialize, Deserializer, Serialize};

/// A field that is an object's ID unless the request expanded it (`expand[]=...`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expandable<T> {
    /// Not expanded: the object's ID.
    Id(String),
    /// Expanded: the object itself.
    Object(Box<T>),
}

/// Objects that have a Stripe ID.
pub trait HasId {
    /// The object's ID (`sub_...`, `di_...`, a coupon's own code, ...).
    fn id(&self) -> &str;
}

impl<T: HasId> Expandable<T> {
    /// The ID, whether or not the field was expanded.
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(object) => object.id(),
        }
    }
}

/// A list response: `{object: "list", data, has_more, url}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct List<T> {
    /// This page of objects.
    #[serde(default = "Vec::new", deserialize_with = "null_as_default")]
    pub data: Vec<T>,
    /// Whether more objects follow (page on with `starting_after=<last id>`).
    #[serde(default)]
    pub has_more: bool,
    /// The list's URL path (`/v1/subscriptions`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
}

impl<T> Default for List<T> {
    fn default() -> List<T> {
        List {
            data: Vec::new(),
            has_more: false,
            url: String::new(),
        }
    }
}

/// A subscription's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Paid up (or collection automatic and not yet failed).
    Active,
    /// The latest invoice failed and Stripe is retrying it.
    PastDue,
    /// In a free trial.
    Trialing,
    /// Canceled; `ended_at` says when it ended.
    Canceled,
    /// The first payment did not go through (yet).
    Incomplete,
    /// The first payment never went through: the subscription never started.
    IncompleteExpired,
    /// Retries are exhausted and invoices stay open.
    Unpaid,
    /// Paused (typically a trial ended without a payment method).
    Paused,
    /// A status this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// A customer, when `customer` was expanded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// `cus_...`.
    pub id: String,
}

impl HasId for Customer {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A subscription as `GET /v1/subscriptions?status=all` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    /// `sub_...`.
    pub id: String,
    /// The customer (an ID unless expanded).
    pub customer: Expandable<Customer>,
    /// The status.
    pub status: SubscriptionStatus,
    /// Three-letter ISO code, lowercase (`usd`).
    pub currency: String,
    /// Unix seconds: when it was created.
    #[serde(default)]
    pub created: Option<i64>,
    /// Unix seconds: when it started (may be before `created` when backdated).
    pub start_date: i64,
    /// Unix seconds: when the trial started, if it had one.
    #[serde(default)]
    pub trial_start: Option<i64>,
    /// Unix seconds: when the trial ends or ended, if it had one.
    #[serde(default)]
    pub trial_end: Option<i64>,
    /// Unix seconds: when it ended, if it did.
    #[serde(default)]
    pub ended_at: Option<i64>,
    /// Unix seconds: when it was canceled (it may end later, at `cancel_at`).
    #[serde(default)]
    pub canceled_at: Option<i64>,
    /// Unix seconds: a scheduled cancellation.
    #[serde(default)]
    pub cancel_at: Option<i64>,
    /// Whether it cancels at the end of the current period.
    #[serde(default)]
    pub cancel_at_period_end: bool,
    /// Paused collection, if any (`{behavior, resumes_at}`).
    #[serde(default)]
    pub pause_collection: Option<PauseCollection>,
    /// The subscription's discounts, IDs unless `expand[]=data.discounts`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub discounts: Vec<Expandable<Discount>>,
    /// The subscription items.
    #[serde(default)]
    pub items: List<SubscriptionItem>,
}

impl HasId for Subscription {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Subscription {
    /// The customer's ID.
    pub fn customer_id(&self) -> &str {
        self.customer.id()
    }
}

/// A subscription's paused collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PauseCollection {
    /// `keep_as_draft`, `mark_uncollectible` or `void`.
    #[serde(default)]
    pub behavior: Option<String>,
    /// Unix seconds: when collection resumes.
    #[serde(default)]
    pub resumes_at: Option<i64>,
}

/// One item (a price and a quantity) of a subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionItem {
    /// `si_...`.
    pub id: String,
    /// The price (list responses carry it without `tiers`).
    pub price: Price,
    /// The quantity; absent for metered prices.
    #[serde(default)]
    pub quantity: Option<u64>,
    /// Discounts of this item only, IDs unless expanded.
    #[serde(default, deserialize_with = "null_as_default")]
    pub discounts: Vec<Expandable<Discount>>,
    /// Unix seconds: start of the current period (on items since 2025-03-31.basil).
    #[serde(default)]
    pub current_period_start: Option<i64>,
    /// Unix seconds: end of the current period.
    #[serde(default)]
    pub current_period_end: Option<i64>,
}

/// `recurring` or `one_time`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceType {
    /// Billed every period.
    Recurring,
    /// Billed once.
    OneTime,
    /// A type this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// `per_unit` or `tiered`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingScheme {
    /// A unit amount times the quantity.
    PerUnit,
    /// Tiers (`tiers_mode` says which kind).
    Tiered,
    /// A scheme this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// `volume` or `graduated`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TiersMode {
    /// The whole quantity at the tier that contains it.
    Volume,
    /// Each tier prices the units that fall into it.
    Graduated,
    /// A mode this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// A billing interval unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
    /// A unit this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// `licensed` (a quantity set in advance) or `metered` (usage reported during the period).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsageType {
    /// A quantity set in advance.
    #[default]
    Licensed,
    /// Usage reported during the period.
    Metered,
    /// A usage type this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// A price's recurrence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recurring {
    /// The interval unit.
    pub interval: Interval,
    /// How many units make one billing period.
    #[serde(default = "one")]
    pub interval_count: u32,
    /// Licensed or metered.
    #[serde(default, deserialize_with = "null_as_default")]
    pub usage_type: UsageType,
    /// The billing meter of a metered price.
    #[serde(default)]
    pub meter: Option<String>,
}

fn one() -> u32 {
    1
}

/// Per-unit quantity transform (`divide_by` units, rounded `up` or `down`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransformQuantity {
    /// Divide the quantity by this.
    pub divide_by: u64,
    /// `up` or `down`.
    pub round: String,
}

/// A price (`price_...`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// `price_...`.
    pub id: String,
    /// Three-letter ISO code, lowercase.
    #[serde(default)]
    pub currency: Option<String>,
    /// `recurring` or `one_time`.
    #[serde(rename = "type")]
    pub kind: PriceType,
    /// `per_unit` or `tiered`.
    #[serde(default = "per_unit")]
    pub billing_scheme: BillingScheme,
    /// The recurrence of a recurring price.
    #[serde(default)]
    pub recurring: Option<Recurring>,
    /// Per-unit amount in minor units.
    #[serde(default)]
    pub unit_amount: Option<i64>,
    /// Per-unit amount in minor units as a decimal string (up to 12 decimal places).
    #[serde(default, deserialize_with = "decimal_string")]
    pub unit_amount_decimal: Option<String>,
    /// `volume` or `graduated` for tiered prices.
    #[serde(default)]
    pub tiers_mode: Option<TiersMode>,
    /// The tiers: only in `GET /v1/prices/ID?expand[]=tiers`.
    #[serde(default)]
    pub tiers: Option<Vec<PriceTier>>,
    /// Per-unit quantity transform.
    #[serde(default)]
    pub transform_quantity: Option<TransformQuantity>,
}

fn per_unit() -> BillingScheme {
    BillingScheme::PerUnit
}

impl HasId for Price {
    fn id(&self) -> &str {
        &self.id
    }
}

/// One tier of a tiered price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriceTier {
    /// Flat amount for the tier, in minor units.
    #[serde(default)]
    pub flat_amount: Option<i64>,
    /// Flat amount as a decimal string.
    #[serde(default, deserialize_with = "decimal_string")]
    pub flat_amount_decimal: Option<String>,
    /// Per-unit amount in the tier, in minor units.
    #[serde(default)]
    pub unit_amount: Option<i64>,
    /// Per-unit amount as a decimal string.
    #[serde(default, deserialize_with = "decimal_string")]
    pub unit_amount_decimal: Option<String>,
    /// The tier's last quantity, inclusive; `null` (or `"inf"`) for the last tier.
    #[serde(default, deserialize_with = "up_to")]
    pub up_to: Option<u64>,
}

/// A discount (`di_...`): a coupon applied to a subscription (or an item) from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discount {
    /// `di_...`.
    pub id: String,
    /// Unix seconds: when it started applying.
    pub start: i64,
    /// Unix seconds: when it stops applying (`repeating` coupons); `null` otherwise.
    #[serde(default)]
    pub end: Option<i64>,
    /// Where the discount comes from (since 2025-09-30.clover).
    #[serde(default)]
    pub source: Option<DiscountSource>,
    /// The coupon itself, in API versions before 2025-09-30.clover.
    #[serde(default)]
    pub coupon: Option<Expandable<Coupon>>,
    /// The customer (an ID unless expanded).
    #[serde(default)]
    pub customer: Option<Expandable<Customer>>,
    /// The subscription's ID.
    #[serde(default)]
    pub subscription: Option<String>,
    /// The subscription item's ID, for an item discount.
    #[serde(default)]
    pub subscription_item: Option<String>,
}

impl HasId for Discount {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Discount {
    /// The coupon, from `source.coupon` or (older API versions) `coupon`.
    pub fn coupon_ref(&self) -> Option<&Expandable<Coupon>> {
        self.source
            .as_ref()
            .and_then(|s| s.coupon.as_ref())
            .or(self.coupon.as_ref())
    }
}

/// `Discount.source`: `{type: "coupon", coupon}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscountSource {
    /// `coupon`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The coupon, an ID unless `expand[]=data.discounts.source.coupon`.
    #[serde(default)]
    pub coupon: Option<Expandable<Coupon>>,
}

/// How long a coupon applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouponDuration {
    /// Every invoice, for ever.
    Forever,
    /// The first invoice only.
    Once,
    /// `duration_in_months` months (until the discount's `end`).
    Repeating,
    /// A duration this code does not know.
    #[serde(untagged)]
    Other(String),
}

/// A coupon (its ID is the code chosen at creation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coupon {
    /// The coupon's ID.
    pub id: String,
    /// Amount off per invoice, in minor units of `currency`.
    #[serde(default)]
    pub amount_off: Option<i64>,
    /// The currency of `amount_off`.
    #[serde(default)]
    pub currency: Option<String>,
    /// `amount_off` in other currencies, by lowercase code.
    #[serde(default)]
    pub currency_options: Option<std::collections::BTreeMap<String, CouponCurrencyOption>>,
    /// Percent off (0 to 100, up to two decimals).
    #[serde(default)]
    pub percent_off: Option<f64>,
    /// How long it applies.
    pub duration: CouponDuration,
    /// Months, for `repeating`.
    #[serde(default)]
    pub duration_in_months: Option<u32>,
}

impl HasId for Coupon {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A coupon's amount off in one more currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouponCurrencyOption {
    /// Amount off in minor units of that currency.
    pub amount_off: i64,
}

/// Reads `null` as the type's default (Stripe sends `null` for some empty lists and strings).
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A decimal amount sent as a string (as Stripe does) or as a JSON number: kept as its text, parsed
/// exactly where it is used.
fn decimal_string<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        N(serde_json::Number),
    }
    Ok(match Option::<Text>::deserialize(deserializer)? {
        None => None,
        Some(Text::S(s)) => Some(s),
        Some(Text::N(n)) => Some(n.to_string()),
    })
}

/// A tier's `up_to`: a quantity, or `null`/`"inf"` for the last tier.
fn up_to<'de, D>(deserializer: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum UpTo {
        N(u64),
        S(String),
    }
    match Option::<UpTo>::deserialize(deserializer)? {
        None => Ok(None),
        Some(UpTo::N(n)) => Ok(Some(n)),
        Some(UpTo::S(s)) if s == "inf" => Ok(None),
        Some(UpTo::S(s)) => s
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("up_to {s:?} is not a quantity"))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const SUBSCRIPTIONS: &str =
        include_str!("../../../../../shared/data/stripe/subscriptions.json");
    const DISCOUNTS: &str = include_str!("../../../../../shared/data/stripe/discounts.json");
    const COUPONS: &str = include_str!("../../../../../shared/data/stripe/coupons.json");
    const PRICES: &str = include_str!("../../../../../shared/data/stripe/prices.json");

    #[test]
    fn reads_the_shared_dataset() {
        let subs: Vec<Subscription> = serde_json::from_str(SUBSCRIPTIONS).unwrap();
        assert_eq!(subs.len(), 63);
        assert!(
            subs.iter()
                .all(|s| s.discounts.iter().all(|d| matches!(d, Expandable::Id(_))))
        );
        let discounts: HashMap<String, Discount> = serde_json::from_str(DISCOUNTS).unwrap();
        assert!(matches!(
            discounts["di_0100001_0"].coupon_ref(),
            Some(Expandable::Id(id)) if id == "TENOFF"
        ));
        let coupons: HashMap<String, Coupon> = serde_json::from_str(COUPONS).unwrap();
        assert_eq!(coupons["LAUNCH50_3M"].duration, CouponDuration::Repeating);
        let prices: HashMap<String, Price> = serde_json::from_str(PRICES).unwrap();
        let grad = &prices["price_grad_m"];
        assert_eq!(grad.tiers_mode, Some(TiersMode::Graduated));
        assert_eq!(grad.tiers.as_ref().unwrap()[2].up_to, None);
        assert_eq!(
            prices["price_api_metered"]
                .recurring
                .as_ref()
                .unwrap()
                .usage_type,
            UsageType::Metered
        );
    }

    #[test]
    fn expanded_fields_and_tolerance() {
        let sub: Subscription = serde_json::from_value(serde_json::json!({
            "id": "sub_1", "object": "subscription", "customer": {"id": "cus_1", "object": "customer"},
            "status": "some_future_status", "currency": "eur", "start_date": 10,
            "discounts": [{"id": "di_1", "start": 5, "end": null,
                           "source": {"type": "coupon", "coupon": {"id": "C", "duration": "forever",
                                                                   "percent_off": 12.5}}}],
            "items": {"object": "list", "data": [{"id": "si_1", "price": {
                "id": "price_1", "type": "recurring", "billing_scheme": "per_unit",
                "recurring": {"interval": "month", "interval_count": 1, "usage_type": "metered"},
                "unit_amount": null, "unit_amount_decimal": 0.25}}],
                "has_more": false, "url": "/v1/subscription_items?subscription=sub_1"},
            "trial_end": null, "ended_at": null, "unknown_field": [1, 2]
        }))
        .unwrap();
        assert_eq!(sub.customer_id(), "cus_1");
        assert_eq!(
            sub.status,
            SubscriptionStatus::Other("some_future_status".into())
        );
        let Expandable::Object(d) = &sub.discounts[0] else {
            panic!("expanded discount")
        };
        assert_eq!(d.coupon_ref().unwrap().id(), "C");
        let item = &sub.items.data[0];
        assert_eq!(item.quantity, None);
        assert_eq!(item.price.unit_amount_decimal.as_deref(), Some("0.25"));

        let tier: PriceTier =
            serde_json::from_str(r#"{"up_to": "inf", "unit_amount": 5}"#).unwrap();
        assert_eq!(tier.up_to, None);
        let list: List<Coupon> = serde_json::from_str(
            r#"{"object":"list","data":null,"has_more":false,"url":"/v1/coupons"}"#,
        )
        .unwrap();
        assert!(list.data.is_empty());
        // Legacy (pre-clover) discount with the coupon inline.
        let legacy: Discount = serde_json::from_str(
            r#"{"id":"di_2","start":1,"coupon":{"id":"X","duration":"once","amount_off":100,"currency":"usd"}}"#,
        )
        .unwrap();
        assert_eq!(legacy.coupon_ref().unwrap().id(), "X");
    }
}
