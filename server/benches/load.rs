//! Load tool: 50 concurrent connections against the real app (API + UI) on loopback, reporting
//! requests per second and p50/p99 latency for listing and generating artifacts, against serving
//! a static asset in the same run as the baseline.
//!
//! Run: `cargo bench -p cosos-server --bench load` (LOAD_SECONDS, default 5, per scenario;
//! LOAD_CONNECTIONS, default 50; LOAD_ONLY=generate runs the baseline and the scenarios whose
//! name contains it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use cosos_artifacts::Request;
use cosos_engine::{Clock, OpenOptions, Workspace};
use cosos_server::AppState;
use tokio::sync::Mutex;

/// Builds the `i`-th request of a scenario.
type MakeRequest = Arc<dyn Fn(&reqwest::Client, usize) -> reqwest::RequestBuilder + Send + Sync>;

struct Outcome {
    requests: usize,
    errors: usize,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run_scenario(
    client: &reqwest::Client,
    connections: usize,
    seconds: u64,
    make: MakeRequest,
) -> Outcome {
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let client = client.clone();
        let make = make.clone();
        let latencies = latencies.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut i = 0usize;
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = match make(&client, worker * 1_000_000 + i).send().await {
                    Ok(r) => {
                        let ok = r.status().is_success();
                        let _ = r.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                if ok {
                    mine.push(t.elapsed().as_secs_f64() * 1e3);
                } else {
                    errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                i += 1;
            }
            latencies.lock().await.extend(mine);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = latencies.lock().await.clone();
    all.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if all.is_empty() {
            f64::NAN
        } else {
            all[((all.len() as f64 - 1.0) * q) as usize]
        }
    };
    Outcome {
        requests: all.len(),
        errors: errors.load(std::sync::atomic::Ordering::Relaxed),
        rps: all.len() as f64 / elapsed,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
    }
}

fn main() {
    let seconds = env_num("LOAD_SECONDS", 5);
    let connections = env_num("LOAD_CONNECTIONS", 50) as usize;
    let home = tempfile::tempdir().expect("temp home");
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime");
    let (url, workspace) = server_rt.block_on(async {
        let ws = Workspace::open(OpenOptions {
            home: home.path().to_path_buf(),
            clock: Clock::parse("2026-11-26").unwrap_or(Clock::System),
        })
        .await
        .expect("workspace");
        for i in 0..20 {
            let request = Request {
                prompt: format!("We're at ${}k MRR and want to hit $50k by June 2027", 5 + i),
                ..Default::default()
            };
            ws.generate(&request, None).await.expect("seed artifact");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let app = cosos_server::app(AppState::new(ws.clone()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (url, ws)
    });
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    println!("load: {connections} connections, {seconds} s per scenario, server {url}");
    let results = client_rt.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(connections)
            .build()
            .expect("client");
        let base = url.clone();
        let css: MakeRequest = Arc::new(move |c: &reqwest::Client, _| c.get(format!("{base}/assets/style.css")));
        let base = url.clone();
        let list: MakeRequest = Arc::new(move |c: &reqwest::Client, _| c.get(format!("{base}/api/v1/artifacts")));
        let base = url.clone();
        let generate: MakeRequest = Arc::new(move |c: &reqwest::Client, i: usize| {
            c.post(format!("{base}/api/v1/artifacts/generate"))
                .json(&serde_json::json!({
                    "prompt": format!("We're at ${}k MRR and want to hit $90k by June 2027", 10 + i % 50)
                }))
        });
        let only = std::env::var("LOAD_ONLY").unwrap_or_default();
        let mut results = vec![(
            "baseline: GET /assets/style.css",
            run_scenario(&client, connections, seconds, css).await,
        )];
        for (name, make) in [
            ("GET /api/v1/artifacts (20 artifacts)", list),
            ("POST /api/v1/artifacts/generate", generate),
        ] {
            if name.contains(only.as_str()) {
                results.push((name, run_scenario(&client, connections, seconds, make).await));
            }
        }
        results
    });
    let baseline = results[0].1.rps;
    println!(
        "{:<40} {:>10} {:>8} {:>10} {:>9} {:>9} {:>9}",
        "scenario", "requests", "errors", "req/s", "p50 ms", "p99 ms", "vs base"
    );
    for (name, o) in &results {
        println!(
            "{name:<40} {:>10} {:>8} {:>10.0} {:>9.2} {:>9.2} {:>8.2}x",
            o.requests,
            o.errors,
            o.rps,
            o.p50_ms,
            o.p99_ms,
            o.rps / baseline
        );
    }
    server_rt.block_on(workspace.close());
}
