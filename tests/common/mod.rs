//! Helpers shared by the end-to-end tests: run the real `cosos` binary on a temp home.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
