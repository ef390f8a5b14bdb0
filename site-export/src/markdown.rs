//! Markdown to safe HTML for export pages, and Markdown with raw HTML neutralised for `index.md`.
//!
//! Two kinds of Markdown reach a page. Artifact sections are built by cosos but quote words the
//! founder typed (titles, challenges, event names): their raw HTML becomes text, as on the web app.
//! Notes are the founder's own Markdown: raw HTML is allowed there, then the HTML is cleaned by
//! ammonia. Both pass through ammonia with the same policy, which also drops `javascript:` links
//! and anything that would fetch from the network (images, relative or protocol-relative URLs).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

/// The one sanitising policy: ammonia's defaults minus images, no relative URLs, table alignment
/// as classes (a strict CSP forbids `style`).
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.rm_tags(["img"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"));
    for cell in ["td", "th"] {
        b.add_allowed_classes(cell, ["align-left", "align-center", "align-right"]);
    }
    b
});

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders cosos-built Markdown (artifact sections, live data). It quotes words the founder typed,
/// so raw HTML becomes text and a link or image whose target is not http(s), mailto or relative
/// keeps only its text; pulldown-cmark escapes everything else, so no HTML sanitiser is needed.
pub fn sections_to_html(markdown: &str) -> String {
    let mut dropped = Vec::new();
    let parser = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { ref dest_url, .. })
        | Event::Start(Tag::Image { ref dest_url, .. }) => {
            let drop = matches!(event, Event::Start(Tag::Image { .. })) || !safe_url(dest_url);
            dropped.push(drop);
            (!drop).then_some(event)
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            (!dropped.pop().unwrap_or(false)).then_some(event)
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    align_classes(&out)
}

/// Renders the founder's notes: safe HTML is kept, everything else is removed by ammonia.
pub fn notes_to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options()));
    CLEANER.clean(&align_classes(&out)).to_string()
}

/// pulldown-cmark aligns table cells with `style`, which a strict CSP forbids: a class instead.
/// Text cannot fake the attribute: its quotes are escaped.
fn align_classes(html: &str) -> String {
    html.replace(" style=\"text-align: ", " class=\"align-")
}

/// Makes `markdown` safe to open in any Markdown viewer and leaves the rest alone: every raw HTML
/// span is escaped (`<` `>` `&` become entities, so it shows as text), and a link to anything but
/// http(s), mailto or a relative target becomes its plain text. Code spans stay verbatim.
pub fn neutralise_html(markdown: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut link: Option<(Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if link.is_none() && !safe_url(&dest_url) => {
                link = Some((range, String::new()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((range, text)) = link.take() {
                    edits.push((range, escape_text(&text)));
                }
            }
            Event::Text(t) | Event::Code(t) if link.is_some() => {
                if let Some((_, text)) = link.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if link.is_none() => {
                edits.push((range.clone(), escape_html(&markdown[range])));
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(markdown.len());
    let mut done = 0;
    for (range, replacement) in edits {
        if range.start < done {
            continue;
        }
        out.push_str(&markdown[done..range.start]);
        out.push_str(&replacement);
        done = range.end;
    }
    out.push_str(&markdown[done..]);
    out
}

/// http(s), mailto, or no scheme at all (relative, `#anchor`).
fn safe_url(url: &str) -> bool {
    let url = url.trim();
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => {
            matches!(
                url[..colon].to_ascii_lowercase().as_str(),
                "http" | "https" | "mailto"
            )
        }
        _ => true,
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text that Markdown shows as is.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_html(text).chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTACK: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    #[test]
    fn section_html_becomes_text() {
        let html = sections_to_html(&format!("# {ATTACK}\n\nHi <b>there</b>\n"));
        assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn section_links_keep_only_safe_targets_and_images_go() {
        let html = sections_to_html(
            "[a](javascript:alert(1)) [b](https://x.example) ![c](https://t.example/p.gif) [d](x.md)\n",
        );
        assert!(
            !html.contains("javascript") && !html.contains("<img") && !html.contains("t.example"),
            "{html}"
        );
        assert!(
            html.starts_with("<p>a <a href=\"https://x.example\">b</a> c <a href=\"x.md\">d</a>"),
            "{html}"
        );
    }

    #[test]
    fn tables_keep_their_alignment_as_a_class() {
        let html = sections_to_html("| A | B |\n|---|---:|\n| 1 | 2 |\n");
        assert!(html.contains("<td class=\"align-right\">2</td>"), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn notes_keep_safe_html_and_lose_the_rest() {
        let html = notes_to_html(&format!(
            "Board wants *this* weekly<br>\n\n{ATTACK}\n\n[x](javascript:alert(3)) [y](https://example.com) \
             [z](/etc/passwd) ![i](https://tracker.example/p.gif)\n\n<a href=\"//evil.example\">w</a>\n"
        ));
        assert!(
            html.contains("<em>this</em>") && html.contains("<br>"),
            "{html}"
        );
        for banned in [
            "<script",
            "onerror",
            "<img",
            "javascript:",
            "/etc/passwd",
            "//evil",
            "tracker",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(
            html.contains("<a href=\"https://example.com\" rel=\"noopener noreferrer\">y</a>"),
            "{html}"
        );
    }

    #[test]
    fn index_md_html_is_neutralised_but_code_is_not() {
        let md = format!(
            "# {ATTACK}\n\n> a <b>b</b> & c\n\n| `<script>` |\n|---|\n\n<div>\nblock\n</div>\n"
        );
        let safe = neutralise_html(&md);
        assert!(!safe.contains("<script>alert"), "{safe}");
        assert!(
            safe.contains(
                "# &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
            ),
            "{safe}"
        );
        assert!(safe.contains("> a &lt;b&gt;b&lt;/b&gt; & c"), "{safe}");
        assert!(
            safe.contains("| `<script>` |"),
            "code spans are left verbatim: {safe}"
        );
        assert!(safe.contains("&lt;div&gt;"), "{safe}");
        assert_eq!(neutralise_html("plain *text*\n"), "plain *text*\n");
    }

    #[test]
    fn index_md_links_keep_only_safe_schemes() {
        let md = "[a](javascript:alert(1)) [b *c*](JavaScript:x) <javascript:alert(2)> [d](https://e.example) \
                  [f](../x.md) [g][r] [mail](mailto:x@y.example)\n\n[r]: vbscript:msgbox\n";
        let safe = neutralise_html(md);
        // Unsafe links become their text; what is left of them is inert.
        for banned in ["](javascript", "](JavaScript", "<javascript", "[g][r]"] {
            assert!(!safe.contains(banned), "{banned} in {safe}");
        }
        assert!(safe.starts_with("a b c javascript:alert(2) [d]"), "{safe}");
        for kept in [
            "[d](https://e.example)",
            "[f](../x.md)",
            "[mail](mailto:x@y.example)",
        ] {
            assert!(safe.contains(kept), "{kept} in {safe}");
        }
    }
}
