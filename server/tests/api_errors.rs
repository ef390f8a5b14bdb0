//! Every bad input gets a 4xx `application/problem+json`, naming the field when there is one.

mod common;

use common::{ACCEPTANCE, field_problem, problem, start};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const GENERATE: &str = "/api/v1/artifacts/generate";

#[tokio::test]
async fn body_over_one_mebibyte_is_413() {
    let s = start().await;
    let big = "x".repeat(1024 * 1024 + 10);
    let body = format!("{{\"prompt\":\"{big}\"}}");
    let res = s
        .client
        .post(s.url(GENERATE))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let p = problem(res, 413).await;
    assert_eq!(p["code"], "body_too_large");

    // Chunked, so no Content-Length lets the limit be checked before reading.
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST {GENERATE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.as_bytes().chunks(64 * 1024) {
        // The server may answer and close before the whole body is sent.
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
        if tcp.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = tcp.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_lowercase();
    assert!(text.starts_with("http/1.1 413"), "{text}");
    assert!(
        text.contains("content-type: application/problem+json"),
        "{text}"
    );
}

#[tokio::test]
async fn malformed_json_is_400() {
    let s = start().await;
    for body in [
        "{\"prompt\": ",
        "not json",
        "",
        "{\"prompt\": \"a\"} trailing",
    ] {
        let res = s
            .client
            .post(s.url(GENERATE))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let p = problem(res, 400).await;
        assert_eq!(p["code"], "malformed_json", "{body}");
    }
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let s = start().await;
    let body = json!({"prompt": ACCEPTANCE}).to_string();
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = s.client.post(s.url(GENERATE)).body(body.clone());
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        problem(req.send().await.unwrap(), 415).await;
    }
    let a = s.generate(ACCEPTANCE).await;
    let path = s.url(&format!("/api/v1/artifacts/{}", a["id"].as_str().unwrap()));
    let res = s
        .client
        .put(path)
        .header("content-type", "text/plain")
        .body(r#"{"title":"x"}"#)
        .send()
        .await
        .unwrap();
    problem(res, 415).await;
}

#[tokio::test]
async fn unknown_ids_are_404() {
    let s = start().await;
    for id in [
        "no-such-slug",
        "automerge:2xZ3nLtMqtuJeGwGqT6xPbLkYsV1",
        "%E2%9C%93",
    ] {
        let path = format!("/api/v1/artifacts/{id}");
        let p = problem(s.get(&path).await, 404).await;
        assert_eq!(p["code"], "not_found");
        problem(s.put_json(&path, &json!({"title": "t"})).await, 404).await;
        let res = s.client.delete(s.url(&path)).send().await.unwrap();
        problem(res, 404).await;
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_under_api_are_problems() {
    let s = start().await;
    for path in [
        "/api",
        "/api/",
        "/api/v2/artifacts",
        "/api/v1/nope",
        "/api/v1/artifacts/a/b",
    ] {
        let p = problem(s.get(path).await, 404).await;
        assert_eq!(p["code"], "no_route", "{path}");
    }
    let res = s
        .client
        .patch(s.url("/api/v1/artifacts"))
        .send()
        .await
        .unwrap();
    assert!(res.headers().contains_key("allow"));
    problem(res, 405).await;
}

#[tokio::test]
async fn generate_field_errors_are_422_naming_the_field() {
    let s = start().await;
    let cases: [(Value, &str); 12] = [
        (
            json!({"prompt": ACCEPTANCE, "context": {"stage": "unicorn"}}),
            "context.stage",
        ),
        (
            json!({"prompt": ACCEPTANCE, "context": {"goal": "world-domination"}}),
            "context.goal",
        ),
        (
            json!({"prompt": ACCEPTANCE, "context": {"stage": 3}}),
            "context.stage",
        ),
        (
            json!({"prompt": ACCEPTANCE, "context": {"challenge": []}}),
            "context.challenge",
        ),
        (json!({"prompt": ACCEPTANCE, "context": "seed"}), "context"),
        (
            json!({"prompt": ACCEPTANCE, "kind": "crystal_ball"}),
            "kind",
        ),
        (json!({"prompt": ACCEPTANCE, "kind": 7}), "kind"),
        (json!({"prompt": "   "}), "prompt"),
        (json!({"prompt": "x".repeat(10_001)}), "prompt"),
        (json!({"prompt": 42}), "prompt"),
        (json!({}), "prompt"),
        (json!({"prompt": ACCEPTANCE, "promt": "typo"}), "promt"),
    ];
    for (body, field) in cases {
        field_problem(s.post_json(GENERATE, &body).await, field).await;
    }
    let p = problem(s.post_json(GENERATE, &json!([1, 2])).await, 422).await;
    assert_eq!(p["code"], "invalid_body");

    // Several bad fields are all reported at once.
    let body = json!({"prompt": "", "context": {"stage": "x", "goal": "y"}});
    let p = field_problem(s.post_json(GENERATE, &body).await, "context.goal").await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 3);

    // Nothing was stored by any of these.
    let rows: Value = s.get("/api/v1/artifacts").await.json().await.unwrap();
    assert_eq!(rows, json!([]));
}

#[tokio::test]
async fn a_prompt_no_kind_fits_is_422_with_examples() {
    let s = start().await;
    let body = json!({"prompt": "what is the weather like on mars"});
    let p = field_problem(s.post_json(GENERATE, &body).await, "prompt").await;
    assert_eq!(p["code"], "no_kind_fits");
    let kinds = p["kinds"].as_array().unwrap();
    assert_eq!(kinds.len(), 7);
    assert!(kinds.iter().all(|k| k["example"].is_string()));
}

#[tokio::test]
async fn edit_field_errors_are_422_naming_the_field() {
    let s = start().await;
    let a = s.generate(ACCEPTANCE).await;
    let path = format!("/api/v1/artifacts/{}", a["id"].as_str().unwrap());
    let n = a["content"]["next_actions"].as_array().unwrap().len();
    let cases: [(Value, &str); 11] = [
        (json!({"title": ""}), "title"),
        (json!({"title": " \n\t "}), "title"),
        (json!({"title": "t".repeat(201)}), "title"),
        (json!({"title": 5}), "title"),
        (json!({"notes": {"a": 1}}), "notes"),
        (json!({"notes": "n".repeat(100_001)}), "notes"),
        (json!({"archived": "yes"}), "archived"),
        (
            json!({"next_actions": [{"index": n, "done": true}]}),
            "next_actions[0].index",
        ),
        (
            json!({"next_actions": [{"index": 0, "done": true}, {"index": -1, "done": true}]}),
            "next_actions[1].index",
        ),
        (
            json!({"next_actions": [{"index": 0, "done": "yes"}]}),
            "next_actions[0].done",
        ),
        (json!({"next_actions": {"index": 0}}), "next_actions"),
    ];
    for (body, field) in cases {
        field_problem(s.put_json(&path, &body).await, field).await;
    }
    // No partial edit happened.
    let got: Value = s.get(&path).await.json().await.unwrap();
    assert_eq!(got, a);
}

#[tokio::test]
async fn integration_endpoints_refuse_bad_input_and_never_echo_keys() {
    let s = start().await;
    let res = s
        .put_json(
            "/api/v1/integrations/stripe",
            &json!({"api_key": "pk_live_public_key_123456"}),
        )
        .await;
    let p = problem(res, 422).await;
    assert!(p["detail"].as_str().unwrap().contains("sk_"), "{p}");
    assert!(!p.to_string().contains("pk_live_public_key_123456"), "{p}");

    let res = s
        .put_json(
            "/api/v1/integrations/stripe",
            &json!({"api_key": "sk_test_1", "apikey": "x"}),
        )
        .await;
    let p = problem(res, 422).await;
    assert!(
        p.to_string().contains("apikey"),
        "the unknown field is named: {p}"
    );

    let res = s
        .put_json(
            "/api/v1/integrations/stripe",
            &json!({"api_key": "sk_test_abcdefghijklmnop1234", "api_base": "http://127.0.0.1:9"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let status: Value = res.json().await.unwrap();
    assert_eq!(status["key"], "sk_test_…1234");
    let listed: Value = s.get("/api/v1/integrations").await.json().await.unwrap();
    assert!(!listed.to_string().contains("abcdefghijklmnop"), "{listed}");

    // Nothing answers at that address: a 502 that says why and writes nothing.
    // SAFETY: only this test reads or writes this variable; it shortens retry waits.
    unsafe { std::env::set_var("COSOS_RETRY_BASE_MS", "1") };
    let res = s
        .post_json("/api/v1/pull", &json!({"source": "stripe"}))
        .await;
    let p = problem(res, 502).await;
    assert!(!p.to_string().contains("abcdefghijklmnop"), "{p}");
    let metrics: Value = s.get("/api/v1/metrics").await.json().await.unwrap();
    assert_eq!(metrics["as_of"], Value::Null);

    let res = s.post_json("/api/v1/pull", &json!({"source": "ftp"})).await;
    problem(res, 422).await;
}
