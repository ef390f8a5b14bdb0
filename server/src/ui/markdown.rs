//! Markdown to HTML for artifact sections, with raw HTML neutralised.
//!
//! Section text includes words the founder typed (titles, challenges, theme names), so any HTML in
//! the Markdown is shown as text rather than passed through: the output is safe to embed as is.

use pulldown_cmark::{Event, Options, Parser, html};

/// Renders Markdown to HTML, turning every raw HTML event into escaped text.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    // The CSP forbids style attributes, so the alignment pulldown-cmark writes becomes a class.
    // User text cannot fake these tags: its quotes and angle brackets are already escaped.
    for align in ["left", "center", "right"] {
        for cell in ["td", "th"] {
            out = out.replace(
                &format!("<{cell} style=\"text-align: {align}\">"),
                &format!("<{cell} class=\"align-{align}\">"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_becomes_text() {
        let html = to_html("Hi <script>alert(1)</script>\n\n<style>body{display:none}</style>\n");
        assert!(!html.contains("<script") && !html.contains("<style"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;style&gt;"));
    }

    #[test]
    fn tables_render() {
        let html = to_html("| A | B |\n|---|---:|\n| 1 | 2 |\n");
        assert!(html.contains("<table>") && html.contains("<td class=\"align-right\">2</td>"));
    }
}
