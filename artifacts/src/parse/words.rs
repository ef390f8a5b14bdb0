//! Number words ("two", "a couple of", "twenty-four") and plain numerals shared by the rules.
//!
//! Decisions for vague words: "a"/"an" = 1, "a couple (of)" = 2, "a few" and "several" = 3 (the
//! smallest reading, so a deadline is never later than the founder meant), "a dozen" = 12.

/// Regex fragment for any number word, vague ones included; longest alternatives come first
/// because the regex crate prefers the leftmost alternative.
pub(crate) const NUM_WORDS: &str = r"(?:a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|several|half\s+a\s+dozen|a\s+dozen|dozen|(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|three|four|five|six|seven|eight|nine|an|a)";

/// Regex fragment for exact number words only: counts like a team size must not be guessed.
pub(crate) const EXACT_WORDS: &str = r"(?:(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|three|four|five|six|seven|eight|nine|a\s+dozen|dozen)";

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [(&str, u32); 9] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fourty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// The value of a number word or phrase such as "two", "a couple of" or "twenty-four".
pub fn number_word(word: &str) -> Option<u32> {
    let lower = word.to_ascii_lowercase();
    let mut parts = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|s| !s.is_empty());
    let first = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let vague = match (first, rest.as_slice()) {
        ("a" | "an", []) => Some(1),
        ("a", ["couple"] | ["couple", "of"]) | ("couple", ["of"]) => Some(2),
        ("a", ["few"]) | ("few" | "several", []) => Some(3),
        ("a", ["dozen"]) | ("dozen", []) => Some(12),
        ("half", ["a", "dozen"]) => Some(6),
        _ => None,
    };
    if vague.is_some() {
        return vague;
    }
    if let Some(n) = UNITS.iter().position(|u| *u == first) {
        return rest.is_empty().then_some(n as u32);
    }
    let tens = TENS.iter().find(|(w, _)| *w == first)?.1;
    match rest.as_slice() {
        [] => Some(tens),
        [unit] => UNITS[1..10]
            .iter()
            .position(|u| u == unit)
            .map(|n| tens + n as u32 + 1),
        _ => None,
    }
}

/// Parses a plain numeral ("12", "1,200", "2.5"); too many digits give `None`, never inf.
pub fn numeral(s: &str) -> Option<f64> {
    scaled_numeral(s, 1.0)
}

/// A numeral times `factor`, computed as integer mantissa * factor / 10^decimals so that
/// "1.2" million is exactly 1,200,000.
pub fn scaled_numeral(s: &str, factor: f64) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = int.bytes().filter(|b| *b != b',');
    if int.len() > 20 || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let frac = &frac.as_bytes()[..frac.len().min(6)];
    let mut mantissa = 0u64;
    let mut n_digits = 0;
    for b in digits.chain(frac.iter().copied()) {
        if !b.is_ascii_digit() {
            return None;
        }
        n_digits += 1;
        if n_digits > 18 {
            return None;
        }
        mantissa = mantissa * 10 + u64::from(b - b'0');
    }
    let value = mantissa as f64 * factor / 10f64.powi(frac.len() as i32);
    value.is_finite().then_some(value)
}

/// A digit numeral or number word as an integer count; fractions and absurd values give `None`.
pub fn count(s: &str) -> Option<u32> {
    if s.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        let v = numeral(s)?;
        (v.fract() == 0.0 && v <= f64::from(u32::MAX)).then_some(v as u32)
    } else {
        number_word(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_number_words() {
        assert_eq!(number_word("two"), Some(2));
        assert_eq!(number_word("Twelve"), Some(12));
        assert_eq!(number_word("twenty-four"), Some(24));
        assert_eq!(number_word("thirty six"), Some(36));
        assert_eq!(number_word("a couple of"), Some(2));
        assert_eq!(number_word("a  few"), Some(3));
        assert_eq!(number_word("several"), Some(3));
        assert_eq!(number_word("half a dozen"), Some(6));
        assert_eq!(number_word("an"), Some(1));
        assert_eq!(number_word("seven eight"), None);
        assert_eq!(number_word("twenty-ten"), None);
        assert_eq!(number_word("banana"), None);
    }

    #[test]
    fn reads_numerals_without_overflow() {
        assert_eq!(numeral("1,200"), Some(1200.0));
        assert_eq!(numeral("2.5"), Some(2.5));
        assert_eq!(numeral("99999999999999999999"), None);
        assert_eq!(numeral("."), None);
        assert_eq!(numeral("1e9"), None);
        assert_eq!(scaled_numeral("1.2", 1e6), Some(1_200_000.0));
        assert_eq!(scaled_numeral("1,234.5", 1e3), Some(1_234_500.0));
        assert_eq!(count("12"), Some(12));
        assert_eq!(count("2.5"), None);
        assert_eq!(count("99999999999"), None);
        assert_eq!(count("six"), Some(6));
    }
}
