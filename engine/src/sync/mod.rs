//! Device-side sync through a relay: one-shot (`cosos sync`), clone (`cosos clone`) and live
//! (`sync --watch`, `serve --relay`).
//!
//! The relay never announces documents (DESIGN section 3), so a device asks for what it needs:
//! it opens the workspace document and every artifact in its index, and samod then syncs each
//! open document both ways. Documents that arrive in the index from another device are opened
//! in turn, until a pass finds nothing new.

mod dialer;
mod index_repair;
mod session;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::StreamExt;
use samod::{BackoffConfig, DialerEvent, DocumentId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use dialer::{RelayDialer, RelayTarget};
pub use session::RelaySession;

use crate::error::EngineError;
use crate::local_state::WORKSPACE_ID;
use crate::workspace::{OpenOptions, Parts, Workspace};

/// How long a one-shot sync may take before it gives up.
pub const SYNC_TIMEOUT: Duration = Duration::from_secs(120);
/// How many documents are opened and confirmed at once.
const PARALLEL_DOCS: usize = 16;

/// Why a sync could not be done.
#[derive(Debug, Error)]
pub enum SyncError {
    /// The relay URL is not usable.
    #[error("invalid relay URL: {0}")]
    BadRelay(String),
    /// The token is empty or not printable.
    #[error("invalid relay token: it must be the printable string `cosos relay token add` printed")]
    BadToken,
    /// The relay refused the token.
    #[error("the relay refused the token (HTTP 401): check it, or ask for a new one")]
    Unauthorized,
    /// The relay could not be reached (retried with backoff).
    #[error("cannot reach the relay: {0}")]
    Connect(String),
    /// The relay spoke something other than the sync protocol.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// Sync did not finish in time.
    #[error("sync did not finish within {secs} s ({confirmed} of {total} documents confirmed)")]
    Timeout {
        /// The time allowed.
        secs: u64,
        /// Documents both sides agree on.
        confirmed: usize,
        /// Documents to sync.
        total: usize,
    },
    /// The workspace to clone is not on the relay for this token.
    #[error("the relay has no workspace {0} for this token")]
    NoSuchWorkspace(String),
    /// The home already has a different workspace.
    #[error("this home already has workspace {0}; clone into a new home with --home DIR")]
    HomeHasWorkspace(String),
    /// The URL is not an `automerge:` workspace URL.
    #[error("not a workspace URL: {0:?} (expected automerge:<id>, see `cosos workspace`)")]
    BadWorkspaceUrl(String),
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSummary {
    /// The relay (without the token).
    pub relay: String,
    /// The workspace document's URL.
    pub workspace: String,
    /// Documents confirmed in sync with the relay (the workspace document included).
    pub documents: usize,
    /// Artifacts this device did not have before.
    pub received: usize,
    /// Artifacts in the index that neither this device nor the relay has (yet).
    pub missing: usize,
}

pub(crate) fn sync_err(e: SyncError) -> EngineError {
    EngineError::Sync(e)
}

impl Workspace {
    /// Pushes and pulls the workspace and all its artifacts through `relay` until both sides have
    /// each other's changes.
    pub async fn sync_once(&self, relay: &RelayTarget) -> Result<SyncSummary, EngineError> {
        let session = RelaySession::connect(self.repo(), relay, Duration::from_secs(30)).await?;
        let had = self.read_index().await?.artifacts.keys().cloned().collect();
        let result = self
            .settle_all(&session, had, Instant::now() + SYNC_TIMEOUT)
            .await;
        session.close();
        result
    }

    /// Brings every document of the index in sync through `session`; `had` are the artifacts
    /// this device had before.
    async fn settle_all(
        &self,
        session: &RelaySession,
        had: HashSet<String>,
        deadline: Instant,
    ) -> Result<SyncSummary, EngineError> {
        let mut done: HashSet<String> = HashSet::new();
        let mut missing = 0;
        let timeout = |confirmed: usize, total: usize| {
            sync_err(SyncError::Timeout {
                secs: SYNC_TIMEOUT.as_secs(),
                confirmed,
                total,
            })
        };
        loop {
            let index = self.index_handle().clone();
            let total = self.read_index().await?.artifacts.len() + 1;
            session
                .settle(&index, deadline)
                .await
                .map_err(|()| timeout(done.len(), total))?;
            let view = self.read_index().await?;
            let pending: Vec<String> = view
                .artifacts
                .keys()
                .filter(|id| !done.contains(*id))
                .cloned()
                .collect();
            if pending.is_empty() {
                break;
            }
            let outcomes: Vec<Result<bool, ()>> = futures::stream::iter(pending.iter().cloned())
                .map(|id| async move {
                    let Ok(doc_id) = id.parse::<DocumentId>() else {
                        return Ok(false);
                    };
                    match self.repo().find(doc_id).await {
                        Ok(Some(handle)) => {
                            session.settle(&handle, deadline).await?;
                            self.repair_logged(&id, &handle).await;
                            Ok(true)
                        }
                        Ok(None) | Err(_) => Ok(false),
                    }
                })
                .buffer_unordered(PARALLEL_DOCS)
                .collect()
                .await;
            if outcomes.iter().any(Result::is_err) {
                let total = view.artifacts.len() + 1;
                let confirmed = done.len() + outcomes.iter().filter(|o| o.is_ok()).count();
                return Err(timeout(confirmed, total));
            }
            missing += outcomes.iter().filter(|o| matches!(o, Ok(false))).count();
            done.extend(pending);
        }
        let info = self.info().await?;
        Ok(SyncSummary {
            relay: session.relay.url().to_string(),
            workspace: info.url,
            documents: done.len() + 1 - missing,
            received: done.difference(&had).count(),
            missing,
        })
    }

    /// Sets up a new home as another device of the workspace at `workspace_url`, fetched from
    /// `relay`, and syncs all its artifacts.
    pub async fn clone_from(
        options: OpenOptions,
        workspace_url: &str,
        relay: &RelayTarget,
    ) -> Result<(Workspace, SyncSummary), EngineError> {
        let raw = workspace_url.trim();
        let doc_id: DocumentId = raw
            .strip_prefix("automerge:")
            .unwrap_or(raw)
            .parse()
            .map_err(|_| sync_err(SyncError::BadWorkspaceUrl(raw.chars().take(80).collect())))?;
        let parts = Parts::open(options).await?;
        if let Some(existing) = parts.local.setting(WORKSPACE_ID)?
            && existing != doc_id.to_string()
        {
            parts.repo.stop().await;
            return Err(sync_err(SyncError::HomeHasWorkspace(format!(
                "automerge:{existing}"
            ))));
        }
        let session = match RelaySession::connect(&parts.repo, relay, Duration::from_secs(30)).await
        {
            Ok(session) => session,
            Err(e) => {
                parts.repo.stop().await;
                return Err(e);
            }
        };
        let Some(index) = parts.repo.find(doc_id.clone()).await? else {
            session.close();
            parts.repo.stop().await;
            return Err(sync_err(SyncError::NoSuchWorkspace(format!(
                "automerge:{doc_id}"
            ))));
        };
        parts.local.set_setting(WORKSPACE_ID, &doc_id.to_string())?;
        let workspace = parts.assemble(index).await?;
        let summary = workspace
            .settle_all(&session, HashSet::new(), Instant::now() + SYNC_TIMEOUT)
            .await;
        session.close();
        Ok((workspace, summary?))
    }

    /// Keeps the workspace in sync with `relay` until `shutdown` resolves: every artifact in the
    /// index is kept open (so samod syncs it live), and artifacts that appear in the index, from
    /// this device or another, are opened as they appear. An unreachable relay is retried with
    /// backoff for as long as it takes; a refused token ends it with an error.
    pub async fn sync_live(
        &self,
        relay: &RelayTarget,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), EngineError> {
        let dialer = self.repo().dial(
            BackoffConfig {
                initial_delay: Duration::from_millis(200),
                max_delay: Duration::from_secs(30),
                max_retries: None,
            },
            std::sync::Arc::new(RelayDialer(relay.clone())),
        )?;
        let mut events = dialer.events();
        tokio::pin!(shutdown);
        let mut opened: HashSet<String> = HashSet::new();
        let mut changes = self.index_handle().changes();
        // Which artifact changed, from any of the open ones.
        let mut artifact_changes = futures::stream::SelectAll::new();
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        let outcome = loop {
            let view = self.read_index().await?;
            let new: Vec<&String> = view
                .artifacts
                .keys()
                .filter(|id| !opened.contains(*id))
                .collect();
            for id in new {
                if let Ok(doc_id) = id.parse::<DocumentId>()
                    && let Ok(Some(handle)) = self.repo().find(doc_id).await
                {
                    self.repair_logged(id, &handle).await;
                    let changed = handle.changes().map(move |_| handle.clone());
                    artifact_changes.push(Box::pin(changed));
                    opened.insert(id.clone());
                }
            }
            tokio::select! {
                () = &mut shutdown => break Ok(()),
                Some(handle) = artifact_changes.next() => {
                    let id = handle.document_id().to_string();
                    self.repair_logged(&id, &handle).await;
                }
                event = events.next() => match event {
                    // The only failure the dialer makes permanent is a refused token (a revoked
                    // one, say): retrying would be pointless.
                    Some(DialerEvent::PermanentFailure) => break Err(sync_err(SyncError::Unauthorized)),
                    Some(DialerEvent::MaxRetriesReached) | None => {
                        break Err(sync_err(SyncError::Connect("the relay connection ended".into())));
                    }
                    Some(DialerEvent::Disconnected { reason }) => {
                        tracing::warn!(%reason, "lost the relay connection; reconnecting with backoff");
                    }
                    Some(DialerEvent::Connected { .. }) => tracing::info!("connected to the relay"),
                    Some(DialerEvent::Reconnecting { .. }) => {}
                },
                _ = changes.next() => {}
                _ = tick.tick() => {}
            }
        };
        dialer.close();
        outcome
    }
}
