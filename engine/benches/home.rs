//! Opening a home and listing its artifacts: 10,000 artifacts against an empty home (the in-run
//! baseline), so the ratio shows what the artifacts cost.
//!
//! Run: `cargo bench -p cosos-engine --bench home`. The 10,000-artifact home is built once (by
//! real `generate` calls) under `target/cosos-bench/` and reused by later runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cosos_artifacts::Request;
use cosos_engine::{Clock, OpenOptions, Workspace};
use criterion::{Criterion, criterion_group, criterion_main};

const ARTIFACTS: usize = 10_000;

fn options(home: &Path) -> OpenOptions {
    OpenOptions {
        home: home.to_path_buf(),
        clock: Clock::parse("2026-11-26").unwrap_or(Clock::System),
    }
}

/// Opens the home, lists it and closes it, on a runtime of its own: samod keeps the store (and so
/// redb's file lock) until its runtime is dropped, so each open needs a fresh runtime.
fn open_and_list(home: &Path) -> usize {
    let rt = runtime();
    rt.block_on(async {
        let ws = Workspace::open(options(home)).await.expect("home opens");
        let n = ws.list().await.expect("list").len();
        ws.close().await;
        n
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Builds the home in chunks of 500, each in a fresh process-like session (new runtime, new repo):
/// samod keeps every document it has opened in memory, and one repo creating 10,000 documents
/// slows down with each, which is not what a founder's one-artifact-at-a-time use looks like.
fn build_home(home: &Path, count: usize) {
    let started = Instant::now();
    loop {
        let have = open_and_list(home);
        if have >= count {
            return;
        }
        let until = count.min(have + 500);
        runtime().block_on(build_chunk(home, have, until));
        eprintln!("built {until} artifacts in {:.1?}", started.elapsed());
    }
}

async fn build_chunk(home: &Path, from: usize, until: usize) {
    let ws = Workspace::open(options(home)).await.expect("home opens");
    for i in from..until {
        let request = Request {
            prompt: format!(
                "We're at ${}k MRR and want to hit ${}k by June 2027",
                10 + i % 50,
                100 + i % 400
            ),
            ..Default::default()
        };
        ws.generate(&request, None).await.expect("generate");
    }
    ws.close().await;
}

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/cosos-bench")
}

fn bench(c: &mut Criterion) {
    let empty = tempfile::tempdir().expect("tempdir");
    let full = bench_dir().join(format!("home-{ARTIFACTS}"));
    build_home(empty.path(), 0);
    build_home(&full, ARTIFACTS);
    assert_eq!(open_and_list(&full), ARTIFACTS);

    let mut group = c.benchmark_group("open_and_list");
    group.sample_size(20);
    group.bench_function("baseline: empty home", |b| {
        b.iter(|| open_and_list(empty.path()))
    });
    group.bench_function("10000 artifacts", |b| b.iter(|| open_and_list(&full)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
