//! Every sample API Gateway (HTTP API) event `events/group-*.json` goes through lambda_http's
//! request conversion into the same router the Lambda entry serves. Run in order, they tell one
//! story (create, apply, accept, invite, read, mute, change roles, kick, quit, transfer,
//! dismiss) on a fresh store, and each must succeed.

use std::sync::Arc;

use axum::body::to_bytes;
use im_auth::Verified;
use im_domain::TenantId;
use im_domain::ports::NoopNotifier;
use im_domain::store::DynStore;
use im_http::testing::StaticVerifier;
use im_http::{App, HttpOptions};
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use serde_json::Value;
use tower::ServiceExt;

/// The events, in story order: (event JSON, path it must target).
const EVENTS: &[(&str, &str)] = &[
    (include_str!("../../../events/group-create-group.json"), "/group/create_group"),
    (include_str!("../../../events/group-get-groups-info.json"), "/group/get_groups_info"),
    (include_str!("../../../events/group-set-group-info.json"), "/group/set_group_info"),
    (include_str!("../../../events/group-set-group-info-ex.json"), "/group/set_group_info_ex"),
    (include_str!("../../../events/group-join-group.json"), "/group/join_group"),
    (
        include_str!("../../../events/group-get-recv-group-application-list.json"),
        "/group/get_recv_group_applicationList",
    ),
    (
        include_str!("../../../events/group-get-user-req-group-application-list.json"),
        "/group/get_user_req_group_applicationList",
    ),
    (
        include_str!("../../../events/group-get-group-users-req-application-list.json"),
        "/group/get_group_users_req_application_list",
    ),
    (
        include_str!("../../../events/group-get-specified-user-group-request-info.json"),
        "/group/get_specified_user_group_request_info",
    ),
    (
        include_str!("../../../events/group-get-group-application-unhandled-count.json"),
        "/group/get_group_application_unhandled_count",
    ),
    (include_str!("../../../events/group-group-application-response.json"), "/group/group_application_response"),
    (include_str!("../../../events/group-invite-user-to-group.json"), "/group/invite_user_to_group"),
    (include_str!("../../../events/group-get-group-members-info.json"), "/group/get_group_members_info"),
    (include_str!("../../../events/group-get-group-member-list.json"), "/group/get_group_member_list"),
    (include_str!("../../../events/group-get-group-member-user-id.json"), "/group/get_group_member_user_id"),
    (include_str!("../../../events/group-get-joined-group-list.json"), "/group/get_joined_group_list"),
    (include_str!("../../../events/group-get-group-abstract-info.json"), "/group/get_group_abstract_info"),
    (include_str!("../../../events/group-get-groups.json"), "/group/get_groups"),
    (include_str!("../../../events/group-get-incremental-join-groups.json"), "/group/get_incremental_join_groups"),
    (include_str!("../../../events/group-get-incremental-group-members.json"), "/group/get_incremental_group_members"),
    (
        include_str!("../../../events/group-get-incremental-group-members-batch.json"),
        "/group/get_incremental_group_members_batch",
    ),
    (
        include_str!("../../../events/group-get-full-group-member-user-ids.json"),
        "/group/get_full_group_member_user_ids",
    ),
    (include_str!("../../../events/group-get-full-join-group-ids.json"), "/group/get_full_join_group_ids"),
    (include_str!("../../../events/group-mute-group-member.json"), "/group/mute_group_member"),
    (include_str!("../../../events/group-cancel-mute-group-member.json"), "/group/cancel_mute_group_member"),
    (include_str!("../../../events/group-mute-group.json"), "/group/mute_group"),
    (include_str!("../../../events/group-cancel-mute-group.json"), "/group/cancel_mute_group"),
    (include_str!("../../../events/group-set-group-member-info.json"), "/group/set_group_member_info"),
    (include_str!("../../../events/group-kick-group.json"), "/group/kick_group"),
    (include_str!("../../../events/group-quit-group.json"), "/group/quit_group"),
    (include_str!("../../../events/group-transfer-group.json"), "/group/transfer_group"),
    (include_str!("../../../events/group-statistics-group-create.json"), "/statistics/group/create"),
    (include_str!("../../../events/group-dismiss-group.json"), "/group/dismiss_group"),
];

const USERS: &[&str] = &["alice", "bob", "carol", "dave", "erin", "frank"];

#[tokio::test]
async fn every_group_event_succeeds_in_order() {
    let store: DynStore = Arc::new(MemStore::new());
    let acme = TenantId::parse("acme").expect("tenant");
    let users = UserRepo::new(store.clone());
    let mut verifier = StaticVerifier::default()
        .with("evt-token-admin", Verified { user_id: "imAdmin".into(), platform_id: 10, is_admin: true });
    for u in USERS {
        let rec = UserRecord { user_id: u.to_string(), nickname: u.to_string(), ..UserRecord::default() };
        assert!(users.create(&acme, &rec).await.expect("seed"));
        verifier = verifier
            .with(&format!("evt-token-{u}"), Verified { user_id: u.to_string(), platform_id: 5, is_admin: false });
    }
    let router = im_fn_group::mount(App::new(), store, Arc::new(NoopNotifier))
        .into_router(Arc::new(verifier), HttpOptions::default());

    assert_eq!(EVENTS.len(), im_fn_group::ROUTES.len(), "one event per route");
    for route in im_fn_group::ROUTES {
        assert!(EVENTS.iter().any(|(_, p)| *p == route.path), "no event for {}", route.path);
    }
    let mut replies = Vec::new();
    for (event, path) in EVENTS {
        let req = lambda_http::request::from_str(event).expect("event parses");
        assert_eq!(req.uri().path(), *path);
        let resp = router.clone().oneshot(req).await.expect("infallible");
        assert_eq!(resp.status(), 200, "{path}");
        let body = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
        let v: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["errCode"], 0, "{path}: {v}");
        replies.push(v);
    }
    // A few payloads, to know the story really happened.
    assert_eq!(replies[0]["data"]["groupInfo"]["groupID"], "9000000001");
    assert_eq!(replies[0]["data"]["groupInfo"]["memberCount"], 4);
    assert_eq!(replies[5]["data"]["total"], 1, "erin's application reached alice");
    assert_eq!(replies[13]["data"]["total"], 6, "erin and frank joined");
    assert_eq!(replies[14]["data"]["userIDs"], serde_json::json!(["alice", "bob", "carol", "dave", "erin", "frank"]));
    assert_eq!(replies[31]["data"]["total"], 1);
}
