//! What every command needs from a workspace, served either by the store itself or, while
//! another cosos process owns the store, by that process's local API.

use anyhow::Result;
use cosos_artifacts::Request;
use cosos_engine::local_state::PromptLogEntry;
use cosos_engine::{ArtifactEdit, ArtifactRecord, ArtifactSummary, Workspace, WorkspaceInfo};

use crate::remote::Remote;

/// A workspace, local or behind a running server.
pub enum Backend {
    /// This process owns the store.
    Local(Workspace),
    /// Another process owns it; talk to its API.
    Remote(Remote),
}

impl Backend {
    /// Workspace id, URL, name and artifact count.
    pub async fn info(&self) -> Result<WorkspaceInfo> {
        match self {
            Backend::Local(ws) => Ok(ws.info().await?),
            Backend::Remote(r) => r.info().await,
        }
    }

    /// Renames the workspace.
    pub async fn rename(&self, name: &str) -> Result<()> {
        match self {
            Backend::Local(ws) => Ok(ws.rename(name).await?),
            Backend::Remote(r) => r.rename(name).await,
        }
    }

    /// Generates and stores an artifact.
    pub async fn generate(&self, request: &Request) -> Result<ArtifactRecord> {
        match self {
            Backend::Local(ws) => Ok(ws.generate(request, None).await?),
            Backend::Remote(r) => r.generate(request).await,
        }
    }

    /// Lists artifacts.
    pub async fn list(&self) -> Result<Vec<ArtifactSummary>> {
        match self {
            Backend::Local(ws) => Ok(ws.list().await?),
            Backend::Remote(r) => r.list().await,
        }
    }

    /// One artifact by id, URL or slug.
    pub async fn get(&self, id: &str) -> Result<ArtifactRecord> {
        match self {
            Backend::Local(ws) => Ok(ws.get(id).await?),
            Backend::Remote(r) => r.get(id).await,
        }
    }

    /// Edits an artifact.
    pub async fn edit(&self, id: &str, edit: ArtifactEdit) -> Result<ArtifactRecord> {
        match self {
            Backend::Local(ws) => Ok(ws.edit(id, edit).await?),
            Backend::Remote(r) => r.edit(id, &edit).await,
        }
    }

    /// The local prompt log.
    pub async fn prompts(&self) -> Result<Vec<PromptLogEntry>> {
        match self {
            Backend::Local(ws) => Ok(ws.prompt_log().await?),
            Backend::Remote(r) => r.prompts().await,
        }
    }

    /// Flushes and stops the local repo; nothing to do for a remote.
    pub async fn close(self) {
        if let Backend::Local(ws) = self {
            ws.close().await;
        }
    }
}
