//! Builders of Stripe objects for the unit tests.

use super::model::{
    BillingScheme, Coupon, CouponDuration, Customer, Discount, DiscountSource, Expandable,
    Interval, List, Price, PriceTier, PriceType, Recurring, Subscription, SubscriptionItem,
    SubscriptionStatus, TiersMode, UsageType,
};

/// 2026-01-15T12:00:00Z.
pub const T0: i64 = 1_768_478_400;
/// One day in seconds.
pub const DAY: i64 = 86_400;

fn interval(name: &str) -> Interval {
    serde_json::from_value(serde_json::Value::String(name.into())).unwrap()
}

/// A licensed recurring per-unit price.
pub fn price(id: &str, currency: &str, unit_amount: i64, every: &str, count: u32) -> Price {
    Price {
        id: id.into(),
        currency: Some(currency.into()),
        kind: PriceType::Recurring,
        billing_scheme: BillingScheme::PerUnit,
        recurring: Some(Recurring {
            interval: interval(every),
            interval_count: count,
            usage_type: UsageType::Licensed,
            meter: None,
        }),
        unit_amount: Some(unit_amount),
        unit_amount_decimal: Some(unit_amount.to_string()),
        tiers_mode: None,
        tiers: None,
        transform_quantity: None,
    }
}

/// A monthly tiered price as list responses carry it (no tiers).
pub fn tiered_price(id: &str, mode: TiersMode) -> Price {
    Price {
        billing_scheme: BillingScheme::Tiered,
        tiers_mode: Some(mode),
        unit_amount: None,
        unit_amount_decimal: None,
        ..price(id, "usd", 0, "month", 1)
    }
}

/// A tier with decimal amounts.
pub fn tier(up_to: Option<u64>, unit: &str, flat: Option<&str>) -> PriceTier {
    PriceTier {
        flat_amount: None,
        flat_amount_decimal: flat.map(Into::into),
        unit_amount: None,
        unit_amount_decimal: Some(unit.into()),
        up_to,
    }
}

fn duration(name: &str) -> CouponDuration {
    serde_json::from_value(serde_json::Value::String(name.into())).unwrap()
}

/// A percent-off coupon.
pub fn percent_coupon(id: &str, percent: f64, how_long: &str, months: Option<u32>) -> Coupon {
    Coupon {
        id: id.into(),
        amount_off: None,
        currency: None,
        currency_options: None,
        percent_off: Some(percent),
        duration: duration(how_long),
        duration_in_months: months,
    }
}

/// An amount-off coupon.
pub fn amount_coupon(id: &str, amount_off: i64, currency: &str, how_long: &str) -> Coupon {
    Coupon {
        id: id.into(),
        amount_off: Some(amount_off),
        currency: Some(currency.into()),
        currency_options: None,
        percent_off: None,
        duration: duration(how_long),
        duration_in_months: None,
    }
}

/// A discount of `coupon` (by ID) from `start` to `end`.
pub fn discount(id: &str, coupon: &str, start: i64, end: Option<i64>) -> Discount {
    Discount {
        id: id.into(),
        start,
        end,
        source: Some(DiscountSource {
            kind: Some("coupon".into()),
            coupon: Some(Expandable::Id(coupon.into())),
        }),
        coupon: None,
        customer: None,
        subscription: None,
        subscription_item: None,
    }
}

/// An item of `quantity` of `price`.
pub fn item(price: Price, quantity: Option<u64>) -> SubscriptionItem {
    SubscriptionItem {
        id: format!("si_{}", price.id),
        price,
        quantity,
        discounts: Vec::new(),
        current_period_start: None,
        current_period_end: None,
    }
}

/// An active subscription started at `start`, no trial, no discounts.
pub fn subscription(
    id: &str,
    customer: &str,
    currency: &str,
    start: i64,
    items: Vec<SubscriptionItem>,
) -> Subscription {
    Subscription {
        id: id.into(),
        customer: Expandable::Id(customer.into()),
        status: SubscriptionStatus::Active,
        currency: currency.into(),
        created: Some(start),
        start_date: start,
        trial_start: None,
        trial_end: None,
        ended_at: None,
        canceled_at: None,
        cancel_at: None,
        cancel_at_period_end: false,
        pause_collection: None,
        discounts: Vec::new(),
        items: List {
            data: items,
            has_more: false,
            url: format!("/v1/subscription_items?subscription={id}"),
        },
    }
}

/// An expanded customer reference (unused fields of `Customer` stay default).
pub fn expanded_customer(id: &str) -> Expandable<Customer> {
    Expandable::Object(Box::new(Customer { id: id.into() }))
}
