//! The /msg route table, its permission matrix (derived from the declarations), and the
//! HTTP-400 binding quirk of the admin send routes.

use std::sync::Arc;

use im_domain::clock::Env;
use im_fn_msg::local::{LocalMessaging, Peers};
use im_fn_msg::{GROUP, ROUTES, families};
use im_http::testing::{ADMIN_TOKEN, StaticVerifier, USER_TOKEN, call, permission_matrix};
use im_http::{App, HttpMethod, HttpOptions};
use im_msg::MsgConfig;
use im_store_conformance::MemStore;
use serde_json::json;

fn router() -> axum::Router {
    let config = MsgConfig { admin_user_ids: vec![im_http::testing::ADMIN_ID.into()], ..MsgConfig::default() };
    let msg = LocalMessaging::start(Arc::new(MemStore::new()), Env::system(), config, Peers::stubs()).unwrap();
    msg.mount(App::new()).into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default())
}

#[test]
fn route_table() {
    assert_eq!(GROUP, "msg");
    assert_eq!(families::sync::ROUTES, families::sync::group().routes());
    assert_eq!(families::send::ROUTES, families::send::group().routes());
    assert_eq!(families::ops::ROUTES, families::ops::group().routes());
    assert_eq!(ROUTES, [families::sync::ROUTES, families::send::ROUTES, families::ops::ROUTES].concat());
    let table: Vec<(&str, String)> = ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    assert_eq!(
        table,
        [
            ("/msg/newest_seq", "S(userID)".to_string()),
            ("/msg/pull_msg_by_seq", "S(userID)".to_string()),
            ("/msg/get_conversations_has_read_and_max_seq", "S(userID)".to_string()),
            ("/msg/get_server_time", "T".to_string()),
            ("/msg/check_msg_is_send_success", "T".to_string()),
            ("/msg/send_msg", "A".to_string()),
            ("/msg/batch_send_msg", "A".to_string()),
            ("/msg/send_business_notification", "A".to_string()),
            ("/msg/revoke_msg", "S(userID)".to_string()),
            ("/msg/mark_msgs_as_read", "S(userID)".to_string()),
            ("/msg/mark_conversation_as_read", "S(userID)".to_string()),
            ("/msg/set_conversation_has_read_seq", "S(userID)".to_string()),
            ("/msg/delete_msgs", "S(userID)".to_string()),
            ("/msg/clear_conversation_msg", "S(userID)".to_string()),
            ("/msg/user_clear_all_msg", "S(userID)".to_string()),
            ("/msg/delete_msg_phsical_by_seq", "A".to_string()),
            ("/msg/delete_msg_physical", "A".to_string()),
            ("/msg/search_msg", "A".to_string()),
        ]
    );
    assert!(ROUTES.iter().all(|r| r.group == "msg" && r.method == HttpMethod::Post));
}

#[tokio::test]
async fn permission_matrix_holds() {
    let bad = permission_matrix(&router(), ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test]
async fn binding_failures_answer_400_after_the_permission_check() {
    let r = router();
    let post = HttpMethod::Post;
    // An admin with an incomplete or mistyped body: 400 + 1001.
    for (path, body) in [
        ("/msg/send_msg", json!({"recvID": "b"})),
        ("/msg/send_msg", json!({"sendID": 5})),
        ("/msg/batch_send_msg", json!({"sendID": "a", "content": {}, "contentType": 101, "sessionType": 1})),
        ("/msg/send_business_notification", json!({"sendUserID": "a"})),
    ] {
        let resp = call(&r, post, path, Some(ADMIN_TOKEN), &body).await;
        assert_eq!((resp.status, resp.code()), (400, 1001), "{path} {body}: {}", resp.text);
    }
    // A complete body with bad content is an ordinary 1001 (HTTP 200), as OpenIM.
    let body = json!({"sendID": "a", "recvID": "b", "content": {"text": "x"}, "contentType": 101, "sessionType": 1});
    let resp = call(&r, post, "/msg/send_msg", Some(ADMIN_TOKEN), &body).await;
    assert_eq!((resp.status, resp.code()), (200, 1001), "{}", resp.text);
    // A non-admin is refused first (200 + 1002), whatever the body.
    let resp = call(&r, post, "/msg/send_msg", Some(USER_TOKEN), &json!({})).await;
    assert_eq!((resp.status, resp.code()), (200, 1002));
    // Other msg routes keep 200 for decode errors.
    let resp = call(&r, post, "/msg/newest_seq", Some(USER_TOKEN), &json!({"userID": 5})).await;
    assert_eq!((resp.status, resp.code()), (200, 1001));
}
