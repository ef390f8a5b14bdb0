//! `cosos pull stripe` against a local Stripe-shaped API serving `../shared/data/stripe/`: the
//! metrics equal `expected.json` to the cent, through paging, expansion, 429s and 500s; the key
//! never shows; a failed pull writes nothing; a new MRR tracker starts from the pulled MRR.

mod common;

use std::path::Path;

use common::stripe_server::{
    FakeStripe, Fixture, Flakiness, KEY, KEY_VAR, connect, ok_json, pinned as cmd,
};
use common::{assert_clean_failure, run};
use serde_json::Value;

fn expected() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/stripe/expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("expected.json")).expect("json")
}

fn connect_to(home: &Path, stripe: &FakeStripe, webhook_secret: Option<&str>) -> Value {
    connect(cmd(home), &stripe.base(), webhook_secret)
}

#[test]
fn pulls_the_expected_metrics_through_paging_expansion_and_failures() {
    let stripe = FakeStripe::start(
        Fixture::shared().with_old_cancellations(80),
        Flakiness {
            rate_limit_every: Some(2),
            error_every: Some(5),
            coupons_as_ids: true,
        },
    );
    let home = tempfile::tempdir().unwrap();
    let status = connect_to(home.path(), &stripe, Some("whsec_cosos_test_secret"));
    assert_eq!(status["connected"], true);
    assert_eq!(status["key"], "sk_test_…4242", "shown masked");

    let metrics = ok_json(cmd(home.path()).args(["pull", "stripe", "--fx", "EUR=1.08", "--json"]));
    assert_eq!(metrics, expected(), "the metrics equal expected.json");
    assert_eq!(
        ok_json(cmd(home.path()).args(["metrics", "--json"])),
        expected()
    );

    let log = stripe.log();
    let lists: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("/v1/subscriptions"))
        .collect();
    assert!(
        lists
            .iter()
            .all(|l| l.contains("limit=100") && l.contains("status=all"))
    );
    assert!(
        lists
            .iter()
            .all(|l| l.contains("data.discounts.source.coupon"))
    );
    assert!(
        lists
            .iter()
            .all(|l| l.contains("data.items.data.discounts"))
    );
    assert!(
        lists.iter().any(|l| l.contains("starting_after=")),
        "it pages: {lists:?}"
    );
    for tiered in ["price_vol_m", "price_grad_m"] {
        let fetched: Vec<&String> = log
            .iter()
            .filter(|l| l.contains(&format!("/v1/prices/{tiered}?")))
            .collect();
        assert!(
            !fetched.is_empty() && fetched.iter().all(|l| l.contains("expand%5B%5D=tiers")),
            "{tiered}: {fetched:?}"
        );
    }
    let coupons: Vec<&String> = log.iter().filter(|l| l.contains("/v1/coupons/")).collect();
    assert!(
        !coupons.is_empty(),
        "coupons that arrive as IDs are fetched"
    );
    assert!(log.iter().any(|l| l.ends_with("-> 429")) && log.iter().any(|l| l.ends_with("-> 500")));
    let served: Vec<&&String> = coupons.iter().filter(|l| l.ends_with("-> 200")).collect();
    let distinct: std::collections::BTreeSet<&&&String> = served.iter().collect();
    assert_eq!(
        served.len(),
        distinct.len(),
        "each coupon is fetched once: {coupons:?}"
    );

    // A new MRR tracker starts from Stripe's MRR and already shows actual against plan.
    let tracker = ok_json(cmd(home.path()).args([
        "generate",
        "Track our path to $10k MRR by June 2027",
        "--json",
    ]));
    assert_eq!(tracker["content"]["current"]["source"], "stripe");
    assert_eq!(tracker["content"]["current"]["mrr"], 5070.42);
    assert_eq!(tracker["data"]["source"], "stripe");
    let rows = tracker["data"]["actual_vs_plan"].as_array().expect("rows");
    assert_eq!(rows[0]["month"], "2026-11");
    assert_eq!(rows[0]["actual"], 5070.42);
    assert_eq!(tracker["data"]["series"].as_array().map(Vec::len), Some(13));

    // Nothing synced or shown carries the key.
    let shown = run(cmd(home.path()).args(["show", tracker["id"].as_str().unwrap(), "--json"]));
    assert!(!String::from_utf8_lossy(&shown.stdout).contains(KEY));
}

#[test]
fn a_failed_pull_writes_nothing_and_says_why_without_the_key() {
    let home = tempfile::tempdir().unwrap();
    let stripe = FakeStripe::start(Fixture::shared(), Flakiness::default());
    connect_to(home.path(), &stripe, None);
    ok_json(cmd(home.path()).args(["pull", "stripe", "--fx", "EUR=1.08", "--json"]));
    let tracker = ok_json(cmd(home.path()).args([
        "generate",
        "Track our path to $10k MRR by June 2027",
        "--json",
    ]));
    drop(stripe);

    // The account changes, and Stripe then fails for good halfway: nothing of it may land.
    let broken = FakeStripe::start(
        Fixture::shared(),
        Flakiness {
            error_every: Some(1),
            ..Flakiness::default()
        },
    );
    broken.update(|f| f.subscriptions.truncate(5));
    connect_to(home.path(), &broken, None);
    let out = run(cmd(home.path()).args(["pull", "stripe", "--fx", "EUR=1.08"]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("500"), "{err}");
    assert_eq!(
        ok_json(cmd(home.path()).args(["metrics", "--json"])),
        expected()
    );
    let shown = ok_json(cmd(home.path()).args(["show", tracker["id"].as_str().unwrap(), "--json"]));
    assert_eq!(
        shown["data"], tracker["data"],
        "the artifact's data is untouched"
    );

    // A wrong key: a clear message, no key in it, and no retrying.
    let requests_before = broken.requests();
    let mut wrong = cmd(home.path());
    wrong.env(KEY_VAR, "sk_test_wrong_key_0000000");
    connect(wrong, &broken.base(), None);
    let out = run(cmd(home.path()).args(["pull", "stripe"]));
    let err = assert_clean_failure(&out);
    assert!(err.contains("refused the API key"), "{err}");
    assert!(!err.contains("wrong_key") && !err.contains("****"), "{err}");
    assert_eq!(
        broken.requests(),
        requests_before + 1,
        "a 401 is not retried"
    );

    // An unknown currency is named.
    drop(broken);
    let fine = FakeStripe::start(Fixture::shared(), Flakiness::default());
    connect_to(home.path(), &fine, None);
    let out = run(cmd(home.path()).args(["pull", "stripe"]));
    let err = assert_clean_failure(&out);
    assert!(err.to_lowercase().contains("eur"), "{err}");
}
