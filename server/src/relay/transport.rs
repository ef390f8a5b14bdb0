//! A samod transport over an axum websocket, with the relay's limits on the inbound side.
//!
//! - Frames above the size limit are refused by the websocket codec itself, before the payload is
//!   read (see the upgrade in [`super`]), so an oversized frame costs no memory.
//! - Inbound messages are throttled to a per-connection rate: a flooding peer is slowed down by
//!   TCP backpressure instead of filling the relay's queues, and a well-behaved burst (a device
//!   syncing thousands of documents) is delayed, not dropped.
//! - A connection silent for longer than the idle timeout, or whose token is revoked, ends.
//! - A text frame or a socket error ends that connection only.
//! - Requests for documents the workspace does not have are answered by the [`Gate`] without
//!   reaching samod.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use futures::channel::mpsc;
use futures::{Sink, SinkExt, Stream, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use samod::Transport;
use thiserror::Error;
use tokio_util::sync::CancellationToken;

use super::gate::{Gate, Verdict};

/// Outbound frames queued per connection before samod (or the gate) has to wait.
const OUTBOUND_QUEUE: usize = 64;

/// Why the relay ended a connection from its side.
#[derive(Debug, Error)]
pub enum FrameError {
    /// The peer sent text; the protocol is binary CBOR.
    #[error("text frames are not part of the sync protocol")]
    TextFrame,
    /// The peer created more documents than one connection may.
    #[error("more than {0} new documents on one connection")]
    TooManyDocuments(usize),
    /// The socket failed (including a frame over the size limit).
    #[error("websocket error: {0}")]
    Socket(String),
}

/// Per-connection inbound limits.
#[derive(Debug, Clone, Copy)]
pub struct InboundLimits {
    /// Sustained messages per second.
    pub messages_per_second: NonZeroU32,
    /// Messages allowed back to back before throttling starts.
    pub burst: NonZeroU32,
    /// A connection with no inbound message for this long is closed.
    pub idle_timeout: Duration,
    /// Documents one connection may create; each costs relay memory for the process's life.
    pub max_new_documents: usize,
}

/// Wraps an upgraded socket as a samod transport with `limits` and `gate`; cancelling `cancel`
/// ends it. `ended` is cancelled once samod has let go of the connection (it drops the transport
/// when the connection finishes, for whatever reason).
pub fn limited_transport(
    socket: WebSocket,
    limits: InboundLimits,
    gate: Arc<Gate>,
    cancel: CancellationToken,
    ended: CancellationToken,
) -> Transport {
    let guard = ended.drop_guard();
    let (socket_out, socket_in) = socket.split();
    // samod and the gate both write to the peer: one queue, one writer task.
    let (outbound, queued) = mpsc::channel::<Vec<u8>>(OUTBOUND_QUEUE);
    tokio::spawn(write_out(queued, socket_out));
    let samod_sink = outbound
        .clone()
        .with(move |bytes: Vec<u8>| {
            let _held_until_samod_drops_the_sink = &guard;
            futures::future::ready(Ok::<_, mpsc::SendError>(bytes))
        })
        .sink_map_err(|e| FrameError::Socket(e.to_string()));
    let inbound = inbound(socket_in, limits, cancel, gate, outbound);
    Transport::new(inbound.boxed(), Box::pin(samod_sink))
}

/// Sends queued frames until every writer is gone, then closes the socket.
async fn write_out(
    mut queued: mpsc::Receiver<Vec<u8>>,
    mut socket: impl Sink<Message, Error = axum::Error> + Unpin,
) {
    while let Some(bytes) = queued.next().await {
        if socket.send(Message::Binary(bytes.into())).await.is_err() {
            return;
        }
    }
    let _ = socket.close().await;
}

struct Inbound<S> {
    socket: S,
    limiter: Arc<DefaultDirectRateLimiter>,
    idle_timeout: Duration,
    cancel: CancellationToken,
    gate: Arc<Gate>,
    replies: mpsc::Sender<Vec<u8>>,
    new_documents: usize,
    max_new_documents: usize,
    ended: bool,
}

/// The inbound byte stream: binary frames through, everything else handled or fatal.
pub fn inbound<S>(
    socket: S,
    limits: InboundLimits,
    cancel: CancellationToken,
    gate: Arc<Gate>,
    replies: mpsc::Sender<Vec<u8>>,
) -> impl Stream<Item = Result<Vec<u8>, FrameError>> + Send + 'static
where
    S: Stream<Item = Result<Message, axum::Error>> + Send + Unpin + 'static,
{
    let quota = Quota::per_second(limits.messages_per_second).allow_burst(limits.burst);
    let state = Inbound {
        socket,
        limiter: Arc::new(RateLimiter::direct(quota)),
        idle_timeout: limits.idle_timeout,
        cancel,
        gate,
        replies,
        new_documents: 0,
        max_new_documents: limits.max_new_documents,
        ended: false,
    };
    futures::stream::unfold(state, |mut st| async move {
        if st.ended {
            return None;
        }
        loop {
            let next = tokio::select! {
                () = st.cancel.cancelled() => return None,
                next = tokio::time::timeout(st.idle_timeout, st.socket.next()) => next,
            };
            let message = match next {
                Err(_idle) => {
                    tracing::debug!("closing an idle sync connection");
                    return None;
                }
                Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return None,
                Ok(Some(Err(e))) => {
                    st.ended = true;
                    return Some((Err(FrameError::Socket(e.to_string())), st));
                }
                Ok(Some(Ok(message))) => message,
            };
            match message {
                Message::Binary(bytes) => {
                    tokio::select! {
                        () = st.cancel.cancelled() => return None,
                        () = st.limiter.until_ready() => {}
                    }
                    match st.gate.inspect(&bytes).await {
                        Verdict::Forward => return Some((Ok(bytes.to_vec()), st)),
                        Verdict::ForwardNew => {
                            st.new_documents += 1;
                            if st.new_documents > st.max_new_documents {
                                st.ended = true;
                                let cap = st.max_new_documents;
                                return Some((Err(FrameError::TooManyDocuments(cap)), st));
                            }
                            return Some((Ok(bytes.to_vec()), st));
                        }
                        Verdict::Reply(reply) => {
                            if st.replies.send(reply).await.is_err() {
                                return None;
                            }
                        }
                        Verdict::Drop => {}
                    }
                }
                Message::Text(_) => {
                    st.ended = true;
                    return Some((Err(FrameError::TextFrame), st));
                }
                // axum answers pings itself; neither counts as traffic for the protocol.
                Message::Ping(_) | Message::Pong(_) => continue,
                Message::Close(_) => return None,
            }
        }
    })
}
