//! The record a long-running command leaves in the home, so that other commands on the same home
//! go through it instead of failing on the store's lock: its address and a random access token.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The record's file name inside the home.
pub const FILE: &str = "serve.json";

/// Where a running cosos process serves its local API, and the token it expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServeRecord {
    /// `http://127.0.0.1:7878`.
    pub url: String,
    /// Bearer token for the local API.
    pub token: String,
    /// The serving process.
    pub pid: u32,
}

impl ServeRecord {
    /// A record for this process with a fresh random token.
    pub fn new(url: String) -> ServeRecord {
        ServeRecord {
            url,
            token: new_token(),
            pid: std::process::id(),
        }
    }

    /// Writes the record atomically, readable by the owner only (it holds a secret).
    pub fn write(&self, home: &Path) -> Result<(), EngineError> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| home_err(home, e.to_string()))?;
        write_private(&path(home), &bytes).map_err(|e| home_err(home, e.to_string()))
    }

    /// Reads the record, if a server left one that still parses.
    pub fn read(home: &Path) -> Option<ServeRecord> {
        let bytes = std::fs::read(path(home)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Removes the record if it is still ours (a newer server may have replaced it).
    pub fn remove(&self, home: &Path) {
        if ServeRecord::read(home).is_some_and(|r| r.pid == self.pid && r.token == self.token) {
            let _ = std::fs::remove_file(path(home));
        }
    }
}

/// The record's path.
pub fn path(home: &Path) -> PathBuf {
    home.join(FILE)
}

/// 32 random bytes as hex: unguessable, and safe in headers and URLs.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces `target` atomically (write a temporary file, sync, rename) with `bytes`, readable by
/// the owner only: for files holding secrets or their hashes.
pub fn write_private(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = open_private(&tmp)?;
    file.write_all(bytes).and_then(|_| file.sync_all())?;
    std::fs::rename(&tmp, target)
}

#[cfg(unix)]
fn open_private(p: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(p)
}

#[cfg(not(unix))]
fn open_private(p: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(p)
}

fn home_err(home: &Path, reason: String) -> EngineError {
    EngineError::Home {
        path: home.display().to_string(),
        reason: format!("cannot write {FILE}: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_private_and_reads_back() {
        let home = tempfile::tempdir().unwrap();
        let record = ServeRecord::new("http://127.0.0.1:1".into());
        record.write(home.path()).unwrap();
        assert_eq!(ServeRecord::read(home.path()), Some(record.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path(home.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = ServeRecord::new("http://127.0.0.1:2".into());
        other.remove(home.path());
        assert!(
            ServeRecord::read(home.path()).is_some(),
            "someone else's record stays"
        );
        record.remove(home.path());
        assert!(ServeRecord::read(home.path()).is_none());
        assert_eq!(new_token().len(), 64);
    }
}
