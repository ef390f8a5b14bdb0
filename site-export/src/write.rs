//! Puts a rendered site on disk. The output directory must be new, empty, or an earlier export
//! (recognised by its marker file): an earlier export's pages and assets are removed first, so an
//! artifact left out this time, or the plaintext of an export now encrypted, does not linger.
//! Other files there (a CNAME, a README) are left alone.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::thread;

use crate::error::ExportError;
use crate::site::{MARKER, OutputFile};

/// What an earlier export wrote at the top level.
const OURS: [&str; 6] = [
    "artifacts",
    "assets",
    "index.html",
    "board-book.html",
    "sitemap.xml",
    MARKER,
];

/// Makes `out` ready for a new export.
pub fn prepare(out: &Path) -> Result<(), ExportError> {
    if !out.exists() {
        return std::fs::create_dir_all(out).map_err(|e| ExportError::io("cannot create", out, e));
    }
    if !out.is_dir() {
        return Err(ExportError::OutNotADirectory(out.to_path_buf()));
    }
    let mut entries = std::fs::read_dir(out).map_err(|e| ExportError::io("cannot list", out, e))?;
    if entries.next().is_none() {
        return Ok(());
    }
    if !out.join(MARKER).is_file() {
        return Err(ExportError::OutNotEmpty(out.to_path_buf()));
    }
    for name in OURS {
        let path = out.join(name);
        // symlink_metadata: a symlink is removed itself, never followed.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let removed = if meta.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| ExportError::io("cannot remove the earlier export's", &path, e))?;
    }
    Ok(())
}

/// Writes every file under `out`: the folders first, then the files on every core (creating
/// thousands of small files is mostly the kernel's work, which runs in parallel).
pub fn write(out: &Path, files: &[OutputFile]) -> Result<(), ExportError> {
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| out.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    for dir in dirs {
        std::fs::create_dir_all(&dir).map_err(|e| ExportError::io("cannot create", &dir, e))?;
    }
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let chunk = files.len().div_ceil(workers).max(1);
    thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().try_for_each(|f| {
                        let path = out.join(&f.path);
                        std::fs::write(&path, &f.bytes)
                            .map_err(|e| ExportError::io("cannot write", &path, e))
                    })
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(path: &str) -> Vec<OutputFile> {
        vec![OutputFile {
            path: path.into(),
            bytes: b"x".to_vec(),
        }]
    }

    #[test]
    fn refuses_a_folder_that_is_not_an_export() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.docx"), "mine").unwrap();
        assert!(matches!(
            prepare(dir.path()),
            Err(ExportError::OutNotEmpty(_))
        ));
        assert!(dir.path().join("thesis.docx").exists());
        let file = dir.path().join("thesis.docx");
        assert!(matches!(
            prepare(&file),
            Err(ExportError::OutNotADirectory(_))
        ));
    }

    #[test]
    fn replaces_an_earlier_export_and_keeps_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        prepare(&out).unwrap();
        write(&out, &one("artifacts/old-slug/index.html")).unwrap();
        write(&out, &one(MARKER)).unwrap();
        std::fs::write(out.join("CNAME"), "board.example.com").unwrap();
        prepare(&out).unwrap();
        assert!(
            !out.join("artifacts").exists(),
            "the earlier pages are gone"
        );
        assert!(out.join("CNAME").exists(), "other files stay");
    }
}
