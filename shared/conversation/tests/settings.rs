//! `/conversation/set_conversations` semantics: null fields untouched, missing rows created,
//! 1300 per changed owner, version entries, private-chat mirroring, and the ownership rules.

mod support;

use im_conversation::Actor;
use im_domain::constants::notification;
use im_repo::version::LogKind;
use im_wire::pb::conversation::SetConversationsReq;
use serde_json::json;
use support::{Fixture, Groups};

fn req(user_ids: &[&str], conversation: serde_json::Value) -> SetConversationsReq {
    let v = json!({"userIDs": user_ids, "conversation": conversation});
    serde_json::from_value(v).expect("request JSON")
}

fn me(id: &str) -> Actor {
    Actor::new(id, false)
}

#[tokio::test]
async fn writes_only_non_null_fields_creates_rows_and_notifies_changes() {
    let f = Fixture::new();
    let c = json!({"conversationID": "si_a_b", "conversationType": 1, "userID": "b", "isPinned": true, "ex": null});
    f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], c.clone())).await.unwrap();
    let row = f.svc.repo().get(&f.t, "a", "si_a_b").await.unwrap().expect("created");
    assert!(row.is_pinned);
    assert_eq!((row.user_id.as_str(), row.conversation_type, row.ex.as_str()), ("b", 1, ""));

    // Same values again: nothing changes, no notification.
    f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], c)).await.unwrap();
    let c2 = json!({"conversationID": "si_a_b", "conversationType": 1, "userID": "b", "recvMsgOpt": 2, "ex": "e"});
    f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], c2)).await.unwrap();
    let row = f.svc.repo().get(&f.t, "a", "si_a_b").await.unwrap().unwrap();
    assert_eq!((row.recv_msg_opt, row.ex.as_str(), row.is_pinned), (2, "e", true), "unset fields kept");

    let sent = f.notes.sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    for (ct, send, recv, detail) in &sent {
        assert_eq!((*ct, send.as_str(), recv.as_str()), (notification::CONVERSATION_CHANGE, "a", "a"));
        assert_eq!(detail, &json!({"userID": "a", "conversationIDList": ["si_a_b"]}));
    }
    let n = f.notes.0.lock().unwrap()[0].clone();
    assert_eq!((n.session_type, n.is_send_msg, n.sender_nickname.as_str()), (1, false, ""));

    let head = f.svc.repo().versions().head(&f.t, LogKind::Conversation, "a").await.unwrap();
    assert_eq!(head.version, 2, "one insert and one update");
}

#[tokio::test]
async fn admins_set_many_users_and_seq_bounds() {
    let f = Fixture::with_groups(Groups::default().with("g", "G", &["a", "b"]));
    f.user("adm", "Admin").await;
    let c = json!({"conversationID": "sg_g", "conversationType": 3, "groupID": "g", "recvMsgOpt": 1, "maxSeq": 9});
    f.svc.set_conversations(&Actor::new("adm", true), &f.t, &req(&["a", "b", "a"], c)).await.unwrap();
    for u in ["a", "b"] {
        let row = f.svc.repo().get(&f.t, u, "sg_g").await.unwrap().unwrap();
        assert_eq!((row.recv_msg_opt, row.max_seq, row.group_id.as_str()), (1, 9, "g"));
    }
    let to: Vec<String> = f.notes.sent().into_iter().map(|n| n.2).collect();
    assert_eq!(to, ["a", "b"]);
}

#[tokio::test]
async fn ordinary_callers_act_only_for_themselves() {
    let f = Fixture::with_groups(Groups::default().with("g", "G", &["a"]));
    let c = json!({"conversationID": "si_a_b", "conversationType": 1, "userID": "b", "isPinned": true});
    let e = f.svc.set_conversations(&me("a"), &f.t, &req(&["a", "b"], c.clone())).await.unwrap_err();
    assert_eq!(e.code, 1002);
    let e = f.svc.set_conversations(&me("a"), &f.t, &req(&["b"], c)).await.unwrap_err();
    assert_eq!(e.code, 1002);
    assert!(f.svc.repo().get(&f.t, "b", "si_a_b").await.unwrap().is_none());

    // minSeq/maxSeq from an ordinary caller are ignored (they bound what the user may pull).
    let c = json!({"conversationID": "sg_g", "conversationType": 3, "groupID": "g",
        "maxSeq": 0, "minSeq": 0, "isPinned": true});
    let mut capped = im_conversation::ConversationRecord::new("sg_g", 3).with_group("g").for_owner("a", 1);
    capped.max_seq = 5;
    f.store.put(capped.to_item(&f.t), None).await.unwrap();
    f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], c)).await.unwrap();
    let row = f.svc.repo().get(&f.t, "a", "sg_g").await.unwrap().unwrap();
    assert_eq!((row.max_seq, row.is_pinned), (5, true));
}

fn pin(cid: &str, kind: i32, user: &str, group: &str) -> serde_json::Value {
    json!({"conversationID": cid, "conversationType": kind, "userID": user, "groupID": group, "isPinned": true})
}

#[tokio::test]
async fn ordinary_callers_create_rows_only_for_their_own_conversations() {
    let f = Fixture::with_groups(Groups::default().with("g", "G", &["a"]).with("h", "H", &["x"]));
    let code = |r: Result<(), im_domain::ImError>| r.err().map_or(0, |e| e.code);
    // Someone else's single chat, a mismatched ID, a group the caller is not in.
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("si_b_c", 1, "c", ""))).await), 1001);
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("sg_h", 3, "", "g"))).await), 1001);
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("sg_h", 3, "", "h"))).await), 1203);
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("n_x", 9, "", ""))).await), 1001);
    assert!(f.svc.repo().list(&f.t, "a").await.unwrap().is_empty());
    // Own single chat and own group: created.
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("si_a_c", 1, "c", ""))).await), 0);
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("sg_g", 3, "", "g"))).await), 0);
    assert_eq!(f.svc.repo().ids(&f.t, "a").await.unwrap(), ["sg_g", "si_a_c"]);
    // An existing row (created by the messaging pipeline) can always be changed.
    let row = im_conversation::ConversationRecord::new("sg_h", 3).with_group("h");
    f.svc.repo().ensure_rows(&f.t, &["a".to_string()], &row).await.unwrap();
    assert_eq!(code(f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], pin("sg_h", 3, "", "h"))).await), 0);
}

#[tokio::test]
async fn private_chat_is_mirrored_to_the_peer() {
    let f = Fixture::new();
    f.user("a", "Ann").await;
    let c = json!({"conversationID": "si_a_b", "conversationType": 1, "userID": "b", "isPrivateChat": true});
    f.svc.set_conversations(&me("a"), &f.t, &req(&["a"], c)).await.unwrap();
    for (owner, peer) in [("a", "b"), ("b", "a")] {
        let row = f.svc.repo().get(&f.t, owner, "si_a_b").await.unwrap().unwrap();
        assert!(row.is_private_chat, "{owner}");
        assert_eq!(row.user_id, peer);
    }
    let sent = f.notes.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (ct, send, recv, detail) = &sent[0];
    assert_eq!((*ct, send.as_str(), recv.as_str()), (notification::CONVERSATION_PRIVATE_CHAT, "a", "b"));
    assert_eq!(detail, &json!({"recvID": "b", "sendID": "a", "isPrivate": true, "conversationID": "si_a_b"}));
    let n = f.notes.0.lock().unwrap()[0].clone();
    assert!(n.is_send_msg);
    assert_eq!(n.sender_nickname, "Ann");

    // The peer's row is only touched when the ID really is the pair's conversation.
    let bad = json!({"conversationID": "si_a_c", "conversationType": 1, "userID": "b", "isPrivateChat": true});
    let e = f.svc.set_conversations(&Actor::new("adm", true), &f.t, &req(&["a"], bad)).await.unwrap_err();
    assert_eq!(e.code, 1001);
    assert!(f.svc.repo().get(&f.t, "b", "si_a_c").await.unwrap().is_none());
}

#[tokio::test]
async fn validation_errors() {
    let f = Fixture::new();
    let admin = Actor::new("adm", true);
    let cases = [
        (
            json!({"userIDs": [], "conversation": {"conversationID": "c", "conversationType": 1, "userID": "b"}}),
            "userID is empty",
        ),
        (json!({"userIDs": ["a"]}), "conversation is empty"),
        (json!({"userIDs": ["a"], "conversation": {"conversationType": 1, "userID": "b"}}), "conversationID is empty"),
        (json!({"userIDs": ["a"], "conversation": {"conversationID": "c"}}), "conversationType is invalid"),
        (json!({"userIDs": ["a"], "conversation": {"conversationID": "c", "conversationType": 1}}), "userID is empty"),
        (json!({"userIDs": ["a"], "conversation": {"conversationID": "c", "conversationType": 3}}), "groupID is empty"),
        (
            json!({"userIDs": ["a"], "conversation": {
                "conversationID": "si_a_b", "conversationType": 1, "userID": "b", "recvMsgOpt": 7}}),
            "recvMsgOpt is invalid",
        ),
    ];
    for (body, dlt) in cases {
        let r: SetConversationsReq = serde_json::from_value(body.clone()).unwrap();
        let e = f.svc.set_conversations(&admin, &f.t, &r).await.unwrap_err();
        assert_eq!((e.code, e.dlt.as_str()), (1001, dlt), "{body}");
    }
}
