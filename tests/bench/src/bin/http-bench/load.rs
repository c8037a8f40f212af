//! Throughput: the im-server router on the embedded store vs a bare axum JSON echo.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use im_adapters::embedded::EmbeddedStore;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_bench::Figures;
use im_domain::TenantId;
use im_domain::clock::SystemClock;
use im_domain::store::DynStore;
use im_http::{App, HttpOptions};
use im_repo::{UserRecord, UserRepo};

use crate::BoxError;

/// Users registered for the benchmark (`bench_0` … `bench_99`).
const USERS: usize = 100;
/// Warm-up before each measured phase.
const WARM_UP: Duration = Duration::from_secs(1);
/// The request body of both phases.
const BODY: &str = r#"{"userIDs":["bench_1","bench_2"]}"#;

/// Serves `router` on a free loopback port; returns its base URL.
async fn serve(router: Router) -> Result<String, BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(im_http::server::serve(listener, router, std::future::pending()));
    Ok(format!("http://{addr}"))
}

/// The router im-server builds for these routes: auth and user groups, `/healthz`, the global
/// middleware; on an embedded store in `dir`. Returns it with a user token.
async fn im_router(dir: &std::path::Path) -> Result<(Router, String), BoxError> {
    let store: DynStore = Arc::new(EmbeddedStore::open(dir.join("im.redb"))?);
    let auth =
        Arc::new(AuthService::new(AuthConfig::default(), store.clone(), Arc::new(SystemClock), Arc::new(NoopKicker)));
    let tenant = TenantId::default_tenant();
    auth.ensure_admin_users(&tenant).await?;
    let users = UserRepo::new(store.clone());
    for i in 0..USERS {
        let id = format!("bench_{i}");
        let user = UserRecord { user_id: id.clone(), nickname: id, create_time: 1, ..UserRecord::default() };
        users.create(&tenant, &user).await?;
    }
    let token = auth.get_user_token(&tenant, "bench_0", 5).await?.token;
    let app = App::new().raw(Router::new().route("/healthz", get(|| async { "ok" })));
    let app = im_fn_auth::mount(app, auth.clone());
    let app = im_fn_user::mount(app, im_fn_user::UserState::new(store, auth.clone()));
    Ok((app.into_router(auth, HttpOptions::default()), token))
}

/// A bare JSON echo: parses the body and answers it re-serialised.
fn echo_router() -> Router {
    async fn echo(body: Bytes) -> axum::response::Response {
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(v) => ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response(),
            Err(e) => (axum::http::StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        }
    }
    Router::new().route("/user/get_users_info", post(echo))
}

/// `connections` tasks POST the body to `url` until `duration` has passed.
async fn drive(
    name: &str,
    client: &reqwest::Client,
    url: &str,
    token: &str,
    connections: usize,
    duration: Duration,
) -> Result<Figures, BoxError> {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (client, url, token) = (client.clone(), url.to_string(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let t = Instant::now();
                let resp = client
                    .post(&url)
                    .header("operationID", "bench")
                    .header("token", &token)
                    .header("content-type", "application/json")
                    .body(BODY)
                    .send()
                    .await;
                let ok = match resp {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                if ok { lat.push(t.elapsed()) } else { errors += 1 }
            }
            (lat, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await?;
        all.extend(lat);
        errors += e;
    }
    if errors > 0 {
        return Err(format!("{name}: {errors} failed requests").into());
    }
    Ok(Figures::new(name, start.elapsed(), all))
}

/// Checks the im router answers the benchmark request with a success envelope.
async fn check_success(client: &reqwest::Client, url: &str, token: &str) -> Result<(), BoxError> {
    let r = client.post(url).header("operationID", "bench").header("token", token).body(BODY).send().await?;
    let v: serde_json::Value = serde_json::from_slice(&r.bytes().await?)?;
    if v["errCode"] != 0 || v["data"]["usersInfo"].as_array().map(Vec::len) != Some(2) {
        return Err(format!("unexpected answer from the im router: {v}").into());
    }
    Ok(())
}

/// Runs both phases and prints the figures.
pub async fn run(duration: Duration, connections: usize) -> Result<(), BoxError> {
    let dir = tempfile::tempdir()?;
    let (router, token) = im_router(dir.path()).await?;
    let im = serve(router).await?;
    let echo = serve(echo_router()).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(connections).build()?;
    let (im_url, echo_url) = (format!("{im}/user/get_users_info"), format!("{echo}/user/get_users_info"));
    check_success(&client, &im_url, &token).await?;

    println!(
        "\n== throughput: POST /user/get_users_info, {connections} connections, {} s per phase, loopback HTTP/1.1",
        duration.as_secs()
    );
    drive("warm-up", &client, &echo_url, &token, connections, WARM_UP).await?;
    let bare = drive("axum JSON echo", &client, &echo_url, &token, connections, duration).await?;
    drive("warm-up", &client, &im_url, &token, connections, WARM_UP).await?;
    let full = drive("im router (embedded store)", &client, &im_url, &token, connections, duration).await?;
    println!("{}", bare.line());
    println!("{}", full.line());
    println!(
        "ratio: im router = {:.1} % of the bare echo's requests/s (p50 {:.2}×, p99 {:.2}× the echo's latency)",
        100.0 * full.per_second() / bare.per_second().max(1e-9),
        full.quantile(0.5).as_secs_f64() / bare.quantile(0.5).as_secs_f64().max(1e-12),
        full.quantile(0.99).as_secs_f64() / bare.quantile(0.99).as_secs_f64().max(1e-12),
    );
    Ok(())
}
