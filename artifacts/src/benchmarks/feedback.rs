//! Customer feedback benchmarks and the statistics behind reading NPS and theme shares: the NPS
//! definition (Reichheld/Bain), its standard error, the Sean Ellis PMF line, and the retention
//! medians that tie feedback to revenue at later stages.

/// The NPS definition and scale.
pub const NPS: &str = "Reichheld, \"The One Number You Need to Grow\", Harvard Business Review (2003); Bain & Company: NPS = % promoters (9-10) - % detractors (0-6), from -100 to 100";
/// Promoters answer 9 or 10.
pub const PROMOTER_MIN_SCORE: u8 = 9;
/// Detractors answer 0 to 6.
pub const DETRACTOR_MAX_SCORE: u8 = 6;
/// Where the NPS standard error comes from.
pub const NPS_VARIANCE: &str = "Variance of a difference of two shares of one multinomial sample: Var(P - D) = [p(1 - p) + d(1 - d) + 2pd] / n = [p + d - (p - d)^2] / n";
/// Where the margin of error of a share comes from.
pub const WALD: &str =
    "Normal (Wald) interval for a proportion: margin = 1.96 x sqrt(s(1 - s) / n) at 95% confidence";
/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.96;

/// The Sean Ellis product-market fit line.
pub const SEAN_ELLIS: &str = "Sean Ellis PMF survey, as used by Superhuman (First Round Review, 2018): 40% or more \"very disappointed\" without the product signals product-market fit";
/// Share of "very disappointed" answers that signals product-market fit.
pub const PMF_VERY_DISAPPOINTED: f64 = 0.40;
/// SaaS Capital's retention medians.
pub const SAAS_CAPITAL: &str =
    "SaaS Capital, 2023 retention benchmarks: median GRR 90-93%, NRR 100-110% by ACV";
/// Median gross revenue retention, low end of SaaS Capital's range.
pub const MEDIAN_GRR_LOW: f64 = 0.90;
/// Bessemer's retention ranges by segment.
pub const BESSEMER: &str = "Bessemer, State of the Cloud 2019: SMB GRR 70-80%, mid-market GRR 80-90%, enterprise GRR above 90%";

/// Planning assumption: share of passives (7-8) when only the score is known.
pub const ASSUMED_PASSIVES: f64 = 0.30;
/// Planning assumption: share of customers who answer a survey.
pub const ASSUMED_RESPONSE_RATE: f64 = 0.30;
/// Planning assumption: beta users asked before launch.
pub const PRE_LAUNCH_RESPONDENTS: u32 = 20;
/// A theme's priority (share x severity) from which it is worked on this cycle.
pub const ACT_NOW_SCORE: f64 = 0.5;
/// NPS points a first round of fixes and follow-ups should win back.
pub const TARGET_GAIN_POINTS: f64 = 10.0;
