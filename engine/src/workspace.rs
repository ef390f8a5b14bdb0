//! The workspace API: a home's store, its samod repo, the workspace document and the artifact
//! documents it indexes.
//!
//! Every edit is acknowledged only once its Automerge changes are committed to redb: the change
//! chunks are written synchronously in samod's own key layout, so a crash after an acknowledged
//! edit loses nothing, whatever samod's background io loop had reached.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use automerge::transaction::Transaction;
use automerge::{Automerge, ROOT, ReadDoc};
use autosurgeon::{Text, reconcile, reconcile_prop};
use cosos_artifacts::kinds::LiveMetrics;
use cosos_artifacts::{Generated, Request};
use samod::storage::StorageKey;
use samod::{DocHandle, DocumentId, Repo};

use crate::clock::Clock;
pub use crate::edits::ArtifactEdit;
use crate::edits::{self, reconcile_err};
use crate::error::EngineError;
use crate::home;
use crate::index_view::{IndexCache, IndexView};
use crate::json_tree::JsonTree;
use crate::llm::{self, LlmConfig};
use crate::local_state::{LocalState, PromptLogEntry, WORKSPACE_ID};
use crate::record::{ArtifactRecord, ArtifactSummary, WorkspaceInfo, url_of};
use crate::schema::{
    ARTIFACT_MARKER, ArtifactDoc, ContextDoc, GeneratorDoc, IndexEntry, Number, SCHEMA_VERSION,
    WORKSPACE_MARKER, WorkspaceDoc,
};
use crate::slug;
use crate::storage::RedbStorage;
use crate::storage::writer::Write;

mod edit;

/// The name a workspace gets when nobody named it.
pub const DEFAULT_NAME: &str = "My workspace";
/// Longest title we store; titles are headings, not documents.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest notes we store.
pub const MAX_NOTES_CHARS: usize = 100_000;

/// How to open a home.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// The home directory (see [`home::resolve`]).
    pub home: PathBuf,
    /// The clock.
    pub clock: Clock,
}

/// An open workspace. Cheap to clone: every field is a handle.
#[derive(Clone)]
pub struct Workspace {
    home: PathBuf,
    storage: RedbStorage,
    local: LocalState,
    repo: Repo,
    index: DocHandle,
    clock: Clock,
    llm: Option<LlmConfig>,
    index_cache: IndexCache,
    /// Coalesces refreshes after webhooks (see [`Workspace::refresh_turn`]).
    refresh: Arc<RefreshQueue>,
}

/// At most one refresh running and one waiting: a burst of webhooks costs two pulls, not fifty.
#[derive(Default)]
pub(crate) struct RefreshQueue {
    waiting: std::sync::atomic::AtomicBool,
    running: Arc<tokio::sync::Mutex<()>>,
}

impl Workspace {
    /// Opens the home (creating it, its store and its workspace document when missing).
    pub async fn open(options: OpenOptions) -> Result<Workspace, EngineError> {
        let parts = Parts::open(options).await?;
        let index = match parts.local.setting(WORKSPACE_ID)? {
            Some(id) => {
                let doc_id: DocumentId = id
                    .parse()
                    .map_err(|_| EngineError::WorkspaceMissing(id.clone()))?;
                parts
                    .repo
                    .find(doc_id)
                    .await?
                    .ok_or(EngineError::WorkspaceMissing(id))?
            }
            None => {
                let handle = parts.repo.create(new_workspace_doc(DEFAULT_NAME)?).await?;
                parts
                    .local
                    .set_setting(WORKSPACE_ID, &handle.document_id().to_string())?;
                handle
            }
        };
        parts.assemble(index).await
    }

    /// The home directory.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The clock this workspace uses.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The samod repo, for sync.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// Flushes samod's pending storage work and stops the repo.
    pub async fn close(self) {
        self.repo.stop().await;
    }

    /// Id, URL, name and artifact count.
    pub async fn info(&self) -> Result<WorkspaceInfo, EngineError> {
        let ws = self.read_index().await?;
        let id = self.index.document_id().to_string();
        Ok(WorkspaceInfo {
            url: url_of(&id),
            id,
            name: ws.name.clone(),
            artifacts: ws.artifacts.len(),
        })
    }

    /// Renames the workspace (a text diff, so a concurrent rename elsewhere merges).
    pub async fn rename(&self, name: &str) -> Result<(), EngineError> {
        let name = single_line(name, "name")?;
        self.change(&self.index, Vec::new(), move |doc| {
            transact(doc, |tx| edits::update_text(tx, "name", &name))
        })
        .await
    }

    /// Generates an artifact from a request, stores it, indexes it and logs the prompt.
    pub async fn generate(
        &self,
        request: &Request,
        live: Option<&LiveMetrics>,
    ) -> Result<ArtifactRecord, EngineError> {
        let now = self.clock.now();
        // Without numbers from the caller, the last Stripe pull beats an estimate.
        let pulled = live.is_none().then(|| self.live_metrics()).flatten();
        let result = cosos_artifacts::generate(request, now.date_naive(), live.or(pulled.as_ref()));
        let mut log = PromptLogEntry {
            at: now.to_rfc3339(),
            prompt: request.prompt.chars().take(10_000).collect(),
            context: request.context.clone(),
            forced_kind: request.kind.map(|k| k.as_str().to_string()),
            kind: None,
            artifact: None,
            engine: None,
            confidence: None,
            cues: Vec::new(),
            error: None,
        };
        let generated = match result {
            Ok(g) => g,
            Err(e) => {
                log.error = Some(e.to_string());
                self.log_prompt(log).await;
                return Err(e.into());
            }
        };
        let generated = match &self.llm {
            Some(config) => llm::refine(generated, request.prompt.trim(), config).await,
            None => generated,
        };
        let (id, doc, mut writes) = match self.new_artifact(request, &generated) {
            Ok(created) => created,
            Err(e) => {
                log.error = Some(e.to_string());
                self.log_prompt(log).await;
                return Err(e);
            }
        };
        log.kind = Some(doc.kind.clone());
        log.artifact = Some(id.clone());
        log.engine = Some(doc.generator.engine.clone());
        log.confidence = Some(generated.generator.confidence);
        log.cues = generated.intent.cues.clone();
        // The log row rides on the same commit; losing it must not fail the founder's request.
        match LocalState::prompt_log_write(&log) {
            Ok(row) => writes.push(row),
            Err(e) => tracing::warn!(error = %e, "could not encode the prompt log row"),
        }
        let slug = self.index_artifact(&id, &doc, writes).await?;
        Ok(ArtifactRecord::from_doc(&id, &slug, doc))
    }

    async fn log_prompt(&self, entry: PromptLogEntry) {
        // The prompt log is for learning; losing a row must not fail the founder's request.
        let outcome = match self.local.log_prompt(&entry) {
            Ok(ticket) => self.storage.settle("prompt log", ticket.wait().await),
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            tracing::warn!(error = %e, "could not append to the prompt log");
        }
    }

    /// A new artifact document: its id, its content, and the writes that store it.
    ///
    /// The document goes to storage directly, in samod's key layout, rather than through
    /// `Repo::create`: samod then loads it only when someone opens or syncs it, instead of
    /// keeping one live actor per artifact ever generated (its hub scans every actor on each
    /// event), and the document commits together with its index entry.
    fn new_artifact(
        &self,
        request: &Request,
        generated: &Generated,
    ) -> Result<(String, ArtifactDoc, Vec<Write>), EngineError> {
        let now_ms = self.clock.now_ms();
        let doc = ArtifactDoc {
            cosos: ARTIFACT_MARKER.to_string(),
            schema: SCHEMA_VERSION,
            kind: generated.kind.as_str().to_string(),
            title: Text::with_value(&generated.title),
            prompt: Text::with_value(request.prompt.trim()),
            context: ContextDoc {
                stage: request.context.stage.map(|s| s.as_str().to_string()),
                goal: request.context.goal.map(|g| g.as_str().to_string()),
                challenge: request
                    .context
                    .challenge
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(Text::with_value),
            },
            params: JsonTree::normalized(
                serde_json::to_value(&generated.params).unwrap_or_default(),
            ),
            content: JsonTree::normalized(generated.content.clone()),
            data: JsonTree::normalized(self.initial_data(generated)),
            notes: Text::with_value(""),
            archived: false,
            created_at: now_ms,
            updated_at: now_ms,
            generator: GeneratorDoc {
                engine: generated.generator.engine.clone(),
                confidence: Number(generated.generator.confidence),
                alternatives: generated.generator.alternatives.clone(),
                fallback_reason: generated.generator.fallback_reason.clone(),
            },
        };
        let mut initial = Automerge::new();
        initial
            .transact(|tx| reconcile(tx, &doc))
            .map_err(|f| reconcile_err(f.error))?;
        let doc_id = DocumentId::new(&mut rand::rng());
        let writes = initial
            .get_changes(&[])
            .into_iter()
            .map(|c| {
                let key = StorageKey::incremental_path(&doc_id, c.hash());
                self.storage.put_write(&key, c.raw_bytes().to_vec())
            })
            .collect();
        Ok((doc_id.to_string(), doc, writes))
    }

    /// The `data` a new artifact starts with: what the last Stripe pull gives its kind.
    fn initial_data(&self, generated: &Generated) -> serde_json::Value {
        let Ok(Some(snapshot)) = self.stripe_snapshot() else {
            return serde_json::Value::Object(Default::default());
        };
        let month = self.clock.now().format("%Y-%m").to_string();
        let patch = crate::integrations::pull::stripe_patch(
            generated.kind.as_str(),
            &generated.content,
            &snapshot,
            &month,
            None,
        );
        serde_json::Value::Object(patch.map(|(p, _)| p).unwrap_or_default())
    }

    /// Adds an artifact to the index under a fresh slug, with `extra` writes in the same commit.
    ///
    /// The slug is chosen and inserted inside one document task, which samod runs one at a time
    /// per document: two concurrent generates can never pick the same slug.
    async fn index_artifact(
        &self,
        id: &str,
        doc: &ArtifactDoc,
        extra: Vec<Write>,
    ) -> Result<String, EngineError> {
        let base = slug::slugify(doc.title.as_str());
        let mut entry = IndexEntry {
            kind: doc.kind.clone(),
            title: doc.title.as_str().to_string(),
            slug: String::new(),
            created_at: doc.created_at,
            archived: Some(false),
            updated_at: Some(doc.updated_at),
        };
        let entry_id = id.to_string();
        let cache = self.index_cache.clone();
        self.change(&self.index, extra, move |doc| {
            let before = doc.get_heads();
            {
                // Dropped before the patch below, which then updates the view in place.
                let view = cache.view(doc);
                entry.slug = view.fresh_slug(&base);
            }
            transact(doc, |tx| {
                let artifacts = artifacts_map(tx)?;
                reconcile_prop(tx, &artifacts, entry_id.as_str(), &entry).map_err(reconcile_err)
            })?;
            let slug = entry.slug.clone();
            cache.patch(doc, &before, |view| view.insert(entry_id, entry));
            Ok(slug)
        })
        .await
    }

    /// Every artifact in the index, most recently updated first.
    pub async fn list(&self) -> Result<Vec<ArtifactSummary>, EngineError> {
        let ws = self.read_index().await?;
        let mut rows: Vec<ArtifactSummary> = ws
            .artifacts
            .iter()
            .map(|(id, e)| ArtifactSummary::from_entry(id, e))
            .collect();
        rows.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
        Ok(rows)
    }

    /// One artifact by id, `automerge:` URL or slug.
    pub async fn get(&self, id_or_slug: &str) -> Result<ArtifactRecord, EngineError> {
        let (id, entry) = self.resolve(id_or_slug).await?;
        Ok(self.artifact_at(&id, &entry.slug, None).await?.1)
    }

    /// The local prompt log, oldest first.
    pub async fn prompt_log(&self) -> Result<Vec<PromptLogEntry>, EngineError> {
        let local = self.local.clone();
        Ok(tokio::task::spawn_blocking(move || local.prompt_log()).await??)
    }

    async fn resolve(&self, id_or_slug: &str) -> Result<(String, IndexEntry), EngineError> {
        let key = id_or_slug.trim();
        let key = key.strip_prefix("automerge:").unwrap_or(key);
        let ws = self.read_index().await?;
        if let Some(entry) = ws.artifacts.get(key) {
            return Ok((key.to_string(), entry.clone()));
        }
        ws.artifacts
            .iter()
            .find(|(_, e)| e.slug == key)
            .map(|(id, e)| (id.clone(), e.clone()))
            .ok_or_else(|| EngineError::NotFound(id_or_slug.chars().take(100).collect()))
    }

    pub(crate) async fn artifact_handle(&self, id: &str) -> Result<DocHandle, EngineError> {
        let doc_id: DocumentId = id
            .parse()
            .map_err(|_| EngineError::NotFound(id.to_string()))?;
        self.repo
            .find(doc_id)
            .await?
            .ok_or_else(|| EngineError::NotFound(id.to_string()))
    }

    /// A turn to refresh pulled data, or `None` when a refresh is already waiting (it will see
    /// whatever this caller wanted to refresh for). Hold the guard while refreshing.
    pub async fn refresh_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        use std::sync::atomic::Ordering;
        if self.refresh.waiting.swap(true, Ordering::SeqCst) {
            return None;
        }
        let guard = self.refresh.running.clone().lock_owned().await;
        self.refresh.waiting.store(false, Ordering::SeqCst);
        Some(guard)
    }

    /// Records a webhook event id; false for one already processed.
    pub fn record_webhook_event(&self, id: &str) -> Result<bool, EngineError> {
        Ok(self.local.record_event(id, self.clock.now_ms())?)
    }

    /// Local-only settings and tables.
    pub(crate) fn local(&self) -> &LocalState {
        &self.local
    }

    /// The workspace document's handle, for sync.
    pub(crate) fn index_handle(&self) -> &DocHandle {
        &self.index
    }

    /// The index, from the cache when the document is unchanged.
    pub(crate) async fn read_index(&self) -> Result<Arc<IndexView>, EngineError> {
        let cache = self.index_cache.clone();
        Ok(self
            .index
            .with_document_async(move |doc| cache.view(doc))
            .await?)
    }

    async fn check_workspace_doc(&self) -> Result<(), EngineError> {
        let ws = self.read_index().await?;
        if !ws.is_workspace() {
            return Err(bad_workspace(format!("marker is {:?}", ws.marker)));
        }
        Ok(())
    }

    fn ensure_healthy(&self) -> Result<(), EngineError> {
        match self.storage.failure() {
            Some(reason) => Err(EngineError::Storage(crate::storage::StorageError::Failed(
                reason,
            ))),
            None => Ok(()),
        }
    }

    /// Runs `f` on the document and returns once the changes it made, and `extra`, are committed
    /// to redb in one transaction.
    ///
    /// The chunks are queued for the group commit inside the document task, so successive changes
    /// to one document are committed in the order they were made, and concurrent changes share a
    /// commit.
    pub(crate) async fn change<T, F>(
        &self,
        handle: &DocHandle,
        extra: Vec<Write>,
        f: F,
    ) -> Result<T, EngineError>
    where
        F: FnOnce(&mut Automerge) -> Result<T, EngineError> + Send + 'static,
        T: Send + 'static,
    {
        self.ensure_healthy()?;
        let doc_id = handle.document_id().clone();
        let storage = self.storage.clone();
        let (value, ticket) = handle
            .with_document_async(move |doc| {
                let before = doc.get_heads();
                let value = f(doc)?;
                let chunks: Vec<(StorageKey, Vec<u8>)> = doc
                    .get_changes(&before)
                    .into_iter()
                    .map(|c| {
                        (
                            StorageKey::incremental_path(&doc_id, c.hash()),
                            c.raw_bytes().to_vec(),
                        )
                    })
                    .collect();
                let ticket = storage.put_many_with(chunks, extra)?;
                Ok::<_, EngineError>((value, ticket))
            })
            .await??;
        self.storage.settle("put", ticket.wait().await)?;
        Ok(value)
    }
}

/// Runs `f` in one Automerge transaction.
pub(crate) fn transact<T>(
    doc: &mut Automerge,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<T, EngineError>,
) -> Result<T, EngineError> {
    doc.transact(f).map(|s| s.result).map_err(|f| f.error)
}

/// What changes in an index entry when its artifact changes.
#[derive(Debug, Clone, Default)]
pub(crate) struct IndexPatch {
    /// A new title.
    pub(crate) title: Option<String>,
    /// A new archived flag.
    pub(crate) archived: Option<bool>,
    /// When (ms).
    pub(crate) updated_at: i64,
}

/// An opened home before its workspace document is chosen: `open` finds or creates it, and a
/// clone fetches it from a relay.
pub(crate) struct Parts {
    pub(crate) home: PathBuf,
    pub(crate) storage: RedbStorage,
    pub(crate) local: LocalState,
    pub(crate) repo: Repo,
    pub(crate) clock: Clock,
    pub(crate) llm: Option<LlmConfig>,
}

impl Parts {
    /// Opens the home's store and loads its samod repo.
    pub(crate) async fn open(options: OpenOptions) -> Result<Parts, EngineError> {
        let home_dir = options.home.clone();
        let db = tokio::task::spawn_blocking(move || home::open_store(&home_dir)).await??;
        let llm = LlmConfig::load(&options.home)?;
        let storage = RedbStorage::new(db.clone())?;
        let local = LocalState::new(db, storage.clone())?;
        let repo = Repo::build_tokio()
            .with_storage(storage.clone())
            .load()
            .await;
        Ok(Parts {
            home: options.home,
            storage,
            local,
            repo,
            clock: options.clock,
            llm,
        })
    }

    /// The workspace over `index`, once it is checked to be a cosos workspace document.
    pub(crate) async fn assemble(self, index: DocHandle) -> Result<Workspace, EngineError> {
        let workspace = Workspace {
            home: self.home,
            storage: self.storage,
            local: self.local,
            repo: self.repo,
            index,
            clock: self.clock,
            llm: self.llm,
            index_cache: IndexCache::default(),
            refresh: Arc::default(),
        };
        workspace.check_workspace_doc().await?;
        Ok(workspace)
    }
}

/// The workspace document's `artifacts` map.
fn artifacts_map(tx: &Transaction<'_>) -> Result<automerge::ObjId, EngineError> {
    match tx.get(ROOT, "artifacts") {
        Ok(Some((_, obj))) => Ok(obj),
        Ok(None) => Err(bad_workspace("it has no artifacts map".into())),
        Err(e) => Err(bad_workspace(e.to_string())),
    }
}

fn new_workspace_doc(name: &str) -> Result<Automerge, EngineError> {
    let ws = WorkspaceDoc {
        cosos: WORKSPACE_MARKER.to_string(),
        schema: SCHEMA_VERSION,
        name: Text::with_value(name),
        artifacts: Default::default(),
        insights: Vec::new(),
    };
    let mut doc = Automerge::new();
    doc.transact(|tx| reconcile(tx, &ws))
        .map_err(|f| reconcile_err(f.error))?;
    Ok(doc)
}

fn single_line(value: &str, what: &str) -> Result<String, EngineError> {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        return Err(EngineError::InvalidEdit(format!(
            "the {what} cannot be empty"
        )));
    }
    if v.chars().count() > MAX_TITLE_CHARS {
        return Err(EngineError::InvalidEdit(format!(
            "the {what} is longer than {MAX_TITLE_CHARS} characters"
        )));
    }
    Ok(v)
}

fn bad_workspace(reason: String) -> EngineError {
    EngineError::BadDocument {
        id: "workspace".into(),
        what: "workspace",
        reason,
    }
}
