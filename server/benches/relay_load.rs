//! Relay load tool: N concurrent devices, each a real samod repo dialing the relay over a real
//! websocket on loopback (with `cosos_engine::sync::RelayDialer`, as devices do), change their
//! documents in a closed loop and wait for the relay to acknowledge each change
//! (`they_have_our_changes`). Reports changes per second synced through the relay, p50/p99
//! latency from a change to the relay's acknowledgement, and the relay's RSS during the load,
//! after it, after the relay has evicted the idle workspaces, and after each cycle of loading
//! every workspace again (a device fetching all its documents) and evicting it.
//!
//! The relay runs in this process, as `cosos relay` runs it (`Relay::open`, `router`, `maintain`);
//! the clients run in a child process (this same executable, `RELAY_LOAD_CHILD` set), so this
//! process's RSS is the relay's alone. Both use a tokio runtime of 2 worker threads, like the
//! `load` bench, and share the machine's cores.
//!
//! Baselines in the same run, with the same number of clients, documents and duration, also in
//! the child process:
//! - `local`: the same changes applied to in-memory samod repos, no network: what a change costs
//!   before it is synced at all (the ratio column is against this);
//! - `in-process peer`: the same devices syncing with an in-process samod repo per workspace
//!   configured like the relay's (`read_write().with_announce(false)`, in-memory storage) over a
//!   channel: the sync protocol's own cost, without websocket, axum, tokens, limits, the gate or
//!   the redb store.
//!
//! The relay's CPU time (this process's user + system time) during each relay scenario is reported
//! per change: with the clients in another process, it is what one change costs the relay.
//!
//! Last, a hostile peer (a raw websocket client holding a valid token) sends LOAD_FLOOD (default
//! 2,000, within one connection's burst) messages about made-up document ids: first `request`s,
//! which the relay's gate answers itself, then `doc-unavailable`s, which reach samod; the relay's
//! RSS is read after each.
//!
//! Run: `cargo bench -p cosos-server --bench relay_load` (LOAD_SECONDS, default 3, per scenario;
//! LOAD_CLIENTS, default `1,10,50`; LOAD_DOCS, documents per client, default 4; LOAD_RELAY_RATE,
//! the relay's inbound messages per second per connection, default the relay's own, 500 with
//! bursts of 2,000, which caps one device at about 500 changes/s). Clients are spread over
//! `ceil(clients / 5)` workspaces, one token each.

use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use automerge::transaction::Transactable;
use cosos_engine::sync::{RelayDialer, RelayTarget, SyncError};
use cosos_server::relay::{Limits, Relay};
use samod::{BackoffConfig, ConnectionId, DocHandle, DocumentId, Repo, ShareConfig};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

/// How long an idle workspace stays loaded in this run (the relay's default is 60 s).
const EVICT_AFTER: Duration = Duration::from_secs(2);
/// Longest wait for one acknowledgement before the change counts as an error.
const ACK_TIMEOUT: Duration = Duration::from_secs(10);
/// Times every workspace is loaded again (all its documents fetched) and evicted, after the load.
const RELOAD_CYCLES: usize = 2;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

/// A `/proc/self/status` field in KiB (Linux).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

/// This process's user + system CPU time, in seconds.
fn cpu_secs() -> f64 {
    // SAFETY: getrusage writes into the struct we pass and nothing else.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn rss_mib() -> f64 {
    status_kib("VmRSS:") as f64 / 1024.0
}

/// Hands freed heap back to the OS so RSS shows what is still held, not what glibc kept.
fn trim_heap() {
    // SAFETY: malloc_trim only releases free heap memory; it may be called at any time from any
    // thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

// ---- Client side (child process) ----------------------------------------------------------------

/// One change to `handle`.
async fn change(handle: &DocHandle, i: usize) -> bool {
    handle
        .with_document_async(move |doc| {
            let mut tx = doc.transaction();
            let ok = tx.put(automerge::ROOT, "n", i as i64).is_ok();
            tx.commit();
            ok
        })
        .await
        .unwrap_or(false)
}

/// A device: its repo, its documents, and (when synced) its link to the peer.
struct Client {
    repo: Repo,
    docs: Vec<DocHandle>,
    link: Option<Link>,
}

enum Link {
    Relay(samod::DialerHandle<SyncError>),
    InProcess(samod::DialerHandle<std::convert::Infallible>),
}

impl Link {
    fn connection_id(&self) -> Option<ConnectionId> {
        match self {
            Link::Relay(d) => d.connection_id(),
            Link::InProcess(d) => d.connection_id(),
        }
    }

    fn close(&self) {
        match self {
            Link::Relay(d) => d.close(),
            Link::InProcess(d) => d.close(),
        }
    }
}

fn backoff() -> BackoffConfig {
    BackoffConfig {
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_secs(2),
        max_retries: None,
    }
}

impl Client {
    async fn new(docs: usize) -> Client {
        let repo = Repo::build_tokio().load().await;
        let mut handles = Vec::with_capacity(docs);
        for _ in 0..docs {
            handles.push(
                repo.create(automerge::Automerge::new())
                    .await
                    .expect("create a document"),
            );
        }
        Client {
            repo,
            docs: handles,
            link: None,
        }
    }

    async fn dial_relay(&mut self, url: &str, token: &str) {
        let target = RelayTarget::new(url, token).expect("relay target");
        let dialer = self
            .repo
            .dial(backoff(), Arc::new(RelayDialer(target)))
            .expect("dial");
        dialer.established().await.expect("connected to the relay");
        self.link = Some(Link::Relay(dialer));
    }

    async fn dial_in_process(&mut self, acceptor: &samod::AcceptorHandle) {
        let dialer = self
            .repo
            .dial(
                backoff(),
                Arc::new(samod::transport::channel::ChannelDialer::new(
                    acceptor.clone(),
                )),
            )
            .expect("dial");
        dialer.established().await.expect("connected in-process");
        self.link = Some(Link::InProcess(dialer));
    }

    /// Waits until the peer has every document as this client has it.
    async fn settle(&self) {
        let conn = self.connection().expect("connected");
        for doc in &self.docs {
            tokio::time::timeout(ACK_TIMEOUT * 3, doc.they_have_our_changes(conn))
                .await
                .expect("initial sync");
        }
    }

    fn connection(&self) -> Option<ConnectionId> {
        self.link.as_ref().and_then(Link::connection_id)
    }

    async fn stop(self) {
        if let Some(link) = &self.link {
            link.close();
        }
        self.repo.stop().await;
    }
}

struct Outcome {
    changes: usize,
    errors: usize,
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Runs the closed loop on every client for `seconds`: change a document, then (when linked)
/// wait for the peer's acknowledgement.
async fn drive(clients: Vec<Client>, seconds: u64) -> (Outcome, Vec<Client>) {
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for client in clients {
        let latencies = latencies.clone();
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut i = 0usize;
            while Instant::now() < deadline {
                let doc = &client.docs[i % client.docs.len()];
                let t = Instant::now();
                let mut ok = change(doc, i).await;
                if ok && let Some(conn) = client.connection() {
                    ok = tokio::time::timeout(ACK_TIMEOUT, doc.they_have_our_changes(conn))
                        .await
                        .is_ok();
                }
                if ok {
                    mine.push(t.elapsed().as_secs_f64() * 1e3);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                i += 1;
            }
            latencies.lock().await.extend(mine);
            client
        }));
    }
    let mut clients = Vec::new();
    for t in tasks {
        clients.push(t.await.expect("client task"));
    }
    let elapsed = started.elapsed();
    let mut all = std::mem::take(&mut *latencies.lock().await);
    all.sort_by(f64::total_cmp);
    let at = |q: f64| {
        if all.is_empty() {
            f64::NAN
        } else {
            all[((all.len() as f64 - 1.0) * q) as usize]
        }
    };
    let outcome = Outcome {
        changes: all.len(),
        errors: errors.load(Ordering::Relaxed),
        per_sec: all.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.5),
        p99_ms: at(0.99),
    };
    (outcome, clients)
}

fn print_outcome(o: &Outcome) {
    println!(
        "outcome {} {} {} {} {}",
        o.changes, o.errors, o.per_sec, o.p50_ms, o.p99_ms
    );
}

/// The child process: runs one scenario and prints its results on stdout.
fn child(mode: &str) {
    let n = env_num("RELAY_LOAD_N", 1).max(1) as usize;
    let docs = env_num("RELAY_LOAD_DOCS", 4).max(1) as usize;
    let seconds = env_num("RELAY_LOAD_SECONDS", 4);
    let spaces = env_num("RELAY_LOAD_SPACES", 1).max(1) as usize;
    let url = std::env::var("RELAY_LOAD_URL").unwrap_or_default();
    let lines: Vec<String> = std::env::var("RELAY_LOAD_FILE")
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    rt.block_on(async {
        match mode {
            "local" => {
                let mut clients = Vec::new();
                for _ in 0..n {
                    clients.push(Client::new(docs).await);
                }
                let (outcome, clients) = drive(clients, seconds).await;
                print_outcome(&outcome);
                for c in clients {
                    c.stop().await;
                }
            }
            "in-process" => {
                let mut peers = Vec::new();
                for w in 0..spaces {
                    let peer = Repo::build_tokio()
                        .with_share_policy(ShareConfig::read_write().with_announce(false))
                        .load()
                        .await;
                    let url =
                        samod::Url::parse(&format!("cosos-bench://in-process/{w}")).expect("url");
                    let acceptor = peer.make_acceptor(url).expect("acceptor");
                    peers.push((peer, acceptor));
                }
                let mut clients = Vec::new();
                for c in 0..n {
                    let mut client = Client::new(docs).await;
                    client.dial_in_process(&peers[c % spaces].1).await;
                    client.settle().await;
                    clients.push(client);
                }
                let (outcome, clients) = drive(clients, seconds).await;
                print_outcome(&outcome);
                for c in clients {
                    c.stop().await;
                }
                for (peer, acceptor) in peers {
                    acceptor.close();
                    peer.stop().await;
                }
            }
            "relay" => {
                // One token per client (line `c` of the file).
                let mut clients = Vec::new();
                for token in &lines {
                    let mut client = Client::new(docs).await;
                    client.dial_relay(&url, token).await;
                    client.settle().await;
                    clients.push(client);
                }
                let (outcome, clients) = drive(clients, seconds).await;
                print_outcome(&outcome);
                for (c, client) in clients.iter().enumerate() {
                    let ids: Vec<String> = client
                        .docs
                        .iter()
                        .map(|d| d.document_id().to_string())
                        .collect();
                    println!("docs {c} {}", ids.join(" "));
                }
                for c in clients {
                    c.stop().await;
                }
            }
            "fetch" => {
                // Lines: a token, then the documents of its workspace.
                let mut fetched = 0;
                for line in &lines {
                    let mut words = line.split_whitespace();
                    let Some(token) = words.next() else { continue };
                    let mut client = Client::new(0).await;
                    client.dial_relay(&url, token).await;
                    for id in words.filter_map(|w| w.parse::<DocumentId>().ok()) {
                        if let Ok(Ok(Some(_))) =
                            tokio::time::timeout(ACK_TIMEOUT, client.repo.find(id)).await
                        {
                            fetched += 1;
                        }
                    }
                    client.stop().await;
                }
                println!("fetched {fetched}");
            }
            other => panic!("unknown child mode {other}"),
        }
    });
}

// ---- Relay side (this process) --------------------------------------------------------------------

/// Runs the child process for one scenario; returns its stdout lines.
fn run_child(
    mode: &str,
    n: usize,
    docs: usize,
    seconds: u64,
    spaces: usize,
    url: &str,
    file: Option<&Path>,
) -> Vec<String> {
    let exe = std::env::current_exe().expect("this executable");
    let mut cmd = Command::new(exe);
    cmd.env("RELAY_LOAD_CHILD", mode)
        .env("RELAY_LOAD_N", n.to_string())
        .env("RELAY_LOAD_DOCS", docs.to_string())
        .env("RELAY_LOAD_SECONDS", seconds.to_string())
        .env("RELAY_LOAD_SPACES", spaces.to_string())
        .env("RELAY_LOAD_URL", url);
    if let Some(file) = file {
        cmd.env("RELAY_LOAD_FILE", file);
    }
    let out = cmd.output().expect("run the client process");
    assert!(
        out.status.success(),
        "client process ({mode}) failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn parse_outcome(lines: &[String]) -> Outcome {
    let line = lines
        .iter()
        .find_map(|l| l.strip_prefix("outcome "))
        .expect("the client process reports an outcome");
    let f: Vec<f64> = line
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(f64::NAN))
        .collect();
    Outcome {
        changes: f[0] as usize,
        errors: f[1] as usize,
        per_sec: f[2],
        p50_ms: f[3],
        p99_ms: f[4],
    }
}

/// Samples this process's RSS every 20 ms and keeps the highest since the last `take`.
struct PeakSampler {
    peak_kib: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl PeakSampler {
    fn start() -> PeakSampler {
        let peak_kib = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (peak_kib.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(status_kib("VmRSS:"), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        PeakSampler { peak_kib, stop }
    }

    /// The peak since the last call, in MiB.
    fn take(&self) -> f64 {
        self.peak_kib.swap(status_kib("VmRSS:"), Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for PeakSampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Waits until the relay has unloaded every workspace (or 5 eviction periods passed); returns the
/// RSS then, how many workspaces are still loaded and how long it took.
async fn wait_for_eviction(relay: &Relay) -> (f64, usize, f64) {
    let started = Instant::now();
    let loaded = loop {
        let loaded = relay.loaded_workspaces().await.len();
        if loaded == 0 || started.elapsed() > EVICT_AFTER * 5 {
            break loaded;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Let the repos' stop finish before reading memory.
    tokio::time::sleep(Duration::from_millis(300)).await;
    trim_heap();
    (rss_mib(), loaded, started.elapsed().as_secs_f64())
}

/// A CBOR map of text fields, as the automerge-repo protocol frames its messages.
fn cbor_message(
    fields: &[(&str, &str)],
    versions: Option<&[&str]>,
    data: Option<&[u8]>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = minicbor::Encoder::new(&mut out);
    let len = fields.len() as u64 + u64::from(versions.is_some()) + u64::from(data.is_some());
    let written = (|| -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
        e.map(len)?;
        for (k, v) in fields {
            e.str(k)?.str(v)?;
        }
        if let Some(versions) = versions {
            e.str("supportedProtocolVersions")?
                .array(versions.len() as u64)?;
            for v in versions {
                e.str(v)?;
            }
        }
        if let Some(data) = data {
            e.str("data")?.bytes(data)?;
        }
        Ok(())
    })();
    written.expect("encoding to a Vec cannot fail");
    out
}

/// A hostile peer: joins with `token`, then sends `n` messages of `kind` about made-up document
/// ids, and waits until the relay has stopped growing. Returns how many frames the relay sent back
/// after the handshake.
async fn flood(url: &str, token: &str, kind: &str, n: usize) -> usize {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let join = cbor_message(
        &[("type", "join"), ("senderId", "flooder")],
        Some(&["1"]),
        None,
    );
    ws.send(Message::Binary(join.into())).await.expect("join");
    let relay_id = loop {
        let Some(Ok(Message::Binary(frame))) = ws.next().await else {
            panic!("no peer answer");
        };
        let mut d = minicbor::Decoder::new(&frame);
        let len = d.map().ok().flatten().unwrap_or(0);
        let mut sender = None;
        for _ in 0..len {
            match d.str() {
                Ok("senderId") => sender = d.str().ok().map(str::to_string),
                Ok(_) => {
                    let _ = d.skip();
                }
                Err(_) => break,
            }
        }
        if let Some(sender) = sender {
            break sender;
        }
    };
    let mut rng = rand::rng();
    for _ in 0..n {
        let doc = DocumentId::new(&mut rng).to_string();
        let fields = [
            ("type", kind),
            ("senderId", "flooder"),
            ("targetId", relay_id.as_str()),
            ("documentId", doc.as_str()),
        ];
        // A request carries a sync message: an empty but valid one.
        let data: Option<&[u8]> = (kind == "request").then_some(&[0x42, 0, 0, 0, 0]);
        let message = cbor_message(&fields, None, data);
        ws.send(Message::Binary(message.into()))
            .await
            .expect("send");
    }
    // Count answers until the relay is quiet, and wait for its memory to settle.
    let mut replies = 0;
    let mut last = rss_mib();
    let mut stable = 0;
    let started = Instant::now();
    while stable < 3 && started.elapsed() < Duration::from_secs(30) {
        match tokio::time::timeout(Duration::from_millis(300), ws.next()).await {
            Ok(Some(Ok(Message::Binary(_)))) => {
                replies += 1;
                continue;
            }
            Ok(Some(Ok(_))) => continue,
            Ok(_) => break,
            Err(_) => {}
        }
        trim_heap();
        let now = rss_mib();
        stable = if (now - last).abs() < 0.2 {
            stable + 1
        } else {
            0
        };
        last = now;
    }
    let _ = ws.close(None).await;
    replies
}

/// How many workspaces `clients` clients are spread over.
fn workspaces_for(clients: usize) -> usize {
    clients.div_ceil(5).max(1)
}

struct Row {
    name: &'static str,
    clients: usize,
    workspaces: usize,
    outcome: Outcome,
    /// Peak RSS of the relay process during the scenario.
    peak_mib: f64,
    /// The relay process's CPU seconds during the scenario (relay rows only).
    relay_cpu: Option<f64>,
}

fn write_lines(path: &Path, lines: &[String]) {
    let mut f = std::fs::File::create(path).expect("scratch file");
    for line in lines {
        writeln!(f, "{line}").expect("write scratch file");
    }
}

fn main() {
    if let Ok(mode) = std::env::var("RELAY_LOAD_CHILD") {
        child(&mode);
        return;
    }
    let seconds = env_num("LOAD_SECONDS", 3);
    let docs = env_num("LOAD_DOCS", 4).max(1) as usize;
    let counts = env_list("LOAD_CLIENTS", &[1, 10, 50]);
    let data = tempfile::tempdir().expect("relay data dir");
    let scratch = data.path().join("bench-clients.txt");

    let rss_start = rss_mib();
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime");
    let mut limits = Limits {
        evict_after: Some(EVICT_AFTER),
        ..Limits::default()
    };
    if let Some(rate) = std::env::var("LOAD_RELAY_RATE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .and_then(std::num::NonZeroU32::new)
    {
        limits.inbound.messages_per_second = rate;
        limits.inbound.burst = rate.saturating_mul(std::num::NonZeroU32::MIN.saturating_add(3));
    }
    let relay = Relay::open(&data.path().join("relay"), limits).expect("open the relay");
    let shutdown = CancellationToken::new();
    let url = server_rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("ws://{}/sync", listener.local_addr().expect("addr"));
        let router = relay.router();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        tokio::spawn({
            let relay = relay.clone();
            let shutdown = shutdown.clone();
            async move { relay.maintain(shutdown).await }
        });
        url
    });
    let rss_relay_up = rss_mib();
    let sampler = PeakSampler::start();
    println!(
        "relay_load: clients {counts:?}, {docs} documents per client, {seconds} s per scenario, \
         relay {url}, inbound limit {}/s (burst {}) per connection",
        limits.inbound.messages_per_second, limits.inbound.burst
    );

    let mut rows: Vec<Row> = Vec::new();
    // Every workspace the relay served: its token and its documents.
    let mut served: Vec<(String, Vec<String>)> = Vec::new();
    for &n in &counts {
        let n = n.max(1);
        let spaces = workspaces_for(n);

        let local = run_child("local", n, docs, seconds, spaces, &url, None);
        rows.push(Row {
            name: "baseline: local change, no network",
            clients: n,
            workspaces: 0,
            outcome: parse_outcome(&local),
            peak_mib: sampler.take(),
            relay_cpu: None,
        });

        let in_process = run_child("in-process", n, docs, seconds, spaces, &url, None);
        rows.push(Row {
            name: "in-process samod peer (channel)",
            clients: n,
            workspaces: spaces,
            outcome: parse_outcome(&in_process),
            peak_mib: sampler.take(),
            relay_cpu: None,
        });

        // The relay: one token per client, client `c` in workspace `c % spaces`.
        let tokens: Vec<String> = (0..n)
            .map(|c| {
                relay
                    .token_file()
                    .add(&format!("load-{n}-{}", c % spaces), chrono::Utc::now())
                    .expect("add a token")
                    .0
            })
            .collect();
        write_lines(&scratch, &tokens);
        sampler.take();
        let cpu_before = cpu_secs();
        let through = run_child("relay", n, docs, seconds, spaces, &url, Some(&scratch));
        rows.push(Row {
            name: "relay: websocket, token, gate, redb",
            clients: n,
            workspaces: spaces,
            outcome: parse_outcome(&through),
            peak_mib: sampler.take(),
            // Includes connecting and the initial sync of each client's documents.
            relay_cpu: Some(cpu_secs() - cpu_before),
        });
        // Client `w` (token `w`) is in workspace `w` for every `w < spaces`.
        let first = served.len();
        served.extend(tokens.iter().take(spaces).map(|t| (t.clone(), Vec::new())));
        for line in through.iter().filter_map(|l| l.strip_prefix("docs ")) {
            let mut words = line.split_whitespace();
            let c: usize = words.next().and_then(|c| c.parse().ok()).unwrap_or(0);
            served[first + c % spaces]
                .1
                .extend(words.map(str::to_string));
        }
    }

    // Memory: right after the load, once the relay has evicted the idle workspaces, then after
    // each cycle of loading every workspace again (one device fetching all its documents) and
    // evicting it.
    let loaded_after_load = server_rt.block_on(relay.loaded_workspaces()).len();
    trim_heap();
    let mut memory = vec![format!(
        "after the load: {:.1} MiB ({loaded_after_load} workspaces loaded)",
        rss_mib()
    )];
    let (rss, loaded, secs) = server_rt.block_on(wait_for_eviction(&relay));
    memory.push(format!(
        "evicted: {rss:.1} MiB ({loaded} loaded after {secs:.1} s)"
    ));
    let total_docs: usize = served.iter().map(|(_, d)| d.len()).sum();
    let fetch_lines: Vec<String> = served
        .iter()
        .map(|(token, ids)| format!("{token} {}", ids.join(" ")))
        .collect();
    write_lines(&scratch, &fetch_lines);
    for cycle in 1..=RELOAD_CYCLES {
        let out = run_child("fetch", 0, 0, 0, 0, &url, Some(&scratch));
        let fetched = out
            .iter()
            .find_map(|l| l.strip_prefix("fetched "))
            .unwrap_or("?")
            .to_string();
        let loaded_now = server_rt.block_on(relay.loaded_workspaces()).len();
        trim_heap();
        let rss_reloaded = rss_mib();
        let (rss, loaded, secs) = server_rt.block_on(wait_for_eviction(&relay));
        memory.push(format!(
            "reload {cycle} ({fetched}/{total_docs} documents fetched, {loaded_now} workspaces \
             loaded): {rss_reloaded:.1} MiB; evicted again: {rss:.1} MiB ({loaded} loaded after \
             {secs:.1} s)"
        ));
    }
    drop(sampler);

    // A hostile peer with a valid token.
    let flood_n = env_num("LOAD_FLOOD", 2_000) as usize;
    let flood_token = relay
        .token_file()
        .add("flood", chrono::Utc::now())
        .expect("add a token")
        .0;
    let flood_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("flood runtime");
    trim_heap();
    let rss_flood_start = rss_mib();
    let mut hostile = Vec::new();
    for kind in ["request", "doc-unavailable"] {
        let started = Instant::now();
        let replies = flood_rt.block_on(flood(&url, &flood_token, kind, flood_n));
        trim_heap();
        hostile.push(format!(
            "{flood_n} `{kind}` for made-up ids: relay RSS {:.1} MiB, {replies} answers, {:.1} s",
            rss_mib(),
            started.elapsed().as_secs_f64()
        ));
    }

    println!(
        "{:<36} {:>7} {:>4} {:>8} {:>6} {:>10} {:>8} {:>8} {:>8} {:>9} {:>11}",
        "scenario",
        "clients",
        "ws",
        "changes",
        "errors",
        "changes/s",
        "p50 ms",
        "p99 ms",
        "vs base",
        "relay MiB",
        "relay CPU"
    );
    let mut baseline = f64::NAN;
    for row in &rows {
        if row.name.starts_with("baseline") {
            baseline = row.outcome.per_sec;
        }
        let o = &row.outcome;
        let cpu = row.relay_cpu.map_or("-".to_string(), |secs| {
            format!("{:.0} us/chg", secs * 1e6 / o.changes.max(1) as f64)
        });
        println!(
            "{:<36} {:>7} {:>4} {:>8} {:>6} {:>10.0} {:>8.2} {:>8.2} {:>7.3}x {:>9.1} {:>11}",
            row.name,
            row.clients,
            row.workspaces,
            o.changes,
            o.errors,
            o.per_sec,
            o.p50_ms,
            o.p99_ms,
            o.per_sec / baseline,
            row.peak_mib,
            cpu,
        );
    }
    println!(
        "relay process RSS: start {rss_start:.1} MiB, relay up {rss_relay_up:.1} MiB, peak {:.1} \
         MiB (VmHWM); heap trimmed before each reading below; evict_after {} s",
        status_kib("VmHWM:") as f64 / 1024.0,
        EVICT_AFTER.as_secs()
    );
    for line in memory {
        println!("  {line}");
    }
    println!("hostile peer (one connection, workspace loaded, from {rss_flood_start:.1} MiB):");
    for line in hostile {
        println!("  {line}");
    }

    shutdown.cancel();
    server_rt.block_on(async {
        tokio::time::sleep(Duration::from_millis(200)).await;
    });
}
