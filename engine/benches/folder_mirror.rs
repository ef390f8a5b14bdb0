//! The folder mirror at 1,000 artifacts, each figure against a baseline measured in the same run:
//!
//! 1. Mirroring into an empty folder (`Mirror::open` + `pass`) against writing the same files'
//!    bytes with plain `std::fs::write`; then the no-op re-run over the unchanged folder.
//! 2. With `watch` running on OS events, the time from an editor-style save of one file (a temp
//!    file renamed over it) with changed `## Notes` until `Workspace::get` shows the new notes,
//!    against the raw file-event latency of a plain `notify` watcher for the same save.
//!
//! Run: `cargo bench -p cosos-engine --bench folder_mirror` (FOLDER_ARTIFACTS, default 1,000;
//! FOLDER_SAVES, default 200; FOLDER_SAVE_SECONDS, default 60, stops the saves early).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cosos_artifacts::Request;
use cosos_engine::folder::{Mirror, MirrorReport, Watching, watch};
use cosos_engine::{Clock, OpenOptions, Workspace};
use notify::{RecursiveMode, Watcher};

/// Two prompts per kind (from the shared labelled prompts), used in turn.
const PROMPTS: [&str; 14] = [
    "We're at $12k MRR and want to hit $50k by June 2027",
    "Track our path to $100k MRR by end of year",
    "Why are customers churning after the first month?",
    "Net revenue retention dropped to 92%, help me understand it",
    "Help me prepare for our board meeting next week",
    "I need an investor update and board pack for Dec 10",
    "Figure out why our activation rate dropped last month",
    "Where do new signups drop off before they create their first project?",
    "Monitor our product velocity and flag bottlenecks",
    "How fast are we shipping? Track cycle time and deploy frequency",
    "Analyze our customer feedback and find patterns",
    "Our NPS fell to 21, what are people complaining about?",
    "Set up an operating system for the company: goals, rituals, metrics",
    "Create OKRs and a meeting rhythm for our 12 person startup",
];

/// The mirror's debounce quiet period (`QUIET` in `engine/src/folder/watch.rs`).
const QUIET: Duration = Duration::from_millis(100);

/// How long a save may take to reach its document before it counts as lost.
const GIVE_UP: Duration = Duration::from_secs(5);

/// A number from the environment, or `default`.
fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Milliseconds, for printing.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `q` quantile of sorted samples (the same rule as the server's load tool).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * q) as usize]
}

/// Sorts latency samples (ms) and returns (p50, p99, max).
fn summary(samples: &mut [f64]) -> (f64, f64, f64) {
    samples.sort_by(f64::total_cmp);
    (
        quantile(samples, 0.5),
        quantile(samples, 0.99),
        samples.last().copied().unwrap_or(f64::NAN),
    )
}

/// The median of a few timings.
fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The mirrored files (name and bytes), in name order.
fn read_folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md") && !name.starts_with('.'))
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).expect("read a mirrored file");
            (name, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Writes every file into the empty folder `dir` with plain `std::fs::write`.
fn plain_write(dir: &Path, files: &[(String, Vec<u8>)]) -> Duration {
    std::fs::create_dir_all(dir).expect("baseline folder");
    let t = Instant::now();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).expect("baseline write");
    }
    t.elapsed()
}

/// Saves `text` to `path` the way editors with atomic saves do: a hidden temp file beside it,
/// then a rename over it.
fn editor_save(path: &Path, text: &str) {
    let name = path.file_name().expect("file name").to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.bench-save"));
    std::fs::write(&tmp, text).expect("write the temp file");
    std::fs::rename(&tmp, path).expect("rename over the file");
}

/// The file's text with its `## Notes` section replaced by `notes`.
fn with_notes(text: &str, notes: &str) -> String {
    let heading = "\n## Notes\n";
    let at = text
        .find(heading)
        .expect("a mirrored file has a notes heading")
        + heading.len();
    format!("{}\n{notes}\n", &text[..at])
}

/// The document id in a mirrored file's front matter.
fn front_matter_id(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .find_map(|l| l.strip_prefix("id: "))
        .expect("a mirrored file has an id")
        .trim()
        .trim_matches(['\'', '"'])
        .to_string()
}

/// Generates `count` artifacts from the prompts in turn.
async fn generate(ws: &Workspace, count: usize) {
    for i in 0..count {
        let request = Request {
            prompt: PROMPTS[i % PROMPTS.len()].to_string(),
            ..Default::default()
        };
        ws.generate(&request, None).await.expect("generate");
    }
}

/// Part 1: the initial mirror, the no-op re-runs and their baseline. Returns the mirror and its
/// files as written.
async fn initial_mirror(
    ws: &Workspace,
    scratch: &Path,
    count: usize,
) -> (Mirror, Vec<(String, Vec<u8>)>) {
    let dir = scratch.join("mirror");
    let t = Instant::now();
    let mut mirror = Mirror::open(ws.clone(), &dir).await.expect("mirror opens");
    let first = mirror.pass().await.expect("first pass");
    let initial = t.elapsed();
    assert_eq!(first.written, count, "every artifact written: {first:?}");
    assert_eq!(first.problems(), 0, "{first:?}");

    let t = Instant::now();
    let second = mirror.pass().await.expect("second pass");
    let again = t.elapsed();
    assert_eq!(second.unchanged, count, "nothing to do: {second:?}");

    // A new `cosos folder DIR` run on the same home: records come back from local state.
    let t = Instant::now();
    let mut reopened = Mirror::open(ws.clone(), &dir)
        .await
        .expect("mirror reopens");
    let third = reopened.pass().await.expect("reopened pass");
    let reopen = t.elapsed();
    assert_eq!(third.unchanged, count, "nothing to do: {third:?}");
    drop(reopened);

    let files = read_folder(&dir);
    assert_eq!(files.len(), count);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let baseline = median(
        (0..3)
            .map(|run| plain_write(&scratch.join(format!("plain-{run}")), &files))
            .collect(),
    );

    let rate = |d: Duration| count as f64 / d.as_secs_f64();
    println!(
        "\n1. initial mirror of {count} artifacts ({:.1} MiB, {:.1} KiB a file)",
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / 1024.0 / count as f64
    );
    println!("{:<52} {:>10} {:>10} {:>9}", "", "ms", "files/s", "vs base");
    for (name, d) in [
        (
            "baseline: std::fs::write of the same bytes (med. 3)",
            baseline,
        ),
        ("Mirror::open + pass() into an empty folder", initial),
        ("second pass(), folder unchanged", again),
        ("Mirror::open + pass() again (a new run)", reopen),
    ] {
        println!(
            "{name:<52} {:>10.1} {:>10.0} {:>8.1}x",
            ms(d),
            rate(d),
            d.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    (mirror, files)
}

/// Baseline for part 2: a plain `notify` watcher on a folder holding copies of the same files,
/// timing each save until the watcher reports an event for the saved path. Also counts the
/// events that merely reading a file produces.
fn raw_events(scratch: &Path, files: &[(String, Vec<u8>)], saves: usize) -> RawEvents {
    let dir = scratch.join("raw-events");
    std::fs::create_dir_all(&dir).expect("raw folder");
    let files = &files[..saves.max(1).min(files.len())];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).expect("copy");
    }
    let dir = dir.canonicalize().expect("canonical folder");
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = tx.send((Instant::now(), event));
    })
    .expect("watcher");
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .expect("watch the folder");
    let mut latencies = Vec::with_capacity(saves);
    for i in 0..saves {
        let (name, bytes) = &files[i % files.len()];
        let path = dir.join(name);
        let text = with_notes(&String::from_utf8_lossy(bytes), &format!("Raw note {i}"));
        while rx.try_recv().is_ok() {}
        let t = Instant::now();
        editor_save(&path, &text);
        loop {
            let (at, event) = rx.recv_timeout(GIVE_UP).expect("an event for the save");
            if event.is_ok_and(|e| e.paths.contains(&path)) {
                latencies.push(ms(at - t));
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(Duration::from_millis(20));
    while rx.try_recv().is_ok() {}
    let mut read_events = Vec::new();
    for (name, _) in files.iter().take(10) {
        std::fs::read(dir.join(name)).expect("read a file");
    }
    while let Ok((_, event)) = rx.recv_timeout(Duration::from_millis(50)) {
        if let Ok(event) = event {
            read_events.push(format!("{:?}", event.kind));
        }
    }
    read_events.sort();
    read_events.dedup();
    RawEvents {
        latencies,
        reads: files.len().min(10),
        read_events,
    }
}

/// What the plain watcher saw.
struct RawEvents {
    /// Save -> first event for the saved path, ms.
    latencies: Vec<f64>,
    /// Files read (not written) after the saves.
    reads: usize,
    /// The kinds of event those reads produced.
    read_events: Vec<String>,
}

/// What the bench hears of each round the watch reports.
struct Round {
    at: Instant,
    imported: usize,
    /// Files written or found up to date: the files the round looked at.
    looked_at: usize,
}

/// What part 2 measured.
struct Saves {
    /// Save -> `ws.get` shows the new notes, ms.
    visible: Vec<f64>,
    /// Save -> the round that imported it is reported, ms.
    imported: Vec<f64>,
    /// Saves that never reached the document within GIVE_UP.
    lost: usize,
    /// Saves not made because the time budget ran out.
    skipped: usize,
    /// Rounds, and files they looked at, while nothing happened for IDLE.
    idle_rounds: usize,
    idle_files: usize,
    /// From spawning `watch` to its first report.
    startup: Duration,
}

/// After a save is imported, how long the bench waits at most for the watch to go quiet.
const SETTLE: Duration = Duration::from_millis(500);

/// How long the bench watches a watch with nothing to do.
const IDLE: Duration = Duration::from_secs(2);

/// Part 2: `watch` on OS events; each save rewrites a different file's notes and waits until the
/// document shows them, then for the mirror to go quiet. Stops early after `budget`.
async fn save_latency(
    ws: &Workspace,
    mirror: Mirror,
    files: &[(String, Vec<u8>)],
    saves: usize,
    budget: Duration,
) -> Saves {
    let dir = mirror.dir().to_path_buf();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (round_tx, mut rounds) = tokio::sync::mpsc::unbounded_channel();
    let started = Instant::now();
    let watching = tokio::spawn(watch(
        mirror,
        Watching::Events,
        async {
            let _ = stop_rx.await;
        },
        move |report: &MirrorReport| {
            let _ = round_tx.send(Round {
                at: Instant::now(),
                imported: report.imported,
                looked_at: report.written + report.unchanged,
            });
        },
    ));
    rounds.recv().await.expect("the first pass");
    let mut out = Saves {
        visible: Vec::with_capacity(saves),
        imported: Vec::with_capacity(saves),
        lost: 0,
        skipped: 0,
        idle_rounds: 0,
        idle_files: 0,
        startup: started.elapsed(),
    };

    // Nothing changes: a quiet watch reports nothing.
    let idle_until = Instant::now() + IDLE;
    while let Ok(Some(round)) = tokio::time::timeout_at(idle_until.into(), rounds.recv()).await {
        out.idle_rounds += 1;
        out.idle_files += round.looked_at;
    }

    let began = Instant::now();
    for i in 0..saves {
        if began.elapsed() > budget {
            out.skipped = saves - i;
            break;
        }
        // Every file is saved at most once, so its bytes are still those first mirrored (and
        // reading it here would be one more event for the watch).
        let (name, bytes) = &files[i % files.len()];
        let path = dir.join(name);
        let id = front_matter_id(bytes);
        let notes = format!("Bench note {i}: call the three churned accounts back");
        let text = with_notes(&String::from_utf8_lossy(bytes), &notes);
        while rounds.try_recv().is_ok() {}
        let t = Instant::now();
        editor_save(&path, &text);
        let seen = loop {
            let record = ws.get(&id).await.expect("get");
            if record.notes.trim() == notes {
                break Some(t.elapsed());
            }
            if t.elapsed() > GIVE_UP {
                break None;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        match seen {
            Some(d) => out.visible.push(ms(d)),
            None => out.lost += 1,
        }
        // Let the mirror settle (its rewrite of the file, that write's own event) so that each
        // save meets an idle watch: the import reported, then no round for longer than QUIET,
        // waiting at most SETTLE for that quiet.
        let mut import_at = None;
        let mut quiet_by = None;
        loop {
            let wait = match quiet_by {
                Some(deadline) if Instant::now() >= deadline => break,
                _ if t.elapsed() > GIVE_UP => break,
                _ => QUIET + Duration::from_millis(30),
            };
            match tokio::time::timeout(wait, rounds.recv()).await {
                Ok(Some(round)) => {
                    if round.imported > 0 && import_at.is_none() {
                        import_at = Some(round.at);
                        quiet_by = Some(Instant::now() + SETTLE);
                    }
                }
                Ok(None) => break,
                Err(_) if import_at.is_some() || seen.is_none() => break,
                Err(_) => {}
            }
        }
        if let Some(at) = import_at {
            out.imported.push(ms(at - t));
        }
    }
    let _ = stop_tx.send(());
    watching
        .await
        .expect("watch task")
        .expect("watch ends cleanly");
    out
}

/// A multi-threaded runtime like the CLI's, on the machine's 2 cores.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Prints part 2's table and what the watch did while idle.
fn print_saves(count: usize, raw: &mut RawEvents, saves: &mut Saves) {
    println!("\n2. save -> document with `watch` running (Watching::Events, {count} files)");
    println!(
        "watch started (a listener per document, then a pass) in {:.1} ms",
        ms(saves.startup)
    );
    println!(
        "idle for {IDLE:?} after that: {} rounds looked at {} files (a quiet folder should give 0)",
        saves.idle_rounds, saves.idle_files
    );
    println!(
        "reading {} files (no writes) gave the plain watcher events of kinds {:?}",
        raw.reads, raw.read_events
    );
    let (raw50, _, _) = summary(&mut raw.latencies);
    let (visible50, _, _) = summary(&mut saves.visible);
    println!(
        "{:<50} {:>6} {:>9} {:>9} {:>9} {:>8}",
        "", "saves", "p50 ms", "p99 ms", "max ms", "p50 vs base"
    );
    for (name, samples) in [
        (
            "baseline: raw notify event (no debouncer)",
            &mut raw.latencies,
        ),
        (
            "save -> the round that imported it reports",
            &mut saves.imported,
        ),
        (
            "save -> ws.get(id) shows the notes (1 ms poll)",
            &mut saves.visible,
        ),
    ] {
        let (p50, p99, max) = summary(samples);
        println!(
            "{name:<50} {:>6} {p50:>9.2} {p99:>9.2} {max:>9.2} {:>10.0}x",
            samples.len(),
            p50 / raw50
        );
    }
    println!(
        "lost saves (not in the document after {GIVE_UP:?}): {}; saves skipped (time budget): {}",
        saves.lost, saves.skipped
    );
    println!(
        "the mirror reads a changed file only after {} ms of quiet (QUIET in watch.rs), which \
         should dominate: save -> document minus QUIET is {:.2} ms at p50",
        QUIET.as_millis(),
        visible50 - ms(QUIET)
    );
}

/// Builds the workspace, then runs both parts and prints their tables.
fn main() {
    let count = env_num("FOLDER_ARTIFACTS", 1000);
    let saves = env_num("FOLDER_SAVES", 200).min(count);
    let budget = Duration::from_secs(env_num("FOLDER_SAVE_SECONDS", 60) as u64);
    let scratch = tempfile::tempdir().expect("temp dir");
    let home: PathBuf = scratch.path().join("home");
    let rt = runtime();
    rt.block_on(async {
        let ws = Workspace::open(OpenOptions {
            home: home.clone(),
            clock: Clock::parse("2026-11-26").unwrap_or(Clock::System),
        })
        .await
        .expect("workspace");
        let t = Instant::now();
        generate(&ws, count).await;
        println!(
            "folder mirror: generated {count} artifacts ({} kinds) in {:.0} ms",
            PROMPTS.len() / 2,
            ms(t.elapsed())
        );
        let (mirror, files) = initial_mirror(&ws, scratch.path(), count).await;
        let mut raw = raw_events(scratch.path(), &files, saves);
        let mut measured = save_latency(&ws, mirror, &files, saves, budget).await;
        print_saves(count, &mut raw, &mut measured);
        ws.close().await;
    });
}
