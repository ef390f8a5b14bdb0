//! The folder mirror: every artifact as `DIR/<slug>.md`, good to commit to git, with the
//! founder's edits to the title, notes and next-action checkboxes flowing back into the documents.
//!
//! For each file the mirror remembers (in local state) the document heads it rendered and the
//! hash of the bytes it wrote. A file whose bytes differ from that was edited by someone else: its
//! edits are read against the version it was rendered from and applied as if made then, so they
//! merge with whatever reached the document meanwhile. A file that still matches is ours, which is
//! also how the mirror's own writes never come back as edits.

mod file;
mod names;
mod readback;
mod watch;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::EngineError;
use crate::schema::IndexEntry;
use crate::workspace::Workspace;
pub use file::{FrontMatter, ParsedFile};
use names::FileNames;
pub use watch::{Watching, watch};

/// Records stored per transaction in a pass: a pass cut short leaves at most this many files
/// whose record is older than their text (which [`readback`] then recognises).
const FLUSH_EVERY: usize = 256;

/// Largest file read back: notes are at most 100,000 characters, the rest a few KiB.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// What can go wrong with one file or the folder.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The file cannot be read back as a mirrored artifact.
    #[error("{0}")]
    BrokenFile(String),
    /// The file could not be rendered.
    #[error("cannot render the file: {0}")]
    Render(String),
    /// The folder or a file in it could not be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The path.
        path: String,
        /// What the OS said.
        reason: String,
    },
    /// Watching the folder failed.
    #[error("cannot watch the folder: {0}")]
    Watch(String),
}

/// Something the founder should know about one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// The file's name in the folder.
    pub file: String,
    /// What happened, in words.
    pub message: String,
    /// True when the file's edits could not be applied (the document was left untouched).
    pub problem: bool,
}

/// What one pass over the folder did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MirrorReport {
    /// Files written (created or changed).
    pub written: usize,
    /// Files already up to date.
    pub unchanged: usize,
    /// Files whose edits were applied to their documents.
    pub imported: usize,
    /// Artifacts archived because their file was deleted.
    pub archived: usize,
    /// Files removed because their artifact is archived.
    pub removed: usize,
    /// Things to tell the founder, in file order.
    pub notices: Vec<Notice>,
}

impl MirrorReport {
    /// Adds another round's counts and notices to this one.
    pub fn absorb(&mut self, other: MirrorReport) {
        self.written += other.written;
        self.unchanged += other.unchanged;
        self.imported += other.imported;
        self.archived += other.archived;
        self.removed += other.removed;
        self.notices.extend(other.notices);
    }

    /// How many files could not be read back.
    pub fn problems(&self) -> usize {
        self.notices.iter().filter(|n| n.problem).count()
    }
}

/// What the mirror remembers of a file it wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FileRecord {
    /// The document heads the file was rendered from (hex).
    heads: Vec<String>,
    /// SHA-256 of the bytes written (hex).
    sha256: String,
}

impl FileRecord {
    fn heads(&self) -> Option<Vec<ChangeHash>> {
        self.heads.iter().map(|h| h.parse().ok()).collect()
    }
}

/// A workspace mirrored into one folder.
pub struct Mirror {
    ws: Workspace,
    dir: PathBuf,
    /// The folder's key in local state: its canonical path.
    key: String,
    records: HashMap<String, FileRecord>,
    /// Record changes not yet stored: a pass stores them in one transaction.
    pending: BTreeMap<String, Option<FileRecord>>,
}

impl Mirror {
    /// Opens `dir` (creating it) as the mirror of `ws`.
    pub async fn open(ws: Workspace, dir: &Path) -> Result<Mirror, EngineError> {
        let existed = dir.is_dir();
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let dir = dir.canonicalize().map_err(|e| io_error(dir, &e))?;
        let key = dir.to_string_lossy().into_owned();
        let local = ws.local().clone();
        let lookup = key.clone();
        let rows = tokio::task::spawn_blocking(move || local.folder_files(&lookup)).await??;
        let mut mirror = Mirror {
            ws,
            dir,
            key,
            records: HashMap::new(),
            pending: BTreeMap::new(),
        };
        for (id, bytes) in rows {
            match serde_json::from_slice(&bytes) {
                // A folder deleted and made again is a new folder: its missing files are not
                // deletions, or every artifact would be archived.
                Ok(record) if existed => {
                    mirror.records.insert(id, record);
                }
                _ => {
                    mirror.pending.insert(id, None);
                }
            }
        }
        Ok(mirror)
    }

    /// The folder, as a canonical path.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Brings every file and every document up to date with each other.
    pub async fn pass(&mut self) -> Result<MirrorReport, EngineError> {
        let index = self.ws.read_index().await?;
        let names = FileNames::of(&index);
        let mut report = MirrorReport::default();
        let mut entries: Vec<(&String, &IndexEntry)> = index.artifacts.iter().collect();
        entries.sort_by(|a, b| a.1.slug.cmp(&b.1.slug));
        for (id, entry) in entries {
            self.reconcile(id, entry, &names, &mut report).await?;
            if self.pending.len() >= FLUSH_EVERY {
                self.flush().await?;
            }
        }
        for path in self.markdown_files()? {
            if names.owner(&file_name(&path)).is_none() {
                self.check_stray(&names, &path, &mut report);
            }
        }
        self.flush().await?;
        Ok(report)
    }

    /// Brings the files at `paths` (changed on disk) up to date.
    pub async fn files_changed(&mut self, paths: &[PathBuf]) -> Result<MirrorReport, EngineError> {
        let index = self.ws.read_index().await?;
        let names = FileNames::of(&index);
        let mut report = MirrorReport::default();
        for path in paths {
            if !is_mirror_file(path) || path.parent() != Some(self.dir.as_path()) {
                continue;
            }
            let owner = names.owner(&file_name(path));
            match owner.and_then(|id| index.artifacts.get_key_value(id)) {
                Some((id, entry)) => self.reconcile(id, entry, &names, &mut report).await?,
                None => self.check_stray(&names, path, &mut report),
            }
        }
        self.flush().await?;
        Ok(report)
    }

    /// Brings the files of the artifacts `ids` (changed in their documents) up to date.
    pub async fn documents_changed(&mut self, ids: &[String]) -> Result<MirrorReport, EngineError> {
        let index = self.ws.read_index().await?;
        let names = FileNames::of(&index);
        let mut report = MirrorReport::default();
        for id in ids {
            if let Some(entry) = index.artifacts.get(id) {
                self.reconcile(id, entry, &names, &mut report).await?;
            }
        }
        self.flush().await?;
        Ok(report)
    }

    /// One artifact: the file's edits into the document, then the document into the file.
    async fn reconcile(
        &mut self,
        id: &str,
        entry: &IndexEntry,
        names: &FileNames,
        report: &mut MirrorReport,
    ) -> Result<(), EngineError> {
        let Some(name) = names.name(id).map(str::to_string) else {
            return Ok(());
        };
        let path = self.dir.join(&name);
        let on_disk = match read_optional(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.notices.push(problem(&name, e.to_string()));
                return Ok(());
            }
        };
        let record = self.records.get(id).cloned();
        if let (Some(bytes), Some(record)) = (&on_disk, &record)
            && sha256_hex(bytes) != record.sha256
            && !self
                .read_back(id, entry, &name, bytes, record, report)
                .await?
        {
            return Ok(());
        }
        if on_disk.is_none()
            && record.is_some()
            && entry.archived != Some(true)
            && self.dir.is_dir()
        {
            self.ws.archive(id).await?;
            self.forget(id);
            report.archived += 1;
            report.notices.push(notice(
                &name,
                &format!(
                    "the file was deleted, so its artifact is archived (restore it with `cosos \
                     archive --undo {}`)",
                    entry.slug
                ),
            ));
            return Ok(());
        }
        // Heads first: rebuilding the artifact costs far more, and most files are up to date.
        let sha_on_disk = on_disk.as_deref().map(sha256_hex);
        if let Some(record) = &record
            && sha_on_disk.as_ref() == Some(&record.sha256)
            && Some(self.ws.artifact_heads(id).await?) == record.heads()
        {
            report.unchanged += 1;
            return Ok(());
        }
        let (heads, artifact) = self.ws.artifact_at(id, &entry.slug, None).await?;
        if artifact.archived {
            if on_disk.is_some() && record.is_some() {
                std::fs::remove_file(&path).map_err(|e| io_error(&path, &e))?;
                report.removed += 1;
            }
            self.forget(id);
            return Ok(());
        }
        let text = readback::render(&artifact)?;
        if record.is_none()
            && let Some(bytes) = &on_disk
            && file::normalise(&String::from_utf8_lossy(bytes)) != file::normalise(&text)
        {
            report.notices.push(problem(
                &name,
                "the file was not written by this mirror and differs from the document; left \
                 as is (move it away to get the document's version)"
                    .to_string(),
            ));
            return Ok(());
        }
        if on_disk.as_deref() == Some(text.as_bytes()) {
            report.unchanged += 1;
        } else if write_unless_changed(&self.dir, &name, text.as_bytes(), on_disk.as_deref())? {
            report.written += 1;
        } else {
            // Saved again while we rendered: its event brings us back to read it first.
            return Ok(());
        }
        let record = FileRecord {
            heads: heads.iter().map(ChangeHash::to_string).collect(),
            sha256: sha256_hex(text.as_bytes()),
        };
        self.records.insert(id.to_string(), record.clone());
        self.pending.insert(id.to_string(), Some(record));
        Ok(())
    }

    /// Applies the edits of a file changed since the mirror wrote it; false when the file
    /// cannot be read back (told in `report`), so it must not be overwritten.
    async fn read_back(
        &mut self,
        id: &str,
        entry: &IndexEntry,
        name: &str,
        bytes: &[u8],
        record: &FileRecord,
        report: &mut MirrorReport,
    ) -> Result<bool, EngineError> {
        let readback = match readback::edits(&self.ws, id, entry, bytes, record.heads()).await? {
            Ok(readback) => readback,
            Err(why) => {
                report.notices.push(problem(name, why));
                return Ok(false);
            }
        };
        if let Some(edit) = readback.edit {
            match self.ws.edit_since(id, edit, record.heads()).await {
                Ok(()) => report.imported += 1,
                Err(EngineError::InvalidEdit(why)) => {
                    report.notices.push(problem(name, why));
                    return Ok(false);
                }
                Err(e) => return Err(e),
            }
        }
        if readback.generated_changed {
            report.notices.push(notice(
                name,
                "only the title, the notes and the next-action checkboxes are read back; other \
                 edits were replaced by the generated text",
            ));
        }
        Ok(true)
    }

    /// A Markdown file that is no artifact's: told about when it looks like one.
    fn check_stray(&self, names: &FileNames, path: &Path, report: &mut MirrorReport) {
        let Ok(Some(bytes)) = read_optional(path) else {
            return;
        };
        let text = String::from_utf8_lossy(&bytes);
        if !file::has_front_matter(&text) {
            return;
        }
        let name = file_name(path);
        let why = match file::parse(&text) {
            Err(e) => e.to_string(),
            Ok(parsed) => match names.name(&parsed.id) {
                Some(theirs) => format!(
                    "its id belongs to the artifact mirrored as {theirs} (file names are fixed \
                     at creation); this copy is not read"
                ),
                None => format!("no artifact in this workspace has the id {}", parsed.id),
            },
        };
        report.notices.push(problem(&name, why));
    }

    fn forget(&mut self, id: &str) {
        if self.records.remove(id).is_some() {
            self.pending.insert(id.to_string(), None);
        }
    }

    async fn flush(&mut self) -> Result<(), EngineError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows: Vec<(String, Option<Vec<u8>>)> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(id, r)| (id, r.and_then(|r| serde_json::to_vec(&r).ok())))
            .collect();
        let local = self.ws.local().clone();
        let key = self.key.clone();
        tokio::task::spawn_blocking(move || local.put_folder_files(&key, &rows)).await??;
        Ok(())
    }

    fn markdown_files(&self) -> Result<Vec<PathBuf>, EngineError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| io_error(&self.dir, &e))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_mirror_file(p))
            .collect();
        paths.sort();
        Ok(paths)
    }
}

/// A visible `.md` file: editors' temp and swap files start with a dot or end otherwise.
fn is_mirror_file(path: &Path) -> bool {
    let name = file_name(path);
    !name.starts_with('.') && name.ends_with(".md")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file's bytes, `None` when it does not exist. A file far larger than any artifact renders
/// to is refused before it is read, so a stray video in the folder cannot exhaust memory.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, FolderError> {
    use std::io::Read as _;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, &e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FolderError::BrokenFile(format!(
            "the file is larger than {} MiB; an artifact's file is a few KiB",
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(Some(bytes))
}

/// Writes through a hidden temp file and a rename, so an editor or `git` never sees half a file;
/// false (and nothing written) when the file no longer holds `expected`, so a save that lands
/// while we render is read, not overwritten.
fn write_unless_changed(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    expected: Option<&[u8]>,
) -> Result<bool, FolderError> {
    let tmp = dir.join(format!(".{name}.cosos-tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| io_error(&tmp, &e))?;
    let target = dir.join(name);
    if read_optional(&target)?.as_deref() != expected {
        let _ = std::fs::remove_file(&tmp);
        return Ok(false);
    }
    std::fs::rename(&tmp, &target).map_err(|e| io_error(&target, &e))?;
    Ok(true)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn io_error(path: &Path, e: &std::io::Error) -> FolderError {
    FolderError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn notice(file: &str, message: &str) -> Notice {
    Notice {
        file: file.to_string(),
        message: message.to_string(),
        problem: false,
    }
}

fn problem(file: &str, message: String) -> Notice {
    Notice {
        file: file.to_string(),
        message: format!("{message}; its artifact was left untouched"),
        problem: true,
    }
}

#[cfg(test)]
mod tests;
