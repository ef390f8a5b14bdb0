//! Insights in the workspace document: alerts that fired, synced to every device.

use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc};
use autosurgeon::reconcile_insert;

use super::alerts::Insight;
use crate::error::EngineError;
use crate::json_tree::JsonTree;
use crate::workspace::{Workspace, transact};

/// Most insights kept; older ones are dropped first.
pub const MAX_INSIGHTS: usize = 500;

impl Workspace {
    /// Adds insights whose id is not there yet; returns the ones added.
    pub async fn add_insights(&self, insights: Vec<Insight>) -> Result<Vec<Insight>, EngineError> {
        if insights.is_empty() {
            return Ok(Vec::new());
        }
        self.change(self.index_handle(), Vec::new(), move |doc| {
            transact(doc, |tx| {
                let list = match tx.get(ROOT, "insights") {
                    Ok(Some((automerge::Value::Object(ObjType::List), id))) => id,
                    _ => tx
                        .put_object(ROOT, "insights", ObjType::List)
                        .map_err(|e| EngineError::Integration(e.to_string()))?,
                };
                let existing: std::collections::HashSet<String> = (0..tx.length(&list))
                    .filter_map(|i| match tx.get(&list, i) {
                        Ok(Some((_, obj))) => match tx.get(&obj, "id") {
                            Ok(Some((automerge::Value::Scalar(s), _))) => {
                                s.as_str().map(str::to_string)
                            }
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                let mut added = Vec::new();
                for insight in insights {
                    if existing.contains(&insight.id)
                        || added.iter().any(|a: &Insight| a.id == insight.id)
                    {
                        continue;
                    }
                    let value = serde_json::to_value(&insight)
                        .map_err(|e| EngineError::Integration(e.to_string()))?;
                    reconcile_insert(
                        tx,
                        list.clone(),
                        tx.length(&list),
                        JsonTree::normalized(value),
                    )
                    .map_err(|e| EngineError::Integration(e.to_string()))?;
                    added.push(insight);
                }
                let excess = tx.length(&list).saturating_sub(MAX_INSIGHTS);
                for _ in 0..excess {
                    tx.delete(&list, 0)
                        .map_err(|e| EngineError::Integration(e.to_string()))?;
                }
                Ok(added)
            })
        })
        .await
    }

    /// Every insight, newest first.
    pub async fn insights(&self) -> Result<Vec<Insight>, EngineError> {
        let mut all = self.read_index().await?.insights.clone();
        all.sort_by(|a, b| b.at.cmp(&a.at).then(a.id.cmp(&b.id)));
        Ok(all)
    }
}
