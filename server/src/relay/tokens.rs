//! Relay access tokens: one workspace each, stored only as SHA-256 hashes in `tokens.json` in the
//! relay's data directory.
//!
//! The file, not the relay's redb store, holds them so that `cosos relay token add/revoke` work
//! while the relay runs (redb locks its file for one process). Changes are read-modify-write under
//! an exclusive lock on `tokens.lock` and replace the file atomically; the relay notices a change
//! by its modification time and length. A token is 32 random bytes, so a plain SHA-256 is as hard
//! to reverse as the token is to guess: no slow hash is needed.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use cosos_engine::serve_record::write_private;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

/// The token file's name in the data directory.
pub const FILE: &str = "tokens.json";
/// Prefix that makes a cosos relay token recognisable (to people and secret scanners).
pub const PREFIX: &str = "cosr_";
/// Longest workspace name.
const MAX_NAME: usize = 64;

/// What can go wrong with the token file.
#[derive(Debug, Error)]
pub enum TokenError {
    /// A workspace name that cannot be a storage namespace.
    #[error(
        "invalid workspace name {0:?}: use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit"
    )]
    InvalidName(String),
    /// No token with this id.
    #[error("no token with id {0:?} (see `cosos relay token list`)")]
    UnknownId(String),
    /// The file could not be read or written.
    #[error("cannot {action} {path}: {reason}")]
    Io {
        /// read, write, lock...
        action: &'static str,
        /// The file.
        path: String,
        /// The OS error.
        reason: String,
    },
    /// The file is not a token file we can read; it is left as it is.
    #[error("{path} is not a valid token file ({reason}); fix or remove it")]
    Corrupt {
        /// The file.
        path: String,
        /// The parse error.
        reason: String,
    },
}

/// One token as stored: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Short public id (the first 12 hex digits of the hash), for listing and revoking.
    pub id: String,
    /// The workspace the token opens.
    pub workspace: String,
    /// Hex SHA-256 of the token.
    pub sha256: String,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFileBody {
    version: u32,
    tokens: Vec<TokenRecord>,
}

/// The token file of one data directory.
#[derive(Debug, Clone)]
pub struct TokenFile {
    dir: PathBuf,
}

impl TokenFile {
    /// The token file in `dir` (created on the first `add`).
    pub fn new(dir: &Path) -> TokenFile {
        TokenFile {
            dir: dir.to_path_buf(),
        }
    }

    /// The file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    /// Adds a token for `workspace`; returns the token (shown once, never stored) and its record.
    pub fn add(
        &self,
        workspace: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, TokenRecord), TokenError> {
        validate_name(workspace)?;
        let bytes: [u8; 32] = rand::random();
        let token = format!("{PREFIX}{}", hex::encode(bytes));
        let sha256 = hash(&token);
        let record = TokenRecord {
            id: sha256[..12].to_string(),
            workspace: workspace.to_string(),
            sha256,
            created_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            revoked_at: None,
        };
        let stored = record.clone();
        self.update(move |body| {
            body.tokens.push(stored);
            Ok(())
        })?;
        Ok((token, record))
    }

    /// Every token, revoked ones included, oldest first.
    pub fn list(&self) -> Result<Vec<TokenRecord>, TokenError> {
        Ok(self.read()?.tokens)
    }

    /// Revokes the token with this id (revoking twice is fine).
    pub fn revoke(&self, id: &str, now: DateTime<Utc>) -> Result<TokenRecord, TokenError> {
        let id = id.trim().to_string();
        self.update(move |body| {
            let record = body
                .tokens
                .iter_mut()
                .find(|t| t.id == id)
                .ok_or_else(|| TokenError::UnknownId(id.chars().take(40).collect()))?;
            if record.revoked_at.is_none() {
                record.revoked_at = Some(now.to_rfc3339_opts(SecondsFormat::Secs, true));
            }
            Ok(record.clone())
        })
    }

    /// The live (unrevoked) tokens, for the relay.
    pub fn live(&self) -> Result<Vec<TokenRecord>, TokenError> {
        Ok(self
            .read()?
            .tokens
            .into_iter()
            .filter(|t| t.revoked_at.is_none())
            .collect())
    }

    /// What identifies the file's current version cheaply: modification time and length.
    pub fn stamp(&self) -> Option<(std::time::SystemTime, u64)> {
        let meta = std::fs::metadata(self.path()).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    }

    fn read(&self) -> Result<TokenFileBody, TokenError> {
        let path = self.path();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(TokenFileBody::default());
            }
            Err(e) => return Err(io_err("read", &path, &e)),
        };
        serde_json::from_slice(&bytes).map_err(|e| TokenError::Corrupt {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Read-modify-write under the lock file, so two CLI calls never lose each other's change.
    fn update<T>(
        &self,
        change: impl FnOnce(&mut TokenFileBody) -> Result<T, TokenError>,
    ) -> Result<T, TokenError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_err("create", &self.dir, &e))?;
        let lock_path = self.dir.join("tokens.lock");
        let lock = File::create(&lock_path).map_err(|e| io_err("open", &lock_path, &e))?;
        lock.lock().map_err(|e| io_err("lock", &lock_path, &e))?;
        let mut body = self.read()?;
        let out = change(&mut body)?;
        body.version = 1;
        let bytes = serde_json::to_vec_pretty(&body).map_err(|e| TokenError::Corrupt {
            path: self.path().display().to_string(),
            reason: e.to_string(),
        })?;
        write_private(&self.path(), &bytes).map_err(|e| io_err("write", &self.path(), &e))?;
        Ok(out)
    }
}

/// Hex SHA-256 of a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A workspace name is a storage namespace component and appears in logs: keep it plain.
pub fn validate_name(name: &str) -> Result<(), TokenError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(TokenError::InvalidName(
            name.chars().take(MAX_NAME).collect(),
        ))
    }
}

fn io_err(action: &'static str, path: &Path, err: &std::io::Error) -> TokenError {
    TokenError::Io {
        action,
        path: path.display().to_string(),
        reason: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap()
    }

    #[test]
    fn adds_lists_and_revokes_storing_only_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let file = TokenFile::new(dir.path());
        let (token, record) = file.add("acme", now()).unwrap();
        assert!(token.starts_with(PREFIX) && token.len() == PREFIX.len() + 64);
        assert_eq!(record.sha256, hash(&token));
        let raw = std::fs::read_to_string(file.path()).unwrap();
        assert!(
            !raw.contains(&token[PREFIX.len()..]),
            "the token itself is never stored"
        );
        assert_eq!(file.live().unwrap(), vec![record.clone()]);
        let revoked = file.revoke(&record.id, now()).unwrap();
        assert!(revoked.revoked_at.is_some());
        assert!(file.live().unwrap().is_empty());
        assert_eq!(file.list().unwrap().len(), 1);
        assert!(matches!(
            file.revoke("nope", now()),
            Err(TokenError::UnknownId(_))
        ));
    }

    #[test]
    fn rejects_bad_names_and_keeps_a_corrupt_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = TokenFile::new(dir.path());
        for bad in ["", "Acme", "a/b", "-x", "x y", &"a".repeat(65)] {
            assert!(
                matches!(file.add(bad, now()), Err(TokenError::InvalidName(_))),
                "{bad}"
            );
        }
        std::fs::write(file.path(), b"{not json").unwrap();
        assert!(matches!(
            file.add("acme", now()),
            Err(TokenError::Corrupt { .. })
        ));
        assert_eq!(std::fs::read(file.path()).unwrap(), b"{not json");
    }

    #[test]
    fn concurrent_adds_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let file = TokenFile::new(dir.path());
                std::thread::spawn(move || file.add("acme", now()).unwrap())
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(TokenFile::new(dir.path()).list().unwrap().len(), 8);
    }
}
