//! Generation speed: one MRR tracker in-process, against parsing alone as the in-run baseline.
//!
//! Run: `cargo bench -p cosos-artifacts --bench generate`

use chrono::NaiveDate;
use cosos_artifacts::{Request, generate, parse::extract_params};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
    let prompt = "We're at $12k MRR and want to hit $50k by June 2027";
    let request = Request {
        prompt: prompt.to_string(),
        ..Default::default()
    };
    let mut group = c.benchmark_group("mrr_tracker");
    group.bench_function("baseline: extract params only", |b| {
        b.iter(|| extract_params(black_box(prompt), today))
    });
    group.bench_function("generate", |b| {
        b.iter(|| generate(black_box(&request), today, None))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
