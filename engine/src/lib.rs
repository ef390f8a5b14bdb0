//! cosos-engine: documents, redb storage, the samod repo and local-only state.

pub mod clock;
pub mod edits;
pub mod error;
pub mod folder;
pub mod home;
pub mod index_view;
pub mod integrations;
pub mod json_tree;
pub mod llm;
pub mod local_state;
pub mod record;
pub mod schema;
pub mod serve_record;
pub mod slug;
pub mod storage;
pub mod sync;
pub mod workspace;

pub use clock::Clock;
pub use error::EngineError;
pub use record::{ArtifactRecord, ArtifactSummary, WorkspaceInfo};
pub use workspace::{ArtifactEdit, OpenOptions, Workspace};
