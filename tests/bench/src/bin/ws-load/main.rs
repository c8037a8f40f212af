//! WebSocket load generator for im-server, printing figures (not assertions). It speaks
//! OpenIM's gob protocol (reference §5: `sdkType=go`, 1003 sends, 2001 pushes) over real
//! loopback sockets to an im-server **process** (started here on an embedded store in a temp
//! dir, or `--server`/`--ws` of a running one), so client and server each stay under the
//! per-process descriptor limit.
//!
//! Phases:
//! 1. **1:1 load**: `--clients` connections (Android, one user each), client *i* sending to
//!    client *i + N/2* — closed loop with `--window` requests in flight per client (default 1:
//!    each client sends its next message when the previous one is acknowledged, which finds the
//!    maximum rate), or open loop at `--rate` messages/s in total (spread evenly) — for
//!    `--duration` s after a warm-up message per pair. Figures: sends and deliveries per
//!    second, send→push latency (send timestamp to the recipient's 2001 frame) p50/p99/p99.9,
//!    send→response latency p50/p99.
//! 2. **Half load**: the same, open loop at half the delivered rate of phase 1 (`--half-rate`
//!    to choose it), for its p99.
//! 3. **Fan-out**: a group of `--fanout` members (created and filled before anyone connects),
//!    every member connected, plus the owner's second device (Web) that sends one message:
//!    deliveries and time to first and last delivery across all member sockets, repeated
//!    `--fanout-repeats` times.
//!
//! ```sh
//! cargo build --release -p im-server -p im-bench
//! target/release/ws-load --clients 2000 --duration 10 --fanout 10000
//! ```
//!
//! Other options: `--rate R` (open loop), `--gzip` (per-frame gzip both ways), `--json`
//! (a JSON summary after the report), `--server-bin PATH` (default `target/release/im-server`),
//! `--window W`, `--half-rate R`, `--fanout-repeats K`, `--skip-load`, `--fanout 0`,
//! `--server-pid PID` (with `--server`: whose CPU to report; without it the server's CPU is
//! reported as n/a).

mod client;
mod server;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use im_bench::Figures;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use crate::client::{Cmd, Counters, Load, PhaseStats};
use crate::server::Target;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Phase numbers (see [`client::PHASES`]).
const WARM: usize = 0;
const FULL: usize = 1;
const HALF: usize = 2;
const PROBE: usize = 3;
const FANOUT: usize = 4;
/// Most fan-out repeats.
const MAX_REPEATS: usize = client::PHASES - FANOUT;
/// Platform of the load clients (Android) and of the fan-out sender's second device (Web).
const ANDROID: i32 = 2;
const WEB: i32 = 5;
/// Concurrent WebSocket handshakes while connecting.
const CONNECT_CONCURRENCY: usize = 64;

/// Command-line options.
struct Options {
    clients: usize,
    rate: f64,
    half_rate: Option<f64>,
    window: usize,
    duration: Duration,
    fanout: usize,
    repeats: usize,
    gzip: bool,
    json: bool,
    load: bool,
    server_bin: PathBuf,
    server: Option<(String, String)>,
    server_pid: Option<u32>,
    secret: String,
    admin: String,
}

fn parse_options() -> Result<Options, BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let number = |name: &str, default: f64| -> Result<f64, BoxError> {
        match value(name) {
            Some(v) => v.parse().map_err(|_| format!("{name}: not a number: {v}").into()),
            None => Ok(default),
        }
    };
    let flag = |name: &str| args.iter().any(|a| a == name);
    let server = match (value("--server"), value("--ws")) {
        (Some(h), Some(w)) => Some((h, w)),
        (None, None) => None,
        _ => return Err("--server and --ws go together".into()),
    };
    Ok(Options {
        clients: (number("--clients", 2000.0)? as usize).max(2),
        rate: number("--rate", 0.0)?.max(0.0),
        half_rate: value("--half-rate").map(|v| v.parse()).transpose().map_err(|_| "--half-rate: not a number")?,
        window: match (value("--window"), value("--rate")) {
            (Some(_), _) => number("--window", 1.0)? as usize,
            (None, Some(_)) => 0,
            (None, None) => 1,
        },
        duration: Duration::from_secs_f64(number("--duration", 10.0)?.max(1.0)),
        fanout: number("--fanout", 10_000.0)? as usize,
        repeats: (number("--fanout-repeats", 3.0)? as usize).clamp(1, MAX_REPEATS),
        gzip: flag("--gzip"),
        json: flag("--json"),
        load: !flag("--skip-load"),
        server_bin: value("--server-bin")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/release/im-server")),
        server,
        server_pid: value("--server-pid")
            .map(|v| v.parse().map_err(|_| format!("--server-pid: not a process ID: {v}")))
            .transpose()?,
        secret: value("--secret").unwrap_or_else(|| "openIM123".into()),
        admin: value("--admin").unwrap_or_else(|| "imAdmin".into()),
    })
}

/// Raises this process's descriptor limit to its hard limit (the server child inherits it).
fn raise_fd_limit() -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
    lim.rlim_cur
}

/// CPU seconds (user + system) used so far by process `pid` ("self" for this one).
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return 0.0 };
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return 0.0 };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (n(11) + n(12)) / ticks
}

/// Latency of 4 KiB write + fdatasync in the temp dir (the embedded store commits with one per
/// write group): (p50, p99) over 200 rounds, showing how busy the shared disk is.
fn fsync_probe() -> Option<(Duration, Duration)> {
    use std::io::Write;
    let dir = tempfile::tempdir().ok()?;
    let mut f = std::fs::File::create(dir.path().join("probe")).ok()?;
    let block = [7u8; 4096];
    let mut lat = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        f.write_all(&block).ok()?;
        f.sync_data().ok()?;
        lat.push(t.elapsed());
    }
    let f = Figures::new("fsync", Duration::from_secs(1), lat);
    Some((f.quantile(0.5), f.quantile(0.99)))
}

/// The 1-minute load average.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split(' ').next().map(str::to_string))
        .unwrap_or_default()
}

/// CPU use of both processes over an interval.
struct Cpu {
    server_pid: Option<String>,
    server: f64,
    bench: f64,
    at: Instant,
}

impl Cpu {
    fn start(target: &Target) -> Cpu {
        let server_pid = target.pid.map(|p| p.to_string());
        let server = server_pid.as_deref().map(cpu_seconds).unwrap_or(0.0);
        Cpu { server_pid, server, bench: cpu_seconds("self"), at: Instant::now() }
    }

    /// (server, benchmark) CPU in cores (1.0 = one core busy) since `start`; the server's
    /// only when its process is known.
    fn cores(&self) -> (Option<f64>, f64) {
        let secs = self.at.elapsed().as_secs_f64().max(1e-9);
        let server = self.server_pid.as_deref().map(|pid| (cpu_seconds(pid) - self.server) / secs);
        (server, (cpu_seconds("self") - self.bench) / secs)
    }
}

/// The connected clients: user IDs and command handles.
struct Fleet {
    users: Vec<String>,
    handles: Vec<mpsc::Sender<Cmd>>,
}

impl Fleet {
    /// Connects `who` (user, platform) with fresh tokens.
    async fn connect(
        target: &Target,
        who: Vec<(String, i32)>,
        gzip: bool,
        counters: &Arc<Counters>,
    ) -> Result<Fleet, BoxError> {
        let tokens = target.tokens(&who).await?;
        let mut handles: Vec<Option<mpsc::Sender<Cmd>>> = vec![None; who.len()];
        let compression = if gzip { "&compression=gzip" } else { "" };
        for (c, chunk) in who.chunks(CONNECT_CONCURRENCY).enumerate() {
            let mut tasks = JoinSet::new();
            for (i, (user, platform)) in chunk.iter().enumerate() {
                let idx = c * CONNECT_CONCURRENCY + i;
                let url = format!(
                    "{}/?sendID={user}&token={}&platformID={platform}&operationID=wl-{idx}&sdkType=go&isBackground=false{compression}",
                    target.ws, tokens[idx]
                );
                let f = client::connect(url, user.clone(), *platform, gzip, counters.clone());
                tasks.spawn(async move { (idx, f.await) });
            }
            while let Some(joined) = tasks.join_next().await {
                let (idx, h) = joined?;
                handles[idx] = Some(h?);
            }
        }
        Ok(Fleet { users: who.into_iter().map(|(u, _)| u).collect(), handles: handles.into_iter().flatten().collect() })
    }

    /// Every client's figures of `phase`, merged.
    async fn collect(&self, phase: usize) -> PhaseStats {
        let mut all = PhaseStats::default();
        for h in &self.handles {
            let (tx, rx) = oneshot::channel();
            if h.send(Cmd::Report(tx)).await.is_ok()
                && let Ok(mut stats) = rx.await
            {
                all.merge(std::mem::take(&mut stats[phase]));
            }
        }
        all
    }

    async fn close(self) {
        for h in &self.handles {
            let _ = h.send(Cmd::Close).await;
        }
    }
}

/// Waits until `done()` holds, checking every 20 ms; false after `timeout` without progress of
/// `progress()`.
async fn wait_for(timeout: Duration, progress: impl Fn() -> u64, done: impl Fn() -> bool) -> bool {
    let mut last = (progress(), Instant::now());
    loop {
        if done() {
            return true;
        }
        let p = progress();
        if p != last.0 {
            last = (p, Instant::now());
        } else if last.1.elapsed() > timeout {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until no frame has arrived for `quiet` (at most `max`).
async fn wait_quiet(counters: &Counters, quiet: Duration, max: Duration) {
    let start = Instant::now();
    let mut last = (counters.frames.load(Ordering::Relaxed), Instant::now());
    while start.elapsed() < max {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let f = counters.frames.load(Ordering::Relaxed);
        if f != last.0 {
            last = (f, Instant::now());
        } else if last.1.elapsed() >= quiet {
            return;
        }
    }
}

fn micros(v: &[u32]) -> Vec<Duration> {
    v.iter().map(|&u| Duration::from_micros(u64::from(u))).collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Figures of one 1:1 phase.
struct LoadResult {
    target_rate: f64,
    sent: u64,
    acked: u64,
    errors: u64,
    delivered: u64,
    sent_per_s: f64,
    delivered_per_s: f64,
    push: Figures,
    ack: Figures,
    cpu: (Option<f64>, f64),
    load: String,
}

impl LoadResult {
    fn print(&self, title: &str) {
        let q = |f: &Figures, x: f64| ms(f.quantile(x));
        println!("\n== {title}");
        let target =
            if self.target_rate > 0.0 { format!("target {:.0}/s", self.target_rate) } else { "closed loop".into() };
        println!(
            "sent       {:>9.0} msgs/s  ({} sent, {} acknowledged, {} errors; {target})",
            self.sent_per_s, self.sent, self.acked, self.errors
        );
        println!(
            "delivered  {:>9.0} msgs/s  ({} of {} pushed to the recipient, {} missing)",
            self.delivered_per_s,
            self.delivered,
            self.acked,
            self.acked.saturating_sub(self.delivered)
        );
        println!(
            "send→push  p50 {:>7.2} ms  p99 {:>7.2} ms  p99.9 {:>7.2} ms  max {:>7.2} ms",
            q(&self.push, 0.5),
            q(&self.push, 0.99),
            q(&self.push, 0.999),
            q(&self.push, 1.0)
        );
        println!("send→ack   p50 {:>7.2} ms  p99 {:>7.2} ms", q(&self.ack, 0.5), q(&self.ack, 0.99));
        println!(
            "CPU        server {} cores, load generator {:.2} cores; load average {}",
            cores_text(self.cpu.0),
            self.cpu.1,
            self.load
        );
    }

    fn json(&self) -> Value {
        let q = |f: &Figures, x: f64| ms(f.quantile(x));
        json!({
            "targetRate": self.target_rate, "sent": self.sent, "acked": self.acked, "errors": self.errors,
            "delivered": self.delivered, "sentPerSec": self.sent_per_s, "deliveredPerSec": self.delivered_per_s,
            "pushMs": {"p50": q(&self.push, 0.5), "p99": q(&self.push, 0.99), "p999": q(&self.push, 0.999), "max": q(&self.push, 1.0)},
            "ackMs": {"p50": q(&self.ack, 0.5), "p99": q(&self.ack, 0.99)},
            "serverCores": self.cpu.0, "benchCores": self.cpu.1, "loadAverage": self.load,
        })
    }
}

/// Runs one 1:1 phase: client i sends to client i + N/2.
async fn one_to_one(
    fleet: &Fleet,
    counters: &Counters,
    target: &Target,
    phase: usize,
    rate: f64,
    window: usize,
    duration: Duration,
) -> LoadResult {
    let n = fleet.handles.len();
    let interval = Duration::from_secs_f64(n as f64 / rate);
    let start = tokio::time::Instant::now() + Duration::from_millis(300);
    let until = start + duration;
    let (t0, cpu) = (now_after(start), Cpu::start(target));
    for (i, h) in fleet.handles.iter().enumerate() {
        let offset = interval.mul_f64(i as f64 / n as f64);
        let peer = fleet.users[(i + n / 2) % n].clone();
        let _ = h.send(Cmd::Load(Load { phase, peer, start: start + offset, interval, window, until })).await;
    }
    tokio::time::sleep_until(until).await;
    let cpu = {
        let c = cpu.cores();
        // Let the pipeline drain: every acknowledged message delivered, or 5 s without progress.
        wait_for(
            Duration::from_secs(5),
            || counters.delivered(phase) + counters.acked[phase].load(Ordering::Relaxed),
            || {
                let acked = counters.acked[phase].load(Ordering::Relaxed);
                acked >= counters.sent[phase].load(Ordering::Relaxed) && counters.delivered(phase) >= acked
            },
        )
        .await;
        c
    };
    let s = fleet.collect(phase).await;
    // Rates over the send window, or until the last response / push if they came later.
    let span = Duration::from_micros(s.last_push_at.saturating_sub(t0)).max(duration);
    let ack_span = Duration::from_micros(s.last_ack_at.saturating_sub(t0)).max(duration);
    LoadResult {
        target_rate: if window > 0 { 0.0 } else { rate },
        sent: s.sent,
        acked: s.acked,
        errors: s.errors,
        delivered: s.push_us.len() as u64,
        sent_per_s: s.acked as f64 / ack_span.as_secs_f64(),
        delivered_per_s: s.push_us.len() as f64 / span.as_secs_f64(),
        push: Figures::new("send→push", span, micros(&s.push_us)),
        ack: Figures::new("send→ack", ack_span, micros(&s.ack_us)),
        cpu,
        load: load_average(),
    }
}

/// [`client::now_us`] at a tokio instant (now or later).
fn now_after(at: tokio::time::Instant) -> u64 {
    client::now_us() + at.saturating_duration_since(tokio::time::Instant::now()).as_micros() as u64
}

/// Figures of one fan-out message.
struct FanoutResult {
    members: usize,
    delivered: usize,
    first: Duration,
    median: Duration,
    last: Duration,
    cpu: (Option<f64>, f64),
}

/// Sends one group message from the owner's second device per repeat and times delivery.
async fn fanout(
    target: &Target,
    opts: &Options,
    prefix: &str,
    counters: &Arc<Counters>,
) -> Result<Vec<FanoutResult>, BoxError> {
    let m = opts.fanout;
    let members: Vec<String> = (0..m).map(|i| user_id(prefix, i)).collect();
    let t = Instant::now();
    let gid = target.group(&members).await?;
    println!("\n== fan-out: group {gid} of {m} members created in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut who: Vec<(String, i32)> = members.iter().map(|u| (u.clone(), ANDROID)).collect();
    who.push((members[0].clone(), WEB));
    let fleet = Fleet::connect(target, who, opts.gzip, counters).await?;
    println!("{} member sockets + the sender's Web socket connected in {:.1} s", m, t.elapsed().as_secs_f64());
    // Everything queued before (group notifications) has gone through once a probe has.
    let sender = fleet.handles.last().ok_or("no sender")?;
    let _ = sender.send(Cmd::One { phase: PROBE, peer: members[1 % m].clone() }).await;
    if !wait_for(Duration::from_secs(60), || counters.frames.load(Ordering::Relaxed), || counters.delivered(PROBE) > 0)
        .await
    {
        eprintln!("the probe message was not delivered");
    }
    wait_quiet(counters, Duration::from_secs(1), Duration::from_secs(30)).await;
    let mut out = Vec::new();
    for r in 0..opts.repeats {
        let phase = FANOUT + r;
        let cpu = Cpu::start(target);
        let _ = sender.send(Cmd::Group { phase, group_id: gid.clone() }).await;
        let done =
            wait_for(Duration::from_secs(10), || counters.delivered(phase), || counters.delivered(phase) >= m as u64)
                .await;
        let cpu = cpu.cores();
        if !done {
            eprintln!("fan-out {r}: {} of {m} delivered", counters.delivered(phase));
        }
        let s = fleet.collect(phase).await;
        let f = Figures::new("fan-out", Duration::from_secs(1), micros(&s.push_us));
        out.push(FanoutResult {
            members: m,
            delivered: s.push_us.len(),
            first: f.quantile(0.0),
            median: f.quantile(0.5),
            last: f.quantile(1.0),
            cpu,
        });
        wait_quiet(counters, Duration::from_millis(500), Duration::from_secs(10)).await;
    }
    fleet.close().await;
    Ok(out)
}

/// A CPU figure in cores, or `n/a` for a process ws-load does not know.
fn cores_text(c: Option<f64>) -> String {
    c.map_or_else(|| "n/a".to_string(), |c| format!("{c:.2}"))
}

fn user_id(prefix: &str, i: usize) -> String {
    format!("{prefix}_{i:05}")
}

/// mimalloc, as in im-server: the generator shares the machine's CPUs with the server it
/// measures, and glibc's allocator was ~9 % of its CPU (thousands of small frames a second).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let opts = parse_options()?;
    client::now_us();
    let fd_limit = raise_fd_limit();
    let need = opts.fanout.max(opts.clients) + 64;
    if (fd_limit as usize) < need {
        eprintln!("warning: descriptor limit {fd_limit} < {need}; raise it with `ulimit -n`");
    }
    let target = match &opts.server {
        Some((http, ws)) => Target::existing(http, ws, opts.server_pid, &opts.secret, &opts.admin).await?,
        None => Target::spawn(&opts.server_bin, &opts.secret, &opts.admin).await?,
    };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    println!(
        "ws-load: {} ({}), {} CPUs shared by server and load generator, descriptor limit {fd_limit}, load average {}",
        opts.server.as_ref().map(|(h, _)| h.clone()).unwrap_or_else(|| opts.server_bin.display().to_string()),
        if cfg!(debug_assertions) { "debug build of ws-load: figures are not representative" } else { "optimised" },
        cores,
        load_average(),
    );
    let fsync = fsync_probe();
    if let Some((p50, p99)) = fsync {
        println!("disk: 4 KiB write + fdatasync p50 {:.2} ms, p99 {:.2} ms", ms(p50), ms(p99));
    }
    println!("gob envelopes, gzip {}", if opts.gzip { "on" } else { "off" });
    // Unique user IDs per run, so an existing server can be reused.
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let prefix = format!("wl{:x}", stamp % 0xff_ffff);
    let users: Vec<String> = (0..opts.clients.max(opts.fanout)).map(|i| user_id(&prefix, i)).collect();
    let t = Instant::now();
    target.register(&users).await?;
    println!("{} users registered in {:.1} s", users.len(), t.elapsed().as_secs_f64());

    let counters = Arc::new(Counters::default());
    let mut report = json!({"clients": opts.clients, "gzip": opts.gzip, "cpus": cores,
        "fsyncMs": fsync.map(|(a, b)| json!({"p50": ms(a), "p99": ms(b)}))});
    let mut summary = Vec::new();
    if opts.load {
        let t = Instant::now();
        let who = users[..opts.clients].iter().map(|u| (u.clone(), ANDROID)).collect();
        let fleet = Fleet::connect(&target, who, opts.gzip, &counters).await?;
        println!("{} clients connected in {:.1} s", fleet.handles.len(), t.elapsed().as_secs_f64());
        // Warm-up: one message per pair creates the conversations.
        let n = fleet.handles.len();
        for (i, h) in fleet.handles.iter().enumerate() {
            let _ = h.send(Cmd::One { phase: WARM, peer: fleet.users[(i + n / 2) % n].clone() }).await;
        }
        if !wait_for(Duration::from_secs(30), || counters.delivered(WARM), || counters.delivered(WARM) >= n as u64)
            .await
        {
            eprintln!("warm-up: {} of {n} delivered", counters.delivered(WARM));
        }
        let rate = if opts.window > 0 { n as f64 } else { opts.rate.max(1.0) };
        let full = one_to_one(&fleet, &counters, &target, FULL, rate, opts.window, opts.duration).await;
        let title = if opts.window > 0 {
            format!(
                "1:1, {n} clients, closed loop, {} in flight per client, {} s",
                opts.window,
                opts.duration.as_secs()
            )
        } else {
            format!("1:1, {n} clients, open loop at {:.0} msgs/s, {} s", opts.rate, opts.duration.as_secs())
        };
        full.print(&title);
        let half_rate = opts.half_rate.unwrap_or(full.delivered_per_s.min(full.sent_per_s) / 2.0).max(1.0);
        wait_quiet(&counters, Duration::from_secs(1), Duration::from_secs(20)).await;
        let half = one_to_one(&fleet, &counters, &target, HALF, half_rate, 0, opts.duration).await;
        half.print(&format!("1:1 at half load: {n} clients, open loop at {half_rate:.0} msgs/s"));
        summary.push(format!(
            "1:1 ({n} clients)      sent {:.0} msgs/s, delivered {:.0} msgs/s, send→push p50 {:.2} ms p99 {:.2} ms   [goal ≥ 20000 msgs/s: {}]",
            full.sent_per_s,
            full.delivered_per_s,
            ms(full.push.quantile(0.5)),
            ms(full.push.quantile(0.99)),
            if full.delivered_per_s >= 20_000.0 { "met" } else { "missed" }
        ));
        summary.push(format!(
            "1:1 at {half_rate:.0} msgs/s     send→push p50 {:.2} ms p99 {:.2} ms   [goal p99 < 10 ms: {}]",
            ms(half.push.quantile(0.5)),
            ms(half.push.quantile(0.99)),
            if half.push.quantile(0.99) < Duration::from_millis(10) { "met" } else { "missed" }
        ));
        report["full"] = full.json();
        report["half"] = half.json();
        fleet.close().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if opts.fanout > 1 {
        let results = fanout(&target, &opts, &prefix, &counters).await?;
        let mut js = Vec::new();
        for (r, f) in results.iter().enumerate() {
            println!(
                "message {}: delivered to {} of {} sockets; first {:.1} ms, median {:.1} ms, last {:.1} ms; CPU server {}, generator {:.2} cores",
                r + 1,
                f.delivered,
                f.members,
                ms(f.first),
                ms(f.median),
                ms(f.last),
                cores_text(f.cpu.0),
                f.cpu.1
            );
            js.push(json!({"members": f.members, "delivered": f.delivered, "firstMs": ms(f.first), "medianMs": ms(f.median), "lastMs": ms(f.last)}));
        }
        report["fanout"] = Value::Array(js);
        if let Some(first) = results.first() {
            summary.push(format!(
                "fan-out to {}    first message: last delivery {:.1} ms ({} of {} sockets)   [goal < 1 s: {}]",
                first.members,
                ms(first.last),
                first.delivered,
                first.members,
                if first.delivered == first.members && first.last < Duration::from_secs(1) { "met" } else { "missed" }
            ));
        }
    }
    let closed = counters.closed.load(Ordering::Relaxed);
    if closed > 0 {
        println!("\n{closed} connections closed unexpectedly");
        let log = target.log();
        if !log.is_empty() {
            eprintln!("server log (tail):\n{}", log.lines().rev().take(20).collect::<Vec<_>>().join("\n"));
        }
    }
    if !summary.is_empty() {
        println!("\n== summary (goals: ≥ 20k msgs/s; p99 < 10 ms at half load; 10k fan-out < 1 s)");
        for line in &summary {
            println!("{line}");
        }
    }
    report["loadAverage"] = json!(load_average());
    if opts.json {
        println!("{report}");
    }
    Ok(())
}
