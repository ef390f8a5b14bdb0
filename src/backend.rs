//! What every command needs from a workspace, served either by the store itself or, while
//! another cosos process owns the store, by that process's local API.

use anyhow::Result;
use cosos_artifacts::Request;
use cosos_engine::folder::{Mirror, MirrorReport};
use cosos_engine::integrations::alerts::Insight;
use cosos_engine::integrations::credentials::IntegrationStatus;
use cosos_engine::integrations::pull::PullOutcome;
use cosos_engine::integrations::stripe::client::PullProgress;
use cosos_engine::integrations::wire::{ConnectPostHog, ConnectStripe, PullBody, empty_metrics};
use cosos_engine::local_state::PromptLogEntry;
use cosos_engine::sync::{RelayTarget, SyncSummary};
use cosos_engine::{ArtifactEdit, ArtifactRecord, ArtifactSummary, Workspace, WorkspaceInfo};
use serde_json::Value;

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

    /// One sync with a relay.
    pub async fn sync_once(&self, relay_url: &str, token: &str) -> Result<SyncSummary> {
        match self {
            Backend::Local(ws) => Ok(ws.sync_once(&RelayTarget::new(relay_url, token)?).await?),
            Backend::Remote(r) => {
                let body = serde_json::json!({ "relay": relay_url, "token": token });
                r.post_json("/sync", &body).await
            }
        }
    }

    /// One pass of the folder mirror into `dir`.
    pub async fn mirror_folder(&self, dir: &std::path::Path) -> Result<MirrorReport> {
        match self {
            Backend::Local(ws) => Ok(Mirror::open(ws.clone(), dir).await?.pass().await?),
            Backend::Remote(r) => {
                // The server resolves paths against its own directory, so send an absolute one.
                let dir = std::path::absolute(dir)?;
                r.post_json("/folder", &serde_json::json!({ "dir": dir }))
                    .await
            }
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

    /// Stores Stripe credentials.
    pub async fn connect_stripe(&self, body: &ConnectStripe) -> Result<IntegrationStatus> {
        match self {
            Backend::Local(ws) => Ok(ws.connect_stripe(
                &body.api_key,
                body.api_base.as_deref(),
                body.webhook_secret.as_deref(),
            )?),
            Backend::Remote(r) => r.put_json("/integrations/stripe", body).await,
        }
    }

    /// Stores PostHog credentials.
    pub async fn connect_posthog(&self, body: &ConnectPostHog) -> Result<IntegrationStatus> {
        match self {
            Backend::Local(ws) => {
                Ok(ws.connect_posthog(&body.api_key, body.project_id, body.host.as_deref())?)
            }
            Backend::Remote(r) => r.put_json("/integrations/posthog", body).await,
        }
    }

    /// Forgets an integration.
    pub async fn disconnect(&self, name: &str) -> Result<IntegrationStatus> {
        match self {
            Backend::Local(ws) => Ok(ws.disconnect(name)?),
            Backend::Remote(r) => r.delete_json(&format!("/integrations/{name}")).await,
        }
    }

    /// Pulls; `progress` hears how far it got (locally only).
    pub async fn pull(
        &self,
        body: &PullBody,
        progress: impl FnMut(PullProgress),
    ) -> Result<PullOutcome> {
        match self {
            Backend::Local(ws) => Ok(ws.pull(&body.request(), progress).await?),
            Backend::Remote(r) => r.post_json("/pull", body).await,
        }
    }

    /// The latest metrics JSON (the empty state before any pull).
    pub async fn metrics(&self) -> Result<Value> {
        match self {
            Backend::Local(ws) => Ok(ws.metrics()?.unwrap_or_else(empty_metrics)),
            Backend::Remote(r) => r.get_json("/metrics").await,
        }
    }

    /// Insights, newest first.
    pub async fn insights(&self) -> Result<Vec<Insight>> {
        match self {
            Backend::Local(ws) => Ok(ws.insights().await?),
            Backend::Remote(r) => r.get_json("/insights").await,
        }
    }

    /// Flushes and stops the local repo; nothing to do for a remote.
    pub async fn close(self) {
        if let Backend::Local(ws) = self {
            ws.close().await;
        }
    }
}
