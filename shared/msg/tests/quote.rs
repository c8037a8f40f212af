//! Quotes (content type 114) of a revoked message are rewritten on read (reference §6.7): the
//! quote's `quoteMessage` becomes content type 2101 with the revoked message's rendered content,
//! other keys kept, written back once; quotes of live messages, and quotes whose clientMsgID does
//! not match the quoted seq, stay as sent. On the in-memory store and on DynamoDB (the local
//! emulator at `IM_TEST_DYNAMODB_ENDPOINT`).

mod support;

use std::sync::Arc;

use im_domain::store::{Consistency, DynStore};
use im_msg::{MsgConfig, SendCtx, keys, record};
use im_wire::pb::msg::RevokeMsgReq;
use im_wire::pb::sdkws::{MsgData, PullMessageBySeqsReq, SeqRange};
use serde_json::{Value, json};
use support::*;

const CID: &str = "si_alice_bob";

fn quote(cmid: &str, quoted_seq: i64, quoted_cmid: &str) -> MsgData {
    let content = json!({
        "text": format!("re {quoted_seq}"),
        "quoteMessage": {"seq": quoted_seq, "clientMsgID": quoted_cmid, "contentType": 101,
            "content": "{\"content\":\"original\"}", "textElem": {"content": "original"}, "sendID": "alice"}
    });
    MsgData { content_type: 114, content: content.to_string().into_bytes(), ..text("bob", "alice", cmid, "") }
}

async fn pull(h: &Harness, user: &str, begin: i64, end: i64) -> Vec<MsgData> {
    let req = PullMessageBySeqsReq {
        user_id: user.into(),
        seq_ranges: vec![SeqRange { conversation_id: CID.into(), begin, end, num: 100 }],
        order: 0,
    };
    let resp = h.m.pull_by_range(&h.t, user, &req).await.expect("pull");
    resp.msgs.get(CID).map(|p| p.msgs.clone()).unwrap_or_default()
}

fn quoted(m: &MsgData) -> Value {
    serde_json::from_slice::<Value>(&m.content).expect("quote JSON")["quoteMessage"].clone()
}

async fn rewrites_quotes_of_revoked_messages(store: DynStore, tenant: im_domain::TenantId) {
    let mut h = Harness::with(store, MsgConfig::default(), true);
    h.t = tenant;
    h.users(&["alice", "bob"]).await;
    let ctx = SendCtx::default();
    h.m.send(&h.t, &ctx, text("alice", "bob", "c1", "original")).await.expect("seq 1");
    h.m.send(&h.t, &ctx, text("alice", "bob", "c2", "kept")).await.expect("seq 2");
    h.m.send(&h.t, &ctx, quote("q3", 1, "c1")).await.expect("seq 3: quotes 1");
    h.m.send(&h.t, &ctx, quote("q4", 2, "c2")).await.expect("seq 4: quotes 2");
    h.m.send(&h.t, &ctx, quote("q5", 1, "not-c1")).await.expect("seq 5: names another message");
    h.drain().await;

    let before = pull(&h, "bob", 3, 3).await;
    assert_eq!(quoted(&before[0])["contentType"], 101, "nothing revoked yet");

    let req = RevokeMsgReq { conversation_id: CID.into(), seq: 1, user_id: "alice".into() };
    h.m.revoke(&h.t, &req, false).await.expect("alice revokes seq 1");

    // Quoted message outside the pulled range (read by key) …
    let got = pull(&h, "bob", 3, 5).await;
    let q3 = quoted(&got[0]);
    assert_eq!(q3["contentType"], 2101, "{q3}");
    let outer: Value = serde_json::from_str(q3["content"].as_str().expect("content string")).expect("rendered JSON");
    let detail: Value = serde_json::from_str(outer["detail"].as_str().expect("detail")).expect("revoke details");
    assert_eq!((detail["revokerID"].as_str(), detail["seq"].as_i64()), (Some("alice"), Some(1)), "{detail}");
    assert_eq!(q3["textElem"]["content"], "original", "other keys are kept");
    assert_eq!(got[0].content_type, 114, "the quote itself stays a quote");
    assert_eq!(quoted(&got[1])["contentType"], 101, "seq 2 was not revoked");
    assert_eq!(quoted(&got[2])["contentType"], 101, "clientMsgID mismatch: left alone");

    // … and inside it (read with the page): the same answer, for the other party too.
    let got = pull(&h, "alice", 1, 3).await;
    assert_eq!(got[0].content_type, 2101);
    assert_eq!(quoted(&got[2])["contentType"], 2101);

    // Written back: the stored quote carries the rewrite.
    let item = h.store.get(&keys::message(&h.t, CID, 3), Consistency::Strong).await.expect("get").expect("seq 3");
    let stored = record::stored_msg(&item).expect("stored message");
    assert_eq!(quoted(&stored)["contentType"], 2101);
}

#[tokio::test]
async fn memory_rewrites_quotes_of_revoked_messages() {
    let store: DynStore = Arc::new(im_store_conformance::MemStore::new());
    rewrites_quotes_of_revoked_messages(store, im_domain::TenantId::default_tenant()).await;
}

#[tokio::test]
async fn dynamodb_rewrites_quotes_of_revoked_messages() {
    let store = im_adapters::emulator::shared_table_store().await;
    rewrites_quotes_of_revoked_messages(store, im_store_conformance::support::fresh_tenant()).await;
}
