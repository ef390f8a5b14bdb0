//! Where each page goes and how pages link to each other: only relative links (mdBook's
//! `path_to_root`), so the site opens from `file://` and from any sub-path of a web server.

use std::collections::HashSet;

use url::Url;

use crate::error::ExportError;

/// The longest folder name an artifact gets.
const MAX_SLUG: usize = 80;

/// Whether `slug` is safe as a folder name as is: lower-case ASCII letters, digits and inner '-'.
fn is_clean(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A folder-safe form of `slug` (documents come from other devices, so trust nothing).
fn clean(slug: &str) -> String {
    if is_clean(slug) {
        return slug.to_string();
    }
    let mut out = String::with_capacity(slug.len());
    for c in slug.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(MAX_SLUG).collect();
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "artifact".to_string()
    } else {
        out.to_string()
    }
}

/// One folder name per artifact, in order: its slug made safe, with `-2`, `-3`... on a clash.
pub fn folder_names<'a>(slugs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut used = HashSet::new();
    slugs
        .into_iter()
        .map(|slug| {
            let base = clean(slug);
            let mut name = base.clone();
            let mut n = 2;
            while used.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            used.insert(name.clone());
            name
        })
        .collect()
}

/// Opaque folder names for an encrypted export, where slugs would give titles away: `001`, ...
pub fn opaque_names(count: usize) -> Vec<String> {
    let width = count.to_string().len().max(3);
    (1..=count).map(|i| format!("{i:0width$}")).collect()
}

/// The prefix that leads from a page `depth` folders down back to the site root.
pub fn path_to_root(depth: usize) -> String {
    "../".repeat(depth)
}

/// The page of the artifact in `folder`, relative to the site root.
pub fn artifact_page(folder: &str) -> String {
    format!("artifacts/{folder}/index.html")
}

/// Checks `--base-url` and returns it ending in exactly one `/`.
pub fn base_url(raw: &str) -> Result<String, ExportError> {
    let bad = || ExportError::BadBaseUrl(raw.chars().take(200).collect());
    let url = Url::parse(raw.trim()).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad());
    }
    let text = url.as_str().trim_end_matches('/');
    Ok(format!("{text}/"))
}

/// Escapes text for an HTML or XML attribute or element (URLs keep their slashes readable):
/// the charts' escaping, so a page and its SVG agree.
pub use cosos_artifacts::render::chart::escape as escape_attr;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_become_safe_unique_folders() {
        let names = folder_names([
            "path-to-100k-mrr",
            "path-to-100k-mrr",
            "../../etc",
            "",
            "Ünïcode Title!",
            "path-to-100k-mrr-2",
            ".",
        ]);
        assert_eq!(
            names,
            [
                "path-to-100k-mrr",
                "path-to-100k-mrr-2",
                "etc",
                "artifact",
                "n-code-title",
                "path-to-100k-mrr-2-2",
                "artifact-2"
            ]
        );
        assert_eq!(clean(&"a".repeat(300)).len(), MAX_SLUG);
    }

    #[test]
    fn opaque_names_are_padded_and_sortable() {
        assert_eq!(opaque_names(3), ["001", "002", "003"]);
        assert_eq!(opaque_names(1000)[999], "1000");
        assert_eq!(opaque_names(1000)[0], "0001");
    }

    #[test]
    fn links_are_relative() {
        assert_eq!(path_to_root(0), "");
        assert_eq!(path_to_root(2), "../../");
        assert_eq!(artifact_page("x"), "artifacts/x/index.html");
    }

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(
            base_url("https://board.example.com").unwrap(),
            "https://board.example.com/"
        );
        assert_eq!(
            base_url("https://example.com/acme/q4//").unwrap(),
            "https://example.com/acme/q4/"
        );
        for bad in [
            "/relative",
            "ftp://x.example",
            "https://x.example/?a=1",
            "https://u:p@x.example",
            "javascript:alert(1)",
            "",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(escape_attr("a&b<\"'>/"), "a&amp;b&lt;&quot;&#39;&gt;/");
    }
}
