//! File names in the mirror: `<slug>.md`, unless the slug is not a safe file name (documents come
//! from other devices and clients) or another artifact has it too (two devices can give the same
//! slug offline). Then the slug (or `artifact`) gets the start of the document id, which is stable.

use std::collections::HashMap;

use crate::index_view::IndexView;

/// Longest slug used as it is.
const MAX_SLUG: usize = 80;

/// Every artifact's file name, both ways.
#[derive(Debug, Default)]
pub(super) struct FileNames {
    by_id: HashMap<String, String>,
    by_name: HashMap<String, String>,
}

impl FileNames {
    /// Names for every artifact of `index`; the earliest created keeps a shared slug.
    pub(super) fn of(index: &IndexView) -> FileNames {
        let mut entries: Vec<_> = index.artifacts.iter().collect();
        entries.sort_by(|a, b| (a.1.created_at, a.0).cmp(&(b.1.created_at, b.0)));
        let mut names = FileNames::default();
        for (id, entry) in entries {
            let safe = is_safe(&entry.slug);
            let base = if safe {
                entry.slug.as_str()
            } else {
                "artifact"
            };
            let mut name = format!("{base}.md");
            let mut len = 8;
            while !safe || names.by_name.contains_key(&name) {
                let tag: String = id.to_ascii_lowercase().chars().take(len).collect();
                name = format!("{base}-{tag}.md");
                if !names.by_name.contains_key(&name) || len >= id.len() {
                    break;
                }
                len += 4;
            }
            names.by_name.insert(name.clone(), id.clone());
            names.by_id.insert(id.clone(), name);
        }
        names
    }

    /// The file name of artifact `id`.
    pub(super) fn name(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(String::as_str)
    }

    /// The artifact whose file is `name`.
    pub(super) fn owner(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).map(String::as_str)
    }
}

/// Lowercase letters, digits and single dashes, as `slug::slugify` makes them.
fn is_safe(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::IndexEntry;

    fn index(rows: &[(&str, &str, i64)]) -> IndexView {
        let mut view = IndexView::default();
        for (id, slug, created_at) in rows {
            view.insert(
                id.to_string(),
                IndexEntry {
                    kind: "mrr_tracker".into(),
                    title: "t".into(),
                    slug: slug.to_string(),
                    created_at: *created_at,
                    archived: None,
                    updated_at: None,
                },
            );
        }
        view
    }

    #[test]
    fn slugs_are_the_names() {
        let names = FileNames::of(&index(&[("A1", "path-to-50k", 1), ("B2", "board-pack", 2)]));
        assert_eq!(names.name("A1"), Some("path-to-50k.md"));
        assert_eq!(names.owner("board-pack.md"), Some("B2"));
    }

    #[test]
    fn the_earlier_artifact_keeps_a_shared_slug() {
        let names = FileNames::of(&index(&[("Zlater99", "plan", 5), ("Aearly11", "plan", 1)]));
        assert_eq!(names.name("Aearly11"), Some("plan.md"));
        assert_eq!(names.name("Zlater99"), Some("plan-zlater99.md"));
    }

    #[test]
    fn unsafe_slugs_never_leave_the_folder() {
        let names = FileNames::of(&index(&[
            ("Id1aaaaaaaaa", "../../etc/passwd", 1),
            ("Id2bbbbbbbbb", ".hidden", 2),
            ("Id3ccccccccc", "", 3),
            ("Id4ddddddddd", "Upper", 4),
        ]));
        for id in [
            "Id1aaaaaaaaa",
            "Id2bbbbbbbbb",
            "Id3ccccccccc",
            "Id4ddddddddd",
        ] {
            let name = names.name(id).unwrap();
            assert!(name.starts_with("artifact-id"), "{name}");
            assert!(!name.contains('/'));
        }
    }
}
