//! Local-only state, never synced or exported: settings and the prompt log.

use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::storage::writer::{PROMPT_LOG, Ticket, Write};
use crate::storage::{RedbStorage, StorageError};

const SETTINGS: TableDefinition<&str, &str> = TableDefinition::new("settings");

/// The setting that names this home's workspace document.
pub const WORKSPACE_ID: &str = "workspace_id";

/// One prompt as the founder typed it, with what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptLogEntry {
    /// When (RFC 3339).
    pub at: String,
    /// The prompt (at most the first 10,000 characters).
    pub prompt: String,
    /// Stage, goal and challenge.
    pub context: cosos_artifacts::Context,
    /// A forced kind, if any.
    pub forced_kind: Option<String>,
    /// The kind generated, when generation succeeded.
    pub kind: Option<String>,
    /// The artifact created, when generation succeeded.
    pub artifact: Option<String>,
    /// The engine that generated it.
    pub engine: Option<String>,
    /// Classifier confidence.
    pub confidence: Option<f64>,
    /// Cues that decided the kind.
    pub cues: Vec<String>,
    /// The error, when generation failed.
    pub error: Option<String>,
}

/// Settings and prompt log tables in the home's redb file.
#[derive(Clone)]
pub struct LocalState {
    db: Arc<Database>,
    /// The home's document store, whose group commit the prompt log rides on.
    store: RedbStorage,
}

impl LocalState {
    /// Opens the tables, creating them on first use.
    pub fn new(db: Arc<Database>, store: RedbStorage) -> Result<Self, StorageError> {
        let tx = db.begin_write()?;
        tx.open_table(SETTINGS)?;
        tx.open_table(PROMPT_LOG)?;
        tx.commit()?;
        Ok(LocalState { db, store })
    }

    /// Reads a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StorageError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(SETTINGS)?;
        Ok(table.get(key)?.map(|v| v.value().to_string()))
    }

    /// Writes a setting durably.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let tx = self.db.begin_write()?;
        tx.open_table(SETTINGS)?.insert(key, value)?;
        tx.commit()?;
        Ok(())
    }

    /// Queues a prompt-log row with the store's next group commit.
    pub(crate) fn log_prompt(&self, entry: &PromptLogEntry) -> Result<Ticket, StorageError> {
        self.store
            .submit("prompt log", vec![Self::prompt_log_write(entry)?])
    }

    /// The write that appends `entry` to the prompt log, to commit along with other writes.
    pub(crate) fn prompt_log_write(entry: &PromptLogEntry) -> Result<Write, StorageError> {
        let bytes = serde_json::to_vec(entry).map_err(|e| StorageError::Encode(e.to_string()))?;
        Ok(Write::AppendPromptLog(bytes))
    }

    /// The whole prompt log, oldest first; unreadable rows are skipped, not fatal.
    pub fn prompt_log(&self) -> Result<Vec<PromptLogEntry>, StorageError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(PROMPT_LOG)?;
        let mut out = Vec::new();
        for row in table.iter()? {
            let (_, v) = row?;
            if let Ok(entry) = serde_json::from_slice(v.value()) {
                out.push(entry);
            }
        }
        Ok(out)
    }
}
