//! The onboarding in real headless Chromium (DESIGN section 7): tests/browser/onboarding.mjs drives
//! it through playwright-core, with and without JavaScript, against `cosos serve` on fresh homes.
//! Screenshots of every step land in tests/output/screenshots/.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

use common::cosos;
use common::node::{CHROMIUM, forward, repo, require_tools, run_streamed};

/// A running `cosos serve`, stopped like Ctrl-C when dropped so a failed assertion cannot leak it.
struct Server {
    child: Child,
    url: String,
    _home: tempfile::TempDir,
    log: Option<JoinHandle<()>>,
}

impl Server {
    fn start(name: &'static str) -> Server {
        let home = tempfile::tempdir().unwrap();
        let mut child = cosos(home.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in the first line of `cosos serve`: {line:?}"))
            .trim_end_matches('/')
            .to_string();
        // Server warnings show up next to the browser's steps they belong to.
        let log = forward(child.stderr.take().unwrap(), format!("[server {name}]"));
        // Keeps the pipe drained so the server never blocks on a full stdout.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Server {
            child,
            url,
            _home: home,
            log: Some(log),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let _ = self.child.wait();
        if let Some(log) = self.log.take() {
            let _ = log.join();
        }
    }
}

#[test]
fn onboarding_in_headless_chromium_with_and_without_javascript() {
    let root = repo();
    require_tools("the browser test", true, &["playwright-core"]);
    let shots = root.join("tests/output/screenshots");
    // Stale screenshots from an earlier run must not pass for this run's output.
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();

    let with_js = Server::start("js");
    let without_js = Server::start("nojs");

    let status = run_streamed(
        Command::new("node")
            .arg("tests/browser/onboarding.mjs")
            .current_dir(&root)
            .env("COSOS_URL", &with_js.url)
            .env("COSOS_URL_NOJS", &without_js.url)
            .env("SCREENSHOT_DIR", &shots)
            .env("CHROMIUM", CHROMIUM),
    );

    drop(with_js);
    drop(without_js);
    assert!(
        status.success(),
        "the browser flow failed ({status}); its FAIL line above says which step and why"
    );
    let pngs = std::fs::read_dir(&shots)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "png"))
        })
        .count();
    assert_eq!(
        pngs,
        14,
        "seven screenshots per pass in {}",
        shots.display()
    );
}
