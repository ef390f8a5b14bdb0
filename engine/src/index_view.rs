//! A read-only view of the workspace index, built in one pass and cached by document heads.
//!
//! autosurgeon hydrates a map by one `get` per key, and each `get` seeks through the op set:
//! at ten thousand artifacts that made every `list` and every slug check take hundreds of
//! milliseconds. Automerge's own `hydrate` walks each object once, and the cache means an
//! unchanged index is read once per process.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use automerge::hydrate::{Map, Value};
use automerge::{Automerge, ChangeHash, ScalarValue};

use crate::integrations::alerts::Insight;
use crate::schema::{IndexEntry, WORKSPACE_MARKER};
use crate::slug;

/// The workspace document as listing needs it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexView {
    /// The `cosos` marker.
    pub marker: String,
    /// The workspace name.
    pub name: String,
    /// Artifacts by document id.
    pub artifacts: BTreeMap<String, IndexEntry>,
    /// Insights (alerts that fired), in document order; unreadable entries are skipped.
    pub insights: Vec<Insight>,
    /// Every artifact's slug, so choosing a fresh one does not scan the index.
    slugs: HashSet<String>,
    /// For each `base` of slugs `base-N`, the highest N in use.
    highest_numbered: HashMap<String, u64>,
}

impl IndexView {
    /// Reads the index from a workspace document.
    pub fn read(doc: &Automerge) -> IndexView {
        let Value::Map(root) = doc.hydrate(None) else {
            return IndexView::default();
        };
        let artifacts = match root.get("artifacts") {
            Some(Value::Map(map)) => map
                .iter()
                .filter_map(|(id, v)| match &v.value {
                    Value::Map(entry) => entry_of(entry).map(|e| (id.clone(), e)),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        let insights = match root.get("insights") {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|v| match &v.value {
                    Value::Map(m) => insight_of(m),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut view = IndexView {
            marker: string(&root, "cosos").unwrap_or_default(),
            name: string(&root, "name").unwrap_or_default(),
            insights,
            ..IndexView::default()
        };
        for (id, entry) in artifacts {
            view.insert(id, entry);
        }
        view
    }

    /// Adds an entry, as the document just did. Slugs are fixed at creation, so an entry that
    /// replaces another keeps its slug.
    pub fn insert(&mut self, id: String, entry: IndexEntry) {
        if let Some((base, n)) = slug::numbered(&entry.slug) {
            let highest = self.highest_numbered.entry(base.to_string()).or_default();
            *highest = (*highest).max(n);
        }
        self.slugs.insert(entry.slug.clone());
        self.artifacts.insert(id, entry);
    }

    /// A slug for a new artifact titled with `base`, unique in this index.
    pub fn fresh_slug(&self, base: &str) -> String {
        let highest = self.highest_numbered.get(base).copied().unwrap_or(0);
        slug::unique(base, highest, |s| self.slugs.contains(s))
    }

    /// Whether the document says it is a cosos workspace.
    pub fn is_workspace(&self) -> bool {
        self.marker == WORKSPACE_MARKER
    }
}

/// A process-wide cache of the last view, valid while the document's heads are unchanged.
#[derive(Debug, Clone, Default)]
pub struct IndexCache(Arc<Mutex<Option<CachedView>>>);

/// A view and the heads it was read at.
type CachedView = (Vec<ChangeHash>, Arc<IndexView>);

impl IndexCache {
    /// The view of `doc`, from the cache when its heads match.
    pub fn view(&self, doc: &Automerge) -> Arc<IndexView> {
        let heads = doc.get_heads();
        if let Ok(guard) = self.0.lock()
            && let Some((cached_heads, view)) = guard.as_ref()
            && *cached_heads == heads
        {
            return view.clone();
        }
        let view = Arc::new(IndexView::read(doc));
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((heads, view.clone()));
        }
        view
    }

    /// Records a change we just made to `doc` (whose heads were `before`) by patching the cached
    /// view, instead of re-reading thousands of entries on the next read. When the cache was not
    /// at `before`, it is simply left to miss.
    pub fn patch(&self, doc: &Automerge, before: &[ChangeHash], edit: impl FnOnce(&mut IndexView)) {
        let Ok(mut guard) = self.0.lock() else {
            return;
        };
        match guard.as_mut() {
            Some((heads, view)) if heads.as_slice() == before => {
                // Copies only while a reader still holds the old view.
                edit(Arc::make_mut(view));
                *heads = doc.get_heads();
            }
            _ => *guard = None,
        }
    }
}

fn entry_of(map: &Map) -> Option<IndexEntry> {
    Some(IndexEntry {
        kind: string(map, "kind")?,
        title: string(map, "title")?,
        slug: string(map, "slug")?,
        created_at: int(map, "created_at")?,
        archived: match scalar(map, "archived") {
            Some(ScalarValue::Boolean(b)) => Some(*b),
            _ => None,
        },
        updated_at: int(map, "updated_at"),
    })
}

fn insight_of(map: &Map) -> Option<Insight> {
    Some(Insight {
        id: string(map, "id")?,
        artifact: string(map, "artifact").unwrap_or_default(),
        at: int(map, "at").unwrap_or(0),
        severity: string(map, "severity").unwrap_or_else(|| "info".into()),
        text: string(map, "text").unwrap_or_default(),
    })
}

fn scalar<'a>(map: &'a Map, key: &str) -> Option<&'a ScalarValue> {
    match map.get(key) {
        Some(Value::Scalar(s)) => Some(s),
        _ => None,
    }
}

fn string(map: &Map, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Value::Scalar(ScalarValue::Str(s))) => Some(s.to_string()),
        Some(Value::Text(t)) => Some(t.to_string()),
        _ => None,
    }
}

fn int(map: &Map, key: &str) -> Option<i64> {
    match scalar(map, key)? {
        ScalarValue::Int(i) | ScalarValue::Timestamp(i) => Some(*i),
        ScalarValue::Uint(u) => i64::try_from(*u).ok(),
        ScalarValue::F64(f) if f.is_finite() => Some(*f as i64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{SCHEMA_VERSION, WorkspaceDoc};
    use autosurgeon::{Text, reconcile};

    #[test]
    fn reads_what_autosurgeon_wrote_and_caches_by_heads() {
        let mut entries = BTreeMap::new();
        entries.insert(
            "abc".to_string(),
            IndexEntry {
                kind: "mrr_tracker".into(),
                title: "Path".into(),
                slug: "path".into(),
                created_at: 5,
                archived: Some(true),
                updated_at: Some(7),
            },
        );
        let ws = WorkspaceDoc {
            cosos: WORKSPACE_MARKER.into(),
            schema: SCHEMA_VERSION,
            name: Text::with_value("Acme"),
            artifacts: entries.clone(),
            insights: vec![],
        };
        let mut doc = Automerge::new();
        doc.transact(|tx| reconcile(tx, &ws)).unwrap();
        let cache = IndexCache::default();
        let view = cache.view(&doc);
        assert!(view.is_workspace());
        assert_eq!(view.name, "Acme");
        assert_eq!(view.artifacts, entries);
        assert_eq!(view.fresh_slug("path"), "path-2");
        assert_eq!(view.fresh_slug("other"), "other");
        assert!(Arc::ptr_eq(&view, &cache.view(&doc)));
    }
}
