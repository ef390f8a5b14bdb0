//! Failure handling, driven by a redb backend whose disk can be made to fail on demand.

use std::sync::atomic::{AtomicBool, Ordering};

use redb::StorageBackend;
use redb::backends::InMemoryBackend;

use super::*;

/// An in-memory disk whose writes and syncs fail while `broken` is set.
#[derive(Debug, Default)]
struct FlakyDisk {
    disk: InMemoryBackend,
    broken: Arc<AtomicBool>,
}

impl FlakyDisk {
    fn check(&self) -> Result<(), std::io::Error> {
        if self.broken.load(Ordering::SeqCst) {
            Err(std::io::Error::other("simulated disk failure"))
        } else {
            Ok(())
        }
    }
}

impl StorageBackend for FlakyDisk {
    fn len(&self) -> Result<u64, std::io::Error> {
        self.disk.len()
    }
    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
        self.disk.read(offset, out)
    }
    fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
        self.check()?;
        self.disk.set_len(len)
    }
    fn sync_data(&self) -> Result<(), std::io::Error> {
        self.check()?;
        self.disk.sync_data()
    }
    fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
        self.check()?;
        self.disk.write(offset, data)
    }
}

fn flaky_store() -> (RedbStorage, Arc<AtomicBool>) {
    let disk = FlakyDisk::default();
    let broken = disk.broken.clone();
    let db = Database::builder()
        .create_with_backend(disk)
        .expect("in-memory database opens");
    let storage = RedbStorage::new(Arc::new(db)).expect("table is created");
    (storage, broken)
}

fn key(parts: &[&str]) -> StorageKey {
    StorageKey::from_parts(parts).expect("test keys are valid")
}

#[test]
fn failed_write_marks_the_store_failed_and_refuses_later_writes() {
    let (storage, broken) = flaky_store();
    storage
        .put_many_blocking(vec![(key(&["d", "a"]), b"before".to_vec())])
        .expect("healthy put");

    broken.store(true, Ordering::SeqCst);
    let err = storage
        .put_many_blocking(vec![(key(&["d", "b"]), b"lost".to_vec())])
        .expect_err("the disk is broken");
    assert!(matches!(err, StorageError::Commit(_)), "{err}");
    assert!(storage.is_failed());
    let reason = storage.failure().expect("a failure is recorded");
    assert!(
        reason.contains("simulated disk failure") || reason.contains("I/O"),
        "{reason}"
    );

    // Even with the disk back, the store stays failed: the engine must not carry on as if the
    // lost write had happened.
    broken.store(false, Ordering::SeqCst);
    let clone = storage.clone();
    assert!(matches!(
        clone.put_many_blocking(vec![(key(&["d", "c"]), b"x".to_vec())]),
        Err(StorageError::Failed(r)) if r == reason
    ));
    assert!(matches!(
        clone.delete_blocking(&key(&["d", "a"])),
        Err(StorageError::Failed(_))
    ));
    assert_eq!(storage.failure(), Some(reason), "the first failure is kept");
}

#[tokio::test]
async fn samod_writes_after_a_failure_are_dropped_not_applied() {
    let (storage, broken) = flaky_store();
    Storage::put(&storage, key(&["d", "snapshot", "s"]), b"1".to_vec()).await;
    broken.store(true, Ordering::SeqCst);
    Storage::put(&storage, key(&["d", "snapshot", "t"]), b"2".to_vec()).await;
    assert!(storage.is_failed());
    broken.store(false, Ordering::SeqCst);

    // The delete samod would send after a "finished" compaction must not go through.
    Storage::delete(&storage, key(&["d", "snapshot", "s"])).await;
    let kept = storage.load_blocking(&key(&["d", "snapshot", "s"]));
    assert_eq!(kept.expect("reads still work"), Some(b"1".to_vec()));
}

#[test]
fn an_undecodable_key_is_a_failure_not_an_empty_range() {
    let (storage, _) = flaky_store();
    {
        let txn = storage.inner.db.begin_write().expect("write txn");
        txn.open_table(DOCS)
            .expect("table")
            .insert("d//bad", b"x".as_slice())
            .expect("insert");
        txn.commit().expect("commit");
    }
    let err = storage
        .load_range_blocking(&key(&["d"]))
        .expect_err("the key cannot be decoded");
    assert!(matches!(err, StorageError::InvalidKey(_)), "{err}");
    assert!(storage.is_failed());
}

#[test]
fn healthy_store_reports_no_failure() {
    let (storage, _) = flaky_store();
    storage
        .delete_blocking(&key(&["missing"]))
        .expect("deleting nothing is fine");
    assert!(!storage.is_failed());
    assert_eq!(storage.failure(), None);
    assert_eq!(storage.namespace(), "");
}

#[test]
fn group_commit_applies_jobs_in_submission_order() {
    let (storage, _) = flaky_store();
    let (a, b) = (key(&["d", "a"]), key(&["d", "b"]));
    let put = |k: &StorageKey, v: &[u8]| storage.put_write(k, v.to_vec());
    let delete = |k: &StorageKey| Write::Delete(storage.inner.namespace.encode(k));
    // Queued back to back, so they are likely to share a transaction; order must hold either way.
    let tickets = vec![
        storage.submit("t", vec![put(&a, b"1")]).expect("queued"),
        storage.submit("t", vec![delete(&a)]).expect("queued"),
        storage
            .submit("t", vec![put(&b, b"1"), delete(&b)])
            .expect("queued"),
        storage.submit("t", vec![put(&b, b"2")]).expect("queued"),
    ];
    for ticket in tickets {
        ticket.wait_blocking().expect("committed");
    }
    assert_eq!(storage.load_blocking(&a).expect("read"), None);
    assert_eq!(
        storage.load_blocking(&b).expect("read"),
        Some(b"2".to_vec())
    );
}

#[test]
fn a_failed_commit_fails_every_job_in_it_and_keeps_nothing() {
    let (storage, broken) = flaky_store();
    broken.store(true, Ordering::SeqCst);
    let tickets: Vec<Ticket> = (0..5)
        .map(|i| {
            let k = key(&["d", &format!("k{i}")]);
            storage.put_many(vec![(k, vec![1])]).expect("queued")
        })
        .collect();
    for ticket in tickets {
        let outcome = storage.settle("put", ticket.wait_blocking());
        assert!(
            matches!(outcome, Err(StorageError::Commit(_))),
            "{outcome:?}"
        );
    }
    assert!(storage.is_failed());
    assert!(
        storage
            .load_range_blocking(&key(&["d"]))
            .is_ok_and(|rows| rows.is_empty())
    );
}

#[test]
fn dropping_the_store_releases_the_file_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.redb");
    let db = Arc::new(Database::create(&path).expect("creates"));
    let storage = RedbStorage::new(db).expect("opens");
    storage
        .put_many_blocking(vec![(key(&["d", "a"]), b"x".to_vec())])
        .expect("put");
    drop(storage);
    // The writer thread held the database; it must be gone once the store is dropped.
    let db = Arc::new(Database::open(&path).expect("reopens without waiting"));
    let storage = RedbStorage::new(db).expect("opens");
    assert_eq!(
        storage.load_blocking(&key(&["d", "a"])).expect("read"),
        Some(b"x".to_vec())
    );
}
