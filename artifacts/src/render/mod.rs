//! Rendering artifacts for people: Markdown now; HTML templates build on it.

pub mod chart;
pub mod cohort_chart;
pub mod funnel_chart;
pub mod headline;
pub mod live;
pub mod markdown;

pub use markdown::{ArtifactView, markdown};
