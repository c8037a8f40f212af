//! The role-rule matrix over HTTP: owner / admin / member / non-member / app admin × kick, mute,
//! set member info, transfer, dismiss and application response, each cell on a fresh group.
//!
//! The group: owner `o`, admins `a` and `a2`, members `m` and `m2`; `x` is not a member; `j`
//! has a pending application; `adm` is an app admin.

use std::sync::Arc;

use im_auth::Verified;
use im_domain::TenantId;
use im_domain::ports::NoopNotifier;
use im_domain::store::DynStore;
use im_http::testing::{StaticVerifier, call};
use im_http::{App, HttpMethod, HttpOptions};
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use serde_json::{Value, json};

const GID: &str = "1234567890";
const ACTORS: [&str; 5] = ["o", "a", "m", "x", "adm"];

async fn world() -> axum::Router {
    let store: DynStore = Arc::new(MemStore::new());
    let users = UserRepo::new(store.clone());
    let t = TenantId::default_tenant();
    let mut verifier = StaticVerifier::default();
    for u in ["o", "a", "a2", "m", "m2", "x", "j", "adm"] {
        let rec = UserRecord { user_id: u.into(), nickname: u.into(), ..UserRecord::default() };
        assert!(users.create(&t, &rec).await.expect("seed"));
        verifier =
            verifier.with(&format!("tok-{u}"), Verified { user_id: u.into(), platform_id: 5, is_admin: u == "adm" });
    }
    let router = im_fn_group::mount(App::new(), store, Arc::new(NoopNotifier))
        .into_router(Arc::new(verifier), HttpOptions::default());
    let create = json!({"ownerUserID": "o", "adminUserIDs": ["a", "a2"], "memberUserIDs": ["m", "m2"],
        "groupInfo": {"groupID": GID, "groupName": "g", "groupType": 2}});
    assert_eq!(post(&router, "o", "/group/create_group", create).await, 0);
    let apply = json!({"groupID": GID, "joinSource": 3, "reqMessage": "hi"});
    assert_eq!(post(&router, "j", "/group/join_group", apply).await, 0);
    router
}

async fn post(router: &axum::Router, who: &str, path: &str, body: Value) -> i64 {
    let r = call(router, HttpMethod::Post, path, Some(&format!("tok-{who}")), &body).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.code()
}

/// Runs `path`/`body` once per actor, each on a fresh group, and returns the codes.
async fn row(path: &str, body: Value) -> [i64; 5] {
    let mut out = [0; 5];
    for (i, who) in ACTORS.iter().enumerate() {
        let router = world().await;
        out[i] = post(&router, who, path, body.clone()).await;
    }
    out
}

#[tokio::test]
async fn role_matrix() {
    let cases: Vec<(&str, &str, Value, [i64; 5])> = vec![
        //                                                                         owner admin member outsider app-admin
        (
            "kick an ordinary member",
            "/group/kick_group",
            json!({"groupID": GID, "kickedUserIDs": ["m2"]}),
            [0, 0, 1002, 1002, 0],
        ),
        (
            "kick an admin",
            "/group/kick_group",
            json!({"groupID": GID, "kickedUserIDs": ["a2"]}),
            [0, 1002, 1002, 1002, 0],
        ),
        (
            "kick the owner",
            "/group/kick_group",
            json!({"groupID": GID, "kickedUserIDs": ["o"]}),
            [1001, 1001, 1001, 1001, 1001],
        ),
        (
            "mute an ordinary member",
            "/group/mute_group_member",
            json!({"groupID": GID, "userID": "m2", "mutedSeconds": 60}),
            [0, 0, 1002, 1002, 0],
        ),
        (
            "mute an admin",
            "/group/mute_group_member",
            json!({"groupID": GID, "userID": "a2", "mutedSeconds": 60}),
            [0, 1002, 1002, 1002, 0],
        ),
        (
            "mute the owner",
            "/group/mute_group_member",
            json!({"groupID": GID, "userID": "o", "mutedSeconds": 60}),
            [1002, 1002, 1002, 1002, 0],
        ),
        (
            "unmute an ordinary member",
            "/group/cancel_mute_group_member",
            json!({"groupID": GID, "userID": "m2"}),
            [0, 0, 1002, 1002, 0],
        ),
        (
            "make an ordinary member admin",
            "/group/set_group_member_info",
            json!({"members": [{"groupID": GID, "userID": "m2", "roleLevel": 60}]}),
            [0, 0, 1002, 1002, 0],
        ),
        (
            "rename another admin",
            "/group/set_group_member_info",
            json!({"members": [{"groupID": GID, "userID": "a2", "nickname": "n"}]}),
            [0, 1002, 1002, 1002, 0],
        ),
        (
            "demote the owner",
            "/group/set_group_member_info",
            json!({"members": [{"groupID": GID, "userID": "o", "roleLevel": 20}]}),
            [1001, 1002, 1002, 1002, 1002],
        ),
        (
            "set roleLevel 100",
            "/group/set_group_member_info",
            json!({"members": [{"groupID": GID, "userID": "m2", "roleLevel": 100}]}),
            [1002, 1002, 1002, 1002, 1002],
        ),
        (
            "transfer to a member",
            "/group/transfer_group",
            json!({"groupID": GID, "oldOwnerUserID": "o", "newOwnerUserID": "m2"}),
            [0, 1002, 1002, 1002, 0],
        ),
        ("dismiss", "/group/dismiss_group", json!({"groupID": GID, "deleteMember": false}), [0, 1002, 1002, 1002, 0]),
        (
            "accept an application",
            "/group/group_application_response",
            json!({"groupID": GID, "fromUserID": "j", "handledMsg": "", "handleResult": 1}),
            [0, 0, 1002, 1002, 0],
        ),
        (
            "refuse an application",
            "/group/group_application_response",
            json!({"groupID": GID, "fromUserID": "j", "handledMsg": "", "handleResult": -1}),
            [0, 0, 1002, 1002, 0],
        ),
        ("mute the group", "/group/mute_group", json!({"groupID": GID}), [0, 0, 1002, 1002, 0]),
        (
            "set group info",
            "/group/set_group_info",
            json!({"groupInfoForSet": {"groupID": GID, "introduction": "i"}}),
            [0, 0, 1002, 1002, 0],
        ),
    ];
    let mut bad = Vec::new();
    for (what, path, body, want) in cases {
        let got = row(path, body).await;
        if got != want {
            bad.push(format!("{what}: got {got:?}, want {want:?} (owner, admin, member, outsider, app admin)"));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test]
async fn self_service_rules() {
    // Everyone may rename themselves; nobody raises their own role.
    let own_nick = |who: &str| json!({"members": [{"groupID": GID, "userID": who, "nickname": "me"}]});
    let router = world().await;
    for who in ["o", "a", "m"] {
        assert_eq!(post(&router, who, "/group/set_group_member_info", own_nick(who)).await, 0, "{who}");
    }
    let raise = json!({"members": [{"groupID": GID, "userID": "m", "roleLevel": 60}]});
    assert_eq!(post(&router, "m", "/group/set_group_member_info", raise).await, 1002);
    // The owner cannot quit; a member can, once.
    assert_eq!(post(&router, "o", "/group/quit_group", json!({"groupID": GID})).await, 1002);
    assert_eq!(post(&router, "m", "/group/quit_group", json!({"groupID": GID})).await, 0);
    assert_eq!(post(&router, "m", "/group/quit_group", json!({"groupID": GID})).await, 1004);
    // Quitting for someone else needs an app admin.
    assert_eq!(post(&router, "a", "/group/quit_group", json!({"groupID": GID, "userID": "m2"})).await, 1002);
    assert_eq!(post(&router, "adm", "/group/quit_group", json!({"groupID": GID, "userID": "m2"})).await, 0);
    // Kicking oneself is an argument error.
    assert_eq!(post(&router, "a", "/group/kick_group", json!({"groupID": GID, "kickedUserIDs": ["a"]})).await, 1001);
    // A handled application is 1206.
    let accept = json!({"groupID": GID, "fromUserID": "j", "handledMsg": "", "handleResult": 1});
    assert_eq!(post(&router, "o", "/group/group_application_response", accept.clone()).await, 0);
    assert_eq!(post(&router, "o", "/group/group_application_response", accept).await, 1206);
}
