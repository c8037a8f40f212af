//! Malformed-frame fuzzing of the gateway: 10,000 frames (1,000 on DynamoDB, whose emulator is
//! slow) of bad gzip, truncated gob, wrong field types, oversize frames, unknown identifiers,
//! garbage payloads, bit flips and junk text, spread over 8 concurrent connections. Every frame
//! must end in an envelope reply or a closed connection (never silence), the server must keep
//! serving other clients, and it must not panic.

mod support;
mod ws_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use im_wire::gob::{self, GobValueRef};
use im_wire::ws::{self, Encoding, WsReq};
use support::*;
use ws_support::*;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[derive(Default)]
struct Tally {
    closed: AtomicUsize,
    error_resp: AtomicUsize,
    ok_resp: AtomicUsize,
    reconnects: AtomicUsize,
}

enum Sent {
    Binary(Vec<u8>),
    Text(String),
}

fn valid(user: &str, ident: i32, data: Vec<u8>, mode: Mode, incr: u64) -> Vec<u8> {
    let req = WsReq {
        req_identifier: ident,
        send_id: user.into(),
        operation_id: format!("fz{incr}"),
        msg_incr: format!("{incr}"),
        data,
        ..Default::default()
    };
    ws::encode_req(&req, mode.encoding, mode.gzip)
}

fn malformed(rng: &mut Rng, user: &str, mode: Mode, incr: u64) -> Sent {
    const KNOWN: [i32; 9] = [1001, 1002, 1003, 1005, 1006, 1007, 2003, 2004, 2005];
    let known = KNOWN[rng.below(KNOWN.len() as u64) as usize];
    match rng.below(20) {
        // Bad gzip / random bytes.
        0 => {
            let n = 1 + rng.below(300) as usize;
            Sent::Binary(rng.bytes(n))
        }
        // A valid frame cut short.
        1 => {
            let payload = rng.bytes(20);
            let f = valid(user, known, payload, mode, incr);
            let cut = rng.below(f.len() as u64) as usize;
            Sent::Binary(f[..cut].to_vec())
        }
        // Wrong field types (gob: ReqIdentifier as a string; JSON: as a string/object).
        2 => {
            let body = if mode.encoding == Encoding::Gob {
                gob::encode_struct(
                    "Req",
                    65,
                    &[("ReqIdentifier", GobValueRef::String("1001")), ("SendID", GobValueRef::String(user))],
                )
            } else {
                format!(r#"{{"reqIdentifier":"1001","sendID":"{user}","data":{{"x":1}}}}"#).into_bytes()
            };
            Sent::Binary(if mode.gzip { ws::gzip(&body) } else { body })
        }
        // Oversize.
        3 => {
            let n = 51_201 + rng.below(20_000) as usize;
            Sent::Binary(rng.bytes(n))
        }
        // Unknown identifier.
        4 => Sent::Binary(valid(user, [0, 1004, 2001, 3001, -5, 99_999][rng.below(6) as usize], vec![], mode, incr)),
        // Garbage protobuf payload of a known request (an error reply, or a reply if it parses).
        7..=19 => {
            let n = rng.below(64) as usize;
            Sent::Binary(valid(user, known, rng.bytes(n), mode, incr))
        }
        // Bit flips of a valid frame.
        5 => {
            let mut f = valid(user, known, vec![], mode, incr);
            for _ in 0..=rng.below(3) {
                let i = rng.below(f.len() as u64) as usize;
                f[i] ^= 1 << rng.below(8);
            }
            Sent::Binary(f)
        }
        // Junk text.
        _ => Sent::Text(
            ["{", "null", "[1,2]", r#"{"type":7}"#, "ping", r#"{"type":"hello"}"#][rng.below(6) as usize].into(),
        ),
    }
}

async fn worker(g: Arc<Gw>, user: String, token: String, frames: usize, seed: u64, tally: Arc<Tally>) {
    let mut rng = Rng(seed);
    let modes = [Mode::GOB, Mode::PY, Mode::JS, Mode { gzip: true, ..Mode::JS }];
    let mut c: Option<Client> = None;
    for i in 0..frames {
        let mut conn = match c.take() {
            Some(conn) => conn,
            None => {
                tally.reconnects.fetch_add(1, Ordering::Relaxed);
                let mode = modes[rng.below(4) as usize];
                g.connect_with(&user, &token, 5, mode).await
            }
        };
        let sent = malformed(&mut rng, &user, conn.mode, i as u64);
        let delivered = match sent {
            Sent::Binary(b) => conn.send_binary(b).await,
            Sent::Text(t) => conn.send_text(&t).await,
        };
        if !delivered {
            tally.closed.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        match conn.next(Duration::from_secs(10)).await {
            Some(Frame::Resp(r)) => {
                let n = if r.err_code == 0 { &tally.ok_resp } else { &tally.error_resp };
                n.fetch_add(1, Ordering::Relaxed);
                c = Some(conn);
            }
            Some(Frame::Closed) => {
                tally.closed.fetch_add(1, Ordering::Relaxed);
            }
            other => panic!("frame {i} of {user}: neither a reply nor a close: {other:?}"),
        }
    }
}

async fn fuzz(backend: Backend, total: usize) {
    const WORKERS: usize = 8;
    let users: Vec<String> = (0..WORKERS).map(|i| format!("fz{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).chain(["watcher"]).collect();
    let g = Arc::new(Gw::start(backend, &refs, &[]).await);
    // A well-behaved client keeps making requests while the fuzzers run.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut bystander = g.connect("watcher", 1, Mode::GO).await;
    let stop2 = stop.clone();
    let served = tokio::spawn(async move {
        let mut n = 0;
        while !stop2.load(Ordering::Relaxed) {
            assert_eq!(bystander.request(2004, vec![]).await.err_code, 0);
            n += 1;
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        (n, bystander)
    });
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let token = g.token(user, 5).await;
        tasks.push(tokio::spawn(worker(
            g.clone(),
            user.clone(),
            token,
            total / WORKERS,
            0x9e37_79b9 + i as u64,
            tally.clone(),
        )));
    }
    for t in tasks {
        t.await.expect("worker");
    }
    let (closed, err, ok) = (
        tally.closed.load(Ordering::Relaxed),
        tally.error_resp.load(Ordering::Relaxed),
        tally.ok_resp.load(Ordering::Relaxed),
    );
    println!(
        "fuzz ({backend:?}): {total} frames in {:.1?}: {closed} closed the connection, {err} error replies, {ok} ok replies, {} connections",
        started.elapsed(),
        tally.reconnects.load(Ordering::Relaxed)
    );
    stop.store(true, Ordering::Relaxed);
    let (served, mut bystander) = served.await.expect("bystander");
    assert_eq!(closed + err + ok, total);
    assert!(closed > total / 4 && err > total / 10, "the mix exercised both outcomes");
    // The other client was served throughout and still is.
    assert!(served > 0);
    assert_eq!(bystander.request(2004, vec![]).await.err_code, 0);
    let mut fresh = g.connect("watcher", 2, Mode::JS).await;
    assert_eq!(fresh.request(2004, vec![]).await.err_code, 0);
    let log = g.server.log();
    assert!(!log.contains("panicked"), "server panicked:\n{log}");
}

on_both_backends! {
    /// 10,000 malformed frames on the embedded store, 1,000 on DynamoDB.
    async fn malformed_frames(backend) {
        fuzz(backend, if backend == Backend::Embedded { 10_000 } else { 1_000 }).await;
    }
}
