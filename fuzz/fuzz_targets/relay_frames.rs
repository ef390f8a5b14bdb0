//! Fuzzes the relay's inbound frame path: websocket messages as axum hands them over ->
//! `cosos_server::relay::transport::inbound` (rate limit, text frames and socket errors fatal,
//! pings skipped, the workspace's request `Gate` answering requests for unknown documents) -> a
//! samod `Transport` -> the relay's own workspace repo
//! (`cosos_server::relay::workspaces::Workspaces`: `ShareConfig::read_write().with_announce(false)`
//! over `RedbStorage` on namespace `ws/fuzz`, here on an in-memory redb) -> samod's handshake,
//! CBOR decoding of automerge-repo messages, and the document actors' Automerge sync decoding.
//!
//! The axum/tungstenite websocket codec itself is not in the loop (see docs/fuzzing.md).
//!
//! Each input is a structured list of frames (`arbitrary`): raw binary frames, text/ping/pong/
//! close frames, socket errors, and well-formed CBOR envelopes of every automerge-repo message
//! type whose fields (document IDs, peer IDs, sync payloads) are themselves fuzzed. Sync payloads
//! can be raw bytes, real Automerge sync messages built from fuzzed operations, or hand-framed sync
//! messages around fuzzed change chunks and bloom filters, optionally bit-flipped or truncated.
//!
//! Properties checked, besides "nothing panics" (libfuzzer-sys aborts on a panic in any thread):
//! - a valid `join` is answered with `peer`;
//! - a text frame, socket error or close frame ends the connection without the peer hanging up;
//! - the connection ends once the peer hangs up;
//! - after the fuzzed connection, a new connection to the same workspace repo still completes
//!   the handshake (a malformed frame ends its connection only).

#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use automerge::sync::SyncDoc;
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjType, ReadDoc, ScalarValue, Value};
use axum::extract::ws::Message;
use cosos_engine::storage::RedbStorage;
use cosos_server::relay::Limits;
use cosos_server::relay::transport::inbound;
use cosos_server::relay::workspaces::{Lease, Workspaces};
use futures::StreamExt;
use futures::channel::mpsc;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use samod::DocumentId;
use tokio_util::sync::CancellationToken;

/// The workspace every fuzzed connection belongs to.
const WORKSPACE: &str = "fuzz";
/// The peer ID the harness joins with.
const JOINED_PEER: &str = "fuzz-peer";
/// Frames sent per input at most (the rest of a long input is ignored).
const MAX_FRAMES: usize = 32;
/// How long the relay may take to do something it must do (generous: sanitizer builds are slow).
const MUST: Duration = Duration::from_secs(20);
/// Outbound queue per connection (as `transport::OUTBOUND_QUEUE`).
const OUTBOUND_QUEUE: usize = 64;
/// How long to wait for a reply that may legitimately not come.
const MAY: Duration = Duration::from_millis(500);
/// After document messages to the relay, how long it must stay silent before the harness hangs
/// up: lets the document actors answer within the input that caused the work.
const QUIET: Duration = Duration::from_millis(10);

// Every choice's first variant (what `arbitrary` picks when the input runs out) is the one that
// goes deepest: an empty input is a join, then a sync message carrying a real change for a known
// document, addressed to the relay. Mutations explore outwards from there.

#[derive(Arbitrary, Debug)]
struct Input {
    handshake: Handshake,
    first: Frame,
    more: Vec<Frame>,
}

#[derive(Arbitrary, Debug)]
enum Handshake {
    /// A valid join without metadata.
    Join,
    /// A valid join with metadata.
    JoinWithMetadata(Meta),
    /// No join from the harness: the first fuzzed frame is the first frame the relay sees.
    None,
}

#[derive(Arbitrary, Debug)]
enum Frame {
    Wire(Envelope),
    Binary(Vec<u8>),
    Text(String),
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    Close,
    SocketError,
}

/// A CBOR map for one automerge-repo message, with fields dropped or added.
#[derive(Arbitrary, Debug)]
struct Envelope {
    msg: Wire,
    omit: Option<u8>,
    extra: Vec<(String, Scalar)>,
}

#[derive(Arbitrary, Debug)]
enum Wire {
    Sync {
        doc: Doc,
        sender: Peer,
        target: Target,
        data: Payload,
    },
    Request {
        doc: Doc,
        sender: Peer,
        target: Target,
        data: Payload,
    },
    Ephemeral {
        doc: Doc,
        sender: Peer,
        target: Target,
        count: Number,
        session: String,
        data: Vec<u8>,
    },
    DocUnavailable {
        doc: Doc,
        sender: Peer,
        target: Target,
    },
    RemoteHeadsChanged {
        doc: Doc,
        sender: Peer,
        target: Target,
        heads: Vec<(String, Vec<String>, Number)>,
    },
    RemoteSubscriptionChange {
        sender: Peer,
        target: Target,
        add: Option<Vec<String>>,
        remove: Option<Vec<String>>,
    },
    Leave {
        sender: Peer,
    },
    Error {
        message: String,
    },
    Join {
        sender: Peer,
        versions: Vec<String>,
        metadata: Option<Meta>,
    },
    Peer {
        sender: Peer,
        target: Target,
        version: String,
    },
    UnknownType(String),
}

#[derive(Arbitrary, Debug)]
struct Meta {
    storage_id: Option<String>,
    undefined_storage_id: bool,
    ephemeral: bool,
}

#[derive(Arbitrary, Debug)]
enum Peer {
    Joined,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Target {
    /// The relay's peer ID, as learnt from its `peer` reply.
    Relay,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Doc {
    /// One of four fixed valid IDs, as a bs58check string.
    Known(u8),
    /// One of four fixed valid IDs, as CBOR bytes.
    KnownBytes(u8),
    Str(String),
    Bytes(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Number {
    Uint(u64),
    Float(f64),
    Negative(i64),
}

#[derive(Arbitrary, Debug)]
enum Scalar {
    Uint(u64),
    Negative(i64),
    Bytes(Vec<u8>),
    Text(String),
    Bool(bool),
    Null,
    Undefined,
    Float(f64),
    Array(Vec<u64>),
    Map(Vec<(String, u64)>),
    Tagged(u64, u64),
}

/// The `data` of a request or sync message.
#[derive(Arbitrary, Debug)]
struct Payload {
    kind: PayloadKind,
    flips: Vec<(u16, u8)>,
    truncate: Option<u16>,
}

#[derive(Arbitrary, Debug)]
enum PayloadKind {
    /// A document's sync message answering an empty peer (carries its changes).
    Changes(DocSpec),
    /// A document's first sync message (heads and bloom filter, no changes).
    Hello(DocSpec),
    /// A sync message framed by hand around fuzzed parts.
    Built(Built),
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Built {
    v2: bool,
    heads: Vec<[u8; 32]>,
    need: Vec<[u8; 32]>,
    have: Vec<HaveSpec>,
    chunks: Vec<Chunk>,
    flags: Option<Vec<u8>>,
}

#[derive(Arbitrary, Debug)]
struct HaveSpec {
    last_sync: Vec<[u8; 32]>,
    bloom: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Chunk {
    Change(DocSpec, u8),
    Save(DocSpec),
    Incremental(DocSpec),
    Flipped(DocSpec, Vec<(u16, u8)>),
    Raw(Vec<u8>),
}

/// A small Automerge document built from fuzzed operations by one of four fixed actors.
#[derive(Arbitrary, Debug)]
struct DocSpec {
    actor: u8,
    /// Written to key `seed` first, so every document has at least one change.
    seed: i64,
    ops: Vec<Op>,
}

#[derive(Arbitrary, Debug)]
enum Op {
    PutStr(u8, String),
    PutInt(u8, i64),
    PutCounter(u8, i64),
    Increment(u8, i64),
    Delete(u8),
    MakeText(u8),
    SpliceText {
        key: u8,
        pos: u8,
        del: i8,
        text: String,
    },
    MakeList(u8),
    Insert {
        key: u8,
        pos: u8,
        value: i64,
    },
    Commit,
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

fn known_doc(i: u8) -> DocumentId {
    DocumentId::try_from(vec![(i % 4) + 1; 16]).expect("16 bytes make a document ID")
}

fuzz_target!(|input: Input| {
    runtime().block_on(run(input));
    STATS.input_done();
});

/// What the relay answered, over the whole run: shows how deep inputs get (a `sync` answer means
/// a document actor took a sync message from the fuzzed connection).
struct Stats {
    inputs: AtomicU64,
    kinds: [AtomicU64; 6],
}

const KINDS: [&str; 6] = [
    "peer",
    "error",
    "sync",
    "doc-unavailable",
    "ephemeral",
    "other",
];

static STATS: Stats = Stats {
    inputs: AtomicU64::new(0),
    kinds: [const { AtomicU64::new(0) }; 6],
};

impl Stats {
    fn count(&self, kind: Option<&str>) {
        let i = KINDS
            .iter()
            .position(|k| Some(*k) == kind)
            .unwrap_or(KINDS.len() - 1);
        self.kinds[i].fetch_add(1, Ordering::Relaxed);
    }

    fn input_done(&self) {
        let n = self.inputs.fetch_add(1, Ordering::Relaxed) + 1;
        static EVERY: OnceLock<u64> = OnceLock::new();
        let every = *EVERY.get_or_init(|| {
            std::env::var("RELAY_FRAMES_STATS_EVERY")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10_000)
        });
        if n % every.max(1) == 0 {
            let counts: Vec<String> = KINDS
                .iter()
                .zip(&self.kinds)
                .map(|(k, c)| format!("{k} {}", c.load(Ordering::Relaxed)))
                .collect();
            eprintln!("relay_frames: {n} inputs; relay sent {}", counts.join(", "));
        }
    }
}

/// The relay's workspace repos, shared by every input.
///
/// A fresh repo per input would make inputs independent, but samod 0.16 never frees a repo, even
/// after `Repo::stop()`: its background tasks keep it (and a 100 ms ticker) alive forever, so a
/// repo per input leaks memory, a store writer thread and CPU until the fuzzer crawls (see
/// docs/fuzzing.md). One long-lived workspace repo is also what the relay runs: inputs meet the
/// documents and actors earlier inputs left behind, as connections to a real relay do.
fn workspaces() -> &'static Workspaces {
    static WORKSPACES: OnceLock<Workspaces> = OnceLock::new();
    WORKSPACES.get_or_init(|| {
        let db = redb::Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .expect("in-memory redb");
        Workspaces::new(RedbStorage::new(Arc::new(db)).expect("relay store"))
    })
}

async fn run(input: Input) {
    let workspaces = workspaces();
    let mut conn = Conn::open(workspaces).await;
    match &input.handshake {
        Handshake::None => {}
        Handshake::Join => conn.handshake(None).await,
        Handshake::JoinWithMetadata(meta) => conn.handshake(Some(meta)).await,
    }
    for frame in std::iter::once(&input.first)
        .chain(&input.more)
        .take(MAX_FRAMES)
    {
        if !conn.send(frame).await {
            break;
        }
    }
    if conn.sent_doc_messages {
        while let Some(Some(_)) = conn.reply(QUIET).await {}
    }
    conn.hang_up().await;

    // The workspace repo must still serve a new connection.
    let mut probe = Conn::open(workspaces).await;
    probe.handshake(None).await;
    probe.hang_up().await;
}

/// One connection to the relay's workspace repo, driven from the peer's side.
struct Conn {
    /// Frames to the relay, as axum would hand them over; `None` once the peer hung up.
    to_relay: Option<mpsc::UnboundedSender<Result<Message, axum::Error>>>,
    /// Frames from the relay (samod's and the gate's); ends when samod drops the transport.
    from_relay: mpsc::Receiver<Vec<u8>>,
    relay_id: Option<String>,
    ended: bool,
    /// Whether a sync, request or ephemeral message went out after a handshake.
    sent_doc_messages: bool,
    _lease: Lease,
}

impl Conn {
    async fn open(workspaces: &Workspaces) -> Conn {
        let (to_relay, inbound_frames) = mpsc::unbounded::<Result<Message, axum::Error>>();
        // As in `transport::limited_transport`: samod and the gate share one bounded queue out.
        let (outbound, from_relay) = mpsc::channel::<Vec<u8>>(OUTBOUND_QUEUE);
        let connect = |gate| {
            let limits = Limits::default().inbound;
            let stream = inbound(
                inbound_frames,
                limits,
                CancellationToken::new(),
                gate,
                outbound.clone(),
            );
            samod::Transport::new(stream.boxed(), outbound)
        };
        let lease = workspaces
            .accept(WORKSPACE, connect)
            .await
            .expect("the relay accepts a connection");
        Conn {
            to_relay: Some(to_relay),
            from_relay,
            relay_id: None,
            ended: false,
            sent_doc_messages: false,
            _lease: lease,
        }
    }

    fn push(&mut self, message: Result<Message, axum::Error>) {
        if let Some(tx) = &self.to_relay {
            // Fails once the relay has dropped the connection; nothing to do then.
            let _ = tx.unbounded_send(message);
        }
    }

    /// The next frame from the relay within `wait`: `Some(None)` when the connection ended.
    async fn reply(&mut self, wait: Duration) -> Option<Option<Vec<u8>>> {
        if self.ended {
            return Some(None);
        }
        let next = tokio::time::timeout(wait, self.from_relay.next())
            .await
            .ok();
        match &next {
            Some(None) => self.ended = true,
            Some(Some(frame)) => STATS.count(reply_kind(frame).0.as_deref()),
            None => {}
        }
        next
    }

    /// Sends a valid join and requires a `peer` answer.
    async fn handshake(&mut self, meta: Option<&Meta>) {
        let versions = vec!["1".to_string()];
        let msg = Wire::join_fields(JOINED_PEER, &versions, meta);
        self.push(Ok(binary(encode_map(msg))));
        let reply = self
            .reply(MUST)
            .await
            .expect("a valid join is answered in time")
            .expect("a valid join is answered before the connection ends");
        let (kind, sender) = reply_kind(&reply);
        assert_eq!(
            kind.as_deref(),
            Some("peer"),
            "a valid join is answered with peer"
        );
        self.relay_id = sender;
    }

    /// Sends one fuzzed frame; false once the connection is over.
    async fn send(&mut self, frame: &Frame) -> bool {
        if self.ended {
            return false;
        }
        match frame {
            Frame::Binary(bytes) => self.push(Ok(binary(bytes.clone()))),
            Frame::Ping(bytes) => self.push(Ok(Message::Ping(bytes.clone().into()))),
            Frame::Pong(bytes) => self.push(Ok(Message::Pong(bytes.clone().into()))),
            Frame::Text(text) => {
                self.push(Ok(Message::Text(text.clone().into())));
                self.must_end("a text frame").await;
                return false;
            }
            Frame::SocketError => {
                self.push(Err(axum::Error::new(std::io::Error::other(
                    "fuzzed socket error",
                ))));
                self.must_end("a socket error").await;
                return false;
            }
            Frame::Close => {
                self.push(Ok(Message::Close(None)));
                self.must_end("a close frame").await;
                return false;
            }
            Frame::Wire(envelope) => {
                let relay_id = self
                    .relay_id
                    .clone()
                    .unwrap_or_else(|| "relay-unknown".into());
                let bytes = envelope.encode(&relay_id);
                self.push(Ok(binary(bytes)));
                self.sent_doc_messages |= self.relay_id.is_some()
                    && matches!(
                        envelope.msg,
                        Wire::Sync { .. } | Wire::Request { .. } | Wire::Ephemeral { .. }
                    );
                if matches!(envelope.msg, Wire::Join { .. }) {
                    // A join is answered (peer or error) or ends the connection; learn the
                    // relay's ID from a peer answer so later messages can address it.
                    while let Some(Some(reply)) = self.reply(MAY).await {
                        let (kind, sender) = reply_kind(&reply);
                        match kind.as_deref() {
                            Some("peer") => {
                                self.relay_id = sender.or(self.relay_id.take());
                                break;
                            }
                            Some("error") => break,
                            _ => {}
                        }
                    }
                }
            }
        }
        true
    }

    /// The relay must end the connection by itself, the peer still connected.
    async fn must_end(&mut self, after: &str) {
        loop {
            match self.reply(MUST).await {
                Some(Some(_)) => continue,
                Some(None) => return,
                None => panic!("the relay kept the connection open after {after}"),
            }
        }
    }

    /// Hangs up and waits for the relay to let go of the connection.
    async fn hang_up(mut self) {
        self.to_relay = None;
        loop {
            match self.reply(MUST).await {
                Some(Some(_)) => continue,
                Some(None) => break,
                None => panic!("the relay kept the connection after the peer hung up"),
            }
        }
    }
}

fn binary(bytes: Vec<u8>) -> Message {
    Message::Binary(bytes.into())
}

/// The `type` and `senderId` of a frame from the relay (which must be a CBOR map).
fn reply_kind(frame: &[u8]) -> (Option<String>, Option<String>) {
    let mut d = minicbor::Decoder::new(frame);
    let mut kind = None;
    let mut sender = None;
    let len = d
        .map()
        .expect("the relay sends CBOR maps")
        .expect("of definite length");
    for _ in 0..len {
        let key = d.str().expect("with string keys").to_string();
        match key.as_str() {
            "type" => kind = d.str().ok().map(str::to_string),
            "senderId" => sender = d.str().ok().map(str::to_string),
            _ => d.skip().expect("well-formed values"),
        }
    }
    (kind, sender)
}

// ---- CBOR encoding of the envelope ------------------------------------------------------------

/// A CBOR value as the harness writes it.
enum Cbor {
    Uint(u64),
    Negative(u64),
    Float(f64),
    Bool(bool),
    Null,
    Undefined,
    Text(String),
    Bytes(Vec<u8>),
    Array(Vec<Cbor>),
    Map(Vec<(String, Cbor)>),
    Tagged(u64, Box<Cbor>),
}

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= u64::from(u8::MAX) {
        out.extend([m | 24, n as u8]);
    } else if n <= u64::from(u16::MAX) {
        out.push(m | 25);
        out.extend((n as u16).to_be_bytes());
    } else if n <= u64::from(u32::MAX) {
        out.push(m | 26);
        out.extend((n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend(n.to_be_bytes());
    }
}

impl Cbor {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Cbor::Uint(n) => head(out, 0, *n),
            Cbor::Negative(n) => head(out, 1, *n),
            Cbor::Bytes(b) => {
                head(out, 2, b.len() as u64);
                out.extend(b);
            }
            Cbor::Text(s) => {
                head(out, 3, s.len() as u64);
                out.extend(s.as_bytes());
            }
            Cbor::Array(items) => {
                head(out, 4, items.len() as u64);
                for item in items {
                    item.write(out);
                }
            }
            Cbor::Map(fields) => {
                head(out, 5, fields.len() as u64);
                for (k, v) in fields {
                    Cbor::Text(k.clone()).write(out);
                    v.write(out);
                }
            }
            Cbor::Tagged(tag, inner) => {
                head(out, 6, *tag);
                inner.write(out);
            }
            Cbor::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
            Cbor::Null => out.push(0xf6),
            Cbor::Undefined => out.push(0xf7),
            Cbor::Float(f) => {
                out.push(0xfb);
                out.extend(f.to_be_bytes());
            }
        }
    }
}

fn text(s: &str) -> Cbor {
    Cbor::Text(s.to_string())
}

fn encode_map(fields: Vec<(String, Cbor)>) -> Vec<u8> {
    let mut out = Vec::new();
    Cbor::Map(fields).write(&mut out);
    out
}

impl Number {
    fn cbor(&self) -> Cbor {
        match self {
            Number::Uint(n) => Cbor::Uint(*n),
            Number::Float(f) => Cbor::Float(*f),
            Number::Negative(n) => Cbor::Negative(n.unsigned_abs()),
        }
    }
}

impl Scalar {
    fn cbor(&self) -> Cbor {
        match self {
            Scalar::Uint(n) => Cbor::Uint(*n),
            Scalar::Negative(n) => Cbor::Negative(n.unsigned_abs()),
            Scalar::Bytes(b) => Cbor::Bytes(b.clone()),
            Scalar::Text(s) => text(s),
            Scalar::Bool(b) => Cbor::Bool(*b),
            Scalar::Null => Cbor::Null,
            Scalar::Undefined => Cbor::Undefined,
            Scalar::Float(f) => Cbor::Float(*f),
            Scalar::Array(items) => Cbor::Array(items.iter().map(|n| Cbor::Uint(*n)).collect()),
            Scalar::Map(fields) => Cbor::Map(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Cbor::Uint(*v)))
                    .collect(),
            ),
            Scalar::Tagged(tag, n) => Cbor::Tagged(*tag, Box::new(Cbor::Uint(*n))),
        }
    }
}

impl Peer {
    fn cbor(&self) -> Cbor {
        match self {
            Peer::Joined => text(JOINED_PEER),
            Peer::Other(s) => text(s),
        }
    }
}

impl Target {
    fn cbor(&self, relay_id: &str) -> Cbor {
        match self {
            Target::Relay => text(relay_id),
            Target::Other(s) => text(s),
        }
    }
}

impl Doc {
    fn cbor(&self) -> Cbor {
        match self {
            Doc::Known(i) => Cbor::Text(known_doc(*i).to_string()),
            Doc::KnownBytes(i) => Cbor::Bytes(known_doc(*i).as_bytes().to_vec()),
            Doc::Str(s) => text(s),
            Doc::Bytes(b) => Cbor::Bytes(b.clone()),
        }
    }
}

impl Meta {
    fn cbor(&self) -> Cbor {
        let mut fields = Vec::new();
        if self.undefined_storage_id {
            fields.push(("storageId".to_string(), Cbor::Undefined));
        } else if let Some(id) = &self.storage_id {
            fields.push(("storageId".to_string(), text(id)));
        }
        fields.push(("isEphemeral".to_string(), Cbor::Bool(self.ephemeral)));
        Cbor::Map(fields)
    }
}

fn field(key: &str, value: Cbor) -> (String, Cbor) {
    (key.to_string(), value)
}

impl Wire {
    fn join_fields(sender: &str, versions: &[String], meta: Option<&Meta>) -> Vec<(String, Cbor)> {
        let mut fields = vec![
            field("type", text("join")),
            field("senderId", text(sender)),
            field(
                "supportedProtocolVersions",
                Cbor::Array(versions.iter().map(|v| text(v)).collect()),
            ),
        ];
        if let Some(meta) = meta {
            fields.push(field("peerMetadata", meta.cbor()));
        }
        fields
    }

    fn fields(&self, relay_id: &str) -> Vec<(String, Cbor)> {
        let routed = |ty: &str, sender: &Peer, target: &Target| {
            vec![
                field("type", text(ty)),
                field("senderId", sender.cbor()),
                field("targetId", target.cbor(relay_id)),
            ]
        };
        match self {
            Wire::Join {
                sender,
                versions,
                metadata,
            } => {
                let sender = match sender {
                    Peer::Joined => JOINED_PEER,
                    Peer::Other(s) => s,
                };
                Wire::join_fields(sender, versions, metadata.as_ref())
            }
            Wire::Peer {
                sender,
                target,
                version,
            } => {
                let mut f = routed("peer", sender, target);
                f.push(field("selectedProtocolVersion", text(version)));
                f
            }
            Wire::Leave { sender } => vec![
                field("type", text("leave")),
                field("senderId", sender.cbor()),
            ],
            Wire::Request {
                doc,
                sender,
                target,
                data,
            }
            | Wire::Sync {
                doc,
                sender,
                target,
                data,
            } => {
                let ty = if matches!(self, Wire::Request { .. }) {
                    "request"
                } else {
                    "sync"
                };
                let mut f = routed(ty, sender, target);
                f.push(field("documentId", doc.cbor()));
                f.push(field("data", Cbor::Bytes(data.bytes())));
                f
            }
            Wire::DocUnavailable {
                doc,
                sender,
                target,
            } => {
                let mut f = routed("doc-unavailable", sender, target);
                f.push(field("documentId", doc.cbor()));
                f
            }
            Wire::Ephemeral {
                doc,
                sender,
                target,
                count,
                session,
                data,
            } => {
                let mut f = routed("ephemeral", sender, target);
                f.push(field("documentId", doc.cbor()));
                f.push(field("count", count.cbor()));
                f.push(field("sessionId", text(session)));
                f.push(field("data", Cbor::Bytes(data.clone())));
                f
            }
            Wire::Error { message } => vec![
                field("type", text("error")),
                field("message", text(message)),
            ],
            Wire::RemoteSubscriptionChange {
                sender,
                target,
                add,
                remove,
            } => {
                let list = |l: &Option<Vec<String>>| match l {
                    Some(items) => Cbor::Array(items.iter().map(|s| text(s)).collect()),
                    None => Cbor::Undefined,
                };
                let mut f = routed("remote-subscription-change", sender, target);
                f.push(field("add", list(add)));
                f.push(field("remove", list(remove)));
                f
            }
            Wire::RemoteHeadsChanged {
                doc,
                sender,
                target,
                heads,
            } => {
                let mut f = routed("remote-heads-changed", sender, target);
                f.push(field("documentId", doc.cbor()));
                let new_heads = heads
                    .iter()
                    .map(|(storage, hs, ts)| {
                        (
                            storage.clone(),
                            Cbor::Map(vec![
                                field("heads", Cbor::Array(hs.iter().map(|h| text(h)).collect())),
                                field("timestamp", ts.cbor()),
                            ]),
                        )
                    })
                    .collect();
                f.push(field("newHeads", Cbor::Map(new_heads)));
                f
            }
            Wire::UnknownType(ty) => vec![field("type", text(ty))],
        }
    }
}

impl Envelope {
    fn encode(&self, relay_id: &str) -> Vec<u8> {
        let mut fields = self.msg.fields(relay_id);
        if let Some(i) = self.omit {
            let i = usize::from(i);
            if i < fields.len() {
                fields.remove(i);
            }
        }
        fields.extend(self.extra.iter().map(|(k, v)| (k.clone(), v.cbor())));
        encode_map(fields)
    }
}

// ---- Automerge payloads ------------------------------------------------------------------------

fn leb128(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn hashes(out: &mut Vec<u8>, hs: &[[u8; 32]]) {
    leb128(out, hs.len() as u64);
    for h in hs {
        out.extend(h);
    }
}

fn flip(bytes: &mut Vec<u8>, flips: &[(u16, u8)]) {
    if bytes.is_empty() {
        return;
    }
    for (at, mask) in flips {
        let i = usize::from(*at) % bytes.len();
        bytes[i] ^= mask;
    }
}

impl Payload {
    fn bytes(&self) -> Vec<u8> {
        let mut bytes = match &self.kind {
            PayloadKind::Raw(b) => b.clone(),
            PayloadKind::Hello(spec) => {
                let mut doc = spec.build();
                let mut state = automerge::sync::State::new();
                doc.sync()
                    .generate_sync_message(&mut state)
                    .map(|m| m.encode())
                    .unwrap_or_default()
            }
            PayloadKind::Changes(spec) => {
                let mut doc = spec.build();
                let mut ours = automerge::sync::State::new();
                let mut empty = AutoCommit::new().with_actor(ActorId::from(vec![0xee]));
                let mut theirs = automerge::sync::State::new();
                let mut out = Vec::new();
                // Two rounds: the empty peer says what it has, then the document sends its changes.
                for _ in 0..2 {
                    if let Some(m) = empty.sync().generate_sync_message(&mut theirs) {
                        let _ = doc.sync().receive_sync_message(&mut ours, m);
                    }
                    if let Some(m) = doc.sync().generate_sync_message(&mut ours) {
                        out = m.clone().encode();
                        let _ = empty.sync().receive_sync_message(&mut theirs, m);
                    }
                }
                out
            }
            PayloadKind::Built(built) => built.encode(),
        };
        flip(&mut bytes, &self.flips);
        if let Some(len) = self.truncate {
            bytes.truncate(usize::from(len));
        }
        bytes
    }
}

impl Built {
    fn encode(&self) -> Vec<u8> {
        let mut out = vec![if self.v2 { 0x43 } else { 0x42 }];
        hashes(&mut out, &self.heads);
        hashes(&mut out, &self.need);
        leb128(&mut out, self.have.len() as u64);
        for have in &self.have {
            hashes(&mut out, &have.last_sync);
            leb128(&mut out, have.bloom.len() as u64);
            out.extend(&have.bloom);
        }
        leb128(&mut out, self.chunks.len() as u64);
        for chunk in &self.chunks {
            let bytes = chunk.bytes();
            leb128(&mut out, bytes.len() as u64);
            out.extend(bytes);
        }
        if let Some(flags) = &self.flags {
            leb128(&mut out, flags.len() as u64);
            out.extend(flags);
        }
        out
    }
}

impl Chunk {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Chunk::Raw(b) => b.clone(),
            Chunk::Save(spec) => spec.build().save(),
            Chunk::Incremental(spec) => spec.build().save_incremental(),
            Chunk::Change(spec, i) => {
                let changes = spec.build().get_changes(&[]);
                if changes.is_empty() {
                    Vec::new()
                } else {
                    changes[usize::from(*i) % changes.len()]
                        .raw_bytes()
                        .to_vec()
                }
            }
            Chunk::Flipped(spec, flips) => {
                let mut bytes = spec.build().save();
                flip(&mut bytes, flips);
                bytes
            }
        }
    }
}

impl DocSpec {
    fn build(&self) -> AutoCommit {
        let actor = ActorId::from(vec![0xf0, self.actor % 4]);
        let mut doc = AutoCommit::new().with_actor(actor);
        let root = automerge::ROOT;
        let key = |k: &u8| format!("k{}", k % 8);
        let _ = doc.put(&root, "seed", self.seed);
        for op in self.ops.iter().take(64) {
            // Operations that make no sense on the document as it is fail; that is fine.
            let _ = match op {
                Op::PutStr(k, s) => doc.put(&root, key(k), s.as_str()),
                Op::PutInt(k, n) => doc.put(&root, key(k), *n),
                Op::PutCounter(k, n) => doc.put(&root, key(k), ScalarValue::counter(*n)),
                Op::Increment(k, n) => doc.increment(&root, key(k), *n),
                Op::Delete(k) => doc.delete(&root, key(k)),
                Op::MakeText(k) => doc.put_object(&root, key(k), ObjType::Text).map(|_| ()),
                Op::MakeList(k) => doc.put_object(&root, key(k), ObjType::List).map(|_| ()),
                Op::SpliceText {
                    key: k,
                    pos,
                    del,
                    text,
                } => match doc.get(&root, key(k)) {
                    Ok(Some((Value::Object(ObjType::Text), obj))) => {
                        doc.splice_text(&obj, usize::from(*pos), isize::from(*del), text)
                    }
                    _ => Ok(()),
                },
                Op::Insert { key: k, pos, value } => match doc.get(&root, key(k)) {
                    Ok(Some((Value::Object(ObjType::List), obj))) => {
                        doc.insert(&obj, usize::from(*pos), *value)
                    }
                    _ => Ok(()),
                },
                Op::Commit => {
                    doc.commit_with(CommitOptions::default().with_time(0));
                    Ok(())
                }
            };
        }
        doc.commit_with(CommitOptions::default().with_time(0));
        doc
    }
}
