//! Online status comes from the connection registry the gateway writes: connections registered
//! on the store show up in the three status routes; expired ones do not.

mod common;

use std::sync::Arc;

use common::World;
use im_domain::TenantId;
use im_domain::clock::{Clock, SystemClock};
use im_http::HttpMethod;
use im_http::testing::call;
use im_repo::connection::{ConnectionRecord, ConnectionRegistry};
use serde_json::json;

#[tokio::test]
async fn registered_connections_are_online() {
    let w = World::new();
    let t = TenantId::default_tenant();
    w.auth.ensure_admin_users(&t).await.expect("admins");
    w.register(&t, &["alice", "bob"]).await;
    let reg = ConnectionRegistry::new(w.store.clone(), Arc::new(SystemClock));
    let now = SystemClock.now_s();
    let conn = |id: &str, platform_id, background, ttl| ConnectionRecord {
        user_id: "alice".into(),
        conn_id: id.into(),
        platform_id,
        background,
        token_sig: format!("sig-{id}"),
        ttl,
        ..ConnectionRecord::default()
    };
    for c in [
        conn("c1", 5, false, now + 60),
        conn("c2", 1, true, now + 60),
        conn("c3", 5, false, now + 60),
        conn("old", 2, false, now - 1),
    ] {
        reg.put(&t, &c).await.expect("put");
    }
    let admin = w.auth.get_admin_token(&t, "openIM123", "imAdmin").await.expect("admin").token;
    let bob = w.auth.get_user_token(&t, "bob", 5).await.expect("bob").token;
    let router = w.router(w.auth.clone());
    let post = HttpMethod::Post;

    let r =
        call(&router, post, "/user/get_users_online_status", Some(&admin), &json!({"userIDs": ["alice", "bob"]})).await;
    assert_eq!(
        r.json["data"],
        json!([
            {"userID": "alice", "status": 1, "detailPlatformStatus": [
                {"platformID": 5, "connID": "c1", "isBackground": false, "token": "sig-c1"},
                {"platformID": 1, "connID": "c2", "isBackground": true, "token": "sig-c2"},
                {"platformID": 5, "connID": "c3", "isBackground": false, "token": "sig-c3"},
            ]},
            {"userID": "bob", "status": 0, "detailPlatformStatus": []},
        ])
    );

    let r =
        call(&router, post, "/user/get_users_online_token_detail", Some(&admin), &json!({"userIDs": ["alice", "bob"]}))
            .await;
    assert_eq!(
        r.json["data"],
        json!([{"userID": "alice", "status": 1, "singlePlatformToken": [
            {"platformID": 1, "total": 1, "token": ["sig-c2"]},
            {"platformID": 5, "total": 2, "token": ["sig-c1", "sig-c3"]},
        ]}])
    );
    let r =
        call(&router, post, "/user/get_users_online_token_detail", Some(&bob), &json!({"userIDs": ["alice"]})).await;
    assert_eq!(r.json["data"], json!([]));

    let r =
        call(&router, post, "/user/get_users_status", Some(&bob), &json!({"userIDs": ["alice", "bob", "alice"]})).await;
    assert_eq!(
        r.json["data"],
        json!({"statusList": [
            {"userID": "alice", "status": 1, "platformIDs": [1, 5]},
            {"userID": "bob", "status": 0, "platformIDs": []},
            {"userID": "alice", "status": 1, "platformIDs": [1, 5]},
        ]})
    );
    // Another tenant sees nobody online.
    let acme = TenantId::parse("acme").expect("tenant");
    assert!(w.state.users.online_platforms(&acme, &["alice".into()]).await.expect("status")[0].1.is_empty());
}
