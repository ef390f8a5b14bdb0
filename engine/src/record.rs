//! The JSON shapes of the contract (DESIGN section 6): artifact, list row and workspace info.

use chrono::{DateTime, SecondsFormat, Utc};
use cosos_artifacts::render::live::with_live_data;
use cosos_artifacts::render::{ArtifactView, markdown};
use serde::{Deserialize, Serialize};

use crate::schema::{ArtifactDoc, IndexEntry};

/// An artifact as `show --json` and the API print it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactRecord {
    /// Document id.
    pub id: String,
    /// `automerge:<id>`.
    pub url: String,
    /// Slug, fixed at creation.
    pub slug: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Prompt.
    pub prompt: String,
    /// Stage, goal, challenge.
    pub context: ContextRecord,
    /// Parameters.
    pub params: serde_json::Value,
    /// Content.
    pub content: serde_json::Value,
    /// Live data.
    pub data: serde_json::Value,
    /// Notes.
    pub notes: String,
    /// Archived flag.
    pub archived: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Generator info.
    pub generator: GeneratorRecord,
}

/// The context of an artifact record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContextRecord {
    /// Stage.
    pub stage: Option<String>,
    /// Goal.
    pub goal: Option<String>,
    /// Challenge.
    pub challenge: Option<String>,
}

/// The generator of an artifact record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratorRecord {
    /// `builtin` or `llm:<model>`.
    pub engine: String,
    /// Classifier confidence.
    pub confidence: f64,
    /// Close alternatives.
    pub alternatives: Vec<String>,
    /// Why LLM output was not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}

/// A row of `list --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactSummary {
    /// Document id.
    pub id: String,
    /// `automerge:<id>`.
    pub url: String,
    /// Slug.
    pub slug: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Archived flag.
    pub archived: bool,
    /// RFC 3339.
    pub updated_at: String,
}

/// `workspace --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceInfo {
    /// Workspace document id.
    pub id: String,
    /// `automerge:<id>`.
    pub url: String,
    /// Name.
    pub name: String,
    /// Number of artifacts, archived ones included.
    pub artifacts: usize,
}

/// `automerge:<id>`.
pub fn url_of(id: &str) -> String {
    format!("automerge:{id}")
}

/// Milliseconds since the epoch as RFC 3339 with millisecond precision.
pub fn rfc3339_ms(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl ArtifactRecord {
    /// The artifact as Markdown, as `cosos show --markdown` prints it.
    pub fn markdown(&self) -> Result<String, cosos_artifacts::ArtifactError> {
        let context = cosos_artifacts::Context {
            stage: self.context.stage.as_deref().and_then(|s| s.parse().ok()),
            goal: self.context.goal.as_deref().and_then(|s| s.parse().ok()),
            challenge: self.context.challenge.clone(),
        };
        markdown(&ArtifactView {
            kind: self.kind.parse()?,
            title: &self.title,
            prompt: &self.prompt,
            context: &context,
            content: &self.content,
            notes: &self.notes,
        })
    }

    /// [`Self::markdown`] with the live data before the notes, as the folder mirror writes it.
    pub fn markdown_with_live_data(&self) -> Result<String, cosos_artifacts::ArtifactError> {
        Ok(with_live_data(&self.markdown()?, &self.kind, &self.data))
    }

    /// Builds the record from a hydrated document and its index slug.
    pub fn from_doc(id: &str, slug: &str, doc: ArtifactDoc) -> ArtifactRecord {
        ArtifactRecord {
            id: id.to_string(),
            url: url_of(id),
            slug: slug.to_string(),
            kind: doc.kind,
            title: doc.title.as_str().to_string(),
            prompt: doc.prompt.as_str().to_string(),
            context: ContextRecord {
                stage: doc.context.stage,
                goal: doc.context.goal,
                challenge: doc.context.challenge.map(|t| t.as_str().to_string()),
            },
            params: doc.params.0,
            content: doc.content.0,
            data: doc.data.0,
            notes: doc.notes.as_str().to_string(),
            archived: doc.archived,
            created_at: rfc3339_ms(doc.created_at),
            updated_at: rfc3339_ms(doc.updated_at),
            generator: GeneratorRecord {
                engine: doc.generator.engine,
                confidence: doc.generator.confidence.0,
                alternatives: doc.generator.alternatives,
                fallback_reason: doc.generator.fallback_reason,
            },
        }
    }
}

impl ArtifactSummary {
    /// Builds a list row from an index entry.
    pub fn from_entry(id: &str, entry: &IndexEntry) -> ArtifactSummary {
        ArtifactSummary {
            id: id.to_string(),
            url: url_of(id),
            slug: entry.slug.clone(),
            kind: entry.kind.clone(),
            title: entry.title.clone(),
            archived: entry.archived.unwrap_or(false),
            updated_at: rfc3339_ms(entry.updated_at.unwrap_or(entry.created_at)),
        }
    }
}
