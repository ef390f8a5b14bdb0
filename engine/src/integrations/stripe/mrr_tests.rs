//! One test per MRR rule, each checked by hand, plus properties.

use chrono::TimeZone;
use num::{BigInt, BigRational};
use proptest::prelude::*;

use super::super::fixtures::{
    DAY, T0, amount_coupon, discount, expanded_customer, item, percent_coupon, price, subscription,
    tier, tiered_price,
};
use super::super::model::{
    CouponCurrencyOption, Expandable, PriceType, TiersMode, TransformQuantity, UsageType,
};
use super::*;

fn utc(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap()
}

fn past(t: i64) -> When {
    When::Past(utc(t))
}

fn ts(date: &str) -> i64 {
    DateTime::parse_from_rfc3339(&format!("{date}T12:00:00Z"))
        .unwrap()
        .timestamp()
}

fn dollars(n: i64, d: i64) -> Amount {
    Amount::from_ratio(BigRational::new(BigInt::from(n), BigInt::from(d)))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
}

fn fx_eur() -> Fx {
    Fx::parse(&["EUR=1.08".to_string(), "JPY=0.0067".to_string()]).unwrap()
}

/// A $100/month subscription started at T0.
fn hundred(id: &str, customer: &str) -> Subscription {
    subscription(
        id,
        customer,
        "usd",
        T0,
        vec![item(price("price_100", "usd", 10000, "month", 1), Some(1))],
    )
}

fn with_coupons(coupons: Vec<Coupon>, discounts: Vec<Discount>) -> Account {
    Account {
        coupons: coupons.into_iter().map(|c| (c.id.clone(), c)).collect(),
        discounts: discounts.into_iter().map(|d| (d.id.clone(), d)).collect(),
        ..Account::default()
    }
}

fn mrr(account: &Account, sub: &Subscription, when: When) -> Amount {
    subscription_mrr(account, sub, when, &fx_eur()).unwrap()
}

#[test]
fn rule1_status_now() {
    let account = Account::default();
    for (status, counted) in [
        (SubscriptionStatus::Active, true),
        (SubscriptionStatus::PastDue, true),
        (SubscriptionStatus::Trialing, false),
        (SubscriptionStatus::Canceled, false),
        (SubscriptionStatus::Incomplete, false),
        (SubscriptionStatus::IncompleteExpired, false),
        (SubscriptionStatus::Unpaid, false),
        (SubscriptionStatus::Paused, false),
        (SubscriptionStatus::Other("future".into()), false),
    ] {
        let mut sub = hundred("s", "c");
        sub.status = status.clone();
        let expected = if counted {
            dollars(100, 1)
        } else {
            Amount::zero()
        };
        assert_eq!(
            mrr(&account, &sub, When::Now(utc(T0 + DAY))),
            expected,
            "{status:?}"
        );
    }
}

#[test]
fn rule1_status_in_the_past() {
    // Earlier points go by dates: every status counts but the two that never started.
    let account = Account::default();
    for (status, counted) in [
        (SubscriptionStatus::Active, true),
        (SubscriptionStatus::PastDue, true),
        (SubscriptionStatus::Trialing, true),
        (SubscriptionStatus::Canceled, true),
        (SubscriptionStatus::Unpaid, true),
        (SubscriptionStatus::Paused, true),
        (SubscriptionStatus::Incomplete, false),
        (SubscriptionStatus::IncompleteExpired, false),
    ] {
        let mut sub = hundred("s", "c");
        sub.status = status.clone();
        let expected = if counted {
            dollars(100, 1)
        } else {
            Amount::zero()
        };
        assert_eq!(mrr(&account, &sub, past(T0 + DAY)), expected, "{status:?}");
    }
}

#[test]
fn rule1_date_boundaries() {
    let account = Account::default();
    let mut sub = hundred("s", "c");
    assert!(!counts(&sub, past(T0 - 1)));
    assert!(counts(&sub, past(T0))); // start_date <= t
    sub.status = SubscriptionStatus::Canceled;
    sub.ended_at = Some(T0 + 10 * DAY);
    assert!(counts(&sub, past(T0 + 10 * DAY - 1)));
    assert!(!counts(&sub, past(T0 + 10 * DAY))); // ended_at > t
    // The trial boundary: a trial ending exactly at t counts.
    let mut trial = hundred("t", "c");
    trial.trial_start = Some(T0);
    trial.trial_end = Some(T0 + 14 * DAY);
    assert_eq!(
        mrr(&account, &trial, past(T0 + 14 * DAY - 1)),
        Amount::zero()
    );
    assert_eq!(mrr(&account, &trial, past(T0 + 14 * DAY)), dollars(100, 1));
    // Now, statuses decide: still trialing means not counted, whatever the dates.
    trial.status = SubscriptionStatus::Trialing;
    assert_eq!(
        mrr(&account, &trial, When::Now(utc(T0 + 20 * DAY))),
        Amount::zero()
    );
}

#[test]
fn rule1_past_due_counts_with_its_discounts() {
    let account = with_coupons(
        vec![percent_coupon("F20", 20.0, "forever", None)],
        vec![discount("d", "F20", T0, None)],
    );
    let mut sub = hundred("s", "c");
    sub.status = SubscriptionStatus::PastDue;
    sub.discounts = vec![Expandable::Id("d".into())];
    assert_eq!(
        mrr(&account, &sub, When::Now(utc(T0 + DAY))),
        dollars(80, 1)
    );
}

#[test]
fn rule3_intervals() {
    let account = Account::default();
    let monthly = |every: &str, count: u32| {
        let sub = subscription(
            "s",
            "c",
            "usd",
            T0,
            vec![item(price("p", "usd", 1200, every, count), Some(1))],
        );
        mrr(&account, &sub, past(T0))
    };
    // $12 per period.
    assert_eq!(monthly("month", 1), dollars(12, 1));
    assert_eq!(monthly("month", 3), dollars(4, 1));
    assert_eq!(monthly("year", 1), dollars(1, 1));
    assert_eq!(monthly("year", 2), dollars(1, 2));
    assert_eq!(monthly("week", 1), dollars(52, 1)); // 12 x 52 / 12
    assert_eq!(monthly("week", 2), dollars(26, 1));
    assert_eq!(monthly("day", 1), dollars(365, 1)); // 12 x 365 / 12
    assert_eq!(monthly("day", 30), dollars(73, 6)); // 12 x 365 / 360, exactly
    assert_eq!(monthly("day", 30).to_f64(), 12.17);
}

#[test]
fn rule2_quantity() {
    let account = Account::default();
    let seat = price("seat", "usd", 1500, "month", 1);
    let sub = |q| subscription("s", "c", "usd", T0, vec![item(seat.clone(), q)]);
    assert_eq!(mrr(&account, &sub(Some(12)), past(T0)), dollars(180, 1));
    assert_eq!(mrr(&account, &sub(None), past(T0)), dollars(15, 1)); // absent: 1
    assert_eq!(mrr(&account, &sub(Some(0)), past(T0)), Amount::zero());
    // transform_quantity: billed per 10 seats, rounded up or down.
    let mut packs = seat.clone();
    packs.transform_quantity = Some(TransformQuantity {
        divide_by: 10,
        round: "up".into(),
    });
    let sub = |p: &Price| subscription("s", "c", "usd", T0, vec![item(p.clone(), Some(21))]);
    assert_eq!(mrr(&account, &sub(&packs), past(T0)), dollars(45, 1));
    packs.transform_quantity.as_mut().unwrap().round = "down".into();
    assert_eq!(mrr(&account, &sub(&packs), past(T0)), dollars(30, 1));
}

#[test]
fn rule2_unit_amount_decimal_fractions_of_a_cent() {
    let account = Account::default();
    let mut p = price("api", "usd", 0, "month", 1);
    p.unit_amount = None;
    p.unit_amount_decimal = Some("0.5".into()); // half a cent per unit
    let sub = subscription("s", "c", "usd", T0, vec![item(p, Some(1001))]);
    let value = mrr(&account, &sub, past(T0));
    assert_eq!(value, dollars(1001, 200)); // $5.005, exactly
    assert_eq!(value.to_f64(), 5.01); // rounded half away from zero, at the end only
}

#[test]
fn rule2_tiers_from_the_fetched_prices() {
    let mut vol = tiered_price("price_vol", TiersMode::Volume);
    let mut grad = tiered_price("price_grad", TiersMode::Graduated);
    let mut account = Account::default();
    for (p, tiers) in [
        (
            &mut vol,
            vec![tier(Some(10), "1000", None), tier(None, "800", None)],
        ),
        (
            &mut grad,
            vec![
                tier(Some(5), "2000", Some("5000")),
                tier(Some(20), "1500", None),
                tier(None, "1000", None),
            ],
        ),
    ] {
        let mut full = p.clone();
        full.tiers = Some(tiers);
        account.prices.insert(p.id.clone(), full);
    }
    let sub = |p: &Price, q| subscription("s", "c", "usd", T0, vec![item(p.clone(), Some(q))]);
    // Volume: 12 units all at the second tier's $8.
    assert_eq!(mrr(&account, &sub(&vol, 12), past(T0)), dollars(96, 1));
    assert_eq!(mrr(&account, &sub(&vol, 10), past(T0)), dollars(100, 1));
    // Graduated: $50 flat + 5 x $20 + 15 x $15 + 5 x $10.
    assert_eq!(mrr(&account, &sub(&grad, 25), past(T0)), dollars(425, 1));
    assert_eq!(mrr(&account, &sub(&grad, 3), past(T0)), dollars(110, 1));
    // Tiers that were not fetched: an error naming the price.
    let missing = tiered_price("price_unfetched", TiersMode::Volume);
    let err = subscription_mrr(&account, &sub(&missing, 1), past(T0), &fx_eur()).unwrap_err();
    assert_eq!(err, MetricsError::MissingTiers("price_unfetched".into()));
    assert!(err.to_string().contains("price_unfetched"));
}

#[test]
fn rule2_metered_and_one_time_are_excluded() {
    let account = Account::default();
    let mut metered = price("metered", "usd", 5, "month", 1);
    metered.recurring.as_mut().unwrap().usage_type = UsageType::Metered;
    let mut setup = price("setup", "usd", 50000, "month", 1);
    setup.kind = PriceType::OneTime;
    setup.recurring = None;
    let sub = subscription(
        "s",
        "c",
        "usd",
        T0,
        vec![
            item(setup, Some(1)),
            item(metered, None),
            item(price("base", "usd", 2900, "month", 1), Some(1)),
        ],
    );
    assert_eq!(mrr(&account, &sub, past(T0)), dollars(29, 1));
    // Only metered: counted, but worth nothing, so not a customer.
    let mut only = sub.clone();
    only.items.data.remove(2);
    only.items.data.remove(0);
    assert_eq!(mrr(&account, &only, past(T0)), Amount::zero());
}

#[test]
fn rule4_each_coupon_duration() {
    let end = T0 + 90 * DAY;
    let account = with_coupons(
        vec![
            percent_coupon("ONCE", 100.0, "once", None),
            percent_coupon("L50", 50.0, "repeating", Some(3)),
            percent_coupon("F20", 20.0, "forever", None),
        ],
        vec![
            discount("once", "ONCE", T0, None),
            discount("rep", "L50", T0, Some(end)),
            discount("fe", "F20", T0 + 10 * DAY, None),
        ],
    );
    let with = |d: &str| {
        let mut sub = hundred("s", "c");
        sub.discounts = vec![Expandable::Id(d.into())];
        sub
    };
    // once: never.
    assert_eq!(mrr(&account, &with("once"), past(T0)), dollars(100, 1));
    // repeating: from start until end.
    assert_eq!(mrr(&account, &with("rep"), past(T0)), dollars(50, 1));
    assert_eq!(mrr(&account, &with("rep"), past(end - 1)), dollars(50, 1));
    assert_eq!(mrr(&account, &with("rep"), past(end)), dollars(100, 1));
    // forever: from its start on.
    assert_eq!(
        mrr(&account, &with("fe"), past(T0 + 10 * DAY - 1)),
        dollars(100, 1)
    );
    assert_eq!(
        mrr(&account, &with("fe"), past(T0 + 1000 * DAY)),
        dollars(80, 1)
    );
}

#[test]
fn rule4_percent_then_amount_off() {
    let account = with_coupons(
        vec![
            percent_coupon("P20", 20.0, "forever", None),
            amount_coupon("A10", 1000, "usd", "forever"),
        ],
        vec![
            discount("a", "A10", T0, None),
            discount("p", "P20", T0, None),
        ],
    );
    let mut sub = hundred("s", "c");
    sub.discounts = vec![Expandable::Id("a".into()), Expandable::Id("p".into())];
    // 100 x 0.8 - 10 = 70, not (100 - 10) x 0.8 = 72.
    assert_eq!(mrr(&account, &sub, past(T0)), dollars(70, 1));
}

#[test]
fn rule4_amount_off_uses_the_first_counted_items_period() {
    let account = with_coupons(
        vec![amount_coupon("A120", 12000, "usd", "forever")],
        vec![discount("a", "A120", T0, None)],
    );
    let mut metered = price("metered", "usd", 5, "month", 1);
    metered.recurring.as_mut().unwrap().usage_type = UsageType::Metered;
    let mut sub = subscription(
        "s",
        "c",
        "usd",
        T0,
        vec![
            item(metered, None), // not counted: its period does not matter
            item(price("yearly", "usd", 120000, "year", 1), Some(1)),
        ],
    );
    sub.discounts = vec![Expandable::Id("a".into())];
    // $1,200 a year is $100 a month; $120 off a yearly invoice is $10 a month.
    assert_eq!(mrr(&account, &sub, past(T0)), dollars(90, 1));
}

#[test]
fn rule4_never_below_zero() {
    let account = with_coupons(
        vec![amount_coupon("A250", 25000, "usd", "forever")],
        vec![discount("a", "A250", T0, None)],
    );
    let mut sub = hundred("s", "c");
    sub.discounts = vec![Expandable::Id("a".into())];
    assert_eq!(mrr(&account, &sub, past(T0)), Amount::zero());
    let mut account = account;
    account.subscriptions = vec![sub, hundred("other", "c2")];
    let h = history(&account, now(), &fx_eur()).unwrap();
    let last = h.points.last().unwrap();
    assert_eq!(last.customers.len(), 1); // the free customer is not a customer
    assert_eq!(last.mrr(), dollars(100, 1));
}

#[test]
fn rule4_item_discounts_reduce_their_item() {
    let account = with_coupons(
        vec![
            percent_coupon("H", 50.0, "forever", None),
            amount_coupon("A5", 500, "usd", "forever"),
        ],
        vec![discount("h", "H", T0, None), discount("a", "A5", T0, None)],
    );
    let mut addon = item(price("addon", "usd", 4000, "month", 1), Some(1));
    addon.discounts = vec![Expandable::Id("h".into())];
    let mut sub = subscription(
        "s",
        "c",
        "usd",
        T0,
        vec![item(price("base", "usd", 6000, "month", 1), Some(1)), addon],
    );
    sub.discounts = vec![Expandable::Id("a".into())];
    // 60 + 40 x 0.5 = 80, then $5 off the subscription.
    assert_eq!(mrr(&account, &sub, past(T0)), dollars(75, 1));
}

#[test]
fn fx_converts_and_unknown_currency_is_named() {
    let account = Account::default();
    let eur = subscription(
        "e",
        "c",
        "eur",
        T0,
        vec![item(price("eu", "eur", 4900, "month", 1), Some(1))],
    );
    assert_eq!(mrr(&account, &eur, past(T0)), dollars(5292, 100)); // 49 x 1.08
    // Zero-decimal currencies: 1000 is ¥1,000.
    let jpy = subscription(
        "j",
        "c",
        "jpy",
        T0,
        vec![item(price("jp", "jpy", 1000, "month", 1), Some(1))],
    );
    assert_eq!(mrr(&account, &jpy, past(T0)), dollars(67, 10)); // 1000 x 0.0067
    // An amount-off coupon in EUR through currency_options, converted with the rest.
    let mut coupon = amount_coupon("M", 1000, "usd", "forever");
    coupon.currency_options =
        Some([("eur".to_string(), CouponCurrencyOption { amount_off: 900 })].into());
    let with_coupon = with_coupons(vec![coupon], vec![discount("m", "M", T0, None)]);
    let mut discounted = eur.clone();
    discounted.discounts = vec![Expandable::Id("m".into())];
    assert_eq!(mrr(&with_coupon, &discounted, past(T0)), dollars(4320, 100)); // 40 x 1.08

    let gbp = subscription(
        "g",
        "c",
        "gbp",
        T0,
        vec![item(price("gb", "gbp", 1000, "month", 1), Some(1))],
    );
    let err = subscription_mrr(&account, &gbp, past(T0), &fx_eur()).unwrap_err();
    assert_eq!(err, MetricsError::UnknownCurrency("GBP".into()));
    assert!(err.to_string().contains("--fx GBP=RATE"), "{err}");
    let all = Account {
        subscriptions: vec![eur.clone(), gbp.clone()],
        ..Account::default()
    };
    assert!(matches!(
        history(&all, now(), &fx_eur()),
        Err(MetricsError::UnknownCurrency(c)) if c == "GBP"
    ));
    // A subscription that counts at no point of the series needs no rate.
    let mut old = gbp;
    old.status = SubscriptionStatus::Canceled;
    old.start_date = ts("2020-01-01");
    old.ended_at = Some(ts("2021-01-01"));
    let fine = Account {
        subscriptions: vec![eur, old],
        ..Account::default()
    };
    assert!(history(&fine, now(), &fx_eur()).is_ok());
}

#[test]
fn rule5_series_points() {
    let points = series_points(now()).unwrap();
    assert_eq!(points.len(), 13);
    assert_eq!(points[0].0, "2025-11");
    assert_eq!(
        points[0].1,
        When::Past(Utc.with_ymd_and_hms(2025, 11, 30, 23, 59, 59).unwrap())
    );
    assert_eq!(
        points[2].1,
        When::Past(Utc.with_ymd_and_hms(2026, 1, 31, 23, 59, 59).unwrap())
    );
    assert_eq!(
        points[3].1,
        When::Past(Utc.with_ymd_and_hms(2026, 2, 28, 23, 59, 59).unwrap())
    );
    assert_eq!(points[11].0, "2026-10");
    assert_eq!(points[12], ("2026-11".to_string(), When::Now(now())));
    // At the very start of a month, the current month is that month.
    let jan = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let points = series_points(jan).unwrap();
    assert_eq!(points[0].0, "2025-01");
    assert_eq!(
        points[11].1,
        When::Past(Utc.with_ymd_and_hms(2025, 12, 31, 23, 59, 59).unwrap())
    );
    assert_eq!(points[12].0, "2026-01");
    // The fraction of a second of `now` is dropped.
    let h = history(
        &Account::default(),
        now() + chrono::Duration::milliseconds(500),
        &Fx::default(),
    );
    assert_eq!(h.unwrap().as_of, now());
}

#[test]
fn rule5_new_churn_reactivation_expansion_contraction() {
    let mut account = with_coupons(
        vec![
            percent_coupon("F20", 20.0, "forever", None),
            percent_coupon("L50", 50.0, "repeating", Some(3)),
        ],
        vec![
            discount("contract", "F20", ts("2026-03-10"), None),
            discount("launch", "L50", ts("2026-05-20"), Some(ts("2026-08-20"))),
        ],
    );
    // a: $100 from before the series, ends in February, comes back in May (reactivation).
    let mut a1 = hundred("a1", "a");
    a1.start_date = ts("2025-10-01");
    a1.status = SubscriptionStatus::Canceled;
    a1.ended_at = Some(ts("2026-02-15"));
    let mut a2 = hundred("a2", "a");
    a2.start_date = ts("2026-05-10");
    // b: new in May at half price for 3 months: expansion in August.
    let mut b = hundred("b", "b");
    b.start_date = ts("2026-05-20");
    b.discounts = vec![Expandable::Id("launch".into())];
    // c: from before the series, 20 % off from March: contraction.
    let mut c = hundred("c", "c");
    c.start_date = ts("2025-06-01");
    c.discounts = vec![Expandable::Id("contract".into())];
    c.customer = expanded_customer("c");
    account.subscriptions = vec![a1, a2, b, c];
    let h = history(&account, now(), &fx_eur()).unwrap();
    let m = metrics(&h);
    let at = |month: &str| m.series.iter().find(|p| p.month == month).unwrap();
    assert_eq!((at("2025-11").mrr, at("2025-11").customers), (200.0, 2));
    let feb = at("2026-02").movements.clone().unwrap();
    assert_eq!((feb.churn, at("2026-02").mrr), (100.0, 100.0));
    let mar = at("2026-03").movements.clone().unwrap();
    assert_eq!((mar.contraction, at("2026-03").mrr), (20.0, 80.0));
    let may = at("2026-05").movements.clone().unwrap();
    assert_eq!((may.reactivation, may.new), (100.0, 50.0));
    let aug = at("2026-08").movements.clone().unwrap();
    assert_eq!((aug.expansion, at("2026-08").mrr), (50.0, 280.0));
    assert_eq!((m.mrr, m.customers, m.arpa), (280.0, 3, 93.33));
}

#[test]
fn rule5_rounding_happens_once_at_the_end() {
    // One customer with three weekly $1 subscriptions: 3 x 52/12 = $13.00 exactly; rounding each
    // subscription first would say $12.99.
    let weekly = |id: &str| {
        subscription(
            id,
            "c",
            "usd",
            ts("2025-01-01"),
            vec![item(price("w", "usd", 100, "week", 1), Some(1))],
        )
    };
    let account = Account {
        subscriptions: vec![weekly("1"), weekly("2"), weekly("3")],
        ..Account::default()
    };
    let m = metrics(&history(&account, now(), &Fx::default()).unwrap());
    assert_eq!((m.mrr, m.arpa), (13.0, 13.0));
    assert!(m.series.iter().all(|p| p.mrr == 13.0));
}

#[test]
fn rule5_customer_sums_subscriptions() {
    let mut second = hundred("s2", "c");
    second.items.data[0].quantity = Some(2);
    let account = Account {
        subscriptions: vec![hundred("s1", "c"), second, hundred("s3", "d")],
        ..Account::default()
    };
    let h = history(&account, now(), &Fx::default()).unwrap();
    let last = h.points.last().unwrap();
    assert_eq!(last.customer("c"), dollars(300, 1));
    assert_eq!(last.customer("d"), dollars(100, 1));
    assert_eq!(last.customer("nobody"), Amount::zero());
}

/// Random subscriptions for the properties: any status and dates, several items, several discounts.
fn arb_account() -> impl Strategy<Value = Account> {
    let coupon = (0u8..2, 0u32..10001, 1i64..40000, 0u8..3).prop_map(|(kind, pct, off, dur)| {
        let duration = ["once", "repeating", "forever"][dur as usize];
        if kind == 0 {
            percent_coupon("", f64::from(pct) / 100.0, duration, Some(3))
        } else {
            amount_coupon("", off, "usd", duration)
        }
    });
    let item_strategy = (
        0u8..4,
        1u32..4,
        0i64..100000,
        0u64..30,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(every, count, amount, quantity, metered, decimal)| {
            let every = ["day", "week", "month", "year"][every as usize];
            let mut p = price("p", "usd", amount, every, count);
            if metered {
                p.recurring.as_mut().unwrap().usage_type = UsageType::Metered;
            }
            if decimal {
                p.unit_amount = None;
                p.unit_amount_decimal = Some(format!("{}.{:03}", amount / 1000, amount % 1000));
            }
            item(p, Some(quantity))
        });
    let sub = (
        0u8..8,
        0i64..800,
        prop::option::of(0i64..800),
        prop::option::of(0i64..800),
        prop::collection::vec(item_strategy, 1..4),
        prop::collection::vec((coupon, 0i64..800, prop::option::of(0i64..200)), 0..3),
        0u8..5,
        any::<bool>(),
    );
    prop::collection::vec(sub, 0..12).prop_map(|subs| {
        let mut account = Account::default();
        for (n, (status, start, trial, ended, items, discounts, customer, eur)) in
            subs.into_iter().enumerate()
        {
            let base = ts("2025-06-01");
            let mut s = subscription(
                &format!("sub_{n}"),
                &format!("cus_{customer}"),
                if eur { "eur" } else { "usd" },
                base + start * DAY,
                items,
            );
            s.status = [
                SubscriptionStatus::Active,
                SubscriptionStatus::PastDue,
                SubscriptionStatus::Trialing,
                SubscriptionStatus::Canceled,
                SubscriptionStatus::Incomplete,
                SubscriptionStatus::IncompleteExpired,
                SubscriptionStatus::Unpaid,
                SubscriptionStatus::Paused,
            ][status as usize]
                .clone();
            s.trial_end = trial.map(|d| s.start_date + d * DAY);
            s.ended_at = ended.map(|d| s.start_date + d * DAY);
            for (k, (mut coupon, from, length)) in discounts.into_iter().enumerate() {
                let id = format!("{n}_{k}");
                coupon.id = format!("co_{id}");
                coupon.duration_in_months = Some(2);
                if let Some(options) = coupon.amount_off.map(|off| {
                    [("eur".to_string(), CouponCurrencyOption { amount_off: off })].into()
                }) {
                    coupon.currency_options = Some(options);
                }
                let start = s.start_date + from * DAY;
                let end = length.map(|l| start + l * DAY);
                let d = discount(&format!("di_{id}"), &coupon.id, start, end);
                s.discounts.push(Expandable::Id(d.id.clone()));
                account.coupons.insert(coupon.id.clone(), coupon);
                account.discounts.insert(d.id.clone(), d);
            }
            account.subscriptions.push(s);
        }
        account
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A subscription's MRR is never negative; each point's customer MRR is the sum of their
    /// subscriptions' MRR computed on their own; total MRR is the sum over customers; and the
    /// reported figures are those exact sums rounded to the cent.
    #[test]
    fn totals_are_sums_and_never_negative(account in arb_account()) {
        let fx = fx_eur();
        let h = history(&account, now(), &fx).unwrap();
        for point in &h.points {
            let mut by_customer: BTreeMap<String, Amount> = BTreeMap::new();
            for sub in &account.subscriptions {
                let value = subscription_mrr(&account, sub, point.at, &fx).unwrap();
                prop_assert!(value >= Amount::zero());
                *by_customer.entry(sub.customer_id().to_string()).or_default() += &value;
            }
            by_customer.retain(|_, v| v.is_positive());
            prop_assert_eq!(&by_customer, &point.customers);
            let total: Amount = by_customer.values().sum();
            prop_assert_eq!(point.mrr(), total);
        }
        let m = metrics(&h);
        for (p, exact) in m.series.iter().zip(&h.points) {
            prop_assert_eq!(p.mrr, exact.mrr().to_f64());
        }
        for (i, step) in steps(&h).iter().enumerate() {
            prop_assert_eq!(step.net(), &h.points[i + 1].mrr() - &h.points[i].mrr());
        }
    }
}
