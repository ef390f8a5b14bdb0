//! Editing artifacts: edits as minimal Automerge changes, optionally made against an earlier
//! version (the folder mirror's files), reading an artifact at given heads, and keeping the
//! index entry in step.

use automerge::{Automerge, ChangeHash, ReadDoc};
use autosurgeon::{hydrate, reconcile_prop};

use super::{
    IndexPatch, MAX_NOTES_CHARS, Workspace, artifacts_map, bad_workspace, single_line, transact,
};
use crate::edits::{self, ArtifactEdit, reconcile_err};
use crate::error::EngineError;
use crate::record::ArtifactRecord;
use crate::schema::ArtifactDoc;

impl Workspace {
    /// Applies an edit as minimal Automerge changes and returns the updated artifact.
    pub async fn edit(
        &self,
        id_or_slug: &str,
        edit: ArtifactEdit,
    ) -> Result<ArtifactRecord, EngineError> {
        let (id, _) = self.resolve(id_or_slug).await?;
        self.edit_since(&id, edit, None).await?;
        self.get(&id).await
    }

    /// Applies `edit` as if made at `base` (the document's heads when the editor last saw it):
    /// text diffs against that version become splices, merged with whatever happened since, so
    /// an edit made offline keeps a concurrent edit from another device. `None` edits the
    /// current version.
    pub(crate) async fn edit_since(
        &self,
        id: &str,
        edit: ArtifactEdit,
        base: Option<Vec<ChangeHash>>,
    ) -> Result<(), EngineError> {
        let title = edit
            .title
            .as_deref()
            .map(|t| single_line(t, "title"))
            .transpose()?;
        if let Some(notes) = &edit.notes
            && notes.chars().count() > MAX_NOTES_CHARS
        {
            return Err(EngineError::InvalidEdit(format!(
                "notes are longer than {MAX_NOTES_CHARS} characters"
            )));
        }
        let handle = self.artifact_handle(id).await?;
        let now_ms = self.clock.now_ms();
        let retitled = title.is_some();
        let artifact_edit = ArtifactEdit { title, ..edit };
        let archived = artifact_edit.archived;
        let merged_title = self
            .change(&handle, Vec::new(), move |doc| {
                let apply = |doc: &mut Automerge| {
                    transact(doc, |tx| {
                        edits::apply_artifact_edit(tx, &artifact_edit, now_ms)
                    })
                };
                match base.and_then(|heads| doc.fork_at(&heads).ok()) {
                    Some(mut past) => {
                        apply(&mut past)?;
                        doc.merge(&mut past)
                            .map_err(|e| EngineError::Task(format!("could not merge: {e}")))?;
                    }
                    None => apply(doc)?,
                }
                Ok(edits::text_of(doc, "title"))
            })
            .await?;
        self.update_index_entry(
            id,
            IndexPatch {
                title: merged_title.filter(|_| retitled),
                archived,
                updated_at: now_ms,
            },
        )
        .await
    }

    /// Archives artifact `id`.
    pub(crate) async fn archive(&self, id: &str) -> Result<(), EngineError> {
        let edit = ArtifactEdit {
            archived: Some(true),
            ..Default::default()
        };
        self.edit_since(id, edit, None).await
    }

    /// The current heads of artifact `id`'s document.
    pub(crate) async fn artifact_heads(&self, id: &str) -> Result<Vec<ChangeHash>, EngineError> {
        let handle = self.artifact_handle(id).await?;
        Ok(handle.with_document_async(|doc| doc.get_heads()).await?)
    }

    /// Artifact `id` as it is now, or as it was at `heads`, with the heads it was read at.
    pub(crate) async fn artifact_at(
        &self,
        id: &str,
        slug: &str,
        heads: Option<Vec<ChangeHash>>,
    ) -> Result<(Vec<ChangeHash>, ArtifactRecord), EngineError> {
        let handle = self.artifact_handle(id).await?;
        let (heads, doc) = handle
            .with_document_async(move |doc| {
                let past = heads.and_then(|h| doc.fork_at(&h).ok());
                let doc: &Automerge = past.as_ref().unwrap_or(doc);
                (doc.get_heads(), hydrate::<_, ArtifactDoc>(doc))
            })
            .await?;
        let doc = doc.map_err(|e| EngineError::BadDocument {
            id: id.to_string(),
            what: "artifact",
            reason: e.to_string(),
        })?;
        Ok((heads, ArtifactRecord::from_doc(id, slug, doc)))
    }

    /// Applies `patch` to artifact `id`'s index entry (and to the cached view).
    pub(crate) async fn update_index_entry(
        &self,
        id: &str,
        patch: IndexPatch,
    ) -> Result<(), EngineError> {
        let entry_id = id.to_string();
        let cache = self.index_cache.clone();
        self.change(&self.index, Vec::new(), move |doc| {
            let before = doc.get_heads();
            transact(doc, |tx| {
                let artifacts = artifacts_map(tx)?;
                let entry = tx
                    .get(&artifacts, entry_id.as_str())
                    .map_err(|e| bad_workspace(e.to_string()))?
                    .map(|(_, obj)| obj)
                    .ok_or_else(|| EngineError::NotFound(entry_id.clone()))?;
                if let Some(t) = &patch.title {
                    reconcile_prop(tx, &entry, "title", t.as_str()).map_err(reconcile_err)?;
                }
                if let Some(a) = patch.archived {
                    reconcile_prop(tx, &entry, "archived", a).map_err(reconcile_err)?;
                }
                reconcile_prop(tx, &entry, "updated_at", patch.updated_at).map_err(reconcile_err)
            })?;
            cache.patch(doc, &before, |view| {
                if let Some(entry) = view.artifacts.get_mut(&entry_id) {
                    if let Some(t) = patch.title {
                        entry.title = t;
                    }
                    if patch.archived.is_some() {
                        entry.archived = patch.archived;
                    }
                    entry.updated_at = Some(patch.updated_at);
                }
            });
            Ok(())
        })
        .await
    }
}
