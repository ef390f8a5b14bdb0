//! The static export in real headless Chromium (DESIGN section 7): tests/browser/export.mjs opens
//! a plain export from file:// (deep inside a folder, with network requests refused), follows a
//! link to an artifact and finds its SVG chart, prints the board book to PDF, and unlocks an
//! encrypted export. The PDF and screenshots land in tests/output/export/.

mod common;
#[path = "common/export_fixture.rs"]
mod export_fixture;

use std::process::Command;

use common::node::{CHROMIUM, repo, require_tools, run_streamed};
use common::{cosos, run};
use export_fixture::{INJECTION, NAME, export};

const PASSPHRASE: &str = "correct horse battery staple";

#[test]
fn the_export_opens_from_file_prints_to_pdf_and_unlocks_in_chromium() {
    let root = repo();
    require_tools("the export browser test", true, &["playwright-core"]);
    let out = root.join("tests/output/export");
    // Stale output from an earlier run must not pass for this run's.
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();

    let ws = export_fixture::build();
    let dirs = tempfile::tempdir().unwrap();
    let site = dirs.path().join("shared/with/the/board/q4-site");
    export(ws.path(), &site, &[]);
    let locked = dirs.path().join("locked");
    let done = run(cosos(ws.path()).env("BOARD_PASSPHRASE", PASSPHRASE).args([
        "export",
        "--out",
        locked.to_str().unwrap(),
        "--passphrase-env",
        "BOARD_PASSPHRASE",
    ]));
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let tracker = ws.artifacts[0]["title"].as_str().unwrap().to_string();

    let status = run_streamed(
        Command::new("node")
            .arg("tests/browser/export.mjs")
            .current_dir(&root)
            .env("SITE_DIR", &site)
            .env("LOCKED_DIR", &locked)
            .env("PASSPHRASE", PASSPHRASE)
            .env("OUT_DIR", &out)
            .env("TRACKER", &tracker)
            .env("INJECTED", INJECTION)
            .env("NAME", NAME)
            .env("CHROMIUM", CHROMIUM),
    );
    assert!(
        status.success(),
        "the browser flow failed ({status}); its FAIL line above says which step and why"
    );
    let pdf = std::fs::read(out.join("board-book.pdf")).unwrap();
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() > 20_000,
        "{} bytes",
        pdf.len()
    );
}
