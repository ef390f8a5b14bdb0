//! What an export takes (the workspace's name and its artifacts, as plain values) and what it
//! reports. The artifact type mirrors the contract's artifact JSON field for field, so
//! `artifact.json` comes out exactly as `cosos show ID --json` prints it.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything a site is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// The workspace name, shown on every page.
    pub name: String,
    /// The artifacts, in the order the index and the board book show them.
    pub artifacts: Vec<SiteArtifact>,
}

/// One artifact, as the contract's artifact JSON (DESIGN section 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteArtifact {
    /// Document id.
    pub id: String,
    /// `automerge:<id>`.
    pub url: String,
    /// Slug, fixed at creation; names the artifact's folder.
    pub slug: String,
    /// Kind (`mrr_tracker`, ...).
    pub kind: String,
    /// Title.
    pub title: String,
    /// The prompt it was generated from.
    pub prompt: String,
    /// Stage, goal and challenge.
    pub context: SiteContext,
    /// Parameters read from the prompt.
    pub params: Value,
    /// Kind-specific content.
    pub content: Value,
    /// Live data written by integrations.
    pub data: Value,
    /// The founder's notes (Markdown).
    pub notes: String,
    /// Archived flag.
    pub archived: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Which engine wrote it.
    pub generator: SiteGenerator,
}

/// Stage, goal and challenge of an artifact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteContext {
    /// Stage value (`seed`, ...).
    pub stage: Option<String>,
    /// Goal value (`grow-revenue`, ...).
    pub goal: Option<String>,
    /// The founder's challenge, in their words.
    pub challenge: Option<String>,
}

/// The generator of an artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteGenerator {
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

/// How to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The output directory: new, empty, or an earlier export (which is replaced).
    pub out: PathBuf,
    /// Absolute URL the site will be published under; adds `sitemap.xml`, canonical links and
    /// OpenGraph tags.
    pub base_url: Option<String>,
    /// Encrypts every page with this passphrase (AES-256-GCM, key from PBKDF2-SHA256).
    pub passphrase: Option<String>,
    /// A folder whose files override the embedded templates of the same name.
    pub templates_dir: Option<PathBuf>,
    /// The "as of" date of the index page.
    pub as_of: NaiveDate,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportReport {
    /// The output directory.
    pub out: String,
    /// Whether the pages are encrypted.
    pub encrypted: bool,
    /// One row per exported artifact, in site order.
    pub artifacts: Vec<ExportedArtifact>,
    /// How many files were written.
    pub files: usize,
    /// Things the founder should know (an override that overrides nothing, content that did not
    /// render).
    pub warnings: Vec<String>,
}

/// Where one artifact went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedArtifact {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its page, relative to the output directory.
    pub path: String,
}
