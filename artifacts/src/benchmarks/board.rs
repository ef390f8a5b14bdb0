//! Board-pack practice and operating-cadence figures, each next to the citation it must be shown
//! with. The growth medians (ChartMogul), YC weekly growth and T2D3 live in `growth.rs`.

// Board practice.

/// Where the board-pack contents and timing come from.
pub const BOARD_PACK: &str = "Sequoia Capital board-deck template; Brad Feld and Mahendra Ramsinghani, Startup Boards (2013); Elad Gil, High Growth Handbook (2018): CEO update, financials, KPIs vs plan and prior period, product, team, asks; pack sent 48-72 h ahead in the same format every meeting; quarterly meetings";
/// The earliest the pack should land before the meeting, in hours.
pub const PACK_LEAD_HOURS_MIN: f64 = 48.0;
/// The lead the standard timeline aims for, in hours.
pub const PACK_LEAD_HOURS_MAX: f64 = 72.0;
/// Board meetings a year once a company has a formal board.
pub const MEETINGS_PER_YEAR: f64 = 4.0;
/// Brad Feld's ideal board meeting fits in three hours.
pub const FELD_IDEAL_MEETING: &str = "Brad Feld, \"My Ideal Board Meeting\" (feld.com, 2013): the whole meeting fits in three hours; the pack is read in advance, so the meeting is for discussion";
/// Feld's upper bound on a board meeting, in minutes.
pub const FELD_MEETING_MINUTES: f64 = 180.0;

// Stage benchmarks for the KPIs a board reads.

/// David Sacks's burn multiple bands.
pub const SACKS_BURN_MULTIPLE: &str = "David Sacks, \"The Burn Multiple\" (Craft Ventures, 2020): net burn / net new ARR; under 1x amazing, 1-1.5x great, 1.5-2x good, 2-3x suspect, over 3x bad";
/// Upper bound of Sacks's "great" band.
pub const BURN_MULTIPLE_GREAT: f64 = 1.5;
/// Upper bound of Sacks's "good" band: above it the multiple is "suspect".
pub const BURN_MULTIPLE_GOOD: f64 = 2.0;
/// Upper bound of Sacks's "amazing" band.
pub const BURN_MULTIPLE_AMAZING: f64 = 1.0;
/// The Rule of 40.
pub const RULE_OF_40: &str = "Brad Feld, \"The Rule of 40% for a Healthy SaaS Company\" (2015): revenue growth rate + profit margin should be at least 40%";
/// The Rule of 40 threshold.
pub const RULE_OF_40_VALUE: f64 = 0.40;
/// Activation survey.
pub const ACTIVATION: &str =
    "Lenny Rachitsky and Yuriy Timen, activation survey: SaaS average 36%, median 30%";
/// Average activation rate.
pub const ACTIVATION_AVERAGE: f64 = 0.36;
/// Median activation rate.
pub const ACTIVATION_MEDIAN: f64 = 0.30;
/// Bessemer retention bands by segment.
pub const BESSEMER_RETENTION: &str = "Bessemer Venture Partners, State of the Cloud 2019: SMB GRR 70-80% and NRR 80-100%; mid-market GRR 80-90% and NRR 90-120%; enterprise GRR above 90% and NRR above 100%";
/// Mid-market NRR band (low, high).
pub const NRR_MID_MARKET: (f64, f64) = (0.90, 1.20);
/// Enterprise NRR floor.
pub const NRR_ENTERPRISE_FLOOR: f64 = 1.00;
/// Enterprise GRR floor.
pub const GRR_ENTERPRISE_FLOOR: f64 = 0.90;
/// SaaS Capital retention medians.
pub const SAAS_CAPITAL_NRR: &str =
    "SaaS Capital, 2023 retention benchmarks: median NRR 100-110%, GRR 90-93% by ACV";
/// SaaS Capital median NRR band (low, high).
pub const NRR_MEDIAN: (f64, f64) = (1.00, 1.10);
/// Sean Ellis's product-market-fit survey.
pub const SEAN_ELLIS_PMF: &str = "Sean Ellis, product-market-fit survey: at least 40% of active users \"very disappointed\" without the product signals product-market fit";
/// The share of "very disappointed" users that signals fit.
pub const SEAN_ELLIS_THRESHOLD: f64 = 0.40;
/// DORA delivery bands.
pub const DORA: &str = "DORA, State of DevOps reports 2021-2023: elite teams deploy on demand (several a day), lead time under a day, change failure rate 0-15%";
/// Top of the elite change failure band.
pub const DORA_ELITE_CHANGE_FAILURE: f64 = 0.15;

// Operating cadence.

/// EOS: the weekly leadership meeting, the scorecard and quarterly priorities.
pub const EOS_TRACTION: &str = "Gino Wickman, Traction (EOS, 2007): a weekly 90-minute Level 10 leadership meeting, same day and time, mostly spent solving issues; a scorecard of 5-15 weekly measurables, each with one owner; quarterly priorities (Rocks); a full-day quarterly and a two-day annual planning session";
/// Length of the EOS Level 10 meeting, in minutes.
pub const L10_MINUTES: u32 = 90;
/// Fewest weekly measurables on an EOS scorecard.
pub const SCORECARD_MIN: usize = 5;
/// Most weekly measurables on an EOS scorecard.
pub const SCORECARD_MAX: usize = 15;
/// EOS quarterly planning session, in minutes (one full day).
pub const EOS_QUARTERLY_MINUTES: u32 = 480;
/// EOS annual planning session, in minutes (two full days).
pub const EOS_ANNUAL_MINUTES: u32 = 960;
/// OKR practice.
pub const DOERR_OKRS: &str = "John Doerr, Measure What Matters (2018): three to five objectives a quarter, each with at most five measurable key results; 0.7 on a stretch key result counts as success (Google grading)";
/// Most objectives a quarter.
pub const OKR_MAX_OBJECTIVES: usize = 5;
/// Most key results per objective.
pub const OKR_MAX_KEY_RESULTS: usize = 5;
/// Score on a stretch key result that counts as success.
pub const OKR_SUCCESS_SCORE: f64 = 0.7;
/// One-on-ones.
pub const GROVE_ONE_ON_ONE: &str = "Andy Grove, High Output Management (1983): one-on-ones are the report's meeting and last at least an hour, held more often for less experienced reports";
/// Length of a one-on-one, in minutes.
pub const ONE_ON_ONE_MINUTES: u32 = 60;
/// Why recurring meetings get a cap.
pub const MAKERS_SCHEDULE: &str = "Paul Graham, \"Maker's Schedule, Manager's Schedule\" (2009): one meeting can break a maker's half day, so makers need long unbroken blocks";

// The bands must stay ordered; checked when the crate compiles.
const _: () = {
    assert!(PACK_LEAD_HOURS_MIN < PACK_LEAD_HOURS_MAX);
    assert!(BURN_MULTIPLE_AMAZING < BURN_MULTIPLE_GREAT);
    assert!(BURN_MULTIPLE_GREAT < BURN_MULTIPLE_GOOD);
    assert!(ACTIVATION_MEDIAN < ACTIVATION_AVERAGE);
    assert!(NRR_MID_MARKET.0 < NRR_MID_MARKET.1 && NRR_MEDIAN.0 < NRR_MEDIAN.1);
    assert!(SCORECARD_MIN < SCORECARD_MAX);
};
