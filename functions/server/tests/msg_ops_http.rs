//! Black-box tests of the /msg message operations (revoke, read receipts, deletes, clears,
//! physical deletes) against the real im-server binary, on both backends.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;

fn text_body(send: &str, recv: &str, text: &str) -> Value {
    json!({
        "sendID": send, "recvID": recv, "senderPlatformID": 1, "senderNickname": send,
        "content": {"content": text}, "contentType": 101, "sessionType": 1
    })
}

async fn wait_max_seq(s: &Server, token: &str, user: &str, cid: &str, seq: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let data = s.post("/msg/newest_seq", Some(token), &json!({"userID": user})).await.ok();
        if data["maxSeqs"][cid].as_i64() == Some(seq) {
            return;
        }
        assert!(Instant::now() < deadline, "{cid} never reached seq {seq}: {data}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn pull(s: &Server, token: &str, user: &str) -> Value {
    let body = json!({"userID": user, "seqRanges": [{"conversationID": "si_alice_bob", "begin": 1, "end": 10, "num": 10}], "order": 0});
    s.post("/msg/pull_msg_by_seq", Some(token), &body).await.ok()["msgs"]["si_alice_bob"]["Msgs"].clone()
}

on_both_backends! {
    /// Revoke, read, delete and clear on a single chat, with their documented errors.
    async fn message_operations(backend) {
        let s = Server::start(backend, &["alice", "bob", "carol"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        let bob = s.user_token(&admin, "bob", WEB).await;
        let carol = s.user_token(&admin, "carol", WEB).await;
        for text in ["one", "two", "three"] {
            s.post("/msg/send_msg", Some(&admin), &text_body("alice", "bob", text)).await.ok();
        }
        wait_max_seq(&s, &bob, "bob", "si_alice_bob", 3).await;

        let revoke = |seq: i64, user: &str| json!({"conversationID": "si_alice_bob", "seq": seq, "userID": user});
        // bob did not send seq 1; carol may not act as alice; carol cannot read the chat.
        assert_eq!(s.post("/msg/revoke_msg", Some(&bob), &revoke(1, "bob")).await.code(), 1002);
        assert_eq!(s.post("/msg/revoke_msg", Some(&carol), &revoke(1, "alice")).await.code(), 1002);
        assert_eq!(s.post("/msg/revoke_msg", Some(&carol), &revoke(1, "carol")).await.code(), 1004);
        assert_eq!(s.post("/msg/revoke_msg", Some(&alice), &revoke(9, "alice")).await.code(), 1004);
        assert_eq!(s.post("/msg/revoke_msg", Some(&alice), &revoke(0, "alice")).await.code(), 1001);
        s.post("/msg/revoke_msg", Some(&alice), &revoke(1, "alice")).await.ok();
        assert_eq!(s.post("/msg/revoke_msg", Some(&alice), &revoke(1, "alice")).await.code(), 1404);

        // bob deletes seq 2 for himself only.
        let del = json!({"conversationID": "si_alice_bob", "seqs": [2], "userID": "bob", "deleteSyncOpt": {"IsSyncSelf": true}});
        s.post("/msg/delete_msgs", Some(&bob), &del).await.ok();
        let msgs = pull(&s, &bob, "bob").await;
        assert_eq!(msgs[0]["contentType"].as_i64(), Some(2101), "{msgs}");
        assert_eq!((msgs[1]["status"].as_i64(), msgs[1]["seq"].as_i64()), (Some(4), Some(2)), "{msgs}");
        assert_eq!(msgs[2]["contentType"].as_i64(), Some(101));
        let msgs = pull(&s, &alice, "alice").await;
        assert_eq!((msgs[0]["contentType"].as_i64(), msgs[1]["contentType"].as_i64()), (Some(2101), Some(101)));

        // Read receipts: beyond max → 1001; a zero seq → 1001; then the read seq moves forward only.
        let mark = |seq: i64| json!({"conversationID": "si_alice_bob", "userID": "bob", "hasReadSeq": seq});
        assert_eq!(s.post("/msg/set_conversation_has_read_seq", Some(&bob), &mark(4)).await.code(), 1001);
        assert_eq!(s.post("/msg/mark_conversation_as_read", Some(&bob), &mark(4)).await.code(), 1001);
        let zero = json!({"conversationID": "si_alice_bob", "userID": "bob", "seqs": [0]});
        assert_eq!(s.post("/msg/mark_msgs_as_read", Some(&bob), &zero).await.code(), 1001);
        assert_eq!(s.post("/msg/mark_conversation_as_read", Some(&alice), &mark(2)).await.code(), 1002);
        let read_seq = || async {
            let body = json!({"userID": "bob", "conversationIDs": ["si_alice_bob"]});
            s.post("/msg/get_conversations_has_read_and_max_seq", Some(&bob), &body).await.ok()["seqs"]["si_alice_bob"]["hasReadSeq"].as_i64()
        };
        s.post("/msg/mark_msgs_as_read", Some(&bob), &json!({"conversationID": "si_alice_bob", "userID": "bob", "seqs": [3]})).await.ok();
        assert_eq!(read_seq().await, Some(3));
        s.post("/msg/mark_conversation_as_read", Some(&bob), &mark(2)).await.ok();
        assert_eq!(read_seq().await, Some(3));
        s.post("/msg/set_conversation_has_read_seq", Some(&bob), &mark(2)).await.ok();
        assert_eq!(read_seq().await, Some(2));

        // Clear: bob sees nothing any more, alice still does.
        let clear = json!({"conversationIDs": ["si_alice_bob"], "userID": "bob", "deleteSyncOpt": {"IsSyncSelf": true}});
        assert_eq!(s.post("/msg/clear_conversation_msg", Some(&alice), &clear).await.code(), 1002);
        s.post("/msg/clear_conversation_msg", Some(&bob), &clear).await.ok();
        assert_eq!(pull(&s, &bob, "bob").await.as_array().map(Vec::len).unwrap_or(0), 0);
        assert_eq!(pull(&s, &alice, "alice").await.as_array().map(Vec::len), Some(3));
        s.post("/msg/user_clear_all_msg", Some(&alice), &json!({"userID": "alice"})).await.ok();
        assert_eq!(pull(&s, &alice, "alice").await.as_array().map(Vec::len).unwrap_or(0), 0);

        // Physical deletes are admin-only (closing the no-admin-check quirk).
        let phys = json!({"conversationID": "si_alice_bob", "seqs": [3]});
        assert_eq!(s.post("/msg/delete_msg_phsical_by_seq", Some(&alice), &phys).await.code(), 1002);
        s.post("/msg/delete_msg_phsical_by_seq", Some(&admin), &phys).await.ok();
        let phys = json!({"conversationIDs": ["si_alice_bob"], "timestamp": 4_102_444_800i64});
        assert_eq!(s.post("/msg/delete_msg_physical", Some(&bob), &phys).await.code(), 1002);
        s.post("/msg/delete_msg_physical", Some(&admin), &phys).await.ok();
    }
}
