//! Black-box harness: runs the real `im-server` binary on a free loopback port and speaks HTTP
//! to it, on either storage backend.
//!
//! * [`Backend::Embedded`]: a fresh redb file in a temp dir.
//! * [`Backend::Aws`]: DynamoDB on the local emulator at `IM_TEST_DYNAMODB_ENDPOINT` (set by
//!   `tests/run.sh`), in a table of its own (`--table im-test-<random>`, created by im-server).
//!   Without that variable the test fails with a message saying so; it is never skipped.
//!
//! Write a test once and run it on both backends with [`on_both_backends!`]:
//!
//! ```text
//! mod support;
//! use support::*;
//!
//! on_both_backends! {
//!     /// What it checks.
//!     async fn my_case(backend) {
//!         let s = Server::start(backend, &["alice"]).await;   // alice registered, nickname "alice"
//!         let admin = s.admin_token().await;
//!         let r = s.post("/user/get_users_info", Some(&admin), &json!({"userIDs": ["alice"]})).await;
//!         assert_eq!(r.code(), 0, "{}", r.text());
//!     }
//! }
//! ```
//!
//! This generates the tests `my_case::embedded` and `my_case::aws` (`cargo test aws` runs every
//! DynamoDB variant). The server process is killed when the [`Server`] is dropped.

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// The default secret and admin.
pub const SECRET: &str = "openIM123";
pub const ADMIN: &str = "imAdmin";

/// Environment variable naming the local DynamoDB emulator (see `tests/run.sh`).
pub const DYNAMODB_ENDPOINT_VAR: &str = "IM_TEST_DYNAMODB_ENDPOINT";

/// Storage backend of a test server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded redb store in a temp dir.
    Embedded,
    /// DynamoDB on the local emulator, one table per server.
    Aws,
}

/// Defines `async fn name(backend: Backend)` and the tests `name::embedded` and `name::aws`
/// that run it on each backend. See the module docs.
macro_rules! on_both_backends {
    ($( $(#[$meta:meta])* async fn $name:ident($backend:ident) $body:block )*) => {
        $(
            $(#[$meta])*
            async fn $name($backend: $crate::support::Backend) $body

            mod $name {
                #[tokio::test]
                async fn embedded() {
                    super::$name($crate::support::Backend::Embedded).await
                }

                #[tokio::test]
                async fn aws() {
                    super::$name($crate::support::Backend::Aws).await
                }
            }
        )*
    };
}
pub(crate) use on_both_backends;

/// A running im-server, killed on drop.
pub struct Server {
    child: Child,
    /// Base URL, `http://127.0.0.1:<port>`.
    pub base: String,
    /// WebSocket gateway address, `127.0.0.1:<port>`.
    pub ws_addr: String,
    /// HTTP client (20 s timeout).
    pub http: reqwest::Client,
    /// Backend it runs on.
    pub backend: Backend,
    /// DynamoDB table (aws backend).
    pub table: Option<String>,
    dir: tempfile::TempDir,
}

/// A response: status, headers, raw body.
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    /// The body as JSON (panics when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// A header's value ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    /// errCode of the envelope.
    pub fn code(&self) -> i64 {
        self.json()["errCode"].as_i64().unwrap_or(-1)
    }
    /// errDlt of the envelope.
    pub fn dlt(&self) -> String {
        self.json()["errDlt"].as_str().unwrap_or_default().to_string()
    }
    /// `data` of the envelope (`Null` when absent).
    pub fn data(&self) -> Value {
        self.json().get("data").cloned().unwrap_or(Value::Null)
    }
    /// `data`, asserting errCode 0.
    pub fn ok(&self) -> Value {
        assert_eq!(self.code(), 0, "{}", self.text());
        self.data()
    }
}

/// `N` distinct free loopback ports (all held until every one is chosen).
fn free_ports<const N: usize>() -> [u16; N] {
    let held: Vec<TcpListener> = (0..N).map(|_| TcpListener::bind("127.0.0.1:0").expect("free port")).collect();
    std::array::from_fn(|i| held[i].local_addr().map(|a| a.port()).expect("local addr"))
}

/// A table name no other test uses.
fn fresh_table() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("im-test-{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

fn dynamodb_endpoint() -> String {
    match std::env::var(DYNAMODB_ENDPOINT_VAR) {
        Ok(e) if !e.is_empty() => e,
        _ => panic!(
            "{DYNAMODB_ENDPOINT_VAR} is not set: the aws variant of this test runs im-server on the local \
             DynamoDB emulator. Run tests/run.sh (it starts moto and sets the variable), or start \
             `.venv-tests/bin/python tests/moto/serve.py --port N` and export {DYNAMODB_ENDPOINT_VAR}=http://127.0.0.1:N"
        ),
    }
}

impl Server {
    /// Starts a server on `backend` and registers these ordinary users (nickname = user ID).
    pub async fn start(backend: Backend, users: &[&str]) -> Server {
        Self::start_with(backend, users, &[]).await
    }

    /// Same, with extra command-line arguments.
    pub async fn start_with(backend: Backend, users: &[&str], args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let [port, ws_port, connections_port] = free_ports::<3>();
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_im-server"));
        cmd.args(["--http-addr", &format!("127.0.0.1:{port}"), "--log-level", "warn", "--data-dir"])
            .arg(dir.path())
            .env_remove("IM_BACKEND")
            .env_remove("IM_TABLE")
            // The in-process pipeline unless a test passes queue URLs as arguments.
            .env_remove("IM_TRANSFER_QUEUE_URL")
            .env_remove("IM_PUSH_QUEUE_URL")
            // Every server its own gateway ports (env, so a build without these options ignores them).
            .env("IM_WS_ADDR", format!("127.0.0.1:{ws_port}"))
            .env("IM_CONNECTIONS_ADDR", format!("127.0.0.1:{connections_port}"))
            .stdout(Stdio::null())
            .stderr(log);
        let table = match backend {
            Backend::Embedded => None,
            Backend::Aws => {
                let table = fresh_table();
                cmd.args(["--backend", "aws", "--table", &table]).env("AWS_ENDPOINT_URL", dynamodb_endpoint());
                for (k, default) in [
                    ("AWS_ACCESS_KEY_ID", "test"),
                    ("AWS_SECRET_ACCESS_KEY", "test"),
                    ("AWS_REGION", "us-east-1"),
                    ("AWS_EC2_METADATA_DISABLED", "true"),
                ] {
                    if std::env::var_os(k).is_none() {
                        cmd.env(k, default);
                    }
                }
                Some(table)
            }
        };
        cmd.args(args);
        let child = cmd.spawn().expect("spawn im-server");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            ws_addr: format!("127.0.0.1:{ws_port}"),
            http,
            backend,
            table,
            dir,
        };
        server.wait_ready().await;
        if !users.is_empty() {
            let admin = server.admin_token().await;
            server.register(&admin, users).await;
        }
        server
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = self.http.get(format!("{}/healthz", self.base)).send().await
                && r.status() == 200
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("im-server ({:?}) exited during startup ({status}):\n{}", self.backend, self.log());
            }
            assert!(Instant::now() < deadline, "im-server ({:?}) did not become ready:\n{}", self.backend, self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// The process ID (to signal it).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit, up to `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Sends a raw request.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let r = req.send().await.expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.bytes().await.expect("body").to_vec();
        Resp { status, headers, body }
    }

    /// POSTs `body` to `path` with an operationID and, if given, a token.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.post_in(None, path, token, body).await
    }

    /// Same, in `tenant` (`X-Tenant-ID`; `None`: the default tenant).
    pub async fn post_in(&self, tenant: Option<&str>, path: &str, token: Option<&str>, body: &Value) -> Resp {
        let mut req = self.http.post(format!("{}{path}", self.base)).header("operationID", "op-test").json(body);
        if let Some(t) = token {
            req = req.header("token", t);
        }
        if let Some(t) = tenant {
            req = req.header("X-Tenant-ID", t);
        }
        self.send(req).await
    }

    /// An admin token (asserting success).
    pub async fn admin_token(&self) -> String {
        self.admin_token_in(None).await
    }

    /// An admin token of `tenant` (asserting success).
    pub async fn admin_token_in(&self, tenant: Option<&str>) -> String {
        let r = self.post_in(tenant, "/auth/get_admin_token", None, &json!({"secret": SECRET, "userID": ADMIN})).await;
        r.ok()["token"].as_str().expect("token").to_string()
    }

    /// A user token for `user_id` on `platform_id` (asserting success).
    pub async fn user_token(&self, admin: &str, user_id: &str, platform_id: i32) -> String {
        let body = json!({"userID": user_id, "platformID": platform_id});
        let r = self.post("/auth/get_user_token", Some(admin), &body).await;
        r.ok()["token"].as_str().expect("token").to_string()
    }

    /// Registers ordinary users (nickname = user ID) through `/user/user_register`.
    pub async fn register(&self, admin: &str, users: &[&str]) {
        let list: Vec<Value> = users.iter().map(|u| json!({"userID": u, "nickname": u})).collect();
        let r = self.post("/user/user_register", Some(admin), &json!({ "users": list })).await;
        assert_eq!(r.code(), 0, "registering {users:?}: {}", r.text());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Keys of a JSON object, sorted.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    k.sort();
    k
}

/// Signs arbitrary claims with `secret` (HS256), independently of the server's code.
pub fn sign(secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

/// Now, Unix seconds.
pub fn now_s() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
