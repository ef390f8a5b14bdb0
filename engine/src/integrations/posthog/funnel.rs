//! The ordered conversion funnel.
//!
//! One HogQL query asks PostHog, per person, how far they got through the steps in order within
//! the conversion window (ClickHouse's `windowFunnel`), and returns how many people stopped at
//! each depth. Step counts and both conversion rates are then computed here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::PostHogError;
use super::client::{PostHogClient, QueryResult};
use super::hogql::{day_start, event_literal};

/// The conversion window used when none is configured, in days (PostHog's own default).
pub const DEFAULT_WINDOW_DAYS: u32 = 14;
/// Most steps a funnel may have.
pub const MAX_FUNNEL_STEPS: usize = 20;
/// Longest conversion window accepted, in days.
const MAX_WINDOW_DAYS: u32 = 365;

/// The funnel used when a founder configured none: a visit (`$pageview`, captured by PostHog's
/// JavaScript snippet out of the box) followed by a signup (`user signed up`, the conventional
/// name PostHog's own docs and product use for that event).
pub const DEFAULT_FUNNEL_STEPS: [&str; 2] = ["$pageview", "user signed up"];

fn default_steps() -> Vec<String> {
    DEFAULT_FUNNEL_STEPS.iter().map(|s| s.to_string()).collect()
}

fn default_window_days() -> u32 {
    DEFAULT_WINDOW_DAYS
}

/// What funnel to pull; stored in an artifact's configuration, so every field is serialisable
/// and `steps`/`window_days` may be left out (defaults: [`DEFAULT_FUNNEL_STEPS`],
/// [`DEFAULT_WINDOW_DAYS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelSpec {
    /// Event names, in order; each at most once.
    #[serde(default = "default_steps")]
    pub steps: Vec<String>,
    /// Conversion window: every later step must happen within this many days of the first.
    #[serde(default = "default_window_days")]
    pub window_days: u32,
    /// First day of events considered (project timezone).
    pub from: NaiveDate,
    /// Last day of events considered, inclusive (project timezone).
    pub to: NaiveDate,
}

impl FunnelSpec {
    /// The default funnel over `from..=to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> FunnelSpec {
        FunnelSpec {
            steps: default_steps(),
            window_days: DEFAULT_WINDOW_DAYS,
            from,
            to,
        }
    }

    /// Checks the steps, window and dates; the query is only built from a valid spec.
    pub fn validate(&self) -> Result<(), PostHogError> {
        let bad = |reason: String| PostHogError::InvalidSpec {
            what: "funnel",
            reason,
        };
        if self.steps.is_empty() {
            return Err(bad("it has no steps".to_string()));
        }
        if self.steps.len() > MAX_FUNNEL_STEPS {
            return Err(bad(format!("it has more than {MAX_FUNNEL_STEPS} steps")));
        }
        for (i, step) in self.steps.iter().enumerate() {
            event_literal("funnel", &format!("step {}", i + 1), step)?;
            if let Some(j) = self.steps[..i].iter().position(|s| s == step) {
                // windowFunnel would let one event satisfy both steps.
                return Err(bad(format!(
                    "steps {} and {} are the same event; each event can be one step only",
                    j + 1,
                    i + 1
                )));
            }
        }
        if self.window_days == 0 || self.window_days > MAX_WINDOW_DAYS {
            return Err(bad(format!(
                "the conversion window must be 1 to {MAX_WINDOW_DAYS} days"
            )));
        }
        if self.from > self.to {
            return Err(bad("its start date is after its end date".to_string()));
        }
        if self.to.succ_opt().is_none() {
            return Err(bad("its end date is out of range".to_string()));
        }
        Ok(())
    }
}

/// One step of a pulled funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelStep {
    /// The event name.
    pub event: String,
    /// People who did this step and every earlier one, in order, within the window.
    pub count: u64,
    /// `count / count of step 1`, a fraction (step 1: 1.0); `None` when step 1 has no one.
    pub conversion_from_start: Option<f64>,
    /// `count / count of the previous step` (step 1: same as `conversion_from_start`); `None`
    /// when the previous step has no one.
    pub conversion_from_previous: Option<f64>,
}

/// A pulled funnel, ready for an artifact's `data.funnel`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// The steps, in order.
    pub steps: Vec<FunnelStep>,
    /// The conversion window, in days.
    pub window_days: u32,
    /// First day of events considered.
    pub from: NaiveDate,
    /// Last day of events considered, inclusive.
    pub to: NaiveDate,
}

/// The HogQL query for `spec`:
///
/// ```sql
/// SELECT level, count() AS persons
/// FROM (
///     SELECT person_id,
///         windowFunnel(<window seconds>)(toUnixTimestamp(timestamp),
///             event = '<step 1>', event = '<step 2>', ...) AS level
///     FROM events
///     WHERE event IN ('<step 1>', '<step 2>', ...)
///         AND timestamp >= toDateTime('<from> 00:00:00')
///         AND timestamp < toDateTime('<to + 1 day> 00:00:00')
///     GROUP BY person_id
/// )
/// WHERE level > 0
/// GROUP BY level
/// ORDER BY level
/// LIMIT 100
/// ```
///
/// `windowFunnel(w)(t, c1, ..., cn)` is, per person, the length of the longest chain
/// `c1, c2, ..., ck` matched by their events in time order with every match no later than `w`
/// seconds after the `c1` event that starts the chain (any `c1` occurrence may start one). So
/// `level` is the deepest step the person reached in order within the window, and the outer query
/// counts people per depth. The number of people who completed step k is the number whose level
/// is at least k, which [`funnel_from_rows`] sums.
pub fn funnel_query(spec: &FunnelSpec) -> Result<String, PostHogError> {
    spec.validate()?;
    let literals = spec
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| event_literal("funnel", &format!("step {}", i + 1), s))
        .collect::<Result<Vec<_>, _>>()?;
    let conditions = literals
        .iter()
        .map(|l| format!("event = {l}"))
        .collect::<Vec<_>>()
        .join(", ");
    let end = spec.to.succ_opt().unwrap_or(spec.to);
    let window_s = u64::from(spec.window_days) * 86_400;
    Ok(format!(
        "SELECT level, count() AS persons\n\
         FROM (\n    \
             SELECT person_id,\n        \
                 windowFunnel({window_s})(toUnixTimestamp(timestamp), {conditions}) AS level\n    \
             FROM events\n    \
             WHERE event IN ({events})\n        \
                 AND timestamp >= {from}\n        \
                 AND timestamp < {end}\n    \
             GROUP BY person_id\n\
         )\n\
         WHERE level > 0\n\
         GROUP BY level\n\
         ORDER BY level\n\
         LIMIT 100",
        events = literals.join(", "),
        from = day_start(spec.from),
        end = day_start(end),
    ))
}

/// Turns the `(level, persons)` rows of [`funnel_query`] into step counts and conversion rates.
pub fn funnel_from_rows(spec: &FunnelSpec, result: &QueryResult) -> Result<Funnel, PostHogError> {
    let bad = |reason: String| PostHogError::Response {
        purpose: "the funnel query".to_string(),
        reason,
    };
    let level_at = result
        .column("level", 0)
        .ok_or_else(|| bad("it has no `level` column".to_string()))?;
    let persons_at = result
        .column("persons", 1)
        .ok_or_else(|| bad("it has no `persons` column".to_string()))?;
    let n = spec.steps.len();
    // stopped_at[k] = people whose deepest step is k + 1
    let mut stopped_at = vec![0u64; n];
    for row in &result.rows {
        let level = row
            .get(level_at)
            .and_then(count_of)
            .ok_or_else(|| bad("a row has no whole-number `level`".to_string()))?;
        let persons = row
            .get(persons_at)
            .and_then(count_of)
            .ok_or_else(|| bad("a row has no whole-number `persons`".to_string()))?;
        let index = usize::try_from(level)
            .ok()
            .filter(|l| (1..=n).contains(l))
            .map(|l| l - 1);
        match index {
            Some(i) => stopped_at[i] = stopped_at[i].saturating_add(persons),
            None if level == 0 => {}
            None => {
                return Err(bad(format!(
                    "a row has level {level}, beyond the {n} steps"
                )));
            }
        }
    }
    // count of step k = people whose deepest step is k or later
    let mut counts = vec![0u64; n];
    let mut running = 0u64;
    for k in (0..n).rev() {
        running = running.saturating_add(stopped_at[k]);
        counts[k] = running;
    }
    let first = counts.first().copied().unwrap_or(0);
    let steps = spec
        .steps
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(k, (event, &count))| {
            let previous = if k == 0 { first } else { counts[k - 1] };
            FunnelStep {
                event: event.clone(),
                count,
                conversion_from_start: ratio(count, first),
                conversion_from_previous: ratio(count, previous),
            }
        })
        .collect();
    Ok(Funnel {
        steps,
        window_days: spec.window_days,
        from: spec.from,
        to: spec.to,
    })
}

/// Pulls the funnel `spec` describes.
pub async fn funnel(client: &PostHogClient, spec: &FunnelSpec) -> Result<Funnel, PostHogError> {
    let query = funnel_query(spec)?;
    let result = client.query("the funnel query", &query).await?;
    funnel_from_rows(spec, &result)
}

/// `part / whole`, or `None` when `whole` is 0 (a rate of nobody is unknown, not 0 %).
pub(super) fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A non-negative whole number sent as a JSON number or a string (ClickHouse's 64-bit integers
/// may arrive either way).
pub(super) fn count_of(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e19)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
