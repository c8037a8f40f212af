//! The sample API Gateway (HTTP API) events `events/msg-*.json` go through lambda_http's request
//! conversion into the router the Lambda entry serves (tenant `acme`, fixed test tokens).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::to_bytes;
use im_auth::Verified;
use im_domain::TenantId;
use im_domain::clock::Env;
use im_fn_msg::local::{LocalMessaging, Peers};
use im_http::testing::StaticVerifier;
use im_http::{App, HttpOptions};
use im_msg::MsgConfig;
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use serde_json::Value;
use tower::ServiceExt;

async fn call(router: &Router, event: &str) -> (u16, Value) {
    let req = lambda_http::request::from_str(event).expect("event parses");
    let resp = router.clone().oneshot(req).await.expect("infallible");
    let status = resp.status().as_u16();
    let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    (status, serde_json::from_slice(&body).expect("json"))
}

fn ok(status: u16, v: &Value) -> Value {
    assert_eq!((status, v["errCode"].as_i64()), (200, Some(0)), "{v}");
    v["data"].clone()
}

#[tokio::test]
async fn msg_events() {
    let store = Arc::new(MemStore::new());
    let acme = TenantId::parse("acme").unwrap();
    let users = UserRepo::new(store.clone());
    for id in ["alice", "bob"] {
        let u = UserRecord { user_id: id.into(), nickname: id.into(), ..UserRecord::default() };
        users.create(&acme, &u).await.unwrap();
    }
    let config = MsgConfig { admin_user_ids: vec!["imAdmin".into()], ..MsgConfig::default() };
    let msg = LocalMessaging::start(store, Env::system(), config, Peers::stubs()).unwrap();
    let verifier = StaticVerifier::default()
        .with("msg-admin-token", Verified { user_id: "imAdmin".into(), platform_id: 10, is_admin: true })
        .with("msg-user-token", Verified { user_id: "alice".into(), platform_id: 5, is_admin: false });
    let router = msg.mount(App::new()).into_router(Arc::new(verifier), HttpOptions::default());
    let idle =
        || async { tokio::time::timeout(Duration::from_secs(10), msg.queue().idle()).await.expect("pipeline idle") };

    let (s, v) = call(&router, include_str!("../../../events/msg-send-msg.json")).await;
    let d = ok(s, &v);
    assert_eq!(d["clientMsgID"].as_str().map(str::len), Some(32));
    assert_eq!(d["modify"], Value::Null);

    let (s, v) = call(&router, include_str!("../../../events/msg-batch-send-msg.json")).await;
    let d = ok(s, &v);
    assert_eq!(d["results"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["results"][0]["recvID"], "bob");
    assert_eq!(d["failedUserIDs"], serde_json::json!(["nobody"]));

    let (s, v) = call(&router, include_str!("../../../events/msg-send-business-notification.json")).await;
    assert_eq!(ok(s, &v)["serverMsgID"].as_str().map(str::len), Some(32));
    idle().await;

    let (s, v) = call(&router, include_str!("../../../events/msg-newest-seq.json")).await;
    assert_eq!(ok(s, &v)["maxSeqs"]["si_alice_bob"], 2);

    let (s, v) = call(&router, include_str!("../../../events/msg-pull-msg-by-seq.json")).await;
    let d = ok(s, &v);
    assert_eq!(d["msgs"]["si_alice_bob"]["Msgs"].as_array().map(Vec::len), Some(2));
    assert_eq!(d["msgs"]["si_alice_bob"]["isEnd"], true);

    let (s, v) = call(&router, include_str!("../../../events/msg-get-conversations-has-read-and-max-seq.json")).await;
    let d = ok(s, &v);
    assert_eq!(
        (d["seqs"]["si_alice_bob"]["maxSeq"].as_i64(), d["seqs"]["si_alice_bob"]["hasReadSeq"].as_i64()),
        (Some(2), Some(2))
    );

    let (s, v) = call(&router, include_str!("../../../events/msg-get-server-time.json")).await;
    assert!(ok(s, &v)["serverTime"].as_i64().unwrap_or(0) > 1_700_000_000_000);

    // Same operationID as the send_msg event: its status is recorded.
    let (s, v) = call(&router, include_str!("../../../events/msg-check-msg-is-send-success.json")).await;
    assert_eq!(ok(s, &v)["status"], 2);

    // The admin search: alice's text messages to bob (the pinned conversation, any day).
    let (s, v) = call(&router, include_str!("../../../events/msg-search-msg.json")).await;
    let d = ok(s, &v);
    assert_eq!(d["chatLogsNum"], 2, "{d}");
    let first = &d["chatLogs"][0];
    assert_eq!(
        (first["chatLog"]["sendID"].as_str(), first["chatLog"]["recvNickname"].as_str()),
        (Some("alice"), Some("bob"))
    );
    assert_eq!(
        (first["chatLog"]["seq"].as_i64(), first["isRevoked"].as_bool()),
        (Some(2), Some(false)),
        "newest first: {d}"
    );

    // Message operations on si_alice_bob (seqs 1 and 2, both sent by alice).
    let (s, v) = call(&router, include_str!("../../../events/msg-revoke-msg.json")).await;
    ok(s, &v);
    let (s, v) = call(&router, include_str!("../../../events/msg-revoke-msg.json")).await;
    assert_eq!((s, v["errCode"].as_i64()), (200, Some(1404)), "{v}");
    for event in [
        include_str!("../../../events/msg-mark-msgs-as-read.json"),
        include_str!("../../../events/msg-mark-conversation-as-read.json"),
        include_str!("../../../events/msg-set-conversation-has-read-seq.json"),
        include_str!("../../../events/msg-delete-msgs.json"),
    ] {
        let (s, v) = call(&router, event).await;
        ok(s, &v);
    }
    idle().await;
    let (s, v) = call(&router, include_str!("../../../events/msg-pull-msg-by-seq.json")).await;
    let d = ok(s, &v);
    let msgs = &d["msgs"]["si_alice_bob"]["Msgs"];
    assert_eq!((msgs[0]["contentType"].as_i64(), msgs[1]["status"].as_i64()), (Some(2101), Some(4)), "{d}");
    for event in [
        include_str!("../../../events/msg-clear-conversation-msg.json"),
        include_str!("../../../events/msg-user-clear-all-msg.json"),
        include_str!("../../../events/msg-delete-msg-phsical-by-seq.json"),
        include_str!("../../../events/msg-delete-msg-physical.json"),
    ] {
        let (s, v) = call(&router, event).await;
        ok(s, &v);
    }
}
