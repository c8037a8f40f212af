//! The sample API Gateway events of this group (`events/jssdk-*.json`, one per route; the
//! active-conversations one carries a base64 protobuf body as the JS SDK sends it) go through
//! lambda_http's request conversion into the router the Lambda entry serves.

use std::sync::Arc;

use base64::Engine as _;
use im_auth::Verified;
use im_domain::TenantId;
use im_domain::store::{DynStore, Item, Key, Update};
use im_fn_jssdk::{ROUTES, mount, state};
use im_http::testing::{StaticVerifier, event_file, replay_event};
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;
use im_wire::pb::jssdk::GetActiveConversationsResp;
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;

/// Tenant "acme": u1↔u2 with one message from u2.
async fn seeded() -> DynStore {
    let store: DynStore = Arc::new(MemStore::new());
    let t = TenantId::parse("acme").expect("tenant");
    state(store.clone()).repo().ensure_pair(&t, "si_u1_u2", 1, "u1", "u2").await.expect("rows");
    let msg = MsgData {
        send_id: "u2".into(),
        recv_id: "u1".into(),
        session_type: 1,
        seq: 1,
        send_time: 5,
        ..Default::default()
    };
    let item = Item::new(Key::new(&t, "MSG#si_u1_u2", format!("{:020}", 1))).with("msg", msg.encode_to_vec());
    store.put(item, None).await.expect("message");
    let head = Update::new().set("max", 1).set("time", 5).set("r_u2", 1);
    store.update(&Key::new(&t, "SEQ#si_u1_u2", "head"), &head, None).await.expect("head");
    store
}

#[tokio::test]
async fn every_route_has_an_event_that_succeeds() {
    let verifier = StaticVerifier::default()
        .with("evt-user-token", Verified { user_id: "u1".into(), platform_id: 5, is_admin: false });
    let router = mount(App::new(), state(seeded().await)).into_router(Arc::new(verifier), HttpOptions::default());
    for route in ROUTES {
        let file = event_file(route.path);
        let resp = replay_event(&router, &file).await;
        let file = file.display();
        assert_eq!(resp.status, 200, "{file}: {}", resp.text);
        let v = resp.json;
        assert_eq!(v["errCode"], 0, "{file}: {v}");
        match route.path {
            "/jssdk/get_conversations" => {
                assert_eq!(v["data"]["unreadCount"], 1, "{v}");
                assert_eq!(v["data"]["conversations"][0]["conversation"]["conversationID"], "si_u1_u2");
            }
            _ => {
                let b64 = v["data"].as_str().unwrap_or_else(|| panic!("protobuf event answers base64: {v}"));
                let bytes = base64::engine::general_purpose::STANDARD.decode(b64).expect("base64");
                let resp = GetActiveConversationsResp::decode(bytes.as_slice()).expect("protobuf");
                assert_eq!(resp.unread_count, 1);
                let c = &resp.conversations[0];
                assert_eq!(c.conversation.as_ref().map(|c| c.conversation_id.as_str()), Some("si_u1_u2"));
                assert_eq!((c.max_seq, c.read_seq), (1, 0));
                assert_eq!(c.last_msg.as_ref().map(|m| m.send_id.as_str()), Some("u2"));
            }
        }
    }
}
