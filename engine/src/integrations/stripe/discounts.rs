//! Rule 4: which discounts apply at an instant, and how they reduce a monthly amount.

use chrono::{DateTime, Months};
use num::{BigInt, BigRational, Signed, Zero};

use super::amounts::{int, one, parse_decimal};
use super::model::{Coupon, CouponDuration, Discount, Expandable};
use super::mrr::{Account, MetricsError};

/// The combined effect of the discounts that apply at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Reduction {
    /// The product of `(1 - percent_off / 100)` over the percent-off coupons.
    pub multiplier: BigRational,
    /// The sum of the amount-off coupons per billing period, in minor units of the currency.
    pub amount_off: BigRational,
}

impl Default for Reduction {
    fn default() -> Reduction {
        Reduction {
            multiplier: one(),
            amount_off: BigRational::zero(),
        }
    }
}

impl Reduction {
    /// Applies it to a monthly amount: percent-offs multiply, then the amount-offs (per billing
    /// period, turned monthly by `factor`, the monthly factor of the period they apply to) subtract,
    /// and the result never goes below 0.
    pub fn apply(&self, monthly: BigRational, factor: &BigRational) -> BigRational {
        let reduced = monthly * &self.multiplier - &self.amount_off * factor;
        if reduced.is_negative() {
            BigRational::zero()
        } else {
            reduced
        }
    }
}

/// Resolves the discounts through `account`, and combines those that apply at `t` (Unix seconds) to
/// an amount in `currency`.
///
/// A discount applies from its `start` (inclusive). By its coupon's duration: `once` never (it only
/// reduces the first invoice, which is not recurring revenue); `repeating` until its `end`
/// (exclusive; when Stripe gives no `end`, `start` plus `duration_in_months`); `forever` always.
/// An `end` in the past also ends a `forever` discount (Stripe sets none, but a deleted-then-kept
/// object may). An amount-off coupon counts in the subscription's currency: its `currency`, else its
/// `currency_options`; a coupon in neither is an error, since Stripe itself would not apply it.
pub fn reduction_at(
    account: &Account,
    discounts: &[Expandable<Discount>],
    t: i64,
    currency: &str,
) -> Result<Reduction, MetricsError> {
    let mut reduction = Reduction::default();
    for discount in discounts {
        let discount = resolve_discount(account, discount)?;
        let coupon = resolve_coupon(account, discount)?;
        if !applies_at(discount, coupon, t)? {
            continue;
        }
        if let Some(percent) = coupon.percent_off {
            // `{}` on an f64 prints the shortest text that reads back as the same number, which is
            // the decimal Stripe sent (percent_off has at most two decimals).
            let percent = parse_decimal(&format!("{percent}"))
                .filter(|p| !p.is_negative() && *p <= int(100))
                .ok_or_else(|| MetricsError::BadCoupon {
                    coupon: coupon.id.clone(),
                    reason: format!("its percent_off {percent} is not between 0 and 100"),
                })?;
            reduction.multiplier *= one() - percent / int(100);
        }
        if let Some(off) = amount_off_in(coupon, currency)? {
            reduction.amount_off += BigRational::from_integer(BigInt::from(off));
        }
    }
    Ok(reduction)
}

/// Whether the discount applies at `t`.
fn applies_at(discount: &Discount, coupon: &Coupon, t: i64) -> Result<bool, MetricsError> {
    if t < discount.start {
        return Ok(false);
    }
    let end = match &coupon.duration {
        CouponDuration::Once => return Ok(false),
        CouponDuration::Forever => discount.end,
        CouponDuration::Repeating => match (discount.end, coupon.duration_in_months) {
            (Some(end), _) => Some(end),
            (None, Some(months)) => Some(
                DateTime::from_timestamp(discount.start, 0)
                    .and_then(|s| s.checked_add_months(Months::new(months)))
                    .map(|e| e.timestamp())
                    .ok_or_else(|| MetricsError::BadCoupon {
                        coupon: coupon.id.clone(),
                        reason: "its repeating period is out of range".into(),
                    })?,
            ),
            (None, None) => {
                return Err(MetricsError::BadCoupon {
                    coupon: coupon.id.clone(),
                    reason: format!(
                        "it is repeating but has no duration_in_months, and discount {} has no end",
                        discount.id
                    ),
                });
            }
        },
        CouponDuration::Other(other) => {
            return Err(MetricsError::BadCoupon {
                coupon: coupon.id.clone(),
                reason: format!("its duration {other:?} is unknown"),
            });
        }
    };
    Ok(end.is_none_or(|end| t < end))
}

/// A coupon's amount off in `currency`, if it has one.
fn amount_off_in(coupon: &Coupon, currency: &str) -> Result<Option<i64>, MetricsError> {
    let Some(amount_off) = coupon.amount_off else {
        return Ok(None);
    };
    let currency = currency.to_ascii_lowercase();
    if coupon
        .currency
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case(&currency))
    {
        return Ok(Some(amount_off));
    }
    if let Some(option) = coupon
        .currency_options
        .as_ref()
        .and_then(|o| o.get(&currency))
    {
        return Ok(Some(option.amount_off));
    }
    Err(MetricsError::BadCoupon {
        coupon: coupon.id.clone(),
        reason: format!(
            "its amount_off is in {} and it has no amount for {}",
            coupon
                .currency
                .as_deref()
                .unwrap_or("no currency")
                .to_ascii_uppercase(),
            currency.to_ascii_uppercase()
        ),
    })
}

/// The discount object, expanded or fetched.
fn resolve_discount<'a>(
    account: &'a Account,
    discount: &'a Expandable<Discount>,
) -> Result<&'a Discount, MetricsError> {
    match discount {
        Expandable::Object(d) => Ok(d),
        Expandable::Id(id) => account
            .discounts
            .get(id)
            .ok_or_else(|| MetricsError::Missing {
                kind: "discount",
                id: id.clone(),
            }),
    }
}

/// The discount's coupon, expanded or fetched.
fn resolve_coupon<'a>(
    account: &'a Account,
    discount: &'a Discount,
) -> Result<&'a Coupon, MetricsError> {
    match discount.coupon_ref() {
        Some(Expandable::Object(c)) => Ok(c),
        Some(Expandable::Id(id)) => account
            .coupons
            .get(id)
            .ok_or_else(|| MetricsError::Missing {
                kind: "coupon",
                id: id.clone(),
            }),
        None => Err(MetricsError::BadDiscount {
            discount: discount.id.clone(),
            reason: "it has no coupon (source.coupon)".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{DAY, T0, amount_coupon, discount, percent_coupon};
    use super::*;

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    fn account(coupons: Vec<Coupon>, discounts: Vec<Discount>) -> Account {
        Account {
            coupons: coupons.into_iter().map(|c| (c.id.clone(), c)).collect(),
            discounts: discounts.into_iter().map(|d| (d.id.clone(), d)).collect(),
            ..Account::default()
        }
    }

    fn ids(ids: &[&str]) -> Vec<Expandable<Discount>> {
        ids.iter().map(|i| Expandable::Id(i.to_string())).collect()
    }

    #[test]
    fn once_never_applies() {
        let acc = account(
            vec![percent_coupon("W", 100.0, "once", None)],
            vec![discount("d", "W", T0, None)],
        );
        for t in [T0 - 1, T0, T0 + 40 * DAY] {
            assert_eq!(
                reduction_at(&acc, &ids(&["d"]), t, "usd").unwrap(),
                Reduction::default()
            );
        }
    }

    #[test]
    fn repeating_applies_from_start_until_end() {
        let end = T0 + 90 * DAY;
        let acc = account(
            vec![percent_coupon("L", 50.0, "repeating", Some(3))],
            vec![discount("d", "L", T0, Some(end))],
        );
        let m = |t| {
            reduction_at(&acc, &ids(&["d"]), t, "usd")
                .unwrap()
                .multiplier
        };
        assert_eq!(m(T0 - 1), r(1, 1));
        assert_eq!(m(T0), r(1, 2)); // from start, inclusive
        assert_eq!(m(end - 1), r(1, 2));
        assert_eq!(m(end), r(1, 1)); // until end, exclusive
    }

    #[test]
    fn repeating_without_end_uses_duration_in_months() {
        // T0 is 2026-01-15T12:00:00Z: 3 months later is 2026-04-15T12:00:00Z.
        let end = DateTime::parse_from_rfc3339("2026-04-15T12:00:00Z")
            .unwrap()
            .timestamp();
        let acc = account(
            vec![percent_coupon("L", 50.0, "repeating", Some(3))],
            vec![discount("d", "L", T0, None)],
        );
        let m = |t| {
            reduction_at(&acc, &ids(&["d"]), t, "usd")
                .unwrap()
                .multiplier
        };
        assert_eq!(m(end - 1), r(1, 2));
        assert_eq!(m(end), r(1, 1));
        let broken = account(
            vec![percent_coupon("X", 50.0, "repeating", None)],
            vec![discount("d", "X", T0, None)],
        );
        assert!(matches!(
            reduction_at(&broken, &ids(&["d"]), T0, "usd"),
            Err(MetricsError::BadCoupon { .. })
        ));
    }

    #[test]
    fn forever_always_applies_after_start() {
        let acc = account(
            vec![percent_coupon("F", 20.0, "forever", None)],
            vec![discount("d", "F", T0, None)],
        );
        assert_eq!(
            reduction_at(&acc, &ids(&["d"]), T0 - 1, "usd")
                .unwrap()
                .multiplier,
            r(1, 1)
        );
        assert_eq!(
            reduction_at(&acc, &ids(&["d"]), T0 + 3650 * DAY, "usd")
                .unwrap()
                .multiplier,
            r(4, 5)
        );
    }

    #[test]
    fn percents_multiply_then_amounts_subtract() {
        let acc = account(
            vec![
                percent_coupon("P20", 20.0, "forever", None),
                percent_coupon("P10", 10.0, "forever", None),
                amount_coupon("A10", 1000, "usd", "forever"),
                amount_coupon("A5", 500, "usd", "forever"),
            ],
            vec![
                discount("a", "A10", T0, None),
                discount("p", "P20", T0, None),
                discount("q", "P10", T0, None),
                discount("b", "A5", T0, None),
            ],
        );
        // Listed amount-first on purpose: the order of the list does not matter.
        let red = reduction_at(&acc, &ids(&["a", "p", "q", "b"]), T0, "usd").unwrap();
        assert_eq!(red.multiplier, r(72, 100)); // 0.8 x 0.9, not 1 - 0.3
        assert_eq!(red.amount_off, int(1500));
        // $100 a month: 100 x 0.72 - 15 = 57.
        assert_eq!(red.apply(int(10000), &int(1)), int(5700));
        // A quarterly price: $15 off a quarter is $5 off a month.
        assert_eq!(red.apply(int(10000), &r(1, 3)), int(7200 - 500));
        // Never below 0.
        assert_eq!(red.apply(int(1000), &int(1)), int(0));
    }

    #[test]
    fn amount_off_currency() {
        let mut multi = amount_coupon("M", 1000, "usd", "forever");
        multi.currency_options = Some(
            [(
                "eur".to_string(),
                crate::integrations::stripe::model::CouponCurrencyOption { amount_off: 900 },
            )]
            .into(),
        );
        let acc = account(
            vec![multi, amount_coupon("U", 1000, "usd", "forever")],
            vec![discount("m", "M", T0, None), discount("u", "U", T0, None)],
        );
        assert_eq!(
            reduction_at(&acc, &ids(&["m"]), T0, "eur")
                .unwrap()
                .amount_off,
            int(900)
        );
        assert_eq!(
            reduction_at(&acc, &ids(&["m"]), T0, "usd")
                .unwrap()
                .amount_off,
            int(1000)
        );
        let err = reduction_at(&acc, &ids(&["u"]), T0, "eur").unwrap_err();
        assert!(
            err.to_string().contains("USD") && err.to_string().contains("EUR"),
            "{err}"
        );
    }

    #[test]
    fn missing_objects_are_named() {
        let acc = account(vec![], vec![discount("d", "GONE", T0, None)]);
        let err = reduction_at(&acc, &ids(&["nope"]), T0, "usd").unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
        let err = reduction_at(&acc, &ids(&["d"]), T0, "usd").unwrap_err();
        assert!(err.to_string().contains("GONE"), "{err}");
        // Expanded objects need no lookup.
        let mut d = discount("x", "F", T0, None);
        d.source.as_mut().unwrap().coupon = Some(Expandable::Object(Box::new(percent_coupon(
            "F", 50.0, "forever", None,
        ))));
        let red = reduction_at(&acc, &[Expandable::Object(Box::new(d))], T0, "usd").unwrap();
        assert_eq!(red.multiplier, r(1, 2));
    }

    #[test]
    fn bad_percent_is_an_error() {
        let acc = account(
            vec![percent_coupon("B", 120.0, "forever", None)],
            vec![discount("d", "B", T0, None)],
        );
        assert!(matches!(
            reduction_at(&acc, &ids(&["d"]), T0, "usd"),
            Err(MetricsError::BadCoupon { .. })
        ));
    }
}
