//! The clock: real time, or the fixed instant `COSOS_NOW` gives (tests, reproducible exports).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::EngineError;

/// The environment variable that pins the clock.
pub const NOW_ENV: &str = "COSOS_NOW";

/// Real or fixed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    System,
    /// A fixed instant.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// `COSOS_NOW` when set (RFC 3339 or YYYY-MM-DD, meaning midnight UTC), else the system clock.
    pub fn from_env() -> Result<Clock, EngineError> {
        match std::env::var(NOW_ENV) {
            Ok(v) if !v.trim().is_empty() => Clock::parse(&v),
            _ => Ok(Clock::System),
        }
    }

    /// Parses an override value.
    pub fn parse(value: &str) -> Result<Clock, EngineError> {
        let v = value.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Ok(Clock::Fixed(t.with_timezone(&Utc)));
        }
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(|d| Clock::Fixed(d.and_time(NaiveTime::MIN).and_utc()))
            .map_err(|_| EngineError::BadClock(value.chars().take(64).collect()))
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Today's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Milliseconds since the Unix epoch, the unit of the documents' timestamps.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let a = Clock::parse("2026-11-26").unwrap();
        assert_eq!(a.today().to_string(), "2026-11-26");
        let b = Clock::parse("2026-11-26T12:00:00Z").unwrap();
        assert_eq!(b.now().to_rfc3339(), "2026-11-26T12:00:00+00:00");
    }

    #[test]
    fn rejects_garbage() {
        let e = Clock::parse("next tuesday-ish").unwrap_err();
        assert!(e.to_string().contains("COSOS_NOW"));
    }
}
