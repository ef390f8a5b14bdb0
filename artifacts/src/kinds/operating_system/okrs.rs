//! The quarter's OKRs: two or three objectives from the goal, the challenge and the stage, each
//! with measurable key results.
//!
//! The quarter is today's; when fewer than [`MIN_DAYS_LEFT`] days remain, the plan is for the
//! next quarter. Objectives: the goal's (or the stage's usual focus when no goal is set), then
//! the challenge's (or the stage's next focus), then running the operating rhythm itself. Teams
//! of three or fewer get two objectives: three would give every person their own.

use chrono::{Datelike, NaiveDate};

use super::growth::GrowthPlan;
use super::objectives::{challenge_objective, objective};
use super::{Objective, Okrs};
use crate::kinds::board_prep::plan::{next_quarter, quarter_end, quarter_of, quarter_start};
use crate::model::{Goal, Stage};

/// Fewer days left than this in the quarter and the plan is for the next one.
pub const MIN_DAYS_LEFT: i64 = 30;
/// First investor meetings a week while raising (cosos default).
pub const INVESTOR_MEETINGS_PER_WEEK: f64 = 6.0;
/// Days into the quarter by which one-off key results (root cause, data room) are due.
pub const EARLY_DUE_DAYS: i64 = 14;

/// The OKR quarter without objectives.
pub fn quarter(today: NaiveDate) -> Okrs {
    let (y, q) = (today.year(), quarter_of(today));
    let end = quarter_end(y, q);
    let left = (end - today).num_days();
    let (label, start, end, next) = if left < MIN_DAYS_LEFT {
        let (ny, nq) = next_quarter(y, q);
        (
            format!("Q{nq} {ny}"),
            quarter_start(ny, nq),
            quarter_end(ny, nq),
            true,
        )
    } else {
        (format!("Q{q} {y}"), today, end, false)
    };
    let days = (end - start).num_days();
    Okrs {
        quarter: label,
        start,
        end,
        days,
        weeks: (days as f64 / 7.0).ceil().max(1.0) as u32,
        next_quarter: next,
        objectives: Vec::new(),
    }
}

/// What the objectives are built from.
pub struct OkrInput<'a> {
    /// Today.
    pub today: NaiveDate,
    /// Stage.
    pub stage: Stage,
    /// Goal, if set.
    pub goal: Option<Goal>,
    /// The challenge, on one line.
    pub challenge: Option<String>,
    /// Team size.
    pub size: u32,
    /// Revenue growth plan.
    pub growth: &'a GrowthPlan,
    /// Rates stated in the prompt, as fractions.
    pub rates: &'a [f64],
    /// Name of the weekly meeting everyone's numbers go to.
    pub weekly_meeting: String,
    /// Scorecard length.
    pub scorecard_len: usize,
    /// Whether the founder has too many tools.
    pub tools: bool,
}

/// The stage's usual focus, in order.
fn stage_goals(stage: Stage) -> [Goal; 3] {
    match stage {
        Stage::PreLaunch => [Goal::FindPmf, Goal::ShipFaster, Goal::GrowRevenue],
        _ => [Goal::GrowRevenue, Goal::ImproveRetention, Goal::ShipFaster],
    }
}

/// The objectives for `q`.
pub fn objectives(input: &OkrInput<'_>, q: &Okrs) -> Vec<Objective> {
    let primary = match input.goal {
        Some(Goal::Other) | None => stage_goals(input.stage)[0],
        Some(g) => g,
    };
    let mut used = vec![primary];
    let mut out = vec![objective(primary, input, q)];
    let next_free = |used: &[Goal]| {
        stage_goals(input.stage)
            .into_iter()
            .find(|g| !used.contains(g))
            .unwrap_or(Goal::ShipFaster)
    };
    match &input.challenge {
        Some(c) => out.push(challenge_objective(c, input, q)),
        None => {
            let g = next_free(&used);
            used.push(g);
            out.push(objective(g, input, q));
        }
    }
    if input.size > 3 {
        let g = if primary == Goal::ReduceChaos {
            next_free(&used)
        } else {
            Goal::ReduceChaos
        };
        out.push(objective(g, input, q));
    }
    out.truncate(3);
    out
}
