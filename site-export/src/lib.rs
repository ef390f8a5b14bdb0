//! cosos-site: a static site of cosos artifacts for a board or investors.
//!
//! It renders artifact values (it never opens a store): an index page, one page per artifact
//! with its sections, tables and inline SVG charts (plus its Markdown and JSON), a printable
//! board book, and with a base URL a sitemap and OpenGraph tags. Links are relative, so the site
//! opens from `file://` at any depth and from any sub-path; nothing is fetched from the network;
//! the same input gives byte-identical files. With a passphrase, every page is encrypted and
//! decrypts in the browser (see [`encrypt`]); such exports differ on every run (random salt and
//! nonces).

#![warn(missing_docs)]

pub mod encrypt;
pub mod error;
pub mod markdown;
pub mod model;
mod page;
mod paths;
pub mod sample;
pub mod site;
mod templates;
mod write;

pub use error::ExportError;
pub use model::{
    ExportOptions, ExportReport, ExportedArtifact, Site, SiteArtifact, SiteContext, SiteGenerator,
};
pub use site::{OutputFile, Rendered, render};

/// Renders `site` and writes it to `options.out`.
pub fn export(site: &Site, options: &ExportOptions) -> Result<ExportReport, ExportError> {
    let rendered = render(site, options)?;
    write::prepare(&options.out)?;
    write::write(&options.out, &rendered.files)?;
    Ok(ExportReport {
        out: options.out.display().to_string(),
        encrypted: rendered.encrypted,
        artifacts: rendered.artifacts,
        files: rendered.files.len(),
        warnings: rendered.warnings,
    })
}
