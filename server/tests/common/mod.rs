//! A real server on a loopback port over a real workspace on a temporary home.

#![allow(dead_code)]

use cosos_engine::{Clock, OpenOptions, Workspace};
use cosos_server::AppState;
use reqwest::{Client, Response};
use serde_json::Value;
use tokio::sync::oneshot;

/// The acceptance prompt of DESIGN section 4.
pub const ACCEPTANCE: &str = "We're at $12k MRR and want to hit $50k by June 2027";

/// A running server; the home lives as long as this does.
pub struct TestServer {
    pub base: String,
    pub client: Client,
    _home: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

/// Starts the router on 127.0.0.1:0 with the clock pinned to 2026-11-26.
///
/// One home per test: samod holds the redb lock until its runtime drops.
pub async fn start() -> TestServer {
    let home = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(OpenOptions {
        home: home.path().to_path_buf(),
        clock: Clock::parse("2026-11-26").unwrap(),
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(cosos_server::serve(
        listener,
        AppState::new(workspace),
        async move {
            let _ = stopped.await;
        },
    ));
    TestServer {
        base: format!("http://{addr}"),
        client: Client::new(),
        _home: home,
        _stop: stop,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Generates the acceptance artifact and returns its JSON.
    pub async fn generate(&self, prompt: &str) -> Value {
        let res = self
            .post_json(
                "/api/v1/artifacts/generate",
                &serde_json::json!({ "prompt": prompt }),
            )
            .await;
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }
}

/// Asserts a problem document with `status` and returns its body.
pub async fn problem(res: Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["type"].is_string() && body["title"].is_string());
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    body
}

/// Asserts a 422 that names `field`, both in `errors` and in the detail.
pub async fn field_problem(res: Response, field: &str) -> Value {
    let body = problem(res, 422).await;
    let named = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == field);
    assert!(named, "{field} not in {body}");
    assert!(body["detail"].as_str().unwrap().contains(field), "{body}");
    body
}
