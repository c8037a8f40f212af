//! Messaging benchmark on the embedded store, through `im_msg` directly: 1:1 and group
//! (500 members) sends per second with N concurrent senders, and the DynamoDB write units
//! (`im_domain::store::metering::Metered`) of a 1:1 send, a group send (send path, then the
//! transfer and push stages with no live connections) and of pulling 100 messages.
//!
//! `cargo run --profile dist -p im-bench --bin msg-bench -- [--senders N] [--single N] [--group N]`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use im_adapters::embedded::EmbeddedStore;
use im_domain::clock::Env;
use im_domain::constants::group_role;
use im_domain::ports::{NoRelations, Queue, QueueMessage, Topic};
use im_domain::store::DynStore;
use im_domain::store::metering::{Meter, Metered};
use im_domain::{ImResult, TenantId};
use im_group::{GroupRecord, GroupRepo, MemberRecord};
use im_msg::push::{LogOfflinePush, NoGateway, Pushers};
use im_msg::{Messaging, MsgConfig, MsgDeps, SendCtx, push, transfer};
use im_repo::connection::ConnectionRegistry;
use im_repo::{UserRecord, UserRepo};
use im_wire::pb::sdkws::{MsgData, PullMessageBySeqsReq, SeqRange};

/// Group size.
const MEMBERS: usize = 500;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Keeps what the send path enqueues, to run the consumers on afterwards.
#[derive(Default)]
struct Collect(Mutex<Vec<(Topic, QueueMessage)>>);

impl Collect {
    fn take(&self, topic: Topic) -> Vec<QueueMessage> {
        let mut all = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (taken, kept): (Vec<_>, Vec<_>) = all.drain(..).partition(|(t, _)| *t == topic);
        *all = kept;
        taken.into_iter().map(|(_, m)| m).collect()
    }
}

#[async_trait]
impl Queue for Collect {
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(messages.into_iter().map(|m| (topic, m)));
        Ok(())
    }
}

fn text(send: &str, recv: &str, group: &str, cmid: String) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        group_id: group.into(),
        client_msg_id: cmid,
        sender_platform_id: 5,
        session_type: if group.is_empty() { 1 } else { 3 },
        msg_from: 100,
        content_type: 101,
        content: br#"{"content":"benchmark message of ordinary length"}"#.to_vec(),
        status: 1,
        ..MsgData::default()
    }
}

struct Bench {
    m: Messaging,
    queue: Arc<Collect>,
    pushers: Pushers,
    meter: Meter,
    t: TenantId,
}

impl Bench {
    /// Sends `n` messages from `senders` concurrent tasks; returns sends per second.
    async fn sends(&self, n: usize, senders: usize, make: impl Fn(usize) -> MsgData + Send + Sync + 'static) -> f64 {
        let next = Arc::new(AtomicUsize::new(0));
        let make = Arc::new(make);
        let start = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..senders.max(1) {
            let (m, t, next, make) = (self.m.clone(), self.t.clone(), next.clone(), make.clone());
            tasks.spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return;
                    }
                    if let Err(e) = m.send(&t, &SendCtx::default(), make(i)).await {
                        eprintln!("send {i}: {e}");
                    }
                }
            });
        }
        while tasks.join_next().await.is_some() {}
        n as f64 / start.elapsed().as_secs_f64()
    }

    /// Write units of the send path and of the pipeline per message, for `n` sends of `make`.
    async fn wru(&self, n: usize, make: impl Fn(usize) -> MsgData + Send + Sync + 'static) -> (f64, f64) {
        self.queue.take(Topic::Transfer);
        self.queue.take(Topic::Push);
        self.meter.reset();
        self.sends(n, 1, make).await;
        let send = self.meter.snapshot().write_units() as f64 / n as f64;
        self.meter.reset();
        let failed = transfer::handle(&self.m, self.queue.take(Topic::Transfer)).await;
        let failed2 = push::handle(&self.m, &self.pushers, self.queue.take(Topic::Push)).await;
        if !failed.is_empty() || !failed2.is_empty() {
            eprintln!("pipeline failures: {} transfer, {} push", failed.len(), failed2.len());
        }
        (send, self.meter.snapshot().write_units() as f64 / n as f64)
    }
}

#[tokio::main]
async fn main() {
    let senders = arg("--senders", 16);
    let single_n = arg("--single", 5000);
    let group_n = arg("--group", 1000);
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("no temporary directory");
        std::process::exit(1);
    };
    let embedded = match EmbeddedStore::open(dir.path().join("msg-bench.redb")) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("open: {e}");
            std::process::exit(1);
        }
    };
    let metered = Metered::new(embedded);
    let meter = metered.meter();
    let store: DynStore = Arc::new(metered);
    let t = TenantId::default_tenant();
    let queue = Arc::new(Collect::default());
    let env = Env::system();
    let m = Messaging::new(MsgDeps {
        store: store.clone(),
        env: env.clone(),
        queue: queue.clone(),
        relations: Arc::new(NoRelations),
        groups: Arc::new(GroupRepo::new(store.clone())),
        config: MsgConfig::default(),
    });
    let pushers = Pushers {
        registry: ConnectionRegistry::new(store.clone(), env.clock.clone()),
        online: Arc::new(NoGateway),
        offline: Arc::new(LogOfflinePush),
    };
    let b = Bench { m, queue, pushers, meter, t: t.clone() };

    // Users u0000..u0499; group g1 owned by u0000 with all of them.
    let users: Vec<UserRecord> = (0..MEMBERS)
        .map(|i| UserRecord { user_id: format!("u{i:04}"), nickname: format!("user {i}"), ..UserRecord::default() })
        .collect();
    for chunk in users.chunks(100) {
        if let Err(e) = UserRepo::new(store.clone()).create_many(&t, chunk, Vec::new()).await {
            eprintln!("users: {e}");
            std::process::exit(1);
        }
    }
    let member = |i: usize, role: i32| MemberRecord {
        group_id: "g1".into(),
        user_id: format!("u{i:04}"),
        role_level: role,
        join_time: 1,
        ..MemberRecord::default()
    };
    let group =
        GroupRecord { group_id: "g1".into(), group_name: "bench".into(), group_type: 2, ..GroupRecord::default() };
    let others: Vec<MemberRecord> = (1..MEMBERS).map(|i| member(i, group_role::ORDINARY)).collect();
    match GroupRepo::new(store.clone()).create_group(&t, &group, &member(0, group_role::OWNER), &others).await {
        Ok(true) => {}
        other => {
            eprintln!("group: {other:?}");
            std::process::exit(1);
        }
    }

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("msg-bench on the embedded store: {senders} concurrent senders, {cores} cores, group of {MEMBERS}");
    let pair = |i: usize| (format!("u{:04}", i % 50), format!("u{:04}", 50 + (i * 7) % 50));
    let rate = b
        .sends(single_n, senders, move |i| {
            let (s, r) = pair(i);
            text(&s, &r, "", format!("s-{i}"))
        })
        .await;
    println!("1:1 send (send path)          {rate:>10.0} sends/s  ({single_n} sends)");
    let rate =
        b.sends(group_n, senders, move |i| text(&format!("u{:04}", i % MEMBERS), "", "g1", format!("g-{i}"))).await;
    println!("group send (send path)        {rate:>10.0} sends/s  ({group_n} sends)");

    let (send, pipeline) = b.wru(100, |i| text("u0001", "u0002", "", format!("w-{i}"))).await;
    println!("WRU per 1:1 send              {send:>10.2} send path + {pipeline:.2} transfer/push (warm conversation)");
    let (send, pipeline) = b.wru(20, |i| text(&format!("u{:04}", i % MEMBERS), "", "g1", format!("wg-{i}"))).await;
    println!("WRU per group send            {send:>10.2} send path + {pipeline:.2} transfer/push (500 members, warm)");
    let (send, pipeline) = b.wru(1, |_| text("u0400", "u0401", "", "first".into())).await;
    println!("WRU of a first 1:1 send       {send:>10.2} send path + {pipeline:.2} transfer/push (conversation rows)");

    // u0001 ↔ u0002 now has 100+ messages.
    let cid = im_domain::ids::chat_conversation_id(1, "u0001", "u0002", "").unwrap_or_default();
    let req = PullMessageBySeqsReq {
        user_id: "u0001".into(),
        seq_ranges: vec![SeqRange { conversation_id: cid, begin: 1, end: 100, num: 100 }],
        ..PullMessageBySeqsReq::default()
    };
    b.meter.reset();
    match b.m.pull_by_range(&t, "u0001", &req).await {
        Ok(resp) => {
            let got: usize = resp.msgs.values().map(|p| p.msgs.len()).sum();
            let u = b.meter.snapshot();
            println!(
                "100-message pull              {:>10.2} WRU, {:.1} RRU, {} calls ({got} messages)",
                u.write_units() as f64,
                u.read_units(),
                u.calls()
            );
        }
        Err(e) => eprintln!("pull: {e}"),
    }
}
