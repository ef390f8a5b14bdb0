//! Errors of prompt understanding and generation.

use thiserror::Error;

/// Everything that can go wrong turning a prompt into an artifact.
#[derive(Debug, Error, PartialEq)]
pub enum ArtifactError {
    /// The prompt is empty or only whitespace.
    #[error(
        "the prompt is empty: describe what you need, e.g. \"Track our path to $100k MRR by end of year\""
    )]
    EmptyPrompt,
    /// The prompt is longer than we accept.
    #[error("the prompt is {len} characters long; the limit is {max}")]
    PromptTooLong {
        /// Length of the prompt in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// No kind fits the prompt.
    #[error("{0}")]
    NoKindFits(String),
    /// A `kind` string that is not one of the seven.
    #[error(
        "unknown kind \"{0}\"; the kinds are mrr_tracker, retention_analysis, board_prep, activation_funnel, product_velocity, customer_feedback, operating_system"
    )]
    UnknownKind(String),
    /// A `stage` string that is not one of the five.
    #[error(
        "unknown stage \"{0}\"; the stages are pre-launch, early-revenue, seed, series-a, series-b-plus"
    )]
    UnknownStage(String),
    /// A `goal` string that is not one of the seven.
    #[error(
        "unknown goal \"{0}\"; the goals are find-pmf, grow-revenue, improve-retention, ship-faster, raise-funding, reduce-chaos, other"
    )]
    UnknownGoal(String),
    /// The kind exists but has no generator yet.
    #[error("the {0} kind is not available yet")]
    KindNotAvailable(&'static str),
    /// Stored content could not be read back as this kind's content.
    #[error("the stored {kind} content is not valid: {reason}")]
    InvalidContent {
        /// The kind whose content failed to parse.
        kind: &'static str,
        /// Why.
        reason: String,
    },
}
