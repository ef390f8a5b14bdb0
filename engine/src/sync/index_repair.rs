//! Keeping index entries in line with artifacts changed elsewhere.
//!
//! The workspace index copies each artifact's title, archived flag and update time so that listing
//! never opens every artifact. `cosos edit` writes both, but another device's concurrent retitle
//! merges character-wise in the artifact while the index keeps one side's title, and a JS client
//! changes only the artifact. After syncing an artifact, the device brings its entry in line.

use automerge::{Automerge, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use samod::DocHandle;

use crate::error::EngineError;
use crate::workspace::{IndexPatch, Workspace};

/// The fields the index copies from an artifact, as the artifact document has them now.
#[derive(Debug, PartialEq)]
struct IndexedFields {
    title: String,
    archived: bool,
    updated_at: i64,
}

fn indexed_fields(doc: &Automerge) -> Option<IndexedFields> {
    let title = match doc.get(ROOT, "title").ok()?? {
        (Value::Object(ObjType::Text), text) => doc.text(&text).ok()?,
        (Value::Scalar(s), _) => s.as_str()?.to_string(),
        _ => return None,
    };
    let scalar = |key: &str| match doc.get(ROOT, key) {
        Ok(Some((Value::Scalar(s), _))) => Some(s.into_owned()),
        _ => None,
    };
    let archived = matches!(scalar("archived"), Some(ScalarValue::Boolean(true)));
    let updated_at = match scalar("updated_at") {
        Some(ScalarValue::Int(i) | ScalarValue::Timestamp(i)) => i,
        Some(ScalarValue::Uint(u)) => i64::try_from(u).unwrap_or(i64::MAX),
        _ => 0,
    };
    Some(IndexedFields {
        title,
        archived,
        updated_at,
    })
}

impl Workspace {
    /// Brings artifact `id`'s index entry in line with its document when the document was
    /// changed elsewhere (another device's concurrent retitle, a JS client), so that `list`
    /// shows what `show` shows. Two devices repairing at once write the same values.
    pub(crate) async fn repair_index_entry(
        &self,
        id: &str,
        handle: &DocHandle,
    ) -> Result<bool, EngineError> {
        let Some(now) = handle
            .with_document_async(|doc| indexed_fields(doc))
            .await?
        else {
            return Ok(false);
        };
        let view = self.read_index().await?;
        let Some(entry) = view.artifacts.get(id) else {
            return Ok(false);
        };
        let indexed_at = entry.updated_at.unwrap_or(entry.created_at);
        let title = (entry.title != now.title).then(|| now.title.clone());
        let archived = (entry.archived.unwrap_or(false) != now.archived).then_some(now.archived);
        if title.is_none() && archived.is_none() && indexed_at >= now.updated_at {
            return Ok(false);
        }
        let patch = IndexPatch {
            title,
            archived,
            updated_at: indexed_at.max(now.updated_at),
        };
        self.update_index_entry(id, patch).await?;
        Ok(true)
    }

    pub(super) async fn repair_logged(&self, id: &str, handle: &DocHandle) {
        if let Err(e) = self.repair_index_entry(id, handle).await {
            tracing::warn!(artifact = id, error = %e, "could not update the index entry");
        }
    }
}
