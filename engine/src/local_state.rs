//! Local-only state, never synced or exported: settings and the prompt log.

use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::storage::writer::{PROMPT_LOG, Ticket, Write};
use crate::storage::{RedbStorage, StorageError};

const SETTINGS: TableDefinition<&str, &str> = TableDefinition::new("settings");
/// Pull snapshots: `<source>/<as_of RFC 3339>` to the pulled JSON. RFC 3339 UTC instants sort
/// as text, so the last key under a source is its latest pull.
const SNAPSHOTS: TableDefinition<&str, &[u8]> = TableDefinition::new("pull_snapshots");
/// Webhook event ids already processed, with when (ms), for idempotency.
const WEBHOOK_EVENTS: TableDefinition<&str, i64> = TableDefinition::new("webhook_events");
/// The folder mirror's record of each file it wrote: `<folder>\n<artifact id>` to JSON.
const FOLDER_FILES: TableDefinition<&str, &[u8]> = TableDefinition::new("folder_files");

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
        tx.open_table(SNAPSHOTS)?;
        tx.open_table(WEBHOOK_EVENTS)?;
        tx.open_table(FOLDER_FILES)?;
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

    /// Removes a setting (a missing one is fine).
    pub fn remove_setting(&self, key: &str) -> Result<(), StorageError> {
        let tx = self.db.begin_write()?;
        tx.open_table(SETTINGS)?.remove(key)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores a pull snapshot durably.
    pub fn put_snapshot(&self, source: &str, as_of: &str, json: &[u8]) -> Result<(), StorageError> {
        let tx = self.db.begin_write()?;
        tx.open_table(SNAPSHOTS)?
            .insert(format!("{source}/{as_of}").as_str(), json)?;
        tx.commit()?;
        Ok(())
    }

    /// The latest snapshot of `source`, if any.
    pub fn latest_snapshot(&self, source: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(SNAPSHOTS)?;
        let (lower, upper) = (format!("{source}/"), format!("{source}0"));
        let last = table
            .range(lower.as_str()..upper.as_str())?
            .next_back()
            .transpose()?;
        Ok(last.map(|(_, v)| v.value().to_vec()))
    }

    /// How many snapshots `source` has.
    pub fn snapshot_count(&self, source: &str) -> Result<usize, StorageError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(SNAPSHOTS)?;
        let (lower, upper) = (format!("{source}/"), format!("{source}0"));
        Ok(table.range(lower.as_str()..upper.as_str())?.count())
    }

    /// Records a webhook event id; false when it was already recorded (a redelivery).
    pub fn record_event(&self, id: &str, at_ms: i64) -> Result<bool, StorageError> {
        let tx = self.db.begin_write()?;
        let fresh = {
            let mut table = tx.open_table(WEBHOOK_EVENTS)?;
            let seen = table.get(id)?.is_some();
            if !seen {
                table.insert(id, at_ms)?;
            }
            !seen
        };
        tx.commit()?;
        Ok(fresh)
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

    /// The folder mirror's records for `folder`, by artifact id.
    pub fn folder_files(&self, folder: &str) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(FOLDER_FILES)?;
        let (lower, upper) = (format!("{folder}\n"), format!("{folder}\u{b}"));
        let mut out = Vec::new();
        for row in table.range(lower.as_str()..upper.as_str())? {
            let (k, v) = row?;
            let id = k.value()[lower.len()..].to_string();
            out.push((id, v.value().to_vec()));
        }
        Ok(out)
    }

    /// Sets (`Some`) or removes (`None`) folder mirror records in one transaction.
    pub fn put_folder_files(
        &self,
        folder: &str,
        records: &[(String, Option<Vec<u8>>)],
    ) -> Result<(), StorageError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(FOLDER_FILES)?;
            for (id, record) in records {
                let key = format!("{folder}\n{id}");
                match record {
                    Some(bytes) => table.insert(key.as_str(), bytes.as_slice())?,
                    None => table.remove(key.as_str())?,
                };
            }
        }
        tx.commit()?;
        Ok(())
    }
}
