//! Fuzz-style robustness test of the HTTP API: 10,000 deterministic malformed requests spread
//! over every route im-server serves (the `ROUTES` tables of every mounted function crate), sent
//! to the real binary on the embedded store with an admin token, a user token, no token or a
//! garbage one, and randomly missing or broken headers.
//!
//! Bodies start from the route's sample Lambda event (`events/*.json`, so the fields are the
//! route's real ones) and are broken in one of several ways: random bytes, truncated JSON, wrong
//! JSON types at known fields, huge or out-of-range numbers, deep nesting, huge strings (under
//! the 8 MiB body limit), top-level `null`/arrays/scalars, invalid UTF-8, case-variant duplicate
//! keys, random JSON trees, protobuf garbage — plus some unbroken bodies so handlers run too.
//!
//! Every answer must be HTTP 200 with a JSON envelope whose `errCode` is an integer — except the
//! reference §1.9 routes (`/msg/send_msg`, `/msg/batch_send_msg`,
//! `/msg/send_business_notification`), which may answer HTTP 400 with a 1001 envelope (gin's
//! `BindJSON` quirk). No 5xx, no transport error, `/healthz` keeps answering, and the server log
//! has no panic. Unknown routes (plain 404) are not fuzzed.
//!
//! `IM_FUZZ_SEED` and `IM_FUZZ_CASES` override the seed and the number of cases (for exploring;
//! the defaults are what the suite runs).

// Embedded only: `on_both_backends!` is not used here.
mod fuzz_support;
#[allow(unused_macros, unused_imports)]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use fuzz_support::{Case, FUZZ_USER, Templates, Who, field_names, generate, load_templates, template_users};
use im_http::RouteInfo;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};
use support::*;
use tokio::sync::{Mutex, RwLock};

/// Default seed (any value reproduces its own run exactly: case `i` depends only on seed and `i`).
const SEED: u64 = 0x1A2B_3C4D_5E6F_7081;
/// Default number of requests.
const CASES: usize = 10_000;
/// Requests in flight.
const CONCURRENCY: usize = 8;
/// The §1.9 routes whose binding failures answer HTTP 400 (with a 1001 envelope).
const BIND_400_ROUTES: [&str; 3] = ["/msg/send_msg", "/msg/batch_send_msg", "/msg/send_business_notification"];
/// Failures reported in full.
const MAX_REPORTED: usize = 20;

/// Every function crate im-server mounts, with its declared routes.
fn mounted() -> Vec<(&'static str, &'static [RouteInfo])> {
    vec![
        ("auth", im_fn_auth::ROUTES),
        ("user", im_fn_user::ROUTES),
        ("msg", im_fn_msg::ROUTES),
        ("friend", im_fn_friend::ROUTES),
        ("group", im_fn_group::ROUTES),
        ("conversation", im_fn_conversation::ROUTES),
        ("jssdk", im_fn_jssdk::ROUTES),
    ]
}

/// What went wrong with one answer, if anything.
fn check(case: &Case, status: u16, body: &[u8]) -> Result<i64, String> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| format!("status {status}, body is not JSON ({e}): {:?}", String::from_utf8_lossy(body)))?;
    let code =
        v.get("errCode").and_then(Value::as_i64).ok_or_else(|| format!("status {status}, no integer errCode: {v}"))?;
    if !v["errMsg"].is_string() || !v["errDlt"].is_string() {
        return Err(format!("status {status}, errMsg/errDlt not strings: {v}"));
    }
    if code != 0 && v.get("data").is_some() {
        return Err(format!("status {status}, error envelope with data: {v}"));
    }
    let bind_quirk = status == 400 && code == 1001 && BIND_400_ROUTES.contains(&case.route);
    if status != 200 && !bind_quirk {
        return Err(format!("status {status}: {v}"));
    }
    Ok(code)
}

/// Tallies of a run.
#[derive(Default)]
struct Tally {
    by_code: BTreeMap<i64, usize>,
    by_status: BTreeMap<u16, usize>,
    by_kind: BTreeMap<&'static str, usize>,
    by_who: BTreeMap<String, usize>,
    routes: BTreeSet<&'static str>,
    failures: Vec<String>,
    failure_count: usize,
    /// A few cases per internal/unlisted errCode (500, codes outside OpenIM's table), for the log.
    unusual: BTreeMap<i64, Vec<String>>,
    bytes_sent: usize,
    token_refreshes: usize,
}

struct Shared {
    server: Server,
    /// A client without connection reuse (see [`fresh_client`]).
    client: reqwest::Client,
    admin: String,
    user: RwLock<String>,
    routes: Vec<&'static str>,
    templates: Templates,
    names: Vec<String>,
    seed: u64,
    next: AtomicUsize,
    cases: usize,
    tally: Mutex<Tally>,
}

async fn healthz(s: &Server) -> Result<(), String> {
    let r = s.http.get(format!("{}/healthz", s.base)).send().await.map_err(|e| format!("/healthz: {e}"))?;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    if status == 200 && text == "ok" { Ok(()) } else { Err(format!("/healthz answered {status} {text:?}")) }
}

/// An error with its sources.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(": {s}"));
        source = s.source();
    }
    out
}

async fn run_case(sh: &Shared, case: &Case) -> Result<i64, String> {
    let s = &sh.server;
    let mut req = sh.client.post(format!("{}{}", s.base, case.route)).body(case.body.clone());
    let user_token = sh.user.read().await.clone();
    let token: Option<Vec<u8>> = match case.who {
        Who::Admin => Some(sh.admin.clone().into_bytes()),
        Who::User => Some(user_token.clone().into_bytes()),
        Who::NoToken => None,
        Who::Garbage => Some(case.garbage_token.clone()),
    };
    let mut headers: Vec<(&str, Vec<u8>)> = Vec::new();
    if let Some(t) = token {
        headers.push(("token", t));
    }
    if let Some(op) = case.operation_id {
        headers.push(("operationID", op.as_bytes().to_vec()));
    }
    if let Some(ct) = case.content_type {
        headers.push(("content-type", ct.as_bytes().to_vec()));
    }
    if let Some(t) = &case.tenant {
        headers.push(("X-Tenant-ID", t.clone()));
    }
    for (name, value) in headers {
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(&value)) else {
            continue; // Not sendable over HTTP/1 at all: same as missing.
        };
        req = req.header(name, value);
    }
    let sent = Instant::now();
    let resp = req.send().await.map_err(|e| format!("transport error after {:?}: {}", sent.elapsed(), chain(&e)))?;
    let status = resp.status().as_u16();
    let body = resp.bytes().await.map_err(|e| format!("status {status}, reading the body: {e}"))?;
    let code = check(case, status, &body)?;
    // A fuzzed request may have invalidated the user's token (multi-login, force_logout): get a
    // fresh one so later user cases keep reaching the handlers.
    if case.who == Who::User && (1501..=1507).contains(&code) {
        let mut current = sh.user.write().await;
        if *current == user_token {
            let r =
                s.post("/auth/get_user_token", Some(&sh.admin), &json!({"userID": FUZZ_USER, "platformID": 5})).await;
            if let Some(t) = r.json()["data"]["token"].as_str() {
                *current = t.to_string();
                sh.tally.lock().await.token_refreshes += 1;
            }
        }
    }
    {
        let mut t = sh.tally.lock().await;
        *t.by_status.entry(status).or_default() += 1;
    }
    Ok(code)
}

async fn worker(sh: Arc<Shared>) {
    loop {
        let index = sh.next.fetch_add(1, Ordering::Relaxed);
        if index >= sh.cases {
            return;
        }
        let case = generate(sh.seed, index, &sh.routes, &sh.templates, &sh.names);
        let result = run_case(&sh, &case).await;
        let alive = if index % 1_000 == 999 { healthz(&sh.server).await } else { Ok(()) };
        let mut t = sh.tally.lock().await;
        t.bytes_sent += case.body.len();
        *t.by_kind.entry(case.kind).or_default() += 1;
        *t.by_who.entry(format!("{:?}", case.who)).or_default() += 1;
        t.routes.insert(case.route);
        match result {
            Ok(code) => {
                *t.by_code.entry(code).or_default() += 1;
                let listed = i32::try_from(code).ok().and_then(im_domain::ErrCode::from_code).is_some();
                if code == 500 || (code != 0 && !listed) {
                    let examples = t.unusual.entry(code).or_default();
                    if examples.len() < 3 {
                        examples.push(case.describe());
                    }
                }
            }
            Err(e) => {
                t.failure_count += 1;
                if t.failures.len() < MAX_REPORTED {
                    t.failures.push(format!("{}\n    -> {e}", case.describe()));
                }
            }
        }
        if let Err(e) = alive {
            t.failure_count += 1;
            t.failures.push(format!("after case {index}: {e}"));
        }
    }
}

/// The last `n` bytes of `text` (or a little more, to start on a character boundary).
fn tail(text: &str, n: usize) -> &str {
    let mut start = text.len().saturating_sub(n);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    &text[start..]
}

/// The fuzzing client: one connection per request. When a request is refused before its body
/// is read (header gate), hyper closes the connection after answering unless the whole body was
/// already buffered, without a `Connection: close` header; a pooled client can then race the
/// close and reuse the dying connection ("connection closed before message completed"). That is
/// ordinary HTTP/1.1 behaviour, not a failed answer, so every request gets its own connection and
/// any transport error left is the server's.
fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Every `im_fn_*` crate that im-server's main mounts is in [`mounted`], so its routes are fuzzed.
#[test]
fn every_mounted_function_crate_is_fuzzed() {
    let main = include_str!("../src/main.rs");
    let fuzzed: BTreeSet<String> = mounted().iter().map(|(name, _)| name.to_string()).collect();
    let mut named = BTreeSet::new();
    // `im_fn_<name>::mount…(` or `im_fn_<name>::<module>::mount…(`: a router mounted on the app.
    for (i, _) in main.match_indices("im_fn_") {
        let rest = &main[i + "im_fn_".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let path: String = rest[name.len()..].chars().take_while(|c| *c != '(').collect();
        if path.split("::").last().is_some_and(|f| f.starts_with("mount")) {
            named.insert(name);
        }
    }
    assert_eq!(named, fuzzed, "im-server's mounted function crates (left) must be exactly the fuzzed ones (right)");
}

/// Same seed, same cases: generation is a pure function of (seed, index).
#[test]
fn generation_is_deterministic() {
    let t = load_templates();
    let names = field_names(&t);
    let routes: Vec<&'static str> = mounted().iter().flat_map(|(_, r)| r.iter().map(|r| r.path)).collect();
    for i in [0usize, 1, 77, 4_321, 9_999] {
        let (a, b) = (generate(SEED, i, &routes, &t, &names), generate(SEED, i, &routes, &t, &names));
        assert_eq!((a.body, a.kind, a.route), (b.body, b.kind, b.route), "case {i}");
    }
    let differs = (0..50)
        .filter(|&i| generate(SEED, i, &routes, &t, &names).body != generate(SEED + 1, i, &routes, &t, &names).body);
    assert!(differs.count() > 25, "the seed must matter");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn malformed_requests_on_every_route_get_envelopes() {
    let seed = env_or("IM_FUZZ_SEED", SEED);
    let cases = env_or("IM_FUZZ_CASES", CASES);
    let templates = load_templates();
    let names = field_names(&templates);
    let routes: Vec<&'static str> = mounted().iter().flat_map(|(_, r)| r.iter().map(|r| r.path)).collect();
    let missing: Vec<&&str> =
        routes.iter().filter(|r| !templates.json.contains_key(**r) && !templates.raw.contains_key(**r)).collect();
    println!(
        "fuzz: seed {seed:#x}, {cases} cases, {} routes ({} without a sample event: {missing:?})",
        routes.len(),
        missing.len()
    );

    let s = Server::start(Backend::Embedded, &[FUZZ_USER]).await;
    let admin = s.admin_token().await;
    for user in template_users(&templates) {
        // Best effort: IDs that are not valid user IDs stay unregistered.
        let _ =
            s.post("/user/user_register", Some(&admin), &json!({"users": [{"userID": user, "nickname": user}]})).await;
    }
    let user = s.user_token(&admin, FUZZ_USER, 5).await;
    let shared = Arc::new(Shared {
        server: s,
        client: fresh_client(),
        admin,
        user: RwLock::new(user),
        routes,
        templates,
        names,
        seed,
        next: AtomicUsize::new(0),
        cases,
        tally: Mutex::new(Tally::default()),
    });

    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY).map(|_| tokio::spawn(worker(shared.clone()))).collect();
    for w in workers {
        w.await.expect("worker");
    }
    let elapsed = started.elapsed();
    let alive = healthz(&shared.server).await;
    let log = shared.server.log();

    let t = shared.tally.lock().await;
    println!(
        "fuzz: {} requests in {:.1} s ({:.0}/s), {:.1} MB of bodies, {} user-token refreshes",
        cases,
        elapsed.as_secs_f64(),
        cases as f64 / elapsed.as_secs_f64().max(1e-9),
        t.bytes_sent as f64 / 1e6,
        t.token_refreshes
    );
    println!("fuzz: by kind {:?}", t.by_kind);
    println!("fuzz: by caller {:?}", t.by_who);
    println!("fuzz: by HTTP status {:?}", t.by_status);
    println!("fuzz: by errCode {:?}", t.by_code);
    for (code, examples) in &t.unusual {
        for e in examples {
            println!("fuzz: errCode {code} for {e}");
        }
    }
    let mut problems: Vec<String> = t.failures.clone();
    if t.failure_count > t.failures.len() {
        problems.push(format!("… {} failures in all", t.failure_count));
    }
    if let Err(e) = alive {
        problems.push(format!("after the run: {e}"));
    }
    if log.contains("panicked") {
        problems.push("the server log reports a panic".into());
    }
    let unvisited: Vec<&&str> = shared.routes.iter().filter(|r| !t.routes.contains(**r)).collect();
    if !unvisited.is_empty() {
        problems.push(format!("routes never fuzzed: {unvisited:?}"));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}\n--- server log (tail) ---\n{}",
        problems.len(),
        problems.join("\n"),
        tail(&log, 4_000)
    );
    // Not a timing assertion: a guard that the run did what it says.
    assert_eq!(t.by_code.values().sum::<usize>(), cases);
    assert!(t.by_code.keys().count() > 5, "the fuzz reached too few distinct outcomes: {:?}", t.by_code);
}
