//! Relay access control with a real relay process: 401 without a valid token, workspaces that
//! cannot see each other, and revocation that closes live connections (DESIGN section 3).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::relay::RelayProcess;
use common::{assert_clean_failure, cosos, json, run};
use serde_json::Value;

const MRR: &str = "We're at $12k MRR and want to hit $50k by June 2027";

/// Sends a websocket upgrade for `path` with optional extra headers; returns the status code.
fn upgrade_status(relay: &RelayProcess, path: &str, extra_headers: &str) -> u16 {
    let mut stream = TcpStream::connect(relay.addr()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extra_headers}\r\n",
        relay.addr()
    );
    stream.write_all(request.as_bytes()).expect("write");
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).expect("status line");
    String::from_utf8_lossy(&head[9..12])
        .parse()
        .expect("status code")
}

fn sync(home: &Path, relay: &RelayProcess, token: &str) -> Value {
    json(
        home,
        &["sync", "--relay", &relay.url(), "--token", token, "--json"],
    )
}

fn workspace_url(home: &Path) -> String {
    json(home, &["workspace", "--json"])["url"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn upgrades_need_a_live_token() {
    let home = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(home.path(), &[]);
    let token = relay.token("acme");
    assert_eq!(upgrade_status(&relay, "/sync", ""), 401);
    assert_eq!(upgrade_status(&relay, "/sync?token=cosr_wrong", ""), 401);
    assert_eq!(
        upgrade_status(&relay, "/sync", "Authorization: Bearer nope\r\n"),
        401
    );
    assert_eq!(
        upgrade_status(&relay, &format!("/sync?token={token}"), ""),
        101
    );
    let bearer = format!("Authorization: Bearer {token}\r\n");
    assert_eq!(upgrade_status(&relay, "/sync", &bearer), 101);
}

#[test]
fn another_workspaces_token_cannot_reach_the_documents() {
    let (relay_home, a, intruder) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let relay = RelayProcess::start(relay_home.path(), &[]);
    let acme = relay.token("acme");
    let other = relay.token("other");
    let artifact = json(a.path(), &["generate", MRR, "--json"]);
    sync(a.path(), &relay, &acme);

    // Knowing the workspace URL is not enough.
    let out = run(cosos(intruder.path()).args([
        "clone",
        &workspace_url(a.path()),
        "--relay",
        &relay.url(),
        "--token",
        &other,
    ]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("has no workspace"), "{err}");
    // Nor is it for one artifact: the intruder's own workspace never learns of it.
    json(intruder.path(), &["workspace", "--json"]);
    let synced = sync(intruder.path(), &relay, &other);
    assert_eq!(synced["received"], 0);
    let shown = run(cosos(intruder.path()).args(["show", artifact["id"].as_str().unwrap()]));
    assert_clean_failure(&shown);
}

/// Starts `cosos sync --watch` and waits until it says it is syncing.
fn watch(home: &Path, relay: &RelayProcess, token: &str) -> Child {
    let mut child = cosos(home)
        .args(["sync", "--watch", "--relay", &relay.url(), "--token", token])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("watch starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let started = lines
        .by_ref()
        .take(3)
        .map_while(Result::ok)
        .any(|l| l.starts_with("Syncing live"));
    assert!(started, "sync --watch did not start");
    child
}

/// Waits (bounded) until `check` holds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn live_sync_follows_the_other_device_until_its_token_is_revoked() {
    let (relay_home, a, b) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let relay = RelayProcess::start(relay_home.path(), &[]);
    let token_a = relay.token("acme");
    let token_b = relay.token("acme");
    json(a.path(), &["generate", MRR, "--json"]);
    sync(a.path(), &relay, &token_a);
    json(
        b.path(),
        &[
            "clone",
            &workspace_url(a.path()),
            "--relay",
            &relay.url(),
            "--token",
            &token_b,
            "--json",
        ],
    );
    let mut watching = watch(b.path(), &relay, &token_b);

    // A new artifact on A reaches B while B's watch runs; `cosos list` on B goes through it.
    let second = json(
        a.path(),
        &[
            "generate",
            "Track our retention and churn by cohort",
            "--json",
        ],
    );
    sync(a.path(), &relay, &token_a);
    eventually("B lists A's new artifact", || {
        json(b.path(), &["list", "--json"])
            .as_array()
            .is_some_and(|rows| rows.iter().any(|r| r["id"] == second["id"]))
    });
    // And an artifact generated on B (through the watch process) reaches A.
    let from_b = json(
        b.path(),
        &[
            "generate",
            "Help me prepare for our board meeting next week",
            "--json",
        ],
    );
    eventually("A receives B's artifact", || {
        sync(a.path(), &relay, &token_a);
        json(a.path(), &["list", "--json"])
            .as_array()
            .is_some_and(|rows| rows.iter().any(|r| r["id"] == from_b["id"]))
    });

    let tokens = json(relay_home.path(), &["relay", "token", "list", "--json"]);
    // Tokens are listed oldest first: B's is the second.
    let id_b = tokens[1]["id"].as_str().unwrap().to_string();
    assert_ne!(id_b, tokens[0]["id"].as_str().unwrap());
    relay.token_command(&["revoke", &id_b]);

    let mut status = None;
    eventually("the revoked device's live sync ends", || {
        status = watching.try_wait().expect("wait");
        status.is_some()
    });
    let mut stderr = String::new();
    watching
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!status.unwrap().success(), "stderr: {stderr}");
    assert!(stderr.contains("refused the token"), "{stderr}");
    assert!(!stderr.contains(&token_b), "the token is not echoed");
    assert_eq!(
        upgrade_status(&relay, &format!("/sync?token={token_b}"), ""),
        401
    );
    // A's token is untouched.
    sync(a.path(), &relay, &token_a);
    let listed = json(relay_home.path(), &["relay", "token", "list", "--json"]);
    assert!(listed[1]["revoked_at"].is_string() && listed[0]["revoked_at"].is_null());
}
