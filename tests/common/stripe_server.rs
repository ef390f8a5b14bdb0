//! A local Stripe-shaped API over `../shared/data/stripe/`, for tests: it pages at most 100 per
//! page, expands only what is asked for, checks the key (Bearer or Basic), answers unknown
//! parameters and bad keys with Stripe's error bodies, and fails now and then with 429 or 500.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

/// The secret key the fake account accepts.
pub const KEY: &str = "sk_test_cosos_fake_4242";

/// How the fake misbehaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flakiness {
    /// Every Nth request gets a 429 (with `Retry-After: 0`).
    pub rate_limit_every: Option<usize>,
    /// Every Nth request gets a 500.
    pub error_every: Option<usize>,
    /// Leave coupons as IDs even when `data.discounts.source.coupon` is asked for (the API may).
    pub coupons_as_ids: bool,
}

/// The account's objects.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Subscriptions, newest first, as listed with `status=all` (discounts as IDs, no tiers).
    pub subscriptions: Vec<Value>,
    /// Discount objects by ID (`source.coupon` an ID).
    pub discounts: BTreeMap<String, Value>,
    /// Coupons by ID.
    pub coupons: BTreeMap<String, Value>,
    /// Prices by ID, with tiers.
    pub prices: BTreeMap<String, Value>,
}

impl Fixture {
    /// The shared dataset.
    pub fn shared() -> Fixture {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/stripe");
        let read = |name: &str| -> Value {
            let text = std::fs::read_to_string(dir.join(name))
                .unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let map = |v: Value| -> BTreeMap<String, Value> {
            v.as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        Fixture {
            subscriptions: read("subscriptions.json")
                .as_array()
                .cloned()
                .unwrap_or_default(),
            discounts: map(read("discounts.json")),
            coupons: map(read("coupons.json")),
            prices: map(read("prices.json")),
        }
    }
}

impl Fixture {
    /// Adds `n` subscriptions that ended in 2020, oldest last: they change no metric, and push
    /// the list past one page of 100.
    pub fn with_old_cancellations(mut self, n: usize) -> Fixture {
        let Some(template) = self.subscriptions.first().cloned() else {
            return self;
        };
        for i in 0..n {
            let mut sub = template.clone();
            sub["id"] = json!(format!("sub_old_{i:04}"));
            sub["customer"] = json!(format!("cus_old_{i:04}"));
            sub["status"] = json!("canceled");
            sub["start_date"] = json!(1_577_836_800 + i as i64);
            sub["created"] = sub["start_date"].clone();
            sub["ended_at"] = json!(1_590_969_600);
            sub["canceled_at"] = json!(1_590_969_600);
            sub["discounts"] = json!([]);
            self.subscriptions.push(sub);
        }
        self
    }
}

struct Shared {
    fixture: Mutex<Fixture>,
    flakiness: Flakiness,
    requests: AtomicUsize,
    log: Mutex<Vec<String>>,
}

/// A running fake Stripe; stops when dropped.
pub struct FakeStripe {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeStripe {
    /// Serves `fixture` on a loopback port.
    pub fn start(fixture: Fixture, flakiness: Flakiness) -> FakeStripe {
        let shared = Arc::new(Shared {
            fixture: Mutex::new(fixture),
            flakiness,
            requests: AtomicUsize::new(0),
            log: Mutex::default(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = Router::new()
            .route("/v1/subscriptions", get(list_subscriptions))
            .route("/v1/coupons/{id}", get(get_coupon))
            .route("/v1/prices/{id}", get(get_price))
            .fallback(|| async {
                stripe_error(
                    StatusCode::NOT_FOUND,
                    "invalid_request_error",
                    "Unrecognized request URL.",
                    None,
                )
            })
            .with_state(shared.clone());
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        FakeStripe {
            addr,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The API base URL (what `--api-base` takes).
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests served so far (failures included).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Every request as `METHOD path?query -> status`, in order.
    pub fn log(&self) -> Vec<String> {
        self.shared
            .log
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// Changes the account (as if something happened in Stripe).
    pub fn update(&self, change: impl FnOnce(&mut Fixture)) {
        if let Ok(mut fixture) = self.shared.fixture.lock() {
            change(&mut fixture);
        }
    }
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn stripe_error(status: StatusCode, kind: &str, message: &str, param: Option<&str>) -> Response {
    let mut error = json!({ "type": kind, "message": message });
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    (status, axum::Json(json!({ "error": error }))).into_response()
}

/// Auth, flakiness and logging shared by every route; `Err` is the response to send instead.
fn gate(shared: &Shared, headers: &HeaderMap, what: String) -> Result<(), Box<Response>> {
    let outcome = decide(shared, headers);
    let status = outcome.as_ref().err().map_or(200, |r| r.status().as_u16());
    if let Ok(mut log) = shared.log.lock() {
        log.push(format!("{what} -> {status}"));
    }
    outcome
}

fn decide(shared: &Shared, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let n = shared.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let basic = format!("Basic {}", base64_basic(KEY));
    if auth != format!("Bearer {KEY}") && auth != basic {
        return Err(Box::new(stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided: sk_test_****************4242",
            None,
        )));
    }
    if shared
        .flakiness
        .rate_limit_every
        .is_some_and(|k| n.is_multiple_of(k))
    {
        let mut response = stripe_error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limit_error",
            "Too many requests hit the API too quickly.",
            None,
        );
        response
            .headers_mut()
            .insert("retry-after", "0".parse().expect("header"));
        response
            .headers_mut()
            .insert("stripe-should-retry", "true".parse().expect("header"));
        return Err(Box::new(response));
    }
    if shared
        .flakiness
        .error_every
        .is_some_and(|k| n.is_multiple_of(k))
    {
        return Err(Box::new(stripe_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "api_error",
            "Something went wrong on Stripe's end.",
            None,
        )));
    }
    Ok(())
}

/// `KEY:` in base64, as Basic auth sends it.
fn base64_basic(key: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn list_subscriptions(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let what = format!("GET /v1/subscriptions?{}", query.as_deref().unwrap_or(""));
    if let Err(refused) = gate(&shared, &headers, what) {
        return *refused;
    }
    let (mut limit, mut status, mut after, mut expand) = (10usize, None, None, Vec::new());
    for (k, v) in query_pairs(query.as_deref()) {
        match k.as_str() {
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => {
                    return stripe_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request_error",
                        "Invalid integer: limit must be between 1 and 100",
                        Some("limit"),
                    );
                }
            },
            "status" => status = Some(v),
            "starting_after" => after = Some(v),
            "expand[]" => expand.push(v),
            other => {
                return stripe_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    &format!("Received unknown parameter: {other}"),
                    Some(other),
                );
            }
        }
    }
    for e in &expand {
        if ![
            "data.discounts",
            "data.discounts.source.coupon",
            "data.items.data.discounts",
        ]
        .contains(&e.as_str())
        {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                &format!("This property cannot be expanded ({e})."),
                Some("expand"),
            );
        }
    }
    let Ok(fixture) = shared.fixture.lock().map(|f| f.clone()) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let visible: Vec<&Value> = fixture
        .subscriptions
        .iter()
        .filter(|s| match status.as_deref() {
            Some("all") => true,
            Some(wanted) => s["status"] == wanted,
            // Stripe leaves canceled subscriptions out unless asked.
            None => s["status"] != "canceled" && s["status"] != "incomplete_expired",
        })
        .collect();
    let start = match &after {
        Some(id) => match visible.iter().position(|s| s["id"] == id.as_str()) {
            Some(i) => i + 1,
            None => {
                return stripe_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    &format!("No such subscription: '{id}'"),
                    Some("starting_after"),
                );
            }
        },
        None => 0,
    };
    let page: Vec<Value> = visible
        .iter()
        .skip(start)
        .take(limit)
        .map(|s| expand_subscription((*s).clone(), &fixture, &expand, shared.flakiness))
        .collect();
    let has_more = start + page.len() < visible.len();
    axum::Json(json!({
        "object": "list",
        "data": page,
        "has_more": has_more,
        "url": "/v1/subscriptions",
    }))
    .into_response()
}

fn expand_subscription(
    mut sub: Value,
    fixture: &Fixture,
    expand: &[String],
    flakiness: Flakiness,
) -> Value {
    if expand.iter().any(|e| e == "data.items.data.discounts")
        && let Some(items) = sub["items"]["data"].as_array_mut()
    {
        for item in items {
            if let Some(list) = item["discounts"].as_array_mut() {
                for d in list.iter_mut() {
                    if let Some(discount) = d.as_str().and_then(|id| fixture.discounts.get(id)) {
                        *d = discount.clone();
                    }
                }
            }
        }
    }
    let discounts = expand.iter().any(|e| e.starts_with("data.discounts"));
    let coupons =
        !flakiness.coupons_as_ids && expand.iter().any(|e| e == "data.discounts.source.coupon");
    if !discounts {
        return sub;
    }
    if let Some(list) = sub["discounts"].as_array_mut() {
        for d in list.iter_mut() {
            let Some(id) = d.as_str() else { continue };
            let Some(mut discount) = fixture.discounts.get(id).cloned() else {
                continue;
            };
            if coupons
                && let Some(coupon) = discount["source"]["coupon"]
                    .as_str()
                    .and_then(|c| fixture.coupons.get(c))
            {
                discount["source"]["coupon"] = coupon.clone();
            }
            *d = discount;
        }
    }
    sub
}

async fn get_coupon(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(refused) = gate(&shared, &headers, format!("GET /v1/coupons/{id}")) {
        return *refused;
    }
    let coupon = shared
        .fixture
        .lock()
        .ok()
        .and_then(|f| f.coupons.get(&id).cloned());
    match coupon {
        Some(c) => axum::Json(c).into_response(),
        None => stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            &format!("No such coupon: '{id}'"),
            Some("coupon"),
        ),
    }
}

async fn get_price(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let what = format!("GET /v1/prices/{id}?{}", query.as_deref().unwrap_or(""));
    if let Err(refused) = gate(&shared, &headers, what) {
        return *refused;
    }
    let tiers = query_pairs(query.as_deref())
        .iter()
        .any(|(k, v)| k == "expand[]" && v == "tiers");
    let price = shared
        .fixture
        .lock()
        .ok()
        .and_then(|f| f.prices.get(&id).cloned());
    match price {
        Some(mut p) => {
            if !tiers && let Some(o) = p.as_object_mut() {
                o.remove("tiers");
            }
            axum::Json(p).into_response()
        }
        None => stripe_error(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            &format!("No such price: '{id}'"),
            Some("price"),
        ),
    }
}

/// The instant every Stripe test runs at (`expected.json` is computed for it).
pub const NOW: &str = "2026-11-26T12:00:00Z";
/// The environment variable the tests pass the key in.
pub const KEY_VAR: &str = "STRIPE_TEST_KEY";

/// `cosos` at [`NOW`], retrying fast, with the key in [`KEY_VAR`].
pub fn pinned(home: &std::path::Path) -> std::process::Command {
    let mut c = super::cosos(home);
    c.env("COSOS_NOW", NOW)
        .env("COSOS_RETRY_BASE_MS", "1")
        .env(KEY_VAR, KEY);
    c
}

/// Runs a command that must succeed and print JSON, and must not print the key.
pub fn ok_json(c: &mut std::process::Command) -> Value {
    let out = super::run(c);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "failed: {stderr}");
    assert!(
        !stdout.contains(KEY) && !stderr.contains(KEY),
        "the key leaked"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// `cosos connect stripe` to `base`, the key from [`KEY_VAR`] (so `c` can override it).
pub fn connect(mut c: std::process::Command, base: &str, webhook_secret: Option<&str>) -> Value {
    c.args([
        "connect",
        "stripe",
        "--api-key-env",
        KEY_VAR,
        "--api-base",
        base,
        "--json",
    ]);
    if let Some(secret) = webhook_secret {
        c.args(["--webhook-secret", secret]);
    }
    ok_json(&mut c)
}
