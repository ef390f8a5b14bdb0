//! Exact money and the price arithmetic of DESIGN section 5, rules 2 and 3.
//!
//! # Why exact rationals
//!
//! Every amount here is a [`BigRational`] (via the `num` crate), not a float, a `rust_decimal` or
//! integer cents. The monthly factor of a weekly price is 52/12 and of a daily one 365/12: these do not
//! terminate in base 10, so any fixed-precision decimal rounds in the middle of the computation, and
//! integer cents would round every subscription before the sum. Rounding early is not harmless: an
//! EUR 490/year price with 15 % off at EUR=1.08 is exactly $37.485 a month, a half cent, and rounding it
//! per subscription moves the company's total by a cent (the shared dataset has exactly this case).
//! Rationals keep every intermediate value exact (`unit_amount_decimal`'s 12 decimal places, percent
//! offs, FX rates, the factors), so the only rounding is the last step: each reported figure is its
//! exact value rounded to the cent, half away from zero (the usual commercial rounding). The cost is
//! a few big-integer operations per subscription and point, which is nothing at Stripe-account sizes.

use std::collections::HashMap;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

use num::{BigInt, BigRational, One, Signed, ToPrimitive, Zero};

use super::model::{BillingScheme, Interval, Price, PriceTier, SubscriptionItem, TiersMode};
use super::mrr::MetricsError;

/// An exact amount of money in major units (dollars, not cents) of the reporting currency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(BigRational);

impl Default for Amount {
    fn default() -> Amount {
        Amount::zero()
    }
}

impl Amount {
    /// Nothing.
    pub fn zero() -> Amount {
        Amount(BigRational::zero())
    }

    /// An amount given in cents (hundredths of a major unit).
    pub fn from_cents(cents: i64) -> Amount {
        Amount(BigRational::new(BigInt::from(cents), BigInt::from(100)))
    }

    /// Wraps an exact rational number of major units.
    pub fn from_ratio(value: BigRational) -> Amount {
        Amount(value)
    }

    /// The exact value in major units.
    pub fn ratio(&self) -> &BigRational {
        &self.0
    }

    /// Whether it is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// Whether it is above zero.
    pub fn is_positive(&self) -> bool {
        self.0.is_positive()
    }

    /// Rounded to whole cents, half away from zero (saturating beyond `i64`).
    pub fn cents(&self) -> i64 {
        let cents = (&self.0 * BigRational::from_integer(BigInt::from(100))).round();
        let cents = cents.to_integer();
        cents.to_i64().unwrap_or(if cents.is_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    /// Rounded to cents, as the nearest `f64` (which prints as exactly those cents).
    pub fn to_f64(&self) -> f64 {
        round_to(&self.0, 2)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.cents();
        let sign = if cents < 0 { "-" } else { "" };
        let abs = cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Amount {
    type Output = Amount;
    fn add(self, other: Amount) -> Amount {
        Amount(self.0 + other.0)
    }
}

impl<'a> Add<&'a Amount> for Amount {
    type Output = Amount;
    fn add(self, other: &'a Amount) -> Amount {
        Amount(self.0 + &other.0)
    }
}

impl AddAssign<&Amount> for Amount {
    fn add_assign(&mut self, other: &Amount) {
        self.0 += &other.0;
    }
}

impl Sub for Amount {
    type Output = Amount;
    fn sub(self, other: Amount) -> Amount {
        Amount(self.0 - other.0)
    }
}

impl<'a> Sub<&'a Amount> for &'a Amount {
    type Output = Amount;
    fn sub(self, other: &'a Amount) -> Amount {
        Amount(&self.0 - &other.0)
    }
}

impl Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::zero(), |a, b| a + b)
    }
}

impl<'a> Sum<&'a Amount> for Amount {
    fn sum<I: Iterator<Item = &'a Amount>>(iter: I) -> Amount {
        iter.fold(Amount::zero(), |a, b| a + b)
    }
}

/// Rounds an exact value to `decimals` places, half away from zero, as the nearest `f64`.
///
/// The rounded value is an integer over a power of ten; dividing the two (exact) `f64`s is correctly
/// rounded, so the result is the same double as parsing the decimal text, and prints as it.
pub fn round_to(value: &BigRational, decimals: u32) -> f64 {
    let scale = BigInt::from(10u32).pow(decimals);
    let scaled = (value * BigRational::from_integer(scale.clone()))
        .round()
        .to_integer();
    let (Some(n), Some(d)) = (scaled.to_f64(), scale.to_f64()) else {
        return f64::NAN;
    };
    n / d
}

/// `n` as an exact rational.
pub(crate) fn int(n: i64) -> BigRational {
    BigRational::from_integer(BigInt::from(n))
}

/// Parses a decimal number (`"2900"`, `"0.125"`, `"-1.5e-3"`) exactly; `None` if it is not one.
pub fn parse_decimal(text: &str) -> Option<BigRational> {
    let text = text.trim();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (negative, digits) = match mantissa.as_bytes().first()? {
        b'-' => (true, &mantissa[1..]),
        b'+' => (false, &mantissa[1..]),
        _ => (false, mantissa),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
        || exponent.unsigned_abs() > 64
    {
        return None;
    }
    let all: String = format!("{whole}{fraction}");
    let mut value = BigRational::from_integer(all.parse::<BigInt>().ok()?);
    let shift = exponent - i32::try_from(fraction.len()).ok()?;
    let ten = BigInt::from(10u32).pow(shift.unsigned_abs());
    if shift >= 0 {
        value *= BigRational::from_integer(ten);
    } else {
        value /= BigRational::from_integer(ten);
    }
    Some(if negative { -value } else { value })
}

/// The currencies whose Stripe amounts are already in major units (docs.stripe.com/currencies).
const ZERO_DECIMAL: &[&str] = &[
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
];

/// The currencies whose Stripe amounts are in thousandths (docs.stripe.com/currencies).
const THREE_DECIMAL: &[&str] = &["bhd", "jod", "kwd", "omr", "tnd"];

/// How many decimal places Stripe's integer amounts have in this currency (2 for most, 0 for JPY...).
pub fn minor_unit_exponent(currency: &str) -> u32 {
    let currency = currency.to_ascii_lowercase();
    if ZERO_DECIMAL.contains(&currency.as_str()) {
        0
    } else if THREE_DECIMAL.contains(&currency.as_str()) {
        3
    } else {
        2
    }
}

/// Stripe minor units of `currency` to major units.
pub(crate) fn to_major(minor: &BigRational, currency: &str) -> BigRational {
    minor / BigRational::from_integer(BigInt::from(10u32).pow(minor_unit_exponent(currency)))
}

/// Rule 3: what one billing period is worth per month. Month 1/count, year 1/(12 count),
/// week 52/(12 count), day 365/(12 count).
pub fn monthly_factor(price: &Price) -> Result<BigRational, MetricsError> {
    let recurring = price
        .recurring
        .as_ref()
        .ok_or_else(|| MetricsError::BadPrice {
            price: price.id.clone(),
            reason: "it is recurring but has no `recurring` details".into(),
        })?;
    if recurring.interval_count == 0 {
        return Err(MetricsError::BadPrice {
            price: price.id.clone(),
            reason: "its interval_count is 0".into(),
        });
    }
    let count = i64::from(recurring.interval_count);
    let (numerator, denominator) = match &recurring.interval {
        Interval::Month => (1, count),
        Interval::Year => (1, 12 * count),
        Interval::Week => (52, 12 * count),
        Interval::Day => (365, 12 * count),
        Interval::Other(other) => {
            return Err(MetricsError::BadPrice {
                price: price.id.clone(),
                reason: format!("its interval {other:?} is unknown"),
            });
        }
    };
    Ok(BigRational::new(
        BigInt::from(numerator),
        BigInt::from(denominator),
    ))
}

/// Rule 2: the item's amount per billing period, in minor units of the subscription's currency.
///
/// Tiers come from the item's price when it carries them, else from `prices` (the
/// `GET /v1/prices/ID?expand[]=tiers` objects the puller fetched). `quantity` absent means 1 (Stripe's
/// default for licensed items). A per-unit price's `transform_quantity` divides the quantity first,
/// rounding as it says. `*_decimal` amounts win over the integer ones (they are the exact values).
pub fn period_amount(
    item: &SubscriptionItem,
    prices: &HashMap<String, Price>,
) -> Result<BigRational, MetricsError> {
    let price = &item.price;
    let quantity = item.quantity.unwrap_or(1);
    match &price.billing_scheme {
        BillingScheme::PerUnit => {
            let unit = amount_of(
                &price.id,
                "unit_amount",
                price.unit_amount_decimal.as_deref(),
                price.unit_amount,
            )?
            .ok_or_else(|| MetricsError::BadPrice {
                price: price.id.clone(),
                reason: "it is per_unit but has no unit_amount".into(),
            })?;
            let quantity = match &price.transform_quantity {
                None => quantity,
                Some(t) if t.divide_by == 0 => {
                    return Err(MetricsError::BadPrice {
                        price: price.id.clone(),
                        reason: "its transform_quantity divides by 0".into(),
                    });
                }
                Some(t) if t.round == "up" => quantity.div_ceil(t.divide_by),
                Some(t) => quantity / t.divide_by,
            };
            Ok(unit * BigRational::from_integer(BigInt::from(quantity)))
        }
        BillingScheme::Tiered => {
            let fetched = prices.get(&price.id);
            let tiers = price
                .tiers
                .as_ref()
                .or_else(|| fetched.and_then(|p| p.tiers.as_ref()))
                .ok_or_else(|| MetricsError::MissingTiers(price.id.clone()))?;
            let mode = price
                .tiers_mode
                .as_ref()
                .or_else(|| fetched.and_then(|p| p.tiers_mode.as_ref()))
                .ok_or_else(|| MetricsError::BadPrice {
                    price: price.id.clone(),
                    reason: "it is tiered but has no tiers_mode".into(),
                })?;
            tiered_amount(&price.id, mode, tiers, quantity)
        }
        BillingScheme::Other(other) => Err(MetricsError::BadPrice {
            price: price.id.clone(),
            reason: format!("its billing_scheme {other:?} is unknown"),
        }),
    }
}

/// `volume`: the whole quantity at the tier containing it, plus that tier's flat amount (so a
/// quantity of 0 falls in the first tier and pays its flat amount). `graduated`: each tier prices
/// the units that fall into it, plus the flat amount of every tier holding at least one unit (so a
/// quantity of 0 touches no tier and costs nothing).
pub fn tiered_amount(
    price_id: &str,
    mode: &TiersMode,
    tiers: &[PriceTier],
    quantity: u64,
) -> Result<BigRational, MetricsError> {
    let bad = |reason: String| MetricsError::BadPrice {
        price: price_id.to_string(),
        reason,
    };
    if tiers.is_empty() {
        return Err(bad("it is tiered but has no tiers".into()));
    }
    for pair in tiers.windows(2) {
        match (pair[0].up_to, pair[1].up_to) {
            (None, _) => return Err(bad("a tier other than the last has no up_to".into())),
            (Some(a), Some(b)) if b <= a => {
                return Err(bad("its tiers' up_to values do not increase".into()));
            }
            _ => {}
        }
    }
    let unit = |t: &PriceTier| {
        amount_of(
            price_id,
            "tier unit_amount",
            t.unit_amount_decimal.as_deref(),
            t.unit_amount,
        )
        .map(Option::unwrap_or_default)
    };
    let flat = |t: &PriceTier| {
        amount_of(
            price_id,
            "tier flat_amount",
            t.flat_amount_decimal.as_deref(),
            t.flat_amount,
        )
        .map(Option::unwrap_or_default)
    };
    let q = BigRational::from_integer(BigInt::from(quantity));
    match mode {
        TiersMode::Volume => {
            let tier = tiers
                .iter()
                .find(|t| t.up_to.is_none_or(|up_to| quantity <= up_to))
                .ok_or_else(|| bad(format!("no tier contains the quantity {quantity}")))?;
            Ok(unit(tier)? * q + flat(tier)?)
        }
        TiersMode::Graduated => {
            let mut total = BigRational::zero();
            let mut below = 0u64;
            for tier in tiers {
                if quantity <= below {
                    break;
                }
                let top = tier.up_to.map_or(quantity, |up_to| up_to.min(quantity));
                let units = BigRational::from_integer(BigInt::from(top - below));
                total += unit(tier)? * units + flat(tier)?;
                below = top;
            }
            if quantity > below {
                return Err(bad(format!("no tier contains the quantity {quantity}")));
            }
            Ok(total)
        }
        TiersMode::Other(other) => Err(bad(format!("its tiers_mode {other:?} is unknown"))),
    }
}

/// The exact amount of a `*_decimal` string, else of its integer twin, else `None`.
fn amount_of(
    price_id: &str,
    field: &str,
    decimal: Option<&str>,
    integer: Option<i64>,
) -> Result<Option<BigRational>, MetricsError> {
    match (decimal, integer) {
        (Some(text), _) => parse_decimal(text)
            .map(Some)
            .ok_or_else(|| MetricsError::BadPrice {
                price: price_id.to_string(),
                reason: format!("its {field}_decimal {text:?} is not a decimal number"),
            }),
        (None, Some(n)) => Ok(Some(int(n))),
        (None, None) => Ok(None),
    }
}

/// `1`, exactly.
pub(crate) fn one() -> BigRational {
    BigRational::one()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{price, tier};
    use super::*;

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(parse_decimal("2900"), Some(int(2900)));
        assert_eq!(parse_decimal("0.125"), Some(r(1, 8)));
        assert_eq!(
            parse_decimal("12.3456789012345"),
            Some(r(123456789012345, 10i64.pow(13)))
        );
        assert_eq!(parse_decimal("-1.5e-3"), Some(r(-3, 2000)));
        assert_eq!(parse_decimal("1E2"), Some(int(100)));
        assert_eq!(parse_decimal(".5"), Some(r(1, 2)));
        assert_eq!(parse_decimal("15.0"), Some(int(15)));
        for bad in [
            "", "-", ".", "1.2.3", "abc", "1e", "NaN", "inf", "1,5", "1e999",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn rounds_half_away_from_zero_at_the_end() {
        let a = Amount::from_ratio(r(37485, 1000));
        assert_eq!(a.cents(), 3749);
        assert_eq!(a.to_f64(), 37.49);
        assert_eq!(a.to_string(), "37.49");
        assert_eq!(Amount::from_ratio(r(-37485, 1000)).cents(), -3749);
        assert_eq!(Amount::from_ratio(r(37484999, 1000000)).cents(), 3748);
        // 52/12 * $1 does not terminate in base 10: exact until rounded.
        let weekly = Amount::from_ratio(r(52, 12));
        assert_eq!(weekly.to_f64(), 4.33);
        assert_eq!((weekly.clone() + weekly.clone() + weekly).to_f64(), 13.0);
        assert_eq!(round_to(&r(2, 3), 4), 0.6667);
        assert_eq!(Amount::from_cents(507042).to_f64(), 5070.42);
    }

    #[test]
    fn currency_exponents() {
        assert_eq!(minor_unit_exponent("usd"), 2);
        assert_eq!(minor_unit_exponent("EUR"), 2);
        assert_eq!(minor_unit_exponent("jpy"), 0);
        assert_eq!(minor_unit_exponent("kwd"), 3);
        assert_eq!(to_major(&int(1000), "jpy"), int(1000));
        assert_eq!(to_major(&int(1000), "usd"), int(10));
    }

    #[test]
    fn monthly_factors_per_interval() {
        let f = |interval: &str, count: u32| {
            monthly_factor(&price("p", "usd", 100, interval, count)).unwrap()
        };
        assert_eq!(f("month", 1), r(1, 1));
        assert_eq!(f("month", 3), r(1, 3));
        assert_eq!(f("year", 1), r(1, 12));
        assert_eq!(f("year", 2), r(1, 24));
        assert_eq!(f("week", 1), r(52, 12));
        assert_eq!(f("week", 2), r(52, 24));
        assert_eq!(f("day", 1), r(365, 12));
        assert_eq!(f("day", 7), r(365, 84));
        let zero = price("p0", "usd", 100, "month", 0);
        assert!(matches!(
            monthly_factor(&zero),
            Err(MetricsError::BadPrice { .. })
        ));
        let odd = price("p1", "usd", 100, "fortnight", 1);
        assert!(matches!(
            monthly_factor(&odd),
            Err(MetricsError::BadPrice { .. })
        ));
    }

    #[test]
    fn volume_tiers() {
        // 1-10 at $10 with a $5 flat fee, 11+ at $8 plus $20 flat.
        let tiers = [
            tier(Some(10), "1000", Some("500")),
            tier(None, "800", Some("2000")),
        ];
        let v = |q| tiered_amount("v", &TiersMode::Volume, &tiers, q).unwrap();
        assert_eq!(v(1), int(1500));
        assert_eq!(v(10), int(10500)); // up_to is inclusive
        assert_eq!(v(11), int(11 * 800 + 2000)); // the whole quantity at the second tier
        assert_eq!(v(0), int(500)); // 0 is in the first tier: its flat amount
    }

    #[test]
    fn graduated_tiers() {
        // The shared price_grad_m: 1-5 at $20 + $50 flat, 6-20 at $15, 21+ at $10.
        let tiers = [
            tier(Some(5), "2000", Some("5000")),
            tier(Some(20), "1500", None),
            tier(None, "1000", None),
        ];
        let g = |q| tiered_amount("g", &TiersMode::Graduated, &tiers, q).unwrap();
        assert_eq!(g(0), int(0));
        assert_eq!(g(3), int(5000 + 3 * 2000));
        assert_eq!(g(5), int(5000 + 5 * 2000));
        assert_eq!(g(12), int(5000 + 5 * 2000 + 7 * 1500));
        assert_eq!(g(25), int(5000 + 5 * 2000 + 15 * 1500 + 5 * 1000));
        // A flat amount on a later tier counts once that tier holds a unit.
        let flats = [tier(Some(2), "100", None), tier(None, "50", Some("1000"))];
        let g2 = |q| tiered_amount("g2", &TiersMode::Graduated, &flats, q).unwrap();
        assert_eq!(g2(2), int(200));
        assert_eq!(g2(3), int(200 + 50 + 1000));
    }

    #[test]
    fn tier_amounts_with_fractions_of_a_cent() {
        let tiers = [
            tier(Some(1000), "0.125", None),
            tier(None, "0.0625", Some("0.5")),
        ];
        // 1000 x 0.125 + 1 x 0.0625 + 0.5 flat
        assert_eq!(
            tiered_amount("f", &TiersMode::Graduated, &tiers, 1001).unwrap(),
            parse_decimal("125.5625").unwrap()
        );
        assert_eq!(
            tiered_amount("f", &TiersMode::Volume, &tiers, 3).unwrap(),
            parse_decimal("0.375").unwrap()
        );
    }

    #[test]
    fn bad_tiers_are_errors() {
        let capped = [tier(Some(5), "100", None)];
        assert!(tiered_amount("c", &TiersMode::Volume, &capped, 6).is_err());
        assert!(tiered_amount("c", &TiersMode::Graduated, &capped, 6).is_err());
        let unordered = [
            tier(Some(5), "1", None),
            tier(Some(5), "1", None),
            tier(None, "1", None),
        ];
        assert!(tiered_amount("u", &TiersMode::Volume, &unordered, 1).is_err());
        let inf_first = [tier(None, "1", None), tier(Some(5), "1", None)];
        assert!(tiered_amount("i", &TiersMode::Volume, &inf_first, 1).is_err());
        assert!(tiered_amount("e", &TiersMode::Volume, &[], 1).is_err());
        let bad_text = [tier(None, "12,5", None)];
        let err = tiered_amount("t", &TiersMode::Volume, &bad_text, 1).unwrap_err();
        assert!(err.to_string().contains("12,5"), "{err}");
    }
}
