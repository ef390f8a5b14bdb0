//! One mirrored file: YAML front matter (`id`, `kind`, `title`), then the artifact's Markdown.
//! Rendering is deterministic; parsing reads back only what the founder may edit: the title (front
//! matter or H1), the `## Notes` section and the `- [ ]`/`- [x]` next-action checkboxes.

use serde::Serialize;
use serde_norway::Value;

use super::FolderError;

/// The heading that starts the founder's notes; everything after it is notes.
const NOTES_HEADING: &str = "## Notes";
/// The heading of the next-action checkboxes.
const ACTIONS_HEADING: &str = "## Next actions";

/// The front matter as written: field order is the file's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontMatter {
    /// The artifact's document id.
    pub id: String,
    /// The artifact's kind.
    pub kind: String,
    /// The title.
    pub title: String,
}

/// What a mirrored file says, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// The document id from the front matter.
    pub id: String,
    /// The kind from the front matter, if given.
    pub kind: Option<String>,
    /// The title from the front matter, if given.
    pub front_title: Option<String>,
    /// The text of the first `# ` heading, if any.
    pub h1: Option<String>,
    /// The `## Notes` section (trimmed), or `None` when the heading is gone.
    pub notes: Option<String>,
    /// The next-action checkboxes in file order: (ticked, text).
    pub actions: Vec<(bool, String)>,
    /// The body without its first `# ` line, normalised (see [`untitled_body`]), for comparing
    /// the generated text against a rendering; the title may be edited in either place.
    pub untitled_body: String,
}

/// Renders a file: front matter, a blank line, then `body` ending in exactly one newline.
pub fn render(front: &FrontMatter, body: &str) -> Result<String, FolderError> {
    let yaml = serde_norway::to_string(front)
        .map_err(|e| FolderError::Render(format!("front matter: {e}")))?;
    Ok(format!("---\n{yaml}---\n\n{}\n", body.trim_end()))
}

/// True when the file starts like one of ours (a `---` line); other Markdown in the folder, such
/// as a README, is left alone without complaint.
pub fn has_front_matter(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.starts_with("---\n") || text.starts_with("---\r\n")
}

/// Reads a file back. Errors name what is wrong in words a founder can act on.
pub fn parse(text: &str) -> Result<ParsedFile, FolderError> {
    // Only line endings are normalised here: trailing spaces in the notes are the founder's.
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| broken("the file does not start with a `---` front matter line"))?;
    let (yaml, body) = match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => match rest.strip_suffix("\n---") {
            Some(yaml) => (yaml, ""),
            None => return Err(broken("the front matter has no closing `---` line")),
        },
    };
    let value: Value = serde_norway::from_str(yaml)
        .map_err(|e| broken(&format!("the front matter is not valid YAML ({e})")))?;
    let Value::Mapping(map) = value else {
        return Err(broken(
            "the front matter is not a list of `key: value` lines",
        ));
    };
    let field = |name: &str| map.get(name).and_then(scalar_text);
    let id = field("id").ok_or_else(|| broken("the front matter has no `id`"))?;
    let untitled_body = untitled_body(body);
    Ok(ParsedFile {
        id,
        kind: field("kind"),
        front_title: field("title"),
        h1: title_line(body).map(|(_, t)| t.to_string()),
        notes: notes_of(body),
        actions: actions_of(body),
        untitled_body,
    })
}

/// A Markdown body without its first `# ` line, normalised.
pub fn untitled_body(body: &str) -> String {
    let mut lines: Vec<&str> = body.lines().collect();
    if let Some((at, _)) = title_line(body) {
        lines.remove(at);
    }
    normalise(&lines.join("\n"))
}

/// The title heading: the first `# ` line above the first section, so a `# ` heading in the
/// notes is never taken for the title. Its line number and text.
fn title_line(body: &str) -> Option<(usize, &str)> {
    body.lines()
        .take_while(|l| !l.starts_with("## "))
        .enumerate()
        .find_map(|(i, l)| l.strip_prefix("# ").map(|t| (i, t.trim())))
}

/// Line endings as LF, no byte-order mark, no leading blank lines or trailing spaces, one final
/// newline: editors differ in all of these, and none of them is an edit.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: String = text
        .trim_start_matches(['\r', '\n'])
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn broken(why: &str) -> FolderError {
    FolderError::BrokenFile(why.to_string())
}

/// A scalar as text: YAML reads `title: 2027` as a number and `title: yes` as a bool.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn notes_of(body: &str) -> Option<String> {
    let mut lines = body.split_inclusive('\n');
    let mut offset = 0;
    for line in lines.by_ref() {
        offset += line.len();
        if line.trim_end() == NOTES_HEADING {
            return Some(body[offset..].trim().to_string());
        }
    }
    None
}

fn actions_of(body: &str) -> Vec<(bool, String)> {
    body.lines()
        .skip_while(|l| l.trim_end() != ACTIONS_HEADING)
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let item = l
                .trim_start()
                .strip_prefix("- [")
                .or_else(|| l.trim_start().strip_prefix("* ["))?;
            let (mark, text) = item.split_at_checked(1)?;
            let text = text.strip_prefix("] ")?;
            let done = match mark {
                " " => false,
                "x" | "X" => true,
                _ => return None,
            };
            Some((done, text.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
