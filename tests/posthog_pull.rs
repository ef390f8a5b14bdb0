//! `cosos pull posthog` end to end, against the local PostHog-shaped server of the engine's tests:
//! the funnel lands in the activation artifact's `data`, with the conversions computed by cosos.

mod common;
#[path = "../engine/tests/common_posthog/mod.rs"]
#[allow(dead_code)]
mod fake_posthog;

use common::{cosos, run};
use serde_json::Value;

fn ok_json(home: &std::path::Path, args: &[&str]) -> Value {
    let out = run(cosos(home)
        .env("COSOS_NOW", "2026-03-31")
        .env("COSOS_RETRY_BASE_MS", "1")
        .args(args));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cosos {args:?}: {stderr}");
    assert!(!stderr.contains(fake_posthog::KEY), "the key leaked");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_posthog_pull_fills_the_activation_funnel() {
    let (url, server) = fake_posthog::start(fake_posthog::Mode::Flaky).await;
    let home = tempfile::tempdir().unwrap();
    let path = home.path().to_path_buf();
    let (funnel_artifact, pulled, shown, status) = tokio::task::spawn_blocking(move || {
        let status = ok_json(
            &path,
            &[
                "connect",
                "posthog",
                "--api-key",
                fake_posthog::KEY,
                "--project-id",
                "4242",
                "--host",
                &url,
                "--json",
            ],
        );
        let artifact = ok_json(
            &path,
            &[
                "generate",
                "Why are signups not activating? Build an activation funnel",
                "--json",
            ],
        );
        let pulled = ok_json(&path, &["pull", "posthog", "--json"]);
        let shown = ok_json(&path, &["show", artifact["id"].as_str().unwrap(), "--json"]);
        (artifact, pulled, shown, status)
    })
    .await
    .expect("cli");
    assert_eq!(funnel_artifact["kind"], "activation_funnel");
    assert_eq!(status["key"], "phx_…0c1e", "shown masked");
    // March 2026 in the fixture: 7 people viewed a page, 4 of them signed up within 14 days.
    let steps = pulled["funnel"]["steps"].as_array().expect("steps");
    let counts: Vec<u64> = steps.iter().map(|s| s["count"].as_u64().unwrap()).collect();
    assert_eq!(counts, [7, 4], "{pulled}");
    let conversion = steps[1]["conversion_from_start"].as_f64().unwrap();
    assert!((conversion - 4.0 / 7.0).abs() < 1e-12);
    // Stored in Automerge, whole numbers read back as integers: compare the numbers.
    let stored = shown["data"]["funnel"]["steps"]
        .as_array()
        .expect("stored steps");
    for (a, b) in stored.iter().zip(steps) {
        assert_eq!(a["event"], b["event"]);
        assert_eq!(a["count"], b["count"]);
        assert_eq!(
            a["conversion_from_start"].as_f64(),
            b["conversion_from_start"].as_f64()
        );
    }
    assert_eq!(shown["data"]["funnel_source"], "posthog");
    assert!(
        server.statuses().contains(&429) && server.statuses().contains(&500),
        "retried: {:?}",
        server.statuses()
    );
}
