//! The PostHog puller against a local PostHog-shaped query API (`common_posthog`): funnel and
//! retention numbers against hand-computed values, retries, error bodies, the asynchronous flow,
//! escaping of hostile event names, and the API key never leaking.

mod common_posthog;

use std::time::Duration;

use chrono::NaiveDate;
use common_posthog::{BAD_EVENT, HOSTILE_EVENT, KEY, Mode, NO_SCOPE_KEY, PROJECT, Parsed};
use cosos_engine::integrations::http::{HttpError, RetryPolicy};
use cosos_engine::integrations::posthog::{
    self, CohortRetention, Funnel, FunnelSpec, PollPolicy, PostHogClient, PostHogConfig,
    PostHogError, RetentionSpec, funnel, funnel_query, hogql_string, retention, retention_query,
};
use serde_json::json;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_attempts: 4,
        max_total_wait: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
    }
}

fn fast_polls() -> PollPolicy {
    PollPolicy {
        first: Duration::from_millis(1),
        max_interval: Duration::from_millis(5),
        max_wait: Duration::from_secs(2),
    }
}

fn client_with(url: &str, key: &str, project: u64) -> PostHogClient {
    PostHogClient::new(PostHogConfig::new(project, key).with_host(url))
        .unwrap()
        .with_retry_policy(fast_retries())
        .with_poll_policy(fast_polls())
}

fn client(url: &str) -> PostHogClient {
    client_with(url, KEY, PROJECT)
}

/// The March 2026 funnel of the fixture.
fn march_funnel() -> FunnelSpec {
    FunnelSpec {
        steps: vec![
            "$pageview".into(),
            "user signed up".into(),
            "activated".into(),
        ],
        window_days: 14,
        from: day("2026-03-02"),
        to: day("2026-03-31"),
    }
}

/// Five cohort weeks up to Wednesday 2026-05-27 (cohorts from Monday 2026-04-27).
fn may_retention() -> RetentionSpec {
    RetentionSpec {
        start_event: "user signed up".into(),
        return_event: "$pageview".into(),
        weeks: 5,
        to: day("2026-05-27"),
    }
}

fn close(actual: Option<f64>, expected: Option<f64>) -> bool {
    match (actual, expected) {
        (Some(a), Some(e)) => (a - e).abs() < 1e-12,
        (None, None) => true,
        _ => false,
    }
}

/// Hand-computed from the fixture (see `common_posthog::events`), with a 14-day window:
/// p1 $pageview 03-02, signup 03-03, activated 03-05: 3 steps.
/// p2 $pageview, signup: 2. p3 signup 17 days after the visit: 1. p4 signup before the visit: 1.
/// p5 only activated: 0. p6 visit before the range: 0. p7 first visit's window expires, a second
/// visit 03-25 then signup 03-26 and activated 03-30: 3. p8 signup after the range: 1.
/// p9 activated before signup: 2.
/// Deepest step: 1 -> {p3, p4, p8}, 2 -> {p2, p9}, 3 -> {p1, p7}; step counts 7, 4, 2.
fn assert_march_funnel(f: &Funnel) {
    let counts: Vec<u64> = f.steps.iter().map(|s| s.count).collect();
    assert_eq!(counts, [7, 4, 2]);
    let events: Vec<&str> = f.steps.iter().map(|s| s.event.as_str()).collect();
    assert_eq!(events, ["$pageview", "user signed up", "activated"]);
    let from_start = [1.0, 4.0 / 7.0, 2.0 / 7.0];
    let from_previous = [1.0, 4.0 / 7.0, 0.5];
    for (i, step) in f.steps.iter().enumerate() {
        assert!(
            close(step.conversion_from_start, Some(from_start[i])),
            "step {i}: {step:?}"
        );
        assert!(
            close(step.conversion_from_previous, Some(from_previous[i])),
            "step {i}: {step:?}"
        );
    }
    assert_eq!(f.window_days, 14);
    assert_eq!((f.from, f.to), (day("2026-03-02"), day("2026-03-31")));
}

/// Hand-computed from the fixture: cohort of the week of Monday
/// 04-27: nobody. 05-04: r1 r2 r3 r4 (Sunday signup) r10 = 5; back a week later r1 r2; two
/// weeks r4; three weeks r1. 05-11: r5 r6 = 2; one week r5; two weeks r5 r6. 05-18: r7, back
/// the next week. 05-25: r8 (offset 0 only; the current week is the last observable one).
fn assert_may_retention(r: &CohortRetention) {
    let weeks: Vec<String> = r.cohorts.iter().map(|c| c.week_start.to_string()).collect();
    assert_eq!(
        weeks,
        [
            "2026-04-27",
            "2026-05-04",
            "2026-05-11",
            "2026-05-18",
            "2026-05-25"
        ]
    );
    let sizes: Vec<u64> = r.cohorts.iter().map(|c| c.size).collect();
    assert_eq!(sizes, [0, 5, 2, 1, 1]);
    let retained: Vec<Vec<u64>> = r.cohorts.iter().map(|c| c.retained.clone()).collect();
    assert_eq!(
        retained,
        [
            vec![0, 0, 0, 0, 0],
            vec![5, 2, 1, 1],
            vec![2, 1, 2],
            vec![1, 1],
            vec![1]
        ]
    );
    let expected: [&[Option<f64>]; 5] = [
        &[None, None, None, None, None],
        &[Some(1.0), Some(0.4), Some(0.2), Some(0.2)],
        &[Some(1.0), Some(0.5), Some(1.0)],
        &[Some(1.0), Some(1.0)],
        &[Some(1.0)],
    ];
    for (cohort, rates) in r.cohorts.iter().zip(expected) {
        assert_eq!(cohort.rates.len(), rates.len(), "{cohort:?}");
        for (a, e) in cohort.rates.iter().zip(rates) {
            assert!(close(*a, *e), "{cohort:?}");
        }
    }
    assert_eq!(
        (r.start_event.as_str(), r.return_event.as_str(), r.weeks),
        ("user signed up", "$pageview", 5)
    );
}

/// Every way an error can be shown, none of which may contain the key.
fn assert_no_key(e: &PostHogError) {
    for shown in [e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains(KEY), "key leaked: {shown}");
        assert!(!shown.contains(NO_SCOPE_KEY), "key leaked: {shown}");
        assert!(!shown.contains("phx_Wrong"), "key leaked: {shown}");
    }
}

#[tokio::test]
async fn funnel_counts_and_conversions_match_hand_computed_values() {
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let f = funnel(&client(&url), &march_funnel()).await.unwrap();
    assert_march_funnel(&f);
    let parsed = server.parsed.lock().unwrap().clone();
    assert_eq!(
        parsed,
        [Parsed::Funnel {
            steps: vec![
                "$pageview".into(),
                "user signed up".into(),
                "activated".into()
            ],
            window_s: 14 * 86_400,
            from: day("2026-03-02").and_hms_opt(0, 0, 0).unwrap(),
            to: day("2026-04-01").and_hms_opt(0, 0, 0).unwrap(),
        }]
    );
    assert_eq!(server.statuses(), [200]);
}

#[tokio::test]
async fn funnel_with_nobody_has_null_conversions() {
    let (url, _server) = common_posthog::start(Mode::Normal).await;
    let spec = FunnelSpec {
        from: day("2025-01-01"),
        to: day("2025-01-31"),
        ..march_funnel()
    };
    let f = funnel(&client(&url), &spec).await.unwrap();
    assert_eq!(f.steps.len(), 3);
    for step in &f.steps {
        assert_eq!(step.count, 0);
        assert_eq!(step.conversion_from_start, None);
        assert_eq!(step.conversion_from_previous, None);
    }
}

#[tokio::test]
async fn retention_cohorts_match_hand_computed_values() {
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let r = retention(&client(&url), &may_retention()).await.unwrap();
    assert_may_retention(&r);
    let parsed = server.parsed.lock().unwrap().clone();
    assert_eq!(
        parsed,
        [Parsed::Retention {
            start: "user signed up".into(),
            back: "$pageview".into(),
            from: day("2026-04-27").and_hms_opt(0, 0, 0).unwrap(),
            to: day("2026-05-28").and_hms_opt(0, 0, 0).unwrap(),
        }]
    );
}

#[tokio::test]
async fn retries_500_and_429_then_succeeds() {
    let (url, server) = common_posthog::start(Mode::Flaky).await;
    let c = client(&url);
    let f = funnel(&c, &march_funnel()).await.unwrap();
    assert_march_funnel(&f);
    let r = retention(&c, &may_retention()).await.unwrap();
    assert_may_retention(&r);
    let f = funnel(&c, &march_funnel()).await.unwrap();
    assert_march_funnel(&f);
    let r = retention(&c, &may_retention()).await.unwrap();
    assert_may_retention(&r);
    // Request 1 gets a 500 and every 3rd a 429, each retried once.
    assert_eq!(server.statuses(), [500, 200, 429, 200, 200, 429, 200]);
}

#[tokio::test]
async fn gives_up_after_bounded_retries() {
    let (url, server) = common_posthog::start(Mode::AlwaysDown).await;
    let e = funnel(&client(&url), &march_funnel()).await.unwrap_err();
    match &e {
        PostHogError::Http(HttpError::Status { status, .. }) => assert_eq!(status.as_u16(), 503),
        other => panic!("unexpected error {other:?}"),
    }
    assert!(
        e.to_string().contains("Service temporarily unavailable"),
        "{e}"
    );
    assert_eq!(server.requests("POST"), fast_retries().max_attempts);
    assert_no_key(&e);
}

#[tokio::test]
async fn query_error_is_clear_and_not_retried() {
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let spec = FunnelSpec {
        steps: vec!["$pageview".into(), BAD_EVENT.into()],
        ..march_funnel()
    };
    let e = funnel(&client(&url), &spec).await.unwrap_err();
    match &e {
        PostHogError::Query {
            purpose,
            code,
            detail,
        } => {
            assert_eq!(purpose, "the funnel query");
            assert_eq!(code.as_deref(), Some("query_error"));
            assert!(detail.contains(BAD_EVENT), "{detail}");
        }
        other => panic!("unexpected error {other:?}"),
    }
    let shown = e.to_string();
    assert!(shown.contains("rejected the funnel query"), "{shown}");
    assert!(shown.contains("query_error"), "{shown}");
    assert_eq!(server.statuses(), [400]);
    assert_no_key(&e);

    let spec = RetentionSpec {
        return_event: BAD_EVENT.into(),
        ..may_retention()
    };
    let e = retention(&client(&url), &spec).await.unwrap_err();
    assert!(
        e.to_string().contains("rejected the retention query"),
        "{e}"
    );
    assert_eq!(server.statuses(), [400, 400]);
}

#[tokio::test]
async fn wrong_key_fails_at_once_with_a_clear_message() {
    let (url, server) = common_posthog::start(Mode::Flaky).await;
    let wrong = "phx_WrongKey0000000000000000000000000000000";
    let e = funnel(&client_with(&url, wrong, PROJECT), &march_funnel())
        .await
        .unwrap_err();
    // The flaky server answers 500 first (retried), then refuses the key: no more attempts.
    assert_eq!(server.statuses(), [500, 401]);
    match &e {
        PostHogError::Unauthorized { status, detail, .. } => {
            assert_eq!(*status, 401);
            // The server quoted the key back; the error keeps the message without it.
            let detail = detail.as_deref().unwrap_or_default();
            assert!(detail.contains("[redacted]"), "{detail}");
        }
        other => panic!("unexpected error {other:?}"),
    }
    let shown = e.to_string();
    assert!(shown.contains("personal API key"), "{shown}");
    assert!(shown.contains("query:read"), "{shown}");
    assert!(shown.contains(&format!("PostHog at {url}")), "{shown}");
    assert!(!shown.contains(wrong), "{shown}");
    assert_no_key(&e);
}

#[tokio::test]
async fn key_without_scope_is_refused_with_the_scope_named() {
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let e = retention(&client_with(&url, NO_SCOPE_KEY, PROJECT), &may_retention())
        .await
        .unwrap_err();
    assert!(
        matches!(e, PostHogError::Unauthorized { status: 403, .. }),
        "{e:?}"
    );
    let shown = e.to_string();
    assert!(shown.contains("HTTP 403"), "{shown}");
    assert!(shown.contains("query:read"), "{shown}");
    assert_eq!(server.statuses(), [403]);
    assert_no_key(&e);
}

#[tokio::test]
async fn unknown_project_names_the_project_id() {
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let e = funnel(&client_with(&url, KEY, 999), &march_funnel())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            PostHogError::ProjectNotFound {
                project_id: 999,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("project 999"), "{e}");
    assert_eq!(server.statuses(), [404]);
}

#[tokio::test]
async fn async_run_is_polled_until_complete() {
    let (url, server) = common_posthog::start(Mode::AsyncCompletes).await;
    let c = client(&url);
    let f = funnel(&c, &march_funnel()).await.unwrap();
    assert_march_funnel(&f);
    let r = retention(&c, &may_retention()).await.unwrap();
    assert_may_retention(&r);
    // Each query: a POST, a status check still running, one complete.
    assert_eq!(server.requests("POST"), 2);
    assert_eq!(server.requests("GET"), 4);
}

#[tokio::test]
async fn async_failure_and_endless_run_are_reported() {
    let (url, _server) = common_posthog::start(Mode::AsyncFails).await;
    let e = funnel(&client(&url), &march_funnel()).await.unwrap_err();
    assert!(matches!(e, PostHogError::QueryFailed { .. }), "{e:?}");
    let shown = e.to_string();
    assert!(shown.contains("the funnel query"), "{shown}");
    assert!(shown.contains("Memory limit exceeded"), "{shown}");

    let (url, server) = common_posthog::start(Mode::AsyncNeverCompletes).await;
    let c = client(&url).with_poll_policy(PollPolicy {
        first: Duration::from_millis(1),
        max_interval: Duration::from_millis(4),
        max_wait: Duration::from_millis(40),
    });
    let e = retention(&c, &may_retention()).await.unwrap_err();
    assert!(matches!(e, PostHogError::StillRunning { .. }), "{e:?}");
    assert!(e.to_string().contains("the retention query"), "{e}");
    let polls = server.requests("GET");
    assert!((2..=40).contains(&polls), "{polls} status checks");
}

#[tokio::test]
async fn hostile_event_names_are_escaped() {
    // The literal itself, as PostHog's escape_hogql_string writes it.
    assert_eq!(hogql_string("$pageview").unwrap(), "'$pageview'");
    assert_eq!(hogql_string("it's").unwrap(), r"'it\'s'");
    assert_eq!(hogql_string(r"a\b").unwrap(), r"'a\\b'");
    assert_eq!(hogql_string(r"\'").unwrap(), r"'\\\''");
    assert_eq!(hogql_string("a\nb\tc\0").unwrap(), r"'a\nb\tc\0'");
    assert!(hogql_string("").is_err());
    assert!(hogql_string(&"x".repeat(posthog::MAX_EVENT_NAME_LEN + 1)).is_err());

    let spec = FunnelSpec {
        steps: vec!["$pageview".into(), HOSTILE_EVENT.into()],
        window_days: 14,
        from: day("2026-06-01"),
        to: day("2026-06-30"),
    };
    let query = funnel_query(&spec).unwrap();
    assert!(!query.contains(HOSTILE_EVENT));
    assert!(!query.contains("--\n"), "{query}");

    // Through the server's HogQL lexer, the name comes back whole and only as a literal.
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let f = funnel(&client(&url), &spec).await.unwrap();
    match server.parsed.lock().unwrap().as_slice() {
        [Parsed::Funnel { steps, .. }] => assert_eq!(steps, &spec.steps),
        other => panic!("server parsed {other:?}"),
    }
    // h1 visited then did the hostile event; h3 did "it's", which is another event.
    let counts: Vec<u64> = f.steps.iter().map(|s| s.count).collect();
    assert_eq!(counts, [2, 1]);
    assert!(close(f.steps[1].conversion_from_start, Some(0.5)));

    let retention_spec = RetentionSpec {
        start_event: HOSTILE_EVENT.into(),
        return_event: "it's".into(),
        ..may_retention()
    };
    let query = retention_query(&retention_spec).unwrap();
    assert!(query.contains(r"event = 'it\'s'"), "{query}");
    retention(&client(&url), &retention_spec).await.unwrap();
    match server.parsed.lock().unwrap().as_slice() {
        [_, Parsed::Retention { start, back, .. }] => {
            assert_eq!(start, HOSTILE_EVENT);
            assert_eq!(back, "it's");
        }
        other => panic!("server parsed {other:?}"),
    }
}

#[tokio::test]
async fn invalid_specs_are_refused_before_any_request() {
    let (url, server) = common_posthog::start(Mode::Normal).await;
    let c = client(&url);
    let bad_funnels = [
        FunnelSpec {
            steps: vec![],
            ..march_funnel()
        },
        FunnelSpec {
            steps: vec!["$pageview".into(), String::new()],
            ..march_funnel()
        },
        FunnelSpec {
            steps: vec!["$pageview".into(), "a".into(), "$pageview".into()],
            ..march_funnel()
        },
        FunnelSpec {
            window_days: 0,
            ..march_funnel()
        },
        FunnelSpec {
            from: day("2026-04-01"),
            to: day("2026-03-01"),
            ..march_funnel()
        },
        FunnelSpec {
            steps: (0..30).map(|i| format!("e{i}")).collect(),
            ..march_funnel()
        },
    ];
    for spec in &bad_funnels {
        let e = funnel(&c, spec).await.unwrap_err();
        assert!(
            matches!(e, PostHogError::InvalidSpec { what: "funnel", .. }),
            "{e:?}"
        );
    }
    let e = funnel(&c, &bad_funnels[1]).await.unwrap_err();
    assert!(e.to_string().contains("step 2"), "{e}");
    let e = funnel(&c, &bad_funnels[2]).await.unwrap_err();
    assert!(e.to_string().contains("steps 1 and 3"), "{e}");
    for spec in [
        RetentionSpec {
            weeks: 0,
            ..may_retention()
        },
        RetentionSpec {
            weeks: 53,
            ..may_retention()
        },
        RetentionSpec {
            start_event: String::new(),
            ..may_retention()
        },
    ] {
        let e = retention(&c, &spec).await.unwrap_err();
        assert!(
            matches!(
                e,
                PostHogError::InvalidSpec {
                    what: "retention",
                    ..
                }
            ),
            "{e:?}"
        );
    }
    assert!(server.statuses().is_empty());
}

#[tokio::test]
async fn key_never_appears_in_debug_or_errors() {
    let config = PostHogConfig::new(PROJECT, KEY);
    let shown = format!("{config:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
    let c = PostHogClient::new(config.clone()).unwrap();
    assert!(!format!("{c:?}").contains(KEY));

    // Nothing listens on a port just released: a network error after retries.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = PostHogClient::new(config.clone().with_host(format!("http://127.0.0.1:{port}")))
        .unwrap()
        .with_retry_policy(RetryPolicy {
            max_attempts: 2,
            ..fast_retries()
        });
    let e = funnel(&c, &march_funnel()).await.unwrap_err();
    assert!(
        matches!(e, PostHogError::Http(HttpError::Network { .. })),
        "{e:?}"
    );
    assert!(!e.to_string().contains("/api/projects"), "{e}");
    assert_no_key(&e);

    for host in [
        "ftp://example.com",
        "not a url",
        "https://user:pw@example.com",
        "https://x.io/?k=1",
    ] {
        let e = PostHogClient::new(config.clone().with_host(host)).unwrap_err();
        assert!(matches!(e, PostHogError::Config(_)), "{host}: {e:?}");
        assert_no_key(&e);
    }
    let e = PostHogClient::new(PostHogConfig::new(PROJECT, format!("{KEY}\nx"))).unwrap_err();
    assert!(matches!(e, PostHogError::Config(_)), "{e:?}");
    assert_no_key(&e);
}

#[test]
fn specs_and_results_round_trip_through_json() {
    // A founder who configured nothing but dates gets the documented defaults.
    let spec: FunnelSpec =
        serde_json::from_value(json!({ "from": "2026-03-01", "to": "2026-03-31" })).unwrap();
    assert_eq!(spec, FunnelSpec::new(day("2026-03-01"), day("2026-03-31")));
    assert_eq!(spec.steps, posthog::DEFAULT_FUNNEL_STEPS);
    assert_eq!(spec.window_days, 14);
    let spec: RetentionSpec = serde_json::from_value(json!({ "to": "2026-05-27" })).unwrap();
    assert_eq!(spec, RetentionSpec::new(day("2026-05-27")));
    assert_eq!(
        (
            spec.start_event.as_str(),
            spec.return_event.as_str(),
            spec.weeks
        ),
        (
            posthog::DEFAULT_START_EVENT,
            posthog::DEFAULT_RETURN_EVENT,
            8
        )
    );
    assert_eq!(spec.first_week(), Some(day("2026-04-06")));

    let query = funnel_query(&march_funnel()).unwrap();
    assert!(query.contains("windowFunnel(1209600)(toUnixTimestamp(timestamp), event = '$pageview', event = 'user signed up', event = 'activated')"), "{query}");
    assert!(
        query.contains("timestamp < toDateTime('2026-04-01 00:00:00')"),
        "{query}"
    );

    let result = posthog::QueryResult {
        columns: vec!["cohort_week".into(), "week_offset".into(), "persons".into()],
        types: vec![],
        rows: vec![
            vec![json!("2026-05-25"), json!(0), json!("3")],
            vec![json!("2026-05-18"), json!(0), json!(2)],
            vec![json!("2026-05-18"), json!(1), json!(1)],
        ],
    };
    let spec = RetentionSpec {
        weeks: 2,
        ..may_retention()
    };
    let r = posthog::retention_from_rows(&spec, &result).unwrap();
    let value = serde_json::to_value(&r).unwrap();
    assert_eq!(
        value["cohorts"],
        json!([
            { "week_start": "2026-05-18", "size": 2, "retained": [2, 1], "rates": [1.0, 0.5] },
            { "week_start": "2026-05-25", "size": 3, "retained": [3], "rates": [1.0] },
        ])
    );
    let back: CohortRetention = serde_json::from_value(value).unwrap();
    assert_eq!(back, r);

    // A row outside the observed weeks is an error, not a silently wrong chart.
    let stray = posthog::QueryResult {
        rows: vec![vec![json!("2026-05-11"), json!(0), json!(1)]],
        ..result
    };
    assert!(posthog::retention_from_rows(&spec, &stray).is_err());

    let empty =
        posthog::funnel_from_rows(&march_funnel(), &posthog::QueryResult::default()).unwrap();
    let value = serde_json::to_value(&empty).unwrap();
    assert_eq!(
        value["steps"][0],
        json!({ "event": "$pageview", "count": 0, "conversion_from_start": null, "conversion_from_previous": null })
    );
    assert_eq!(value["from"], "2026-03-02");
    let back: Funnel = serde_json::from_value(value).unwrap();
    assert_eq!(back, empty);
}
