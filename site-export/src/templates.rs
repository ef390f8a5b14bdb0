//! The page templates: embedded in the binary and compiled once; a folder may override any of
//! them by file name (as Zola and mdBook themes do), and then this export compiles its own set.
//!
//! Tera autoescapes every `.html` and `.xml` template, so user text is escaped unless a template
//! marks it `safe`; only HTML this crate built itself (sanitised Markdown, SVG charts, relative
//! paths, pre-escaped URLs) is.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use tera::{Context, Tera};

use crate::error::ExportError;

/// Every template, by the file name an override uses.
const EMBEDDED: [(&str, &str); 7] = [
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("artifact.html", include_str!("../templates/artifact.html")),
    (
        "artifact_body.html",
        include_str!("../templates/artifact_body.html"),
    ),
    (
        "board-book.html",
        include_str!("../templates/board-book.html"),
    ),
    ("locked.html", include_str!("../templates/locked.html")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
];

/// The export's own stylesheet rules, copied to `assets/style.css` after the shared base (not a
/// template: it is copied as is; an override replaces both).
const STYLE: (&str, &str) = ("style.css", include_str!("../templates/style.css"));

/// The embedded set, compiled on first use; one `add_raw_templates` call, so a child template is
/// never added before its parent.
static DEFAULT: LazyLock<Result<Tera, String>> = LazyLock::new(|| {
    let mut tera = Tera::default();
    tera.add_raw_templates(EMBEDDED).map_err(|e| chain(&e))?;
    Ok(tera)
});

/// The templates and stylesheet of one export.
pub struct Templates {
    tera: Cow<'static, Tera>,
    /// Template name -> the override file it came from.
    overridden: BTreeMap<String, PathBuf>,
    /// The stylesheet's text.
    pub style: String,
    /// Files in the override folder that override nothing.
    pub warnings: Vec<String>,
}

impl Templates {
    /// The embedded templates, with the files of `dir` (when it exists) in place of their namesakes.
    pub fn load(dir: Option<&Path>) -> Result<Templates, ExportError> {
        let default = DEFAULT.as_ref().map_err(|message| ExportError::Template {
            file: "embedded templates".into(),
            message: message.clone(),
        })?;
        let mut templates = Templates {
            tera: Cow::Borrowed(default),
            overridden: BTreeMap::new(),
            style: format!("{}{}", cosos_artifacts::render::BASE_CSS, STYLE.1),
            warnings: Vec::new(),
        };
        let Some(dir) = dir.filter(|d| d.is_dir()) else {
            return Ok(templates);
        };
        let mut sources: BTreeMap<String, String> = EMBEDDED
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        for (name, path) in override_files(dir)? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ExportError::io("cannot read the template", &path, e))?;
            if name == STYLE.0 {
                templates.style = text;
            } else if sources.contains_key(&name) {
                // Parsed alone first, so a syntax error names its own file.
                tera::Template::new(&name, None, &text).map_err(|e| ExportError::Template {
                    file: path.display().to_string(),
                    message: format!("syntax error {}", chain(&e)),
                })?;
                sources.insert(name.clone(), text);
                templates.overridden.insert(name, path);
            } else {
                templates.warnings.push(format!(
                    "{} overrides no template (the templates are {} and {})",
                    path.display(),
                    EMBEDDED.map(|e| e.0).join(", "),
                    STYLE.0
                ));
            }
        }
        if templates.overridden.is_empty() {
            return Ok(templates);
        }
        let mut tera = Tera::default();
        tera.add_raw_templates(sources)
            .map_err(|e| templates.error(None, &e))?;
        templates.tera = Cow::Owned(tera);
        Ok(templates)
    }

    /// Renders template `name`; an error names the file (the override's path when there is one).
    pub fn render(&self, name: &str, context: &Context) -> Result<String, ExportError> {
        self.tera
            .render(name, context)
            .map_err(|e| self.error(Some(name), &e))
    }

    fn error(&self, rendering: Option<&str>, e: &tera::Error) -> ExportError {
        let message = chain(e);
        // The override whose name tera quotes, else the template being rendered.
        let file = self
            .overridden
            .iter()
            .find(|(name, _)| message.contains(&format!("'{name}'")))
            .map(|(_, path)| path.display().to_string())
            .or_else(|| {
                rendering.map(|n| {
                    self.overridden
                        .get(n)
                        .map_or_else(|| n.to_string(), |p| p.display().to_string())
                })
            })
            .unwrap_or_else(|| "templates".to_string());
        ExportError::Template { file, message }
    }
}

/// The regular files of `dir`, by name, in name order.
fn override_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, ExportError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| ExportError::io("cannot list templates in", dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ExportError::io("cannot list templates in", dir, e))?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            files.push((name.to_string(), path.clone()));
        }
    }
    files.sort();
    Ok(files)
}

/// Tera's message with every cause, on one line.
fn chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.replace('\n', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_templates_compile() {
        assert!(DEFAULT.is_ok(), "{:?}", DEFAULT.as_ref().err());
        let t = Templates::load(None).unwrap();
        assert!(t.overridden.is_empty());
        assert!(t.style.contains("@media print"));
    }

    #[test]
    fn an_override_replaces_its_namesake_and_strays_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "Custom {{ site.name }}").unwrap();
        std::fs::write(dir.path().join("style.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("indx.html"), "typo").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let mut ctx = Context::new();
        ctx.insert("site", &serde_json::json!({"name": "<Acme>"}));
        assert_eq!(t.render("index.html", &ctx).unwrap(), "Custom &lt;Acme&gt;");
        assert_eq!(t.style, "body{}");
        assert_eq!(t.warnings.len(), 1);
        assert!(
            t.warnings[0].contains("indx.html overrides no template"),
            "{:?}",
            t.warnings
        );
    }

    #[test]
    fn a_broken_override_names_its_file_and_tera_s_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("artifact.html"),
            "{% extends \"base.html\" %}{% block content %}{{ a.title }",
        )
        .unwrap();
        let Err(ExportError::Template { file, message }) = Templates::load(Some(dir.path())) else {
            panic!("a syntax error must fail");
        };
        assert!(
            file.ends_with("artifact.html") && file.contains(&dir.path().display().to_string()),
            "{file}"
        );
        assert!(
            message.starts_with("syntax error --> 1:56") && message.contains("expected"),
            "{message}"
        );

        std::fs::write(dir.path().join("artifact.html"), "{{ nothing.here }}").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let Err(ExportError::Template { file, message }) =
            t.render("artifact.html", &Context::new())
        else {
            panic!("a missing variable must fail");
        };
        assert!(file.ends_with("artifact.html"), "{file}");
        assert!(message.contains("nothing.here"), "{message}");

        std::fs::write(
            dir.path().join("artifact.html"),
            "{% extends \"nowhere.html\" %}",
        )
        .unwrap();
        let Err(ExportError::Template { file, message }) = Templates::load(Some(dir.path())) else {
            panic!("a missing parent must fail");
        };
        assert!(file.ends_with("artifact.html"), "{file}");
        assert!(message.contains("nowhere.html"), "{message}");
    }
}
