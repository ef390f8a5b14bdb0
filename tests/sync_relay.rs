//! Two devices and a real relay process on loopback: clone, offline edits that merge, and a relay
//! killed mid-sync (DESIGN section 3).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::relay::RelayProcess;
use common::{assert_clean_failure, cosos, json, run};
use serde_json::Value;

const MRR: &str = "We're at $12k MRR and want to hit $50k by June 2027";

fn sync(home: &Path, relay: &RelayProcess, token: &str) -> Value {
    json(
        home,
        &["sync", "--relay", &relay.url(), "--token", token, "--json"],
    )
}

fn clone(home: &Path, relay: &RelayProcess, token: &str, workspace_url: &str) -> Value {
    json(
        home,
        &[
            "clone",
            workspace_url,
            "--relay",
            &relay.url(),
            "--token",
            token,
            "--json",
        ],
    )
}

fn workspace_url(home: &Path) -> String {
    json(home, &["workspace", "--json"])["url"]
        .as_str()
        .expect("url")
        .to_string()
}

/// id -> (title, notes) for every artifact of a device.
fn titles_and_notes(home: &Path) -> BTreeMap<String, (String, String)> {
    let list = json(home, &["list", "--json"]);
    list.as_array()
        .expect("array")
        .iter()
        .map(|row| {
            let id = row["id"].as_str().expect("id").to_string();
            let shown = json(home, &["show", &id, "--json"]);
            let title = shown["title"].as_str().expect("title").to_string();
            let notes = shown["notes"].as_str().expect("notes").to_string();
            (id, (title, notes))
        })
        .collect()
}

fn generate(home: &Path, prompt: &str) -> Value {
    json(home, &["generate", prompt, "--json"])
}

fn edit(home: &Path, id: &str, flag: &str, value: &str) {
    json(home, &["edit", id, flag, value, "--json"]);
}

#[test]
fn a_second_device_clones_and_offline_edits_merge_both_ways() {
    let (relay_home, a, b) = (tempdir(), tempdir(), tempdir());
    let relay = RelayProcess::start(relay_home.path(), &[]);
    let token = relay.token("acme");

    let mrr = generate(a.path(), MRR);
    let board = generate(a.path(), "Help me prepare for our board meeting next week");
    let funnel = generate(
        a.path(),
        "Why are signups not activating? Build an activation funnel",
    );
    let pushed = sync(a.path(), &relay, &token);
    assert_eq!(pushed["documents"], 4, "{pushed}");

    let cloned = clone(b.path(), &relay, &token, &workspace_url(a.path()));
    assert_eq!(cloned["received"], 3, "{cloned}");
    assert_eq!(workspace_url(b.path()), workspace_url(a.path()));
    assert_eq!(titles_and_notes(a.path()), titles_and_notes(b.path()));
    let shown = json(b.path(), &["show", mrr["id"].as_str().unwrap(), "--json"]);
    assert_eq!(
        shown["content"], mrr["content"],
        "the whole artifact arrived"
    );

    // Offline on both devices: the title on A, the notes on B, and both titles of one document.
    let (mrr_id, board_id) = (mrr["id"].as_str().unwrap(), board["id"].as_str().unwrap());
    edit(a.path(), mrr_id, "--title", "Our path to $50k");
    edit(
        b.path(),
        mrr_id,
        "--notes",
        "Agreed with the board on Tuesday",
    );
    let board_title = board["title"].as_str().unwrap();
    edit(
        a.path(),
        board_id,
        "--title",
        &format!("{board_title} (final)"),
    );
    edit(
        b.path(),
        board_id,
        "--title",
        &format!("Draft: {board_title}"),
    );
    let new_on_b = generate(b.path(), "Track our retention and churn by cohort");
    // Whole-title replacements on both sides merge character-wise into something neither typed;
    // what matters is that every view of it agrees.
    let funnel_id = funnel["id"].as_str().unwrap();
    edit(a.path(), funnel_id, "--title", "Alpha plan");
    edit(b.path(), funnel_id, "--title", "Beta plan");

    sync(a.path(), &relay, &token);
    let b_summary = sync(b.path(), &relay, &token);
    assert_eq!(b_summary["received"], 0, "{b_summary}");
    let a_summary = sync(a.path(), &relay, &token);
    assert_eq!(
        a_summary["received"], 1,
        "B's new artifact reached A: {a_summary}"
    );

    let on_a = titles_and_notes(a.path());
    assert_eq!(on_a, titles_and_notes(b.path()), "both devices converge");
    assert_eq!(
        on_a[mrr_id],
        (
            "Our path to $50k".to_string(),
            "Agreed with the board on Tuesday".to_string()
        )
    );
    assert_eq!(on_a[board_id].0, format!("Draft: {board_title} (final)"));
    assert!(on_a.contains_key(new_on_b["id"].as_str().unwrap()));
    assert!(on_a.contains_key(funnel["id"].as_str().unwrap()));
    for device in [a.path(), b.path()] {
        let listed = json(device, &["list", "--json"]);
        for row in listed.as_array().unwrap() {
            let id = row["id"].as_str().unwrap();
            assert_eq!(
                row["title"].as_str(),
                Some(on_a[id].0.as_str()),
                "list agrees with show"
            );
        }
    }
}

#[test]
fn a_relay_killed_mid_sync_loses_nothing_acknowledged() {
    let (relay_home, a, b) = (tempdir(), tempdir(), tempdir());
    let mut relay = RelayProcess::start(relay_home.path(), &[]);
    let token = relay.token("acme");
    let mut ids = Vec::new();
    for i in 0..40 {
        let prompt = format!(
            "We're at ${}k MRR and want to hit $90k by June 2027",
            10 + i
        );
        ids.push(
            generate(a.path(), &prompt)["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }

    let syncing = cosos(a.path())
        .args(["sync", "--relay", &relay.url(), "--token", &token, "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sync starts");
    std::thread::sleep(std::time::Duration::from_millis(40));
    relay.kill();
    std::thread::sleep(std::time::Duration::from_millis(300));
    relay.restart();
    let out = syncing.wait_with_output().expect("sync ends");
    assert!(
        out.status.success(),
        "sync rides out the restart: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // And once more without any warning right after a sync, before the relay could flush.
    relay.kill();
    relay.restart();
    sync(a.path(), &relay, &token);
    clone(b.path(), &relay, &token, &workspace_url(a.path()));
    let on_b = titles_and_notes(b.path());
    for id in &ids {
        assert!(on_b.contains_key(id), "artifact {id} reached B");
    }
    assert_eq!(on_b, titles_and_notes(a.path()));
}

#[test]
fn bad_relay_arguments_fail_clearly() {
    let (relay_home, a) = (tempdir(), tempdir());
    let relay = RelayProcess::start(relay_home.path(), &[]);
    generate(a.path(), MRR);
    let bad_token =
        run(cosos(a.path()).args(["sync", "--relay", &relay.url(), "--token", "cosr_nope"]));
    let err = assert_clean_failure(&bad_token);
    assert!(err.contains("refused the token"), "{err}");
    assert!(!err.contains("cosr_nope"), "the token is not echoed: {err}");
    let in_url = run(cosos(a.path()).args([
        "sync",
        "--relay",
        &format!("{}?token=secret", relay.url()),
        "--token",
        "x",
    ]));
    let err = assert_clean_failure(&in_url);
    assert!(err.contains("--token") && !err.contains("secret"), "{err}");
    let http =
        run(cosos(a.path()).args(["sync", "--relay", "http://127.0.0.1:1/sync", "--token", "x"]));
    assert!(assert_clean_failure(&http).contains("ws://"));
}

#[test]
fn sync_goes_through_a_running_serve_on_the_same_home() {
    let (relay_home, a, b) = (tempdir(), tempdir(), tempdir());
    let relay = RelayProcess::start(relay_home.path(), &[]);
    let token = relay.token("acme");
    let artifact = generate(a.path(), MRR);
    let mut serving = cosos(a.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(serving.stdout.take().expect("stdout")),
        &mut line,
    )
    .expect("serve prints its URL");
    // The store is held by serve: both syncs go through its local API.
    let bad = run(cosos(a.path()).args(["sync", "--relay", &relay.url(), "--token", "cosr_nope"]));
    let err = assert_clean_failure(&bad);
    assert!(err.contains("refused the token"), "{err}");
    assert!(!err.contains("cosr_nope"), "the token is not echoed: {err}");
    let synced = sync(a.path(), &relay, &token);
    assert_eq!(synced["documents"], 2);
    let _ = serving.kill();
    let _ = serving.wait();
    clone(
        b.path(),
        &relay,
        &relay.token("acme"),
        &workspace_url(a.path()),
    );
    let on_b = json(
        b.path(),
        &["show", artifact["id"].as_str().unwrap(), "--json"],
    );
    assert_eq!(on_b["title"], artifact["title"]);
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}
