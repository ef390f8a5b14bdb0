//! Generation speed for every kind, in-process, against parsing alone as the in-run baseline.
//! Besides criterion's estimates it prints p50/p99 per kind from 2,000 timed runs each.
//!
//! Run: `cargo bench -p cosos-artifacts --bench generate`

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use cosos_artifacts::{Kind, Request, generate, parse::extract_params};
use criterion::{Criterion, criterion_group, criterion_main};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

fn request(kind: Kind) -> Request {
    Request {
        prompt: kind.sample_prompt().to_string(),
        ..Default::default()
    }
}

fn percentiles() {
    println!("\nper-artifact latency over 2,000 runs (classification included):");
    for kind in Kind::ALL {
        let req = request(kind);
        let mut times: Vec<f64> = (0..2_000)
            .map(|_| {
                let t = Instant::now();
                let _ = black_box(generate(black_box(&req), today(), None));
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
        println!(
            "  {:<20} p50 {:>7.1} µs   p99 {:>7.1} µs",
            kind.as_str(),
            at(0.5),
            at(0.99)
        );
    }
}

fn bench(c: &mut Criterion) {
    percentiles();
    let mut group = c.benchmark_group("generate");
    let baseline = Kind::MrrTracker.sample_prompt();
    group.bench_function("baseline: extract params only", |b| {
        b.iter(|| extract_params(black_box(baseline), today()))
    });
    for kind in Kind::ALL {
        let req = request(kind);
        group.bench_function(kind.as_str(), |b| {
            b.iter(|| generate(black_box(&req), today(), None))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
