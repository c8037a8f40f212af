//! im-server's WebSocket listener (reference §5): any path; handshake errors as HTTP 200 JSON
//! (or, with `isMsgResp`, one text frame and a close); binary request frames, text heartbeat
//! frames; 51,200-byte frames; 30 s read deadline re-armed by any inbound frame (pongs
//! included); server pings every 27 s to Web connections; a 256-frame outbound queue.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::extract::{ConnectInfo as AxumConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use im_domain::constants::platform;
use im_repo::connection::EndpointKind;
use tokio::time::Instant;

use super::hub::{Hub, Registered, WireOut};
use crate::frames::Outbound;
use crate::gateway::{Gateway, Inbound};
use crate::handshake::{self, Params};
use crate::session::{ConnectInfo, Session};

/// Largest frame read (OpenIM's hard-coded limit); larger frames close the connection.
pub const MAX_FRAME: usize = im_wire::ws::MAX_FRAME_LEN;
/// Bytes read from a socket at a time. The WebSocket library zero-fills this much of its read
/// buffer before every read (its default, 128 KiB, cost a memset per frame and 128 KiB per idle
/// connection); SDK frames are a few hundred bytes, and larger ones grow the buffer as needed.
pub const READ_BUFFER: usize = 4 * 1024;
/// Read deadline, re-armed by every inbound frame.
pub const READ_WAIT: Duration = Duration::from_secs(30);
/// Interval of server pings to Web connections.
pub const PING_PERIOD: Duration = Duration::from_secs(27);
/// Response header of a successful upgrade naming the connection ID (the ID of the
/// `@connections` API; clients ignore it).
pub const CONNECTION_ID_HEADER: &str = "x-openim-connection-id";
/// How long a closing connection may take to flush its queue.
const FLUSH_WAIT: Duration = Duration::from_secs(5);

/// Shared state of the listener.
pub(crate) struct WsState {
    pub gateway: Arc<Gateway>,
    pub hub: Arc<Hub>,
    /// Management API URL written into this node's connection records.
    pub endpoint: String,
    /// Read deadline (tests shorten it).
    pub read_wait: Duration,
    /// Ping period for Web connections.
    pub ping_period: Duration,
}

fn json_200(body: String) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn header_fn(headers: &HeaderMap) -> impl Fn(&str) -> Option<String> + '_ {
    move |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).map(str::to_string)
}

/// The upgrade handler, mounted on every path.
pub(crate) async fn entry(
    State(st): State<Arc<WsState>>,
    AxumConnectInfo(remote): AxumConnectInfo<SocketAddr>,
    headers: HeaderMap,
    uri: Uri,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let params = Params::from_query(uri.query().unwrap_or_default());
    let lookup = header_fn(&headers);
    let mut remote_addr = remote.to_string();
    if let Some(xff) = lookup("x-forwarded-for") {
        remote_addr = format!("{remote_addr}_{xff}");
    }
    let info = ConnectInfo {
        conn_id: String::new(),
        endpoint: st.endpoint.clone(),
        kind: EndpointKind::Node,
        remote_addr,
        user_agent: lookup("user-agent").unwrap_or_default(),
    };
    let session = match st.gateway.authenticate(&params, &lookup, &info).await {
        Ok(s) => s,
        Err(rej) => {
            return match (rej.in_socket, upgrade) {
                (true, Ok(up)) => up.on_upgrade(move |mut ws| async move {
                    let _ = ws.send(Message::Text(rej.body().into())).await;
                    let _ = ws.send(Message::Close(None)).await;
                }),
                _ => json_200(rej.body()),
            };
        }
    };
    match upgrade {
        Err(r) => r.into_response(),
        Ok(up) => {
            let conn_id = HeaderValue::from_str(&session.conn_id).ok();
            let mut resp = up
                .max_message_size(MAX_FRAME)
                .max_frame_size(MAX_FRAME)
                .read_buffer_size(READ_BUFFER)
                .on_failed_upgrade(|e| tracing::debug!(error = %e, "websocket upgrade failed"))
                .on_upgrade(move |ws| run(st, Arc::new(session), ws));
            if let Some(id) = conn_id {
                resp.headers_mut().insert(CONNECTION_ID_HEADER, id);
            }
            resp
        }
    }
}

/// One connection, from upgrade to close.
async fn run(st: Arc<WsState>, session: Arc<Session>, ws: WebSocket) {
    let first = session.msg_resp.then(|| Outbound::Text(handshake::result_body(None)));
    let Registered { rx, tx, kill, last_active } = st.hub.insert(session.clone(), first);
    let (sink, mut stream) = ws.split();
    let writer = tokio::spawn(write_loop(sink, rx));
    if let Err(e) = st.gateway.open(&session).await {
        tracing::warn!(conn = %session.conn_id, error = %e, "opening a connection failed");
        st.hub.remove(&session.conn_id);
        drop(tx);
        finish(writer).await;
        st.gateway.close(&session).await;
        return;
    }
    let clock = st.gateway.env.clock.clone();
    let deadline = tokio::time::sleep(st.read_wait);
    tokio::pin!(deadline);
    let web = session.platform_id == platform::WEB;
    let mut ping = tokio::time::interval_at(Instant::now() + st.ping_period, st.ping_period);
    let refresh_every = Duration::from_secs((st.gateway.cfg.record_ttl_secs / 3).max(1) as u64);
    let mut refresh = tokio::time::interval_at(Instant::now() + refresh_every, refresh_every);
    loop {
        tokio::select! {
            biased;
            _ = kill.notified() => break,
            _ = &mut deadline => break,
            _ = ping.tick(), if web => {
                if tx.try_send(WireOut::Ping).is_err() {
                    break;
                }
            }
            _ = refresh.tick() => {
                if let Ok(false) = st.gateway.refresh(&session).await {
                    let _ = st.gateway.registry.put(&session.tenant, &session.record(
                        clock.now_s() + st.gateway.cfg.record_ttl_secs)).await;
                }
            }
            msg = stream.next() => {
                deadline.as_mut().reset(Instant::now() + st.read_wait);
                last_active.store(clock.now_ms(), Ordering::Relaxed);
                let Some(Ok(msg)) = msg else { break };
                let outcome = match &msg {
                    Message::Binary(b) => st.gateway.handle_frame(&session, Inbound::Binary(b)).await,
                    Message::Text(t) => st.gateway.handle_frame(&session, Inbound::Text(t.as_str().as_bytes())).await,
                    // tungstenite answers pings by itself (on the next read, i.e. right away).
                    Message::Ping(_) | Message::Pong(_) => continue,
                    Message::Close(_) => break,
                };
                let mut ok = true;
                for reply in outcome.replies {
                    if tx.try_send(WireOut::Frame(reply)).is_err() {
                        ok = false;
                        break;
                    }
                }
                if !ok || outcome.close {
                    break;
                }
            }
        }
    }
    st.hub.remove(&session.conn_id);
    drop(tx);
    st.gateway.close(&session).await;
    finish(writer).await;
}

/// Lets the writer flush (kick frames, last replies) for a while, then stops it.
async fn finish(mut writer: tokio::task::JoinHandle<()>) {
    if tokio::time::timeout(FLUSH_WAIT, &mut writer).await.is_err() {
        writer.abort();
    }
}

/// Writes queued frames until every sender is gone, then closes the socket.
/// The WebSocket message of an outbound item.
fn ws_message(out: WireOut) -> Message {
    match out {
        WireOut::Frame(Outbound::Binary(b)) => Message::Binary(b.into()),
        WireOut::Frame(Outbound::Text(t)) => Message::Text(t.into()),
        WireOut::Ping => Message::Ping(Vec::new().into()),
    }
}

async fn write_loop(
    mut sink: futures_util::stream::SplitSink<WebSocket, Message>,
    mut rx: tokio::sync::mpsc::Receiver<WireOut>,
) {
    while let Some(out) = rx.recv().await {
        if sink.feed(ws_message(out)).await.is_err() {
            return;
        }
        // Frames queued meanwhile go out with it: one flush (one socket write) for the lot.
        while let Ok(out) = rx.try_recv() {
            if sink.feed(ws_message(out)).await.is_err() {
                return;
            }
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
    let _ = sink.send(Message::Close(None)).await;
    let _ = sink.close().await;
}
