//! A device's home directory: where it is, and opening its single redb store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, DatabaseError, StorageError as RedbStorageError};

use crate::error::EngineError;

/// The environment variable naming the home directory.
pub const HOME_ENV: &str = "COSOS_HOME";
/// The store's file name inside the home.
pub const STORE_FILE: &str = "cosos.redb";

/// The home directory: `--home`, else `COSOS_HOME`, else the platform data directory.
pub fn resolve(explicit: Option<&Path>) -> Result<PathBuf, EngineError> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::ProjectDirs::from("dev", "cosos", "cosos")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| EngineError::Home {
            path: "(platform data directory)".into(),
            reason: "no home directory could be determined; pass --home or set COSOS_HOME".into(),
        })
}

/// Creates the home if needed and opens its store, with errors a founder can act on.
pub fn open_store(home: &Path) -> Result<Arc<Database>, EngineError> {
    let shown = home.display().to_string();
    if home.exists() && !home.is_dir() {
        return Err(EngineError::Home {
            path: shown,
            reason: "it exists and is not a directory".into(),
        });
    }
    std::fs::create_dir_all(home).map_err(|e| EngineError::Home {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    let file = home.join(STORE_FILE);
    let db = Database::create(&file).map_err(|e| store_error(&file, e))?;
    Ok(Arc::new(db))
}

fn store_error(file: &Path, e: DatabaseError) -> EngineError {
    let path = file.display().to_string();
    match e {
        DatabaseError::DatabaseAlreadyOpen => EngineError::HomeInUse(
            file.parent()
                .map(|p| p.display().to_string())
                .unwrap_or(path),
        ),
        DatabaseError::Storage(RedbStorageError::Io(io))
            if io.kind() != std::io::ErrorKind::InvalidData =>
        {
            EngineError::Home {
                path,
                reason: io.to_string(),
            }
        }
        other => EngineError::CorruptStore {
            path,
            reason: other.to_string(),
        },
    }
}
