//! WebSocket test client for im-server's gateway: starts a server with its gateway on free
//! loopback ports and speaks the OpenIM protocol (gob or JSON envelopes, optional gzip) with
//! tokio-tungstenite.

#![allow(dead_code)]

use std::net::TcpListener;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use im_wire::ws::{self, Encoding, WsReq, WsResp};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::support::{Backend, Server};

/// Access key and secret of the `@connections` API in tests.
pub const ACCESS_KEY: &str = "AKIDGATEWAYTEST";
/// Secret of [`ACCESS_KEY`].
pub const SECRET_KEY: &str = "gateway-test-secret";

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// An im-server with its gateway listening.
pub struct Gw {
    /// The server (HTTP helpers).
    pub server: Server,
    /// `ws://127.0.0.1:<port>`.
    pub ws: String,
    /// `http://127.0.0.1:<port>` of the `@connections` API.
    pub connections: String,
    /// An admin token.
    pub admin: String,
}

impl Gw {
    /// Starts im-server on `backend` with these users and extra arguments.
    pub async fn start(backend: Backend, users: &[&str], extra: &[&str]) -> Gw {
        let (ws_port, conn_port) = (free_port(), free_port());
        let ws_addr = format!("127.0.0.1:{ws_port}");
        let conn_addr = format!("127.0.0.1:{conn_port}");
        let mut args = vec![
            "--ws-addr",
            &ws_addr,
            "--connections-addr",
            &conn_addr,
            "--connections-access-key",
            ACCESS_KEY,
            "--connections-secret-key",
            SECRET_KEY,
        ];
        args.extend_from_slice(extra);
        let server = Server::start_with(backend, users, &args).await;
        let admin = server.admin_token().await;
        Gw { server, ws: format!("ws://{ws_addr}"), connections: format!("http://{conn_addr}"), admin }
    }

    /// A user token.
    pub async fn token(&self, user: &str, platform: i32) -> String {
        self.server.user_token(&self.admin, user, platform).await
    }

    /// The handshake URL of `user` on `platform` with `token` and extra query parameters.
    pub fn url(&self, user: &str, token: &str, platform: i32, extra: &str) -> String {
        format!(
            "{}/?sendID={user}&token={token}&platformID={platform}&operationID=op-{user}&isBackground=false{extra}",
            self.ws
        )
    }

    /// Connects `user` on `platform` (fresh token) in `mode`, asserting success.
    pub async fn connect(&self, user: &str, platform: i32, mode: Mode) -> Client {
        let token = self.token(user, platform).await;
        self.connect_with(user, &token, platform, mode).await
    }

    /// Connects with a given token, asserting success.
    pub async fn connect_with(&self, user: &str, token: &str, platform: i32, mode: Mode) -> Client {
        match Client::open(&self.url(user, token, platform, &mode.query()), user, mode).await {
            Ok(c) => c,
            Err(f) => panic!("handshake of {user} failed: {f:?}\n{}", self.server.log()),
        }
    }
}

/// Envelope settings of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// gob or JSON.
    pub encoding: Encoding,
    /// gzip frames.
    pub gzip: bool,
    /// Ask for the in-socket handshake result.
    pub msg_resp: bool,
}

impl Mode {
    /// The Go/wasm SDK's: gob + gzip + isMsgResp.
    pub const GO: Mode = Mode { encoding: Encoding::Gob, gzip: true, msg_resp: true };
    /// The JS SDK's: JSON, no gzip, isMsgResp.
    pub const JS: Mode = Mode { encoding: Encoding::Json, gzip: false, msg_resp: true };
    /// The Python client's: gob + gzip, no isMsgResp.
    pub const PY: Mode = Mode { encoding: Encoding::Gob, gzip: true, msg_resp: false };
    /// Plain gob.
    pub const GOB: Mode = Mode { encoding: Encoding::Gob, gzip: false, msg_resp: false };

    /// The query parameters selecting this mode.
    pub fn query(&self) -> String {
        let mut q = String::new();
        if self.encoding == Encoding::Json {
            q.push_str("&sdkType=js");
        }
        if self.gzip {
            q.push_str("&compression=gzip");
        }
        if self.msg_resp {
            q.push_str("&isMsgResp=true");
        }
        q
    }
}

/// A failed handshake: HTTP status and body.
#[derive(Debug)]
pub struct Failed {
    /// HTTP status (200 for OpenIM errors).
    pub status: u16,
    /// Body.
    pub body: String,
}

/// What the server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A decoded envelope.
    Resp(WsResp),
    /// A text frame.
    Text(String),
    /// A WebSocket pong.
    Pong(Vec<u8>),
    /// The connection closed.
    Closed,
}

/// A connected client.
pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Its user.
    pub user: String,
    /// Its mode.
    pub mode: Mode,
    /// Text frame received right after the handshake (isMsgResp).
    pub hello: Option<String>,
    pending: Vec<WsResp>,
    incr: u64,
    /// Connection ID (from the upgrade response's `x-openim-connection-id`).
    pub conn_id: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client {{ user: {:?}, conn_id: {:?}, mode: {:?} }}", self.user, self.conn_id, self.mode)
    }
}

impl Client {
    /// Opens a socket to `url`; `Err` with the HTTP answer when the server refuses the upgrade.
    pub async fn open(url: &str, user: &str, mode: Mode) -> Result<Client, Failed> {
        let req = url.into_client_request().expect("request");
        let (ws, resp) = match tokio_tungstenite::connect_async_with_config(req, None, true).await {
            Ok(ok) => ok,
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => {
                let body = r.body().as_ref().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
                return Err(Failed { status: r.status().as_u16(), body });
            }
            Err(e) => panic!("connect {url}: {e}"),
        };
        let conn_id =
            resp.headers().get("x-openim-connection-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let mut c = Client { ws, user: user.into(), mode, hello: None, pending: Vec::new(), incr: 0, conn_id };
        if mode.msg_resp {
            match c.next(Duration::from_secs(10)).await {
                Some(Frame::Text(t)) => c.hello = Some(t),
                other => panic!("expected the handshake text frame, got {other:?}"),
            }
        }
        Ok(c)
    }

    /// Sends raw bytes as a binary frame.
    pub async fn send_binary(&mut self, bytes: Vec<u8>) -> bool {
        self.ws.send(Message::Binary(bytes.into())).await.is_ok()
    }

    /// Sends a text frame.
    pub async fn send_text(&mut self, text: &str) -> bool {
        self.ws.send(Message::Text(text.into())).await.is_ok()
    }

    /// Sends a WebSocket ping.
    pub async fn ping(&mut self, payload: &[u8]) -> bool {
        self.ws.send(Message::Ping(payload.to_vec().into())).await.is_ok()
    }

    /// The next frame (pings skipped; tungstenite answers them), or `None` on timeout.
    pub async fn next(&mut self, timeout: Duration) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let msg = match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return None,
                Ok(None) | Ok(Some(Err(_))) => return Some(Frame::Closed),
                Ok(Some(Ok(m))) => m,
            };
            return Some(match msg {
                Message::Binary(b) => {
                    let r = ws::decode_resp(&b, self.mode.encoding, self.mode.gzip)
                        .unwrap_or_else(|e| panic!("undecodable server frame: {e}"));
                    Frame::Resp(r)
                }
                Message::Text(t) => Frame::Text(t.to_string()),
                Message::Pong(p) => Frame::Pong(p.to_vec()),
                Message::Close(_) => Frame::Closed,
                _ => continue,
            });
        }
    }

    /// Encodes and sends a request envelope; returns its msgIncr.
    pub async fn send_req(&mut self, ident: i32, data: Vec<u8>) -> String {
        self.incr += 1;
        let incr = format!("{}_{}", self.user, self.incr);
        let req = WsReq {
            req_identifier: ident,
            send_id: self.user.clone(),
            operation_id: format!("op-{incr}"),
            msg_incr: incr.clone(),
            data,
            ..WsReq::default()
        };
        assert!(self.send_binary(ws::encode_req(&req, self.mode.encoding, self.mode.gzip)).await, "send");
        incr
    }

    /// Sends a request and waits for its response (other envelopes are kept for [`Self::push`]).
    pub async fn request(&mut self, ident: i32, data: Vec<u8>) -> WsResp {
        let incr = self.send_req(ident, data).await;
        self.response(&incr).await
    }

    /// Waits for the response with `incr`.
    pub async fn response(&mut self, incr: &str) -> WsResp {
        loop {
            match self.next(Duration::from_secs(15)).await {
                Some(Frame::Resp(r)) if r.msg_incr == incr => return r,
                Some(Frame::Resp(r)) => self.pending.push(r),
                Some(Frame::Pong(_)) => {}
                other => panic!("waiting for the response to {incr}: {other:?}"),
            }
        }
    }

    /// The next envelope with `ident` (kept or newly received), within `timeout`.
    pub async fn push(&mut self, ident: i32, timeout: Duration) -> Option<WsResp> {
        if let Some(i) = self.pending.iter().position(|r| r.req_identifier == ident) {
            return Some(self.pending.remove(i));
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Some(Frame::Resp(r)) if r.req_identifier == ident => return Some(r),
                Some(Frame::Resp(r)) => self.pending.push(r),
                Some(Frame::Text(_) | Frame::Pong(_)) => {}
                Some(Frame::Closed) | None => return None,
            }
        }
    }

    /// Waits until the server closes the connection (frames before it are collected).
    pub async fn closed(&mut self, timeout: Duration) -> Option<Vec<Frame>> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Some(Frame::Closed) => return Some(seen),
                Some(f) => seen.push(f),
                None => return None,
            }
        }
    }
}
