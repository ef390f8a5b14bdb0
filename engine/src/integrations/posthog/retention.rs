//! Weekly cohort retention.
//!
//! A person's cohort is the week (Monday to Sunday, project timezone) of their first start event
//! inside the observed weeks; they are retained at week offset k >= 1 when they did the return
//! event at least once during the k-th week after their cohort week. Offset 0 is the cohort
//! itself (100 %), as in PostHog's retention insight. One HogQL query returns the counts per
//! (cohort week, offset); sizes, the triangle of observable offsets and all rates are built here.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::PostHogError;
use super::client::{PostHogClient, QueryResult};
use super::funnel::{count_of, ratio};
use super::hogql::{day_start, event_literal};

/// The start event used when none is configured: the conventional `user signed up`.
pub const DEFAULT_START_EVENT: &str = "user signed up";
/// The return event used when none is configured: PostHog's autocaptured `$pageview`.
pub const DEFAULT_RETURN_EVENT: &str = "$pageview";
/// Cohort weeks shown when none is configured.
pub const DEFAULT_RETENTION_WEEKS: u32 = 8;
/// Most cohort weeks a pull may cover.
pub const MAX_RETENTION_WEEKS: u32 = 52;

fn default_start_event() -> String {
    DEFAULT_START_EVENT.to_string()
}

fn default_return_event() -> String {
    DEFAULT_RETURN_EVENT.to_string()
}

fn default_weeks() -> u32 {
    DEFAULT_RETENTION_WEEKS
}

/// What retention to pull; serialisable for an artifact's configuration, with the events and
/// `weeks` optional (defaults: [`DEFAULT_START_EVENT`], [`DEFAULT_RETURN_EVENT`],
/// [`DEFAULT_RETENTION_WEEKS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionSpec {
    /// The event that puts a person in a cohort (their first one in the observed weeks counts).
    #[serde(default = "default_start_event")]
    pub start_event: String,
    /// The event that counts as coming back.
    #[serde(default = "default_return_event")]
    pub return_event: String,
    /// Number of cohort weeks, the last one being the week that contains `to`.
    #[serde(default = "default_weeks")]
    pub weeks: u32,
    /// Last day observed, inclusive (usually today).
    pub to: NaiveDate,
}

impl RetentionSpec {
    /// The default retention up to `to`.
    pub fn new(to: NaiveDate) -> RetentionSpec {
        RetentionSpec {
            start_event: default_start_event(),
            return_event: default_return_event(),
            weeks: DEFAULT_RETENTION_WEEKS,
            to,
        }
    }

    /// Monday of the first cohort week: `weeks - 1` weeks before the Monday of `to`'s week.
    pub fn first_week(&self) -> Option<NaiveDate> {
        let monday = self.to.checked_sub_days(Days::new(u64::from(
            self.to.weekday().num_days_from_monday(),
        )))?;
        monday.checked_sub_days(Days::new(7 * u64::from(self.weeks.saturating_sub(1))))
    }

    /// Checks the events, the number of weeks and the dates.
    pub fn validate(&self) -> Result<(), PostHogError> {
        let bad = |reason: &str| PostHogError::InvalidSpec {
            what: "retention",
            reason: reason.to_string(),
        };
        event_literal("retention", "the start event", &self.start_event)?;
        event_literal("retention", "the return event", &self.return_event)?;
        if self.weeks == 0 || self.weeks > MAX_RETENTION_WEEKS {
            return Err(bad(&format!(
                "the number of weeks must be 1 to {MAX_RETENTION_WEEKS}"
            )));
        }
        if self.first_week().is_none() || self.to.succ_opt().is_none() {
            return Err(bad("its end date is out of range"));
        }
        Ok(())
    }
}

/// One weekly cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// Monday of the cohort week (`YYYY-MM-DD`).
    pub week_start: NaiveDate,
    /// People whose first start event fell in this week.
    pub size: u64,
    /// People retained at each observable week offset; offset 0 is `size`. A cohort has one
    /// offset per week from its own up to the week containing `to`.
    pub retained: Vec<u64>,
    /// `retained / size` per offset (offset 0: 1.0); `None` for every offset of an empty cohort.
    pub rates: Vec<Option<f64>>,
}

/// Pulled weekly cohort retention, ready for an artifact's `data.cohorts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRetention {
    /// The start event.
    pub start_event: String,
    /// The return event.
    pub return_event: String,
    /// Number of cohort weeks.
    pub weeks: u32,
    /// Last day observed, inclusive.
    pub to: NaiveDate,
    /// One cohort per week, oldest first, empty weeks included (size 0).
    pub cohorts: Vec<Cohort>,
}

/// The HogQL query for `spec`:
///
/// ```sql
/// SELECT cohort_week, week_offset, count() AS persons
/// FROM (
///     SELECT cohort_week,
///         arrayJoin(arrayConcat([0], arrayFilter(o -> o >= 1,
///             arrayMap(w -> age('week', cohort_week, w), return_weeks)))) AS week_offset
///     FROM (
///         SELECT person_id,
///             toStartOfWeek(minIf(timestamp, event = '<start>'), 1) AS cohort_week,
///             groupUniqArrayIf(toStartOfWeek(timestamp, 1), event = '<return>') AS return_weeks
///         FROM events
///         WHERE event IN ('<start>', '<return>')
///             AND timestamp >= toDateTime('<first Monday> 00:00:00')
///             AND timestamp < toDateTime('<to + 1 day> 00:00:00')
///         GROUP BY person_id
///         HAVING countIf(event = '<start>') > 0
///     )
/// )
/// GROUP BY cohort_week, week_offset
/// ORDER BY cohort_week, week_offset
/// LIMIT 5000
/// ```
///
/// The inner query makes one row per person who did the start event in the observed weeks:
/// their cohort week (`toStartOfWeek(..., 1)` is the Monday of the week of their first start
/// event) and the distinct Mondays of the weeks in which they did the return event. The middle
/// query turns those Mondays into whole-week offsets from the cohort week (`age('week', ...)`
/// between two Mondays is exact), keeps offsets 1 and later, adds offset 0 for everyone, and
/// unrolls that list into one row per (person, offset), each offset at most once per person.
/// The outer query counts people per (cohort week, offset): offset 0 is the cohort size, offset
/// k the people retained k weeks later.
pub fn retention_query(spec: &RetentionSpec) -> Result<String, PostHogError> {
    spec.validate()?;
    let start = event_literal("retention", "the start event", &spec.start_event)?;
    let back = event_literal("retention", "the return event", &spec.return_event)?;
    let first = spec.first_week().unwrap_or(spec.to);
    let end = spec.to.succ_opt().unwrap_or(spec.to);
    Ok(format!(
        "SELECT cohort_week, week_offset, count() AS persons\n\
         FROM (\n    \
             SELECT cohort_week,\n        \
                 arrayJoin(arrayConcat([0], arrayFilter(o -> o >= 1, \
                 arrayMap(w -> age('week', cohort_week, w), return_weeks)))) AS week_offset\n    \
             FROM (\n        \
                 SELECT person_id,\n            \
                     toStartOfWeek(minIf(timestamp, event = {start}), 1) AS cohort_week,\n            \
                     groupUniqArrayIf(toStartOfWeek(timestamp, 1), event = {back}) AS return_weeks\n        \
                 FROM events\n        \
                 WHERE event IN ({start}, {back})\n            \
                     AND timestamp >= {from}\n            \
                     AND timestamp < {end}\n        \
                 GROUP BY person_id\n        \
                 HAVING countIf(event = {start}) > 0\n    \
             )\n\
         )\n\
         GROUP BY cohort_week, week_offset\n\
         ORDER BY cohort_week, week_offset\n\
         LIMIT 5000",
        from = day_start(first),
        end = day_start(end),
    ))
}

/// Turns the `(cohort_week, week_offset, persons)` rows of [`retention_query`] into cohorts with
/// sizes, retained counts and rates.
pub fn retention_from_rows(
    spec: &RetentionSpec,
    result: &QueryResult,
) -> Result<CohortRetention, PostHogError> {
    let bad = |reason: String| PostHogError::Response {
        purpose: "the retention query".to_string(),
        reason,
    };
    let first = spec
        .first_week()
        .ok_or_else(|| bad("the spec's dates are out of range".to_string()))?;
    let weeks = spec.weeks as usize;
    let column = |name: &str, fallback: usize| {
        result
            .column(name, fallback)
            .ok_or_else(|| bad(format!("it has no `{name}` column")))
    };
    let (week_at, offset_at, persons_at) = (
        column("cohort_week", 0)?,
        column("week_offset", 1)?,
        column("persons", 2)?,
    );
    // retained[i][k]: cohort i (0 = oldest) at offset k; cohort i is observable for weeks - i offsets
    let mut retained: Vec<Vec<u64>> = (0..weeks).map(|i| vec![0; weeks - i]).collect();
    for row in &result.rows {
        let week = row
            .get(week_at)
            .and_then(|v| v.as_str())
            .and_then(|s| s.get(..10))
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .ok_or_else(|| bad("a row has no `cohort_week` date".to_string()))?;
        let offset = row
            .get(offset_at)
            .and_then(count_of)
            .ok_or_else(|| bad("a row has no whole-number `week_offset`".to_string()))?;
        let persons = row
            .get(persons_at)
            .and_then(count_of)
            .ok_or_else(|| bad("a row has no whole-number `persons`".to_string()))?;
        let days = (week - first).num_days();
        let cohort = usize::try_from(days / 7)
            .ok()
            .filter(|&i| days % 7 == 0 && i < weeks)
            .ok_or_else(|| {
                bad(format!(
                    "cohort week {week} is not one of the {weeks} weeks from {first}"
                ))
            })?;
        let cell = usize::try_from(offset)
            .ok()
            .and_then(|k| retained[cohort].get_mut(k))
            .ok_or_else(|| {
                bad(format!(
                    "cohort week {week} has offset {offset}, which is not observable yet"
                ))
            })?;
        *cell = cell.saturating_add(persons);
    }
    let cohorts = retained
        .into_iter()
        .enumerate()
        .map(|(i, retained)| {
            let size = retained.first().copied().unwrap_or(0);
            Cohort {
                week_start: first
                    .checked_add_days(Days::new(7 * i as u64))
                    .unwrap_or(first),
                size,
                rates: retained.iter().map(|&r| ratio(r, size)).collect(),
                retained,
            }
        })
        .collect();
    Ok(CohortRetention {
        start_event: spec.start_event.clone(),
        return_event: spec.return_event.clone(),
        weeks: spec.weeks,
        to: spec.to,
        cohorts,
    })
}

/// Pulls the weekly cohort retention `spec` describes.
pub async fn retention(
    client: &PostHogClient,
    spec: &RetentionSpec,
) -> Result<CohortRetention, PostHogError> {
    let query = retention_query(spec)?;
    let result = client.query("the retention query", &query).await?;
    retention_from_rows(spec, &result)
}
