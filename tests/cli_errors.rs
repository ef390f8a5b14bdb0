//! Bad input gets a clear error, a non-zero exit and no panic, and loses nothing.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{assert_clean_failure, cosos, json, run};

#[test]
fn empty_prompt() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cosos(home.path()).args(["generate", "   "]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("prompt is empty"), "{err}");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_megabyte_prompt_from_stdin() {
    let home = tempfile::tempdir().unwrap();
    let mut child = cosos(home.path())
        .args(["generate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let big = "Track our path to $100k MRR ".repeat(40_000);
    assert!(big.len() > 1_000_000);
    child
        .stdin
        .take()
        .unwrap()
        .write_all(big.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = assert_clean_failure(&out);
    assert!(err.contains("limit is 10000"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // Nothing was stored.
    assert_eq!(
        json(home.path(), &["list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn nonsense_prompt_names_the_kinds() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cosos(home.path()).args(["generate", "asdf qwerty"]));
    let err = assert_clean_failure(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("mrr_tracker") && err.contains("operating_system"),
        "{err}"
    );
}

#[test]
fn unknown_id() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        vec!["show", "no-such-artifact"],
        vec!["edit", "2bT5nC5cHXEZbUSNfFAA3ZgNqn9G", "--title", "x"],
        vec!["archive", "automerge:zzz"],
    ] {
        let out = run(cosos(home.path()).args(&args));
        let err = assert_clean_failure(&out);
        assert!(
            err.contains("no artifact with id or slug"),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1);
    }
}

#[test]
fn home_that_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "hello").unwrap();
    let out = run(cosos(&file).args(["list"]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("not a directory"), "{err}");
    let nested = file.join("home");
    let out = run(cosos(&nested).args(["list"]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("cannot use home directory"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hello");
}

#[test]
fn corrupt_store() {
    let home = tempfile::tempdir().unwrap();
    let store = home.path().join("cosos.redb");
    let garbage = vec![0xABu8; 64 * 1024];
    std::fs::write(&store, &garbage).unwrap();
    let out = run(cosos(home.path()).args(["list", "--json"]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("damaged or not a cosos store"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // The file is left as it was, for the founder to inspect or restore.
    assert_eq!(std::fs::read(&store).unwrap(), garbage);
}

#[test]
fn garbage_clock() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cosos(home.path())
        .env("COSOS_NOW", "yesterday-ish")
        .args(["list"]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("COSOS_NOW"), "{err}");
}

#[test]
fn bad_flag_values_are_explained() {
    let home = tempfile::tempdir().unwrap();
    let out = run(cosos(home.path()).args(["generate", "Track MRR", "--stage", "unicorn"]));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("series-a"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn invalid_edits() {
    let home = tempfile::tempdir().unwrap();
    let a = json(
        home.path(),
        &["generate", "Track our path to $100k MRR", "--json"],
    );
    let id = a["id"].as_str().unwrap();
    for args in [
        vec!["edit", id, "--title", "   "],
        vec!["edit", id, "--done", "99"],
        vec!["edit", id, "--done", "0"],
        vec!["edit", id],
    ] {
        let out = run(cosos(home.path()).args(&args));
        assert_clean_failure(&out);
    }
    let shown = json(home.path(), &["show", id, "--json"]);
    assert_eq!(shown["title"], a["title"], "a refused edit changes nothing");
}
