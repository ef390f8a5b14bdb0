//! The optional LLM engine against a local OpenAI-compatible server: good prose is applied, and
//! every kind of bad answer keeps the computed artifact with the reason recorded.

use std::path::Path;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use cosos_artifacts::Request;
use cosos_engine::json_tree::JsonTree;
use cosos_engine::{ArtifactRecord, Clock, EngineError, OpenOptions, Workspace};
use serde_json::{Map, Value, json};

const PROMPT: &str = "We're at $12k MRR and want to hit $50k by June 2027";
const MODEL: &str = "test-model";
const KEY_ENV: &str = "COSOS_TEST_LLM_KEY";
const KEY: &str = "sk-test-7f3a9c1e5b2d8f4a6c0e";
const NEW_NUMBER: &str = "$987,654";

fn set_key() {
    static ONCE: Once = Once::new();
    // SAFETY: set once, before any test reads it, and only ever to the same value; nothing in
    // these tests reads the environment outside std's own locked accessors.
    ONCE.call_once(|| unsafe { std::env::set_var(KEY_ENV, KEY) });
}

#[derive(Clone, Copy)]
enum Mode {
    Valid,
    InvalidJson,
    BreaksSchema,
    Contradicts,
    Slow,
    Error500,
}

struct Server {
    mode: Mode,
    requests: Mutex<Vec<(Option<String>, Value)>>,
}

async fn chat(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    server
        .requests
        .lock()
        .unwrap()
        .push((auth.clone(), body.clone()));
    let user: Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    let mut rewritten: Map<String, Value> = user["slots"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                json!(format!("Put simply: {}", v.as_str().unwrap())),
            )
        })
        .collect();
    let content = match server.mode {
        Mode::Valid => Value::Object(rewritten).to_string(),
        Mode::InvalidJson => "Sure! Here are the rewrites: {\"/reality_check".to_string(),
        Mode::BreaksSchema => {
            let first = rewritten.keys().next().unwrap().clone();
            rewritten.remove(&first);
            Value::Object(rewritten).to_string()
        }
        Mode::Contradicts => {
            let (_, text) = rewritten.iter_mut().next().unwrap();
            *text = json!(format!(
                "{} That means {NEW_NUMBER} of new MRR.",
                text.as_str().unwrap()
            ));
            Value::Object(rewritten).to_string()
        }
        Mode::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            Value::Object(rewritten).to_string()
        }
        Mode::Error500 => {
            // Real servers quote (parts of) the key back; the reason must not keep it.
            let message = format!(
                "upstream exploded while serving {}",
                auth.unwrap_or_default()
            );
            let body = json!({ "error": { "message": message, "type": "server_error" } });
            return (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
        }
    };
    Json(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [ { "index": 0, "finish_reason": "stop", "message": { "role": "assistant", "content": content } } ],
    }))
    .into_response()
}

/// Starts the server and returns its base URL.
async fn start(mode: Mode) -> (String, Arc<Server>) {
    let server = Arc::new(Server {
        mode,
        requests: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(chat))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/v1"), server)
}

fn clock() -> Clock {
    Clock::parse("2026-11-26").unwrap()
}

fn request() -> Request {
    Request {
        prompt: PROMPT.into(),
        ..Default::default()
    }
}

async fn generate_in(home: &Path) -> Result<(ArtifactRecord, String), EngineError> {
    let ws = Workspace::open(OpenOptions {
        home: home.to_path_buf(),
        clock: clock(),
    })
    .await?;
    let record = ws.generate(&request(), None).await?;
    let log = serde_json::to_string(&ws.prompt_log().await?).unwrap();
    ws.close().await;
    Ok((record, log))
}

/// Generates through a home whose cosos.toml points at a server running `mode`.
async fn run(mode: Mode, timeout_s: u64, with_key: bool) -> (ArtifactRecord, String, Arc<Server>) {
    set_key();
    let (base_url, server) = start(mode).await;
    let home = tempfile::tempdir().unwrap();
    let key_line = if with_key {
        format!("api_key_env = \"{KEY_ENV}\"\n")
    } else {
        String::new()
    };
    std::fs::write(
        home.path().join("cosos.toml"),
        format!("[llm]\nbase_url = \"{base_url}\"\nmodel = \"{MODEL}\"\n{key_line}timeout_s = {timeout_s}\n"),
    )
    .unwrap();
    let (record, log) = generate_in(home.path()).await.unwrap();
    (record, log, server)
}

/// The built-in content, exactly as the store keeps it.
fn builtin_content() -> Value {
    let generated = cosos_artifacts::generate(&request(), clock().today(), None).unwrap();
    JsonTree::normalized(generated.content).0
}

fn numbers(value: &Value, at: String, out: &mut Vec<(String, f64)>) {
    match value {
        Value::Number(n) => out.push((at, n.as_f64().unwrap())),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| numbers(v, format!("{at}/{i}"), out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| numbers(v, format!("{at}/{k}"), out)),
        _ => {}
    }
}

fn all_numbers(value: &Value) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    numbers(value, String::new(), &mut out);
    out
}

/// Checks a refused answer: the built-in artifact, with `expected` in the reason and no key.
fn assert_fell_back(record: &ArtifactRecord, log: &str, expected: &str) {
    assert_eq!(record.generator.engine, "builtin");
    assert_eq!(record.content, builtin_content());
    let reason = record
        .generator
        .fallback_reason
        .as_deref()
        .expect("a fallback reason");
    assert!(
        reason.contains(expected),
        "reason {reason:?} lacks {expected:?}"
    );
    assert_no_key(record, log);
}

fn assert_no_key(record: &ArtifactRecord, log: &str) {
    assert!(!serde_json::to_string(record).unwrap().contains(KEY));
    assert!(!log.contains(KEY));
}

#[tokio::test]
async fn valid_prose_is_applied_and_numbers_stay_computed() {
    let (record, log, server) = run(Mode::Valid, 20, true).await;
    assert_eq!(record.generator.engine, format!("llm:{MODEL}"));
    assert_eq!(record.generator.fallback_reason, None);
    let builtin = builtin_content();
    assert_eq!(all_numbers(&record.content), all_numbers(&builtin));
    let reasoning = record.content["reality_check"]["reasoning"]
        .as_str()
        .unwrap();
    assert_eq!(
        reasoning,
        format!(
            "Put simply: {}",
            builtin["reality_check"]["reasoning"].as_str().unwrap()
        )
    );
    for (i, action) in record.content["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let text = action["text"].as_str().unwrap();
        assert!(text.starts_with("Put simply: "), "{text}");
        assert_eq!(action["done"], builtin["next_actions"][i]["done"]);
    }
    assert!(
        record.content["assumptions"][0]
            .as_str()
            .unwrap()
            .starts_with("Put simply: ")
    );
    assert!(log.contains(&format!("llm:{MODEL}")));
    assert_no_key(&record, &log);

    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    let (auth, body) = &requests[0];
    assert_eq!(auth.as_deref(), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(body["model"], MODEL);
    assert_eq!(body["temperature"], 0.2);
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let required = format["json_schema"]["schema"]["required"]
        .as_array()
        .unwrap();
    assert!(required.contains(&json!("/reality_check/reasoning")));
    assert!(required.contains(&json!("/next_actions/0/text")));
    assert!(!required.contains(&json!("/reality_check/verdict")));
    assert_eq!(
        format["json_schema"]["schema"]["additionalProperties"],
        false
    );
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("only rephrase") && system.contains("number"));
    let user: Value =
        serde_json::from_str(body["messages"][1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(user["prompt"], PROMPT);
    assert_eq!(user["kind"], "mrr_tracker");
    assert!(!body.to_string().contains(KEY));
}

#[tokio::test]
async fn invalid_json_keeps_the_builtin_prose() {
    let (record, log, server) = run(Mode::InvalidJson, 20, false).await;
    assert_fell_back(&record, &log, "invalid JSON");
    // No api_key_env: no Authorization header.
    assert_eq!(server.requests.lock().unwrap()[0].0, None);
}

#[tokio::test]
async fn an_answer_breaking_the_schema_keeps_the_builtin_prose() {
    let (record, log, _) = run(Mode::BreaksSchema, 20, true).await;
    assert_fell_back(&record, &log, "does not match the schema: missing slot /");
}

#[tokio::test]
async fn new_numbers_keep_the_builtin_prose() {
    let (record, log, _) = run(Mode::Contradicts, 20, true).await;
    assert_fell_back(
        &record,
        &log,
        &format!("contradicts computed numbers: {NEW_NUMBER}"),
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let started = std::time::Instant::now();
    let (record, log, _) = run(Mode::Slow, 1, true).await;
    assert_fell_back(&record, &log, "timed out after 1s");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_server_error_is_recorded_without_the_key() {
    let (record, log, _) = run(Mode::Error500, 20, true).await;
    assert_fell_back(&record, &log, "HTTP 500");
    let reason = record.generator.fallback_reason.unwrap();
    assert!(
        reason.contains("upstream exploded") && reason.contains("[redacted]"),
        "{reason}"
    );
    assert!(!reason.contains("/v1"), "{reason}");
}

#[tokio::test]
async fn an_unset_key_variable_falls_back() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("cosos.toml"),
        "[llm]\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\napi_key_env = \"COSOS_TEST_LLM_KEY_NEVER_SET\"\n",
    )
    .unwrap();
    let (record, _) = generate_in(home.path()).await.unwrap();
    assert_eq!(record.generator.engine, "builtin");
    let reason = record.generator.fallback_reason.unwrap();
    assert!(reason.contains("COSOS_TEST_LLM_KEY_NEVER_SET"), "{reason}");
}

#[tokio::test]
async fn no_config_is_builtin_without_a_reason() {
    let home = tempfile::tempdir().unwrap();
    let (record, _) = generate_in(home.path()).await.unwrap();
    assert_eq!(record.generator.engine, "builtin");
    assert_eq!(record.generator.fallback_reason, None);
    assert_eq!(record.content, builtin_content());
}

#[tokio::test]
async fn a_broken_config_fails_open_with_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("cosos.toml"),
        format!(
            "[llm]\nbase_url = \"http://127.0.0.1:9/v1\"\nmodel = \"m\"\napi_key = \"{KEY}\"\n"
        ),
    )
    .unwrap();
    let e = generate_in(home.path()).await.unwrap_err().to_string();
    assert!(
        e.contains("cosos.toml") && e.contains("line 4") && e.contains("api_key"),
        "{e}"
    );
    assert!(!e.contains(KEY), "{e}");
}
