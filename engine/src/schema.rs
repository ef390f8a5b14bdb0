//! The document schemas of DESIGN section 2, as autosurgeon types.
//!
//! Structs reconcile only their own fields, so keys that other clients add are preserved.
//! Fields another client might leave out are `Option`s, so such documents still hydrate.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler, Text, reconcile::NoKey};

use crate::json_tree::JsonTree;

/// The `cosos` marker of the workspace document.
pub const WORKSPACE_MARKER: &str = "workspace";
/// The `cosos` marker of artifact documents.
pub const ARTIFACT_MARKER: &str = "artifact";
/// The schema version both documents carry.
pub const SCHEMA_VERSION: u64 = 1;

/// The workspace document's root.
#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct WorkspaceDoc {
    /// Always `workspace`.
    pub cosos: String,
    /// Schema version.
    pub schema: u64,
    /// The workspace's name.
    pub name: Text,
    /// Index of artifact documents by document id.
    pub artifacts: BTreeMap<String, IndexEntry>,
    /// Insights: alerts that fired.
    pub insights: Vec<JsonTree>,
}

/// One artifact in the workspace index; enough to list artifacts without opening each document.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct IndexEntry {
    /// The kind.
    pub kind: String,
    /// The title, kept in step with the artifact's own.
    pub title: String,
    /// The slug, fixed at creation.
    pub slug: String,
    /// Creation time, ms since the epoch.
    pub created_at: i64,
    /// Archived flag, kept in step with the artifact's own (cosos addition to the index).
    pub archived: Option<bool>,
    /// Last update, ms since the epoch (cosos addition to the index).
    pub updated_at: Option<i64>,
}

/// An artifact document's root.
#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct ArtifactDoc {
    /// Always `artifact`.
    pub cosos: String,
    /// Schema version.
    pub schema: u64,
    /// The kind.
    pub kind: String,
    /// The title, as Text so concurrent edits merge.
    pub title: Text,
    /// The prompt, as Text.
    pub prompt: Text,
    /// Stage, goal and challenge.
    pub context: ContextDoc,
    /// Parameters the prompt stated.
    pub params: JsonTree,
    /// Kind-specific content.
    pub content: JsonTree,
    /// Live data from integrations.
    pub data: JsonTree,
    /// The founder's notes, as Text.
    pub notes: Text,
    /// Archived flag.
    pub archived: bool,
    /// Creation time, ms since the epoch.
    pub created_at: i64,
    /// Last update, ms since the epoch.
    pub updated_at: i64,
    /// Which engine generated it.
    pub generator: GeneratorDoc,
}

/// The context map of an artifact.
#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct ContextDoc {
    /// Stage, e.g. `seed`.
    pub stage: Option<String>,
    /// Goal, e.g. `grow-revenue`.
    pub goal: Option<String>,
    /// The challenge in the founder's words, as Text.
    pub challenge: Option<Text>,
}

/// The generator map of an artifact.
#[derive(Debug, Clone, Reconcile, Hydrate)]
pub struct GeneratorDoc {
    /// `builtin` or `llm:<model>`.
    pub engine: String,
    /// Classifier confidence.
    pub confidence: Number,
    /// Kinds that were close.
    pub alternatives: Vec<String>,
    /// Why an LLM's output was not used, when it was not.
    pub fallback_reason: Option<String>,
}

/// A number that hydrates from any Automerge numeric type (JS clients write whole numbers as ints).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number(pub f64);

impl Reconcile for Number {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.f64(self.0)
    }
}

impl Hydrate for Number {
    fn hydrate_f64(f: f64) -> Result<Self, HydrateError> {
        Ok(Number(f))
    }

    fn hydrate_int(i: i64) -> Result<Self, HydrateError> {
        Ok(Number(i as f64))
    }

    fn hydrate_uint(u: u64) -> Result<Self, HydrateError> {
        Ok(Number(u as f64))
    }
}
