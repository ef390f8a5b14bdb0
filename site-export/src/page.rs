//! What the templates show of one artifact: its sections as safe HTML, its charts as inline SVG,
//! its live data, next actions and notes, plus `index.md`. Everything is read from the artifact's
//! values with the renderers of cosos-artifacts; nothing here computes a number.

use std::str::FromStr;

use cosos_artifacts::render::chart::mrr_path_svg_with_actuals;
use cosos_artifacts::render::cohort_chart::cohort_heatmap_svg;
use cosos_artifacts::render::funnel_chart::funnel_svg;
use cosos_artifacts::render::headline::{headline, live_headline, long_date};
use cosos_artifacts::render::live::{actual_series, live_markdown, with_live_data};
use cosos_artifacts::render::markdown::strip_section;
use cosos_artifacts::render::{ArtifactView, markdown};
use cosos_artifacts::{Context, Goal, Kind, Stage};
use serde::Serialize;
use serde_json::Value;

use crate::markdown::{neutralise_html, notes_to_html, sections_to_html};
use crate::model::SiteArtifact;

/// One artifact, ready for `artifact_body.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactPage {
    /// The element id of its `<article>`, unique in the board book.
    pub anchor: String,
    /// Title.
    pub title: String,
    /// Kind label, like "MRR tracker".
    pub kind: String,
    /// Kind, stage and goal labels.
    pub chips: Vec<String>,
    /// The number the artifact leads with.
    pub headline: Option<String>,
    /// The live number, once a pull filled `data`.
    pub live: Option<String>,
    /// The prompt.
    pub prompt: String,
    /// The challenge, when one was given.
    pub challenge: Option<String>,
    /// Created, as a long date.
    pub created: String,
    /// Updated, as a long date.
    pub updated: String,
    /// Archived flag.
    pub archived: bool,
    /// Inline SVG charts with their captions.
    pub charts: Vec<Chart>,
    /// Live-data sections as safe HTML.
    pub live_html: Option<String>,
    /// The kind's sections (next actions aside) as safe HTML.
    pub sections_html: String,
    /// Why the sections are missing, when they could not be rendered.
    pub problem: Option<String>,
    /// Next actions.
    pub actions: Vec<Action>,
    /// Notes as sanitised HTML.
    pub notes_html: Option<String>,
    /// Which engine wrote it.
    pub engine: String,
}

/// A chart: SVG markup and what it shows.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Inline SVG (built and escaped by cosos-artifacts).
    pub svg: String,
    /// The caption.
    pub caption: String,
}

/// A next action.
#[derive(Debug, Clone, Serialize)]
pub struct Action {
    /// What to do.
    pub text: String,
    /// Ticked.
    pub done: bool,
}

impl ArtifactPage {
    /// Builds the page of `a`, whose `<article>` gets id `anchor`, with a warning when its
    /// content did not render (the page then says so instead of showing sections).
    pub fn build(
        a: &SiteArtifact,
        anchor: String,
        full: &Markdown,
    ) -> (ArtifactPage, Option<String>) {
        let kind = Kind::from_str(&a.kind).ok();
        let mut warning = None;
        let (sections_html, problem) = match (kind, full) {
            (Some(_), Markdown::Rendered(md)) => (
                sections_to_html(&strip_section(sections_of(md), "Next actions")),
                None,
            ),
            (Some(_), Markdown::Fallback { problem, .. }) => {
                warning = Some(format!(
                    "{} ({}): its content does not render: {problem}",
                    a.slug, a.id
                ));
                (
                    String::new(),
                    Some("This artifact's content could not be shown.".to_string()),
                )
            }
            (None, _) => (
                String::new(),
                Some(format!(
                    "This artifact is of a kind ({}) this version of cosos does not know.",
                    a.kind
                )),
            ),
        };
        let page = ArtifactPage {
            title: a.title.clone(),
            kind: kind.map_or("Artifact", Kind::label).to_string(),
            chips: chips(kind, a),
            headline: kind.and_then(|k| headline(k, &a.content)),
            live: live_headline(&a.data),
            prompt: a.prompt.trim().to_string(),
            challenge: a.context.challenge.clone().filter(|c| !c.trim().is_empty()),
            created: long_date(&a.created_at),
            updated: long_date(&a.updated_at),
            archived: a.archived,
            charts: charts(kind, a, &anchor),
            live_html: live_markdown(&a.kind, &a.data).map(|md| sections_to_html(&md)),
            sections_html,
            problem,
            actions: actions(&a.content),
            notes_html: (!a.notes.trim().is_empty()).then(|| notes_to_html(&a.notes)),
            engine: a.generator.engine.clone(),
            anchor,
        };
        (page, warning)
    }
}

fn chips(kind: Option<Kind>, a: &SiteArtifact) -> Vec<String> {
    let mut chips = vec![kind.map_or("Artifact", Kind::label).to_string()];
    if let Some(stage) = a
        .context
        .stage
        .as_deref()
        .and_then(|s| Stage::from_str(s).ok())
    {
        chips.push(format!("Stage: {}", stage.label()));
    }
    if let Some(goal) = a
        .context
        .goal
        .as_deref()
        .and_then(|g| Goal::from_str(g).ok())
    {
        chips.push(format!("Goal: {}", goal.label()));
    }
    chips
}

/// The charts an artifact has: the MRR path (plan, and actuals once pulled), the funnel and the
/// cohort heatmap once their data exists.
fn charts(kind: Option<Kind>, a: &SiteArtifact, anchor: &str) -> Vec<Chart> {
    let mut charts = Vec::new();
    if kind == Some(Kind::MrrTracker) {
        let actuals = actual_series(&a.data);
        if let Some(svg) = mrr_path_svg_with_actuals(&a.content, &actuals) {
            let caption = if actuals.is_empty() {
                "Planned MRR by month, from the numbers in the prompt."
            } else {
                "Planned MRR by month (dashed), with actual MRR from Stripe."
            };
            charts.push(inline(svg, caption, anchor));
        }
    }
    if let Some(svg) = funnel_svg(&a.data) {
        charts.push(inline(
            svg,
            "People at each step of the funnel, from PostHog.",
            anchor,
        ));
    }
    if let Some(svg) = cohort_heatmap_svg(&a.data) {
        charts.push(inline(
            svg,
            "Share of each monthly cohort's customers still paying, from Stripe.",
            anchor,
        ));
    }
    charts
}

/// An SVG ready to inline: HTML gives `<svg>` its namespace, so the `xmlns` (a URL that is never
/// fetched) goes, and the chart's element ids get the article's prefix so they stay unique when
/// the board book puts many charts in one document.
fn inline(svg: String, caption: &str, anchor: &str) -> Chart {
    let mut svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    for prefix in ["mrr-chart-", "funnel-chart-", "cohort-chart-"] {
        svg = svg.replace(prefix, &format!("{anchor}-{prefix}"));
    }
    Chart {
        svg,
        caption: caption.to_string(),
    }
}

fn actions(content: &Value) -> Vec<Action> {
    content
        .get("next_actions")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|a| Action {
                    text: a
                        .get("text")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    done: a.get("done").and_then(Value::as_bool).unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The whole artifact as Markdown, rendered once for both the page and `index.md`.
pub enum Markdown {
    /// As `cosos show --markdown` prints it.
    Rendered(String),
    /// The kind is unknown or its content does not render: title, prompt and notes only.
    Fallback {
        /// The Markdown.
        text: String,
        /// Why.
        problem: String,
    },
}

impl Markdown {
    /// Renders `a` with the artifact renderer of cosos-artifacts.
    pub fn of(a: &SiteArtifact) -> Markdown {
        let context = Context {
            stage: a
                .context
                .stage
                .as_deref()
                .and_then(|s| Stage::from_str(s).ok()),
            goal: a
                .context
                .goal
                .as_deref()
                .and_then(|g| Goal::from_str(g).ok()),
            challenge: a.context.challenge.clone(),
        };
        let rendered = Kind::from_str(&a.kind)
            .map_err(|e| e.to_string())
            .and_then(|kind| {
                markdown(&ArtifactView {
                    kind,
                    title: &a.title,
                    prompt: &a.prompt,
                    context: &context,
                    content: &a.content,
                    notes: &a.notes,
                })
                .map_err(|e| e.to_string())
            });
        match rendered {
            Ok(md) => Markdown::Rendered(md),
            Err(problem) => {
                let quoted: Vec<String> = a
                    .prompt
                    .trim()
                    .lines()
                    .map(|l| format!("> {l}\n"))
                    .collect();
                Markdown::Fallback {
                    text: format!(
                        "# {}\n\n{}\n## Notes\n\n{}\n",
                        a.title.trim(),
                        quoted.concat(),
                        a.notes.trim()
                    ),
                    problem,
                }
            }
        }
    }

    fn text(&self) -> &str {
        match self {
            Markdown::Rendered(t) | Markdown::Fallback { text: t, .. } => t,
        }
    }
}

/// The kind's sections of a rendered artifact: from its first `## ` heading to `## Notes`. The
/// header above cannot hold such a line (the title and challenge are one line, the prompt is
/// quoted), and no kind writes a `## Notes` section of its own.
fn sections_of(md: &str) -> &str {
    let start = if md.starts_with("## ") {
        Some(0)
    } else {
        md.find("\n## ").map(|i| i + 1)
    };
    let Some(start) = start else { return "" };
    let end = md[start..]
        .find("## Notes\n")
        .map_or(md.len(), |i| start + i);
    &md[start..end]
}

/// `index.md`: the artifact's Markdown (as `cosos show --markdown` prints it) with its live data
/// before the notes, and raw HTML and unsafe links neutralised so any Markdown viewer is safe.
pub fn index_markdown(a: &SiteArtifact, full: &Markdown) -> String {
    neutralise_html(&with_live_data(full.text(), &a.kind, &a.data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SiteContext, SiteGenerator};
    use serde_json::json;

    pub(crate) fn artifact(kind: &str, content: Value, data: Value) -> SiteArtifact {
        SiteArtifact {
            id: "4NMNnkzFbLtqHmFamoGHjAQ7N5Xd".into(),
            url: "automerge:4NMNnkzFbLtqHmFamoGHjAQ7N5Xd".into(),
            slug: "path-to-50k".into(),
            kind: kind.into(),
            title: "Path to $50k MRR <script>alert(1)</script>".into(),
            prompt: "We're at $12k MRR and want to hit $50k by June 2027".into(),
            context: SiteContext {
                stage: Some("seed".into()),
                goal: Some("grow-revenue".into()),
                challenge: None,
            },
            params: json!({}),
            content,
            data,
            notes: "Board wants this **weekly**\n\n<img src=x onerror=alert(2)>".into(),
            archived: false,
            created_at: "2026-11-26T00:00:00.000Z".into(),
            updated_at: "2026-11-27T00:00:00.000Z".into(),
            generator: SiteGenerator {
                engine: "builtin".into(),
                confidence: 0.9,
                alternatives: vec![],
                fallback_reason: None,
            },
        }
    }

    fn tracker() -> Value {
        json!({
            "current": {"mrr": 12000.0, "source": "prompt", "as_of": "2026-11-26"},
            "target": {"mrr": 50000.0, "deadline": "2027-06-30", "months": 7},
            "path": {"required_monthly_growth": 0.2264, "milestones": [
                {"month": "2026-12", "target_mrr": 14717.0}, {"month": "2027-06", "target_mrr": 50000.0}]},
            "next_actions": [{"text": "Call <b>churned</b> customers", "done": true}, {"text": "Raise prices", "done": false}]
        })
    }

    #[test]
    fn unknown_kinds_and_broken_content_still_give_a_page() {
        let a = artifact("crystal_ball", json!({}), json!({}));
        let (page, warning) = ArtifactPage::build(&a, "a".into(), &Markdown::of(&a));
        assert!(page.problem.unwrap().contains("crystal_ball"));
        assert_eq!(warning, None);
        assert!(
            index_markdown(&a, &Markdown::of(&a)).starts_with("# Path to $50k MRR &lt;script&gt;")
        );
    }

    #[test]
    fn a_tracker_gets_its_chart_actions_and_sanitised_notes() {
        let data = json!({"source": "stripe", "mrr": 13000.0, "synced_at": "2026-11-26T12:00:00Z",
            "series": [{"month": "2026-11", "mrr": 13000.0}],
            "actual_vs_plan": [{"month": "2026-12", "plan": 14717.0, "actual": null, "status": "upcoming"}]});
        let a = artifact("mrr_tracker", tracker(), data);
        let (page, _) = ArtifactPage::build(&a, "artifact-x".into(), &Markdown::of(&a));
        assert_eq!(page.charts.len(), 1);
        let svg = &page.charts[0].svg;
        assert!(
            svg.starts_with("<svg viewBox") && !svg.contains("http"),
            "{svg}"
        );
        assert!(svg.contains("id=\"artifact-x-mrr-chart-title\""));
        assert!(svg.contains("Actual, November 2026: $13,000"));
        assert_eq!(
            page.headline.as_deref(),
            Some("$50,000 MRR by Jun 30, 2027")
        );
        assert_eq!(page.live.as_deref(), Some("$13,000 MRR now"));
        assert!(page.live_html.unwrap().contains("Actual vs plan"));
        assert!(!page.sections_html.contains("Next actions"));
        assert_eq!(page.actions.len(), 2);
        assert!(page.actions[0].done);
        let notes = page.notes_html.unwrap();
        assert!(
            notes.contains("<strong>weekly</strong>") && !notes.contains("onerror"),
            "{notes}"
        );
        assert_eq!(
            page.chips,
            ["MRR tracker", "Stage: Seed", "Goal: Grow revenue"]
        );
    }

    #[test]
    fn the_page_sections_are_exactly_the_kind_s_markdown() {
        for kind in Kind::ALL {
            let mut a = crate::sample::artifact(kind, 0).unwrap();
            a.prompt = "first line\n## Notes\n## not a heading".into();
            a.context.challenge = Some("## Notes\n## again".into());
            a.notes = "## Notes\n\nmine".into();
            let Markdown::Rendered(md) = Markdown::of(&a) else {
                panic!("{kind:?} renders");
            };
            let sections = cosos_artifacts::kinds::render_markdown(kind, &a.content).unwrap();
            assert_eq!(sections_of(&md), sections, "{kind:?}");
        }
    }

    #[test]
    fn index_md_has_live_data_before_the_notes() {
        let data = json!({"synced_at": "2026-11-26T12:00:00Z",
            "actual_vs_plan": [{"month": "2026-12", "plan": 14717.0, "actual": null, "status": "upcoming"}]});
        let a = artifact("mrr_tracker", tracker(), data);
        let md = index_markdown(&a, &Markdown::of(&a));
        let live = md.find("## Actual vs plan").unwrap();
        let notes = md.find("## Notes").unwrap();
        assert!(live < notes, "{md}");
        assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
        assert!(md.contains("Board wants this **weekly**"));
    }
}
