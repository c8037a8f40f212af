//! The send path on the DynamoDB adapter against the local emulator that `tests/run.sh` starts
//! (`IM_TEST_DYNAMODB_ENDPOINT`): 1,000 concurrent group sends from 20 senders get exactly seqs
//! 1..=1000 and one pull returns them in order; a concurrent retry stores one message. Each test
//! runs in a fresh tenant of the shared test table (`IM_TEST_DYNAMODB_TABLE`, default
//! `im-conformance`).

mod support;

use std::sync::Arc;

use im_adapters::dynamodb::DynamoStore;
use im_adapters::emulator::shared_table_store as dynamo_store;
use im_msg::{MsgConfig, SendCtx, seq};
use support::scenarios::{assert_thousand, thousand_group_sends};
use support::*;

fn harness(store: Arc<DynamoStore>) -> Harness {
    let mut h = Harness::with(store, MsgConfig::default(), false);
    h.t = im_store_conformance::support::fresh_tenant();
    h
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn dynamodb_thousand_concurrent_group_sends() {
    let h = Arc::new(harness(dynamo_store().await));
    let senders: Vec<String> = (0..20).map(|i| format!("s{i:02}")).collect();
    let refs: Vec<&str> = senders.iter().map(String::as_str).collect();
    h.groups.add("g", &senders[0], &refs[1..]);
    let template = im_conversation::ConversationRecord::new("sg_g", 3).with_group("g");
    h.m.conversations().ensure_rows(&h.t, &senders, &template).await.unwrap();
    let by_seq = thousand_group_sends(h.clone()).await;
    assert_thousand(&h, &by_seq).await;
    assert_eq!(seq::max_seq(h.store.as_ref(), &h.t, "sg_g").await.unwrap(), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn dynamodb_concurrent_retries_store_one_message() {
    let h = Arc::new(harness(dynamo_store().await));
    h.users(&["alice", "bob"]).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            h.m.send(&h.t, &SendCtx::default(), text("alice", "bob", "dup", "x")).await.unwrap()
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    assert!(outcomes.iter().all(|o| o.seq == 1 && o.server_msg_id == outcomes[0].server_msg_id));
    assert_eq!(seq::max_seq(h.store.as_ref(), &h.t, "si_alice_bob").await.unwrap(), 1);
}
