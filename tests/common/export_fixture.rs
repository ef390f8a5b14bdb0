//! A workspace with one artifact of each of the seven kinds, live Stripe data (MRR tracker,
//! retention analysis, board pack) and a live PostHog funnel, one title and notes carrying an
//! HTML/script injection: what `cosos export` tests export. Declared by the export test files
//! only (`#[path]`), so other test binaries do not compile the fake PostHog.

#![allow(dead_code)]

use std::path::Path;

use serde_json::Value;

use crate::common::stripe_server::{FakeStripe, Fixture, Flakiness, KEY};
use crate::common::{cosos, json, run};

#[path = "../../engine/tests/common_posthog/mod.rs"]
#[allow(dead_code)]
pub mod fake_posthog;

/// A title no page may render as markup.
pub const INJECTION: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";
/// The workspace name.
pub const NAME: &str = "Acme Robotics";
/// One prompt per kind, in `Kind::ALL` order.
pub const PROMPTS: [(&str, &str); 7] = [
    (
        "mrr_tracker",
        "We're at $12k MRR and want to hit $50k by June 2027",
    ),
    (
        "retention_analysis",
        "Our monthly logo churn is 7% and I want it under 3% by Q2",
    ),
    (
        "board_prep",
        "Put together the Q4 board deck for our meeting on January 15",
    ),
    (
        "activation_funnel",
        "Activation went from 40% to 25% since the new onboarding shipped",
    ),
    (
        "product_velocity",
        "Our engineering team of 6 keeps missing sprint goals",
    ),
    (
        "customer_feedback",
        "Our NPS fell to 21, what are people complaining about?",
    ),
    (
        "operating_system",
        "Set up an operating system for the company: goals, rituals, metrics",
    ),
];
/// The Stripe key, which must never reach an export.
pub const STRIPE_KEY: &str = KEY;

/// The workspace and what was made in it.
pub struct Workspace {
    /// The home.
    pub home: tempfile::TempDir,
    /// The generated artifacts' JSON, in `PROMPTS` order (as generated).
    pub artifacts: Vec<Value>,
    /// The id of the artifact retitled with [`INJECTION`].
    pub injected: String,
}

impl Workspace {
    /// The home's path.
    pub fn path(&self) -> &Path {
        self.home.path()
    }
}

/// Builds the workspace: generate, retitle, pull Stripe (at 2026-11-26T12:00Z) and PostHog (at
/// 2026-03-31, where its fixture has events).
pub fn build() -> Workspace {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().to_path_buf();
    json(&path, &["init", "--name", NAME, "--json"]);
    let artifacts: Vec<Value> = PROMPTS
        .iter()
        .map(|(kind, prompt)| {
            let a = json(&path, &["generate", prompt, "--json"]);
            assert_eq!(a["kind"], *kind, "{prompt}");
            a
        })
        .collect();
    let injected = artifacts[5]["id"].as_str().unwrap().to_string();
    json(
        &path,
        &[
            "edit",
            &injected,
            "--title",
            INJECTION,
            "--notes",
            &format!(
                "Board wants **weekly** numbers.\n\n{INJECTION}\n\n[click](javascript:alert(3))"
            ),
            "--done",
            "1",
            "--json",
        ],
    );
    pull_stripe(&path);
    pull_posthog(&path);
    Workspace {
        home,
        artifacts,
        injected,
    }
}

fn ok(cmd: &mut std::process::Command, what: &str) -> String {
    let out = run(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{what}: {stderr}");
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn pull_stripe(home: &Path) {
    let stripe = FakeStripe::start(Fixture::shared(), Flakiness::default());
    let with_env = |c: &mut std::process::Command| {
        c.env("COSOS_NOW", "2026-11-26T12:00:00Z")
            .env("COSOS_RETRY_BASE_MS", "1")
            .env("STRIPE_TEST_KEY", KEY);
    };
    let mut connect = cosos(home);
    with_env(&mut connect);
    connect.args([
        "connect",
        "stripe",
        "--api-key-env",
        "STRIPE_TEST_KEY",
        "--api-base",
        &stripe.base(),
        "--json",
    ]);
    ok(&mut connect, "connect stripe");
    let mut pull = cosos(home);
    with_env(&mut pull);
    pull.args(["pull", "stripe", "--fx", "EUR=1.08", "--json"]);
    ok(&mut pull, "pull stripe");
}

fn pull_posthog(home: &Path) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (url, _state) = runtime.block_on(fake_posthog::start(fake_posthog::Mode::Normal));
    let key = fake_posthog::KEY;
    let project = fake_posthog::PROJECT.to_string();
    let mut connect = cosos(home);
    connect.args([
        "connect",
        "posthog",
        "--api-key",
        key,
        "--project-id",
        &project,
        "--host",
        &url,
        "--json",
    ]);
    ok(&mut connect, "connect posthog");
    let mut pull = cosos(home);
    pull.env("COSOS_NOW", "2026-03-31")
        .env("COSOS_RETRY_BASE_MS", "1")
        .args(["pull", "posthog", "--json"]);
    ok(&mut pull, "pull posthog");
    runtime.shutdown_background();
}

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn read_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

/// `cosos export --out OUT ARGS...` on the workspace with the clock pinned; its JSON report.
pub fn export(home: &Path, out: &Path, args: &[&str]) -> Value {
    let mut all = vec!["export", "--out", out.to_str().unwrap(), "--json"];
    all.extend_from_slice(args);
    json(home, &all)
}
