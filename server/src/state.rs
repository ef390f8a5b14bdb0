//! The state every handler shares.

use std::path::PathBuf;

use cosos_engine::Workspace;

/// The largest request body the API reads, in bytes; artifacts are small, so 1 MiB is generous.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Shared handler state: a cheap-to-clone handle on the open workspace.
#[derive(Clone)]
pub struct AppState {
    /// The workspace the API serves.
    pub workspace: Workspace,
    /// The folder this process keeps mirrored (`serve --folder`), shown in Settings.
    pub folder: Option<PathBuf>,
}

impl AppState {
    /// State serving `workspace`.
    pub fn new(workspace: Workspace) -> AppState {
        AppState {
            workspace,
            folder: None,
        }
    }

    /// The same state, saying which folder is mirrored alongside.
    pub fn with_folder(self, folder: Option<PathBuf>) -> AppState {
        AppState { folder, ..self }
    }
}
