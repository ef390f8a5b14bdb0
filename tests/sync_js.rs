//! The JavaScript automerge-repo client against a real `cosos relay` (DESIGN section 3): the npm
//! `@automerge/automerge-repo` 2.5.6 with `@automerge/automerge-repo-network-websocket` syncs
//! through it unchanged. tests/js/relay_interop.mjs is the JS side; this file starts the relay,
//! pushes an artifact from a device with `cosos sync`, runs the script and checks the device
//! afterwards. Every part is a real process talking over loopback.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::node::{repo, require_tools};
use common::relay::free_port;
use common::{cosos, json};
use serde_json::Value;

const MRR: &str = "We're at $12k MRR and want to hit $50k by June 2027";
/// Written by the JS client as Automerge text: non-ASCII on purpose, since text indexes are
/// UTF-16 in JS and UTF-8 in Rust.
const NEW_TITLE: &str = "Path to $60k MRR — by June 2027 🚀";
const SCRIPT: &str = "tests/js/relay_interop.mjs";
/// The npm packages the script imports, pinned in package.json.
const PACKAGES: [&str; 2] = [
    "@automerge/automerge-repo",
    "@automerge/automerge-repo-network-websocket",
];

/// A running `cosos relay` with its log kept for failure messages; stopped like Ctrl-C (then
/// killed) when dropped, so a failed assertion cannot leak it.
struct Relay {
    child: Child,
    home: tempfile::TempDir,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    fn start() -> Relay {
        let home = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut child = cosos(home.path())
            .args(["relay", "--addr", &format!("127.0.0.1:{port}")])
            .env("COSOS_LOG", "cosos_server=debug,warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the cosos binary runs");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (lines, first) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        collect(stdout, "out", log.clone(), Some(lines));
        collect(stderr, "err", log.clone(), None);
        let relay = Relay {
            child,
            home,
            port,
            log,
        };
        // The relay prints its address once it listens.
        match first.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.contains("listening on ws://") => relay,
            Ok(line) => panic!("the relay said {line:?}{}", relay.dump()),
            Err(_) => panic!("the relay did not start listening{}", relay.dump()),
        }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/sync", self.port)
    }

    /// `cosos relay token add NAME` while the relay runs.
    fn token(&self, name: &str) -> String {
        let out = cosos(self.home.path())
            .args(["relay", "token", "add", name])
            .output()
            .expect("the cosos binary runs");
        assert!(
            out.status.success(),
            "token add {name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert!(
            !token.is_empty() && !token.contains(char::is_whitespace),
            "token add printed {token:?}"
        );
        token
    }

    /// The relay's output so far, for a failure message.
    fn dump(&self) -> String {
        let log = self.log.lock().unwrap();
        format!(
            "\n--- relay log ({} lines) ---\n{}\n--- end of relay log ---",
            log.len(),
            log.join("\n")
        )
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Keeps `pipe` drained into `log` (and, with `--nocapture`, on the console); the first line also
/// goes to `first`.
fn collect(
    pipe: impl Read + Send + 'static,
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
    first: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut first = first;
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            println!("[relay {name}] {line}");
            if let Some(tx) = first.take() {
                let _ = tx.send(line.clone());
            }
            log.lock().unwrap().push(format!("[{name}] {line}"));
        }
    });
}

/// The status line of a websocket upgrade of `/sync` with `token`, sent by hand.
fn upgrade_status(port: u16, token: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET /sync?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line.trim_end().to_string()
}

/// What the JS side reported, by step.
struct JsRun {
    steps: serde_json::Map<String, Value>,
}

impl JsRun {
    fn step(&self, name: &str) -> &Value {
        &self.steps[name]
    }
}

/// Everything up to and including the JS client's run: a relay, a device with an MRR artifact
/// pushed to it, and the script's report.
struct Interop {
    relay: Relay,
    device: tempfile::TempDir,
    token: String,
    artifact: Value,
    js: JsRun,
    started: Instant,
}

impl Interop {
    fn id(&self) -> &str {
        self.artifact["id"].as_str().unwrap()
    }

    fn sync(&self) -> Value {
        json(
            self.device.path(),
            &[
                "sync",
                "--relay",
                &self.relay.url(),
                "--token",
                &self.token,
                "--json",
            ],
        )
    }
}

fn run_interop() -> Interop {
    let started = Instant::now();
    let root = repo();
    require_tools("the JS interop test", false, &PACKAGES);

    let relay = Relay::start();
    let token = relay.token("acme");
    let other = relay.token("other");

    // 0. No valid token, no upgrade.
    for bad in ["", "cosr_not-a-token"] {
        let status = upgrade_status(relay.port, bad);
        assert!(
            status.starts_with("HTTP/1.1 401"),
            "an upgrade with token {bad:?} got {status:?}, not 401{}",
            relay.dump()
        );
    }

    // A device generates the artifact and pushes it.
    let device = tempfile::tempdir().unwrap();
    let artifact = json(device.path(), &["generate", MRR, "--json"]);
    assert_eq!(artifact["kind"], "mrr_tracker");
    let url = artifact["url"].as_str().unwrap().to_string();
    assert_eq!(
        url,
        format!("automerge:{}", artifact["id"].as_str().unwrap())
    );
    let mut interop = Interop {
        relay,
        device,
        token,
        artifact,
        js: JsRun {
            steps: serde_json::Map::new(),
        },
        started,
    };
    let pushed = interop.sync();
    assert_eq!(
        pushed["documents"],
        2,
        "the workspace and the artifact: {pushed}{}",
        interop.relay.dump()
    );
    println!(
        "[sync_js] relay up and artifact pushed after {:?}",
        started.elapsed()
    );

    let js_started = Instant::now();
    let out = Command::new("node")
        .arg(SCRIPT)
        .current_dir(&root)
        .env("RELAY_URL", interop.relay.url())
        .env("TOKEN", &interop.token)
        .env("OTHER_TOKEN", &other)
        .env("ARTIFACT_URL", &url)
        .env("EXPECTED_KIND", interop.artifact["kind"].as_str().unwrap())
        .env(
            "EXPECTED_TITLE",
            interop.artifact["title"].as_str().unwrap(),
        )
        .env("NEW_TITLE", NEW_TITLE)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run node ({e}); run scripts/test, or install node >= 20")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("[sync_js] node ran for {:?}", js_started.elapsed());
    for line in stdout.lines() {
        println!("[node] {line}");
    }
    for line in stderr.lines() {
        println!("[node err] {line}");
    }
    let context = || {
        format!(
            "\n--- node stdout ---\n{stdout}\n--- node stderr ---\n{stderr}{}",
            interop.relay.dump()
        )
    };
    assert!(
        out.status.success(),
        "{SCRIPT} failed ({}); its FAIL line says which step and why{}",
        out.status,
        context()
    );
    let mut steps = serde_json::Map::new();
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let value: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("bad JSON line from node ({e}): {line}{}", context()));
        let name = value["step"].as_str().unwrap_or_default().to_string();
        steps.insert(name, value);
    }
    for name in ["read", "edit", "pair", "other_workspace", "done"] {
        assert!(
            steps.contains_key(name),
            "node reported no {name:?} step{}",
            context()
        );
    }
    interop.js = JsRun { steps };
    interop
}

#[test]
fn the_js_automerge_repo_client_syncs_through_the_relay() {
    let interop = run_interop();
    let js = &interop.js;
    let fail = || interop.relay.dump();

    // 1. A JS client of the workspace read the artifact the device pushed.
    let read = js.step("read");
    assert_eq!(read["cosos"], "artifact", "{read}{}", fail());
    assert_eq!(read["kind"], "mrr_tracker", "{read}{}", fail());
    assert_eq!(read["title"], interop.artifact["title"], "{read}{}", fail());
    assert_eq!(
        read["title_type"], "string",
        "the title is Automerge text, a string in JS: {read}"
    );

    // 2. It edited the title as text; a second JS client saw the edit through the relay, and the
    // device gets it with `cosos sync`.
    let edit = js.step("edit");
    assert_eq!(
        edit["title_on_second_client"],
        NEW_TITLE,
        "{edit}{}",
        fail()
    );
    let pulled = interop.sync();
    assert_eq!(pulled["documents"], 2, "{pulled}{}", fail());
    let shown = json(interop.device.path(), &["show", interop.id(), "--json"]);
    assert_eq!(
        shown["title"],
        NEW_TITLE,
        "the device did not get the JS client's title{}",
        fail()
    );
    assert_eq!(shown["kind"], "mrr_tracker");
    assert_eq!(
        shown["content"], interop.artifact["content"],
        "only the title changed"
    );
    assert_eq!(shown["notes"], interop.artifact["notes"]);
    // The index follows a title edited by another client, so `list` agrees with `show`.
    let list = json(interop.device.path(), &["list", "--json"]);
    let row = list
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["id"] == interop.id()))
        .expect("the artifact is listed");
    assert_eq!(row["title"], NEW_TITLE, "`cosos list` after sync{}", fail());

    // 3. Two JS clients of the workspace shared a document of their own, both ways.
    let pair = js.step("pair");
    assert_eq!(pair["on_client_2"]["origin"], "client 1", "{pair}");
    assert_eq!(pair["on_client_2"]["text"], "hello", "{pair}");
    assert_eq!(pair["on_client_1"]["text"], "hello, world", "{pair}");
    assert_eq!(
        pair["on_client_1"]["log"],
        serde_json::json!(["created by 1", "changed by 2"]),
        "{pair}"
    );

    // 4. A client of another workspace got doc-unavailable for both documents, promptly.
    let other = js.step("other_workspace");
    for name in ["artifact", "client_doc"] {
        let outcome = &other[name];
        assert_eq!(outcome["found"], false, "{name}: {outcome}{}", fail());
        assert!(
            outcome["error"]
                .as_str()
                .unwrap_or("")
                .contains("unavailable"),
            "{name}: {outcome}{}",
            fail()
        );
        assert!(
            outcome["ms"].as_u64().unwrap_or(u64::MAX) < 5_000,
            "{name}: doc-unavailable took too long: {outcome}{}",
            fail()
        );
    }
    println!(
        "[sync_js] all steps passed in {:?}",
        interop.started.elapsed()
    );
}
