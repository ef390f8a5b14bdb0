//! `cosos serve` on a home: other commands on that home go through it (DESIGN section 3).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use common::{assert_clean_failure, cosos, json, run};

/// Starts `cosos serve` on an ephemeral loopback port and returns it with its URL.
fn serve(home: &std::path::Path) -> (Child, String) {
    let mut child = cosos(home)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (child, url)
}

fn stop(mut child: Child) {
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let _ = child.wait();
}

#[test]
fn commands_go_through_a_running_server() {
    let home = tempfile::tempdir().unwrap();
    let (server, url) = serve(home.path());
    assert!(home.path().join("serve.json").exists());

    let a = json(
        home.path(),
        &[
            "generate",
            "We're at $12k MRR and want to hit $50k by June 2027",
            "--json",
        ],
    );
    assert_eq!(a["params"]["target_mrr"], 50000);
    let list = json(home.path(), &["list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = a["id"].as_str().unwrap();
    json(
        home.path(),
        &[
            "edit",
            id,
            "--notes",
            "through the server",
            "--done",
            "1",
            "--json",
        ],
    );
    let shown = json(home.path(), &["show", id, "--json"]);
    assert_eq!(shown["notes"], "through the server");
    assert_eq!(shown["content"]["next_actions"][0]["done"], true);
    let ws = json(home.path(), &["init", "--name", "Acme", "--json"]);
    assert_eq!(ws["name"], "Acme");
    assert_eq!(
        json(home.path(), &["prompts", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let out = run(cosos(home.path()).args(["generate", "asdf qwerty"]));
    assert_clean_failure(&out);
    assert_eq!(out.status.code(), Some(2));
    let out = run(cosos(home.path()).args(["show", "nope"]));
    assert_clean_failure(&out);

    let page = std::process::Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("{url}/dashboard"),
        ])
        .output();
    if let Ok(page) = page {
        assert_eq!(String::from_utf8_lossy(&page.stdout), "200");
    }

    stop(server);
    assert!(
        !home.path().join("serve.json").exists(),
        "serve.json is removed on exit"
    );
    // The store is intact and usable directly again.
    let list = json(home.path(), &["list", "--json"]);
    assert_eq!(list[0]["id"], id);
}
