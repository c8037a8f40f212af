//! The /conversation route table and its permission matrix, derived from the declarations, plus
//! the handler-checked rules (userIDs lists) and the ownership re-check on decoded requests.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::Request;
use im_fn_conversation::{GROUP, ROUTES, group, mount, state};
use im_http::testing::{ADMIN_TOKEN, OTHER_ID, StaticVerifier, USER_ID, USER_TOKEN, call, permission_matrix};
use im_http::{App, HttpMethod, HttpOptions};
use im_store_conformance::MemStore;
use serde_json::json;
use tower::ServiceExt;

fn router() -> Router {
    mount(App::new(), state(Arc::new(MemStore::new())))
        .into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default())
}

#[test]
fn route_table() {
    assert_eq!(GROUP, "conversation");
    assert_eq!(ROUTES, group().routes());
    let table: Vec<(&str, String)> = ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    let s = |f: &str| format!("S({f})");
    let h = "H(userIDs must be the caller unless admin)".to_string();
    assert_eq!(
        table,
        [
            ("/conversation/get_sorted_conversation_list", s("userID")),
            ("/conversation/get_all_conversations", s("ownerUserID")),
            ("/conversation/get_conversation", s("ownerUserID")),
            ("/conversation/get_conversations", s("ownerUserID")),
            ("/conversation/set_conversations", h.clone()),
            ("/conversation/get_conversation_offline_push_user_ids", h),
            ("/conversation/get_full_conversation_ids", s("userID")),
            ("/conversation/get_incremental_conversations", s("userID")),
            ("/conversation/get_owner_conversation", s("userID")),
            ("/conversation/get_not_notify_conversation_ids", s("userID")),
            ("/conversation/get_pinned_conversation_ids", s("userID")),
        ]
    );
}

#[tokio::test]
async fn permission_matrix_holds() {
    let bad = permission_matrix(&router(), ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test]
async fn user_id_lists_must_name_only_the_caller() {
    let r = router();
    let post = HttpMethod::Post;
    let conv = |who: &[&str]| {
        json!({"userIDs": who, "conversation": {"conversationID": format!("si_{OTHER_ID}_{USER_ID}"),
            "conversationType": 1, "userID": OTHER_ID, "isPinned": true}})
    };
    let set = "/conversation/set_conversations";
    assert_eq!(call(&r, post, set, Some(USER_TOKEN), &conv(&[OTHER_ID])).await.code(), 1002);
    assert_eq!(call(&r, post, set, Some(USER_TOKEN), &conv(&[USER_ID, OTHER_ID])).await.code(), 1002);
    assert_eq!(call(&r, post, set, Some(USER_TOKEN), &conv(&[USER_ID])).await.code(), 0);
    assert_eq!(call(&r, post, set, Some(ADMIN_TOKEN), &conv(&[OTHER_ID])).await.code(), 0);

    let push = "/conversation/get_conversation_offline_push_user_ids";
    let body = |who: &[&str]| json!({"conversationID": "c", "userIDs": who});
    assert_eq!(call(&r, post, push, Some(USER_TOKEN), &body(&[OTHER_ID])).await.code(), 1002);
    let v = call(&r, post, push, Some(USER_TOKEN), &body(&[USER_ID])).await;
    assert_eq!(v.json["data"], json!({"userIDs": [USER_ID]}), "{}", v.text);
    let v = call(&r, post, push, Some(ADMIN_TOKEN), &body(&[OTHER_ID, USER_ID])).await;
    assert_eq!(v.json["data"]["userIDs"], json!([OTHER_ID, USER_ID]));
}

async fn raw(router: &Router, path: &str, body: &'static str) -> serde_json::Value {
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header("operationID", "op")
        .header("token", USER_TOKEN)
        .body(Body::from(body))
        .expect("request");
    let resp = router.clone().oneshot(req).await.expect("infallible");
    serde_json::from_slice(&to_bytes(resp.into_body(), 1 << 20).await.expect("body")).expect("json")
}

#[tokio::test]
async fn case_variant_keys_cannot_smuggle_another_owner() {
    // The JSON decoder matches keys case-insensitively and the last one wins (as Go); the S(field)
    // rule reads the exact key. The service re-checks the decoded owner.
    let r = router();
    let v = raw(&r, "/conversation/get_pinned_conversation_ids", r#"{"userID":"matrix-user","UserID":"matrix-other"}"#)
        .await;
    assert_eq!(v["errCode"], 1002, "{v}");
    let v =
        raw(&r, "/conversation/get_all_conversations", r#"{"ownerUserID":"matrix-user","OWNERUSERID":"matrix-other"}"#)
            .await;
    assert_eq!(v["errCode"], 1002, "{v}");
    // Every case variant must name the caller: the HTTP layer checks all of them.
    let v = raw(&r, "/conversation/get_pinned_conversation_ids", r#"{"UserID":"matrix-other","userID":"matrix-user"}"#)
        .await;
    assert_eq!(v["errCode"], 1002, "{v}");
    let v = raw(&r, "/conversation/get_pinned_conversation_ids", r#"{"UserID":"matrix-user","userID":"matrix-user"}"#)
        .await;
    assert_eq!(v["errCode"], 0, "{v}");
}
