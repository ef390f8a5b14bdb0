//! Tests of whole rendered sites: layout, determinism, links, escaping, base URL, encryption.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use cosos_artifacts::Kind;

use super::*;
use crate::encrypt::{Sealed, open};
use crate::sample;

const ATTACK: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

fn options() -> ExportOptions {
    ExportOptions {
        out: PathBuf::from("unused"),
        base_url: None,
        passphrase: None,
        templates_dir: None,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    }
}

/// One artifact of each kind, the first one titled with an injection.
fn site() -> Site {
    let mut site = sample::site(Kind::ALL.len());
    site.artifacts[0].title = format!("Path {ATTACK}");
    site.artifacts[0].notes = format!("Notes {ATTACK}");
    site.name = format!("Acme {ATTACK}");
    site
}

fn files(r: &Rendered) -> BTreeMap<&str, String> {
    r.files
        .iter()
        .map(|f| (f.path.as_str(), String::from_utf8(f.bytes.clone()).unwrap()))
        .collect()
}

#[test]
fn lays_out_the_contract_s_files() {
    let r = render(&site(), &options()).unwrap();
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    for kind in Kind::ALL {
        let slug = kind.as_str().replace('_', "-");
        for name in ["index.html", "index.md", "artifact.json"] {
            assert!(
                paths.contains(&format!("artifacts/{slug}/{name}").as_str()),
                "{slug}/{name}"
            );
        }
    }
    for top in ["index.html", "board-book.html", "assets/style.css", MARKER] {
        assert!(paths.contains(&top), "{top}");
    }
    assert_eq!(paths.len(), 7 * 3 + 4, "{paths:?}");
    assert!(
        !paths.contains(&"sitemap.xml"),
        "a sitemap only with a base URL"
    );
    assert_eq!(
        r.artifacts[1].path,
        "artifacts/retention-analysis/index.html"
    );
}

#[test]
fn is_byte_identical_across_renders() {
    assert_eq!(
        render(&site(), &options()).unwrap().files,
        render(&site(), &options()).unwrap().files
    );
}

#[test]
fn artifact_json_is_the_contract_s_json() {
    let s = site();
    let r = render(&s, &options()).unwrap();
    let json = &files(&r)["artifacts/mrr-tracker/artifact.json"];
    assert_eq!(
        json,
        &(serde_json::to_string_pretty(&s.artifacts[0]).unwrap() + "\n")
    );
    let back: SiteArtifact = serde_json::from_str(json).unwrap();
    assert_eq!(back, s.artifacts[0]);
}

#[test]
fn every_link_is_relative_and_nothing_is_fetched() {
    let r = render(&site(), &options()).unwrap();
    for (path, text) in files(&r) {
        for banned in [
            "href=\"/", "src=\"/", "http://", "https://", "=\"//", "url(", "@import",
        ] {
            assert!(!text.contains(banned), "{banned} in {path}");
        }
    }
    let f = files(&r);
    assert!(f["artifacts/mrr-tracker/index.html"].contains("href=\"../../assets/style.css\""));
    assert!(f["index.html"].contains("href=\"artifacts/mrr-tracker/index.html\""));
    assert!(f["index.html"].contains("href=\"assets/style.css\""));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let r = render(&site(), &options()).unwrap();
    for (path, text) in files(&r) {
        if path.ends_with(".json") {
            continue; // the contract's JSON holds the title verbatim, as `show --json` prints it
        }
        assert!(!text.contains("<script>alert"), "raw script in {path}");
        assert!(!text.contains("<img"), "raw img in {path}");
    }
    let f = files(&r);
    assert!(f["index.html"].contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
}

#[test]
fn every_kind_has_its_charts() {
    let f = files(&render(&site(), &options()).unwrap())
        .into_iter()
        .map(|(p, t)| (p.to_string(), t))
        .collect::<BTreeMap<_, _>>();
    let page = |slug: &str| f[&format!("artifacts/{slug}/index.html")].clone();
    assert!(page("mrr-tracker").contains("id=\"artifact-mrr-tracker-mrr-chart-title\""));
    assert!(page("activation-funnel").contains("class=\"chart funnel-chart\""));
    assert!(page("retention-analysis").contains("class=\"chart cohort-chart\""));
    let book = &f["board-book.html"];
    assert_eq!(book.matches("<svg").count(), 3);
    assert_eq!(book.matches("class=\"book-artifact\"").count(), 7);
    assert!(book.contains("href=\"#artifact-mrr-tracker\""));
}

#[test]
fn a_base_url_adds_sitemap_canonical_and_opengraph() {
    let mut o = options();
    o.base_url = Some("https://board.example.com/acme".into());
    let r = render(&site(), &o).unwrap();
    let f = files(&r);
    let sitemap = &f["sitemap.xml"];
    assert!(sitemap.contains("<loc>https://board.example.com/acme/artifacts/mrr-tracker/</loc><lastmod>2026-11-26</lastmod>"), "{sitemap}");
    assert_eq!(sitemap.matches("<url>").count(), 9);
    let page = &f["artifacts/mrr-tracker/index.html"];
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://board.example.com/acme/artifacts/mrr-tracker/\">"
    ));
    assert!(
        page.contains("<meta property=\"og:title\" content=\"Path &lt;script&gt;"),
        "escaped in attributes too"
    );
    assert!(
        f["index.html"]
            .contains("<meta property=\"og:url\" content=\"https://board.example.com/acme/\">")
    );
    assert!(matches!(
        render(
            &site(),
            &ExportOptions {
                base_url: Some("/x".into()),
                ..options()
            }
        ),
        Err(ExportError::BadBaseUrl(_))
    ));
}

fn sealed_of(html: &str) -> Sealed {
    let start = html.find("id=\"cosos-payload\">").unwrap() + "id=\"cosos-payload\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[test]
fn an_encrypted_site_hides_every_artifact_and_opens_with_the_passphrase() {
    let mut o = options();
    o.passphrase = Some("correct horse battery staple".into());
    o.base_url = Some("https://board.example.com".into());
    let s = site();
    let r = render(&s, &o).unwrap();
    assert!(r.encrypted);
    let f = files(&r);
    let paths: Vec<&str> = f.keys().copied().collect();
    assert_eq!(
        paths[1..5],
        [
            "artifacts/001/index.html",
            "artifacts/002/index.html",
            "artifacts/003/index.html",
            "artifacts/004/index.html"
        ]
    );
    assert!(
        !paths
            .iter()
            .any(|p| p.ends_with(".md") || p.ends_with(".json")),
        "{paths:?}"
    );
    for (path, text) in &f {
        for a in &s.artifacts {
            for secret in [&a.title, &a.prompt, &a.slug] {
                assert!(!text.contains(secret.as_str()), "{secret} in {path}");
            }
        }
        assert!(!text.contains("Acme"), "the workspace name in {path}");
    }
    let page = &f["artifacts/001/index.html"];
    let plain =
        String::from_utf8(open(&sealed_of(page), "correct horse battery staple").unwrap()).unwrap();
    assert!(
        plain.contains("Path &lt;script&gt;") && plain.contains("<svg"),
        "the real page inside"
    );
    assert_eq!(open(&sealed_of(page), "wrong"), None);
    assert!(page.contains(&format!("script-src {}", crate::encrypt::script_hash())));
    assert_eq!(sealed_of(page).iterations, crate::encrypt::ITERATIONS);
    assert!(f["sitemap.xml"].contains("<loc>https://board.example.com/artifacts/001/</loc></url>"));
    // Every page has its own nonce; the export one salt.
    let (a, b) = (
        sealed_of(&f["index.html"]),
        sealed_of(&f["board-book.html"]),
    );
    assert_ne!(a.iv, b.iv);
    assert_eq!(a.salt, b.salt);
}

#[test]
fn snapshots() {
    let mut s = sample::site(Kind::ALL.len());
    s.artifacts.truncate(1);
    let r = render(&s, &options()).unwrap();
    let f = files(&r);
    insta::assert_snapshot!("index", f["index.html"]);
    insta::assert_snapshot!("artifact", f["artifacts/mrr-tracker/index.html"]);
    insta::assert_snapshot!("index_md", f["artifacts/mrr-tracker/index.md"]);
    insta::assert_snapshot!("board_book", f["board-book.html"]);
    let mut o = options();
    o.base_url = Some("https://board.example.com".into());
    insta::assert_snapshot!("sitemap", files(&render(&s, &o).unwrap())["sitemap.xml"]);
}
