//! Every sample API Gateway (HTTP API) event `events/friend-*.json` goes through lambda_http's
//! request conversion into the router the Lambda entry serves, in an order that makes each one
//! succeed (tenant `acme`, tokens `evt-token-<user>`).

use std::sync::Arc;

use axum::Router;
use axum::body::to_bytes;
use im_auth::Verified;
use im_domain::TenantId;
use im_domain::clock::Env;
use im_domain::ports::NoopNotifier;
use im_friend::FriendService;
use im_http::testing::StaticVerifier;
use im_http::{App, HttpOptions};
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use serde_json::{Value, json};
use tower::ServiceExt;

const EVENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events");

/// (route, expected errCode, a check of `data`).
type Case = (&'static str, i64, fn(&Value) -> bool);

const CASES: &[Case] = &[
    ("import_friend", 0, |d| d.is_null()),
    ("add_friend", 0, |d| d.is_null()),
    ("get_friend_apply_list", 0, |d| d["total"] == 1 && d["FriendRequests"][0]["fromUserID"] == "alice"),
    ("get_self_friend_apply_list", 0, |d| d["friendRequests"][0]["toUserID"] == "bob"),
    ("get_designated_friend_apply", 0, |d| d["friendRequests"].as_array().map(Vec::len) == Some(1)),
    ("get_self_unhandled_apply_count", 0, |d| d["count"] == 1),
    ("add_friend_response", 0, |d| d.is_null()),
    ("get_friend_list", 0, |d| d["total"] == 2),
    ("get_designated_friends", 0, |d| d["friendsInfo"][0]["friendUser"]["userID"] == "bob"),
    ("set_friend_remark", 0, |d| d.is_null()),
    ("update_friends", 0, |d| d.is_null()),
    ("is_friend", 0, |d| *d == json!({"inUser1Friends": true, "inUser2Friends": true})),
    ("get_friend_id", 0, |d| d["friendIDs"] == json!(["bob", "carol"])),
    ("get_specified_friends_info", 0, |d| d["infos"][0]["friendInfo"]["remark"] == "Bobby"),
    ("get_incremental_friends", 0, |d| d["full"] == true),
    ("get_full_friend_user_ids", 0, |d| d["userIDs"] == json!(["bob", "carol"])),
    ("add_black", 0, |d| d.is_null()),
    ("get_black_list", 0, |d| d["blacks"][0]["blackUserInfo"]["userID"] == "dave"),
    ("get_specified_blacks", 0, |d| d["total"] == 1),
    ("remove_black", 0, |d| d.is_null()),
    ("delete_friend", 0, |d| d.is_null()),
    ("get_incremental_blacks", 12, |d| d.is_null()),
    ("add_blacklist", 0, |d| d.is_null()),
];

async fn router() -> Router {
    let store = Arc::new(MemStore::new());
    let acme = TenantId::parse("acme").expect("tenant");
    let users = UserRepo::new(store.clone());
    let mut verifier = StaticVerifier::default()
        .with("evt-token-admin", Verified { user_id: "imAdmin".into(), platform_id: 10, is_admin: true });
    for id in ["alice", "bob", "carol", "dave", "imAdmin"] {
        let u = UserRecord { user_id: id.into(), nickname: id.into(), ..UserRecord::default() };
        assert!(users.create(&acme, &u).await.expect("seed"));
        verifier =
            verifier.with(&format!("evt-token-{id}"), Verified { user_id: id.into(), platform_id: 5, is_admin: false });
    }
    let svc = Arc::new(FriendService::new(store, Env::system(), Arc::new(NoopNotifier)));
    im_fn_friend::mount(App::new(), svc).into_router(Arc::new(verifier), HttpOptions::default())
}

#[tokio::test]
async fn every_friend_event_runs_through_the_lambda_router() {
    let router = router().await;
    for (route, code, check) in CASES {
        let file = format!("{EVENTS}/friend-{}.json", route.replace('_', "-"));
        let event = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let req = lambda_http::request::from_str(&event).unwrap_or_else(|e| panic!("{file}: {e}"));
        let resp = router.clone().oneshot(req).await.expect("infallible");
        assert_eq!(resp.status(), 200, "{route}");
        let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
        let v: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["errCode"], *code, "{route}: {v}");
        let data = v.get("data").cloned().unwrap_or(Value::Null);
        assert!(check(&data), "{route}: {v}");
    }
}

#[test]
fn every_route_has_an_event_and_every_event_a_case() {
    let routes: Vec<String> =
        im_fn_friend::ROUTES.iter().map(|r| r.path.trim_start_matches("/friend/").to_string()).collect();
    let cased: Vec<String> = CASES.iter().map(|(r, _, _)| r.to_string()).collect();
    let mut a = routes.clone();
    let mut b = cased.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b, "CASES must cover ROUTES exactly");
    let mut files: Vec<String> = std::fs::read_dir(EVENTS)
        .expect("events dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| Some(n.strip_prefix("friend-")?.strip_suffix(".json")?.replace('-', "_")))
        .collect();
    files.sort();
    assert_eq!(files, a, "one events/friend-<route>.json per route");
}
