//! samod `Storage` over redb.
//!
//! Every document chunk samod writes lands in one redb table, `samod_docs`, keyed by the samod
//! key (see [`keys`] for the encoding and namespaces). Writes go through the home's group-commit
//! writer ([`writer`]): a write is acknowledged only once the transaction holding it is committed
//! with immediate durability, so a crash loses nothing that was acknowledged.
//!
//! samod's trait cannot return errors. A write that still fails after retries marks the store
//! failed: every later write is refused and [`RedbStorage::failure`] says why, so the engine can
//! refuse edits instead of pretending they were saved. Reads that fail mark it failed too: samod
//! would take a failed read for "no such document" (or a fresh storage id) and carry on writing
//! on top of a history it could not see.

mod error;
mod keys;
pub(crate) mod writer;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use redb::{Database, Durability, ReadableDatabase};
use samod::storage::{Storage, StorageKey};

pub use error::StorageError;
use keys::Namespace;
use writer::{DOCS, GroupWriter, Ticket, Write, with_retries};

/// A samod [`Storage`] over one redb table, optionally confined to a key namespace.
///
/// Clones share the database, the writer, the namespace and the health state, so a failure seen
/// through any clone refuses writes through all of them. Separately constructed instances on the
/// same database have separate health states.
#[derive(Clone)]
pub struct RedbStorage {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    writer: Arc<GroupWriter>,
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
        txn.open_table(writer::PROMPT_LOG)?;
        txn.commit()?;
        let writer = GroupWriter::start(db.clone())?;
        Ok(Self::from_parts(db, writer, namespace))
    }

    /// A store on the same database and writer seeing only `namespace`, with its own health
    /// state: many namespaces then share one commit per batch.
    pub fn namespaced(&self, namespace: &str) -> Result<Self, StorageError> {
        let namespace = Namespace::parse(namespace)?;
        Ok(Self::from_parts(
            self.inner.db.clone(),
            self.inner.writer.clone(),
            namespace,
        ))
    }

    fn from_parts(db: Arc<Database>, writer: Arc<GroupWriter>, namespace: Namespace) -> Self {
        RedbStorage {
            inner: Arc::new(Inner {
                db,
                writer,
                namespace,
                failure: OnceLock::new(),
            }),
        }
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

    /// Whether any key lies under `prefix` (component-wise), reading at most one row per range.
    /// Blocks on disk.
    pub fn has_prefix_blocking(&self, prefix: &StorageKey) -> Result<bool, StorageError> {
        let ranges = self.inner.namespace.ranges(prefix);
        self.retrying("has_prefix", || {
            let txn = self.inner.db.begin_read()?;
            let table = txn.open_table(DOCS)?;
            for (lower, upper) in &ranges {
                let bounds = (
                    lower.as_ref().map(String::as_str),
                    upper.as_ref().map(String::as_str),
                );
                if table.range::<&str>(bounds)?.next().transpose()?.is_some() {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    /// Writes all `entries` in one durable transaction: after `Ok`, all of them survive a crash;
    /// otherwise none is visible. A later entry for the same key wins. Blocks on disk.
    pub fn put_many_blocking(
        &self,
        entries: Vec<(StorageKey, Vec<u8>)>,
    ) -> Result<(), StorageError> {
        let ticket = self.put_many(entries)?;
        self.settle("put", ticket.wait_blocking())
    }

    /// Deletes one key durably (a missing key is not an error). Blocks on disk.
    pub fn delete_blocking(&self, key: &StorageKey) -> Result<(), StorageError> {
        let ticket = self.submit(
            "delete",
            vec![Write::Delete(self.inner.namespace.encode(key))],
        )?;
        self.settle("delete", ticket.wait_blocking())
    }

    /// Queues `entries` for the next group commit, in submission order. Awaiting the ticket says
    /// when they are durable; pass its outcome through [`RedbStorage::settle`].
    pub(crate) fn put_many(
        &self,
        entries: Vec<(StorageKey, Vec<u8>)>,
    ) -> Result<Ticket, StorageError> {
        self.put_many_with(entries, Vec::new())
    }

    /// [`RedbStorage::put_many`], with `extra` writes committed in the same transaction.
    pub(crate) fn put_many_with(
        &self,
        entries: Vec<(StorageKey, Vec<u8>)>,
        extra: Vec<Write>,
    ) -> Result<Ticket, StorageError> {
        let writes = entries
            .into_iter()
            .map(|(k, v)| self.put_write(&k, v))
            .chain(extra)
            .collect();
        self.submit("put", writes)
    }

    /// The write that sets `key` in this store's namespace, to commit along with other writes.
    pub(crate) fn put_write(&self, key: &StorageKey, value: Vec<u8>) -> Write {
        Write::Put(self.inner.namespace.encode(key), value)
    }

    /// Queues `writes` as one job of the next group commit.
    pub(crate) fn submit(
        &self,
        op: &'static str,
        writes: Vec<Write>,
    ) -> Result<Ticket, StorageError> {
        self.refuse_if_failed(op)?;
        Ok(self.inner.writer.submit(writes))
    }

    /// A failed commit (after the writer's retries) marks the store failed.
    pub(crate) fn settle(
        &self,
        op: &'static str,
        outcome: Result<(), StorageError>,
    ) -> Result<(), StorageError> {
        if let Err(err) = &outcome {
            self.mark_failed(op, err);
        }
        outcome
    }

    /// Runs `attempt` until it succeeds or retries run out; a final error marks the store failed.
    fn retrying<T>(
        &self,
        op: &'static str,
        attempt: impl FnMut() -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let outcome = with_retries(op, attempt);
        if let Err(err) = &outcome {
            self.mark_failed(op, err);
        }
        outcome
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
        // samod re-puts every chunk the engine already committed; a read keeps those out of the
        // commit queue altogether.
        let checked = self
            .offload("put", move |s| {
                let stored = s.load_blocking(&key)?;
                Ok((stored.as_deref() == Some(data.as_slice()), key, data))
            })
            .await;
        // A failed read has marked the store failed, and the write would be refused anyway.
        let Ok((false, key, data)) = checked else {
            return;
        };
        if let Ok(ticket) = self.put_many(vec![(key, data)]) {
            let _ = self.settle("put", ticket.wait().await);
        }
    }

    async fn delete(&self, key: StorageKey) {
        let raw = self.inner.namespace.encode(&key);
        if let Ok(ticket) = self.submit("delete", vec![Write::Delete(raw)]) {
            let _ = self.settle("delete", ticket.wait().await);
        }
    }
}

#[cfg(test)]
mod tests;
