//! Every sample API Gateway event of this group (`events/conversation-*.json`, one per route)
//! goes through lambda_http's request conversion into the router the Lambda entry serves, in the
//! event's tenant, and succeeds.

use std::sync::Arc;

use im_auth::Verified;
use im_conversation::ConversationRecord;
use im_domain::TenantId;
use im_domain::store::{DynStore, Item, Key, Update};
use im_fn_conversation::{ROUTES, mount, state};
use im_http::testing::{StaticVerifier, event_file, replay_event};
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;

/// Tenant "acme": u1↔u2 with one message from u2.
async fn seeded() -> DynStore {
    let store: DynStore = Arc::new(MemStore::new());
    let t = TenantId::parse("acme").expect("tenant");
    let st = state(store.clone());
    st.repo().ensure_pair(&t, "si_u1_u2", 1, "u1", "u2").await.expect("rows");
    st.repo().ensure_rows(&t, &["u1".into()], &ConversationRecord::new("n_u1_u1", 4)).await.expect("row");
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
    let store = seeded().await;
    let verifier = StaticVerifier::default()
        .with("evt-user-token", Verified { user_id: "u1".into(), platform_id: 5, is_admin: false });
    let router = mount(App::new(), state(store)).into_router(Arc::new(verifier), HttpOptions::default());
    for route in ROUTES {
        let file = event_file(route.path);
        let resp = replay_event(&router, &file).await;
        let file = file.display();
        assert_eq!(resp.status, 200, "{file}: {}", resp.text);
        let v = resp.json;
        assert_eq!(v["errCode"], 0, "{file}: {v}");
        match route.path {
            "/conversation/get_sorted_conversation_list" => {
                assert_eq!(v["data"]["unreadTotal"], 1, "{v}");
                assert_eq!(v["data"]["conversationElems"][0]["conversationID"], "si_u1_u2");
            }
            "/conversation/get_all_conversations" => {
                assert_eq!(v["data"]["conversations"].as_array().map(Vec::len), Some(2))
            }
            "/conversation/get_conversation" => assert_eq!(v["data"]["conversation"]["userID"], "u2"),
            "/conversation/get_full_conversation_ids" => {
                assert_eq!(v["data"]["conversationIDs"], serde_json::json!(["n_u1_u1", "si_u1_u2"]))
            }
            "/conversation/get_incremental_conversations" => assert_eq!(v["data"]["full"], true),
            "/conversation/get_owner_conversation" => assert_eq!(v["data"]["total"], 2),
            "/conversation/set_conversations" => assert!(v.get("data").is_none(), "{v}"),
            _ => {}
        }
    }
}
