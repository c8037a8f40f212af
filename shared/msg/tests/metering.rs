//! Request units of the messaging paths, measured with the metering decorator
//! (`im_domain::store::metering::Metered`) on the in-memory store: a 1:1 text send, a group send,
//! a 100-message pull, and the pipeline consumers per message. Prints the figures; asserts the
//! write targets (2 WRU per 1:1 send, 3 per group send, 4 per 1:1 message in the transfer stage).

mod support;

use std::sync::Arc;

use im_domain::clock::{Env, ManualClock, RandomIdGen};
use im_domain::ports::{NoRelations, Topic};
use im_domain::store::limits::item_size;
use im_domain::store::metering::{Metered, Usage};
use im_domain::store::{Consistency, DynStore};
use im_msg::push::Pushers;
use im_msg::{Messaging, MsgConfig, MsgDeps, SendCtx, keys, push, transfer};
use im_repo::connection::ConnectionRegistry;
use im_store_conformance::MemStore;
use im_wire::pb::sdkws::{PullMessageBySeqsReq, SeqRange};
use support::*;

fn show(what: &str, u: &Usage, n: u64) {
    let n = n.max(1);
    println!(
        "{what:<40} {:>6.2} WRU  {:>6.2} RRU  {:>5.2} calls   per operation ({} ops)",
        u.write_units() as f64 / n as f64,
        u.read_units() / n as f64,
        u.calls() as f64 / n as f64,
        n
    );
}

#[tokio::test]
async fn request_units_per_operation() {
    let metered = Arc::new(Metered::new(MemStore::new()));
    let meter = metered.meter();
    let store: DynStore = metered.clone();
    let clock = Arc::new(ManualClock::new(T0));
    let env = Env { clock: clock.clone(), ids: Arc::new(RandomIdGen::default()) };
    let queue = Arc::new(CollectQueue::default());
    let groups = Arc::new(FakeGroups::default());
    let m = Messaging::new(MsgDeps {
        store: store.clone(),
        env: env.clone(),
        queue: queue.clone(),
        relations: Arc::new(NoRelations),
        groups: groups.clone(),
        config: MsgConfig::default(),
    });
    let t = im_domain::TenantId::default_tenant();
    let h = Harness::with(store.clone(), MsgConfig::default(), false);
    let (alice, bob) = ("user_0000000001", "user_0000000002");
    h.users(&[alice, bob]).await;
    let members: Vec<String> = (0..50).map(|i| format!("user_{i:010}")).collect();
    let refs: Vec<&str> = members.iter().map(String::as_str).collect();
    h.users(&refs[2..]).await;
    groups.add("group_0000000001", refs[0], &refs[1..]);
    let cmid = |i: usize| format!("{:032x}", 0xabcdef_u128 * (i as u128 + 1));

    println!("\nrequest units (DynamoDB on-demand billing, metered on the reference store)");
    // 1:1 text sends (the first creates the seq head; measure the steady state after it).
    m.send(&t, &SendCtx::default(), text(alice, bob, &cmid(0), "hello")).await.unwrap();
    meter.reset();
    let n = 50;
    for i in 1..=n {
        m.send(&t, &SendCtx::default(), text(alice, bob, &cmid(i), "hello there")).await.unwrap();
    }
    let single = meter.snapshot();
    show("1:1 text send (synchronous path)", &single, n as u64);
    assert_eq!(single.write_units(), 2 * n as u64, "a 1:1 text send costs 2 WRU: {single:?}");

    // The pipeline behind those sends: transfer and push consumers per message.
    let transfers = queue.take(Topic::Transfer);
    meter.reset();
    let cid = "si_user_0000000001_user_0000000002";
    let first_rows = transfers.iter().filter(|q| q.id.ends_with("|1")).count();
    assert_eq!(first_rows, 1);
    let steady: Vec<_> = transfers.iter().filter(|q| !q.id.ends_with("|1")).cloned().collect();
    assert!(transfer::handle(&m, steady.clone()).await.is_empty());
    let tu = meter.snapshot();
    show("  transfer consumer per message", &tu, steady.len() as u64);
    // Claim, day counter, search-log entry, done.
    assert_eq!(tu.write_units(), 4 * steady.len() as u64, "transfer of a 1:1 message costs 4 WRU: {tu:?}");
    let pushes = queue.take(Topic::Push);
    let registry = ConnectionRegistry::new(store.clone(), clock.clone());
    let px = Pushers {
        registry,
        online: Arc::new(RecordingPusher::default()),
        offline: Arc::new(RecordingOffline::default()),
    };
    meter.reset();
    assert!(push::handle(&m, &px, pushes.clone()).await.is_empty());
    show("  push consumer per message (no connections)", &meter.snapshot(), pushes.len() as u64);

    // Group sends: stored once whatever the group size, plus the sender's row.
    let gcid = "sg_group_0000000001";
    let template = im_conversation::ConversationRecord::new(gcid, 3).with_group("group_0000000001");
    m.conversations().ensure_rows(&t, &members, &template).await.unwrap();
    m.send(&t, &SendCtx::default(), group_text(refs[3], "group_0000000001", &cmid(1000), "hi all")).await.unwrap();
    meter.reset();
    for i in 1..=n {
        let sender = refs[i % members.len()];
        m.send(&t, &SendCtx::default(), group_text(sender, "group_0000000001", &cmid(1000 + i), "hi all"))
            .await
            .unwrap();
    }
    let group = meter.snapshot();
    show("group text send, 50 members (synchronous)", &group, n as u64);
    assert_eq!(group.write_units(), 3 * n as u64, "a group send costs 3 WRU: {group:?}");

    // A 100-message pull.
    for i in 0..(100 - n - 1) {
        m.send(&t, &SendCtx::default(), text(bob, alice, &cmid(2000 + i), "hello there")).await.unwrap();
    }
    let req = PullMessageBySeqsReq {
        user_id: bob.into(),
        seq_ranges: vec![SeqRange { conversation_id: cid.into(), begin: 1, end: 100, num: 100 }],
        order: 0,
    };
    meter.reset();
    let got = m.pull_by_range(&t, bob, &req).await.unwrap();
    assert_eq!(got.msgs[cid].msgs.len(), 100);
    let pull = meter.snapshot();
    show("pull of 100 messages (one range)", &pull, 1);
    assert_eq!(pull.write_units(), 0);

    let head = store.get(&keys::seq_head(&t, cid), Consistency::Strong).await.unwrap().unwrap();
    let msg = store.get(&keys::message(&t, cid, 5), Consistency::Strong).await.unwrap().unwrap();
    println!(
        "seq head: {} bytes (16 clientMsgID slots); text message item: {} bytes",
        item_size(&head),
        item_size(&msg)
    );
    assert!(item_size(&head) <= 1024, "the seq head must stay within 1 KB to cost 1 WRU");
}
