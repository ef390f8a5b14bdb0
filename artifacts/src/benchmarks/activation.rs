//! Activation benchmarks: the Lenny Rachitsky and Yuriy Timen survey, PostHog's default funnel
//! window, and the constants of the two-proportion sample size formula, each with its source.

/// Lenny Rachitsky and Yuriy Timen's activation survey.
pub const LENNY_ACTIVATION: &str = "Lenny Rachitsky and Yuriy Timen, activation rate survey (Lenny's Newsletter): SaaS average 36%, median 30%";
/// Average activation rate across the surveyed SaaS products.
pub const AVERAGE_ACTIVATION: f64 = 0.36;
/// Median activation rate across the surveyed SaaS products.
pub const MEDIAN_ACTIVATION: f64 = 0.30;

/// PostHog's funnel documentation, for the default conversion window.
pub const POSTHOG_FUNNELS: &str =
    "PostHog docs, Funnels: ordered steps within a conversion window, 14 days by default";
/// PostHog's default funnel conversion window, in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 14;

/// The sample size formula used for experiments.
pub const TWO_PROPORTION: &str = "Fleiss, Statistical Methods for Rates and Proportions: sample size per arm for a two-sided two-proportion z-test";
/// z for a two-sided test at alpha = 0.05 (the 97.5th normal percentile).
pub const Z_ALPHA_05_TWO_SIDED: f64 = 1.959_963_984_540_054;
/// z for a power of 0.8 (the 80th normal percentile).
pub const Z_POWER_80: f64 = 0.841_621_233_572_914_3;
