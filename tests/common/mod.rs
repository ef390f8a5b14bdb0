//! Helpers shared by the end-to-end tests: run the real `cosos` binary on a temp home.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub mod node;
pub mod relay;
pub mod stripe_server;

use serde_json::Value;

/// Today for every test, so dates are reproducible (a Thursday).
pub const TODAY: &str = "2026-11-26";

/// The `cosos` binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cosos"))
}

/// A `cosos --home HOME ...` command with the clock pinned.
pub fn cosos(home: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.arg("--home")
        .arg(home)
        .env("COSOS_NOW", TODAY)
        .env_remove("COSOS_HOME")
        .stdin(Stdio::null());
    cmd
}

/// Runs the command and returns its output.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the cosos binary runs")
}

/// Runs `cosos --home HOME args...` and returns parsed JSON stdout, failing loudly otherwise.
pub fn json(home: &Path, args: &[&str]) -> Value {
    let out = run(cosos(home).args(args));
    assert!(
        out.status.success(),
        "cosos {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "cosos {args:?} printed invalid JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Asserts a failed run: non-zero exit, a clear error on stderr, no panic text, nothing on stdout.
pub fn assert_clean_failure(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "expected failure, got success");
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "panic text in: {stderr}");
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "panic text in: {stderr}"
    );
    stderr
}

/// `GET url` over a plain TCP connection (`http://host:port/path` only): status and body.
pub fn http_get(url: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read");
    let status = raw.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}
