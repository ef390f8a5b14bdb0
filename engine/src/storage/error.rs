//! Errors of the storage layer, phrased so the engine can show them as they are.

use thiserror::Error;

/// Why a storage operation could not be done.
#[derive(Debug, Error)]
pub enum StorageError {
    /// redb reported an error (I/O, corruption, a closed database...).
    #[error("{}", describe_redb(.0))]
    Redb(#[source] redb::Error),
    /// A group commit failed for good; the message is the underlying error's.
    #[error("could not commit to the store: {0}")]
    Commit(String),
    /// The store hit an unrecoverable error earlier and refuses writes from now on.
    #[error("the store has failed and refuses further writes: {0}")]
    Failed(String),
    /// A key in the store is not one this adapter wrote, or cannot be a samod key.
    #[error("invalid storage key: {0}")]
    InvalidKey(String),
    /// A namespace is not empty nor a '/'-separated list of non-empty components.
    #[error(
        "invalid storage namespace {0:?}: use non-empty components separated by '/', like \"ws/acme\""
    )]
    InvalidNamespace(String),
    /// A value could not be encoded for storage.
    #[error("cannot encode a value for storage: {0}")]
    Encode(String),
    /// The blocking task that ran the operation panicked or was cancelled.
    #[error("storage task did not complete: {0}")]
    Task(String),
}

impl StorageError {
    /// Whether trying again might succeed: only redb errors can be transient.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(self, StorageError::Redb(_))
    }
}

/// redb's own messages are terse ("DB corrupted: ..."): say what it means for the store.
fn describe_redb(err: &redb::Error) -> String {
    match err {
        redb::Error::Io(io) => format!("disk I/O error in the store: {io}"),
        redb::Error::PreviousIo => {
            "an earlier disk I/O error left the store unusable until it is reopened".to_string()
        }
        redb::Error::Corrupted(msg) => format!("the store file is corrupted: {msg}"),
        redb::Error::DatabaseAlreadyOpen => {
            "the store file is already open by another process or handle".to_string()
        }
        redb::Error::DatabaseClosed => "the store has been closed".to_string(),
        redb::Error::ValueTooLarge(len) => {
            format!("a value of {len} bytes is too large for the store")
        }
        redb::Error::UpgradeRequired(version) => {
            format!("the store file has an old format (version {version}) and must be upgraded")
        }
        other => format!("store error: {other}"),
    }
}

/// redb splits its errors by operation; the adapter (and the engine's `?`) wants one type.
macro_rules! from_redb {
    ($($ty:ty),* $(,)?) => {
        $(impl From<$ty> for StorageError {
            fn from(err: $ty) -> Self {
                StorageError::Redb(err.into())
            }
        })*
    };
}

from_redb!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError,
    redb::CompactionError,
);
