//! The number check: every number a model writes must be one the built-in engine computed.
//!
//! Forms are normalised (`12,000` = `12000` = `12k` = `$12k`) and a written number matches a
//! computed one when the computed value rounds to it at the precision it is written with, so
//! `$14.7k`, `$14,714` and `$14,713.72` all match 14713.72. Percentages match by value: `22.6%`
//! matches the fraction 0.2261.

use serde_json::Value;

/// A number as written in prose.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberToken {
    /// The token as written, e.g. `$12k` or `22.6%`.
    pub written: String,
    /// Its value with `k`/`M` applied (`12k` is 12000, `22.6%` is 22.6).
    pub value: f64,
    /// One unit of its last written digit (`14.7k` has 100): how far rounding may have moved it.
    pub step: f64,
    /// Written with `%`.
    pub percent: bool,
}

/// The numbers a rewrite may use: those of the original slot, then those of the whole content.
#[derive(Debug, Clone, Default)]
pub struct Computed {
    /// Numeric values of the content.
    values: Vec<f64>,
    /// Numbers written inside the content's strings (dates, other prose, sources).
    written: Vec<f64>,
}

impl Computed {
    /// Every number of `content`, numeric or written in its strings.
    pub fn of(content: &Value) -> Computed {
        let mut computed = Computed::default();
        computed.walk(content);
        computed
    }

    fn walk(&mut self, value: &Value) {
        match value {
            Value::Number(n) => self.values.extend(n.as_f64()),
            Value::String(s) => self.written.extend(tokens(s).into_iter().map(|t| t.value)),
            Value::Array(items) => items.iter().for_each(|v| self.walk(v)),
            Value::Object(map) => map.values().for_each(|v| self.walk(v)),
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn contains(&self, token: &NumberToken) -> bool {
        let as_written = self.written.iter().chain(&self.values);
        if as_written.into_iter().any(|&v| rounds_to(v, token)) {
            return true;
        }
        // Fractions are shown as percentages (0.2261 as 22.6%).
        token.percent && self.values.iter().any(|&v| rounds_to(v * 100.0, token))
    }
}

/// The first number of `new` that is neither in `original` nor among `computed`, if any.
pub fn first_contradiction(new: &str, original: &str, computed: &Computed) -> Option<String> {
    let originals: Vec<f64> = tokens(original).into_iter().map(|t| t.value).collect();
    tokens(new)
        .into_iter()
        .find(|t| !originals.iter().any(|&v| rounds_to(v, t)) && !computed.contains(t))
        .map(|t| t.written)
}

fn rounds_to(value: f64, token: &NumberToken) -> bool {
    let tolerance = token.step / 2.0 + 1e-9 * value.abs().max(1.0);
    (value.abs() - token.value).abs() <= tolerance
}

/// Every number written in `text`: digits with an optional currency sign, thousands separators,
/// decimals, `k`/`M` suffix and `%`.
pub fn tokens(text: &str) -> Vec<NumberToken> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let currency = ["$", "€", "£"].iter().find(|c| text[..i].ends_with(*c));
        let start = i - currency.map_or(0, |c| c.len());
        let mut digits = String::new();
        i = take_digits(bytes, i, &mut digits);
        // A comma separates thousands only when exactly three digits follow it.
        while bytes.get(i) == Some(&b',') && run_of_digits(bytes, i + 1) == 3 {
            i = take_digits(bytes, i + 1, &mut digits);
        }
        let mut decimals = 0;
        if bytes.get(i) == Some(&b'.') && run_of_digits(bytes, i + 1) > 0 {
            digits.push('.');
            let before = digits.len();
            i = take_digits(bytes, i + 1, &mut digits);
            decimals = digits.len() - before;
        }
        let mut multiplier = 1.0;
        let next_is_word = |at: usize| bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric());
        match bytes.get(i) {
            Some(b'k' | b'K') if !next_is_word(i + 1) => multiplier = 1e3,
            Some(b'M') if !next_is_word(i + 1) => multiplier = 1e6,
            // A lone `m` is usually minutes or months, but `$1.2m` is money.
            Some(b'm') if currency.is_some() && !next_is_word(i + 1) => multiplier = 1e6,
            _ => {}
        }
        if multiplier > 1.0 {
            i += 1;
        }
        let mut percent = false;
        if bytes.get(i) == Some(&b'%') {
            percent = true;
            i += 1;
        } else if bytes.get(i) == Some(&b' ') && bytes.get(i + 1) == Some(&b'%') {
            percent = true;
            i += 2;
        }
        let Ok(number) = digits.parse::<f64>() else {
            continue;
        };
        out.push(NumberToken {
            written: text[start..i].to_string(),
            value: number * multiplier,
            step: 10f64.powi(-(decimals as i32)) * multiplier,
            percent,
        });
    }
    out
}

fn take_digits(bytes: &[u8], mut i: usize, into: &mut String) -> usize {
    while let Some(b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        into.push(char::from(*b));
        i += 1;
    }
    i
}

fn run_of_digits(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn values(text: &str) -> Vec<(String, f64, bool)> {
        tokens(text)
            .into_iter()
            .map(|t| (t.written, t.value, t.percent))
            .collect()
    }

    #[test]
    fn normalises_written_forms() {
        for form in [
            "12,000",
            "12000",
            "12k",
            "$12k",
            "$12,000",
            "12K",
            "€12k",
            "£12,000.00",
        ] {
            let t = &tokens(form)[0];
            assert_eq!((t.value, t.written.as_str()), (12000.0, form), "{form}");
        }
        assert_eq!(tokens("$1.2M")[0].value, 1_200_000.0);
        assert_eq!(tokens("$1.2m")[0].value, 1_200_000.0);
        assert_eq!(values("5m"), vec![("5".into(), 5.0, false)]);
        assert_eq!(values("12kg"), vec![("12".into(), 12.0, false)]);
    }

    #[test]
    fn splits_text_into_tokens() {
        assert_eq!(
            values("Win 31 customers ($2,713.72 net new MRR), 5%-7% a week, 22.6 %. In 1,2 steps."),
            vec![
                ("31".into(), 31.0, false),
                ("$2,713.72".into(), 2713.72, false),
                ("5%".into(), 5.0, true),
                ("7%".into(), 7.0, true),
                ("22.6 %".into(), 22.6, true),
                ("1".into(), 1.0, false),
                ("2".into(), 2.0, false),
            ]
        );
        assert_eq!(values("2027-06-30")[0].1, 2027.0);
        assert_eq!(values("No numbers here."), vec![]);
    }

    #[test]
    fn accepts_original_and_computed_numbers() {
        let content = json!({
            "path": { "required_monthly_growth": 0.2261433615912274, "milestones": [ { "target_mrr": 14713.72 } ] },
            "target": { "mrr": 50000, "deadline": "2027-06-30" },
            "reasoning": "From $12,000 to $50,000 in 7 months."
        });
        let computed = Computed::of(&content);
        let original = "From $12,000 to $50,000 in 7 months.";
        for ok in [
            "Going from $12k to $50k over 7 months.",
            "That is 22.6% a month, or 22.61% to be exact.",
            "The first milestone is $14.7k ($14,714; exactly $14,713.72).",
            "Deadline: June 30, 2027.",
        ] {
            assert_eq!(first_contradiction(ok, original, &computed), None, "{ok}");
        }
        assert_eq!(
            first_contradiction("Reach $55k in 7 months.", original, &computed),
            Some("$55k".into())
        );
        assert_eq!(
            first_contradiction("Grow 25% a month.", original, &computed),
            Some("25%".into())
        );
        assert_eq!(
            first_contradiction("The first milestone is $14,813.72.", original, &computed),
            Some("$14,813.72".into())
        );
    }

    #[test]
    fn plain_numbers_are_not_percentages() {
        let computed = Computed::of(&json!({ "threshold": 0.95 }));
        assert_eq!(first_contradiction("95%", "", &computed), None);
        assert_eq!(first_contradiction("95", "", &computed), Some("95".into()));
    }
}
