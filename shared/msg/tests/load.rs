//! Concurrency and fault tolerance of the send path on the in-memory store: 1,000 concurrent
//! sends into one conversation get exactly seqs 1..=1000; under randomly failing writes every
//! acknowledged send is pullable.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use im_domain::store::DynStore;
use im_msg::{MsgConfig, SendCtx};
use im_store_conformance::MemStore;
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
