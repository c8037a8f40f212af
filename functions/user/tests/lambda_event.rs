//! Every sample API Gateway (HTTP API, payload v2) event `events/user-<route>.json` goes through
//! lambda_http's request conversion into the router the Lambda entry serves, and answers a
//! success envelope. There is exactly one event per declared route.

mod common;

use std::sync::Arc;

use axum::body::to_bytes;
use common::World;
use im_auth::Verified;
use im_domain::TenantId;
use im_http::testing::StaticVerifier;
use im_user::NewUser;
use serde_json::Value;
use tower::ServiceExt;

/// The tenant the sample events name (`X-Tenant-ID`, seed 004's "1000").
const TENANT: &str = "1000";

fn events_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../events")
}

fn event_file(path: &str) -> String {
    format!("user-{}.json", path.trim_start_matches("/user/").replace('_', "-"))
}

/// The state every event expects: users, a password, a notification account, a command.
async fn prepared() -> World {
    let w = World::new();
    let t = TenantId::parse(TENANT).expect("tenant");
    w.register(&t, &["user_10002"]).await;
    let me = NewUser { user_id: "user_10001".into(), nickname: "Alice".into(), ..NewUser::default() };
    w.state.users.self_register(&t, me, "secret-pw").await.expect("self_register");
    w.state.users.add_notification_account(&t, "notify_1", "News", "", 3).await.expect("notification account");
    w.state.users.command_add(&t, "user_10001", 1, "cmd-1", Some("v".into()), None).await.expect("command");
    w
}

/// The placeholder tokens the events carry.
fn verifier() -> Arc<StaticVerifier> {
    let admin = Verified { user_id: "imAdmin".into(), platform_id: 10, is_admin: true };
    let user = Verified { user_id: "user_10001".into(), platform_id: 1, is_admin: false };
    Arc::new(StaticVerifier::default().with("sample-admin-token", admin).with("sample-user-token", user))
}

#[test]
fn one_event_per_route() {
    let mut expected: Vec<String> = im_fn_user::ROUTES.iter().map(|r| event_file(r.path)).collect();
    expected.sort();
    let mut found: Vec<String> = std::fs::read_dir(events_dir())
        .expect("events dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("user-") && n.ends_with(".json"))
        .collect();
    found.sort();
    assert_eq!(found, expected);
}

#[tokio::test]
async fn every_event_succeeds_through_the_lambda_adapter() {
    for route in im_fn_user::ROUTES {
        let file = event_file(route.path);
        let event = std::fs::read_to_string(events_dir().join(&file)).expect("event file");
        let req = lambda_http::request::from_str(&event).unwrap_or_else(|e| panic!("{file}: {e}"));
        let router = prepared().await.router(verifier());
        let resp = router.oneshot(req).await.expect("infallible");
        assert_eq!(resp.status(), 200, "{file}");
        assert_eq!(resp.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
        let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
        let v: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["errCode"], 0, "{file}: {v}");
        assert_eq!((v["errMsg"].as_str(), v["errDlt"].as_str()), (Some(""), Some("")), "{file}");
        let extra: Vec<&String> = v
            .as_object()
            .expect("object")
            .keys()
            .filter(|k| !["errCode", "errMsg", "errDlt", "data"].contains(&k.as_str()))
            .collect();
        assert!(extra.is_empty(), "{file}: {v}");
        // A few data checks that prove the event reached the right state.
        match route.path {
            "/user/get_users_info" => assert_eq!(v["data"]["usersInfo"].as_array().map(Vec::len), Some(2), "{v}"),
            "/user/self_login" => {
                assert!(v["data"]["token"].as_str().is_some_and(|t| t.split('.').count() == 3), "{v}")
            }
            "/user/get_users_online_status" => assert!(v["data"].is_array(), "{v}"),
            "/user/process_user_command_get" => assert_eq!(v["data"]["CommandResp"][0]["uuid"], "cmd-1", "{v}"),
            "/user/user_register" => assert!(v.get("data").is_none(), "{v}"),
            _ => {}
        }
    }
}
