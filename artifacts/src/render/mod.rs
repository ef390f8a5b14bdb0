//! Rendering artifacts for people: Markdown now; HTML templates build on it.

pub mod chart;
pub mod cohort_chart;
pub mod funnel_chart;
pub mod headline;
pub mod live;
pub mod markdown;

pub use markdown::{ArtifactView, markdown};

/// Design tokens and base typography shared by the web app's and the static export's stylesheets.
pub const BASE_CSS: &str = include_str!("../../assets/base.css");
