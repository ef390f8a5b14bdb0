//! `POST /webhooks/stripe` on a running `cosos serve`, with payloads signed by the official
//! `stripe` npm package: a valid event refreshes the metrics; a tampered body, a wrong secret, a
//! timestamp over 300 s old or no header get 400; the same event twice is processed once.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::stripe_server::{
    FakeStripe, Fixture, Flakiness, KEY, NOW, connect, ok_json, pinned as cmd,
};
use serde_json::Value;

const NOW_UNIX: i64 = 1_795_694_400;
const SECRET: &str = "whsec_cosos_webhook_test";

struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(home: &Path) -> (Serving, String) {
    let mut child = cmd(home)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("serve prints its URL");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("url")
        .trim_end_matches('/')
        .to_string();
    (Serving(child), url)
}

fn node_script(url: &str, mode: &str) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join("node_modules/stripe/package.json").exists(),
        "the stripe npm package is missing: run scripts/test (or npm ci)"
    );
    let out = Command::new("node")
        .arg(root.join("tests/js/stripe_webhooks.mjs"))
        .args([url, SECRET, &NOW_UNIX.to_string(), mode])
        .current_dir(&root)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "node: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("node prints JSON")
}

#[test]
fn webhooks_are_verified_refresh_the_metrics_and_count_once() {
    assert_eq!(
        chrono_check(NOW),
        NOW_UNIX,
        "the pinned instant and its unix time agree"
    );
    let stripe = FakeStripe::start(Fixture::shared(), Flakiness::default());
    let home = tempfile::tempdir().unwrap();
    connect(cmd(home.path()), &stripe.base(), Some(SECRET));
    let before = ok_json(cmd(home.path()).args(["pull", "stripe", "--fx", "EUR=1.08", "--json"]));
    // The prompt says $12k, Stripe says about $5k: the tracker's below-plan alert will fire.
    let tracker = ok_json(cmd(home.path()).args([
        "generate",
        "We're at $12k MRR and want to hit $50k by June 2027",
        "--json",
    ]));
    let (_serving, url) = serve(home.path());

    // Something changes in Stripe: the newest subscription is gone.
    stripe.update(|f| {
        f.subscriptions.remove(0);
    });
    let valid = node_script(&url, "valid");
    assert_eq!(valid["valid"]["status"], 200, "{valid}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let after = loop {
        let now = ok_json(cmd(home.path()).args(["metrics", "--json"]));
        if now["mrr"] != before["mrr"] {
            break now;
        }
        assert!(Instant::now() < deadline, "the metrics did not refresh");
        std::thread::sleep(Duration::from_millis(100));
    };
    // sub_0100042 was $29/month.
    let drop = before["mrr"].as_f64().unwrap() - after["mrr"].as_f64().unwrap();
    assert!((drop - 29.0).abs() < 0.005, "MRR dropped by {drop}");

    // The refresh filled the tracker and raised an insight, in the CLI and in the web app.
    let insights = ok_json(cmd(home.path()).args(["insights", "--json"]));
    let fired = insights.as_array().expect("array");
    assert!(
        fired
            .iter()
            .any(|i| i["artifact"] == tracker["id"]
                && i["text"].as_str().unwrap_or("").contains("plan")),
        "{insights}"
    );
    let (status, dashboard) = common::http_get(&format!("{url}/dashboard"));
    assert_eq!(status, 200);
    assert!(
        dashboard.contains("Recent insights") && dashboard.contains("of the $12,000 plan"),
        "{dashboard}"
    );
    let (status, page) = common::http_get(&format!(
        "{url}/artifacts/{}",
        tracker["id"].as_str().unwrap()
    ));
    assert_eq!(status, 200);
    assert!(page.contains("Actual vs plan") && page.contains("with actual MRR from Stripe"));
    assert!(!page.contains(KEY) && !dashboard.contains(KEY));

    let requests = stripe.requests();
    let rest = node_script(&url, "rest");
    for case in ["tampered", "wrong_secret", "stale", "no_header"] {
        assert_eq!(rest[case]["status"], 400, "{case}: {rest}");
    }
    assert_eq!(rest["duplicate"]["status"], 200, "{rest}");
    assert_eq!(rest["duplicate"]["body"], "already processed");
    // Nothing else refreshed: no event got through, the duplicate was ignored.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        stripe.requests(),
        requests,
        "no pull after refused or repeated events"
    );
}

/// Unix seconds of an RFC 3339 instant, computed independently of the server.
fn chrono_check(rfc3339: &str) -> i64 {
    let out = Command::new("date")
        .args(["-u", "-d", rfc3339, "+%s"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("seconds")
}
