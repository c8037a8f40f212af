//! Concurrency and fault tolerance of the send path on the in-memory store: 1,000 concurrent
//! sends into one conversation get exactly seqs 1..=1000; under randomly failing writes every
//! acknowledged send is pullable.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use im_domain::store::{Consistency, DynStore};
use im_msg::{Delivery, MsgConfig, SendCtx};
use im_store_conformance::MemStore;
use im_wire::pb::sdkws::MsgData;
use support::flaky::Flaky;
use support::scenarios::{assert_thousand, thousand_group_sends};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn a_thousand_concurrent_sends_get_seqs_one_to_a_thousand() {
    let h = Arc::new(Harness::new());
    let senders: Vec<String> = (0..20).map(|i| format!("s{i:02}")).collect();
    let refs: Vec<&str> = senders.iter().map(String::as_str).collect();
    h.users(&refs).await;
    h.groups.add("g", &senders[0], &refs[1..]);
    // The members' rows exist (the group module creates them on join).
    let template = im_conversation::ConversationRecord::new("sg_g", 3).with_group("g");
    h.m.conversations().ensure_rows(&h.t, &senders, &template).await.unwrap();
    let by_seq = thousand_group_sends(h.clone()).await;
    h.drain().await;
    assert_thousand(&h, &by_seq).await;
    // Every sender's read seq is their own last message (concurrent updates never go backwards).
    for s in &senders {
        let last = by_seq.iter().filter(|(_, (who, _))| who == s).map(|(seq, _)| *seq).max().unwrap_or(0);
        let row = h.m.conversations().get(&h.t, s, "sg_g").await.unwrap().unwrap();
        assert_eq!(row.has_read_seq, last, "{s}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn every_acknowledged_send_survives_failing_writes() {
    let flaky = Arc::new(Flaky::new(MemStore::new(), 0.05, 0x5eed));
    let store: DynStore = flaky.clone();
    // No consumers: this is about the synchronous store path.
    let h = Arc::new(Harness::with(store, MsgConfig::default(), false));
    let users: Vec<String> = (0..10).map(|i| format!("u{i}")).collect();
    flaky.set_enabled(false);
    h.users(&users.iter().map(String::as_str).collect::<Vec<_>>()).await;
    flaky.set_enabled(true);

    let mut tasks = Vec::new();
    for task in 0..50 {
        let (h, users) = (h.clone(), users.clone());
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            let mut errors = 0u32;
            for i in 0..100 {
                let (from, to) = (&users[(task + i) % 10], &users[(task + 3 * i + 1) % 10]);
                let to = if to == from { &users[(task + i + 5) % 10] } else { to };
                let cmid = format!("t{task}-{i}");
                // A client retries a failed send with the same clientMsgID.
                for _attempt in 0..20 {
                    match h.m.send(&h.t, &SendCtx::default(), text(from, to, &cmid, &cmid)).await {
                        Ok(out) => {
                            acked.push((out, from.clone(), cmid.clone()));
                            break;
                        }
                        Err(e) => {
                            assert!(e.code == 90002 || e.code == 500, "unexpected error {e}");
                            errors += 1;
                        }
                    }
                }
            }
            (acked, errors)
        }));
    }
    let mut acked = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (a, e) = t.await.unwrap();
        acked.extend(a);
        errors += e;
    }
    flaky.set_enabled(false);
    assert_eq!(acked.len(), 5000, "every send is eventually acknowledged");
    assert!(errors > 0 && flaky.injected.load(Ordering::Relaxed) > 100, "faults were injected");

    // Every acknowledgement names a stored message with its clientMsgID and serverMsgID, and no
    // seq is acknowledged for two different messages.
    let mut owners: HashMap<(String, i64), String> = HashMap::new();
    for (out, from, cmid) in &acked {
        assert!(out.seq > 0);
        if let Some(prev) = owners.insert((out.conversation_id.clone(), out.seq), cmid.clone()) {
            assert_eq!(&prev, cmid, "seq {} of {} acknowledged twice", out.seq, out.conversation_id);
        }
        let got = h.m.fetch(&h.t, from, &out.conversation_id, &[out.seq]).await.unwrap();
        assert_eq!(
            (&got[0].client_msg_id, &got[0].server_msg_id, &got[0].send_id),
            (cmid, &out.server_msg_id, from),
            "acknowledged send {cmid} at seq {} is not pullable as acknowledged",
            out.seq
        );
    }
    println!(
        "fault test: {} sends, {} failed attempts, {} injected write failures",
        acked.len(),
        errors,
        flaky.injected.load(Ordering::Relaxed)
    );
}

/// The in-process pipeline keeps no claims ([`Delivery::RetryOnFailure`]): under randomly
/// failing writes (including writes that land but report failure) every acknowledged message
/// still reaches each recipient connection exactly once and counts exactly once in the
/// statistics, and no claim record is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn the_in_process_pipeline_delivers_and_counts_once_under_failing_writes() {
    let flaky = Arc::new(Flaky::new(MemStore::new(), 0.05, 0xfa11));
    let store: DynStore = flaky.clone();
    let config = MsgConfig { delivery: Delivery::RetryOnFailure, ..MsgConfig::default() };
    let h = Arc::new(Harness::with(store, config, true));
    let users: Vec<String> = (0..8).map(|i| format!("u{i}")).collect();
    flaky.set_enabled(false);
    h.users(&users.iter().map(String::as_str).collect::<Vec<_>>()).await;
    for u in &users {
        h.connect(u, &format!("conn-{u}"), im_domain::constants::platform::ANDROID, false).await;
    }
    flaky.set_enabled(true);

    let mut tasks = Vec::new();
    for task in 0..16 {
        let (h, users) = (h.clone(), users.clone());
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0..40 {
                let from = &users[(task + i) % 8];
                let to = &users[(task + 2 * i + 1) % 8];
                let to = if to == from { &users[(task + i + 4) % 8] } else { to };
                let cmid = format!("p{task}-{i}");
                for _attempt in 0..20 {
                    if let Ok(out) = h.m.send(&h.t, &SendCtx::default(), text(from, to, &cmid, &cmid)).await {
                        acked.push((out, from.clone(), to.clone()));
                        break;
                    }
                }
            }
            acked
        }));
    }
    let mut acked = Vec::new();
    for t in tasks {
        acked.extend(t.await.unwrap());
    }
    h.drain().await;
    flaky.set_enabled(false);
    assert_eq!(acked.len(), 16 * 40, "every send is eventually acknowledged");
    assert!(flaky.injected.load(Ordering::Relaxed) > 30, "faults were injected");

    // Each acknowledged message reached the recipient's and the sender's connection once.
    let mut seen: HashMap<(String, String, i64), usize> = HashMap::new();
    for p in h.pusher.frames() {
        let (cid, msg) = p.message();
        *seen.entry((p.conn.clone(), cid, msg.seq)).or_default() += 1;
    }
    let mut sent_by: HashMap<String, i64> = HashMap::new();
    for (out, from, to) in &acked {
        for user in [from, to] {
            let key = (format!("conn-{user}"), out.conversation_id.clone(), out.seq);
            assert_eq!(seen.get(&key), Some(&1), "pushes of seq {} of {} to {user}", out.seq, out.conversation_id);
        }
        *sent_by.entry(from.clone()).or_default() += 1;
        let id =
            im_msg::pipeline::message_id(&h.t, &out.conversation_id, &MsgData { seq: out.seq, ..MsgData::default() });
        for topic in [im_msg::transfer::TOPIC, im_msg::push::TOPIC] {
            let claim = h.store.get(&im_msg::keys::queue_dedupe(&h.t, topic, &id), Consistency::Strong).await.unwrap();
            assert!(claim.is_none(), "no {topic} claim for {id}");
        }
    }
    assert_eq!(seen.len(), 2 * acked.len(), "no other pushes");
    // Each one counted once for its sender.
    let counters = im_msg::stats::day_counters(h.store.as_ref(), &h.t, &im_msg::stats::day_of(T0)).await.unwrap();
    let mut want: Vec<(String, i64)> = sent_by.into_iter().map(|(u, n)| (format!("U#{u}"), n)).collect();
    want.sort();
    assert_eq!(counters, want);
}
