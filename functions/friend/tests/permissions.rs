//! The /friend route table and its permission matrix, derived from the declarations; the
//! handler-decided routes get a matrix of their own.

use std::sync::Arc;

use axum::Router;
use im_domain::clock::Env;
use im_domain::ports::NoopNotifier;
use im_fn_friend::{GROUP, ROUTES, group, mount};
use im_friend::FriendService;
use im_http::testing::{ADMIN_TOKEN, OTHER_ID, StaticVerifier, USER_ID, USER_TOKEN, call, permission_matrix};
use im_http::{App, AuthRule, HttpMethod, HttpOptions};
use im_store_conformance::MemStore;
use serde_json::{Value, json};

fn router() -> Router {
    let svc = Arc::new(FriendService::new(Arc::new(MemStore::new()), Env::system(), Arc::new(NoopNotifier)));
    mount(App::new(), svc).into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default())
}

#[test]
fn route_table() {
    assert_eq!(GROUP, "friend");
    assert_eq!(ROUTES, group().routes());
    let table: Vec<(&str, String)> = ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    let s = |f: &str| format!("S({f})");
    let owner = "H(S(ownerUserID); empty = the caller)".to_string();
    let user = "H(S(userID); empty = the caller)".to_string();
    assert_eq!(
        table,
        [
            ("/friend/add_friend", "H(S(fromUserID); empty = the caller)".to_string()),
            (
                "/friend/add_friend_response",
                "H(S(toUserID); without fromUserID: toUserID is the applicant and the caller responds)".to_string()
            ),
            ("/friend/delete_friend", owner.clone()),
            ("/friend/get_friend_apply_list", s("userID")),
            ("/friend/get_designated_friend_apply", "H(caller is fromUserID or toUserID, or an admin)".to_string()),
            ("/friend/get_self_friend_apply_list", s("userID")),
            ("/friend/get_friend_list", user.clone()),
            ("/friend/get_designated_friends", s("ownerUserID")),
            ("/friend/set_friend_remark", owner.clone()),
            ("/friend/add_black", owner.clone()),
            ("/friend/get_black_list", user),
            ("/friend/get_specified_blacks", s("ownerUserID")),
            ("/friend/remove_black", owner),
            ("/friend/get_incremental_blacks", "T".to_string()),
            ("/friend/import_friend", "A".to_string()),
            ("/friend/is_friend", "H(caller is userID1 or userID2, or an admin)".to_string()),
            ("/friend/get_friend_id", s("userID")),
            ("/friend/get_specified_friends_info", s("ownerUserID")),
            ("/friend/update_friends", s("ownerUserID")),
            ("/friend/get_incremental_friends", s("userID")),
            ("/friend/get_full_friend_user_ids", s("userID")),
            ("/friend/get_self_unhandled_apply_count", s("userID")),
            ("/friend/add_blacklist", "H(S(ownerUid); empty = the caller)".to_string()),
        ]
    );
}

#[tokio::test]
async fn permission_matrix_holds() {
    let bad = permission_matrix(&router(), ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}

/// Routes whose acting user is a body field that may be omitted (then: the caller).
const OWNER_FIELDS: &[(&str, &str)] = &[
    ("/friend/add_friend", "fromUserID"),
    ("/friend/delete_friend", "ownerUserID"),
    ("/friend/get_friend_list", "userID"),
    ("/friend/set_friend_remark", "ownerUserID"),
    ("/friend/add_black", "ownerUserID"),
    ("/friend/get_black_list", "userID"),
    ("/friend/remove_black", "ownerUserID"),
    ("/friend/add_blacklist", "ownerUid"),
];

/// Routes answered only to one of two users named in the body.
const PAIR_FIELDS: &[(&str, &str, &str)] =
    &[("/friend/get_designated_friend_apply", "fromUserID", "toUserID"), ("/friend/is_friend", "userID1", "userID2")];

const RESPOND: &str = "/friend/add_friend_response";

async fn code(r: &Router, path: &str, token: &str, body: Value) -> i64 {
    call(r, HttpMethod::Post, path, Some(token), &body).await.code()
}

#[tokio::test]
async fn handler_decided_routes() {
    let r = router();
    let handled: Vec<&str> = ROUTES.iter().filter(|x| matches!(x.auth, AuthRule::Handler(_))).map(|x| x.path).collect();
    let covered: Vec<&str> =
        OWNER_FIELDS.iter().map(|x| x.0).chain(PAIR_FIELDS.iter().map(|x| x.0)).chain([RESPOND]).collect();
    for p in &handled {
        assert!(covered.contains(p), "{p} has no handler-rule case");
    }
    for (path, field) in OWNER_FIELDS {
        assert_eq!(code(&r, path, USER_TOKEN, json!({ *field: OTHER_ID })).await, 1002, "{path}: for another");
        assert_ne!(code(&r, path, USER_TOKEN, json!({ *field: USER_ID })).await, 1002, "{path}: for oneself");
        assert_ne!(code(&r, path, USER_TOKEN, json!({})).await, 1002, "{path}: omitted = the caller");
        assert_ne!(code(&r, path, ADMIN_TOKEN, json!({ *field: OTHER_ID })).await, 1002, "{path}: admin");
    }
    for (path, a, b) in PAIR_FIELDS {
        assert_eq!(code(&r, path, USER_TOKEN, json!({ *a: OTHER_ID, *b: "x" })).await, 1002, "{path}: outsider");
        assert_ne!(code(&r, path, USER_TOKEN, json!({ *a: USER_ID, *b: OTHER_ID })).await, 1002, "{path}: first");
        assert_ne!(code(&r, path, USER_TOKEN, json!({ *a: OTHER_ID, *b: USER_ID })).await, 1002, "{path}: second");
        assert_ne!(code(&r, path, ADMIN_TOKEN, json!({ *a: OTHER_ID, *b: "x" })).await, 1002, "{path}: admin");
    }
    let answer = |to: &str| json!({"fromUserID": "x", "toUserID": to, "handleResult": 1});
    assert_eq!(code(&r, RESPOND, USER_TOKEN, answer(OTHER_ID)).await, 1002, "answering for another");
    assert_ne!(code(&r, RESPOND, USER_TOKEN, answer(USER_ID)).await, 1002);
    assert_ne!(code(&r, RESPOND, ADMIN_TOKEN, answer(OTHER_ID)).await, 1002);
    // Seed shape: the caller answers the applicant named by toUserID.
    assert_ne!(code(&r, RESPOND, USER_TOKEN, json!({"toUserID": OTHER_ID, "handleResult": 1})).await, 1002);
}
