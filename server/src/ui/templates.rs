//! The page templates: embedded in the binary and compiled once.
//!
//! Tera autoescapes every `.html` template, so user text is escaped unless a template marks it
//! `safe`; only HTML this crate built itself (sanitised Markdown, the SVG chart) is.

use std::sync::LazyLock;

use tera::{Context, Tera};

static TEMPLATES: LazyLock<Result<Tera, tera::Error>> = LazyLock::new(|| {
    let mut tera = Tera::default();
    // One call, so templates that extend `base.html` resolve whatever the order.
    tera.add_raw_templates(vec![
        ("base.html", include_str!("../../templates/base.html")),
        (
            "onboarding.html",
            include_str!("../../templates/onboarding.html"),
        ),
        (
            "dashboard.html",
            include_str!("../../templates/dashboard.html"),
        ),
        (
            "artifact.html",
            include_str!("../../templates/artifact.html"),
        ),
        (
            "settings.html",
            include_str!("../../templates/settings.html"),
        ),
        ("message.html", include_str!("../../templates/message.html")),
    ])?;
    Ok(tera)
});

/// Renders template `name`; the error names the template and Tera's reason, for the log only.
pub fn render(name: &str, context: &Context) -> Result<String, String> {
    match &*TEMPLATES {
        Ok(tera) => tera
            .render(name, context)
            .map_err(|e| format!("{name}: {e:?}")),
        Err(e) => Err(format!("templates failed to compile: {e:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile() {
        assert!(TEMPLATES.is_ok(), "{:?}", TEMPLATES.as_ref().err());
    }
}
