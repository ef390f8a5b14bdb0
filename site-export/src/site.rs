//! Builds every file of a site in memory, in a fixed order, before anything touches the disk:
//! a broken template override then fails the export without leaving half a site behind.

use std::thread;

use serde::Serialize;
use tera::Context;

use crate::encrypt::{self, Sealer};
use crate::error::ExportError;
use crate::model::{ExportOptions, ExportedArtifact, Site, SiteArtifact};
use crate::page::{ArtifactPage, Markdown, index_markdown};
use crate::paths::{self, escape_attr};
use crate::templates::Templates;

/// The marker that lets the next export replace this one.
pub const MARKER: &str = ".cosos-export";

/// Policy for pages without scripts. No `default-src`: `'self'` does not reliably match other
/// `file://` files, and the stylesheet must load from there.
const PAGE_CSP: &str =
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; connect-src 'none'";

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A site rendered in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Every file, in a fixed order.
    pub files: Vec<OutputFile>,
    /// Where each artifact went.
    pub artifacts: Vec<ExportedArtifact>,
    /// Things the founder should know.
    pub warnings: Vec<String>,
    /// Whether pages are encrypted.
    pub encrypted: bool,
}

#[derive(Serialize)]
struct SiteInfo {
    name: String,
    as_of: String,
    as_of_iso: String,
}

/// OpenGraph and canonical data of a page, with `--base-url` only.
#[derive(Serialize)]
struct Meta {
    /// Absolute, pre-escaped.
    url: String,
    kind: &'static str,
    title: String,
    site_name: String,
    description: Option<String>,
}

#[derive(Serialize)]
struct Card {
    href: String,
    kind: String,
    title: String,
    headline: Option<String>,
    live: Option<String>,
    updated: String,
}

#[derive(Serialize)]
struct BookEntry<'a> {
    anchor: &'a str,
    title: &'a str,
    kind: &'a str,
    headline: Option<&'a str>,
    body: &'a str,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// One artifact's rendered pieces.
struct Piece {
    folder: String,
    page: ArtifactPage,
    body: String,
    html: String,
    markdown: Option<String>,
    json: Option<String>,
    warning: Option<String>,
}

/// What every page of one export shares.
struct Shared<'a> {
    templates: &'a Templates,
    site: SiteInfo,
    base: Option<String>,
    encrypted: bool,
}

impl Shared<'_> {
    fn context(&self, root: &str, nav: &str, meta: Option<Meta>) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("root", root);
        ctx.insert("nav", nav);
        ctx.insert("csp", PAGE_CSP);
        ctx.insert("meta", &meta);
        ctx
    }

    fn meta(
        &self,
        path: &str,
        kind: &'static str,
        title: &str,
        description: Option<String>,
    ) -> Option<Meta> {
        let base = self.base.as_deref()?;
        Some(Meta {
            url: escape_attr(&format!("{base}{path}")),
            kind,
            title: title.to_string(),
            site_name: self.site.name.clone(),
            description,
        })
    }

    fn piece(&self, a: &SiteArtifact, folder: &str) -> Result<Piece, ExportError> {
        let anchor = format!("artifact-{folder}");
        let full = Markdown::of(a);
        let (page, warning) = ArtifactPage::build(a, anchor, &full);
        let mut ctx = Context::new();
        ctx.insert("a", &page);
        let body = self.templates.render("artifact_body.html", &ctx)?;
        let description = page.headline.clone().or_else(|| Some(page.kind.clone()));
        let meta = self.meta(
            &format!("artifacts/{folder}/"),
            "article",
            &a.title,
            description,
        );
        let mut ctx = self.context(&paths::path_to_root(2), "artifact", meta);
        ctx.insert("a", &page);
        ctx.insert("body", &body);
        ctx.insert("downloads", &!self.encrypted);
        let html = self.templates.render("artifact.html", &ctx)?;
        let (markdown, json) = if self.encrypted {
            (None, None)
        } else {
            let json = serde_json::to_string_pretty(a).map_err(|source| ExportError::Json {
                id: a.id.clone(),
                source,
            })?;
            (Some(index_markdown(a, &full)), Some(json + "\n"))
        };
        Ok(Piece {
            folder: folder.to_string(),
            page,
            body,
            html,
            markdown,
            json,
            warning,
        })
    }
}

/// Renders the whole site of `site` with `options` (the output directory is not touched).
pub fn render(site: &Site, options: &ExportOptions) -> Result<Rendered, ExportError> {
    let templates = Templates::load(options.templates_dir.as_deref())?;
    let base = options
        .base_url
        .as_deref()
        .map(paths::base_url)
        .transpose()?;
    let sealer = options.passphrase.as_deref().map(Sealer::new).transpose()?;
    let encrypted = sealer.is_some();
    let folders = if encrypted {
        paths::opaque_names(site.artifacts.len())
    } else {
        paths::folder_names(site.artifacts.iter().map(|a| a.slug.as_str()))
    };
    let shared = Shared {
        templates: &templates,
        site: SiteInfo {
            name: site.name.clone(),
            as_of: options.as_of.format("%b %-d, %Y").to_string(),
            as_of_iso: options.as_of.to_string(),
        },
        base,
        encrypted,
    };
    let pieces = render_pieces(&shared, &site.artifacts, &folders)?;

    let mut pages: Vec<(String, String)> = Vec::with_capacity(pieces.len() + 2);
    pages.push(("index.html".into(), index_page(&shared, &pieces)?));
    pages.push(("board-book.html".into(), book_page(&shared, &pieces)?));
    let mut files = Vec::with_capacity(pieces.len() * 3 + 5);
    let mut warnings = templates.warnings.clone();
    let mut artifacts = Vec::with_capacity(pieces.len());
    for (piece, a) in pieces.into_iter().zip(&site.artifacts) {
        let dir = format!("artifacts/{}", piece.folder);
        if let Some(md) = piece.markdown {
            files.push(file(format!("{dir}/index.md"), md));
        }
        if let Some(json) = piece.json {
            files.push(file(format!("{dir}/artifact.json"), json));
        }
        warnings.extend(piece.warning);
        artifacts.push(ExportedArtifact {
            id: a.id.clone(),
            title: a.title.clone(),
            path: paths::artifact_page(&piece.folder),
        });
        pages.push((paths::artifact_page(&piece.folder), piece.html));
    }
    if let Some(sitemap) = sitemap(&shared, &artifacts, &site.artifacts)? {
        files.push(file("sitemap.xml".into(), sitemap));
    }
    for (path, html) in pages {
        let html = match &sealer {
            Some(sealer) => lock(&shared, sealer, &path, &html)?,
            None => html,
        };
        files.push(file(path, html));
    }
    files.push(file("assets/style.css".into(), templates.style.clone()));
    files.push(file(
        MARKER.into(),
        "A cosos export: the next `cosos export --out` to this folder replaces it.\n".into(),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        files,
        artifacts,
        warnings,
        encrypted,
    })
}

fn file(path: String, text: String) -> OutputFile {
    OutputFile {
        path,
        bytes: text.into_bytes(),
    }
}

/// Renders the artifacts on every core, keeping their order.
fn render_pieces(
    shared: &Shared<'_>,
    artifacts: &[SiteArtifact],
    folders: &[String],
) -> Result<Vec<Piece>, ExportError> {
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = artifacts.len().div_ceil(workers).max(1);
    let results: Vec<Result<Vec<Piece>, ExportError>> = thread::scope(|scope| {
        let handles: Vec<_> = artifacts
            .chunks(chunk)
            .zip(folders.chunks(chunk))
            .map(|(arts, names)| {
                scope.spawn(move || {
                    arts.iter()
                        .zip(names)
                        .map(|(a, folder)| shared.piece(a, folder))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut pieces = Vec::with_capacity(artifacts.len());
    for part in results {
        pieces.extend(part?);
    }
    Ok(pieces)
}

fn index_page(shared: &Shared<'_>, pieces: &[Piece]) -> Result<String, ExportError> {
    let cards: Vec<Card> = pieces
        .iter()
        .map(|p| Card {
            href: paths::artifact_page(&p.folder),
            kind: p.page.kind.clone(),
            title: p.page.title.clone(),
            headline: p.page.headline.clone(),
            live: p.page.live.clone(),
            updated: p.page.updated.clone(),
        })
        .collect();
    let description = format!("{} artifacts as of {}", cards.len(), shared.site.as_of);
    let meta = shared.meta("", "website", &shared.site.name, Some(description));
    let mut ctx = shared.context("", "index", meta);
    ctx.insert("cards", &cards);
    shared.templates.render("index.html", &ctx)
}

fn book_page(shared: &Shared<'_>, pieces: &[Piece]) -> Result<String, ExportError> {
    let entries: Vec<BookEntry<'_>> = pieces
        .iter()
        .map(|p| BookEntry {
            anchor: &p.page.anchor,
            title: &p.page.title,
            kind: &p.page.kind,
            headline: p.page.headline.as_deref(),
            body: &p.body,
        })
        .collect();
    let title = format!("Board book · {}", shared.site.name);
    let meta = shared.meta("board-book.html", "article", &title, None);
    let mut ctx = shared.context("", "book", meta);
    ctx.insert("entries", &entries);
    shared.templates.render("board-book.html", &ctx)
}

fn sitemap(
    shared: &Shared<'_>,
    exported: &[ExportedArtifact],
    artifacts: &[SiteArtifact],
) -> Result<Option<String>, ExportError> {
    let Some(base) = shared.base.as_deref() else {
        return Ok(None);
    };
    let mut urls = vec![
        SitemapUrl {
            loc: escape_attr(base),
            lastmod: None,
        },
        SitemapUrl {
            loc: escape_attr(&format!("{base}board-book.html")),
            lastmod: None,
        },
    ];
    for (e, a) in exported.iter().zip(artifacts) {
        let dir = e.path.trim_end_matches("index.html");
        urls.push(SitemapUrl {
            loc: escape_attr(&format!("{base}{dir}")),
            // An encrypted export gives away no dates either.
            lastmod: (!shared.encrypted)
                .then(|| a.updated_at.get(..10).map(str::to_string))
                .flatten(),
        });
    }
    let mut ctx = Context::new();
    ctx.insert("urls", &urls);
    shared.templates.render("sitemap.xml", &ctx).map(Some)
}

/// The page at `path` sealed inside `locked.html`.
fn lock(
    shared: &Shared<'_>,
    sealer: &Sealer,
    path: &str,
    html: &str,
) -> Result<String, ExportError> {
    let sealed = sealer.seal(path, html.as_bytes())?;
    let payload =
        serde_json::to_string(&sealed).map_err(|_| ExportError::Encrypt(path.to_string()))?;
    let depth = path.matches('/').count();
    let url_path = path.trim_end_matches("index.html");
    let meta = shared.meta(url_path, "website", "Protected page", None);
    let mut ctx = Context::new();
    ctx.insert("root", &paths::path_to_root(depth));
    ctx.insert("meta", &meta);
    ctx.insert("payload", &payload);
    ctx.insert("script", encrypt::UNLOCK_SCRIPT);
    ctx.insert(
        "csp",
        &format!(
            "script-src {}; object-src 'none'; base-uri 'none'; form-action 'none'; connect-src 'none'",
            encrypt::script_hash()
        ),
    );
    shared.templates.render("locked.html", &ctx)
}

#[cfg(test)]
#[path = "site_tests.rs"]
mod tests;
