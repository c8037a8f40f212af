//! The sample API Gateway (HTTP API) event in `events/` goes through lambda_http's request
//! conversion into the same router the Lambda entry serves.

use std::sync::Arc;

use axum::body::to_bytes;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::TenantId;
use im_domain::clock::SystemClock;
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;
use tower::ServiceExt;

#[tokio::test]
async fn get_admin_token_event() {
    let store = Arc::new(MemStore::new());
    let auth = Arc::new(AuthService::new(AuthConfig::default(), store, Arc::new(SystemClock), Arc::new(NoopKicker)));
    let router = im_fn_auth::mount(App::new(), auth.clone()).into_router(auth.clone(), HttpOptions::default());

    let event = include_str!("../../../events/auth-get-admin-token.json");
    let req = lambda_http::request::from_str(event).expect("event parses");
    let resp = router.oneshot(req).await.expect("infallible");
    assert_eq!(resp.status(), 200);
    let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["errCode"], 0, "{v}");
    // The event names tenant "acme": the token is that tenant's.
    let token = v["data"]["token"].as_str().expect("token");
    let acme = TenantId::parse("acme").expect("tenant");
    assert!(auth.parse_token(&acme, token).await.is_ok());
    assert!(auth.parse_token(&TenantId::default_tenant(), token).await.is_err());
}
