//! The git-tracked folder mirror (DESIGN section 6): real `cosos` processes on temp homes, a real
//! git repository, editors' save patterns, and a second device syncing through a real relay.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::relay::RelayProcess;
use common::{assert_clean_failure, cosos, json, run};
use serde_json::Value;

const MRR: &str = "We're at $12k MRR and want to hit $50k by June 2027";
const BOARD: &str = "Help me prepare for our board meeting next week";
const RETENTION: &str = "Our churn is too high, help me understand retention";

/// A long-running cosos process (`folder --watch` or `serve --folder`), killed on drop, whose
/// stderr lines are collected as they come.
struct Running {
    child: Child,
    stderr: Receiver<String>,
}

impl Running {
    /// Starts `cosos args...` and waits until it says it is mirroring.
    fn start(home: &Path, args: &[&str]) -> Running {
        let mut child = cosos(home)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cosos starts");
        let stdout = lines_of(child.stdout.take().expect("stdout"));
        let started = stdout
            .iter()
            .take(4)
            .any(|l| l.starts_with("Mirroring the workspace into"));
        assert!(started, "cosos {args:?} did not start mirroring");
        // Keep reading, as a terminal would: the process reports every round.
        std::thread::spawn(move || stdout.iter().for_each(drop));
        let stderr = lines_of(child.stderr.take().expect("stderr"));
        Running { child, stderr }
    }

    /// Waits (bounded) for a stderr line containing `needle`.
    fn expect_stderr(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no stderr line with {needle:?}"),
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines_of(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn generate(home: &Path, prompt: &str) -> Value {
    json(home, &["generate", prompt, "--json"])
}

fn show(home: &Path, id: &str) -> Value {
    json(home, &["show", id, "--json"])
}

fn folder(home: &Path, dir: &Path) -> std::process::Output {
    run(cosos(home).arg("folder").arg(dir))
}

fn mirror(home: &Path, dir: &Path) {
    let out = folder(home, dir);
    assert!(
        out.status.success(),
        "cosos folder failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn file_of(dir: &Path, artifact: &Value) -> PathBuf {
    dir.join(format!("{}.md", artifact["slug"].as_str().expect("slug")))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("the file is there")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Founder",
            "-c",
            "user.email=founder@example.com",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Waits (bounded by `within`) until `check` holds; returns how long it took.
fn within(what: &str, limit: Duration, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < limit, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
    start.elapsed()
}

/// An editor that writes a temp file and renames it over the original (VS Code, most IDEs).
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("md.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// An editor that truncates the file and writes it in place (nano, `>` redirection).
fn save_in_place(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f.sync_all().unwrap();
}

/// An editor that moves the original to a backup, writes a new file, then drops the backup (vim).
fn save_with_backup(path: &Path, text: &str) {
    let backup = path.with_extension("md~");
    std::fs::rename(path, &backup).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
}

#[test]
fn a_mirror_is_one_file_per_artifact_and_a_rerun_after_a_commit_changes_nothing() {
    let (home, dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let artifacts: Vec<Value> = [MRR, BOARD, RETENTION]
        .iter()
        .map(|p| generate(home.path(), p))
        .collect();
    mirror(home.path(), dir.path());
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = artifacts
        .iter()
        .map(|a| format!("{}.md", a["slug"].as_str().unwrap()))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for a in &artifacts {
        let text = read(&file_of(dir.path(), a));
        let front = format!(
            "---\nid: {}\nkind: {}\ntitle: ",
            a["id"].as_str().unwrap(),
            a["kind"].as_str().unwrap()
        );
        assert!(text.starts_with(&front), "{text}");
        assert!(text.contains(&format!("\n# {}\n", a["title"].as_str().unwrap())));
        assert!(text.contains("\n## Notes\n"));
    }

    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "board packs"]);
    mirror(home.path(), dir.path());
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");

    // A change to one artifact changes its file only; mirroring again changes nothing more.
    let id = artifacts[1]["id"].as_str().unwrap();
    run(cosos(home.path()).args(["edit", id, "--notes", "Ask about the bridge round"]));
    mirror(home.path(), dir.path());
    let changed = format!(" M {}.md\n", artifacts[1]["slug"].as_str().unwrap());
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), changed);
    mirror(home.path(), dir.path());
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), changed);
}

#[test]
fn with_watch_running_file_edits_reach_the_document_within_two_seconds() {
    let (home, dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let artifact = generate(home.path(), MRR);
    let id = artifact["id"].as_str().unwrap();
    let path = file_of(dir.path(), &artifact);
    let dir_arg = dir.path().to_str().unwrap();
    let watching = Running::start(home.path(), &["folder", dir_arg, "--watch"]);
    within("the file is written", Duration::from_secs(10), || {
        path.exists()
    });

    // Notes by write-and-rename, a tick by truncate-and-write, a title by backup-and-write.
    let edited = read(&path).replace("## Notes\n", "## Notes\n\nDana says annual plans.\n");
    save_by_rename(&path, &edited);
    let took = within(
        "the notes reach the document",
        Duration::from_secs(2),
        || show(home.path(), id)["notes"] == "Dana says annual plans.",
    );
    eprintln!("notes applied {took:?} after the save");
    save_in_place(&path, &read(&path).replacen("- [ ]", "- [x]", 1));
    within(
        "the tick reaches the document",
        Duration::from_secs(2),
        || show(home.path(), id)["content"]["next_actions"][0]["done"] == true,
    );
    let retitled = read(&path).replacen(
        "\n# Path to $50k MRR by June 2027\n",
        "\n# Road to $50k\n",
        1,
    );
    save_with_backup(&path, &retitled);
    within(
        "the title reaches the document",
        Duration::from_secs(2),
        || show(home.path(), id)["title"] == "Road to $50k",
    );
    let shown = show(home.path(), id);
    assert_eq!(shown["archived"], false, "a save is never a delete");
    assert_eq!(shown["notes"], "Dana says annual plans.");
    within("the front matter follows", Duration::from_secs(2), || {
        read(&path).contains("\ntitle: Road to $50k\n")
    });

    // The other way: an edit through the running process rewrites the file, once.
    run(cosos(home.path()).args(["edit", id, "--notes", "From the CLI"]));
    within(
        "the file follows the document",
        Duration::from_secs(2),
        || read(&path).ends_with("## Notes\n\nFrom the CLI\n"),
    );
    let settled = read(&path);
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(read(&path), settled, "no rewrite loop");
    assert_eq!(show(home.path(), id)["notes"], "From the CLI");

    // Broken front matter is reported; the document and the file stay as they are.
    let before = show(home.path(), id);
    let broken = read(&path)
        .replacen("---\nid: ", "---\nid: [", 1)
        .replace("From the CLI", "lost?");
    save_by_rename(&path, &broken);
    let line = watching.expect_stderr(&format!("{}.md", artifact["slug"].as_str().unwrap()));
    assert!(
        line.starts_with("error: ") && line.contains("front matter"),
        "{line}"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(show(home.path(), id), before);
    assert_eq!(read(&path), broken);

    // Deleting the file archives the artifact.
    std::fs::remove_file(&path).unwrap();
    within("deleting archives", Duration::from_secs(5), || {
        show(home.path(), id)["archived"] == true
    });
    drop(watching);
}

#[test]
fn polling_covers_filesystems_without_events() {
    let (home, dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let artifact = generate(home.path(), BOARD);
    let id = artifact["id"].as_str().unwrap();
    let path = file_of(dir.path(), &artifact);
    let dir_arg = dir.path().to_str().unwrap();
    let _watching = Running::start(home.path(), &["folder", dir_arg, "--watch", "--poll"]);
    within("the file is written", Duration::from_secs(10), || {
        path.exists()
    });
    save_by_rename(
        &path,
        &read(&path).replace("## Notes\n", "## Notes\n\nPolled.\n"),
    );
    within(
        "the notes reach the document",
        Duration::from_secs(5),
        || show(home.path(), id)["notes"] == "Polled.",
    );
}

#[test]
fn broken_front_matter_fails_the_pass_and_touches_nothing() {
    let (home, dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let artifact = generate(home.path(), MRR);
    let other = generate(home.path(), BOARD);
    let id = artifact["id"].as_str().unwrap();
    mirror(home.path(), dir.path());
    let path = file_of(dir.path(), &artifact);
    let before = show(home.path(), id);
    for broken in [
        read(&path).replacen("---\n", "", 1),
        read(&path).replacen("\nid: ", "\nid: [", 1),
        read(&path).replacen("\nid: ", "\nid: 1nvalidButWellFormed\nx: ", 1),
    ] {
        let broken = broken.replace("## Notes\n", "## Notes\n\nnot applied\n");
        std::fs::write(&path, &broken).unwrap();
        // Meanwhile another artifact changes: the pass still mirrors it.
        let notes = format!("changed {}", broken.len());
        run(cosos(home.path()).args(["edit", other["id"].as_str().unwrap(), "--notes", &notes]));
        let err = assert_clean_failure(&folder(home.path(), dir.path()));
        let name = format!("{}.md", artifact["slug"].as_str().unwrap());
        assert!(err.contains(&name), "{err}");
        assert!(err.contains("could not be read back"), "{err}");
        assert_eq!(show(home.path(), id), before);
        assert_eq!(read(&path), broken);
        assert!(read(&file_of(dir.path(), &other)).contains(&notes));
    }
}

#[test]
fn a_file_edit_and_an_edit_synced_from_another_device_both_survive() {
    let (relay_home, a, b, dir) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let relay = RelayProcess::start(relay_home.path(), &[]);
    let (token_a, token_b) = (relay.token("acme"), relay.token("acme"));
    let artifact = generate(a.path(), MRR);
    let id = artifact["id"].as_str().unwrap();
    run(cosos(a.path()).args(["edit", id, "--notes", "Plan: hire a second AE."]));
    let sync = |home: &Path, token: &str| {
        json(
            home,
            &["sync", "--relay", &relay.url(), "--token", token, "--json"],
        );
    };
    sync(a.path(), &token_a);
    let url = json(a.path(), &["workspace", "--json"])["url"]
        .as_str()
        .unwrap()
        .to_string();
    json(
        b.path(),
        &[
            "clone",
            &url,
            "--relay",
            &relay.url(),
            "--token",
            &token_b,
            "--json",
        ],
    );

    // Device A serves with the folder mirrored and live sync on.
    let port = common::relay::free_port().to_string();
    let addr = format!("127.0.0.1:{port}");
    let dir_arg = dir.path().to_str().unwrap();
    let _serving = Running::start(
        a.path(),
        &[
            "serve",
            "--addr",
            &addr,
            "--folder",
            dir_arg,
            "--relay",
            &relay.url(),
            "--token",
            &token_a,
        ],
    );
    let path = file_of(dir.path(), &artifact);
    within("the file is written", Duration::from_secs(10), || {
        path.exists()
    });
    let (status, settings) = common::http_get(&format!("http://{addr}/settings"));
    assert_eq!(status, 200);
    // Tera escapes the slashes of the path.
    let shown = format!(
        "<code>{}</code>, mirrored both ways",
        dir_arg.replace('/', "&#x2F;")
    );
    assert!(settings.contains(&shown), "{settings}");

    // At the same moment: the founder saves the file on A, and B's edit arrives by sync.
    let edited = read(&path).replace(
        "hire a second AE.",
        "hire a second AE.\nFrom the editor on A.",
    );
    let b_home = b.path().to_path_buf();
    let (relay_url, token) = (relay.url(), token_b.clone());
    let id_b = id.to_string();
    let device_b = std::thread::spawn(move || {
        run(cosos(&b_home).args(["edit", &id_b, "--notes", "From B.\nPlan: hire a second AE."]));
        run(cosos(&b_home).args(["sync", "--relay", &relay_url, "--token", &token]));
    });
    save_by_rename(&path, &edited);
    device_b.join().unwrap();

    let both = "From B.\nPlan: hire a second AE.\nFrom the editor on A.";
    within("A has both edits", Duration::from_secs(15), || {
        show(a.path(), id)["notes"] == both
    });
    within("A's file has both edits", Duration::from_secs(5), || {
        read(&path).ends_with(&format!("## Notes\n\n{both}\n"))
    });
    within("B has both edits", Duration::from_secs(15), || {
        sync(b.path(), &token_b);
        show(b.path(), id)["notes"] == both
    });
}

#[test]
fn a_one_shot_mirror_goes_through_a_running_server() {
    let (home, dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let artifact = generate(home.path(), RETENTION);
    let watched = tempfile::tempdir().unwrap();
    let _watching = Running::start(
        home.path(),
        &["folder", watched.path().to_str().unwrap(), "--watch"],
    );
    // The store is held by `folder --watch`; this pass goes through its local API.
    let out = run(cosos(home.path())
        .args(["folder", "--json"])
        .arg(dir.path()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["written"], 1);
    assert!(read(&file_of(dir.path(), &artifact)).contains("\n## Notes\n"));
}
