//! The contract `RedbStorage` owes samod, checked against real redb files in temp dirs.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cosos_engine::storage::{RedbStorage, StorageError};
use proptest::prelude::*;
use redb::Database;
use samod::storage::{InMemoryStorage, Storage, StorageKey};
use tempfile::TempDir;

fn key(parts: &[&str]) -> StorageKey {
    StorageKey::from_parts(parts).expect("test keys are valid")
}

fn open_db(path: &Path) -> Arc<Database> {
    Arc::new(Database::create(path).expect("redb file opens"))
}

fn fresh() -> (TempDir, Arc<Database>, RedbStorage) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = open_db(&dir.path().join("store.redb"));
    let storage = RedbStorage::new(db.clone()).expect("storage opens");
    (dir, db, storage)
}

/// A range as sorted `a/b/c` strings, easy to compare and to read in a failure.
async fn range_of(storage: &impl Storage, prefix: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let found = storage.load_range(key(prefix)).await;
    found.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn names(range: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    range.keys().map(String::as_str).collect()
}

#[tokio::test]
async fn put_then_load() {
    let (_dir, _db, storage) = fresh();
    storage
        .put(key(&["doc", "incremental", "h1"]), b"change".to_vec())
        .await;
    let loaded = storage.load(key(&["doc", "incremental", "h1"])).await;
    assert_eq!(loaded.as_deref(), Some(&b"change"[..]));
    let blocking = storage.load_blocking(&key(&["doc", "incremental", "h1"]));
    assert_eq!(blocking.expect("loads"), Some(b"change".to_vec()));
}

#[tokio::test]
async fn missing_key_loads_as_none() {
    let (_dir, _db, storage) = fresh();
    assert_eq!(storage.load(key(&["nothing", "here"])).await, None);
    storage.put(key(&["doc"]), b"x".to_vec()).await;
    assert_eq!(storage.load(key(&["doc", "child"])).await, None);
    assert!(!storage.is_failed());
}

#[tokio::test]
async fn load_range_is_component_wise() {
    let (_dir, _db, storage) = fresh();
    for k in [
        "abc", "abc/x", "abc/y/z", "abcd/x", "ab", "abc0", "abc.x", "b",
    ] {
        let parts: Vec<&str> = k.split('/').collect();
        storage.put(key(&parts), k.as_bytes().to_vec()).await;
    }
    let under_abc = range_of(&storage, &["abc"]).await;
    assert_eq!(names(&under_abc), ["abc", "abc/x", "abc/y/z"]);
    assert_eq!(under_abc["abc/x"], b"abc/x");
    assert_eq!(names(&range_of(&storage, &["abc", "y"]).await), ["abc/y/z"]);
    assert_eq!(names(&range_of(&storage, &["ab"]).await), ["ab"]);
    assert!(range_of(&storage, &["abc", "x", "deeper"]).await.is_empty());
    assert!(range_of(&storage, &["a"]).await.is_empty());
    let everything = range_of(&storage, &[]).await;
    assert_eq!(
        names(&everything),
        [
            "ab", "abc", "abc.x", "abc/x", "abc/y/z", "abc0", "abcd/x", "b"
        ]
    );
}

#[tokio::test]
async fn delete_removes_only_its_key() {
    let (_dir, _db, storage) = fresh();
    storage
        .put(key(&["d", "incremental", "1"]), b"1".to_vec())
        .await;
    storage
        .put(key(&["d", "incremental", "2"]), b"2".to_vec())
        .await;
    storage.delete(key(&["d", "incremental", "1"])).await;
    storage
        .delete(key(&["d", "incremental", "never-there"]))
        .await;
    assert_eq!(storage.load(key(&["d", "incremental", "1"])).await, None);
    assert_eq!(
        names(&range_of(&storage, &["d"]).await),
        ["d/incremental/2"]
    );
    assert!(!storage.is_failed());
}

#[tokio::test]
async fn put_overwrites() {
    let (_dir, _db, storage) = fresh();
    storage
        .put(key(&["storage-adapter-id"]), b"old".to_vec())
        .await;
    storage
        .put(key(&["storage-adapter-id"]), b"new".to_vec())
        .await;
    let loaded = storage.load(key(&["storage-adapter-id"])).await;
    assert_eq!(loaded.as_deref(), Some(&b"new"[..]));
}

#[tokio::test]
async fn documents_do_not_leak_into_each_other() {
    let (_dir, _db, storage) = fresh();
    let a = "2ZmDJHbPDUMtwxMGJsdoXVrafP3c";
    let b = "2ZmDJHbPDUMtwxMGJsdoXVrafP3cX";
    storage
        .put(key(&[a, "incremental", "h1"]), b"a1".to_vec())
        .await;
    storage
        .put(key(&[a, "snapshot", "s1"]), b"a2".to_vec())
        .await;
    storage
        .put(key(&[b, "incremental", "h1"]), b"b1".to_vec())
        .await;
    assert_eq!(range_of(&storage, &[a]).await.len(), 2);
    assert_eq!(range_of(&storage, &[a, "incremental"]).await.len(), 1);
    let only_b = range_of(&storage, &[b]).await;
    assert_eq!(only_b.values().collect::<Vec<_>>(), [b"b1"]);
}

#[tokio::test]
async fn namespaces_never_see_each_other() {
    let (_dir, db, root) = fresh();
    let spaces = ["ws", "ws/acme", "ws/acme2", "wsx"];
    let mut stores = vec![root];
    for ns in spaces {
        stores.push(RedbStorage::with_namespace(db.clone(), ns).expect("valid namespace"));
    }
    for store in &stores {
        let mine = store.namespace().as_bytes().to_vec();
        store
            .put(key(&["doc", "incremental", "h"]), mine.clone())
            .await;
        store.put(key(&["acme", "x"]), mine).await;
    }
    for store in &stores {
        let mine = store.namespace().as_bytes().to_vec();
        for prefix in [&[][..], &["doc"], &["acme"]] {
            let range = range_of(store, prefix).await;
            assert!(!range.is_empty());
            assert!(
                range.values().all(|v| *v == mine),
                "{:?} leaks",
                store.namespace()
            );
        }
        assert_eq!(range_of(store, &[]).await.len(), 2);
        assert_eq!(store.load(key(&["acme", "x"])).await, Some(mine));
    }
    stores[1].delete(key(&["acme", "x"])).await;
    assert_eq!(stores[1].load(key(&["acme", "x"])).await, None);
    for store in [&stores[0], &stores[2]] {
        assert!(store.load(key(&["acme", "x"])).await.is_some());
    }
}

#[test]
fn invalid_namespaces_are_refused() {
    let (_dir, db, _) = fresh();
    for bad in ["/", "/ws", "ws/", "ws//acme"] {
        let result = RedbStorage::with_namespace(db.clone(), bad);
        assert!(
            matches!(result, Err(StorageError::InvalidNamespace(_))),
            "{bad:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_lose_nothing() {
    let (_dir, _db, storage) = fresh();
    let clones = [storage.clone(), storage.clone()];
    let mut tasks = Vec::new();
    for task in 0..8 {
        let store = clones[task % 2].clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                let name = format!("c{task}-{i}");
                store
                    .put(key(&["doc", "incremental", &name]), name.into_bytes())
                    .await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer task");
    }
    let all = range_of(&storage, &["doc", "incremental"]).await;
    assert_eq!(all.len(), 200);
    assert!(
        all.iter()
            .all(|(k, v)| k.ends_with(std::str::from_utf8(v).expect("utf8")))
    );
    assert!(!storage.is_failed());
}

#[tokio::test]
async fn data_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.redb");
    {
        let db = open_db(&path);
        let storage = RedbStorage::new(db.clone()).expect("storage opens");
        let ws = RedbStorage::with_namespace(db, "ws/acme").expect("storage opens");
        storage
            .put(key(&["doc", "snapshot", "s"]), vec![1, 2, 3])
            .await;
        ws.put(key(&["doc", "snapshot", "s"]), vec![9]).await;
        storage
            .put_many_blocking(vec![(key(&["doc", "incremental", "h"]), vec![4])])
            .expect("put_many");
    }
    let db = Arc::new(Database::open(&path).expect("file reopens"));
    let storage = RedbStorage::new(db.clone()).expect("storage opens");
    let ws = RedbStorage::with_namespace(db, "ws/acme").expect("storage opens");
    let doc = range_of(&storage, &["doc"]).await;
    assert_eq!(doc["doc/snapshot/s"], [1, 2, 3]);
    assert_eq!(doc["doc/incremental/h"], [4]);
    assert_eq!(range_of(&ws, &[]).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_put_only_reads() {
    let (_dir, db, storage) = fresh();
    let k = key(&["doc", "incremental", "h"]);
    storage.put(k.clone(), b"chunk".to_vec()).await;

    // While someone else holds redb's single write lock, a put that has to write must wait,
    // and a put of the bytes already stored must not.
    let blocker = db.begin_write().expect("write txn");
    let same = tokio::time::timeout(
        Duration::from_secs(30),
        storage.put(k.clone(), b"chunk".to_vec()),
    );
    same.await
        .expect("identical put does not wait for the writer");

    let writer = tokio::spawn({
        let storage = storage.clone();
        let k = k.clone();
        async move { storage.put(k, b"other".to_vec()).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!writer.is_finished(), "a real write waits for the lock");
    blocker.abort().expect("abort");
    writer.await.expect("writer");
    assert_eq!(storage.load(k).await.as_deref(), Some(&b"other"[..]));
}

#[test]
fn put_many_is_all_or_nothing() {
    let (_dir, _db, storage) = fresh();
    let batch = |generation: u8| -> Vec<(StorageKey, Vec<u8>)> {
        (0..100)
            .map(|i| {
                (
                    key(&["doc", "incremental", &format!("{i:03}")]),
                    vec![generation],
                )
            })
            .collect()
    };
    let done = Arc::new(AtomicBool::new(false));
    let reader = std::thread::spawn({
        let storage = storage.clone();
        let done = done.clone();
        move || {
            let mut observations = 0;
            // Runs at least once, and on until the writer is done.
            while observations == 0 || !done.load(Ordering::SeqCst) {
                let rows = storage.load_range_blocking(&key(&["doc"])).expect("range");
                let generations: std::collections::BTreeSet<u8> =
                    rows.iter().map(|(_, v)| v[0]).collect();
                assert!(
                    rows.is_empty() || rows.len() == 100,
                    "saw {} rows",
                    rows.len()
                );
                assert!(
                    generations.len() <= 1,
                    "saw a mix of batches {generations:?}"
                );
                observations += 1;
            }
            observations
        }
    });
    for generation in 0..20 {
        storage
            .put_many_blocking(batch(generation))
            .expect("put_many");
    }
    done.store(true, Ordering::SeqCst);
    assert!(reader.join().expect("reader thread") > 0);
    let rows = storage.load_range_blocking(&key(&["doc"])).expect("range");
    assert!(rows.len() == 100 && rows.iter().all(|(_, v)| v == &[19]));
}

#[test]
fn put_many_last_entry_for_a_key_wins() {
    let (_dir, _db, storage) = fresh();
    let k = key(&["doc", "snapshot", "s"]);
    storage
        .put_many_blocking(vec![(k.clone(), vec![2])])
        .expect("put");
    let entries = vec![(k.clone(), vec![1]), (k.clone(), vec![2])];
    storage.put_many_blocking(entries).expect("put_many");
    assert_eq!(storage.load_blocking(&k).expect("load"), Some(vec![2]));
}

#[derive(Debug, Clone)]
enum Op {
    Put(Vec<String>, Vec<u8>),
    Delete(Vec<String>),
}

fn parts() -> impl Strategy<Value = Vec<String>> {
    // Components that sort right around '/' (0x2f): '-', '.', '0' are its neighbours.
    let component = prop::sample::select(vec!["a", "ab", "abc", "a-", "a.", "a0", "b"]);
    prop::collection::vec(component.prop_map(String::from), 0..=3)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (parts(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(k, v)| Op::Put(k, v)),
        1 => parts().prop_map(Op::Delete),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the ops and the namespace, ranges equal samod's own in-memory store's, and
    /// writes to a neighbouring namespace never show up.
    #[test]
    fn ranges_match_in_memory_storage(
        ops in prop::collection::vec(op(), 0..30),
        prefixes in prop::collection::vec(parts(), 1..6),
        spaces in prop::sample::select(vec![("", "ws"), ("ws", ""), ("ws", "ws/a"), ("ws/a", "ws")]),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let (_dir, db, _) = fresh();
            let redb = RedbStorage::with_namespace(db.clone(), spaces.0).expect("namespace");
            let neighbour = RedbStorage::with_namespace(db, spaces.1).expect("namespace");
            let memory = InMemoryStorage::new();
            for op in &ops {
                match op {
                    Op::Put(k, v) => {
                        let k = StorageKey::from_parts(k).expect("valid key");
                        redb.put(k.clone(), v.clone()).await;
                        memory.put(k.clone(), v.clone()).await;
                        neighbour.put(k, b"neighbour".to_vec()).await;
                    }
                    Op::Delete(k) => {
                        let k = StorageKey::from_parts(k).expect("valid key");
                        redb.delete(k.clone()).await;
                        memory.delete(k).await;
                    }
                }
            }
            for prefix in &prefixes {
                let prefix = StorageKey::from_parts(prefix).expect("valid key");
                let got: HashMap<_, _> = redb.load_range(prefix.clone()).await;
                let want = memory.load_range(prefix).await;
                prop_assert_eq!(got, want);
            }
            prop_assert!(!redb.is_failed() && !neighbour.is_failed());
            Ok(())
        })?;
    }
}

#[test]
fn has_prefix_matches_whole_components_within_the_namespace() {
    let (_dir, _db, storage) = fresh();
    let acme = storage.namespaced("ws/acme").expect("namespace");
    storage
        .put_many_blocking(vec![(key(&["doc", "incremental", "h"]), vec![1])])
        .expect("put");
    acme.put_many_blocking(vec![(key(&["mine", "snapshot", "s"]), vec![2])])
        .expect("put");
    let has = |s: &RedbStorage, parts: &[&str]| s.has_prefix_blocking(&key(parts)).expect("read");
    assert!(has(&storage, &["doc"]));
    assert!(has(&storage, &["doc", "incremental"]));
    assert!(
        !has(&storage, &["do"]),
        "component-wise, not a string prefix"
    );
    assert!(!has(&storage, &["doc", "snapshot"]));
    assert!(!has(&acme, &["doc"]), "namespaces do not see each other");
    assert!(has(&acme, &["mine"]));
    assert!(!has(&storage, &["mine"]));
}
