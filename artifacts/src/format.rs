//! Number formatting for rendered artifacts: money with thousands separators, percentages.

/// Rounds to cents, the unit every money amount is stored in.
pub fn round_cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `$12,000` for whole amounts, `$12,000.50` otherwise; negative amounts get a leading minus.
pub fn money(x: f64) -> String {
    let cents = (x.abs() * 100.0).round() as u128;
    let (whole, frac) = (cents / 100, cents % 100);
    let sign = if x < 0.0 && cents > 0 { "-" } else { "" };
    let grouped = group_thousands(whole);
    if frac == 0 {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{frac:02}")
    }
}

/// Compact money for titles: `$50k`, `$1.2M`, `$950`.
pub fn money_short(x: f64) -> String {
    let a = x.abs();
    let sign = if x < 0.0 { "-" } else { "" };
    if a >= 1_000_000.0 {
        format!("{sign}${}M", trim_decimal(a / 1_000_000.0, 2))
    } else if a >= 1_000.0 {
        format!("{sign}${}k", trim_decimal(a / 1_000.0, 1))
    } else {
        format!("{sign}${}", trim_decimal(a, 0))
    }
}

/// A fraction as a percentage with at most one decimal: 0.2264 -> `22.6%`, 0.03 -> `3%`.
pub fn percent(x: f64) -> String {
    format!("{}%", trim_decimal(x * 100.0, 1))
}

/// An integer with thousands separators: 12000 -> `12,000`.
pub fn group_thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn trim_decimal(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money() {
        assert_eq!(money(12_000.0), "$12,000");
        assert_eq!(money(1_234_567.891), "$1,234,567.89");
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(-250.5), "-$250.50");
        assert_eq!(money(999.999), "$1,000");
    }

    #[test]
    fn formats_short_money() {
        assert_eq!(money_short(50_000.0), "$50k");
        assert_eq!(money_short(1_200_000.0), "$1.2M");
        assert_eq!(money_short(8_500.0), "$8.5k");
        assert_eq!(money_short(950.0), "$950");
    }

    #[test]
    fn formats_percent() {
        assert_eq!(percent(0.22637), "22.6%");
        assert_eq!(percent(0.031), "3.1%");
        assert_eq!(percent(0.03), "3%");
        assert_eq!(percent(-0.5), "-50%");
    }
}
