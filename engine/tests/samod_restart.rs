//! A real samod repo on `RedbStorage`: documents survive a full shutdown and reopening of the
//! redb file, and one store can serve successive repos.

use std::path::Path;
use std::sync::{Arc, Weak};
use std::time::Duration;

use automerge::{Automerge, AutomergeError, ROOT, ReadDoc, transaction::Transactable};
use cosos_engine::storage::RedbStorage;
use redb::Database;
use samod::storage::StorageKey;
use samod::{DocHandle, DocumentId, Repo};

const TIMEOUT: Duration = Duration::from_secs(60);

fn open_db(path: &Path) -> Arc<Database> {
    Arc::new(Database::create(path).expect("redb file opens"))
}

async fn start_repo(storage: RedbStorage) -> Repo {
    Repo::build_tokio().with_storage(storage).load().await
}

fn put_all(doc: &mut Automerge, entries: &[(&str, &str)]) {
    doc.transact(|tx| {
        for (k, v) in entries {
            tx.put(ROOT, *k, *v)?;
        }
        Ok::<_, AutomergeError>(())
    })
    .expect("transaction");
}

fn get_str(doc: &Automerge, k: &str) -> Option<String> {
    let (value, _) = doc.get(ROOT, k).expect("read")?;
    value.as_str().map(str::to_string)
}

fn get_int(doc: &Automerge, k: &str) -> Option<i64> {
    let (value, _) = doc.get(ROOT, k).expect("read")?;
    value.as_i64()
}

async fn create(repo: &Repo, entries: &[(&str, &str)]) -> DocHandle {
    let mut doc = Automerge::new();
    put_all(&mut doc, entries);
    repo.create(doc).await.expect("repo running")
}

async fn find(repo: &Repo, id: &DocumentId) -> Option<DocHandle> {
    tokio::time::timeout(TIMEOUT, repo.find(id.clone()))
        .await
        .expect("find answers")
        .expect("repo running")
}

async fn read<R: Send + 'static>(
    handle: &DocHandle,
    f: impl FnOnce(&mut Automerge) -> R + Send + 'static,
) -> R {
    handle.with_document_async(f).await.expect("repo running")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Writes three documents (one busy enough to be compacted) and returns their ids.
async fn write_documents(storage: RedbStorage) -> [DocumentId; 3] {
    let repo = start_repo(storage.clone()).await;
    let one = create(&repo, &[("title", "one"), ("kind", "okr")]).await;
    let two = create(&repo, &[("title", "two")]).await;
    let busy = create(&repo, &[("title", "busy")]).await;
    // samod compacts when a save finds more than ten new changes (or ten chunks on disk): make
    // twelve changes between two saves, then a few more that land as incremental chunks on top.
    let counter = |range: std::ops::Range<i64>| {
        move |doc: &mut Automerge| {
            for i in range {
                doc.transact(|tx| tx.put(ROOT, "counter", i))
                    .expect("transaction");
            }
        }
    };
    read(&busy, counter(0..12)).await;
    for i in 12..15 {
        read(&busy, counter(i..i + 1)).await;
    }
    tokio::time::timeout(TIMEOUT, repo.stop())
        .await
        .expect("repo stops");
    assert!(!storage.is_failed(), "{:?}", storage.failure());
    [one, two, busy].map(|h| h.document_id().clone())
}

async fn check_documents(storage: RedbStorage, ids: &[DocumentId; 3]) {
    let snapshots =
        StorageKey::from_parts([ids[2].to_string(), "snapshot".to_string()]).expect("valid key");
    let compacted = storage.load_range_blocking(&snapshots).expect("range");
    assert!(!compacted.is_empty(), "the busy document was compacted");

    let repo = start_repo(storage.clone()).await;
    let one = find(&repo, &ids[0]).await.expect("document one is found");
    let (title, kind) = read(&one, |d| (get_str(d, "title"), get_str(d, "kind"))).await;
    assert_eq!(
        (title.as_deref(), kind.as_deref()),
        (Some("one"), Some("okr"))
    );
    let two = find(&repo, &ids[1]).await.expect("document two is found");
    assert_eq!(
        read(&two, |d| get_str(d, "title")).await.as_deref(),
        Some("two")
    );
    let busy = find(&repo, &ids[2]).await.expect("busy document is found");
    let (title, counter) = read(&busy, |d| (get_str(d, "title"), get_int(d, "counter"))).await;
    assert_eq!((title.as_deref(), counter), (Some("busy"), Some(14)));
    tokio::time::timeout(TIMEOUT, repo.stop())
        .await
        .expect("repo stops");
    assert!(!storage.is_failed());
}

#[test]
fn documents_survive_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.redb");

    let db = open_db(&path);
    let storage = RedbStorage::new(db.clone()).expect("storage opens");
    let first_run = runtime();
    let ids = first_run.block_on(write_documents(storage));
    // samod's io loop keeps a storage clone until its runtime goes away, even after `stop`:
    // only dropping the runtime releases the database so the file can be opened again.
    drop(first_run);
    let weak: Weak<Database> = Arc::downgrade(&db);
    drop(db);
    assert!(
        weak.upgrade().is_none(),
        "nothing holds the database any more"
    );

    let db = open_db(&path);
    let storage = RedbStorage::new(db).expect("storage reopens");
    runtime().block_on(check_documents(storage, &ids));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn successive_repos_share_one_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = open_db(&dir.path().join("store.redb"));
    let adapter_id = StorageKey::from_parts(["storage-adapter-id"]).expect("valid key");

    let first = RedbStorage::new(db.clone()).expect("storage opens");
    let repo = start_repo(first.clone()).await;
    let id = create(&repo, &[("a", "from the first repo")])
        .await
        .document_id()
        .clone();
    repo.stop().await;
    let first_adapter_id = first.load_blocking(&adapter_id).expect("load");
    assert!(first_adapter_id.is_some(), "samod records its storage id");

    // A separately built storage on the same database, as a second process would have.
    let second = RedbStorage::new(db.clone()).expect("storage opens");
    let repo = start_repo(second.clone()).await;
    let handle = find(&repo, &id)
        .await
        .expect("the second repo finds the document");
    read(&handle, |d| put_all(d, &[("b", "from the second repo")])).await;
    repo.stop().await;
    assert_eq!(
        second.load_blocking(&adapter_id).expect("load"),
        first_adapter_id
    );

    let repo = start_repo(first.clone()).await;
    let handle = find(&repo, &id).await.expect("found again");
    let both = read(&handle, |d| (get_str(d, "a"), get_str(d, "b"))).await;
    assert_eq!(
        (both.0.as_deref(), both.1.as_deref()),
        (Some("from the first repo"), Some("from the second repo"))
    );
    repo.stop().await;
    assert!(!first.is_failed() && !second.is_failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespaced_repo_cannot_find_another_namespaces_documents() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = open_db(&dir.path().join("relay.redb"));
    let acme = RedbStorage::with_namespace(db.clone(), "ws/acme").expect("storage opens");
    let other = RedbStorage::with_namespace(db.clone(), "ws/other").expect("storage opens");

    let repo = start_repo(acme).await;
    let id = create(&repo, &[("secret", "acme only")])
        .await
        .document_id()
        .clone();
    repo.stop().await;

    let repo = start_repo(other.clone()).await;
    assert!(
        find(&repo, &id).await.is_none(),
        "another workspace's document is invisible"
    );
    repo.stop().await;
    let prefix = StorageKey::from_parts([id.to_string()]).expect("valid key");
    assert!(
        other
            .load_range_blocking(&prefix)
            .expect("range")
            .is_empty()
    );
}
