//! Concurrent generates in one process: each gets its own slug, every artifact and prompt-log row
//! is committed (they share group commits), and all of it is there after a restart.

use std::collections::BTreeSet;
use std::path::Path;

use cosos_artifacts::Request;
use cosos_engine::{Clock, OpenOptions, Workspace};

const N: usize = 60;

async fn open(home: &Path) -> Workspace {
    Workspace::open(OpenOptions {
        home: home.to_path_buf(),
        clock: Clock::parse("2026-11-26").expect("clock"),
    })
    .await
    .expect("workspace opens")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn concurrent_generates_get_distinct_slugs_and_survive_a_restart() {
    let home = tempfile::tempdir().expect("temp home");
    let ids: Vec<(String, String)> = runtime().block_on(async {
        let ws = open(home.path()).await;
        let tasks: Vec<_> = (0..N)
            .map(|i| {
                let ws = ws.clone();
                tokio::spawn(async move {
                    let request = Request {
                        // Same title for all: the slug has to be made unique.
                        prompt: format!(
                            "We're at ${}k MRR and want to hit $50k by June 2027",
                            10 + i % 3
                        ),
                        ..Default::default()
                    };
                    ws.generate(&request, None).await.expect("generate")
                })
            })
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            let record = task.await.expect("task");
            out.push((record.id, record.slug));
        }
        ws.close().await;
        out
    });
    let slugs: BTreeSet<&str> = ids.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(slugs.len(), N, "every slug is distinct: {slugs:?}");
    assert!(slugs.contains("path-to-50k-mrr-by-june-2027"));
    assert!(slugs.contains(format!("path-to-50k-mrr-by-june-2027-{N}").as_str()));

    // A fresh runtime (samod holds the store until its runtime is gone) reopens the home.
    runtime().block_on(async {
        let ws = open(home.path()).await;
        let listed = ws.list().await.expect("list");
        assert_eq!(listed.len(), N);
        for (id, slug) in &ids {
            let record = ws.get(id).await.expect("every artifact loads");
            assert_eq!(&record.slug, slug);
            assert_eq!(record.kind, "mrr_tracker");
        }
        let log = ws.prompt_log().await.expect("prompt log");
        assert_eq!(log.len(), N, "one prompt-log row per generate");
        let logged: BTreeSet<_> = log.iter().filter_map(|e| e.artifact.clone()).collect();
        let created: BTreeSet<_> = ids.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(logged, created);
        // New work after the restart still picks up the numbering.
        let next = ws
            .generate(
                &Request {
                    prompt: "We're at $12k MRR and want to hit $50k by June 2027".into(),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("generate after restart");
        assert_eq!(next.slug, format!("path-to-50k-mrr-by-june-2027-{}", N + 1));
        ws.close().await;
    });
}
