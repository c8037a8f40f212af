//! The /group route table and its permission matrix, derived from the declarations.

use std::sync::Arc;

use im_domain::ports::NoopNotifier;
use im_fn_group::{GROUP, ROUTES, group, mount};
use im_http::testing::{StaticVerifier, permission_matrix};
use im_http::{App, HttpOptions};
use im_store_conformance::MemStore;

#[test]
fn route_table() {
    assert_eq!(GROUP, "group");
    assert_eq!(ROUTES, group().routes());
    let table: Vec<(&str, String)> = ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    let labels: Vec<(&str, &str)> = table.iter().map(|(p, l)| (*p, l.split('(').next().unwrap_or(""))).collect();
    assert_eq!(ROUTES.len(), 33);
    let expect = [
        ("/group/create_group", "H"),
        ("/group/set_group_info", "H"),
        ("/group/set_group_info_ex", "H"),
        ("/group/join_group", "H"),
        ("/group/quit_group", "H"),
        ("/group/group_application_response", "H"),
        ("/group/transfer_group", "H"),
        ("/group/get_recv_group_applicationList", "H"),
        ("/group/get_user_req_group_applicationList", "S"),
        ("/group/get_group_users_req_application_list", "H"),
        ("/group/get_specified_user_group_request_info", "H"),
        ("/group/get_groups_info", "T"),
        ("/group/kick_group", "H"),
        ("/group/get_group_members_info", "H"),
        ("/group/get_group_member_list", "H"),
        ("/group/invite_user_to_group", "H"),
        ("/group/get_joined_group_list", "S"),
        ("/group/dismiss_group", "H"),
        ("/group/mute_group_member", "H"),
        ("/group/cancel_mute_group_member", "H"),
        ("/group/mute_group", "H"),
        ("/group/cancel_mute_group", "H"),
        ("/group/set_group_member_info", "H"),
        ("/group/get_group_abstract_info", "H"),
        ("/group/get_groups", "A"),
        ("/group/get_group_member_user_id", "H"),
        ("/group/get_incremental_join_groups", "S"),
        ("/group/get_incremental_group_members", "H"),
        ("/group/get_incremental_group_members_batch", "H"),
        ("/group/get_full_group_member_user_ids", "H"),
        ("/group/get_full_join_group_ids", "S"),
        ("/group/get_group_application_unhandled_count", "S"),
        ("/statistics/group/create", "A"),
    ];
    assert_eq!(labels, expect);
    let self_fields: Vec<String> = table.iter().filter(|(_, l)| l.starts_with("S(")).map(|(_, l)| l.clone()).collect();
    assert_eq!(self_fields, ["S(userID)", "S(fromUserID)", "S(userID)", "S(userID)", "S(userID)"]);
}

#[tokio::test]
async fn permission_matrix_holds() {
    let router = mount(App::new(), Arc::new(MemStore::new()), Arc::new(NoopNotifier))
        .into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default());
    let bad = permission_matrix(&router, ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}
