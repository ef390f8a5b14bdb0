//! Reading a mirrored file back: which of the editable fields the founder changed, compared with
//! the version the file was rendered from, and whether anything else was touched.

use automerge::ChangeHash;
use cosos_artifacts::kinds::sections::one_line;

use super::file::{self, FrontMatter, ParsedFile};
use crate::edits::ArtifactEdit;
use crate::error::EngineError;
use crate::record::ArtifactRecord;
use crate::schema::IndexEntry;
use crate::workspace::Workspace;

/// What a changed file asks for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Readback {
    /// The edit to apply, if any editable field changed.
    pub(super) edit: Option<ArtifactEdit>,
    /// True when text outside the editable fields differs from the rendering.
    pub(super) generated_changed: bool,
}

/// Reads `bytes` against artifact `id` as it was at `base`. The inner error is why the file
/// cannot be read back, for the founder; the outer one is the store failing.
pub(super) async fn edits(
    ws: &Workspace,
    id: &str,
    entry: &IndexEntry,
    bytes: &[u8],
    base: Option<Vec<ChangeHash>>,
) -> Result<Result<Readback, String>, EngineError> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(Err("the file is not UTF-8 text".into()));
    };
    let parsed = match file::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(Err(e.to_string())),
    };
    if parsed.id != id {
        return Ok(Err(format!(
            "its front matter says id {}, but this file mirrors artifact {id}; put the id back",
            parsed.id
        )));
    }
    let (_, current) = ws.artifact_at(id, &entry.slug, None).await?;
    if file::normalise(&render(&current)?) == file::normalise(text) {
        // The file already shows the document (a write whose record was never stored, say):
        // reading it against the older base would apply those changes a second time.
        return Ok(Ok(Readback {
            edit: None,
            generated_changed: false,
        }));
    }
    let (_, base) = ws.artifact_at(id, &entry.slug, base).await?;
    let mut readback = compare(&base, &parsed)?;
    if let Some(edit) = &mut readback.edit {
        drop_what_is_already_there(edit, &current);
        if *edit == ArtifactEdit::default() {
            readback.edit = None;
        }
    }
    Ok(Ok(readback))
}

/// Leaves out of `edit` the fields that already have the file's value: applying a text edit
/// the document already has would insert its text twice.
fn drop_what_is_already_there(edit: &mut ArtifactEdit, current: &ArtifactRecord) {
    if edit.title.as_deref() == Some(one_line(&current.title).as_str()) {
        edit.title = None;
    }
    if edit.notes.as_deref() == Some(current.notes.trim()) {
        edit.notes = None;
    }
    let done_now = actions_of(current);
    edit.actions_done
        .retain(|&(index, done)| done_now.get(index).map(|(_, d)| *d) != Some(done));
}

/// The edit that turns `base` into what `parsed` says, and whether the rest still matches.
pub(super) fn compare(
    base: &ArtifactRecord,
    parsed: &ParsedFile,
) -> Result<Readback, super::FolderError> {
    let mut edit = ArtifactEdit::default();
    let base_title = one_line(&base.title);
    let changed_title =
        |t: &Option<String>| t.as_deref().map(one_line).filter(|t| *t != base_title);
    edit.title = changed_title(&parsed.front_title).or_else(|| changed_title(&parsed.h1));
    if let Some(notes) = &parsed.notes
        && notes.as_str() != base.notes.trim()
    {
        edit.notes = Some(notes.clone());
    }
    let mut unused: Vec<&(bool, String)> = parsed.actions.iter().collect();
    for (index, (text, done)) in actions_of(base).into_iter().enumerate() {
        let text = one_line(&text);
        if let Some(at) = unused.iter().position(|(_, t)| *t == text) {
            let (ticked, _) = unused.remove(at);
            if *ticked != done {
                edit.actions_done.push((index, *ticked));
            }
        }
    }
    let mut expected = base.clone();
    apply(&mut expected, &edit);
    let generated_changed = parsed.kind.as_ref().is_some_and(|k| *k != base.kind)
        || file::untitled_body(&body_of(&expected)?) != parsed.untitled_body;
    let edit = (edit != ArtifactEdit::default()).then_some(edit);
    Ok(Readback {
        edit,
        generated_changed,
    })
}

/// The file for `artifact`: front matter, then its Markdown with live data.
pub(super) fn render(artifact: &ArtifactRecord) -> Result<String, super::FolderError> {
    let body = body_of(artifact)?;
    let front = FrontMatter {
        id: artifact.id.clone(),
        kind: artifact.kind.clone(),
        title: one_line(&artifact.title),
    };
    file::render(&front, &body)
}

fn body_of(artifact: &ArtifactRecord) -> Result<String, super::FolderError> {
    artifact
        .markdown_with_live_data()
        .map_err(|e| super::FolderError::Render(e.to_string()))
}

/// The next actions of an artifact's content: (text, done).
fn actions_of(artifact: &ArtifactRecord) -> Vec<(String, bool)> {
    artifact.content["next_actions"]
        .as_array()
        .map(|actions| {
            actions
                .iter()
                .map(|a| {
                    let text = a["text"].as_str().unwrap_or_default().to_string();
                    (text, a["done"].as_bool().unwrap_or(false))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `edit` applied to a record in memory, to render what the file should look like.
fn apply(artifact: &mut ArtifactRecord, edit: &ArtifactEdit) {
    if let Some(title) = &edit.title {
        artifact.title = title.clone();
    }
    if let Some(notes) = &edit.notes {
        artifact.notes = notes.clone();
    }
    for &(index, done) in &edit.actions_done {
        let action = artifact
            .content
            .get_mut("next_actions")
            .and_then(|actions| actions.get_mut(index))
            .and_then(|action| action.as_object_mut());
        if let Some(action) = action {
            action.insert("done".into(), serde_json::Value::Bool(done));
        }
    }
}
