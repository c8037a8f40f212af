//! Black-box tests of every /conversation route against the real im-server binary, on both
//! backends: success shapes (OpenIM JSON keys, capitalised `IsPinned`/`LatestMsgRecvTime`),
//! settings semantics, incremental sync, the sorted list over real messages, the documented
//! errors, and the ownership rules that close OpenIM's unchecked-ownership hole.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;
const EMPTY_OK: &str = r#"{"errCode":0,"errMsg":"","errDlt":""}"#;

/// Keys of `openim.conversation.Conversation`.
const CONVERSATION_KEYS: [&str; 17] = [
    "attachedInfo",
    "burnDuration",
    "conversationID",
    "conversationType",
    "ex",
    "groupAtType",
    "groupID",
    "isMsgDestruct",
    "isPinned",
    "isPrivateChat",
    "latestMsgDestructTime",
    "maxSeq",
    "minSeq",
    "msgDestructTime",
    "ownerUserID",
    "recvMsgOpt",
    "userID",
];

/// Keys of `openim.conversation.MsgInfo`.
const MSG_INFO_KEYS: [&str; 17] = [
    "LatestMsgRecvTime",
    "clientMsgID",
    "content",
    "contentType",
    "ex",
    "faceURL",
    "groupFaceURL",
    "groupID",
    "groupMemberCount",
    "groupName",
    "groupType",
    "msgFrom",
    "recvID",
    "sendID",
    "senderName",
    "serverMsgID",
    "sessionType",
];

fn pin(owner: &str, peer: &str, extra: Value) -> Value {
    let mut ids = [owner, peer];
    ids.sort();
    let mut conversation =
        json!({"conversationID": format!("si_{}_{}", ids[0], ids[1]), "conversationType": 1, "userID": peer});
    if let (Some(c), Some(e)) = (conversation.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    json!({"userIDs": [owner], "conversation": conversation})
}

fn sorted(user: &str) -> Value {
    json!({"userID": user, "conversationIDs": [], "pagination": {"pageNumber": 1, "showNumber": 20}})
}

/// Sends a text message as the admin (`/msg/send_msg`), returning its sendTime.
async fn send(s: &Server, admin: &str, from: &str, to: &str, text: &str) -> i64 {
    let body = json!({"sendID": from, "recvID": to, "senderPlatformID": 1, "content": {"content": text},
        "contentType": 101, "sessionType": 1});
    s.post("/msg/send_msg", Some(admin), &body).await.ok()["sendTime"].as_i64().expect("sendTime")
}

/// Polls the sorted list of `user` until `ready` holds (rows and seqs come from the pipeline).
async fn wait_sorted(s: &Server, token: &str, user: &str, ready: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = s.post("/conversation/get_sorted_conversation_list", Some(token), &sorted(user)).await;
        if r.code() == 0 && ready(&r.data()) {
            return r.data();
        }
        assert!(Instant::now() < deadline, "sorted list of {user} never became ready: {}", r.text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_backends! {
    /// set_conversations and every read route, with exact shapes and incremental sync.
    async fn settings_reads_and_sync(backend) {
        settings_reads_and_sync_case(backend).await
    }

    /// The sorted list over messages sent through the pipeline: order, unread, summaries.
    async fn sorted_list_over_real_messages(backend) {
        sorted_list_over_real_messages_case(backend).await
    }

    /// Ownership: every route acts only for the caller unless admin; errors as documented.
    async fn permissions_and_errors(backend) {
        permissions_and_errors_case(backend).await
    }
}

async fn settings_reads_and_sync_case(backend: Backend) {
    let s = Server::start(backend, &["alice", "bob"]).await;
    let admin = s.admin_token().await;
    let alice = s.user_token(&admin, "alice", WEB).await;
    let bob = s.user_token(&admin, "bob", WEB).await;

    let r = s.post("/conversation/get_sorted_conversation_list", Some(&alice), &sorted("alice")).await;
    assert_eq!((r.code(), r.json()["errMsg"].clone()), (1004, json!("RecordNotFoundError")));
    let r = s.post("/conversation/get_all_conversations", Some(&alice), &json!({"ownerUserID": "alice"})).await;
    assert_eq!(r.ok(), json!({"conversations": []}));
    let sync0 = s
        .post(
            "/conversation/get_incremental_conversations",
            Some(&alice),
            &json!({"userID": "alice", "versionID": "", "version": 0}),
        )
        .await
        .ok();
    assert_eq!(keys(&sync0), ["delete", "full", "insert", "update", "version", "versionID"]);
    assert_eq!(sync0["full"], true);

    let r = s
        .post(
            "/conversation/set_conversations",
            Some(&alice),
            &pin("alice", "bob", json!({"isPinned": true, "ex": "x"})),
        )
        .await;
    assert_eq!(r.text(), EMPTY_OK);
    let r = s
        .post(
            "/conversation/get_conversation",
            Some(&alice),
            &json!({"conversationID": "si_alice_bob", "ownerUserID": "alice"}),
        )
        .await;
    let c = r.ok()["conversation"].clone();
    assert_eq!(keys(&c), CONVERSATION_KEYS);
    assert_eq!(
        (c["ownerUserID"].clone(), c["userID"].clone(), c["conversationType"].clone()),
        (json!("alice"), json!("bob"), json!(1))
    );
    assert_eq!((c["isPinned"].clone(), c["ex"].clone(), c["recvMsgOpt"].clone()), (json!(true), json!("x"), json!(0)));

    // null / absent fields are left alone.
    let r = s
        .post(
            "/conversation/set_conversations",
            Some(&alice),
            &pin("alice", "bob", json!({"isPinned": null, "recvMsgOpt": 2})),
        )
        .await;
    assert_eq!(r.text(), EMPTY_OK);
    let all = s.post("/conversation/get_all_conversations", Some(&alice), &json!({"ownerUserID": "alice"})).await.ok();
    let c = &all["conversations"][0];
    assert_eq!((c["isPinned"].clone(), c["recvMsgOpt"].clone(), c["ex"].clone()), (json!(true), json!(2), json!("x")));

    let ids = |path: &'static str| {
        let s = &s;
        let alice = alice.clone();
        async move { s.post(path, Some(&alice), &json!({"userID": "alice"})).await.ok() }
    };
    assert_eq!(ids("/conversation/get_pinned_conversation_ids").await, json!({"conversationIDs": ["si_alice_bob"]}));
    assert_eq!(
        ids("/conversation/get_not_notify_conversation_ids").await,
        json!({"conversationIDs": ["si_alice_bob"]})
    );
    let r = s
        .post(
            "/conversation/get_conversations",
            Some(&alice),
            &json!({"ownerUserID": "alice", "conversationIDs": ["nope", "si_alice_bob"]}),
        )
        .await
        .ok();
    assert_eq!(r["conversations"].as_array().map(Vec::len), Some(1));
    let r = s
        .post(
            "/conversation/get_owner_conversation",
            Some(&alice),
            &json!({"userID": "alice", "pagination": {"pageNumber": 1, "showNumber": 10}}),
        )
        .await
        .ok();
    assert_eq!((keys(&r), r["total"].clone()), (vec!["conversations".to_string(), "total".to_string()], json!(1)));
    let r = s
        .post(
            "/conversation/get_conversation_offline_push_user_ids",
            Some(&alice),
            &json!({"conversationID": "si_alice_bob", "userIDs": ["alice"]}),
        )
        .await
        .ok();
    assert_eq!(r, json!({"userIDs": []}), "recvMsgOpt 2 opts out of offline push");

    // Full IDs and the idHash short-circuit.
    let full = s
        .post("/conversation/get_full_conversation_ids", Some(&alice), &json!({"idHash": 0, "userID": "alice"}))
        .await
        .ok();
    assert_eq!(keys(&full), ["conversationIDs", "equal", "version", "versionID"]);
    assert_eq!((full["conversationIDs"].clone(), full["equal"].clone()), (json!(["si_alice_bob"]), json!(false)));
    assert_eq!(full["versionID"], sync0["versionID"]);
    let hash = im_repo::version::id_hash(&["si_alice_bob".to_string()]);
    let same = s
        .post("/conversation/get_full_conversation_ids", Some(&alice), &json!({"idHash": hash, "userID": "alice"}))
        .await
        .ok();
    assert_eq!((same["equal"].clone(), same["conversationIDs"].clone()), (json!(true), json!([])));

    // Incremental: the next change comes back as an update with the full row.
    let v = full["version"].as_u64().expect("version");
    assert!(v >= 2, "insert and update logged: {full}");
    s.post("/conversation/set_conversations", Some(&alice), &pin("alice", "bob", json!({"isPinned": false})))
        .await
        .ok();
    let inc = s
        .post(
            "/conversation/get_incremental_conversations",
            Some(&alice),
            &json!({"userID": "alice", "versionID": full["versionID"], "version": v}),
        )
        .await
        .ok();
    assert_eq!((inc["full"].clone(), inc["version"].as_u64()), (json!(false), Some(v + 1)));
    assert_eq!((inc["insert"].clone(), inc["delete"].clone()), (json!([]), json!([])));
    assert_eq!(inc["update"][0]["conversationID"], "si_alice_bob");
    assert_eq!(inc["update"][0]["isPinned"], false);
    assert_eq!(keys(&inc["update"][0]), CONVERSATION_KEYS);

    // Rows without messages: no elements, but not 1004 either.
    let r = s.post("/conversation/get_sorted_conversation_list", Some(&alice), &sorted("alice")).await.ok();
    assert_eq!(r, json!({"conversationTotal": 0, "unreadTotal": 0, "conversationElems": []}));

    // Private chat is mirrored onto bob's row (created for him), and the 1701 notice is stored
    // in the chat conversation by the messaging pipeline (isSendMsg).
    s.post("/conversation/set_conversations", Some(&alice), &pin("alice", "bob", json!({"isPrivateChat": true})))
        .await
        .ok();
    let r = s
        .post(
            "/conversation/get_conversation",
            Some(&bob),
            &json!({"conversationID": "si_alice_bob", "ownerUserID": "bob"}),
        )
        .await
        .ok();
    assert_eq!(
        (r["conversation"]["isPrivateChat"].clone(), r["conversation"]["userID"].clone()),
        (json!(true), json!("alice"))
    );
    let data = wait_sorted(&s, &alice, "alice", |d| d["conversationTotal"] == 1).await;
    let info = &data["conversationElems"][0]["msgInfo"];
    assert_eq!(
        (info["contentType"].clone(), info["sendID"].clone(), info["recvID"].clone()),
        (json!(1701), json!("alice"), json!("bob"))
    );
}

async fn sorted_list_over_real_messages_case(backend: Backend) {
    let s = Server::start(backend, &["alice", "bob", "carol"]).await;
    let admin = s.admin_token().await;
    let alice = s.user_token(&admin, "alice", WEB).await;
    send(&s, &admin, "bob", "alice", "one").await;
    let t2 = send(&s, &admin, "bob", "alice", "two").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let t3 = send(&s, &admin, "alice", "carol", "three").await;
    let data = wait_sorted(&s, &alice, "alice", |d| d["conversationTotal"] == 2 && d["unreadTotal"] == 2).await;
    assert_eq!(keys(&data), ["conversationElems", "conversationTotal", "unreadTotal"]);
    let elems = data["conversationElems"].as_array().expect("elems").clone();
    assert_eq!(keys(&elems[0]), ["IsPinned", "conversationID", "msgInfo", "recvMsgOpt", "unreadCount"]);
    assert_eq!(keys(&elems[0]["msgInfo"]), MSG_INFO_KEYS);
    let order: Vec<_> = elems.iter().map(|e| (e["conversationID"].clone(), e["unreadCount"].clone())).collect();
    assert_eq!(order, [(json!("si_alice_carol"), json!(0)), (json!("si_alice_bob"), json!(2))]);
    let carol = &elems[0]["msgInfo"];
    assert_eq!((carol["senderName"].clone(), carol["LatestMsgRecvTime"].as_i64()), (json!("carol"), Some(t3)));
    let bob = &elems[1]["msgInfo"];
    assert_eq!(
        (bob["sendID"].clone(), bob["senderName"].clone(), bob["content"].clone()),
        (json!("bob"), json!("bob"), json!(r#"{"content":"two"}"#))
    );
    assert_eq!(
        (bob["LatestMsgRecvTime"].as_i64(), bob["contentType"].clone(), bob["sessionType"].clone()),
        (Some(t2), json!(101), json!(1))
    );

    // Pinning puts bob's conversation first; paging cuts the list.
    let r =
        s.post("/conversation/set_conversations", Some(&alice), &pin("alice", "bob", json!({"isPinned": true}))).await;
    assert_eq!(r.text(), EMPTY_OK);
    let page = json!({"userID": "alice", "pagination": {"pageNumber": 1, "showNumber": 1}});
    let r = s.post("/conversation/get_sorted_conversation_list", Some(&alice), &page).await.ok();
    assert_eq!((r["conversationTotal"].clone(), r["conversationElems"].as_array().map(Vec::len)), (json!(2), Some(1)));
    assert_eq!(
        (r["conversationElems"][0]["conversationID"].clone(), r["conversationElems"][0]["IsPinned"].clone()),
        (json!("si_alice_bob"), json!(true))
    );

    // The rows the pipeline created are in the version log.
    let inc = s.post("/conversation/get_full_conversation_ids", Some(&alice), &json!({"userID": "alice"})).await.ok();
    assert_eq!(inc["conversationIDs"], json!(["si_alice_bob", "si_alice_carol"]));
    assert!(inc["version"].as_u64().unwrap_or(0) >= 3, "{inc}");
}

async fn permissions_and_errors_case(backend: Backend) {
    let s = Server::start(backend, &["alice", "bob", "carol"]).await;
    let admin = s.admin_token().await;
    let alice = s.user_token(&admin, "alice", WEB).await;
    s.post("/conversation/set_conversations", Some(&admin), &pin("bob", "carol", json!({"isPinned": true}))).await.ok();
    // alice's attempt on bob's row changes nothing.
    let unpin = pin("bob", "carol", json!({"isPinned": false}));
    assert_eq!(s.post("/conversation/set_conversations", Some(&alice), &unpin).await.code(), 1002);
    let r = s.post("/conversation/get_pinned_conversation_ids", Some(&admin), &json!({"userID": "bob"})).await.ok();
    assert_eq!(r, json!({"conversationIDs": ["si_bob_carol"]}));

    let for_bob: [(&str, Value); 10] = [
        ("/conversation/get_sorted_conversation_list", sorted("bob")),
        ("/conversation/get_all_conversations", json!({"ownerUserID": "bob"})),
        ("/conversation/get_conversation", json!({"ownerUserID": "bob", "conversationID": "si_bob_carol"})),
        ("/conversation/get_conversations", json!({"ownerUserID": "bob", "conversationIDs": ["si_bob_carol"]})),
        ("/conversation/set_conversations", pin("bob", "carol", json!({"isPinned": false}))),
        (
            "/conversation/get_conversation_offline_push_user_ids",
            json!({"conversationID": "si_bob_carol", "userIDs": ["bob"]}),
        ),
        ("/conversation/get_full_conversation_ids", json!({"idHash": 0, "userID": "bob"})),
        ("/conversation/get_incremental_conversations", json!({"userID": "bob", "versionID": "", "version": 0})),
        (
            "/conversation/get_owner_conversation",
            json!({"userID": "bob", "pagination": {"pageNumber": 1, "showNumber": 5}}),
        ),
        ("/conversation/get_pinned_conversation_ids", json!({"userID": "bob"})),
    ];
    for (path, body) in &for_bob {
        let r = s.post(path, Some(&alice), body).await;
        assert_eq!(r.code(), 1002, "{path}: {}", r.text());
        let r = s.post(path, Some(&admin), body).await;
        assert_eq!(r.code(), 0, "admin on {path}: {}", r.text());
        let r = s.post(path, None, body).await;
        assert_eq!((r.code(), r.dlt()), (1001, "header must have token".to_string()), "{path}");
    }
    let r = s.post("/conversation/get_not_notify_conversation_ids", Some(&alice), &json!({"userID": "bob"})).await;
    assert_eq!(r.code(), 1002);
    // Only the admin's set_conversations (which unpinned it) reached bob's row.
    let r = s.post("/conversation/get_pinned_conversation_ids", Some(&admin), &json!({"userID": "bob"})).await.ok();
    assert_eq!(r, json!({"conversationIDs": []}));

    // alice cannot create rows for conversations she is not part of.
    let foreign = json!({"userIDs": ["alice"], "conversation": {
        "conversationID": "si_bob_carol", "conversationType": 1, "userID": "bob", "isPinned": true}});
    assert_eq!(s.post("/conversation/set_conversations", Some(&alice), &foreign).await.code(), 1001);
    let group = json!({"userIDs": ["alice"], "conversation": {
        "conversationID": "sg_nogroup", "conversationType": 3, "groupID": "nogroup", "recvMsgOpt": 1}});
    assert_eq!(s.post("/conversation/set_conversations", Some(&alice), &group).await.code(), 1203);
    let r = s.post("/conversation/get_all_conversations", Some(&alice), &json!({"ownerUserID": "alice"})).await;
    assert_eq!(r.ok(), json!({"conversations": []}));

    // Validation.
    let r = s.post("/conversation/get_conversation", Some(&alice), &json!({"ownerUserID": "alice"})).await;
    assert_eq!((r.code(), r.dlt()), (1001, "conversationID is empty".to_string()));
    let r = s
        .post(
            "/conversation/get_conversation",
            Some(&alice),
            &json!({"ownerUserID": "alice", "conversationID": "si_alice_bob"}),
        )
        .await;
    assert_eq!(r.code(), 1004);
    let bad_page = json!({"userID": "alice", "pagination": {"pageNumber": 0, "showNumber": 5}});
    let r = s.post("/conversation/get_sorted_conversation_list", Some(&alice), &bad_page).await;
    assert_eq!((r.code(), r.dlt()), (1001, "pageNumber is invalid".to_string()));
    let r = s
        .post(
            "/conversation/set_conversations",
            Some(&alice),
            &json!({"userIDs": ["alice"], "conversation": {"conversationID": "si_alice_bob"}}),
        )
        .await;
    assert_eq!((r.code(), r.dlt()), (1001, "conversationType is invalid".to_string()));
    let r = s
        .post("/conversation/get_conversation_offline_push_user_ids", Some(&alice), &json!({"userIDs": ["alice"]}))
        .await;
    assert_eq!((r.code(), r.dlt()), (1001, "conversationID is empty".to_string()));
    let r = s.post("/conversation/get_all_conversations", Some(&alice), &json!({"ownerUserID": 7})).await;
    assert_eq!(r.code(), 1001, "{}", r.text());
}
