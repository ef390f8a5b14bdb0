//! What the Node-driven tests share: the browser's path, the check that the tools are there, and
//! streaming a child's output through the test harness.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread::JoinHandle;

/// Debian's chromium, which scripts/test installs.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The repository root (where package.json and node_modules are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Fails (never skips) when node, chromium (if `chromium`) or one of the npm `packages` is
/// missing: a skipped test looks green while testing nothing.
pub fn require_tools(test: &str, chromium: bool, packages: &[&str]) {
    let mut missing = Vec::new();
    let node = Command::new("node")
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    if !node.is_ok_and(|out| out.status.success()) {
        missing.push("node >= 20 on PATH".to_string());
    }
    if chromium && !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (Debian's chromium package)"));
    }
    for package in packages {
        let manifest = repo()
            .join("node_modules")
            .join(package)
            .join("package.json");
        if !manifest.exists() {
            missing.push(format!("node_modules/{package} (npm ci)"));
        }
    }
    assert!(
        missing.is_empty(),
        "{test} needs {}; run scripts/test, which installs them",
        missing.join(" and ")
    );
}

/// Prints every line of `pipe` with `prefix` through the test harness, so `--nocapture` streams it
/// and a plain run shows it only when the test fails.
pub fn forward(pipe: impl Read + Send + 'static, prefix: impl Into<String>) -> JoinHandle<()> {
    let prefix = prefix.into();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            println!("{prefix} {line}");
        }
    })
}

/// Runs `node` (a prepared `node script.mjs` command) with its output streamed through the test
/// harness as `[browser]` lines, and returns how it exited.
pub fn run_streamed(node: &mut Command) -> ExitStatus {
    let mut child = node
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run node ({e}); run scripts/test, or install node >= 20")
        });
    let out = forward(child.stdout.take().expect("piped stdout"), "[browser]");
    let err = forward(child.stderr.take().expect("piped stderr"), "[browser]");
    let status = child.wait().expect("node runs to the end");
    out.join().expect("stdout forwarded");
    err.join().expect("stderr forwarded");
    status
}
