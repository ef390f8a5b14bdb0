//! A local PostHog-shaped query API for tests.
//!
//! `POST /api/projects/{id}/query/` checks the Bearer key and the body
//! (`{"query":{"kind":"HogQLQuery","query":...}}`), reads the HogQL text far enough to tell the
//! puller's funnel query from its retention query (a small lexer that unescapes string literals
//! the way HogQL does, so escaping is tested end to end), and answers with rows computed from a
//! fixture event log by a straightforward re-implementation of what the query means. Behaviours:
//! flaky (a 500 first, then a 429 with `Retry-After` on every 3rd request), always 503, PostHog
//! error bodies for 400/401/403/404, and the asynchronous `query_status` flow with
//! `GET /api/projects/{id}/query/{query_id}/`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

/// The personal API key the server accepts.
pub const KEY: &str = "phx_TestKey7f3a9c1e5b2d8f4a6c0e2b4d6f8a0c1e";
/// A key the server knows but that lacks the `query:read` scope.
pub const NO_SCOPE_KEY: &str = "phx_NoScope1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d";
/// The project the server serves.
pub const PROJECT: u64 = 4242;
/// An event name the server answers with a HogQL error (400).
pub const BAD_EVENT: &str = "__cosos_unknown_event__";
/// An event name full of characters that could break out of a HogQL string literal.
pub const HOSTILE_EVENT: &str = "it's \"done\" \\' OR 1=1); DROP TABLE events; --\n\t\\";

/// How the server misbehaves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Answers every valid request at once.
    #[default]
    Normal,
    /// Request 1 gets a 500, every 3rd request a 429 with `Retry-After: 1`.
    Flaky,
    /// Every request gets a 503.
    AlwaysDown,
    /// Queries run asynchronously and complete on the second status check.
    AsyncCompletes,
    /// Queries run asynchronously and end in an error.
    AsyncFails,
    /// Queries run asynchronously and never complete.
    AsyncNeverCompletes,
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The status answered.
    pub status: u16,
}

/// What the server parsed out of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A funnel: steps, window in seconds, `[from, to)`.
    Funnel {
        steps: Vec<String>,
        window_s: i64,
        from: NaiveDateTime,
        to: NaiveDateTime,
    },
    /// A retention: start event, return event, `[from, to)`.
    Retention {
        start: String,
        back: String,
        from: NaiveDateTime,
        to: NaiveDateTime,
    },
}

/// Shared server state.
pub struct ServerState {
    mode: Mode,
    count: AtomicUsize,
    /// Every request, in order.
    pub seen: Mutex<Vec<Seen>>,
    /// Every query the server understood, in order.
    pub parsed: Mutex<Vec<Parsed>>,
    pending: Mutex<BTreeMap<String, (Value, usize)>>,
}

impl ServerState {
    /// The statuses answered, in order.
    pub fn statuses(&self) -> Vec<u16> {
        self.seen.lock().unwrap().iter().map(|s| s.status).collect()
    }

    /// How many requests of `method` arrived.
    pub fn requests(&self, method: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.method == method)
            .count()
    }
}

/// Starts a server in `mode`; returns its base URL and state.
pub async fn start(mode: Mode) -> (String, Arc<ServerState>) {
    let state = Arc::new(ServerState {
        mode,
        count: AtomicUsize::new(0),
        seen: Mutex::new(Vec::new()),
        parsed: Mutex::new(Vec::new()),
        pending: Mutex::new(BTreeMap::new()),
    });
    let app = Router::new()
        .route("/api/projects/{project}/query/", post(run_query))
        .route("/api/projects/{project}/query/{id}/", get(query_status))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

fn error(status: StatusCode, kind: &str, code: &str, detail: &str) -> Response {
    let body = json!({ "type": kind, "code": code, "detail": detail, "attr": null });
    (status, axum::Json(body)).into_response()
}

/// Misbehaviour (before auth, like a load balancer), auth and project checks for both routes.
fn gate(state: &ServerState, headers: &HeaderMap, project: &str) -> Option<Response> {
    let n = state.count.fetch_add(1, Ordering::SeqCst) + 1;
    let refused = match state.mode {
        Mode::AlwaysDown => Some(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            "error",
            "Service temporarily unavailable.",
        )),
        Mode::Flaky if n == 1 => Some(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "error",
            "A server error occurred.",
        )),
        Mode::Flaky if n.is_multiple_of(3) => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled_error",
                "throttled",
                "Request was throttled. Expected available in 1 second.",
            );
            response
                .headers_mut()
                .insert("retry-after", "1".parse().unwrap());
            Some(response)
        }
        _ => None,
    };
    if refused.is_some() {
        return refused;
    }
    let presented = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if presented == NO_SCOPE_KEY {
        return Some(error(
            StatusCode::FORBIDDEN,
            "authentication_error",
            "permission_denied",
            "API key missing required scope 'query:read'",
        ));
    }
    if presented != KEY {
        // Real services sometimes quote the key back; the client must not pass it on.
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "authentication_failed",
            &format!("Personal API key '{presented}' is invalid."),
        ));
    }
    if project != PROJECT.to_string() {
        return Some(error(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "not_found",
            "Not found.",
        ));
    }
    None
}

fn record(state: &ServerState, method: &'static str, response: Response) -> Response {
    state.seen.lock().unwrap().push(Seen {
        method,
        status: response.status().as_u16(),
    });
    response
}

async fn run_query(
    State(state): State<Arc<ServerState>>,
    Path(project): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let response = match gate(&state, &headers, &project) {
        Some(refused) => refused,
        None => answer_query(&state, &body),
    };
    record(&state, "POST", response)
}

fn answer_query(state: &ServerState, body: &str) -> Response {
    let invalid = |detail: &str| {
        error(
            StatusCode::BAD_REQUEST,
            "validation_error",
            "invalid_input",
            detail,
        )
    };
    let Ok(body) = serde_json::from_str::<Value>(body) else {
        return invalid("JSON parse error.");
    };
    if body.as_object().map(|o| o.len()) != Some(1)
        || body["query"]["kind"] != "HogQLQuery"
        || body["query"].as_object().map(|o| o.len()) != Some(2)
    {
        return invalid("Expected {\"query\": {\"kind\": \"HogQLQuery\", \"query\": ...}}.");
    }
    let Some(text) = body["query"]["query"].as_str() else {
        return invalid("query.query must be a string.");
    };
    let parsed = match parse(text) {
        Ok(parsed) => parsed,
        Err(detail) => {
            return error(
                StatusCode::BAD_REQUEST,
                "validation_error",
                "query_error",
                &detail,
            );
        }
    };
    let mentions_bad = match &parsed {
        Parsed::Funnel { steps, .. } => steps.iter().any(|s| s == BAD_EVENT),
        Parsed::Retention { start, back, .. } => start == BAD_EVENT || back == BAD_EVENT,
    };
    if mentions_bad {
        return error(
            StatusCode::BAD_REQUEST,
            "validation_error",
            "query_error",
            &format!("Event '{BAD_EVENT}' does not exist in this project"),
        );
    }
    state.parsed.lock().unwrap().push(parsed.clone());
    let result = compute(&parsed);
    let id = format!("q{}", state.count.load(Ordering::SeqCst));
    let running = json!({
        "query_status": {
            "id": id, "complete": false, "error": false, "query_async": true, "team_id": PROJECT,
        },
        "results": null,
    });
    match state.mode {
        Mode::AsyncCompletes | Mode::AsyncFails | Mode::AsyncNeverCompletes => {
            state.pending.lock().unwrap().insert(id, (result, 0));
            axum::Json(running).into_response()
        }
        _ => axum::Json(result).into_response(),
    }
}

async fn query_status(
    State(state): State<Arc<ServerState>>,
    Path((project, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let response = match gate(&state, &headers, &project) {
        Some(refused) => refused,
        None => status_of(&state, &id),
    };
    record(&state, "GET", response)
}

fn status_of(state: &ServerState, id: &str) -> Response {
    let mut pending = state.pending.lock().unwrap();
    let Some((result, checks)) = pending.get_mut(id) else {
        return error(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "not_found",
            "Query not found.",
        );
    };
    *checks += 1;
    let base = json!({ "id": id, "query_async": true, "team_id": PROJECT });
    let mut status = base.as_object().unwrap().clone();
    match (state.mode, *checks) {
        (Mode::AsyncCompletes, n) if n >= 2 => {
            status.insert("complete".into(), json!(true));
            status.insert("error".into(), json!(false));
            status.insert("results".into(), result.clone());
        }
        (Mode::AsyncFails, n) if n >= 2 => {
            status.insert("complete".into(), json!(true));
            status.insert("error".into(), json!(true));
            status.insert(
                "error_message".into(),
                json!("Memory limit exceeded while running the query"),
            );
        }
        _ => {
            status.insert("complete".into(), json!(false));
            status.insert("error".into(), json!(false));
        }
    }
    axum::Json(json!({ "query_status": status })).into_response()
}

// ---------------------------------------------------------------------------------------------
// A lexer for the subset of HogQL the puller writes.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Num(i64),
    Ident(String),
    Punct(char),
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next() {
                    None => return Err("Syntax error: unterminated string literal".into()),
                    Some('\\') => {
                        let escaped = chars
                            .next()
                            .ok_or("Syntax error: unterminated string literal")?;
                        s.push(match escaped {
                            'n' => '\n',
                            'r' => '\r',
                            't' => '\t',
                            '0' => '\0',
                            'a' => '\u{7}',
                            'b' => '\u{8}',
                            'v' => '\u{b}',
                            'f' => '\u{c}',
                            other => other,
                        });
                    }
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        s.push('\'');
                    }
                    Some('\'') => break,
                    Some(other) => s.push(other),
                }
            }
            toks.push(Tok::Str(s));
        } else if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n.push(d);
                chars.next();
            }
            toks.push(Tok::Num(n.parse().map_err(|_| "Syntax error: number")?));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let mut id = String::new();
            while let Some(&d) = chars
                .peek()
                .filter(|d| d.is_ascii_alphanumeric() || **d == '_' || **d == '$')
            {
                id.push(d);
                chars.next();
            }
            toks.push(Tok::Ident(id));
        } else {
            toks.push(Tok::Punct(c));
            chars.next();
        }
    }
    Ok(toks)
}

fn ident(t: &Tok, name: &str) -> bool {
    matches!(t, Tok::Ident(i) if i == name)
}

/// Index just past the parenthesis that closes the one at `open`.
fn close_of(toks: &[Tok], open: usize) -> Result<usize, String> {
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
    }
    Err("Syntax error: unbalanced parentheses".into())
}

/// The string literals compared with `event = '...'` in `toks`.
fn event_literals(toks: &[Tok]) -> Vec<String> {
    toks.windows(3)
        .filter_map(|w| match w {
            [Tok::Ident(e), Tok::Punct('='), Tok::Str(s)] if e == "event" => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// `toDateTime('...')` bounds, in order.
fn date_bounds(toks: &[Tok]) -> Result<(NaiveDateTime, NaiveDateTime), String> {
    let dates: Vec<NaiveDateTime> = toks
        .windows(4)
        .filter_map(|w| match w {
            [Tok::Ident(f), Tok::Punct('('), Tok::Str(s), Tok::Punct(')')] if f == "toDateTime" => {
                NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()
            }
            _ => None,
        })
        .collect();
    match dates.as_slice() {
        [from, to] => Ok((*from, *to)),
        _ => Err("Expected exactly two toDateTime bounds".into()),
    }
}

/// Recognises the puller's funnel or retention query.
fn parse(text: &str) -> Result<Parsed, String> {
    let toks = lex(text)?;
    if !matches!(toks.first(), Some(t) if ident(t, "SELECT"))
        || !toks.iter().any(|t| ident(t, "LIMIT"))
    {
        return Err("Expected a SELECT with a LIMIT".into());
    }
    let (from, to) = date_bounds(&toks)?;
    if let Some(at) = toks.iter().position(|t| ident(t, "windowFunnel")) {
        let window_s = match toks.get(at + 1..at + 5) {
            Some(
                [
                    Tok::Punct('('),
                    Tok::Num(w),
                    Tok::Punct(')'),
                    Tok::Punct('('),
                ],
            ) => *w,
            _ => return Err("windowFunnel expects (window)(timestamp, conditions...)".into()),
        };
        let end = close_of(&toks, at + 4)?;
        let steps = event_literals(&toks[at + 4..end]);
        if steps.is_empty() {
            return Err("windowFunnel has no conditions".into());
        }
        return Ok(Parsed::Funnel {
            steps,
            window_s,
            from,
            to,
        });
    }
    let call = |name: &str| -> Result<Vec<String>, String> {
        let at = toks
            .iter()
            .position(|t| ident(t, name))
            .ok_or_else(|| format!("Unknown query: no {name}"))?;
        let end = close_of(&toks, at + 1)?;
        Ok(event_literals(&toks[at + 1..end]))
    };
    let start = call("minIf")?;
    let back = call("groupUniqArrayIf")?;
    match (start.as_slice(), back.as_slice()) {
        ([start], [back]) => Ok(Parsed::Retention {
            start: start.clone(),
            back: back.clone(),
            from,
            to,
        }),
        _ => Err("Unknown query".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The fixture event log and what the queries mean over it.

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// `(person, event, time)`; the project's timezone is UTC. See `tests/posthog.rs` for the
/// hand-computed answers.
pub fn events() -> Vec<(&'static str, &'static str, NaiveDateTime)> {
    let raw: &[(&str, &str, &str)] = &[
        // Funnel, March 2026: $pageview -> user signed up -> activated, 14-day window.
        ("p1", "$pageview", "2026-03-02 10:00"),
        ("p1", "user signed up", "2026-03-03 10:00"),
        ("p1", "activated", "2026-03-05 10:00"),
        ("p2", "$pageview", "2026-03-02 11:00"),
        ("p2", "user signed up", "2026-03-04 11:00"),
        ("p3", "$pageview", "2026-03-03 09:00"),
        ("p3", "user signed up", "2026-03-20 09:00"), // 17 days later: outside the window
        ("p3", "activated", "2026-03-21 09:00"),
        ("p4", "user signed up", "2026-03-04 12:00"), // before the visit: out of order
        ("p4", "$pageview", "2026-03-05 12:00"),
        ("p5", "activated", "2026-03-06 12:00"), // never did step 1
        ("p6", "$pageview", "2026-02-20 12:00"), // before the range
        ("p6", "user signed up", "2026-03-02 12:00"),
        ("p6", "activated", "2026-03-03 12:00"),
        ("p7", "$pageview", "2026-03-10 08:00"),
        ("p7", "$pageview", "2026-03-25 08:00"), // a later visit starts a new window
        ("p7", "user signed up", "2026-03-26 08:00"),
        ("p7", "activated", "2026-03-30 08:00"),
        ("p8", "$pageview", "2026-03-30 08:00"),
        ("p8", "user signed up", "2026-04-01 08:00"), // after the range
        ("p9", "$pageview", "2026-03-15 08:00"),
        ("p9", "activated", "2026-03-16 08:00"), // before signing up: does not count
        ("p9", "user signed up", "2026-03-17 08:00"),
        // Retention, weeks of 2026-04-27 .. 2026-05-25, to 2026-05-27.
        ("r1", "user signed up", "2026-05-04 09:00"),
        ("r1", "$pageview", "2026-05-05 09:00"),
        ("r1", "$pageview", "2026-05-12 09:00"),
        ("r1", "$pageview", "2026-05-26 09:00"),
        ("r2", "user signed up", "2026-05-06 09:00"),
        ("r2", "$pageview", "2026-05-13 09:00"),
        ("r2", "$pageview", "2026-05-14 09:00"),
        ("r3", "user signed up", "2026-05-07 09:00"),
        ("r4", "user signed up", "2026-05-10 22:00"), // a Sunday: still the week of May 4
        ("r4", "$pageview", "2026-05-20 09:00"),
        ("r5", "user signed up", "2026-05-12 09:00"),
        ("r5", "$pageview", "2026-05-19 09:00"),
        ("r5", "$pageview", "2026-05-26 09:00"),
        ("r6", "user signed up", "2026-05-13 09:00"),
        ("r6", "user signed up", "2026-05-20 09:00"), // a second signup does not move the cohort
        ("r6", "$pageview", "2026-05-27 09:00"),
        ("r7", "user signed up", "2026-05-19 09:00"),
        ("r7", "$pageview", "2026-05-25 09:00"),
        ("r8", "user signed up", "2026-05-26 09:00"),
        ("r8", "$pageview", "2026-05-26 10:00"),
        ("r9", "$pageview", "2026-05-12 09:00"), // never signed up
        ("r10", "user signed up", "2026-05-05 09:00"),
        ("r10", "$pageview", "2026-05-28 09:00"), // after `to`
        // Hostile event names, June 2026.
        ("h1", "$pageview", "2026-06-01 09:00"),
        ("h1", HOSTILE_EVENT, "2026-06-02 09:00"),
        ("h2", HOSTILE_EVENT, "2026-06-02 09:00"),
        ("h3", "$pageview", "2026-06-03 09:00"),
        ("h3", "it's", "2026-06-03 10:00"), // a prefix of the hostile name: not the same event
    ];
    raw.iter().map(|&(p, e, t)| (p, e, at(t))).collect()
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

fn response(columns: &[&str], types: &[&str], rows: Vec<Value>) -> Value {
    json!({
        "results": rows,
        "columns": columns,
        "types": columns.iter().zip(types).map(|(c, t)| json!([c, t])).collect::<Vec<_>>(),
        "hasMore": false,
        "is_cached": false,
        "timezone": "UTC",
    })
}

/// Each person's events in `[from, to)` with a name in `names`, in time order.
fn by_person(
    names: &BTreeSet<&str>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> BTreeMap<&'static str, Vec<(&'static str, NaiveDateTime)>> {
    let mut out: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for (person, event, time) in events() {
        if names.contains(event) && time >= from && time < to {
            out.entry(person).or_default().push((event, time));
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|&(_, t)| t);
    }
    out
}

fn compute(parsed: &Parsed) -> Value {
    match parsed {
        Parsed::Funnel {
            steps,
            window_s,
            from,
            to,
        } => {
            let names = steps.iter().map(String::as_str).collect();
            let mut per_level: BTreeMap<usize, u64> = BTreeMap::new();
            for list in by_person(&names, *from, *to).values() {
                // windowFunnel: the longest in-order chain started by any step-1 event.
                let mut best = 0;
                for (i, &(event, start)) in list.iter().enumerate() {
                    if event != steps[0] {
                        continue;
                    }
                    let mut level = 1;
                    for &(e, t) in &list[i + 1..] {
                        if (t - start).num_seconds() > *window_s {
                            break;
                        }
                        if level < steps.len() && e == steps[level] {
                            level += 1;
                        }
                    }
                    best = best.max(level);
                }
                if best > 0 {
                    *per_level.entry(best).or_default() += 1;
                }
            }
            let rows = per_level
                .into_iter()
                .map(|(level, persons)| json!([level, persons]))
                .collect();
            response(&["level", "persons"], &["UInt8", "UInt64"], rows)
        }
        Parsed::Retention {
            start,
            back,
            from,
            to,
        } => {
            let names = [start.as_str(), back.as_str()].into_iter().collect();
            let mut counts: BTreeMap<(NaiveDate, i64), u64> = BTreeMap::new();
            for list in by_person(&names, *from, *to).values() {
                let Some(&(_, first)) = list.iter().find(|(e, _)| e == start) else {
                    continue;
                };
                let cohort = monday(first.date());
                let mut offsets: BTreeSet<i64> = [0].into_iter().collect();
                for &(e, t) in list {
                    let offset = (monday(t.date()) - cohort).num_days() / 7;
                    if e == back && offset >= 1 {
                        offsets.insert(offset);
                    }
                }
                for offset in offsets {
                    *counts.entry((cohort, offset)).or_default() += 1;
                }
            }
            let rows = counts
                .into_iter()
                .map(|((week, offset), persons)| {
                    json!([week.format("%Y-%m-%d").to_string(), offset, persons])
                })
                .collect();
            response(
                &["cohort_week", "week_offset", "persons"],
                &["Date", "Int32", "UInt64"],
                rows,
            )
        }
    }
}
