//! Customer feedback analyzer: sources, a theme taxonomy scored by frequency x severity, NPS
//! arithmetic (what a score means, its margin of error, conversions needed to gain points), and
//! sample-size guidance.

/// NPS arithmetic: mixes, standard error, margins, conversions.
pub mod nps;
mod plan;
mod render;
#[cfg(test)]
mod tests;
mod text;

use chrono::Duration;
use serde::{Deserialize, Serialize};

pub use super::research::{Experiment, Hypothesis};
use super::sections::{AlertRule, Monitor, NextAction};
use super::{KindInput, KindOutput, to_value, typed};
use crate::benchmarks::feedback as fb;
use crate::error::ArtifactError;
use crate::model::{Kind, Stage};
use nps::Mix;

/// Customer feedback content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerFeedback {
    /// Where the feedback comes from.
    pub sources: Vec<FeedbackSource>,
    /// The NPS and what it means.
    pub nps: NpsAnalysis,
    /// The theme taxonomy, most relevant first.
    pub themes: Vec<Theme>,
    /// How themes are prioritised.
    pub scoring: Scoring,
    /// How many answers are enough.
    pub sample: SampleGuidance,
    /// Benchmarks and methods, each with its source.
    pub benchmarks: Vec<Benchmark>,
    /// What may be behind the feedback, each with what would confirm it.
    pub hypotheses: Vec<Hypothesis>,
    /// Dated experiments.
    pub experiments: Vec<Experiment>,
    /// Every assumption behind the numbers.
    pub assumptions: Vec<String>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next.
    pub next_actions: Vec<NextAction>,
}

/// A feedback source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackSource {
    /// The source.
    pub name: String,
    /// Named in the prompt, or suggested.
    pub from_prompt: bool,
    /// What to pull from it and how.
    pub pull: String,
}

/// NPS, where it comes from, and its arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsAnalysis {
    /// The score in points.
    pub score: f64,
    /// `prompt` or `stage-estimate`.
    pub source: String,
    /// The earlier score the prompt compares with.
    pub previous: Option<f64>,
    /// Score minus previous, in points.
    pub change: Option<f64>,
    /// Answers behind the score.
    pub sample_size: u32,
    /// `prompt` or `stage-estimate`.
    pub sample_source: String,
    /// The stage the estimates come from, e.g. `seed`.
    pub stage: String,
    /// Promoters minus detractors in the sample, in answers.
    pub net_promoters: i64,
    /// The mix assumed for the margins (30% passives).
    pub assumed_mix: Mix,
    /// Other mixes that give the same score.
    pub consistent_mixes: Vec<Mix>,
    /// Standard error in points.
    pub standard_error: f64,
    /// 95% margin of error in points.
    pub margin_of_error: f64,
    /// Low end of the 95% interval.
    pub low: f64,
    /// High end of the 95% interval.
    pub high: f64,
    /// 95% margin of a change between two surveys of this size, in points.
    pub change_margin: f64,
    /// Whether the stated change is larger than that margin.
    pub change_is_real: Option<bool>,
    /// Detractors in the sample at the assumed mix.
    pub detractors_in_sample: u32,
    /// Points to gain in the next round.
    pub gain_points: f64,
    /// NPS points one detractor turning passive adds (100 / n).
    pub points_per_conversion: f64,
    /// Detractors to turn into passives for the gain.
    pub detractors_to_passives: u32,
    /// Detractors to turn into promoters for the gain.
    pub detractors_to_promoters: u32,
}

/// A theme of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// Stable key, e.g. `bugs`.
    pub key: String,
    /// Name.
    pub name: String,
    /// What to tag with it.
    pub what_counts: String,
    /// Severity weight 1-5.
    pub severity: u8,
    /// Why that weight.
    pub severity_reason: String,
    /// The prompt names this theme.
    pub mentioned_in_prompt: bool,
    /// The founder's challenge names this theme.
    pub mentioned_in_challenge: bool,
    /// Share of items at which priority reaches the act-now score (0.5 / severity).
    pub act_now_share: f64,
    /// Mentions out of the sample that reach it.
    pub act_now_mentions: u32,
    /// 95% margin of that share at this sample size.
    pub act_now_margin: f64,
}

/// How themes are prioritised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    /// The formula.
    pub formula: String,
    /// The severity scale.
    pub severity_scale: Vec<String>,
    /// Score from which a theme is worked on this cycle.
    pub act_now_score: f64,
    /// Score from which a theme is watched.
    pub watch_score: f64,
    /// The formula applied to the first theme.
    pub worked_example: String,
}

/// How many answers are enough.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleGuidance {
    /// Feedback items to tag (tickets, answers, calls).
    pub items: u32,
    /// `prompt` or `stage-estimate`.
    pub items_source: String,
    /// Margin of a theme share of 50% (the widest) at this sample, as a fraction.
    pub theme_margin_at_half: f64,
    /// Answers for a NPS margin of 10 points.
    pub answers_for_nps_10: u32,
    /// Answers for a NPS margin of 5 points.
    pub answers_for_nps_5: u32,
    /// Answers for a theme-share margin of 5 points.
    pub answers_for_theme_5: u32,
    /// What that means for this sample.
    pub verdict: String,
}

/// A benchmark or method with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// The metric.
    pub metric: String,
    /// The figure.
    pub value: String,
    /// The citation.
    pub source: String,
}

/// Words that make the prompt's sample size a count of survey answers.
const SURVEY_WORDS: [&str; 6] = [
    "nps",
    "net promoter",
    "survey",
    "answers",
    "responses",
    "respondents",
];

/// NPS assumed per stage when the prompt gives none: early adopters score higher, and scores
/// drift down as the customer base broadens (a cosos planning estimate, not a benchmark).
pub fn stage_nps(stage: Option<Stage>) -> f64 {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch => 40.0,
        Stage::EarlyRevenue => 35.0,
        Stage::Seed => 30.0,
        Stage::SeriesA => 25.0,
        Stage::SeriesBPlus => 20.0,
    }
}

/// Survey answers assumed per stage: customers at the stage's MRR estimate and $100 ARPA, times
/// a 30% response rate; 20 beta users before launch.
pub fn stage_sample(stage: Option<Stage>) -> u32 {
    let customers = super::mrr_tracker::stage_estimate(stage) / crate::benchmarks::ASSUMED_ARPA;
    if customers <= 0.0 {
        return fb::PRE_LAUNCH_RESPONDENTS;
    }
    ((customers * fb::ASSUMED_RESPONSE_RATE).round() as u32).max(1)
}

/// Generates a customer feedback analysis.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let norm = crate::parse::normalize(input.prompt);
    let stage = input.context.stage.unwrap_or(Stage::EarlyRevenue);
    let stage_name = stage.label().to_lowercase();
    let mut assumptions = Vec::new();
    let (score, source) = match input.params.nps.filter(|v| (-100.0..=100.0).contains(v)) {
        Some(v) => (v, "prompt"),
        None => {
            let v = stage_nps(input.context.stage);
            assumptions.push(format!(
                "No NPS was given: {v} is a planning estimate for a company at the {stage_name} stage (early adopters score higher, and scores drift down as the customer base broadens); your first survey replaces it."
            ));
            (v, "stage-estimate")
        }
    };
    // "500 support tickets" sizes the themes, but only survey answers size the NPS margins.
    let survey = SURVEY_WORDS.iter().any(|w| norm.contains(w));
    let (n, sample_source) = match input.params.sample_size.filter(|_| survey) {
        Some(n) => (n, "prompt"),
        None => {
            let n = stage_sample(input.context.stage);
            assumptions.push(format!(
                "{n} survey answers is an estimate for the {stage_name} stage (customers at its MRR estimate and $100 ARPA, 30% of them answering); the NPS margins use it until your survey tool gives the real count."
            ));
            (n, "stage-estimate")
        }
    };
    let (items, items_source) = match input.params.sample_size {
        Some(i) => (i, "prompt"),
        None => (n, "stage-estimate"),
    };
    let mix = nps::assumed_mix(score);
    assumptions.push(format!(
        "Margins assume {}% passives, so {}% promoters and {}% detractors give NPS {}; the exact split from your survey tool replaces it.",
        pct(mix.passives),
        pct(mix.promoters),
        pct(mix.detractors),
        num(score)
    ));
    let previous = nps::previous_nps(&norm, score).filter(|_| source == "prompt");
    let se = nps::standard_error(mix, n);
    let moe = nps::margin_of_error(mix, n);
    let change_margin = nps::change_margin(mix, n);
    let change = previous.map(|p| score - p);
    let analysis = NpsAnalysis {
        score,
        source: source.to_string(),
        previous,
        change,
        sample_size: n,
        sample_source: sample_source.to_string(),
        stage: stage.as_str().to_string(),
        net_promoters: (score / 100.0 * f64::from(n)).round() as i64,
        assumed_mix: mix,
        consistent_mixes: nps::consistent_mixes(score),
        standard_error: round2(se),
        margin_of_error: round2(moe),
        low: round2((score - moe).max(-100.0)),
        high: round2((score + moe).min(100.0)),
        change_margin: round2(change_margin),
        change_is_real: change.map(|c| c.abs() > change_margin),
        detractors_in_sample: nps::counts(mix, n)[2],
        gain_points: fb::TARGET_GAIN_POINTS,
        points_per_conversion: round2(100.0 / f64::from(n.max(1))),
        detractors_to_passives: nps::detractors_to_passives(fb::TARGET_GAIN_POINTS, n),
        detractors_to_promoters: nps::detractors_to_promoters(fb::TARGET_GAIN_POINTS, n),
    };
    let challenge = input
        .context
        .challenge
        .as_deref()
        .map(crate::parse::normalize)
        .unwrap_or_default();
    let themes = text::themes(&norm, &challenge, input.context.goal, items);
    let answers_for_nps_10 = nps::answers_for_nps_margin(mix, 10.0);
    let sample = SampleGuidance {
        items,
        items_source: items_source.to_string(),
        theme_margin_at_half: round4(nps::share_margin(0.5, items)),
        answers_for_nps_10,
        answers_for_nps_5: nps::answers_for_nps_margin(mix, 5.0),
        answers_for_theme_5: nps::answers_for_share_margin(0.05),
        verdict: text::sample_verdict(n, moe, answers_for_nps_10),
    };
    let monday = crate::kinds::product_velocity::plan::next_monday(input.today);
    let ctx = text::Ctx {
        input,
        text: &norm,
        nps: &analysis,
        themes: &themes,
        sample: &sample,
        monday,
        friday: monday + Duration::days(4),
    };
    let sources = text::sources(&norm);
    let content = CustomerFeedback {
        scoring: text::scoring(&themes, items),
        benchmarks: text::benchmarks(input.context.stage),
        hypotheses: plan::hypotheses(&ctx),
        experiments: plan::experiments(&ctx),
        monitoring: plan::monitoring(&ctx, &sources),
        alerts: plan::alerts(&ctx),
        next_actions: plan::next_actions(&ctx, &sources),
        sources,
        nps: analysis.clone(),
        themes: themes.clone(),
        sample: sample.clone(),
        assumptions,
    };
    Ok(KindOutput {
        title: plan::title(&ctx, &content.sources),
        content: to_value(&content),
    })
}

/// A fraction as a whole-number percentage string with at most one decimal: 0.455 -> `45.5`.
pub(crate) fn pct(x: f64) -> String {
    num(x * 100.0)
}

/// A number with at most one decimal.
pub(crate) fn num(x: f64) -> String {
    crate::kinds::product_velocity::plan::num(x)
}

/// A number with at most two decimals, trailing zeros trimmed.
pub(crate) fn num2(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Joins `a`, `b` and `c` the way a sentence does.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Renders the customer feedback sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: CustomerFeedback = typed(Kind::CustomerFeedback, content)?;
    let stage = c.nps.stage.parse::<Stage>().ok();
    Ok(render::markdown(&c, stage))
}
