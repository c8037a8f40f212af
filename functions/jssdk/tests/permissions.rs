//! The /jssdk route table and its permission matrix, derived from the declarations.

use std::sync::Arc;

use im_fn_jssdk::{GROUP, ROUTES, group, mount, state};
use im_http::testing::{StaticVerifier, permission_matrix};
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;

#[test]
fn route_table() {
    assert_eq!(GROUP, "jssdk");
    assert_eq!(ROUTES, group().routes());
    let table: Vec<(&str, String)> = ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    assert_eq!(
        table,
        [("/jssdk/get_conversations", "T".to_string()), ("/jssdk/get_active_conversations", "T".to_string())]
    );
}

#[tokio::test]
async fn permission_matrix_holds() {
    let router = mount(App::new(), state(Arc::new(MemStore::new())))
        .into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default());
    let bad = permission_matrix(&router, ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}
