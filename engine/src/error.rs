//! Errors of the engine, each phrased for the founder who will read it.

use thiserror::Error;

use crate::llm::LlmError;
use crate::storage::StorageError;

/// Everything the engine can refuse or fail at.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The home directory cannot be used.
    #[error("cannot use home directory {path}: {reason}")]
    Home {
        /// The home directory.
        path: String,
        /// Why.
        reason: String,
    },
    /// Another process holds the store's lock.
    #[error(
        "the home {0} is in use by another cosos process; stop it or run this command through it"
    )]
    HomeInUse(String),
    /// The store file exists but is not a readable cosos store.
    #[error("the store {path} is damaged or not a cosos store: {reason}")]
    CorruptStore {
        /// The store file.
        path: String,
        /// What redb said.
        reason: String,
    },
    /// A storage operation failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The `COSOS_NOW` override is not a date.
    #[error("COSOS_NOW={0:?} is not a date: use RFC 3339 (2026-11-26T12:00:00Z) or YYYY-MM-DD")]
    BadClock(String),
    /// No artifact has this id or slug.
    #[error("no artifact with id or slug \"{0}\" (see `cosos list`)")]
    NotFound(String),
    /// An edit was invalid.
    #[error("invalid edit: {0}")]
    InvalidEdit(String),
    /// Generation failed.
    #[error(transparent)]
    Generate(#[from] cosos_artifacts::ArtifactError),
    /// The LLM configuration in `cosos.toml` cannot be used.
    #[error(transparent)]
    Llm(#[from] LlmError),
    /// A document did not have the shape cosos writes.
    #[error("document {id} is not a valid cosos {what}: {reason}")]
    BadDocument {
        /// Document id.
        id: String,
        /// `artifact` or `workspace`.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// The samod repo stopped underneath us.
    #[error("the document repository has stopped")]
    RepoStopped,
    /// The workspace document is missing from the store.
    #[error("the workspace document {0} is missing from this home's store")]
    WorkspaceMissing(String),
    /// An integration (Stripe, PostHog) cannot be used as asked; the message never quotes a key.
    #[error("{0}")]
    Integration(String),
    /// Sync with a relay failed.
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// The folder mirror could not read or write its folder.
    #[error(transparent)]
    Folder(#[from] crate::folder::FolderError),
    /// A background task panicked or was cancelled.
    #[error("internal task failed: {0}")]
    Task(String),
}

impl From<samod::Stopped> for EngineError {
    fn from(_: samod::Stopped) -> Self {
        EngineError::RepoStopped
    }
}

impl From<tokio::task::JoinError> for EngineError {
    fn from(e: tokio::task::JoinError) -> Self {
        EngineError::Task(e.to_string())
    }
}
