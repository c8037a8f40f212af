//! The /auth route table and its permission matrix, derived from the declarations.

use std::sync::Arc;

use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::clock::SystemClock;
use im_fn_auth::{GROUP, ROUTES, group, mount};
use im_http::testing::{StaticVerifier, permission_matrix};
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;

#[test]
fn route_table() {
    assert_eq!(GROUP, "auth");
    assert_eq!(ROUTES, group().routes());
    let table: Vec<(&str, String)> = ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    assert_eq!(
        table,
        [
            ("/auth/get_admin_token", "W".to_string()),
            ("/auth/get_user_token", "A".to_string()),
            ("/auth/parse_token", "W".to_string()),
            ("/auth/force_logout", "A".to_string()),
        ]
    );
}

#[tokio::test]
async fn permission_matrix_holds() {
    let auth = Arc::new(AuthService::new(
        AuthConfig::default(),
        Arc::new(MemStore::new()),
        Arc::new(SystemClock),
        Arc::new(NoopKicker),
    ));
    let router = mount(App::new(), auth).into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default());
    let bad = permission_matrix(&router, ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}
