//! The relay's limits, probed with raw websocket clients against a real relay process: oversized,
//! text and malformed frames close that connection only, a silent connection is closed, and a
//! flood of requests for made-up documents is throttled with bounded memory while a device keeps
//! syncing.

mod common;

use std::path::Path;
use std::time::Duration;

use common::json;
use common::relay::RelayProcess;
use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

const MRR: &str = "We're at $12k MRR and want to hit $50k by June 2027";
const MAX_MESSAGE: usize = 64 * 1024;

async fn connect(relay: &RelayProcess, token: &str) -> Socket {
    let (socket, _) = connect_async(format!("{}?token={token}", relay.url()))
        .await
        .expect("upgrade accepted");
    socket
}

/// Whether the relay closes the connection within `within` (pings and data do not count).
async fn closed_by_relay(socket: &mut Socket, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return false,
            Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

fn cbor(build: impl FnOnce(&mut minicbor::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    build(&mut minicbor::Encoder::new(&mut out));
    out
}

fn join(peer: &str) -> Vec<u8> {
    cbor(|e| {
        let _ = e
            .map(4)
            .and_then(|e| e.str("type")?.str("join"))
            .and_then(|e| e.str("senderId")?.str(peer))
            .and_then(|e| {
                e.str("peerMetadata")?
                    .map(1)?
                    .str("isEphemeral")?
                    .bool(true)
            })
            .and_then(|e| e.str("supportedProtocolVersions")?.array(1)?.str("1"));
    })
}

/// A `kind` message about `document` (`request`, `sync`, `doc-unavailable`), padded with an
/// unknown field (which the protocol says to skip) so that a flood outgrows the kernel's socket
/// buffers and reaches the relay's throttle.
fn message(kind: &str, peer: &str, relay_peer: &str, document: &str, data: &[u8]) -> Vec<u8> {
    cbor(|e| {
        let _ = e
            .map(6)
            .and_then(|e| e.str("padding")?.bytes(&[0u8; 4096]))
            .and_then(|e| e.str("type")?.str(kind))
            .and_then(|e| e.str("senderId")?.str(peer))
            .and_then(|e| e.str("targetId")?.str(relay_peer))
            .and_then(|e| e.str("documentId")?.str(document))
            .and_then(|e| e.str("data")?.bytes(data));
    })
}

/// The `senderId` of the relay's `peer` reply.
fn sender_of(reply: &[u8]) -> String {
    let mut d = minicbor::Decoder::new(reply);
    let len = d.map().expect("a map").expect("definite");
    for _ in 0..len {
        let key = d.str().expect("key");
        if key == "senderId" {
            return d.str().expect("peer id").to_string();
        }
        d.skip().expect("skip");
    }
    panic!("no senderId in the relay's reply");
}

/// Joins as `peer` and returns the relay's peer id.
async fn handshake(socket: &mut Socket, peer: &str) -> String {
    socket
        .send(Message::Binary(join(peer).into()))
        .await
        .expect("send join");
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next()).await {
            Ok(Some(Ok(Message::Binary(reply)))) => return sender_of(&reply),
            Ok(Some(Ok(_))) => continue,
            other => panic!("no peer reply: {other:?}"),
        }
    }
}

/// Pushes a device's workspace through the relay with the CLI and checks the summary.
fn device_syncs(home: &Path, relay: &RelayProcess, token: &str) {
    let out = json(
        home,
        &["sync", "--relay", &relay.url(), "--token", token, "--json"],
    );
    assert!(out["documents"].as_u64().is_some_and(|n| n >= 2), "{out}");
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_frames_close_only_their_connection() {
    let (relay_home, device) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let max = MAX_MESSAGE.to_string();
    let relay = RelayProcess::start(relay_home.path(), &["--max-message-bytes", &max]);
    let token = relay.token("acme");
    json(device.path(), &["generate", MRR, "--json"]);

    let mut bystander = connect(&relay, &token).await;
    handshake(&mut bystander, "bystander").await;

    let mut text = connect(&relay, &token).await;
    text.send(Message::Text("hello".into()))
        .await
        .expect("send");
    assert!(
        closed_by_relay(&mut text, Duration::from_secs(10)).await,
        "text frame"
    );

    let mut oversized = connect(&relay, &token).await;
    // The relay may already have hung up while this is being sent.
    let _ = oversized
        .send(Message::Binary(vec![0xa1; MAX_MESSAGE * 2].into()))
        .await;
    assert!(
        closed_by_relay(&mut oversized, Duration::from_secs(10)).await,
        "oversized frame"
    );

    let mut garbage = connect(&relay, &token).await;
    garbage
        .send(Message::Binary(vec![0xff, 0x00, 0x13, 0x37].into()))
        .await
        .expect("send");
    assert!(
        closed_by_relay(&mut garbage, Duration::from_secs(10)).await,
        "malformed CBOR"
    );

    let mut unknown = connect(&relay, &token).await;
    let bogus = cbor(|e| {
        let _ = e.map(1).and_then(|e| e.str("type")?.str("no-such-message"));
    });
    unknown
        .send(Message::Binary(bogus.into()))
        .await
        .expect("send");
    assert!(
        closed_by_relay(&mut unknown, Duration::from_secs(10)).await,
        "unknown message"
    );

    // Everyone else is unaffected.
    assert!(
        !closed_by_relay(&mut bystander, Duration::from_millis(300)).await,
        "the bystander's connection stays open"
    );
    let home = device.path().to_path_buf();
    tokio::task::spawn_blocking(move || device_syncs(&home, &relay, &token))
        .await
        .expect("device sync");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_are_closed() {
    let relay_home = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(relay_home.path(), &["--idle-timeout-secs", "1"]);
    let token = relay.token("acme");
    let mut silent = connect(&relay, &token).await;
    assert!(closed_by_relay(&mut silent, Duration::from_secs(15)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_throttled_with_bounded_memory_while_others_sync() {
    let (relay_home, device) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let relay = RelayProcess::start(
        relay_home.path(),
        &[
            "--messages-per-second",
            "200",
            "--connections-per-token",
            "4",
        ],
    );
    let token = relay.token("acme");
    json(device.path(), &["generate", MRR, "--json"]);
    let before = rss_kib(relay.pid());

    // A well-formed flood about documents nobody has, as fast as TCP takes them: requests, and
    // doc-unavailable messages (samod would keep an actor for each id either names).
    let mut flooder = connect(&relay, &token).await;
    let relay_peer = handshake(&mut flooder, "flooder").await;
    use automerge::sync::SyncDoc as _;
    let empty = automerge::Automerge::new();
    let sync_data = empty
        .generate_sync_message(&mut automerge::sync::State::new())
        .map(|m| m.encode())
        .unwrap_or_default();
    let flood = tokio::spawn(async move {
        let mut sent = 0usize;
        let stop = tokio::time::Instant::now() + Duration::from_secs(3);
        while tokio::time::Instant::now() < stop {
            let doc = samod::DocumentId::new(&mut rand::rng()).to_string();
            let kind = if sent.is_multiple_of(2) {
                "request"
            } else {
                "doc-unavailable"
            };
            let frame = message(kind, "flooder", &relay_peer, &doc, &sync_data);
            // Backpressure: once the relay's throttle holds reads back, sends wait.
            match tokio::time::timeout_at(stop, flooder.send(Message::Binary(frame.into()))).await {
                Ok(Ok(())) => sent += 1,
                _ => break,
            }
        }
        sent
    });

    // Meanwhile a device syncs normally.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let home = device.path().to_path_buf();
    let relay = tokio::task::spawn_blocking(move || {
        device_syncs(&home, &relay, &token);
        relay
    })
    .await
    .expect("device sync");

    let sent = flood.await.expect("flood task");
    let after = rss_kib(relay.pid());
    // How many frames got through is a timing, reported rather than asserted.
    println!("flood: {sent} frames of 4 KiB sent in 3 s; relay RSS {before} KiB -> {after} KiB");
    // Before the relay kept these messages from samod, it kept an actor for each id and this
    // flood grew the relay by about 36 MiB.
    assert!(
        after < before + 24 * 1024,
        "relay memory stays bounded: {before} KiB -> {after} KiB"
    );

    // Connection cap per token: 4 live connections, the 5th upgrade is refused.
    let capped = relay.token("acme");
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect(&relay, &capped).await);
    }
    let refused = connect_async(format!("{}?token={capped}", relay.url())).await;
    assert!(
        refused.is_err(),
        "a fifth connection for one token is refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_may_create_only_so_many_documents() {
    let relay_home = tempfile::tempdir().unwrap();
    let relay = RelayProcess::start(relay_home.path(), &["--max-new-documents", "20"]);
    let token = relay.token("acme");
    let mut pusher = connect(&relay, &token).await;
    let relay_peer = handshake(&mut pusher, "pusher").await;
    use automerge::sync::SyncDoc as _;
    let sync_data = automerge::Automerge::new()
        .generate_sync_message(&mut automerge::sync::State::new())
        .map(|m| m.encode())
        .unwrap_or_default();
    let doc = samod::DocumentId::new(&mut rand::rng()).to_string();
    // The same document again and again is one document.
    for _ in 0..30 {
        let frame = message("sync", "pusher", &relay_peer, &doc, &sync_data);
        pusher
            .send(Message::Binary(frame.into()))
            .await
            .expect("send");
    }
    assert!(!closed_by_relay(&mut pusher, Duration::from_millis(500)).await);
    // Twenty more new ones are over the cap of 20.
    for _ in 0..20 {
        let doc = samod::DocumentId::new(&mut rand::rng()).to_string();
        let frame = message("sync", "pusher", &relay_peer, &doc, &sync_data);
        if pusher.send(Message::Binary(frame.into())).await.is_err() {
            break;
        }
    }
    assert!(
        closed_by_relay(&mut pusher, Duration::from_secs(10)).await,
        "closed past the cap"
    );
}
