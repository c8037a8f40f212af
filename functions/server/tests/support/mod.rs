//! Black-box harness: runs the real `im-server` binary on a free loopback port with a temp data
//! dir, and speaks HTTP to it.

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use im_adapters::embedded::EmbeddedStore;
use im_domain::TenantId;
use im_repo::{UserRecord, UserRepo};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// The default secret and admin.
pub const SECRET: &str = "openIM123";
pub const ADMIN: &str = "imAdmin";

/// A running im-server, killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A response: status, headers, raw body.
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    /// errCode of the envelope.
    pub fn code(&self) -> i64 {
        self.json()["errCode"].as_i64().unwrap_or(-1)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

impl Server {
    /// Starts a server whose store already holds these ordinary users (default tenant).
    pub async fn start(users: &[&str]) -> Server {
        Self::start_with(users, &[]).await
    }

    /// Same, with extra command-line arguments.
    pub async fn start_with(users: &[&str], args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        seed_users(dir.path(), users).await;
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_im-server"))
            .args(["--http-addr", &format!("127.0.0.1:{port}"), "--log-level", "warn", "--data-dir"])
            .arg(dir.path())
            .args(args)
            .env_remove("IM_BACKEND")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn im-server");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
        let server = Server { child, base: format!("http://127.0.0.1:{port}"), http, _dir: dir };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = self.http.get(format!("{}/healthz", self.base)).send().await
                && r.status() == 200
            {
                return;
            }
            assert!(Instant::now() < deadline, "im-server did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
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
        let mut req = self.http.post(format!("{}{path}", self.base)).header("operationID", "op-test").json(body);
        if let Some(t) = token {
            req = req.header("token", t);
        }
        self.send(req).await
    }

    /// An admin token (asserting success).
    pub async fn admin_token(&self) -> String {
        let r = self.post("/auth/get_admin_token", None, &serde_json::json!({"secret": SECRET, "userID": ADMIN})).await;
        assert_eq!(r.code(), 0, "{}", r.text());
        r.json()["data"]["token"].as_str().expect("token").to_string()
    }

    /// A user token for `user_id` on `platform_id` (asserting success).
    pub async fn user_token(&self, admin: &str, user_id: &str, platform_id: i32) -> String {
        let body = serde_json::json!({"userID": user_id, "platformID": platform_id});
        let r = self.post("/auth/get_user_token", Some(admin), &body).await;
        assert_eq!(r.code(), 0, "{}", r.text());
        r.json()["data"]["token"].as_str().expect("token").to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn seed_users(dir: &std::path::Path, users: &[&str]) {
    if users.is_empty() {
        return;
    }
    let store = Arc::new(EmbeddedStore::open(dir.join("im.redb")).expect("open store"));
    let repo = UserRepo::new(store);
    for id in users {
        let u = UserRecord { user_id: id.to_string(), nickname: id.to_string(), ..UserRecord::default() };
        assert!(repo.create(&TenantId::default_tenant(), &u).await.expect("seed user"));
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
