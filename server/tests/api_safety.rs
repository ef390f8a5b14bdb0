//! User text is only ever returned JSON-escaped, and concurrent requests are all served.

mod common;

use std::collections::HashSet;

use common::{ACCEPTANCE, problem, start};
use serde_json::{Value, json};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

#[tokio::test]
async fn markup_in_title_and_notes_comes_back_escaped_and_intact() {
    let s = start().await;
    let a = s.generate(ACCEPTANCE).await;
    let path = format!("/api/v1/artifacts/{}", a["id"].as_str().unwrap());
    let res = s
        .put_json(&path, &json!({"title": SCRIPT, "notes": IMG}))
        .await;
    assert_eq!(res.status(), 200);

    let res = s.get(&path).await;
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let raw = res.text().await.unwrap();
    // The quote is escaped by JSON, so the markup cannot break out of its string.
    assert!(
        raw.contains(r#""notes":"\"><img src=x onerror=alert(1)>""#),
        "{raw}"
    );
    let got: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(got["title"], SCRIPT);
    assert_eq!(got["notes"], IMG);

    let res = s.get("/api/v1/artifacts").await;
    assert_eq!(res.headers()["content-type"], "application/json");
    let rows: Value = res.json().await.unwrap();
    assert_eq!(rows[0]["title"], SCRIPT);
}

#[tokio::test]
async fn markup_in_a_prompt_is_stored_verbatim() {
    let s = start().await;
    let prompt = format!("{ACCEPTANCE} {SCRIPT}");
    let res = s
        .post_json(
            "/api/v1/artifacts/generate",
            &json!({"prompt": prompt, "context": {"challenge": IMG}}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["content-type"], "application/json");
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["prompt"], prompt);
    assert_eq!(a["context"]["challenge"], IMG);
}

#[tokio::test]
async fn markup_in_error_inputs_is_never_html() {
    let s = start().await;
    let encoded = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    let p = problem(s.get(&format!("/api/v1/artifacts/{encoded}")).await, 404).await;
    assert!(p["detail"].as_str().unwrap().contains(SCRIPT));

    let body = json!({"prompt": ACCEPTANCE, "context": {"stage": SCRIPT}, SCRIPT: 1});
    let res = s.post_json("/api/v1/artifacts/generate", &body).await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let p = problem(res, 422).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"context.stage") && fields.contains(&SCRIPT),
        "{p}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_generates_all_succeed_with_unique_slugs() {
    let s = std::sync::Arc::new(start().await);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            // Half share one prompt, so their titles (and base slugs) collide.
            let prompt = if i % 2 == 0 {
                ACCEPTANCE.to_string()
            } else {
                format!("Track our path to ${}k MRR by end of year", 100 + i)
            };
            let res = s
                .post_json("/api/v1/artifacts/generate", &json!({"prompt": prompt}))
                .await;
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.unwrap()
        }));
    }
    let mut slugs = HashSet::new();
    let mut ids = HashSet::new();
    for t in tasks {
        let a = t.await.unwrap();
        assert!(
            slugs.insert(a["slug"].as_str().unwrap().to_string()),
            "duplicate slug"
        );
        assert!(ids.insert(a["id"].as_str().unwrap().to_string()));
    }
    assert_eq!(slugs.len(), 50);
    let rows: Value = s.get("/api/v1/artifacts").await.json().await.unwrap();
    let listed: HashSet<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, slugs);
}
