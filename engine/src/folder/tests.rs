//! The mirror against a real workspace in a temp home.

use std::path::Path;

use cosos_artifacts::Request;

use super::*;
use crate::{ArtifactEdit, Clock, OpenOptions, Workspace};

struct Fixture {
    _home: tempfile::TempDir,
    folder: tempfile::TempDir,
    ws: Workspace,
    slug: String,
}

impl Fixture {
    async fn new() -> Fixture {
        let home = tempfile::tempdir().unwrap();
        let ws = Workspace::open(OpenOptions {
            home: home.path().to_path_buf(),
            clock: Clock::parse("2026-11-26T12:00:00Z").unwrap(),
        })
        .await
        .unwrap();
        let request = |prompt: &str| Request {
            prompt: prompt.into(),
            ..Default::default()
        };
        let first = ws
            .generate(
                &request("We're at $12k MRR and want to hit $50k by June 2027"),
                None,
            )
            .await
            .unwrap();
        ws.generate(
            &request("Help me prepare for our board meeting next week"),
            None,
        )
        .await
        .unwrap();
        Fixture {
            _home: home,
            folder: tempfile::tempdir().unwrap(),
            ws,
            slug: first.slug,
        }
    }

    async fn pass(&self) -> MirrorReport {
        self.mirror().await.pass().await.unwrap()
    }

    async fn mirror(&self) -> Mirror {
        Mirror::open(self.ws.clone(), self.folder.path())
            .await
            .unwrap()
    }

    fn path(&self) -> std::path::PathBuf {
        self.folder.path().join(format!("{}.md", self.slug))
    }

    fn read(&self) -> String {
        std::fs::read_to_string(self.path()).unwrap()
    }

    fn edit_file(&self, f: impl FnOnce(String) -> String) {
        std::fs::write(self.path(), f(self.read())).unwrap();
    }

    async fn set_notes(&self, notes: &str) {
        let edit = ArtifactEdit {
            notes: Some(notes.into()),
            ..Default::default()
        };
        self.ws.edit(&self.slug, edit).await.unwrap();
    }

    async fn artifact(&self) -> crate::ArtifactRecord {
        self.ws.get(&self.slug).await.unwrap()
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_pass_writes_one_file_per_artifact_and_a_second_changes_nothing() {
    let f = Fixture::new().await;
    let first = f.pass().await;
    assert_eq!((first.written, first.unchanged), (2, 0));
    assert_eq!(names(f.folder.path()).len(), 2, "no temp files left");
    let before = f.read();
    assert!(before.starts_with("---\nid: "));
    assert!(before.contains(&format!("\n---\n\n# {}\n", f.artifact().await.title)));
    let second = f.pass().await;
    assert_eq!((second.written, second.unchanged), (0, 2));
    assert_eq!(f.read(), before);
}

#[tokio::test]
async fn notes_title_and_ticks_flow_back() {
    let f = Fixture::new().await;
    f.pass().await;
    f.edit_file(|t| {
        t.replacen("- [ ]", "- [x]", 1)
            .replace("## Notes\n", "## Notes\n\nCall Dana about annual plans.\n")
            .replacen(
                &format!("# {}", "Path to $50k MRR by June 2027"),
                "# Road to $50k",
                1,
            )
    });
    let report = f.pass().await;
    assert_eq!(report.imported, 1);
    assert!(report.notices.is_empty(), "{:?}", report.notices);
    let a = f.artifact().await;
    assert_eq!(a.title, "Road to $50k");
    assert_eq!(a.notes, "Call Dana about annual plans.");
    assert_eq!(a.content["next_actions"][0]["done"], true);
    assert_eq!(a.content["next_actions"][1]["done"], false);
    let index = f.ws.list().await.unwrap();
    assert!(
        index.iter().any(|r| r.title == "Road to $50k"),
        "index follows"
    );
    // The file now says the new title in the front matter too.
    assert!(f.read().contains("title: Road to $50k\n"));
}

#[tokio::test]
async fn a_file_edit_and_a_concurrent_document_edit_both_survive() {
    let f = Fixture::new().await;
    f.set_notes("first line\nsecond line").await;
    f.pass().await;
    // Meanwhile, another device's edit reaches the document...
    f.set_notes("from the laptop\nfirst line\nsecond line")
        .await;
    // ...while the founder edits the file rendered before it.
    f.edit_file(|t| t.replace("second line", "second line\nfrom the editor"));
    f.pass().await;
    let notes = f.artifact().await.notes;
    assert_eq!(
        notes,
        "from the laptop\nfirst line\nsecond line\nfrom the editor"
    );
    assert!(
        f.read()
            .ends_with("from the laptop\nfirst line\nsecond line\nfrom the editor\n")
    );
}

#[tokio::test]
async fn broken_front_matter_leaves_the_document_and_the_file_alone() {
    let f = Fixture::new().await;
    f.pass().await;
    let before = f.artifact().await;
    f.edit_file(|t| {
        t.replacen("id: ", "title: [unclosed\nid: ", 1)
            .replace("## Notes\n", "## Notes\n\nNot applied.\n")
    });
    let broken = f.read();
    let report = f.pass().await;
    assert_eq!(report.problems(), 1);
    assert!(
        report.notices[0].message.contains("not valid YAML"),
        "{:?}",
        report.notices
    );
    assert_eq!(f.artifact().await, before);
    assert_eq!(f.read(), broken);
    // An id that is not this artifact's is refused the same way.
    f.edit_file(|t| t.replacen("title: [unclosed\nid: ", "id: x", 1));
    let report = f.pass().await;
    assert_eq!(report.problems(), 1);
    assert_eq!(f.artifact().await, before);
}

#[tokio::test]
async fn edits_to_generated_sections_are_restored_and_told() {
    let f = Fixture::new().await;
    f.pass().await;
    let clean = f.read();
    f.edit_file(|t| t.replace("$14,713.72", "$99"));
    let report = f.pass().await;
    assert_eq!(report.imported, 0);
    assert_eq!(report.notices.len(), 1);
    assert!(!report.notices[0].problem);
    assert_eq!(f.read(), clean);
}

#[tokio::test]
async fn deleting_a_file_archives_and_unarchiving_restores_it() {
    let f = Fixture::new().await;
    f.pass().await;
    std::fs::remove_file(f.path()).unwrap();
    let report = f.pass().await;
    assert_eq!(report.archived, 1);
    assert!(f.artifact().await.archived);
    assert!(!f.path().exists());
    f.ws.edit(
        &f.slug,
        ArtifactEdit {
            archived: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(f.pass().await.written, 1);
    assert!(f.path().exists());
    // Archiving elsewhere removes the file.
    f.ws.archive(&f.artifact().await.id).await.unwrap();
    assert_eq!(f.pass().await.removed, 1);
    assert!(!f.path().exists());
}

#[tokio::test]
async fn files_the_mirror_did_not_write_are_never_overwritten() {
    let f = Fixture::new().await;
    std::fs::write(f.path(), "---\nid: someone-elses\n---\n# Mine\n").unwrap();
    std::fs::write(f.folder.path().join("README.md"), "# Our board packs\n").unwrap();
    std::fs::write(f.folder.path().join("copy.md"), "---\nid: nobody\n---\n").unwrap();
    let report = f.pass().await;
    let mut files: Vec<&str> = report.notices.iter().map(|n| n.file.as_str()).collect();
    files.sort();
    assert_eq!(files, vec!["copy.md", format!("{}.md", f.slug).as_str()]);
    assert!(report.notices.iter().all(|n| n.problem));
    assert_eq!(f.read(), "---\nid: someone-elses\n---\n# Mine\n");
    assert_eq!(
        std::fs::read_to_string(f.folder.path().join("README.md")).unwrap(),
        "# Our board packs\n"
    );
}

#[tokio::test]
async fn an_identical_file_from_git_is_adopted_silently() {
    let f = Fixture::new().await;
    f.pass().await;
    let text = f.read();
    // A fresh mirror state (another device, a clean clone of the repo) over the same files.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join(format!("{}.md", f.slug)), &text).unwrap();
    let report = Mirror::open(f.ws.clone(), other.path())
        .await
        .unwrap()
        .pass()
        .await
        .unwrap();
    assert!(report.notices.is_empty(), "{:?}", report.notices);
    assert_eq!((report.written, report.unchanged), (1, 1));
}

#[tokio::test]
async fn own_writes_are_not_read_back_as_edits() {
    let f = Fixture::new().await;
    let mut mirror = f.mirror().await;
    mirror.pass().await.unwrap();
    let again = mirror.files_changed(&[f.path()]).await.unwrap();
    assert_eq!((again.imported, again.written, again.unchanged), (0, 0, 1));
}

#[tokio::test]
async fn a_file_written_under_a_stale_record_is_not_applied_twice() {
    let f = Fixture::new().await;
    let mut first = f.mirror().await;
    first.pass().await.unwrap();
    f.set_notes("Only once.").await;
    // Another mirror of the same folder (the API's one-shot pass beside a watch) writes the file.
    f.mirror().await.pass().await.unwrap();
    let report = first.files_changed(&[f.path()]).await.unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(f.artifact().await.notes, "Only once.");
    // A real edit on top of it still flows back, once.
    f.edit_file(|t| t.replace("Only once.", "Only once. Really."));
    first.files_changed(&[f.path()]).await.unwrap();
    assert_eq!(f.artifact().await.notes, "Only once. Really.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_goes_idle_and_reading_the_files_wakes_nothing() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let f = Fixture::new().await;
    let rounds = Arc::new(AtomicUsize::new(0));
    let counted = rounds.clone();
    let stop = stop_signal();
    let watching = tokio::spawn(watch(
        f.mirror().await,
        Watching::Events,
        stop.1,
        move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        },
    ));
    let settle = || tokio::time::sleep(std::time::Duration::from_millis(600));
    settle().await;
    let idle = rounds.load(Ordering::SeqCst);
    for name in names(f.folder.path()) {
        std::fs::read(f.folder.path().join(name)).unwrap();
    }
    settle().await;
    assert_eq!(rounds.load(Ordering::SeqCst), idle, "reads started rounds");
    // A save does start one.
    f.edit_file(|t| t.replace("## Notes\n", "## Notes\n\nSaved.\n"));
    settle().await;
    assert!(rounds.load(Ordering::SeqCst) > idle);
    assert_eq!(f.artifact().await.notes, "Saved.");
    let _ = stop.0.send(());
    watching.await.unwrap().unwrap();
}

/// A stop signal for `watch` and the future it waits on.
fn stop_signal() -> (tokio::sync::oneshot::Sender<()>, impl Future<Output = ()>) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    (tx, async move {
        let _ = rx.await;
    })
}

#[tokio::test]
async fn a_folder_deleted_and_made_again_archives_nothing() {
    let f = Fixture::new().await;
    f.pass().await;
    std::fs::remove_dir_all(f.folder.path()).unwrap();
    let report = f.pass().await;
    assert_eq!((report.archived, report.written), (0, 2));
    assert!(!f.artifact().await.archived);
    // Deleting one file of it still archives that artifact.
    std::fs::remove_file(f.path()).unwrap();
    assert_eq!(f.pass().await.archived, 1);
}

#[tokio::test]
async fn an_oversized_file_is_refused_unread() {
    let f = Fixture::new().await;
    f.pass().await;
    let before = f.artifact().await;
    let huge = format!("{}{}", f.read(), "x".repeat((MAX_FILE_BYTES + 10) as usize));
    std::fs::write(f.path(), &huge).unwrap();
    let report = f.pass().await;
    assert_eq!(report.problems(), 1);
    assert!(report.notices[0].message.contains("larger than 4 MiB"));
    assert_eq!(f.artifact().await, before);
    assert_eq!(
        std::fs::metadata(f.path()).unwrap().len(),
        huge.len() as u64
    );
}
