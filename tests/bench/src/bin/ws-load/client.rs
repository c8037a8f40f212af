//! One simulated SDK connection: a gob (optionally gzip) WebSocket client task that sends 1003
//! requests on command and times every 1003 response and every 2001 push it receives.
//!
//! Timing travels in the frames themselves: a request's `msgIncr` is `<phase>:<µs>` and a
//! message's `clientMsgID` is `wl:<phase>:<µs>:<user>:<n>`, where `<µs>` is the send time on this
//! process's monotonic clock ([`now_us`]); the recipient's receive time minus it is the
//! send→push latency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use im_wire::pb::sdkws::{MsgData, PushMessages};
use im_wire::ws::{self, Encoding, WsReq};
use prost::Message as _;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Phases a run may have (indexes of [`Counters`] and [`Stats`]).
pub const PHASES: usize = 10;
/// WebSocket ping period of a client (the server's read deadline is 30 s).
const PING_EVERY: Duration = Duration::from_secs(20);
/// reqIdentifier of a send.
const SEND_MSG: i32 = 1003;
/// reqIdentifier of a push.
const PUSH_MSG: i32 = 2001;

static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Microseconds since the first call (the benchmark's clock).
pub fn now_us() -> u64 {
    EPOCH.get_or_init(Instant::now).elapsed().as_micros() as u64
}

/// Live totals across every client, per phase (the orchestrator waits on them).
#[derive(Default)]
pub struct Counters {
    /// Frames received of any kind.
    pub frames: AtomicU64,
    /// 1003 requests written.
    pub sent: [AtomicU64; PHASES],
    /// Successful 1003 responses.
    pub acked: [AtomicU64; PHASES],
    /// Benchmark messages received in 2001 pushes.
    pub delivered: [AtomicU64; PHASES],
    /// Connections that closed unexpectedly.
    pub closed: AtomicU64,
}

impl Counters {
    /// Messages of `phase` delivered so far.
    pub fn delivered(&self, phase: usize) -> u64 {
        self.delivered[phase].load(Ordering::Relaxed)
    }
}

/// What one client saw in one phase.
#[derive(Debug, Default, Clone)]
pub struct PhaseStats {
    /// 1003 requests written.
    pub sent: u64,
    /// Successful 1003 responses.
    pub acked: u64,
    /// 1003 responses with an error code.
    pub errors: u64,
    /// Send → response, µs.
    pub ack_us: Vec<u32>,
    /// Send → push received, µs.
    pub push_us: Vec<u32>,
    /// Last push received, [`now_us`] (0: none).
    pub last_push_at: u64,
    /// Last successful response received, [`now_us`] (0: none).
    pub last_ack_at: u64,
}

impl PhaseStats {
    /// Adds another client's figures.
    pub fn merge(&mut self, o: PhaseStats) {
        self.sent += o.sent;
        self.acked += o.acked;
        self.errors += o.errors;
        self.ack_us.extend(o.ack_us);
        self.push_us.extend(o.push_us);
        self.last_push_at = self.last_push_at.max(o.last_push_at);
        self.last_ack_at = self.last_ack_at.max(o.last_ack_at);
    }
}

/// A client's figures by phase.
pub type Stats = Vec<PhaseStats>;

/// A 1:1 load assignment.
#[derive(Debug, Clone)]
pub struct Load {
    /// Phase the messages count in.
    pub phase: usize,
    /// Recipient.
    pub peer: String,
    /// First send.
    pub start: tokio::time::Instant,
    /// Interval between sends (open loop; ignored with a window).
    pub interval: Duration,
    /// Requests in flight (closed loop); 0: open loop.
    pub window: usize,
    /// No sends from then on.
    pub until: tokio::time::Instant,
}

/// Commands to a client task.
pub enum Cmd {
    /// Send 1:1 messages.
    Load(Load),
    /// Send one 1:1 message to a user.
    One { phase: usize, peer: String },
    /// Send one message to a group.
    Group { phase: usize, group_id: String },
    /// Hand over the figures gathered so far.
    Report(oneshot::Sender<Stats>),
    /// Close the connection and stop.
    Close,
}

/// Bytes read from a socket at a time. The WebSocket library zero-fills its whole read buffer
/// before every read; at its default (128 KiB) that memset was about half the generator's CPU
/// (the server's gateway uses the same 4 KiB for the same reason).
const READ_BUFFER: usize = 4 * 1024;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a gob connection for `user` and starts its task; the handle takes [`Cmd`]s.
pub async fn connect(
    url: String,
    user: String,
    platform: i32,
    gzip: bool,
    counters: Arc<Counters>,
) -> Result<mpsc::Sender<Cmd>, String> {
    let req = url.as_str().into_client_request().map_err(|e| e.to_string())?;
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let (ws, _) = match tokio_tungstenite::connect_async_with_config(req, Some(config), true).await {
        Ok(ok) => ok,
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => {
            let body = r.body().as_ref().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
            return Err(format!("{user}: handshake refused ({}): {body}", r.status()));
        }
        Err(e) => return Err(format!("{user}: {e}")),
    };
    let (tx, rx) = mpsc::channel(8);
    let c = Client { ws, user, platform, gzip, counters, stats: vec![PhaseStats::default(); PHASES], seq: 0 };
    tokio::spawn(c.run(rx));
    Ok(tx)
}

struct Client {
    ws: Ws,
    user: String,
    platform: i32,
    gzip: bool,
    counters: Arc<Counters>,
    stats: Stats,
    seq: u64,
}

impl Client {
    async fn run(mut self, mut rx: mpsc::Receiver<Cmd>) {
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
        let mut load: Option<Load> = None;
        let mut next = tokio::time::Instant::now();
        let mut in_flight = 0usize;
        let mut alive = true;
        loop {
            let open_loop = load.as_ref().is_some_and(|l| l.window == 0);
            tokio::select! {
                cmd = rx.recv() => match cmd {
                    None | Some(Cmd::Close) => break,
                    Some(Cmd::Report(back)) => {
                        let _ = back.send(std::mem::replace(&mut self.stats, vec![PhaseStats::default(); PHASES]));
                    }
                    Some(_) if !alive => {}
                    Some(Cmd::Load(l)) => {
                        next = l.start;
                        if l.window > 0 {
                            tokio::time::sleep_until(l.start).await;
                            while in_flight < l.window && alive {
                                alive = self.send(l.phase, &l.peer, "").await;
                                in_flight += 1;
                            }
                        }
                        load = Some(l);
                    }
                    Some(Cmd::One { phase, peer }) => alive = self.send(phase, &peer, "").await,
                    Some(Cmd::Group { phase, group_id }) => alive = self.send(phase, "", &group_id).await,
                },
                _ = tokio::time::sleep_until(next), if open_loop && alive => {
                    let Some(l) = load.as_ref() else { continue };
                    // A client whose first slot falls after the phase sends nothing (at low rates
                    // the interval is longer than the phase: its late send would land after the
                    // phase's figures were collected).
                    if next >= l.until {
                        load = None;
                        continue;
                    }
                    let (phase, peer) = (l.phase, l.peer.clone());
                    next += l.interval;
                    alive = self.send(phase, &peer, "").await;
                }
                _ = ping.tick(), if alive => {
                    alive = self.ws.send(Message::Ping(Vec::new().into())).await.is_ok();
                }
                msg = self.ws.next(), if alive => {
                    let bytes = match msg {
                        Some(Ok(Message::Binary(b))) => b,
                        Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                            alive = false;
                            self.counters.closed.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        Some(Ok(_)) => continue,
                    };
                    if self.receive(&bytes) && let Some(l) = load.as_ref().filter(|l| l.window > 0) {
                        in_flight = in_flight.saturating_sub(1);
                        if tokio::time::Instant::now() < l.until {
                            let (phase, peer) = (l.phase, l.peer.clone());
                            alive = self.send(phase, &peer, "").await;
                            in_flight += 1;
                        } else {
                            load = None;
                        }
                    }
                }
            }
        }
        let _ = self.ws.close(None).await;
    }

    /// Writes one 1003 request: 1:1 to `peer`, or to `group`. False when the socket is gone.
    async fn send(&mut self, phase: usize, peer: &str, group: &str) -> bool {
        self.seq += 1;
        let t = now_us();
        let msg = MsgData {
            send_id: self.user.clone(),
            recv_id: peer.to_string(),
            group_id: group.to_string(),
            client_msg_id: format!("wl:{phase}:{t}:{}:{}", self.user, self.seq),
            sender_platform_id: self.platform,
            sender_nickname: self.user.clone(),
            session_type: if group.is_empty() { 1 } else { 3 },
            msg_from: 100,
            content_type: 101,
            content: br#"{"content":"ws-load benchmark message of an ordinary length"}"#.to_vec(),
            create_time: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
            status: 1,
            ..MsgData::default()
        };
        let req = WsReq {
            req_identifier: SEND_MSG,
            send_id: self.user.clone(),
            operation_id: format!("wl-{}-{}", self.user, self.seq),
            msg_incr: format!("{phase}:{t}"),
            data: msg.encode_to_vec(),
            ..WsReq::default()
        };
        let frame = ws::encode_req(&req, Encoding::Gob, self.gzip);
        self.stats[phase].sent += 1;
        self.counters.sent[phase].fetch_add(1, Ordering::Relaxed);
        if self.ws.send(Message::Binary(frame.into())).await.is_err() {
            self.counters.closed.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Records a received frame; true when it answered one of this client's sends.
    fn receive(&mut self, bytes: &[u8]) -> bool {
        let now = now_us();
        self.counters.frames.fetch_add(1, Ordering::Relaxed);
        let Ok(resp) = ws::decode_resp(bytes, Encoding::Gob, self.gzip) else {
            eprintln!("{}: undecodable frame of {} bytes", self.user, bytes.len());
            return false;
        };
        match resp.req_identifier {
            SEND_MSG => {
                let Some((phase, t)) = parse_incr(&resp.msg_incr) else { return false };
                let s = &mut self.stats[phase];
                if resp.err_code == 0 {
                    s.acked += 1;
                    s.last_ack_at = now;
                    s.ack_us.push(now.saturating_sub(t).min(u64::from(u32::MAX)) as u32);
                    self.counters.acked[phase].fetch_add(1, Ordering::Relaxed);
                } else {
                    if s.errors < 3 {
                        eprintln!("{}: send failed: {} {}", self.user, resp.err_code, resp.err_msg);
                    }
                    s.errors += 1;
                }
                true
            }
            PUSH_MSG => {
                let Ok(p) = PushMessages::decode(resp.data.as_slice()) else { return false };
                for m in p.msgs.values().chain(p.notification_msgs.values()).flat_map(|e| &e.msgs) {
                    if let Some((phase, t)) = parse_client_msg_id(&m.client_msg_id) {
                        let s = &mut self.stats[phase];
                        s.push_us.push(now.saturating_sub(t).min(u64::from(u32::MAX)) as u32);
                        s.last_push_at = now;
                        self.counters.delivered[phase].fetch_add(1, Ordering::Relaxed);
                    }
                }
                false
            }
            _ => false,
        }
    }
}

fn phase_of(s: &str) -> Option<usize> {
    s.parse().ok().filter(|p| *p < PHASES)
}

/// `<phase>:<µs>` of a request's msgIncr.
fn parse_incr(incr: &str) -> Option<(usize, u64)> {
    let (p, t) = incr.split_once(':')?;
    Some((phase_of(p)?, t.parse().ok()?))
}

/// `wl:<phase>:<µs>:…` of a benchmark message's clientMsgID.
fn parse_client_msg_id(id: &str) -> Option<(usize, u64)> {
    let mut parts = id.strip_prefix("wl:")?.splitn(3, ':');
    Some((phase_of(parts.next()?)?, parts.next()?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_tags_round_trip() {
        assert_eq!(parse_incr("3:12345"), Some((3, 12345)));
        assert_eq!(parse_incr("99:1"), None);
        assert_eq!(parse_client_msg_id("wl:2:777:u_00001:5"), Some((2, 777)));
        assert_eq!(parse_client_msg_id("cm-1"), None);
    }
}
