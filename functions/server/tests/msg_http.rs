//! Black-box tests of the /msg routes against the real im-server binary, on both backends:
//! success shapes (OpenIM JSON), documented errors, the HTTP-400 binding quirk, and 1,000
//! concurrent sends into one conversation.

mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;

/// POSTs with a chosen operationID.
async fn post_op(s: &Server, op: &str, path: &str, token: &str, body: &Value) -> Resp {
    let req = s.http.post(format!("{}{path}", s.base)).header("operationID", op).header("token", token).json(body);
    s.send(req).await
}

fn text_body(send: &str, recv: &str, text: &str) -> Value {
    json!({
        "sendID": send, "recvID": recv, "senderPlatformID": 1, "senderNickname": send,
        "content": {"content": text}, "contentType": 101, "sessionType": 1
    })
}

/// Polls `newest_seq` until `cid` shows `seq` (conversation rows are created by the pipeline).
async fn wait_max_seq(s: &Server, token: &str, user: &str, cid: &str, seq: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = s.post("/msg/newest_seq", Some(token), &json!({"userID": user})).await;
        let data = r.ok();
        if data["maxSeqs"][cid].as_i64() == Some(seq) {
            return data;
        }
        assert!(Instant::now() < deadline, "{cid} never reached seq {seq}: {data}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_backends! {
    /// send_msg → newest_seq → pull_msg_by_seq → read/max seqs, with OpenIM's JSON shapes.
    async fn send_and_pull_shapes(backend) {
        let s = Server::start(backend, &["alice", "bob"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;

        let r = post_op(&s, "op-send-1", "/msg/send_msg", &admin, &text_body("alice", "bob", "hello")).await;
        assert_eq!(r.status, 200);
        let sent = r.ok();
        assert_eq!(keys(&sent), ["clientMsgID", "modify", "sendTime", "serverMsgID"]);
        assert_eq!(sent["modify"], Value::Null);
        assert_eq!(sent["serverMsgID"].as_str().map(str::len), Some(32));
        assert!(sent["sendTime"].as_i64().unwrap_or(0) > 1_700_000_000_000);

        let newest = wait_max_seq(&s, &alice, "alice", "si_alice_bob", 1).await;
        assert_eq!(keys(&newest), ["maxSeqs", "minSeqs"]);
        assert!(newest["minSeqs"].as_object().is_some_and(|m| m.is_empty()));

        let pull = json!({"userID": "alice", "seqRanges": [{"conversationID": "si_alice_bob", "begin": 1, "end": 5, "num": 10}], "order": 0});
        let data = s.post("/msg/pull_msg_by_seq", Some(&alice), &pull).await.ok();
        assert_eq!(keys(&data), ["msgs", "notificationMsgs"]);
        let entry = &data["msgs"]["si_alice_bob"];
        assert_eq!(keys(entry), ["Msgs", "endSeq", "isEnd"]);
        assert_eq!((entry["isEnd"].as_bool(), entry["endSeq"].as_i64()), (Some(true), Some(0)));
        let msg = &entry["Msgs"][0];
        assert_eq!(
            keys(msg),
            [
                "atUserIDList", "attachedInfo", "clientMsgID", "content", "contentType", "createTime", "ex", "groupID",
                "isRead", "msgFrom", "offlinePushInfo", "options", "recvID", "sendID", "sendTime", "senderFaceURL",
                "senderNickname", "senderPlatformID", "seq", "serverMsgID", "sessionType", "status"
            ]
        );
        assert_eq!((msg["seq"].as_i64(), msg["msgFrom"].as_i64(), msg["contentType"].as_i64()), (Some(1), Some(200), Some(101)));
        assert_eq!((msg["serverMsgID"].clone(), msg["clientMsgID"].clone()), (sent["serverMsgID"].clone(), sent["clientMsgID"].clone()));
        let content = base64::engine::general_purpose::STANDARD.decode(msg["content"].as_str().unwrap_or_default()).expect("base64");
        assert_eq!(serde_json::from_slice::<Value>(&content).expect("json"), json!({"content": "hello"}));

        let seqs = s.post("/msg/get_conversations_has_read_and_max_seq", Some(&alice), &json!({"userID": "alice"})).await.ok();
        assert_eq!(keys(&seqs), ["pinnedConversationIDs", "seqs"]);
        let one = &seqs["seqs"]["si_alice_bob"];
        assert_eq!(keys(one), ["hasReadSeq", "maxSeq", "maxSeqTime"]);
        assert_eq!((one["maxSeq"].as_i64(), one["hasReadSeq"].as_i64()), (Some(1), Some(1)), "the sender has read their own message");
        assert_eq!(one["maxSeqTime"], sent["sendTime"]);

        let t = s.post("/msg/get_server_time", Some(&alice), &json!({})).await.ok();
        assert!((t["serverTime"].as_i64().unwrap_or(0) - now_s() * 1000).abs() < 60_000);
        // The send status is kept per operationID.
        let st = post_op(&s, "op-send-1", "/msg/check_msg_is_send_success", &alice, &json!({})).await.ok();
        assert_eq!(st, json!({"status": 2}));
        let st = post_op(&s, "op-other", "/msg/check_msg_is_send_success", &alice, &json!({})).await.ok();
        assert_eq!(st, json!({"status": 0}));
    }

    /// Documented errors: permissions, binding (HTTP 400), content rules, unknown peers.
    async fn send_errors(backend) {
        let s = Server::start(backend, &["alice", "bob", "eve"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        let eve = s.user_token(&admin, "eve", WEB).await;

        let r = s.post("/msg/send_msg", Some(&alice), &text_body("alice", "bob", "x")).await;
        assert_eq!((r.status, r.code()), (200, 1002));
        // [quirk] gin BindJSON: malformed or incomplete bodies answer HTTP 400 with the envelope.
        let raw = s.http.post(format!("{}/msg/send_msg", s.base)).header("operationID", "op").header("token", &admin).body("{bad");
        let r = s.send(raw).await;
        assert_eq!((r.status, r.code()), (400, 1001), "{}", r.text());
        let r = s.post("/msg/send_msg", Some(&admin), &json!({"recvID": "bob", "contentType": 101, "sessionType": 1})).await;
        assert_eq!((r.status, r.code()), (400, 1001));
        assert!(r.dlt().contains("'SendID' failed on the 'required' tag"), "{}", r.dlt());
        let r = s.post("/msg/send_business_notification", Some(&admin), &json!({"key": "k"})).await;
        assert_eq!((r.status, r.code()), (400, 1001));
        // Content rules and unsupported types: 1001 with HTTP 200.
        let mut bad = text_body("alice", "bob", "x");
        bad["content"] = json!({"text": "x"});
        let r = s.post("/msg/send_msg", Some(&admin), &bad).await;
        assert_eq!((r.status, r.code()), (200, 1001));
        bad["contentType"] = json!(114);
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &bad).await.code(), 1001);
        // Unknown recipient: 1004; unknown group: 1004; write groups: 1001.
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &text_body("alice", "nobody", "x")).await.code(), 1004);
        let group = json!({"sendID": "alice", "groupID": "g1", "content": {"content": "x"}, "contentType": 101, "sessionType": 3});
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &group).await.code(), 1004);
        let write_group = json!({"sendID": "alice", "groupID": "g1", "content": {"content": "x"}, "contentType": 101, "sessionType": 2});
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &write_group).await.code(), 1001);
        // OA notifications need a notification account (alice is an ordinary user).
        let oa = json!({"sendID": "alice", "recvID": "bob", "contentType": 1400, "sessionType": 4,
            "content": {"notificationName": "n", "notificationType": 1, "text": "t"}});
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &oa).await.code(), 1002);

        // Seed 002's nested body is accepted.
        let nested = json!({"recvID": "bob", "sendMsg": {"sendID": "alice", "content": {"content": "nested"}, "contentType": 101, "sessionType": 1}});
        s.post("/msg/send_msg", Some(&admin), &nested).await.ok();
        wait_max_seq(&s, &alice, "alice", "si_alice_bob", 1).await;

        // Ownership: eve may not read as alice, and reading as herself shows nothing of theirs.
        let pull = |user: &str| json!({"userID": user, "seqRanges": [{"conversationID": "si_alice_bob", "begin": 1, "end": 1, "num": 1}]});
        assert_eq!(s.post("/msg/pull_msg_by_seq", Some(&eve), &pull("alice")).await.code(), 1002);
        let got = s.post("/msg/pull_msg_by_seq", Some(&eve), &pull("eve")).await.ok();
        assert_eq!(got["msgs"], json!({}));
        assert_eq!(s.post("/msg/newest_seq", Some(&eve), &json!({"userID": "alice"})).await.code(), 1002);
        let r = s.post("/msg/get_conversations_has_read_and_max_seq", Some(&eve), &json!({"userID": "alice"})).await;
        assert_eq!(r.code(), 1002);
        let r = s.post("/msg/get_conversations_has_read_and_max_seq", Some(&eve), &json!({"userID": "eve", "conversationIDs": ["si_alice_bob"]})).await;
        assert_eq!(r.ok()["seqs"], json!({}));
    }

    /// batch_send_msg and send_business_notification.
    async fn batch_and_business(backend) {
        let s = Server::start(backend, &["alice", "bob", "carol"]).await;
        let admin = s.admin_token().await;
        let bob = s.user_token(&admin, "bob", WEB).await;
        let body = json!({"sendID": "alice", "content": {"content": "to many"}, "contentType": 101, "sessionType": 1,
            "recvIDs": ["bob", "nobody", "carol"]});
        let data = s.post("/msg/batch_send_msg", Some(&admin), &body).await.ok();
        assert_eq!(keys(&data), ["failedUserIDs", "results"]);
        let results = data["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.iter().map(|r| r["recvID"].clone()).collect::<Vec<_>>(), [json!("bob"), json!("carol")]);
        assert_eq!(keys(&results[0]), ["clientMsgID", "recvID", "sendTime", "serverMsgID"]);
        assert_eq!(results[0]["clientMsgID"], results[1]["clientMsgID"], "one message template for every recipient");
        assert_eq!(data["failedUserIDs"], json!(["nobody"]));
        wait_max_seq(&s, &bob, "bob", "si_alice_bob", 1).await;
        // isSendAll: every registered user (alice's own conversation with herself included).
        let all = json!({"sendID": "alice", "content": {"content": "all"}, "contentType": 101, "sessionType": 1, "isSendAll": true, "recvIDs": []});
        let data = s.post("/msg/batch_send_msg", Some(&admin), &all).await.ok();
        let mut got: Vec<String> = data["results"].as_array().into_iter().flatten().filter_map(|r| r["recvID"].as_str().map(String::from)).collect();
        got.sort();
        assert!(["alice", "bob", "carol"].iter().all(|u| got.contains(&u.to_string())), "{got:?}");
        wait_max_seq(&s, &bob, "bob", "si_alice_bob", 2).await;

        // Business notifications are online only: a reply, no seq anywhere.
        let r = s.post("/msg/send_business_notification", Some(&admin), &json!({"key": "k", "data": "{}", "sendUserID": "alice", "recvUserID": "bob"})).await;
        assert_eq!(keys(&r.ok()), ["clientMsgID", "modify", "sendTime", "serverMsgID"]);
        let newest = s.post("/msg/newest_seq", Some(&bob), &json!({"userID": "bob"})).await.ok();
        assert!(newest["maxSeqs"].get("n_alice_bob").is_none(), "{newest}");
    }
}

/// 1,000 concurrent sends from 20 concurrent clients into one conversation: seqs 1..=1000 with
/// no gap or duplicate, and one pull returns all of them in order.
#[tokio::test]
async fn a_thousand_concurrent_http_sends_into_one_conversation() {
    let s = std::sync::Arc::new(Server::start(Backend::Embedded, &["alice", "bob"]).await);
    let admin = s.admin_token().await;
    let alice = s.user_token(&admin, "alice", WEB).await;
    let mut tasks = Vec::new();
    for client in 0..20 {
        let (s, admin) = (s.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..50 {
                let (from, to) = if client % 2 == 0 { ("alice", "bob") } else { ("bob", "alice") };
                let r = s.post("/msg/send_msg", Some(&admin), &text_body(from, to, &format!("{client}-{i}"))).await;
                ids.push(r.ok()["serverMsgID"].as_str().unwrap_or_default().to_string());
            }
            ids
        }));
    }
    let mut sent = HashSet::new();
    for t in tasks {
        sent.extend(t.await.expect("client task"));
    }
    assert_eq!(sent.len(), 1000);
    wait_max_seq(&s, &alice, "alice", "si_alice_bob", 1000).await;
    let pull = json!({"userID": "alice", "seqRanges": [{"conversationID": "si_alice_bob", "begin": 1, "end": 1000, "num": 1000}]});
    let data = s.post("/msg/pull_msg_by_seq", Some(&alice), &pull).await.ok();
    let msgs = data["msgs"]["si_alice_bob"]["Msgs"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        msgs.iter().map(|m| m["seq"].as_i64().unwrap_or(0)).collect::<Vec<_>>(),
        (1..=1000).collect::<Vec<i64>>()
    );
    let pulled: HashSet<String> =
        msgs.iter().map(|m| m["serverMsgID"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(pulled, sent, "every acknowledged message is stored exactly once");
}

/// Pulls seqs 1..=max of `cid` as `user` (max from newest_seq), 1,000 per request (the cap).
async fn pull_all(s: &Server, token: &str, user: &str, cid: &str) -> Vec<Value> {
    let newest = s.post("/msg/newest_seq", Some(token), &json!({"userID": user})).await.ok();
    let max = newest["maxSeqs"][cid].as_i64().unwrap_or(0);
    let mut out = Vec::new();
    let mut begin = 1;
    while begin <= max {
        let end = (begin + 999).min(max);
        let pull =
            json!({"userID": user, "seqRanges": [{"conversationID": cid, "begin": begin, "end": end, "num": 1000}]});
        let data = s.post("/msg/pull_msg_by_seq", Some(token), &pull).await.ok();
        out.extend(data["msgs"][cid]["Msgs"].as_array().cloned().unwrap_or_default());
        begin = end + 1;
    }
    out
}

/// Polls until every serverMsgID of `sent` is pullable from `cid`; returns the whole conversation.
async fn wait_pullable(s: &Server, token: &str, user: &str, cid: &str, sent: &HashSet<String>) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let msgs = pull_all(s, token, user, cid).await;
        let have: HashSet<String> = msgs.iter().filter_map(|m| m["serverMsgID"].as_str().map(String::from)).collect();
        if sent.is_subset(&have) {
            return msgs;
        }
        assert!(Instant::now() < deadline, "{cid}: not every sent message became pullable");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Content text of a pulled text message.
fn text_of(m: &Value) -> String {
    let c =
        base64::engine::general_purpose::STANDARD.decode(m["content"].as_str().unwrap_or_default()).unwrap_or_default();
    serde_json::from_slice::<Value>(&c).ok().and_then(|v| v["content"].as_str().map(String::from)).unwrap_or_default()
}

/// Creates a group of `owner` with `members` (admin token).
async fn create_group(s: &Server, admin: &str, owner: &str, members: &[&str]) -> String {
    let body = json!({"ownerUserID": owner, "adminUserIDs": [], "memberUserIDs": members,
        "groupInfo": {"groupName": "chat", "groupType": 2}});
    let data = s.post("/group/create_group", Some(admin), &body).await.ok();
    data["groupInfo"]["groupID"].as_str().expect("groupID").to_string()
}

fn group_body(send: &str, group: &str, text: &str) -> Value {
    json!({"sendID": send, "groupID": group, "content": {"content": text}, "contentType": 101, "sessionType": 3})
}

on_both_backends! {
    /// Group sends through the real group module: members send and read, outsiders get 1203.
    async fn group_send_and_pull(backend) {
        let s = Server::start(backend, &["o", "a", "b", "out"]).await;
        let admin = s.admin_token().await;
        let (a, b) = (s.user_token(&admin, "a", WEB).await, s.user_token(&admin, "b", WEB).await);
        let gid = create_group(&s, &admin, "o", &["a", "b"]).await;
        let cid = format!("sg_{gid}");
        let sent = s.post("/msg/send_msg", Some(&admin), &group_body("a", &gid, "to the group")).await.ok();
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &group_body("out", &gid, "x")).await.code(), 1203);
        let ids = HashSet::from([sent["serverMsgID"].as_str().unwrap_or_default().to_string()]);
        let msgs = wait_pullable(&s, &b, "b", &cid, &ids).await;
        let msg = msgs.iter().find(|m| m["serverMsgID"] == sent["serverMsgID"]).expect("pulled");
        assert_eq!((msg["sendID"].as_str(), msg["groupID"].as_str(), msg["sessionType"].as_i64()), (Some("a"), Some(gid.as_str()), Some(3)));
        assert_eq!(text_of(msg), "to the group");
        // The sender's read seq moved with their message; b has not read it.
        let seq = msg["seq"].as_i64().unwrap_or(0);
        let body = |u: &str| json!({"userID": u, "conversationIDs": [cid]});
        let seqs = s.post("/msg/get_conversations_has_read_and_max_seq", Some(&a), &body("a")).await.ok();
        assert_eq!(seqs["seqs"][&cid]["hasReadSeq"].as_i64(), Some(seq));
        let seqs = s.post("/msg/get_conversations_has_read_and_max_seq", Some(&b), &body("b")).await.ok();
        assert!(seqs["seqs"][&cid]["hasReadSeq"].as_i64().unwrap_or(0) < seq);
    }
}

/// 20 group members send 50 messages each at the same time over HTTP: the conversation's seqs
/// have no gap or duplicate, one pull returns every message in order, each sender's in their order.
#[tokio::test]
async fn twenty_group_members_send_concurrently_over_http() {
    let senders: Vec<String> = (0..20).map(|i| format!("s{i:02}")).collect();
    let refs: Vec<&str> = senders.iter().map(String::as_str).collect();
    let s = std::sync::Arc::new(Server::start(Backend::Embedded, &refs).await);
    let admin = s.admin_token().await;
    let gid = create_group(&s, &admin, refs[0], &refs[1..]).await;
    let cid = format!("sg_{gid}");
    let reader = s.user_token(&admin, "s00", WEB).await;
    let mut tasks = Vec::new();
    for sender in senders.clone() {
        let (s, admin, gid) = (s.clone(), admin.clone(), gid.clone());
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..50 {
                let r =
                    s.post("/msg/send_msg", Some(&admin), &group_body(&sender, &gid, &format!("{sender}-{i}"))).await;
                ids.push(r.ok()["serverMsgID"].as_str().unwrap_or_default().to_string());
            }
            ids
        }));
    }
    let mut sent = HashSet::new();
    for t in tasks {
        sent.extend(t.await.expect("sender task"));
    }
    assert_eq!(sent.len(), 1000);
    let msgs = wait_pullable(&s, &reader, "s00", &cid, &sent).await;
    // Seqs 1..=max without a gap (no status-4 placeholder) or duplicate; besides the 1,000 only
    // the notification copies group creation stored.
    let seqs: Vec<i64> = msgs.iter().map(|m| m["seq"].as_i64().unwrap_or(0)).collect();
    assert_eq!(seqs, (1..=msgs.len() as i64).collect::<Vec<i64>>());
    assert!(msgs.iter().all(|m| m["status"] != json!(4)));
    let (ours, others): (Vec<&Value>, Vec<&Value>) =
        msgs.iter().partition(|m| sent.contains(m["serverMsgID"].as_str().unwrap_or_default()));
    assert_eq!(ours.len(), 1000);
    assert!(others.iter().all(|m| m["contentType"].as_i64().unwrap_or(0) >= 1000), "{others:?}");
    for sender in &senders {
        let mine: Vec<String> = ours.iter().filter(|m| m["sendID"] == json!(sender)).map(|m| text_of(m)).collect();
        assert_eq!(mine, (0..50).map(|i| format!("{sender}-{i}")).collect::<Vec<_>>(), "{sender}");
    }
}

on_both_backends! {
    /// The send path asks the friend module: a user the recipient blocked gets 1302, and can
    /// send again once unblocked; the blocker can still send to them.
    async fn blocked_sender_gets_1302(backend) {
        let s = Server::start(backend, &["owner", "pest"]).await;
        let admin = s.admin_token().await;
        let owner = s.user_token(&admin, "owner", WEB).await;
        let black = json!({"ownerUserID": "owner", "blackUserID": "pest"});
        assert_eq!(s.post("/friend/add_black", Some(&owner), &black).await.code(), 0);
        let r = s.post("/msg/send_msg", Some(&admin), &text_body("pest", "owner", "hi")).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1302, json!("BlockedByPeer")));
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &text_body("owner", "pest", "hi")).await.code(), 0);
        let unblock = json!({"ownerUserID": "owner", "blackUserID": "pest"});
        assert_eq!(s.post("/friend/remove_black", Some(&owner), &unblock).await.code(), 0);
        assert_eq!(s.post("/msg/send_msg", Some(&admin), &text_body("pest", "owner", "hi again")).await.code(), 0);
    }
}
