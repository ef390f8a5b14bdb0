//! Classifier speed: 10,000 prompts (the held-out and shared labelled sets, cycled), against
//! lower-casing the same prompts as the in-run baseline; prints the ratio at the end.
//!
//! Run: `cargo bench -p cosos-artifacts --bench classify`

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cosos_artifacts::intent::classify;
use cosos_artifacts::model::Params;
use cosos_artifacts::parse::extract_params;
use criterion::{Criterion, Throughput};

const HELDOUT: &str = include_str!("../../tests/heldout_prompts.jsonl");
const SHARED: &str = include_str!("../../../shared/data/prompts.jsonl");

/// How many prompts one iteration classifies.
const PROMPTS: usize = 10_000;

/// The prompts with their extracted parameters, so the timed loop is classification alone.
fn workload() -> Vec<(String, Params)> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default();
    let prompts: Vec<String> = HELDOUT
        .lines()
        .chain(SHARED.lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["prompt"].as_str().map(str::to_string))
        .collect();
    prompts
        .iter()
        .cycle()
        .take(PROMPTS)
        .map(|p| (p.clone(), extract_params(p, today)))
        .collect()
}

fn baseline(work: &[(String, Params)]) -> usize {
    work.iter()
        .map(|(p, _)| black_box(p.to_lowercase()).len())
        .sum()
}

fn classify_all(work: &[(String, Params)]) -> usize {
    work.iter()
        .filter(|(p, params)| black_box(classify(p, params)).is_ok())
        .count()
}

/// The median of a few plain timed runs, for the ratio line.
fn median(mut run: impl FnMut() -> usize) -> Duration {
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let work = workload();
    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(15))
        .configure_from_args();
    let mut group = c.benchmark_group("classify_10k");
    group.throughput(Throughput::Elements(PROMPTS as u64));
    group.bench_function("baseline: lower-case only", |b| {
        b.iter(|| baseline(black_box(&work)))
    });
    group.bench_function("classify", |b| b.iter(|| classify_all(black_box(&work))));
    group.finish();
    c.final_summary();

    let base = median(|| baseline(&work));
    let full = median(|| classify_all(&work));
    println!(
        "classify {PROMPTS} prompts: {full:?} ({:.2} us/prompt); lower-case baseline {base:?}; ratio {:.1}x",
        full.as_secs_f64() * 1e6 / PROMPTS as f64,
        full.as_secs_f64() / base.as_secs_f64().max(f64::MIN_POSITIVE)
    );
}
