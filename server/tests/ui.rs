//! The web UI against the real app: onboarding, forms with CSRF, pages, escaping and headers.

mod common;

use common::{ACCEPTANCE, TestServer, start};
use reqwest::redirect::Policy;
use reqwest::{Client, Response};

const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "\"><img src=x onerror=alert(1)>",
];

fn no_redirects() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

async fn html(s: &TestServer, path: &str) -> String {
    let res = s.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

fn token(page: &str) -> String {
    let start = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    page[start..].split('"').next().unwrap().to_string()
}

async fn post_form(s: &TestServer, path: &str, fields: &[(&str, &str)]) -> Response {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    no_redirects()
        .post(s.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Generates through the onboarding form and returns the artifact's page path.
async fn generate(s: &TestServer, prompt: &str) -> String {
    let csrf = token(&html(s, "/onboarding?step=prompt").await);
    let res = post_form(
        s,
        "/onboarding/generate",
        &[
            ("csrf", &csrf),
            ("stage", "seed"),
            ("goal", "grow-revenue"),
            ("challenge", ""),
            ("prompt", prompt),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/artifacts/"), "{location}");
    location
}

async fn artifact_count(s: &TestServer) -> usize {
    let rows: serde_json::Value = s.get("/api/v1/artifacts").await.json().await.unwrap();
    rows.as_array().unwrap().len()
}

#[tokio::test]
async fn onboarding_steps_carry_the_pinned_fields_and_buttons() {
    let s = start().await;
    let res = no_redirects().get(s.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/onboarding");
    let welcome = html(&s, "/onboarding").await;
    assert!(welcome.contains(">Get started</button>"));
    let context = html(&s, "/onboarding?step=context").await;
    for needle in [
        "name=\"stage\" value=\"pre-launch\"",
        "name=\"stage\" value=\"series-b-plus\"",
        "name=\"goal\" value=\"find-pmf\"",
        "name=\"goal\" value=\"other\"",
        "name=\"challenge\"",
        ">Continue</button>",
        "Customers churn after their first month",
    ] {
        assert!(context.contains(needle), "{needle}");
    }
    let prompt = html(&s, "/onboarding?step=prompt&stage=seed&goal=grow-revenue").await;
    for needle in [
        "name=\"prompt\"",
        "name=\"stage\" value=\"seed\"",
        "name=\"goal\" value=\"grow-revenue\"",
        ">Generate</button>",
        "Track our path to $100k MRR by end of year",
        "aria-live=\"polite\"",
    ] {
        assert!(prompt.contains(needle), "{needle}");
    }
    // Example links prefill the prompt without JavaScript.
    let prefilled = html(
        &s,
        "/onboarding?step=prompt&prompt=Board%20prep%20next%20week",
    )
    .await;
    assert!(prefilled.contains(">Board prep next week</textarea>"));
}

#[tokio::test]
async fn form_generate_redirects_to_a_full_artifact_page() {
    let s = start().await;
    let path = generate(&s, ACCEPTANCE).await;
    let res = s.get(&path).await;
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "same-origin");
    let page = res.text().await.unwrap();
    for needle in [
        "12,000",
        "50,000",
        "January 2027",
        "June 2027",
        "<svg",
        "Connect Stripe to replace the estimate with real numbers",
        "Stage: Seed",
        "<table>",
        "name=\"done_0\"",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    assert!(!page.contains("## Next actions") && !page.contains("- [ ]"));
    let dashboard = html(&s, "/dashboard").await;
    assert!(dashboard.contains("Path to $50k MRR by June 2027"));
    assert!(dashboard.contains("$50,000 MRR by Jun 30, 2027"));
    assert!(dashboard.contains("Create new artifact"));
    let res = no_redirects().get(s.url("/")).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/dashboard");
}

#[tokio::test]
async fn posts_without_the_right_token_are_refused_and_change_nothing() {
    let s = start().await;
    for fields in [
        vec![("prompt", ACCEPTANCE)],
        vec![("csrf", "nope"), ("prompt", ACCEPTANCE)],
    ] {
        let res = post_form(&s, "/onboarding/generate", &fields).await;
        assert_eq!(res.status(), 403);
        assert!(res.text().await.unwrap().contains("This form has expired"));
    }
    assert_eq!(artifact_count(&s).await, 0);
    let path = generate(&s, ACCEPTANCE).await;
    let res = post_form(&s, &format!("{path}/notes"), &[("notes", "hijack")]).await;
    assert_eq!(res.status(), 403);
    assert!(!html(&s, &path).await.contains("hijack"));
}

#[tokio::test]
async fn notes_title_actions_and_archive_persist() {
    let s = start().await;
    let path = generate(&s, ACCEPTANCE).await;
    let csrf = token(&html(&s, &path).await);
    let saved = |r: Response| {
        assert_eq!(r.status(), 303);
        r.headers()["location"].to_str().unwrap().to_string()
    };
    let to = saved(
        post_form(
            &s,
            &format!("{path}/notes"),
            &[("csrf", &csrf), ("notes", "Call Dana on Friday")],
        )
        .await,
    );
    assert!(to.starts_with(&path));
    saved(
        post_form(
            &s,
            &format!("{path}/title"),
            &[("csrf", &csrf), ("title", "Road to 50k")],
        )
        .await,
    );
    saved(
        post_form(
            &s,
            &format!("{path}/actions"),
            &[("csrf", &csrf), ("done_1", "on")],
        )
        .await,
    );
    let page = html(&s, &path).await;
    assert!(page.contains(">Call Dana on Friday</textarea>"));
    assert!(page.contains("<h1>Road to 50k</h1>"));
    assert!(page.contains("name=\"done_1\" value=\"on\" data-index=\"1\" checked"));
    assert!(!page.contains("data-index=\"0\" checked"));
    let res = post_form(
        &s,
        &format!("{path}/title"),
        &[("csrf", &csrf), ("title", "  ")],
    )
    .await;
    assert_eq!(res.status(), 422);
    saved(
        post_form(
            &s,
            &format!("{path}/archive"),
            &[("csrf", &csrf), ("archived", "true")],
        )
        .await,
    );
    let dashboard = html(&s, "/dashboard").await;
    assert!(dashboard.contains("Archived (1)"));
}

#[tokio::test]
async fn user_text_is_escaped_on_every_page() {
    let s = start().await;
    let prompt = format!("{ACCEPTANCE} {}", PAYLOADS.concat());
    let path = generate(&s, &prompt).await;
    let csrf = token(&html(&s, &path).await);
    let evil = PAYLOADS.concat();
    post_form(
        &s,
        &format!("{path}/notes"),
        &[("csrf", &csrf), ("notes", &evil)],
    )
    .await;
    post_form(
        &s,
        &format!("{path}/title"),
        &[("csrf", &csrf), ("title", &evil)],
    )
    .await;
    let bad = format!("{} hello", PAYLOADS.concat());
    let res = post_form(
        &s,
        "/onboarding/generate",
        &[("csrf", &csrf), ("prompt", &bad)],
    )
    .await;
    assert_eq!(res.status(), 422);
    let refused = res.text().await.unwrap();
    assert!(refused.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
    let pages = [
        html(&s, &path).await,
        html(&s, "/dashboard").await,
        html(&s, "/settings").await,
        refused,
    ];
    for page in &pages {
        for payload in PAYLOADS {
            assert!(!page.contains(payload), "raw {payload}");
        }
        assert!(!page.contains("<img") && !page.contains("<style"));
    }
    assert!(pages[0].contains("&lt;script&gt;alert(1)"));
    assert!(pages[1].contains("&lt;script&gt;alert(1)"));
}

#[tokio::test]
async fn a_prompt_that_fits_no_kind_keeps_the_text() {
    let s = start().await;
    let csrf = token(&html(&s, "/onboarding?step=prompt").await);
    let res = post_form(
        &s,
        "/onboarding/generate",
        &[
            ("csrf", &csrf),
            ("goal", "other"),
            ("prompt", "bake a sourdough loaf"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains(">bake a sourdough loaf</textarea>"));
    assert!(page.contains("role=\"alert\""));
    assert!(page.contains("Set up weekly rituals and OKRs for our team of 12"));
    assert!(page.contains("name=\"goal\" value=\"other\""));
    assert_eq!(artifact_count(&s).await, 0);
}

#[tokio::test]
async fn assets_settings_and_not_found() {
    let s = start().await;
    let css = s.get("/assets/style.css").await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.text().await.unwrap().contains("@media print"));
    let js = s.get("/assets/app.js").await;
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let settings = html(&s, "/settings").await;
    assert!(settings.contains("Not connected"));
    assert!(settings.contains("cosos connect stripe --api-key-env STRIPE_KEY"));
    assert!(settings.contains("not mirrored: <code>cosos serve --folder DIR</code>"));
    assert!(settings.contains("automerge:"));
    for path in ["/artifacts/nope", "/no/such/page"] {
        let res = s.get(path).await;
        assert_eq!(res.status(), 404);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(res.text().await.unwrap().contains("Page not found"));
    }
    let api = s.get("/api/v1/nope").await;
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}
