//! The `board_prep` kind (not generated yet).

use super::{KindInput, KindOutput};
use crate::error::ArtifactError;
use crate::model::Kind;

/// Generates this kind's content.
pub fn generate(_input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    Err(ArtifactError::KindNotAvailable(Kind::ALL[0].as_str()))
}

/// Renders this kind's sections as Markdown.
pub fn render_markdown(_content: &serde_json::Value) -> Result<String, ArtifactError> {
    Err(ArtifactError::KindNotAvailable(Kind::ALL[0].as_str()))
}
