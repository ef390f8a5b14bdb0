//! Edits to an artifact document as minimal Automerge changes: text diffs become splices, so a
//! concurrent edit of the same document on another device merges instead of being overwritten.

use automerge::transaction::Transactable;
use automerge::transaction::Transaction;
use automerge::{ObjType, ROOT, ReadDoc, Value};
use autosurgeon::reconcile_prop;

use crate::error::EngineError;

/// Changes to an artifact's editable fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArtifactEdit {
    /// New title.
    pub title: Option<String>,
    /// New notes.
    pub notes: Option<String>,
    /// New archived flag.
    pub archived: Option<bool>,
    /// Next-action `done` flags by index.
    pub actions_done: Vec<(usize, bool)>,
}

/// Applies `edit` to an artifact document inside one transaction and stamps `updated_at`.
pub fn apply_artifact_edit(
    tx: &mut Transaction<'_>,
    edit: &ArtifactEdit,
    now_ms: i64,
) -> Result<(), EngineError> {
    if let Some(title) = &edit.title {
        update_text(tx, "title", title)?;
    }
    if let Some(notes) = &edit.notes {
        update_text(tx, "notes", notes)?;
    }
    if let Some(archived) = edit.archived {
        reconcile_prop(tx, ROOT, "archived", archived).map_err(reconcile_err)?;
    }
    for &(index, done) in &edit.actions_done {
        set_action_done(tx, index, done)?;
    }
    reconcile_prop(tx, ROOT, "updated_at", now_ms).map_err(reconcile_err)
}

/// Replaces a root Text field's value by the smallest set of splices.
///
/// Automerge's own `update_text` diffs in the document's text encoding; autosurgeon's
/// `Text::update` counts UTF-8 bytes and goes out of bounds on non-ASCII text.
pub fn update_text(tx: &mut Transaction<'_>, prop: &str, value: &str) -> Result<(), EngineError> {
    let existing = match tx.get(ROOT, prop).map_err(am_err)? {
        Some((Value::Object(ObjType::Text), id)) => Some(id),
        _ => None,
    };
    let text = match existing {
        Some(id) => id,
        None => tx.put_object(ROOT, prop, ObjType::Text).map_err(am_err)?,
    };
    tx.update_text(&text, value).map_err(am_err)
}

/// A root Text field's value, if the document has one.
pub fn text_of(doc: &impl ReadDoc, prop: &str) -> Option<String> {
    match doc.get(ROOT, prop) {
        Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).ok(),
        _ => None,
    }
}

fn am_err(e: automerge::AutomergeError) -> EngineError {
    EngineError::Task(format!("could not write the document: {e}"))
}

fn set_action_done(tx: &mut Transaction<'_>, index: usize, done: bool) -> Result<(), EngineError> {
    let missing =
        || EngineError::InvalidEdit(format!("there is no next action number {}", index + 1));
    let content = tx
        .get(ROOT, "content")
        .ok()
        .flatten()
        .map(|(_, o)| o)
        .ok_or_else(missing)?;
    let actions = tx
        .get(&content, "next_actions")
        .ok()
        .flatten()
        .map(|(_, o)| o)
        .ok_or_else(missing)?;
    let action = tx
        .get(&actions, index)
        .ok()
        .flatten()
        .map(|(_, o)| o)
        .ok_or_else(missing)?;
    reconcile_prop(tx, &action, "done", done).map_err(reconcile_err)
}

/// Maps an autosurgeon write failure.
pub fn reconcile_err(e: autosurgeon::ReconcileError) -> EngineError {
    EngineError::Task(format!("could not write the document: {e}"))
}
