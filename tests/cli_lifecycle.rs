//! Artifacts persist across processes, edits apply, and a SIGKILL loses nothing acknowledged.

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{cosos, json, run};
use serde_json::Value;

#[test]
fn artifacts_persist_and_edits_apply_across_processes() {
    let home = tempfile::tempdir().unwrap();
    let ws = json(home.path(), &["init", "--name", "Acme", "--json"]);
    assert_eq!(ws["name"], "Acme");
    let info = json(home.path(), &["workspace", "--json"]);
    assert_eq!(info["name"], "Acme");
    assert_eq!(info["artifacts"], 0);
    assert!(info["url"].as_str().unwrap().starts_with("automerge:"));

    let a = json(
        home.path(),
        &[
            "generate",
            "Track our path to $100k MRR by end of year",
            "--json",
        ],
    );
    let id = a["id"].as_str().unwrap().to_string();
    let slug = a["slug"].as_str().unwrap().to_string();

    let list = json(home.path(), &["list", "--json"]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    for key in [
        "id",
        "url",
        "slug",
        "kind",
        "title",
        "archived",
        "updated_at",
    ] {
        assert!(rows[0].get(key).is_some(), "list row lacks {key}");
    }

    let edited = json(
        home.path(),
        &[
            "edit",
            &id,
            "--title",
            "Our path to $100k",
            "--notes",
            "Board wants weekly updates",
            "--done",
            "1",
            "--json",
        ],
    );
    assert_eq!(edited["title"], "Our path to $100k");

    let shown = json(home.path(), &["show", &slug, "--json"]);
    assert_eq!(shown["title"], "Our path to $100k");
    assert_eq!(shown["notes"], "Board wants weekly updates");
    assert_eq!(shown["content"]["next_actions"][0]["done"], true);
    assert_eq!(shown["slug"], slug, "a retitle keeps the slug");
    let list = json(home.path(), &["list", "--json"]);
    assert_eq!(list[0]["title"], "Our path to $100k");

    let md = run(cosos(home.path()).args(["show", &id, "--markdown"]));
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.starts_with("# Our path to $100k\n"), "{md}");
    assert!(
        md.contains("## Notes\n\nBoard wants weekly updates"),
        "{md}"
    );
    assert!(md.contains("- [x] "), "{md}");

    json(home.path(), &["archive", &id, "--json"]);
    let list = json(home.path(), &["list", "--json"]);
    assert_eq!(list[0]["archived"], true);
    json(home.path(), &["archive", &id, "--undo", "--json"]);
    let list = json(home.path(), &["list", "--json"]);
    assert_eq!(list[0]["archived"], false);

    let prompts = json(home.path(), &["prompts", "--json"]);
    assert_eq!(prompts.as_array().unwrap().len(), 1);
    assert_eq!(prompts[0]["artifact"], id.as_str());
    assert_eq!(prompts[0]["kind"], "mrr_tracker");
}

#[test]
fn slugs_are_unique() {
    let home = tempfile::tempdir().unwrap();
    let a = json(
        home.path(),
        &["generate", "Track our path to $100k MRR", "--json"],
    );
    let b = json(
        home.path(),
        &["generate", "Track our path to $100k MRR", "--json"],
    );
    assert_ne!(a["slug"], b["slug"]);
    assert_eq!(
        format!("{}-2", a["slug"].as_str().unwrap()),
        b["slug"].as_str().unwrap()
    );
}

/// A shell loop runs 200 `generate` calls, each saving its JSON once it returned; we SIGKILL the
/// whole process group mid-run, reopen the home and check every returned artifact is there.
#[test]
fn sigkill_during_a_generate_loop_loses_no_returned_artifact() {
    let home = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let script = r#"
for i in $(seq 1 200); do
  "$COSOS" --home "$HOME_DIR" generate "We're at \$${i}k MRR and want to hit \$$((i * 3))k by June 2027" --json > "$OUT/$i.tmp" || exit 1
  mv "$OUT/$i.tmp" "$OUT/$i.json"
done
"#;
    let mut child = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("COSOS", common::bin())
        .env("HOME_DIR", home.path())
        .env("OUT", out.path())
        .env("COSOS_NOW", common::TODAY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let pgid = child.id() as i32;
    let deadline = Instant::now() + Duration::from_secs(120);
    // Kill once a good number have returned, at a moment when one is most likely mid-write.
    while count_done(out.path()) < 25 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(7));
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
    let _ = child.wait();

    let returned: BTreeSet<String> = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| {
            let v: Value = serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(returned.len() >= 25, "only {} returned", returned.len());

    let listed: BTreeSet<String> = json(home.path(), &["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    for id in &returned {
        assert!(
            listed.contains(id),
            "returned artifact {id} is missing after SIGKILL"
        );
        let shown = json(home.path(), &["show", id, "--json"]);
        assert_eq!(shown["kind"], "mrr_tracker");
    }
    // The home still takes new work after the crash.
    json(
        home.path(),
        &["generate", "Track our path to $100k MRR", "--json"],
    );
}

fn count_done(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

use std::os::unix::process::CommandExt;
