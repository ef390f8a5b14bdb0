//! samod `Storage` over redb.
//!
//! Every document chunk samod writes lands in one redb table, `samod_docs`, keyed by the samod
//! key (see [`keys`] for the encoding and namespaces). Each write is its own redb transaction with
//! immediate durability, so a crash loses nothing that was acknowledged.
//!
//! samod's trait cannot return errors. A write that still fails after retries marks the store
//! failed: every later write is refused and [`RedbStorage::failure`] says why, so the engine can
//! refuse edits instead of pretending they were saved. Reads that fail mark it failed too: samod
//! would take a failed read for "no such document" (or a fresh storage id) and carry on writing
//! on top of a history it could not see.

mod error;
mod keys;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use redb::{Database, Durability, ReadableDatabase, TableDefinition};
use samod::storage::{Storage, StorageKey};

pub use error::StorageError;
use keys::Namespace;

/// The one table holding every namespace's samod data.
const DOCS: TableDefinition<&str, &[u8]> = TableDefinition::new("samod_docs");

/// Pauses before each retry: long enough to ride out a transient I/O hiccup, short enough that
/// an edit waiting on it still feels immediate.
const RETRY_BACKOFF: [Duration; 3] = [
    Duration::from_millis(10),
    Duration::from_millis(50),
    Duration::from_millis(200),
];

/// A samod [`Storage`] over one redb table, optionally confined to a key namespace.
///
/// Clones share the database, the namespace and the health state, so a failure seen through
/// any clone refuses writes through all of them. Separately constructed instances on the same
/// database have separate health states.
#[derive(Clone)]
pub struct RedbStorage {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    namespace: Namespace,
    /// Set once, by the first unrecoverable error; the store is failed iff it is set.
    failure: OnceLock<String>,
}

impl RedbStorage {
    /// A store for a device's own documents (no namespace); creates the table if missing.
    pub fn new(db: Arc<Database>) -> Result<Self, StorageError> {
        Self::with_namespace(db, "")
    }

    /// A store seeing only the keys of `namespace` (like `ws/acme`); creates the table if missing.
    ///
    /// A namespace is empty or non-empty components separated by `/`. Namespaces never see each
    /// other's keys, even when one is a path prefix of the other (`ws` and `ws/acme`).
    pub fn with_namespace(db: Arc<Database>, namespace: &str) -> Result<Self, StorageError> {
        let namespace = Namespace::parse(namespace)?;
        let mut txn = db.begin_write()?;
        txn.set_durability(Durability::Immediate)?;
        txn.open_table(DOCS)?;
        txn.commit()?;
        Ok(RedbStorage {
            inner: Arc::new(Inner {
                db,
                namespace,
                failure: OnceLock::new(),
            }),
        })
    }

    /// The namespace this store is confined to (empty for none).
    pub fn namespace(&self) -> &str {
        self.inner.namespace.name()
    }

    /// Whether an unrecoverable error has made this store refuse writes.
    pub fn is_failed(&self) -> bool {
        self.inner.failure.get().is_some()
    }

    /// The first unrecoverable error, if any.
    pub fn failure(&self) -> Option<String> {
        self.inner.failure.get().cloned()
    }

    /// Reads one key. Blocks on disk: call it from a blocking context.
    pub fn load_blocking(&self, key: &StorageKey) -> Result<Option<Vec<u8>>, StorageError> {
        let raw = self.inner.namespace.encode(key);
        self.retrying("load", || {
            let txn = self.inner.db.begin_read()?;
            let table = txn.open_table(DOCS)?;
            Ok(table.get(raw.as_str())?.map(|v| v.value().to_vec()))
        })
    }

    /// Reads every key under `prefix` (component-wise, like `StorageKey::is_prefix_of`), in key
    /// order. Blocks on disk.
    pub fn load_range_blocking(
        &self,
        prefix: &StorageKey,
    ) -> Result<Vec<(StorageKey, Vec<u8>)>, StorageError> {
        let ranges = self.inner.namespace.ranges(prefix);
        self.retrying("load_range", || {
            let txn = self.inner.db.begin_read()?;
            let table = txn.open_table(DOCS)?;
            let mut out = Vec::new();
            for (lower, upper) in &ranges {
                let bounds = (
                    lower.as_ref().map(String::as_str),
                    upper.as_ref().map(String::as_str),
                );
                for row in table.range::<&str>(bounds)? {
                    let (k, v) = row?;
                    let key = self.inner.namespace.decode(k.value())?;
                    // The ranges are exact by construction; should that ever break, refusing
                    // beats handing samod another document's chunks.
                    if !prefix.is_prefix_of(&key) {
                        return Err(StorageError::InvalidKey(format!(
                            "{key} is not under {prefix}"
                        )));
                    }
                    out.push((key, v.value().to_vec()));
                }
            }
            Ok(out)
        })
    }

    /// Writes all `entries` in one durable transaction: after `Ok`, all of them survive a crash;
    /// otherwise none is visible. A later entry for the same key wins. Blocks on disk.
    pub fn put_many_blocking(
        &self,
        entries: Vec<(StorageKey, Vec<u8>)>,
    ) -> Result<(), StorageError> {
        self.refuse_if_failed("put")?;
        let entries: BTreeMap<String, Vec<u8>> = entries
            .into_iter()
            .map(|(k, v)| (self.inner.namespace.encode(&k), v))
            .collect();
        self.retrying("put", || self.put_once(&entries))
    }

    /// Deletes one key durably (a missing key is not an error). Blocks on disk.
    pub fn delete_blocking(&self, key: &StorageKey) -> Result<(), StorageError> {
        self.refuse_if_failed("delete")?;
        let raw = self.inner.namespace.encode(key);
        self.retrying("delete", || self.delete_once(&raw))
    }

    fn put_once(&self, entries: &BTreeMap<String, Vec<u8>>) -> Result<(), StorageError> {
        // The engine writes change chunks itself before samod puts the very same bytes. Checking
        // in a read transaction first keeps samod's copy to a read: no wait for redb's single
        // writer, no fsync. A concurrent change between the check and the write is harmless:
        // that writer's put simply comes after ours.
        let changed: Vec<(&String, &Vec<u8>)> = {
            let txn = self.inner.db.begin_read()?;
            let table = txn.open_table(DOCS)?;
            let mut changed = Vec::new();
            for (k, v) in entries {
                let current = table.get(k.as_str())?;
                if current.is_none_or(|c| c.value() != v.as_slice()) {
                    changed.push((k, v));
                }
            }
            changed
        };
        if changed.is_empty() {
            return Ok(());
        }
        let mut txn = self.inner.db.begin_write()?;
        txn.set_durability(Durability::Immediate)?;
        {
            let mut table = txn.open_table(DOCS)?;
            for (k, v) in changed {
                table.insert(k.as_str(), v.as_slice())?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn delete_once(&self, raw: &str) -> Result<(), StorageError> {
        {
            // Same reasoning as in put_once: deleting what is already gone costs only a read.
            let txn = self.inner.db.begin_read()?;
            if txn.open_table(DOCS)?.get(raw)?.is_none() {
                return Ok(());
            }
        }
        let mut txn = self.inner.db.begin_write()?;
        txn.set_durability(Durability::Immediate)?;
        txn.open_table(DOCS)?.remove(raw)?;
        txn.commit()?;
        Ok(())
    }

    /// Runs `attempt` until it succeeds or retries run out; a final error marks the store failed.
    fn retrying<T>(
        &self,
        op: &'static str,
        mut attempt: impl FnMut() -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let mut backoff = RETRY_BACKOFF.iter();
        loop {
            match attempt() {
                Ok(value) => return Ok(value),
                Err(err) => match backoff.next() {
                    Some(delay) if err.is_retryable() => {
                        tracing::warn!(op, error = %err, ?delay, "storage operation failed, retrying");
                        std::thread::sleep(*delay);
                    }
                    _ => {
                        self.mark_failed(op, &err);
                        return Err(err);
                    }
                },
            }
        }
    }

    /// Writes after a failure are refused: besides losing nothing silently, this keeps samod from
    /// deleting superseded chunks after a compaction snapshot that was never written.
    fn refuse_if_failed(&self, op: &'static str) -> Result<(), StorageError> {
        match self.inner.failure.get() {
            Some(reason) => {
                tracing::warn!(op, "storage write refused: the store has failed");
                Err(StorageError::Failed(reason.clone()))
            }
            None => Ok(()),
        }
    }

    fn mark_failed(&self, op: &'static str, err: &StorageError) {
        let first = self.inner.failure.set(format!("{op}: {err}")).is_ok();
        tracing::error!(
            op,
            error = %err,
            namespace = self.namespace(),
            first,
            "storage operation failed for good; the store now refuses writes"
        );
    }

    /// Runs blocking redb work off the async runtime (inline when there is no tokio runtime).
    async fn offload<T: Send + 'static>(
        &self,
        op: &'static str,
        work: impl FnOnce(&RedbStorage) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return work(self);
        };
        let this = self.clone();
        match runtime.spawn_blocking(move || work(&this)).await {
            Ok(result) => result,
            Err(join) => {
                let err = StorageError::Task(join.to_string());
                self.mark_failed(op, &err);
                Err(err)
            }
        }
    }
}

impl Storage for RedbStorage {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        // Errors were logged and marked failed where they happened.
        self.offload("load", move |s| s.load_blocking(&key))
            .await
            .ok()
            .flatten()
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        self.offload("load_range", move |s| s.load_range_blocking(&prefix))
            .await
            .map(|rows| rows.into_iter().collect())
            .unwrap_or_default()
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        let _ = self
            .offload("put", move |s| s.put_many_blocking(vec![(key, data)]))
            .await;
    }

    async fn delete(&self, key: StorageKey) {
        let _ = self
            .offload("delete", move |s| s.delete_blocking(&key))
            .await;
    }
}

#[cfg(test)]
mod tests;
