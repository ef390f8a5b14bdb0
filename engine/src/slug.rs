//! Slugs: readable, file-name-safe and unique within a workspace, fixed at creation.

/// The longest slug, so file names stay comfortable in any editor's tab.
const MAX_LEN: usize = 60;

/// `Path to $50k MRR by June 2027` -> `path-to-50k-mrr-by-june-2027`.
pub fn slugify(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= MAX_LEN {
            break;
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "artifact".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `base-7` -> (`base`, 7); `None` for a slug without a numeric suffix.
pub fn numbered(slug: &str) -> Option<(&str, u64)> {
    let (base, n) = slug.rsplit_once('-')?;
    if base.is_empty() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((base, n.parse().ok()?))
}

/// `base` if `taken` does not contain it, else the first free `base-N` with N above `highest`
/// (the highest number known to be in use for `base`, so a thousand artifacts with one title
/// do not probe a thousand candidates each).
pub fn unique(base: &str, highest: u64, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (highest.max(1) + 1..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken(s))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies() {
        assert_eq!(
            slugify("Path to $50k MRR by June 2027"),
            "path-to-50k-mrr-by-june-2027"
        );
        assert_eq!(slugify("  <script>  "), "script");
        assert_eq!(slugify("日本語"), "artifact");
        assert!(slugify(&"a".repeat(500)).len() <= MAX_LEN);
    }

    #[test]
    fn makes_unique() {
        let taken = ["a", "a-2", "a-5"];
        assert_eq!(unique("a", 0, |s| taken.contains(&s)), "a-3");
        assert_eq!(unique("a", 5, |s| taken.contains(&s)), "a-6");
        assert_eq!(unique("a", 1, |s| taken.contains(&s)), "a-3");
        assert_eq!(unique("b", 9, |s| taken.contains(&s)), "b");
    }

    #[test]
    fn splits_numbered_slugs() {
        assert_eq!(numbered("path-to-50k-12"), Some(("path-to-50k", 12)));
        assert_eq!(numbered("path-to-50k"), None);
        assert_eq!(numbered("-3"), None);
        assert_eq!(numbered("a-"), None);
        assert_eq!(numbered("a-99999999999999999999999"), None);
    }
}
