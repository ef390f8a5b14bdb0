//! Group commit: one thread owns the home's redb writes and commits everything queued while the
//! previous commit was in flight in one transaction, so fifty concurrent edits cost one fsync,
//! not fifty.
//!
//! Writes are committed in the order they were submitted (the queue is FIFO and a batch is
//! applied in order), so a change chunk is never durable before a chunk it depends on that was
//! submitted earlier.

use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use redb::{Database, Durability, ReadableTable, TableDefinition, WriteTransaction};
use tokio::sync::oneshot;

use super::StorageError;

/// The one table holding every namespace's samod data.
pub(crate) const DOCS: TableDefinition<&str, &[u8]> = TableDefinition::new("samod_docs");
/// The local prompt log: row number to JSON.
pub(crate) const PROMPT_LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("prompt_log");

/// Pauses before each retry of a failed store operation: long enough to ride out a transient I/O hiccup,
/// short enough that an edit waiting on it still feels immediate.
const RETRY_BACKOFF: [Duration; 3] = [
    Duration::from_millis(10),
    Duration::from_millis(50),
    Duration::from_millis(200),
];

/// Most jobs in one transaction, so one commit's latency stays bounded under a flood.
const MAX_BATCH_JOBS: usize = 1024;

/// One write in a job.
#[derive(Debug, Clone)]
pub(crate) enum Write {
    /// Set a `samod_docs` key (skipped when the stored bytes are already these).
    Put(String, Vec<u8>),
    /// Remove a `samod_docs` key (a missing key is fine).
    Delete(String),
    /// Append a row to the prompt log.
    AppendPromptLog(Vec<u8>),
}

struct Job {
    writes: Vec<Write>,
    reply: oneshot::Sender<Result<(), String>>,
}

/// Waits for a submitted job's commit.
pub(crate) struct Ticket(oneshot::Receiver<Result<(), String>>);

impl Ticket {
    /// Resolves once the job is durable, or with why it is not.
    pub(crate) async fn wait(self) -> Result<(), StorageError> {
        outcome(self.0.await)
    }

    /// Blocks until the job is durable. Unlike tokio's `blocking_recv`, this is allowed on a
    /// runtime thread too (it then stalls that thread, as any blocking call would).
    pub(crate) fn wait_blocking(self) -> Result<(), StorageError> {
        outcome(futures::executor::block_on(self.0))
    }
}

fn outcome(
    received: Result<Result<(), String>, oneshot::error::RecvError>,
) -> Result<(), StorageError> {
    match received {
        Ok(Ok(())) => Ok(()),
        Ok(Err(reason)) => Err(StorageError::Commit(reason)),
        Err(_) => Err(StorageError::Task("the store's writer stopped".into())),
    }
}

/// The writer thread and its queue. Dropping it commits what is queued, then joins the thread,
/// so the database is released by the time the drop returns.
pub(crate) struct GroupWriter {
    queue: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl GroupWriter {
    /// Starts the writer thread for `db`.
    pub(crate) fn start(db: Arc<Database>) -> Result<Arc<GroupWriter>, StorageError> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("cosos-store-writer".into())
            .spawn(move || run(&db, &jobs))
            .map_err(|e| StorageError::Task(format!("cannot start the store writer: {e}")))?;
        Ok(Arc::new(GroupWriter {
            queue: Mutex::new(Some(queue)),
            thread: Mutex::new(Some(thread)),
        }))
    }

    /// Queues `writes` as one job; they become durable together or not at all.
    pub(crate) fn submit(&self, writes: Vec<Write>) -> Ticket {
        let (reply, receiver) = oneshot::channel();
        let sent = self
            .queue
            .lock()
            .ok()
            .and_then(|q| q.as_ref().map(|q| q.send(Job { writes, reply })));
        // A failed send drops the job and its reply, and the ticket then reports the writer
        // stopped: nothing is claimed durable that was not committed.
        let _ = sent;
        Ticket(receiver)
    }
}

impl Drop for GroupWriter {
    fn drop(&mut self) {
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread
            && thread.join().is_err()
        {
            tracing::error!("the store writer thread panicked");
        }
    }
}

fn run(db: &Database, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH_JOBS {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let result = with_retries("commit", || commit_once(db, &batch)).map_err(|e| e.to_string());
        for job in batch {
            // The submitter may have stopped waiting; the commit stands either way.
            let _ = job.reply.send(result.clone());
        }
    }
}

/// Runs `attempt` until it succeeds, fails for good, or retries run out. Blocks while it waits.
pub(crate) fn with_retries<T>(
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
                _ => return Err(err),
            },
        }
    }
}

fn commit_once(db: &Database, batch: &[Job]) -> Result<(), StorageError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    let mut changed = false;
    for write in batch.iter().flat_map(|job| &job.writes) {
        changed |= apply(&txn, write)?;
    }
    if changed {
        txn.commit()?;
    } else {
        // samod re-puts the chunks the engine already wrote: a batch of only those costs no fsync.
        txn.abort()?;
    }
    Ok(())
}

/// Applies one write; says whether it changed anything.
fn apply(txn: &WriteTransaction, write: &Write) -> Result<bool, StorageError> {
    match write {
        Write::Put(key, value) => {
            let mut table = txn.open_table(DOCS)?;
            if table
                .get(key.as_str())?
                .is_some_and(|current| current.value() == value.as_slice())
            {
                return Ok(false);
            }
            table.insert(key.as_str(), value.as_slice())?;
            Ok(true)
        }
        Write::Delete(key) => Ok(txn.open_table(DOCS)?.remove(key.as_str())?.is_some()),
        Write::AppendPromptLog(row) => {
            let mut table = txn.open_table(PROMPT_LOG)?;
            let next = table.last()?.map_or(0, |(k, _)| k.value() + 1);
            table.insert(next, row.as_slice())?;
            Ok(true)
        }
    }
}
