//! The sync relay: `GET /sync` upgrades to a websocket speaking the automerge-repo protocol,
//! served by the samod repo of the token's workspace (see [`workspaces`]).
//!
//! Access: an upgrade without a live token gets 401 before any websocket exists. Each token has a
//! cap on live connections (429 beyond it). Revoking a token closes its live connections within
//! one token-file poll.

pub mod gate;
pub mod tokens;
pub mod transport;
pub mod workspaces;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cosos_engine::storage::{RedbStorage, StorageError};
use thiserror::Error;
use tokio_util::sync::CancellationToken;

use tokens::{TokenError, TokenFile, TokenRecord};
use transport::{InboundLimits, limited_transport};
use workspaces::Workspaces;

/// The relay store's file name in the data directory.
pub const STORE_FILE: &str = "relay.redb";

/// What can stop the relay.
#[derive(Debug, Error)]
pub enum RelayError {
    /// The data directory or its store could not be opened.
    #[error("cannot open the relay data directory {path}: {reason}")]
    Data {
        /// The directory.
        path: String,
        /// Why.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The token file could not be read.
    #[error(transparent)]
    Tokens(#[from] TokenError),
    /// samod stopped.
    #[error("the relay's document repo has stopped")]
    Stopped,
    /// Something that should not happen; the message says what.
    #[error("internal relay error: {0}")]
    Internal(String),
}

/// Tunable limits (defaults suit a founder's relay on a small machine).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest websocket message (and frame) accepted, in bytes.
    pub max_message_bytes: usize,
    /// Inbound rate and idle timeout per connection.
    pub inbound: InboundLimits,
    /// Live connections one token may hold.
    pub connections_per_token: usize,
    /// Unload a workspace with no connection for this long; `None` keeps workspaces loaded.
    ///
    /// Off by default: samod 0.16 does not free a stopped repo (its background tasks keep its
    /// documents alive), so every unload and reload would add a copy of the workspace to memory
    /// (measured by the relay load tool, see docs/scaling.md).
    pub evict_after: Option<Duration>,
    /// How often the token file is checked for changes.
    pub token_poll: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_message_bytes: 16 * 1024 * 1024,
            inbound: InboundLimits {
                messages_per_second: NonZeroU32::new(500).unwrap_or(NonZeroU32::MIN),
                burst: NonZeroU32::new(2_000).unwrap_or(NonZeroU32::MIN),
                idle_timeout: Duration::from_secs(300),
                max_new_documents: 20_000,
            },
            connections_per_token: 32,
            evict_after: None,
            token_poll: Duration::from_millis(200),
        }
    }
}

/// A running relay's shared state.
#[derive(Clone)]
pub struct Relay {
    inner: Arc<Inner>,
}

struct Inner {
    workspaces: Workspaces,
    tokens: TokenFile,
    limits: Limits,
    state: Mutex<TokenState>,
}

/// Live tokens by hash, and the connections each holds.
#[derive(Default)]
struct TokenState {
    stamp: Option<(std::time::SystemTime, u64)>,
    live: HashMap<String, TokenRecord>,
    connections: HashMap<String, Vec<CancellationToken>>,
}

impl Relay {
    /// Opens (creating) the data directory's store and token file.
    pub fn open(data: &Path, limits: Limits) -> Result<Relay, RelayError> {
        let data_err = |reason: String| RelayError::Data {
            path: data.display().to_string(),
            reason,
        };
        std::fs::create_dir_all(data).map_err(|e| data_err(e.to_string()))?;
        let db = redb::Database::create(data.join(STORE_FILE))
            .map_err(|e| data_err(StorageError::from(redb::Error::from(e)).to_string()))?;
        let store = RedbStorage::new(Arc::new(db))?;
        let relay = Relay {
            inner: Arc::new(Inner {
                workspaces: Workspaces::new(store),
                tokens: TokenFile::new(data),
                limits,
                state: Mutex::default(),
            }),
        };
        relay.reload_tokens()?;
        Ok(relay)
    }

    /// The data directory's token file.
    pub fn token_file(&self) -> &TokenFile {
        &self.inner.tokens
    }

    /// The router: `GET /sync` and `GET /healthz`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/sync", get(sync))
            .route("/healthz", get(|| async { "ok" }))
            .with_state(self.clone())
    }

    /// Background upkeep until `shutdown`: token changes (closing revoked tokens' connections)
    /// and unloading idle workspaces. Stops every workspace repo on the way out.
    pub async fn maintain(&self, shutdown: CancellationToken) {
        let mut poll = tokio::time::interval(self.inner.limits.token_poll);
        let mut evict = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                _ = poll.tick() => {
                    if let Err(e) = self.reload_tokens() {
                        tracing::error!(error = %e, "cannot reload relay tokens; keeping the last good set");
                    }
                }
                _ = evict.tick(), if self.inner.limits.evict_after.is_some() => {
                    let idle_for = self.inner.limits.evict_after.unwrap_or(Duration::MAX);
                    let evicted = self.inner.workspaces.evict_idle(idle_for).await;
                    if evicted > 0 {
                        tracing::info!(evicted, "unloaded idle workspaces");
                    }
                }
            }
        }
        self.inner.workspaces.stop_all().await;
    }

    /// Workspaces currently held in memory.
    pub async fn loaded_workspaces(&self) -> Vec<String> {
        self.inner.workspaces.loaded().await
    }

    /// Re-reads the token file when it changed, and closes connections of tokens now gone.
    fn reload_tokens(&self) -> Result<(), RelayError> {
        let stamp = self.inner.tokens.stamp();
        {
            let state = self.lock_state();
            if state.stamp == stamp && stamp.is_some() {
                return Ok(());
            }
        }
        let live: HashMap<String, TokenRecord> = self
            .inner
            .tokens
            .live()?
            .into_iter()
            .map(|t| (t.sha256.clone(), t))
            .collect();
        let mut state = self.lock_state();
        let gone: Vec<String> = state
            .connections
            .keys()
            .filter(|hash| !live.contains_key(*hash))
            .cloned()
            .collect();
        for hash in gone {
            for cancel in state.connections.remove(&hash).unwrap_or_default() {
                cancel.cancel();
            }
            tracing::info!("closed the connections of a revoked token");
        }
        state.live = live;
        state.stamp = stamp;
        Ok(())
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, TokenState> {
        // The state is plain data; a panic elsewhere must not lock everyone out.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The token's record and a cancellation handle for a new connection, or why not.
    fn admit(
        &self,
        token: &str,
    ) -> Result<(TokenRecord, CancellationToken), (StatusCode, &'static str)> {
        // A token revoked a moment ago must not get in before the next poll.
        if let Err(e) = self.reload_tokens() {
            tracing::error!(error = %e, "cannot reload relay tokens");
        }
        let hash = tokens::hash(token);
        let mut state = self.lock_state();
        let record = state
            .live
            .get(&hash)
            .cloned()
            .ok_or((StatusCode::UNAUTHORIZED, "invalid or revoked token"))?;
        let held = state.connections.entry(hash).or_default();
        held.retain(|c| !c.is_cancelled());
        if held.len() >= self.inner.limits.connections_per_token {
            return Err((
                StatusCode::TOO_MANY_REQUESTS,
                "too many connections for this token",
            ));
        }
        let cancel = CancellationToken::new();
        held.push(cancel.clone());
        Ok((record, cancel))
    }
}

/// The token from `Authorization: Bearer T` or `?token=T`.
fn presented_token(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .or_else(|| query.and_then(crate::access::token_param))
        .filter(|t| !t.is_empty())
}

async fn sync(
    State(relay): State<Relay>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let Some(token) = presented_token(&headers, query.as_deref()) else {
        return refuse(StatusCode::UNAUTHORIZED, "a relay token is required");
    };
    let (record, cancel) = match relay.admit(&token) {
        Ok(admitted) => admitted,
        Err((status, why)) => return refuse(status, why),
    };
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => {
            cancel.cancel();
            return rejection.into_response();
        }
    };
    let limits = relay.inner.limits;
    upgrade
        .max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .on_upgrade(move |socket| async move {
            let ended = CancellationToken::new();
            let connect = |gate| {
                limited_transport(socket, limits.inbound, gate, cancel.clone(), ended.clone())
            };
            match relay
                .inner
                .workspaces
                .accept(&record.workspace, connect)
                .await
            {
                Ok(lease) => {
                    tracing::info!(workspace = %record.workspace, token = %record.id, "sync connection opened");
                    ended.cancelled().await;
                    tracing::info!(workspace = %record.workspace, token = %record.id, "sync connection ended");
                    drop(lease);
                }
                Err(e) => tracing::error!(error = %e, "cannot accept a sync connection"),
            }
            cancel.cancel();
        })
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    let mut response = (status, why).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"cosos relay\""),
        );
    }
    response
}

/// The default data directory: `relay/` in the cosos home.
pub fn default_data_dir(home: &Path) -> PathBuf {
    home.join("relay")
}
