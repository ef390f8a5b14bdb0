//! cosos-artifacts: prompt understanding and the artifact kinds.
//!
//! Everything here is a pure function of its inputs (prompt, context, today's date): no I/O, no
//! clock, no randomness, so every number can be tested against a hand-checked value.

pub mod benchmarks;
pub mod error;
pub mod format;
pub mod generate;
pub mod intent;
pub mod kinds;
pub mod model;
pub mod parse;
pub mod render;

pub use error::ArtifactError;
pub use generate::{Generated, Request, generate};
pub use model::{Context, GeneratorInfo, Goal, Kind, Params, Stage};
