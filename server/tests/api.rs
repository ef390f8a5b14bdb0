//! The `/api/v1` happy paths against a real workspace.

mod common;

use common::{ACCEPTANCE, start};
use serde_json::{Value, json};

#[tokio::test]
async fn generates_the_acceptance_example() {
    let s = start().await;
    let res = s
        .post_json(
            "/api/v1/artifacts/generate",
            &json!({"prompt": ACCEPTANCE, "context": {"stage": "seed", "goal": "grow-revenue"}}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["content-type"], "application/json");
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let a: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/artifacts/{}", a["id"].as_str().unwrap())
    );
    assert_eq!(a["kind"], "mrr_tracker");
    assert_eq!(a["params"]["current_mrr"], 12000);
    assert_eq!(a["params"]["target_mrr"], 50000);
    assert_eq!(a["params"]["deadline"], "2027-06-30");
    assert_eq!(a["context"]["stage"], "seed");
    assert_eq!(a["context"]["goal"], "grow-revenue");
    let milestones = a["content"]["path"]["milestones"].as_array().unwrap();
    let months: Vec<&str> = milestones
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(
        months,
        [
            "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"
        ]
    );
    assert_eq!(milestones.last().unwrap()["target_mrr"], 50000);
    assert_eq!(a["url"], format!("automerge:{}", a["id"].as_str().unwrap()));
    assert_eq!(a["created_at"], "2026-11-26T00:00:00.000Z");
}

#[tokio::test]
async fn forced_kind_is_honoured() {
    let s = start().await;
    let res = s
        .post_json(
            "/api/v1/artifacts/generate",
            &json!({"prompt": "help me with the board", "kind": "board_prep", "context": null}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["kind"], "board_prep");
}

#[tokio::test]
async fn lists_and_gets_by_id_url_and_slug() {
    let s = start().await;
    let a = s.generate(ACCEPTANCE).await;
    let id = a["id"].as_str().unwrap();
    let slug = a["slug"].as_str().unwrap();

    let res = s.get("/api/v1/artifacts").await;
    assert_eq!(res.status(), 200);
    let rows: Value = res.json().await.unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "archived",
            "id",
            "kind",
            "slug",
            "title",
            "updated_at",
            "url"
        ]
    );
    assert_eq!(rows[0]["id"], id);
    assert_eq!(rows[0]["archived"], false);

    for key in [id.to_string(), slug.to_string(), format!("automerge:{id}")] {
        let res = s.get(&format!("/api/v1/artifacts/{key}")).await;
        assert_eq!(res.status(), 200, "{key}");
        let got: Value = res.json().await.unwrap();
        assert_eq!(got, a, "{key}");
    }
}

#[tokio::test]
async fn edits_title_notes_and_next_actions() {
    let s = start().await;
    let a = s.generate(ACCEPTANCE).await;
    let id = a["id"].as_str().unwrap();
    let path = format!("/api/v1/artifacts/{id}");
    let actions = a["content"]["next_actions"].as_array().unwrap();
    assert!(actions.len() >= 2);
    assert_eq!(actions[1]["done"], false);

    let res = s
        .put_json(
            &path,
            &json!({
                "title": "Road to $50k",
                "notes": "Board wants this weekly — ünïcode ok",
                "next_actions": [{"index": 1, "done": true}]
            }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["title"], "Road to $50k");

    let got: Value = s.get(&path).await.json().await.unwrap();
    assert_eq!(got["title"], "Road to $50k");
    assert_eq!(got["notes"], "Board wants this weekly — ünïcode ok");
    assert_eq!(got["content"]["next_actions"][1]["done"], true);
    assert_eq!(got["content"]["next_actions"][0]["done"], false);
    assert_eq!(got["slug"], a["slug"], "the slug is fixed at creation");

    let rows: Value = s.get("/api/v1/artifacts").await.json().await.unwrap();
    assert_eq!(rows[0]["title"], "Road to $50k");

    // An empty body changes nothing.
    let res = s.put_json(&path, &json!({})).await;
    assert_eq!(res.status(), 200);
    let same: Value = res.json().await.unwrap();
    assert_eq!(same, got);
}

#[tokio::test]
async fn delete_archives_and_put_restores() {
    let s = start().await;
    let a = s.generate(ACCEPTANCE).await;
    let path = format!("/api/v1/artifacts/{}", a["slug"].as_str().unwrap());
    let res = s.client.delete(s.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.bytes().await.unwrap().is_empty());

    let rows: Value = s.get("/api/v1/artifacts").await.json().await.unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        1,
        "archived, never destroyed"
    );
    assert_eq!(rows[0]["archived"], true);
    let got: Value = s.get(&path).await.json().await.unwrap();
    assert_eq!(got["archived"], true);

    let res = s.put_json(&path, &json!({"archived": false})).await;
    assert_eq!(res.status(), 200);
    let rows: Value = s.get("/api/v1/artifacts").await.json().await.unwrap();
    assert_eq!(rows[0]["archived"], false);
}

#[tokio::test]
async fn metrics_are_empty_until_the_first_pull() {
    let s = start().await;
    let res = s.get("/api/v1/metrics").await;
    assert_eq!(res.status(), 200);
    let m: Value = res.json().await.unwrap();
    assert_eq!(
        m,
        json!({"currency":"usd","as_of":null,"mrr":null,"customers":null,"arpa":null,"series":[]})
    );
}

#[tokio::test]
async fn openapi_describes_every_path_and_the_artifact_shape() {
    let s = start().await;
    let res = s.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/artifacts/generate",
        "/api/v1/artifacts",
        "/api/v1/artifacts/{id}",
        "/api/v1/metrics",
        "/api/v1/openapi.json",
        "/api/v1/integrations",
        "/api/v1/integrations/stripe",
        "/api/v1/pull",
        "/api/v1/insights",
    ] {
        assert!(paths.contains_key(p), "missing {p}");
    }
    let item = &paths["/api/v1/artifacts/{id}"];
    for m in ["get", "put", "delete"] {
        assert!(item.get(m).is_some(), "missing {m}");
    }

    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Problem",
        "ArtifactRow",
        "GenerateBody",
        "UpdateBody",
        "Metrics",
    ] {
        assert!(schemas.contains_key(name), "missing schema {name}");
    }
    let problem_ref = &item["get"]["responses"]["404"]["content"]["application/problem+json"];
    assert_eq!(
        problem_ref["schema"]["$ref"],
        "#/components/schemas/Problem"
    );

    // The mirrored schema must list exactly the keys a real artifact has.
    let a = s.generate(ACCEPTANCE).await;
    let schema = &doc["components"]["schemas"]["Artifact"]["properties"];
    let mut documented: Vec<&String> = schema.as_object().unwrap().keys().collect();
    let mut actual: Vec<&String> = a.as_object().unwrap().keys().collect();
    documented.sort();
    actual.sort();
    assert_eq!(documented, actual);
    let stages = &doc["components"]["schemas"]["StageName"]["enum"];
    assert_eq!(
        stages,
        &json!([
            "pre-launch",
            "early-revenue",
            "seed",
            "series-a",
            "series-b-plus"
        ])
    );
}
