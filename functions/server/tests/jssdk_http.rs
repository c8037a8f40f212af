//! Black-box tests of the /jssdk routes against the real im-server binary, on both backends: the
//! pure-JS SDK's protobuf requests (`application/x-protobuf` body, `data` = base64 protobuf
//! response), the JSON form, the token user as owner, and the content-type rule.

mod support;

use std::time::{Duration, Instant};

use base64::Engine as _;
use im_wire::pb::jssdk::{
    GetActiveConversationsReq, GetActiveConversationsResp, GetConversationsReq, GetConversationsResp,
};
use prost::Message as _;
use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;

/// POSTs raw bytes with a content type.
async fn post_raw(s: &Server, path: &str, token: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let req = s
        .http
        .post(format!("{}{path}", s.base))
        .header("operationID", "op-jssdk")
        .header("token", token)
        .header("content-type", content_type)
        .body(body);
    s.send(req).await
}

/// The protobuf bytes carried base64 in `data`.
fn data_bytes(r: &Resp) -> Vec<u8> {
    let v = r.json();
    assert_eq!(v["errCode"], 0, "{v}");
    let b64 = v["data"].as_str().unwrap_or_else(|| panic!("data is not a base64 string: {v}"));
    base64::engine::general_purpose::STANDARD.decode(b64).expect("base64")
}

/// bob → alice "hi" through the pipeline; waits until alice's row and seq exist.
async fn conversation_with_one_message(s: &Server, admin: &str, alice: &str) {
    let body = json!({"sendID": "bob", "recvID": "alice", "senderPlatformID": 1, "content": {"content": "hi"},
        "contentType": 101, "sessionType": 1});
    s.post("/msg/send_msg", Some(admin), &body).await.ok();
    let deadline = Instant::now() + Duration::from_secs(20);
    let list = json!({"userID": "alice", "pagination": {"pageNumber": 1, "showNumber": 10}});
    loop {
        let r = s.post("/conversation/get_sorted_conversation_list", Some(alice), &list).await;
        if r.code() == 0 && r.data()["conversationTotal"] == 1 {
            return;
        }
        assert!(Instant::now() < deadline, "the message never reached alice: {}", r.text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

on_both_backends! {
    /// The JS SDK's login call: protobuf in, base64 protobuf out, the token user's conversations.
    async fn protobuf_active_conversations(backend) {
        protobuf_active_conversations_case(backend).await
    }

    /// get_conversations in protobuf and JSON, and the content-type rule.
    async fn get_conversations_and_content_types(backend) {
        get_conversations_and_content_types_case(backend).await
    }
}

async fn protobuf_active_conversations_case(backend: Backend) {
    let s = Server::start(backend, &["alice", "bob"]).await;
    let admin = s.admin_token().await;
    let alice = s.user_token(&admin, "alice", WEB).await;
    conversation_with_one_message(&s, &admin, &alice).await;

    // ownerUserID is ignored: the token user (alice) is the owner.
    let req = GetActiveConversationsReq { owner_user_id: "bob".into(), count: 20 };
    let r =
        post_raw(&s, "/jssdk/get_active_conversations", &alice, "application/x-protobuf", req.encode_to_vec()).await;
    assert_eq!((r.status, r.header("content-type")), (200, "application/json"));
    let resp = GetActiveConversationsResp::decode(data_bytes(&r).as_slice()).expect("GetActiveConversationsResp");
    assert_eq!(resp.unread_count, 1);
    assert_eq!(resp.conversations.len(), 1);
    let c = &resp.conversations[0];
    let conv = c.conversation.as_ref().expect("conversation");
    assert_eq!(
        (conv.owner_user_id.as_str(), conv.conversation_id.as_str(), conv.user_id.as_str()),
        ("alice", "si_alice_bob", "bob")
    );
    assert_eq!((c.max_seq, c.read_seq), (1, 0));
    let last = c.last_msg.as_ref().expect("lastMsg");
    assert_eq!(
        (last.send_id.as_str(), last.seq, last.content.as_slice()),
        ("bob", 1, br#"{"content":"hi"}"#.as_slice())
    );
    assert_eq!(c.user.as_ref().map(|u| (u.user_id.as_str(), u.nickname.as_str())), Some(("bob", "bob")));
    assert!(c.friend.is_none() && c.group.is_none());

    // Same call in JSON: an object with OpenIM's keys.
    let r = s.post("/jssdk/get_active_conversations", Some(&alice), &json!({"ownerUserID": "bob", "count": 20})).await;
    let data = r.ok();
    assert_eq!(keys(&data), ["conversations", "unreadCount"]);
    let e = &data["conversations"][0];
    assert_eq!(keys(e), ["conversation", "friend", "group", "lastMsg", "maxSeq", "readSeq", "user"]);
    assert_eq!((e["friend"].clone(), e["group"].clone(), e["maxSeq"].clone()), (Value::Null, Value::Null, json!(1)));
    assert_eq!(e["lastMsg"]["content"], base64::engine::general_purpose::STANDARD.encode(br#"{"content":"hi"}"#));

    // bob's own view: he sent it, so nothing is unread.
    let bob = s.user_token(&admin, "bob", WEB).await;
    let r = post_raw(&s, "/jssdk/get_active_conversations", &bob, "application/protobuf", req.encode_to_vec()).await;
    let resp = GetActiveConversationsResp::decode(data_bytes(&r).as_slice()).expect("decodes");
    assert_eq!(resp.unread_count, 0);
    assert_eq!(resp.conversations[0].conversation.as_ref().map(|c| c.owner_user_id.as_str()), Some("bob"));
    assert_eq!((resp.conversations[0].max_seq, resp.conversations[0].read_seq), (1, 1));
}

async fn get_conversations_and_content_types_case(backend: Backend) {
    let s = Server::start(backend, &["alice", "bob"]).await;
    let admin = s.admin_token().await;
    let alice = s.user_token(&admin, "alice", WEB).await;
    conversation_with_one_message(&s, &admin, &alice).await;

    let req = GetConversationsReq {
        owner_user_id: String::new(),
        conversation_ids: vec!["si_alice_bob".into(), "nope".into()],
    };
    let r = post_raw(&s, "/jssdk/get_conversations", &alice, "application/x-protobuf", req.encode_to_vec()).await;
    let resp = GetConversationsResp::decode(data_bytes(&r).as_slice()).expect("GetConversationsResp");
    assert_eq!((resp.unread_count, resp.conversations.len()), (1, 1));
    assert_eq!(resp.conversations[0].last_msg.as_ref().map(|m| m.seq), Some(1));

    let r = s.post("/jssdk/get_conversations", Some(&alice), &json!({"conversationIDs": ["si_alice_bob"]})).await;
    assert_eq!(r.ok()["conversations"][0]["conversation"]["conversationID"], "si_alice_bob");
    let r = s.post("/jssdk/get_conversations", Some(&alice), &json!({"conversationIDs": []})).await;
    assert_eq!(r.ok(), json!({"unreadCount": 0, "conversations": []}));

    let r = post_raw(&s, "/jssdk/get_conversations", &alice, "text/plain", b"{}".to_vec()).await;
    assert_eq!((r.code(), r.dlt()), (1001, "unsupported content type".to_string()));
    let r = post_raw(&s, "/jssdk/get_active_conversations", &alice, "application/x-protobuf", vec![0x0a, 0x7f]).await;
    assert_eq!(r.code(), 1001, "{}", r.text());
    let r = s.post("/jssdk/get_active_conversations", None, &json!({})).await;
    assert_eq!((r.code(), r.dlt()), (1001, "header must have token".to_string()));
}
