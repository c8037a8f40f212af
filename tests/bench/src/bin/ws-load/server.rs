//! The im-server under load: a child process on an embedded store in a temp dir (or an existing
//! server), and the HTTP calls that set the benchmark up (admin token, users, user tokens, the
//! fan-out group).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::BoxError;

/// Users per `/user/user_register` call (the server's limit).
const REGISTER_BATCH: usize = 1000;
/// IDs per `create_group` / `invite_user_to_group` call (the server's limit).
const GROUP_BATCH: usize = 1000;
/// Concurrent `get_user_token` calls.
const TOKEN_CONCURRENCY: usize = 32;

/// The server the benchmark talks to.
pub struct Target {
    /// `http://host:port` of the HTTP API.
    pub http: String,
    /// `ws://host:port` of the gateway.
    pub ws: String,
    /// Process ID of a server this benchmark started.
    pub pid: Option<u32>,
    child: Option<Child>,
    dir: Option<tempfile::TempDir>,
    client: reqwest::Client,
    admin: String,
}

/// A free loopback port.
fn free_port() -> Result<u16, BoxError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Target {
    /// Starts `bin` on free loopback ports with its embedded store in a temp dir.
    pub async fn spawn(bin: &Path, secret: &str, admin_id: &str) -> Result<Target, BoxError> {
        if !bin.exists() {
            return Err(format!(
                "{} not found: build it with `cargo build --release -p im-server` or pass --server-bin",
                bin.display()
            )
            .into());
        }
        let dir = tempfile::tempdir()?;
        let (http, ws, conn) = (free_port()?, free_port()?, free_port()?);
        let log = std::fs::File::create(dir.path().join("server.log"))?;
        let child = Command::new(bin)
            .args(["--http-addr", &format!("127.0.0.1:{http}")])
            .args(["--ws-addr", &format!("127.0.0.1:{ws}")])
            .args(["--connections-addr", &format!("127.0.0.1:{conn}")])
            .args(["--log-level", "warn", "--backend", "embedded", "--secret", secret])
            .args(["--admin-user-ids", admin_id])
            .arg("--data-dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let mut t = Target {
            http: format!("http://127.0.0.1:{http}"),
            ws: format!("ws://127.0.0.1:{ws}"),
            pid: Some(child.id()),
            child: Some(child),
            dir: Some(dir),
            client: reqwest::Client::builder().timeout(Duration::from_secs(120)).build()?,
            admin: String::new(),
        };
        t.wait_ready().await?;
        t.admin = t.admin_token(secret, admin_id).await?;
        Ok(t)
    }

    /// A server that is already running (`pid`: its process, when known, for its CPU figures).
    pub async fn existing(
        http: &str,
        ws: &str,
        pid: Option<u32>,
        secret: &str,
        admin_id: &str,
    ) -> Result<Target, BoxError> {
        let mut t = Target {
            http: http.trim_end_matches('/').to_string(),
            ws: ws.trim_end_matches('/').to_string(),
            pid,
            child: None,
            dir: None,
            client: reqwest::Client::builder().timeout(Duration::from_secs(120)).build()?,
            admin: String::new(),
        };
        t.admin = t.admin_token(secret, admin_id).await?;
        Ok(t)
    }

    async fn wait_ready(&mut self) -> Result<(), BoxError> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = self.client.get(format!("{}/healthz", self.http)).send().await
                && r.status() == 200
            {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!("im-server exited during startup ({status}):\n{}", self.log()).into());
            }
            if Instant::now() > deadline {
                return Err(format!("im-server did not become ready:\n{}", self.log()).into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The started server's log (empty for an existing server).
    pub fn log(&self) -> String {
        self.dir.as_ref().and_then(|d| std::fs::read_to_string(d.path().join("server.log")).ok()).unwrap_or_default()
    }

    /// POSTs `body`; the envelope's `data`, or an error naming the call and the envelope.
    async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Result<Value, BoxError> {
        let mut req = self.client.post(format!("{}{path}", self.http)).header("operationID", "ws-load").json(body);
        if let Some(t) = token {
            req = req.header("token", t);
        }
        let v: Value = req.send().await?.json().await?;
        if v["errCode"].as_i64() != Some(0) {
            return Err(format!("{path}: {v}").into());
        }
        Ok(v.get("data").cloned().unwrap_or(Value::Null))
    }

    async fn admin_token(&self, secret: &str, admin_id: &str) -> Result<String, BoxError> {
        let data = self.post("/auth/get_admin_token", None, &json!({"secret": secret, "userID": admin_id})).await?;
        Ok(data["token"].as_str().ok_or("get_admin_token: no token")?.to_string())
    }

    /// Registers users (nickname = ID).
    pub async fn register(&self, ids: &[String]) -> Result<(), BoxError> {
        for chunk in ids.chunks(REGISTER_BATCH) {
            let users: Vec<Value> = chunk.iter().map(|u| json!({"userID": u, "nickname": u})).collect();
            self.post("/user/user_register", Some(&self.admin), &json!({ "users": users })).await?;
        }
        Ok(())
    }

    /// User tokens for `(userID, platformID)` pairs, in order.
    pub async fn tokens(&self, who: &[(String, i32)]) -> Result<Vec<String>, BoxError> {
        let mut out = vec![String::new(); who.len()];
        for (c, chunk) in who.chunks(TOKEN_CONCURRENCY).enumerate() {
            let mut tasks = JoinSet::new();
            for (i, (user, platform)) in chunk.iter().enumerate() {
                let (client, url, admin) =
                    (self.client.clone(), format!("{}/auth/get_user_token", self.http), self.admin.clone());
                let body = json!({"userID": user, "platformID": platform});
                tasks.spawn(async move {
                    let r = client
                        .post(url)
                        .header("operationID", "ws-load")
                        .header("token", admin)
                        .json(&body)
                        .send()
                        .await;
                    let v: Value = match r {
                        Ok(r) => r.json().await.unwrap_or(Value::Null),
                        Err(e) => return (i, Err(e.to_string())),
                    };
                    match v["data"]["token"].as_str() {
                        Some(t) => (i, Ok(t.to_string())),
                        None => (i, Err(format!("get_user_token: {v}"))),
                    }
                });
            }
            while let Some(joined) = tasks.join_next().await {
                let (i, token) = joined?;
                out[c * TOKEN_CONCURRENCY + i] = token?;
            }
        }
        Ok(out)
    }

    /// Creates a working group owned by `members[0]` with every other ID in `members` (create,
    /// then invitations of at most 1000); returns its ID.
    pub async fn group(&self, members: &[String]) -> Result<String, BoxError> {
        let (owner, rest) = members.split_first().ok_or("a group needs an owner")?;
        let first = &rest[..rest.len().min(GROUP_BATCH - 1)];
        let body = json!({
            "ownerUserID": owner,
            "memberUserIDs": first,
            "groupInfo": {"groupName": "ws-load fan-out", "groupType": 2},
        });
        let data = self.post("/group/create_group", Some(&self.admin), &body).await?;
        let gid = data["groupInfo"]["groupID"].as_str().ok_or("create_group: no groupID")?.to_string();
        for chunk in rest[first.len()..].chunks(GROUP_BATCH) {
            let body = json!({"groupID": gid, "reason": "ws-load", "invitedUserIDs": chunk});
            self.post("/group/invite_user_to_group", Some(&self.admin), &body).await?;
        }
        Ok(gid)
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
