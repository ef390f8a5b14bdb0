//! Benchmark figures that artifacts compare against, each next to the source it must be cited
//! with, so a reader can check any number an artifact shows against where it came from.
//! One file per family of figures.

pub mod activation;
pub mod board;
pub mod dora;
pub mod feedback;
pub mod growth;
pub mod retention;

pub use growth::*;

use serde::Serialize;

/// A benchmark figure and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    /// The value as a fraction (0.044 = 4.4%) or plain number.
    pub value: f64,
    /// The citation to show next to it.
    pub source: &'static str,
}
