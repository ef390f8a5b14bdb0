//! Exchange rates to the reporting currency (USD), from `--fx CUR=RATE` arguments.

use std::collections::BTreeMap;

use num::{BigRational, One, Signed};

use super::amounts::parse_decimal;
use super::mrr::MetricsError;

/// Rates to USD: `EUR=1.08` means 1 EUR = 1.08 USD. USD is always 1.
///
/// Rates are exact decimals (the text given, not a float), so converting cannot add error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fx {
    /// Lowercase ISO code to the exact rate, USD included.
    rates: BTreeMap<String, BigRational>,
}

impl Default for Fx {
    fn default() -> Fx {
        Fx {
            rates: BTreeMap::from([("usd".to_string(), BigRational::one())]),
        }
    }
}

impl Fx {
    /// USD only.
    pub fn usd_only() -> Fx {
        Fx::default()
    }

    /// Parses `CUR=RATE` arguments (one per `--fx`; commas also separate pairs, case does not matter).
    ///
    /// Refused: a pair without `=`, a code that is not three letters, a rate that is not a positive
    /// decimal, a USD rate other than 1, and one currency given two different rates.
    pub fn parse(args: &[String]) -> Result<Fx, MetricsError> {
        let mut fx = Fx::default();
        let mut given: BTreeMap<String, String> = BTreeMap::new();
        for pair in args.iter().flat_map(|a| a.split(',')) {
            let pair = pair.trim();
            if pair.is_empty() {
                continue;
            }
            let bad = |reason: &str| MetricsError::BadFx {
                arg: pair.chars().take(64).collect(),
                reason: reason.to_string(),
            };
            let (code, rate_text) = pair
                .split_once('=')
                .ok_or_else(|| bad("expected CUR=RATE, e.g. EUR=1.08 (1 EUR = 1.08 USD)"))?;
            let code = code.trim();
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(bad(
                    "the currency must be a three-letter ISO code such as EUR",
                ));
            }
            let code = code.to_ascii_lowercase();
            let rate_text = rate_text.trim();
            let rate = parse_decimal(rate_text)
                .filter(|r| r.is_positive())
                .ok_or_else(|| bad("the rate must be a positive decimal number such as 1.08"))?;
            if code == "usd" && !rate.is_one() {
                return Err(bad("USD is the reporting currency: its rate is always 1"));
            }
            if let Some(previous) = given.get(&code)
                && fx.rates[&code] != rate
            {
                return Err(bad(&format!(
                    "{} already has the rate {previous}",
                    code.to_ascii_uppercase()
                )));
            }
            given.insert(code.clone(), rate_text.to_string());
            fx.rates.insert(code, rate);
        }
        Ok(fx)
    }

    /// Whether a rate is known for this currency (any case).
    pub fn has_rate(&self, currency: &str) -> bool {
        self.rates.contains_key(&currency.to_ascii_lowercase())
    }

    /// The exact rate to USD, or the error naming the currency.
    pub fn rate(&self, currency: &str) -> Result<&BigRational, MetricsError> {
        self.rates
            .get(&currency.to_ascii_lowercase())
            .ok_or_else(|| MetricsError::UnknownCurrency(currency.to_ascii_uppercase()))
    }
}

#[cfg(test)]
mod tests {
    use num::BigInt;

    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_rates() {
        let fx = Fx::parse(&args(&["EUR=1.08", "gbp = 1.27 ,JPY=0.0067"])).unwrap();
        assert_eq!(
            fx.rate("eur").unwrap(),
            &BigRational::new(BigInt::from(108), BigInt::from(100))
        );
        assert!(fx.has_rate("GBP") && fx.has_rate("jpy") && fx.has_rate("USD"));
        assert!(fx.rate("usd").unwrap().is_one());
        assert!(Fx::parse(&[]).unwrap().rate("USD").unwrap().is_one());
        assert!(Fx::parse(&args(&["USD=1", "EUR=1.08", "EUR=1.080"])).is_ok());
    }

    #[test]
    fn unknown_currency_names_it() {
        let err = Fx::usd_only().rate("eur").unwrap_err();
        assert!(matches!(&err, MetricsError::UnknownCurrency(c) if c == "EUR"));
        let text = err.to_string();
        assert!(text.contains("EUR") && text.contains("--fx EUR="), "{text}");
    }

    #[test]
    fn refuses_bad_input() {
        for (bad, why) in [
            ("EUR", "CUR=RATE"),
            ("EURO=1.1", "three-letter"),
            ("E1R=1.1", "three-letter"),
            ("EUR=", "positive decimal"),
            ("EUR=abc", "positive decimal"),
            ("EUR=0", "positive decimal"),
            ("EUR=-1.08", "positive decimal"),
            ("USD=1.1", "always 1"),
        ] {
            let err = Fx::parse(&args(&[bad])).unwrap_err();
            assert!(matches!(err, MetricsError::BadFx { .. }), "{bad}");
            let text = err.to_string();
            assert!(text.contains(why), "{bad}: {text}");
        }
        let err = Fx::parse(&args(&["EUR=1.08", "eur=1.10"])).unwrap_err();
        assert!(
            err.to_string().contains("already has the rate 1.08"),
            "{err}"
        );
    }
}
