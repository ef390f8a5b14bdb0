//! Two forks of one artifact edited concurrently merge with both edits kept (a property test over
//! random edit pairs), using the engine's own edit code.

use automerge::Automerge;
use autosurgeon::{Text, hydrate, reconcile};
use cosos_engine::edits::{ArtifactEdit, apply_artifact_edit};
use cosos_engine::json_tree::JsonTree;
use cosos_engine::schema::{ArtifactDoc, ContextDoc, GeneratorDoc, Number};
use proptest::prelude::*;

fn artifact(title: &str, notes: &str) -> Automerge {
    let doc = ArtifactDoc {
        cosos: "artifact".into(),
        schema: 1,
        kind: "mrr_tracker".into(),
        title: Text::with_value(title),
        prompt: Text::with_value("Track our path to $100k MRR"),
        context: ContextDoc {
            stage: None,
            goal: None,
            challenge: None,
        },
        params: JsonTree::default(),
        content: JsonTree(serde_json::json!({"next_actions": [{"text": "a", "done": false}]})),
        data: JsonTree::default(),
        notes: Text::with_value(notes),
        archived: false,
        created_at: 0,
        updated_at: 0,
        generator: GeneratorDoc {
            engine: "builtin".into(),
            confidence: Number(1.0),
            alternatives: vec![],
            fallback_reason: None,
        },
    };
    let mut am = Automerge::new();
    am.transact(|tx| reconcile(tx, &doc)).unwrap();
    am
}

fn edit(doc: &mut Automerge, e: ArtifactEdit) {
    doc.transact(|tx| apply_artifact_edit(tx, &e, 1)).unwrap();
}

fn read(doc: &Automerge) -> ArtifactDoc {
    hydrate(doc).unwrap()
}

/// Inserts `insert` at char position `at` (clamped) of `base`.
fn insert_at(base: &str, at: usize, insert: &str) -> String {
    let at = at.min(base.chars().count());
    let byte = base.char_indices().nth(at).map_or(base.len(), |(i, _)| i);
    format!("{}{}{}", &base[..byte], insert, &base[byte..])
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 $,.é]{0,24}"
}

fn word() -> impl Strategy<Value = String> {
    "[A-Z]{1,6}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Title edited on one device, notes on the other: the merge has both, on both sides.
    #[test]
    fn title_and_notes_edits_both_survive(
        title in text(), notes in text(), new_title in "[a-zA-Z][a-zA-Z0-9 ]{0,30}", new_notes in text()
    ) {
        let mut a = artifact(&title, &notes);
        let mut b = a.fork();
        edit(&mut a, ArtifactEdit { title: Some(new_title.clone()), ..Default::default() });
        edit(&mut b, ArtifactEdit { notes: Some(new_notes.clone()), ..Default::default() });
        a.merge(&mut b).unwrap();
        b.merge(&mut a.clone()).unwrap();
        for side in [&a, &b] {
            let doc = read(side);
            prop_assert_eq!(doc.title.as_str(), new_title.as_str());
            prop_assert_eq!(doc.notes.as_str(), new_notes.as_str());
        }
        prop_assert_eq!(a.get_heads(), b.get_heads());
    }

    /// Both devices insert into the same title: both insertions survive, each in place.
    #[test]
    fn concurrent_insertions_into_one_title_both_survive(
        title in text(), at_a in 0usize..30, at_b in 0usize..30, ins_a in word(), ins_b in word()
    ) {
        let mut a = artifact(&title, "");
        let mut b = a.fork();
        edit(&mut a, ArtifactEdit { title: Some(insert_at(&title, at_a, &format!("<{ins_a}>"))), ..Default::default() });
        edit(&mut b, ArtifactEdit { title: Some(insert_at(&title, at_b, &format!("[{ins_b}]"))), ..Default::default() });
        a.merge(&mut b).unwrap();
        let merged = read(&a).title.as_str().to_string();
        let marker_a = format!("<{ins_a}>");
        let marker_b = format!("[{ins_b}]");
        prop_assert!(merged.contains(&marker_a), "{} lacks {}", merged, marker_a);
        prop_assert!(merged.contains(&marker_b), "{} lacks {}", merged, marker_b);
        let stripped = merged.replacen(&marker_a, "", 1).replacen(&marker_b, "", 1);
        prop_assert_eq!(stripped, title);
    }

    /// Notes edits and a next-action tick on different devices both survive.
    #[test]
    fn notes_and_checkbox_edits_both_survive(notes in text(), new_notes in text(), done in any::<bool>()) {
        let mut a = artifact("T", &notes);
        let mut b = a.fork();
        edit(&mut a, ArtifactEdit { notes: Some(new_notes.clone()), ..Default::default() });
        edit(&mut b, ArtifactEdit { actions_done: vec![(0, done)], ..Default::default() });
        a.merge(&mut b).unwrap();
        let doc = read(&a);
        prop_assert_eq!(doc.notes.as_str(), new_notes.as_str());
        prop_assert_eq!(&doc.content.0["next_actions"][0]["done"], &serde_json::Value::Bool(done));
    }
}

#[test]
fn unknown_keys_written_by_other_clients_survive_an_edit() {
    use automerge::{ROOT, ReadDoc, transaction::Transactable};
    let mut doc = artifact("T", "");
    doc.transact(|tx| tx.put(ROOT, "x_other_client", "keep me"))
        .unwrap();
    edit(
        &mut doc,
        ArtifactEdit {
            title: Some("New".into()),
            notes: Some("n".into()),
            ..Default::default()
        },
    );
    let (v, _) = doc.get(ROOT, "x_other_client").unwrap().unwrap();
    assert_eq!(v.into_string().ok().as_deref(), Some("keep me"));
}
