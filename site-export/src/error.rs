//! Why an export failed.

use std::path::PathBuf;

/// An export error; each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The output directory holds files that are not an earlier export.
    #[error("{0} is not empty and holds no earlier cosos export; choose a new or empty directory")]
    OutNotEmpty(PathBuf),
    /// The output path exists and is not a directory.
    #[error("{0} exists and is not a directory")]
    OutNotADirectory(PathBuf),
    /// Reading or writing a file failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A template (embedded or an override) does not compile or render.
    #[error("template {file}: {message}")]
    Template {
        /// The template's file: the override's path, or the embedded template's name.
        file: String,
        /// Tera's message, with its causes.
        message: String,
    },
    /// `--base-url` is not an absolute http(s) URL.
    #[error(
        "--base-url must be an absolute http:// or https:// URL without query or fragment, not {0:?}"
    )]
    BadBaseUrl(String),
    /// The passphrase is empty.
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    /// Encryption failed (it does not, short of a bug in the cipher).
    #[error("cannot encrypt {0}")]
    Encrypt(String),
    /// Serialising an artifact to JSON failed.
    #[error("cannot write artifact {id} as JSON: {source}")]
    Json {
        /// The artifact.
        id: String,
        /// The cause.
        source: serde_json::Error,
    },
}

impl ExportError {
    /// An I/O error on `path`.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        ExportError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
