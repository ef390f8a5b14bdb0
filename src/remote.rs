//! A client for the local API of the cosos process that owns the home's store (DESIGN section 3:
//! while `serve` runs, other commands on the same home go through it).

use std::fmt;
use std::path::Path;

use anyhow::Result;
use cosos_artifacts::Request;
use cosos_engine::local_state::PromptLogEntry;
use cosos_engine::serve_record::ServeRecord;
use cosos_engine::{ArtifactEdit, ArtifactRecord, ArtifactSummary, WorkspaceInfo};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The running server's API.
pub struct Remote {
    client: reqwest::Client,
    base: String,
    token: String,
}

/// An error the server answered with, as its problem document says it.
#[derive(Debug)]
pub struct RemoteError {
    /// HTTP status.
    pub status: u16,
    /// The problem's stable `code`, when it has one.
    pub code: Option<String>,
    /// The problem's `detail`.
    pub detail: String,
}

impl fmt::Display for RemoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for RemoteError {}

impl Remote {
    /// The server recorded in `home`, if any.
    pub fn from_home(home: &Path) -> Option<Remote> {
        let record = ServeRecord::read(home)?;
        Some(Remote {
            client: reqwest::Client::new(),
            base: record.url.trim_end_matches('/').to_string(),
            token: record.token,
        })
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<T> {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| {
            anyhow::anyhow!(
                "the cosos process serving this home at {} does not answer ({}); if it crashed, remove serve.json from the home",
                self.base,
                e.without_url()
            )
        })?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            let problem: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            return Err(RemoteError {
                status: status.as_u16(),
                code: problem["code"].as_str().map(str::to_string),
                detail: problem["detail"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("the server answered {status}")),
            }
            .into());
        }
        let body = if text.is_empty() { "null" } else { &text };
        Ok(serde_json::from_str(body)?)
    }

    /// Workspace info.
    pub async fn info(&self) -> Result<WorkspaceInfo> {
        self.call(Method::GET, "/workspace", None).await
    }

    /// Renames the workspace.
    pub async fn rename(&self, name: &str) -> Result<()> {
        let _: Value = self
            .call(Method::PUT, "/workspace", Some(json!({ "name": name })))
            .await?;
        Ok(())
    }

    /// Generates an artifact.
    pub async fn generate(&self, request: &Request) -> Result<ArtifactRecord> {
        let mut body = json!({ "prompt": request.prompt, "context": request.context });
        if let Some(kind) = request.kind {
            body["kind"] = json!(kind);
        }
        self.call(Method::POST, "/artifacts/generate", Some(body))
            .await
    }

    /// Lists artifacts.
    pub async fn list(&self) -> Result<Vec<ArtifactSummary>> {
        self.call(Method::GET, "/artifacts", None).await
    }

    /// One artifact.
    pub async fn get(&self, id: &str) -> Result<ArtifactRecord> {
        self.call(Method::GET, &format!("/artifacts/{}", encode(id)), None)
            .await
    }

    /// Edits an artifact.
    pub async fn edit(&self, id: &str, edit: &ArtifactEdit) -> Result<ArtifactRecord> {
        let mut body = json!({});
        if let Some(t) = &edit.title {
            body["title"] = json!(t);
        }
        if let Some(n) = &edit.notes {
            body["notes"] = json!(n);
        }
        if let Some(a) = edit.archived {
            body["archived"] = json!(a);
        }
        if !edit.actions_done.is_empty() {
            let actions: Vec<Value> = edit
                .actions_done
                .iter()
                .map(|(index, done)| json!({ "index": index, "done": done }))
                .collect();
            body["next_actions"] = Value::Array(actions);
        }
        self.call(
            Method::PUT,
            &format!("/artifacts/{}", encode(id)),
            Some(body),
        )
        .await
    }

    /// The prompt log.
    pub async fn prompts(&self) -> Result<Vec<PromptLogEntry>> {
        self.call(Method::GET, "/prompts", None).await
    }

    /// `GET /api/v1{path}`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.call(Method::GET, path, None).await
    }

    /// `PUT /api/v1{path}` with a JSON body.
    pub async fn put_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T> {
        self.call(Method::PUT, path, Some(serde_json::to_value(body)?))
            .await
    }

    /// `POST /api/v1{path}` with a JSON body.
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T> {
        self.call(Method::POST, path, Some(serde_json::to_value(body)?))
            .await
    }

    /// `DELETE /api/v1{path}`.
    pub async fn delete_json<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.call(Method::DELETE, path, None).await
    }
}

/// Percent-encodes a path segment (ids and slugs are ASCII-safe, but `automerge:` URLs and
/// arbitrary user input may not be).
fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
