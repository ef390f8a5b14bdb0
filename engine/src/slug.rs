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

/// The first of `base`, `base-2`, `base-3`... that `taken` does not contain.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2u64..)
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
        let taken = ["a", "a-2"];
        assert_eq!(unique("a", |s| taken.contains(&s)), "a-3");
        assert_eq!(unique("b", |s| taken.contains(&s)), "b");
    }
}
