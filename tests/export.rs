//! `cosos export` end to end: a workspace of all seven kinds with live Stripe and PostHog data and
//! an injected title becomes a static site with the contract's layout, byte-identical on a second
//! export, with every user string escaped, no secret, and only relative links.

mod common;
#[path = "common/export_fixture.rs"]
mod export_fixture;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_clean_failure, cosos, run};
use export_fixture::{INJECTION, NAME, STRIPE_KEY, Workspace, export, read_tree};
use serde_json::Value;

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn slug(a: &Value) -> &str {
    a["slug"].as_str().unwrap()
}

/// The stdout of `cosos show ID --json`, verbatim.
fn show_json(home: &Path, id: &str) -> Vec<u8> {
    let out = run(cosos(home).args(["show", id, "--json"]));
    assert!(out.status.success());
    out.stdout
}

fn check_layout(ws: &Workspace, files: &BTreeMap<String, Vec<u8>>) {
    for top in ["index.html", "board-book.html", "assets/style.css"] {
        assert!(files.contains_key(top), "{top} is missing");
    }
    for a in &ws.artifacts {
        let dir = format!("artifacts/{}", slug(a));
        for name in ["index.html", "index.md", "artifact.json"] {
            assert!(
                files.contains_key(&format!("{dir}/{name}")),
                "{dir}/{name} is missing"
            );
        }
        assert_eq!(
            files[&format!("{dir}/artifact.json")],
            show_json(ws.path(), a["id"].as_str().unwrap()),
            "{dir}/artifact.json is `cosos show --json`"
        );
    }
    let artifact_dirs = files.keys().filter(|p| p.ends_with("/index.md")).count();
    assert_eq!(
        artifact_dirs,
        7,
        "one folder per artifact: {:?}",
        files.keys().collect::<Vec<_>>()
    );
}

fn check_safe(files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        let t = text(bytes);
        assert!(!t.contains(STRIPE_KEY), "the Stripe key is in {path}");
        assert!(!t.contains("phx_"), "a PostHog key is in {path}");
        for banned in [
            "href=\"/", "src=\"/", "http://", "https://", "=\"//", "url(//",
        ] {
            assert!(!t.contains(banned), "{banned} in {path}");
        }
        // artifact.json is the contract's JSON, verbatim: data, never rendered as a page.
        if !path.ends_with("artifact.json") {
            assert!(!t.contains("<script>alert"), "raw <script> in {path}");
            assert!(!t.contains("<img"), "raw <img> in {path}");
            assert!(
                !t.contains("(javascript:") && !t.contains("href=\"javascript"),
                "a javascript: link in {path}"
            );
        }
    }
}

#[test]
fn exports_all_seven_kinds_identically_twice_escaped_and_without_secrets() {
    let ws = export_fixture::build();
    let dirs = tempfile::tempdir().unwrap();
    let (one, two) = (dirs.path().join("one"), dirs.path().join("two"));
    let report = export(ws.path(), &one, &[]);
    export(ws.path(), &two, &[]);
    assert_eq!(report["artifacts"].as_array().unwrap().len(), 7);
    assert_eq!(report["encrypted"], false);

    let (a, b) = (read_tree(&one), read_tree(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs between two exports of the same state"
        );
    }
    check_layout(&ws, &a);
    check_safe(&a);

    let index = text(&a["index.html"]);
    assert!(index.contains(&format!("<h1>{NAME}</h1>")));
    assert!(index.contains("As of <time datetime=\"2026-11-26\">Nov 26, 2026</time>"));
    assert_eq!(index.matches("class=\"card artifact-card\"").count(), 7);
    assert!(
        index.contains(
            "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;&lt;img src=x onerror=alert(2)&gt;"
        )
    );

    let tracker = &ws.artifacts[0];
    let page = text(&a[&format!("artifacts/{}/index.html", slug(tracker))]);
    assert!(
        page.contains("Actual, November 2026"),
        "the MRR chart draws the Stripe actuals"
    );
    assert!(page.contains("<h2>Actual vs plan</h2>"));
    let funnel = text(&a[&format!("artifacts/{}/index.html", slug(&ws.artifacts[3]))]);
    assert!(
        funnel.contains("class=\"chart funnel-chart\"") && funnel.contains("signed_up"),
        "the PostHog funnel"
    );
    let retention = text(&a[&format!("artifacts/{}/index.html", slug(&ws.artifacts[1]))]);
    assert!(
        retention.contains("class=\"chart cohort-chart\""),
        "the billing cohorts"
    );
    let injected = ws
        .artifacts
        .iter()
        .find(|x| x["id"] == ws.injected.as_str())
        .unwrap();
    let md = text(&a[&format!("artifacts/{}/index.md", slug(injected))]);
    assert!(
        md.starts_with("# &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "{md}"
    );
    let page = text(&a[&format!("artifacts/{}/index.html", slug(injected))]);
    assert!(
        page.contains("<strong>weekly</strong>"),
        "notes keep their Markdown"
    );
    assert!(page.contains("class=\"done\""), "the ticked next action");

    let book = text(&a["board-book.html"]);
    assert_eq!(book.matches("class=\"book-artifact\"").count(), 7);
    assert_eq!(book.matches("<svg").count(), 3, "MRR path, funnel, cohorts");
}

#[test]
fn selection_base_url_encryption_and_clear_errors() {
    let ws = export_fixture::build();
    let dirs = tempfile::tempdir().unwrap();
    let home = ws.path();
    let (first, second) = (&ws.artifacts[0], &ws.artifacts[2]);

    // By slug and by URL, in the order given, each once.
    let out = dirs.path().join("chosen");
    let url = second["url"].as_str().unwrap();
    let report = export(
        home,
        &out,
        &[
            "--artifact",
            url,
            "--artifact",
            slug(first),
            "--artifact",
            slug(second),
            "--base-url",
            "https://board.example.com/acme",
        ],
    );
    let paths: Vec<&str> = report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            format!("artifacts/{}/index.html", slug(second)),
            format!("artifacts/{}/index.html", slug(first))
        ]
    );
    let files = read_tree(&out);
    let sitemap = text(&files["sitemap.xml"]);
    assert!(
        sitemap.contains(&format!(
            "<loc>https://board.example.com/acme/artifacts/{}/</loc>",
            slug(first)
        )),
        "{sitemap}"
    );
    let page = text(&files[&format!("artifacts/{}/index.html", slug(first))]);
    assert!(page.contains(&format!(
        "<link rel=\"canonical\" href=\"https://board.example.com/acme/artifacts/{}/\">",
        slug(first)
    )));
    assert!(page.contains("<meta property=\"og:title\""));

    // An archived artifact is left out by default.
    common::json(home, &["archive", slug(first), "--json"]);
    let out = dirs.path().join("default");
    let report = export(home, &out, &[]);
    assert_eq!(report["artifacts"].as_array().unwrap().len(), 6);

    // Exporting again into an earlier export replaces it: no stale artifact folder remains.
    let report = export(
        home,
        &dirs.path().join("chosen"),
        &["--artifact", slug(second)],
    );
    assert_eq!(report["artifacts"].as_array().unwrap().len(), 1);
    assert!(
        !dirs
            .path()
            .join("chosen/artifacts")
            .join(slug(first))
            .exists()
    );
    assert!(!dirs.path().join("chosen/sitemap.xml").exists());

    // Encrypted: no plaintext of any artifact, no Markdown or JSON, opaque folder names.
    let out = dirs.path().join("locked");
    let mut cmd = cosos(home);
    cmd.env("BOARD_PASSPHRASE", "correct horse battery staple")
        .args([
            "export",
            "--out",
            out.to_str().unwrap(),
            "--passphrase-env",
            "BOARD_PASSPHRASE",
            "--json",
        ]);
    let done = run(&mut cmd);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let files = read_tree(&out);
    assert!(files.contains_key("artifacts/001/index.html") && files.contains_key("index.html"));
    assert!(
        !files
            .keys()
            .any(|p| p.ends_with(".md") || p.ends_with(".json")),
        "{:?}",
        files.keys()
    );
    for (path, bytes) in &files {
        let t = text(bytes);
        assert!(!t.contains("correct horse"), "the passphrase in {path}");
        assert!(!t.contains(NAME), "the workspace name in {path}");
        for a in &ws.artifacts {
            for field in ["title", "prompt", "slug"] {
                let secret = a[field].as_str().unwrap();
                assert!(!t.contains(secret), "{field} {secret:?} in {path}");
            }
        }
        assert!(!t.contains(INJECTION));
    }

    // Clear failures.
    let failures: [(Vec<&str>, &str); 4] = [
        (vec!["--artifact", "no-such-artifact"], "no-such-artifact"),
        (vec!["--base-url", "board.example.com"], "--base-url"),
        (
            vec!["--passphrase-env", "COSOS_TEST_UNSET_VAR"],
            "COSOS_TEST_UNSET_VAR",
        ),
        (vec![], "is not empty"),
    ];
    let busy = dirs.path().join("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("thesis.docx"), "mine").unwrap();
    for (args, expected) in failures {
        let mut all = vec!["export", "--out", busy.to_str().unwrap()];
        all.extend(args);
        let stderr = assert_clean_failure(&run(cosos(home).args(&all)));
        assert!(stderr.contains(expected), "{all:?}: {stderr}");
    }
    assert!(busy.join("thesis.docx").exists());

    // A broken template override in the home names its file and tera's reason.
    std::fs::create_dir_all(home.join("templates")).unwrap();
    std::fs::write(home.join("templates/index.html"), "{% if %}").unwrap();
    let stderr = assert_clean_failure(&run(cosos(home).args([
        "export",
        "--out",
        dirs.path().join("x").to_str().unwrap(),
    ])));
    assert!(
        stderr.contains("templates/index.html") && stderr.contains("syntax error"),
        "{stderr}"
    );
    // A working one is used.
    std::fs::write(
        home.join("templates/index.html"),
        "<h1>Board of {{ site.name }}</h1>",
    )
    .unwrap();
    export(home, &dirs.path().join("themed"), &[]);
    assert_eq!(
        text(&read_tree(&dirs.path().join("themed"))["index.html"]),
        format!("<h1>Board of {NAME}</h1>")
    );
}

/// Starts `cosos serve` on an ephemeral loopback port; other commands on the home then go through it.
fn serve(home: &Path) -> std::process::Child {
    use std::io::BufRead;
    let mut child = cosos(home)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("http://"), "serve printed {line:?}");
    child
}

#[test]
fn exports_through_a_running_server_the_same_site() {
    let home = tempfile::tempdir().unwrap();
    common::json(home.path(), &["init", "--name", NAME, "--json"]);
    for (_, prompt) in &export_fixture::PROMPTS[..3] {
        common::json(home.path(), &["generate", prompt, "--json"]);
    }
    let dirs = tempfile::tempdir().unwrap();
    export(home.path(), &dirs.path().join("local"), &[]);
    let mut server = serve(home.path());
    let through = run(cosos(home.path()).args([
        "export",
        "--out",
        dirs.path().join("remote").to_str().unwrap(),
    ]));
    unsafe {
        libc::kill(server.id() as i32, libc::SIGTERM);
    }
    let _ = server.wait();
    assert!(
        through.status.success(),
        "{}",
        String::from_utf8_lossy(&through.stderr)
    );
    assert!(String::from_utf8_lossy(&through.stdout).starts_with("Exported 3 artifacts to "));
    let (local, remote) = (
        read_tree(&dirs.path().join("local")),
        read_tree(&dirs.path().join("remote")),
    );
    assert_eq!(local.len(), 3 * 3 + 4);
    assert!(
        local == remote,
        "the server's export differs from the store's"
    );
}
