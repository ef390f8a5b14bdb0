//! Delivery benchmarks: the DORA four keys with their elite/high/medium/low bands (State of DevOps
//! reports 2021–2023), LinearB's cycle-time benchmarks, and the planning assumptions that size
//! targets to a team until GitHub and CI data replace them.
//!
//! The reports moved their cluster boundaries from year to year (2022 had no elite cluster), so
//! each band cites the report its wording comes from.

use serde::Serialize;

/// Google Cloud DORA, Accelerate State of DevOps Report 2021.
pub const SOD_2021: &str = "DORA, Accelerate State of DevOps Report 2021 (Google Cloud)";
/// Google Cloud DORA, Accelerate State of DevOps Report 2022.
pub const SOD_2022: &str = "DORA, Accelerate State of DevOps Report 2022 (Google Cloud)";
/// Google Cloud DORA, Accelerate State of DevOps Report 2023.
pub const SOD_2023: &str = "DORA, Accelerate State of DevOps Report 2023 (Google Cloud)";
/// LinearB's community benchmarks, from 1,971 teams and 847k branches.
pub const LINEARB: &str =
    "LinearB, Engineering Metrics Benchmarks (1,971 dev teams, 847k branches)";
/// Little's law, which ties work in progress, throughput and cycle time together.
pub const LITTLE: &str =
    "Little's law (J. D. C. Little, 1961): average WIP = throughput x average cycle time";

/// A DORA performance band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// The best cluster.
    Elite,
    /// Second best.
    High,
    /// Third.
    Medium,
    /// The slowest cluster.
    Low,
}

impl Band {
    /// Every band, best first.
    pub const ALL: [Band; 4] = [Band::Elite, Band::High, Band::Medium, Band::Low];

    /// The wire name, e.g. `elite`.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Elite => "elite",
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
        }
    }

    /// A human label, e.g. `Elite`.
    pub fn label(self) -> &'static str {
        match self {
            Band::Elite => "Elite",
            Band::High => "High",
            Band::Medium => "Medium",
            Band::Low => "Low",
        }
    }

    /// The next band down (low stays low).
    pub fn below(self) -> Band {
        match self {
            Band::Elite => Band::High,
            Band::High => Band::Medium,
            Band::Medium | Band::Low => Band::Low,
        }
    }

    fn index(self) -> usize {
        match self {
            Band::Elite => 0,
            Band::High => 1,
            Band::Medium => 2,
            Band::Low => 3,
        }
    }
}

/// One of the four keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// How often code reaches production.
    DeploymentFrequency,
    /// Commit to running in production.
    LeadTime,
    /// Share of deploys that need a fix, rollback or patch.
    ChangeFailureRate,
    /// How long until service is restored after a failed change or incident.
    TimeToRestore,
}

impl Key {
    /// The four keys in DORA's order.
    pub const ALL: [Key; 4] = [
        Key::DeploymentFrequency,
        Key::LeadTime,
        Key::ChangeFailureRate,
        Key::TimeToRestore,
    ];

    /// A human name.
    pub fn label(self) -> &'static str {
        match self {
            Key::DeploymentFrequency => "Deployment frequency",
            Key::LeadTime => "Lead time for changes",
            Key::ChangeFailureRate => "Change failure rate",
            Key::TimeToRestore => "Time to restore service",
        }
    }
}

/// A band's figure for one key, with the report it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandFigure {
    /// The report's wording.
    pub value: &'static str,
    /// The citation.
    pub source: &'static str,
}

const fn fig(value: &'static str, source: &'static str) -> BandFigure {
    BandFigure { value, source }
}

const DEPLOY: [BandFigure; 4] = [
    fig("On demand, several deploys a day", SOD_2021),
    fig("Between once a day and once a week", SOD_2023),
    fig("Between once a week and once a month", SOD_2022),
    fig(
        "Fewer than once every six months",
        "DORA, Accelerate State of DevOps Report 2021 (Google Cloud); the 2022 low cluster deployed between once a month and once every six months",
    ),
];
const LEAD: [BandFigure; 4] = [
    fig("Less than one day", SOD_2023),
    fig("Between one day and one week", SOD_2021),
    fig("Between one week and one month", SOD_2022),
    fig(
        "More than six months",
        "DORA, Accelerate State of DevOps Report 2021 (Google Cloud); the 2022 low cluster took between one and six months",
    ),
];
const FAILURE: [BandFigure; 4] = [
    fig("0-15%", SOD_2021),
    fig("16-30%", SOD_2021),
    fig("16-30%", SOD_2022),
    fig("46-60%", SOD_2022),
];
const RESTORE: [BandFigure; 4] = [
    fig("Less than one hour", SOD_2021),
    fig("Less than one day", SOD_2021),
    fig("Between one day and one week", SOD_2021),
    fig("More than six months", SOD_2021),
];

/// The figure of `band` for `key`.
pub fn band_figure(key: Key, band: Band) -> BandFigure {
    let table = match key {
        Key::DeploymentFrequency => &DEPLOY,
        Key::LeadTime => &LEAD,
        Key::ChangeFailureRate => &FAILURE,
        Key::TimeToRestore => &RESTORE,
    };
    table[band.index()]
}

/// Fewest deploys a week that still count as the band: elite deploys at least every working day
/// (on demand), high at least weekly, medium at least monthly (52/12 weeks a month).
pub fn min_deploys_per_week(band: Band) -> f64 {
    match band {
        Band::Elite => 5.0,
        Band::High => 1.0,
        Band::Medium => 12.0 / 52.0,
        Band::Low => 0.0,
    }
}

/// Longest lead time in hours that still counts as the band (low has no ceiling: 6 months).
pub fn max_lead_time_hours(band: Band) -> f64 {
    match band {
        Band::Elite => 24.0,
        Band::High => 168.0,
        Band::Medium => 720.0,
        Band::Low => 4_380.0,
    }
}

/// Longest time to restore in hours that still counts as the band.
pub fn max_restore_hours(band: Band) -> f64 {
    match band {
        Band::Elite => 1.0,
        Band::High => 24.0,
        Band::Medium => 168.0,
        Band::Low => 4_380.0,
    }
}

/// The top of the elite change failure rate band, the line every alert holds to.
pub const ELITE_MAX_CHANGE_FAILURE_RATE: f64 = 0.15;

/// The DORA band a deploy rate falls in.
pub fn deploy_band(per_week: f64) -> Band {
    Band::ALL
        .into_iter()
        .find(|b| per_week >= min_deploys_per_week(*b))
        .unwrap_or(Band::Low)
}

/// LinearB's two best tiers for a cycle-time phase, in hours (elite below, strong up to).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseBenchmark {
    /// The phase, e.g. `Pickup time`.
    pub phase: &'static str,
    /// What it measures.
    pub definition: &'static str,
    /// Elite: below this many hours.
    pub elite_hours: f64,
    /// Strong: up to this many hours.
    pub strong_hours: f64,
}

/// Cycle time and its four phases (LinearB).
pub const CYCLE_PHASES: [PhaseBenchmark; 4] = [
    PhaseBenchmark {
        phase: "Coding time",
        definition: "first commit to pull request opened",
        elite_hours: 12.0,
        strong_hours: 24.0,
    },
    PhaseBenchmark {
        phase: "Pickup time",
        definition: "pull request opened to first review",
        elite_hours: 7.0,
        strong_hours: 12.0,
    },
    PhaseBenchmark {
        phase: "Review time",
        definition: "first review to merge",
        elite_hours: 6.0,
        strong_hours: 13.0,
    },
    PhaseBenchmark {
        phase: "Deploy time",
        definition: "merge to running in production",
        elite_hours: 4.0,
        strong_hours: 48.0,
    },
];
/// Whole cycle time (LinearB): elite under 48 hours, strong 49-118.
pub const CYCLE_TIME_HOURS: (f64, f64) = (48.0, 118.0);
/// Pull request size in changed lines (LinearB): elite under 225, strong 225-400.
pub const PR_SIZE_LINES: (f64, f64) = (225.0, 400.0);
/// Planning accuracy (LinearB): elite above 80%, strong 65-79%.
pub const PLANNING_ACCURACY: (f64, f64) = (0.80, 0.65);

/// Planning assumption until GitHub data replaces it: merged pull requests per engineer a week.
pub const ASSUMED_PRS_PER_ENGINEER_WEEK: f64 = 3.0;
/// Planning assumption: the share of sprint capacity to commit, keeping the rest for unplanned work.
pub const PLANNED_CAPACITY_SHARE: f64 = 0.8;
/// Planning assumption: sprint length in working days (two weeks).
pub const SPRINT_WORKING_DAYS: u32 = 10;
