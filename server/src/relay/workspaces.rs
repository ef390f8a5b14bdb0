//! One samod repo per workspace, each on its own key namespace of the relay's store.
//!
//! Isolation is by construction: a connection is accepted by its token's workspace repo only, so
//! a peer can never reach another workspace's documents; asking for one gets `doc-unavailable`
//! from a repo that has never heard of it. A repo is loaded on its workspace's first connection
//! and stopped once it has had none for a while, so memory follows live workspaces, not every
//! document the relay ever served.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cosos_engine::storage::RedbStorage;
use samod::{AcceptorHandle, Repo, ShareConfig, Transport};
use tokio::sync::Mutex;

use super::RelayError;
use super::gate::Gate;

struct Loaded {
    repo: Repo,
    acceptor: AcceptorHandle,
    gate: Arc<Gate>,
    connections: usize,
    idle_since: Option<Instant>,
}

/// The relay's workspace repos.
#[derive(Clone)]
pub struct Workspaces {
    store: RedbStorage,
    loaded: Arc<Mutex<HashMap<String, Loaded>>>,
}

/// Holds a workspace's repo in memory while a connection is live; dropping it lets the repo go
/// idle.
pub struct Lease {
    workspaces: Workspaces,
    name: String,
}

impl Drop for Lease {
    fn drop(&mut self) {
        let workspaces = self.workspaces.clone();
        let name = std::mem::take(&mut self.name);
        // Drop cannot await the lock; the bookkeeping is tiny and runs right after.
        tokio::spawn(async move {
            let mut loaded = workspaces.loaded.lock().await;
            if let Some(entry) = loaded.get_mut(&name) {
                entry.connections = entry.connections.saturating_sub(1);
                if entry.connections == 0 {
                    entry.idle_since = Some(Instant::now());
                }
            }
        });
    }
}

impl Workspaces {
    /// Workspace repos over `store`'s database (each on namespace `ws/<name>`).
    pub fn new(store: RedbStorage) -> Workspaces {
        Workspaces {
            store,
            loaded: Arc::default(),
        }
    }

    /// Hands the transport `connect` makes (with the workspace's gate) to `name`'s repo, loading
    /// the repo if needed. The lease keeps the repo loaded: hold it until the connection ends.
    pub async fn accept(
        &self,
        name: &str,
        connect: impl FnOnce(Arc<Gate>) -> Transport,
    ) -> Result<Lease, RelayError> {
        let mut loaded = self.loaded.lock().await;
        if !loaded.contains_key(name) {
            let storage = self.store.namespaced(&format!("ws/{name}"))?;
            let repo = Repo::build_tokio()
                .with_storage(storage.clone())
                // A relay serves what peers ask for and never announces (DESIGN section 3).
                .with_share_policy(ShareConfig::read_write().with_announce(false))
                .load()
                .await;
            let url = url::Url::parse(&format!("cosos-relay://workspace/{name}"))
                .map_err(|e| RelayError::Internal(e.to_string()))?;
            let acceptor = repo.make_acceptor(url).map_err(|_| RelayError::Stopped)?;
            tracing::info!(workspace = name, "workspace loaded");
            let gate = Arc::new(Gate::new(storage, repo.peer_id().to_string()));
            loaded.insert(
                name.to_string(),
                Loaded {
                    repo,
                    acceptor,
                    gate,
                    connections: 0,
                    idle_since: None,
                },
            );
        }
        let entry = loaded
            .get_mut(name)
            .ok_or_else(|| RelayError::Internal("workspace vanished while loading".into()))?;
        entry
            .acceptor
            .accept(connect(entry.gate.clone()))
            .map_err(|_| RelayError::Stopped)?;
        entry.connections += 1;
        entry.idle_since = None;
        Ok(Lease {
            workspaces: self.clone(),
            name: name.to_string(),
        })
    }

    /// Stops the repos of workspaces idle for at least `idle_for`; returns how many.
    pub async fn evict_idle(&self, idle_for: Duration) -> usize {
        let idle: Vec<Loaded> = {
            let mut loaded = self.loaded.lock().await;
            let names: Vec<String> = loaded
                .iter()
                .filter(|(_, e)| e.idle_since.is_some_and(|t| t.elapsed() >= idle_for))
                .map(|(n, _)| n.clone())
                .collect();
            names.iter().filter_map(|n| loaded.remove(n)).collect()
        };
        let count = idle.len();
        for entry in idle {
            entry.acceptor.close();
            // Stopping flushes the repo's pending writes before it lets go.
            entry.repo.stop().await;
        }
        count
    }

    /// Names of the workspaces whose repos are in memory.
    pub async fn loaded(&self) -> Vec<String> {
        let mut names: Vec<String> = self.loaded.lock().await.keys().cloned().collect();
        names.sort();
        names
    }

    /// Stops every repo (on shutdown).
    pub async fn stop_all(&self) {
        let all: Vec<Loaded> = self.loaded.lock().await.drain().map(|(_, e)| e).collect();
        for entry in all {
            entry.acceptor.close();
            entry.repo.stop().await;
        }
    }
}
