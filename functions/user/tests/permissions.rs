//! The /user (and /auth) route tables and the permission matrix derived from them: every POST
//! route is called with an admin token, the caller's own token, a token acting for another
//! user, an expired, a forged and a kicked token, and no token; the expected errCode follows
//! from the route's declared auth rule.

mod common;

use common::World;
use im_auth::jwt::TokenCodec;
use im_domain::TenantId;
use im_http::testing::{TestResp, body_with, call};
use im_http::{AuthRule, HttpMethod, RouteInfo};
use serde_json::{Value, json};

#[test]
fn route_table() {
    assert_eq!(im_fn_user::GROUP, "user");
    assert_eq!(im_fn_user::ROUTES, im_fn_user::group().routes());
    let table: Vec<(&str, String)> = im_fn_user::ROUTES.iter().map(|r| (r.path, r.auth.label())).collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        table,
        [
            ("/user/user_register", s("A")),
            ("/user/update_user_info", s("S(userInfo.userID)")),
            ("/user/update_user_info_ex", s("S(userInfo.userID)")),
            ("/user/set_global_recv_msg_opt", s("S(userID)")),
            ("/user/set_global_msg_recv_opt", s("S(userID)")),
            ("/user/get_users_info", s("T")),
            ("/user/get_all_users_uid", s("T")),
            ("/user/account_check", s("A")),
            ("/user/get_users", s("T")),
            ("/user/get_users_online_status", s("A")),
            ("/user/get_users_online_token_detail", s("H(admins; other callers get an empty list, as OpenIM)")),
            ("/user/subscribe_users_status", s("T")),
            ("/user/get_users_status", s("T")),
            ("/user/get_subscribe_users_status", s("T")),
            ("/user/process_user_command_add", s("S(userID)")),
            ("/user/process_user_command_delete", s("S(userID)")),
            ("/user/process_user_command_update", s("S(userID)")),
            ("/user/process_user_command_get", s("S(userID)")),
            ("/user/process_user_command_get_all", s("S(userID)")),
            ("/user/add_notification_account", s("A")),
            ("/user/update_notification_account", s("A")),
            ("/user/search_notification_account", s("A")),
            ("/user/self_register", s("W")),
            ("/user/self_login", s("W")),
        ]
    );
    assert!(im_fn_user::ROUTES.iter().all(|r| r.method == HttpMethod::Post && r.group == "user"));
}

/// Handler-decided routes: what an ordinary caller gets (they have no declared expectation).
const HANDLER_ROUTES: &[(&str, i64)] = &[("/user/get_users_online_token_detail", 0)];

/// The callers of the matrix.
struct Tokens {
    admin: String,
    alice: String,
    expired: String,
    forged: String,
    kicked: String,
}

async fn tokens(w: &World) -> Tokens {
    let t = TenantId::default_tenant();
    w.auth.ensure_admin_users(&t).await.expect("admins");
    w.register(&t, &["alice", "bob", "carol"]).await;
    let admin = w.auth.get_admin_token(&t, "openIM123", "imAdmin").await.expect("admin token").token;
    let alice = w.auth.get_user_token(&t, "alice", 5).await.expect("alice token").token;
    let kicked = w.auth.get_user_token(&t, "carol", 5).await.expect("carol token").token;
    w.auth.force_logout(&t, "carol", 5).await.expect("force logout");
    let now = im_domain::clock::Clock::now_s(&im_domain::clock::SystemClock);
    let (expired, _) =
        TokenCodec::new("openIM123").issue(&t, "alice", 5, now - 200 * 86_400, 90 * 86_400).expect("sign");
    let (forged, _) = TokenCodec::new("not-the-secret").issue(&t, "imAdmin", 10, now, 86_400).expect("sign");
    Tokens { admin, alice, expired, forged, kicked }
}

/// The body a caller sends: for S(field) routes the field names `owner`.
fn body(route: &RouteInfo, owner: &str) -> Value {
    match route.auth {
        AuthRule::SelfOrAdmin(field) => body_with(field, owner),
        _ => json!({}),
    }
}

fn is_token_error(r: &TestResp) -> bool {
    (1501..=1507).contains(&r.code())
}

async fn matrix(routes: &[RouteInfo]) -> Vec<String> {
    let w = World::new();
    let tk = tokens(&w).await;
    let router = w.router(w.auth.clone());
    let mut bad = Vec::new();
    for route in routes.iter().filter(|r| r.method == HttpMethod::Post) {
        let (m, p, rule) = (route.method, route.path, route.auth);
        let mut expect = |ok: bool, case: &str, r: &TestResp| {
            if !ok {
                bad.push(format!("{p} [{}] {case}: {} {}", rule.label(), r.status, r.text));
            }
        };
        let protected = rule.needs_token();

        let r = call(&router, m, p, None, &body(route, "alice")).await;
        let missing = r.code() == 1001 && r.dlt() == "header must have token";
        expect(missing == protected, "no token", &r);
        for (token, code, case) in
            [(&tk.expired, 1501, "expired"), (&tk.forged, 1505, "forged"), (&tk.kicked, 1506, "kicked")]
        {
            let r = call(&router, m, p, Some(token), &body(route, "alice")).await;
            expect(if protected { r.code() == code } else { !is_token_error(&r) }, case, &r);
        }

        let r = call(&router, m, p, Some(&tk.admin), &body(route, "bob")).await;
        expect(r.code() != 1002 && !is_token_error(&r), "admin", &r);

        let own = call(&router, m, p, Some(&tk.alice), &body(route, "alice")).await;
        let other = call(&router, m, p, Some(&tk.alice), &body(route, "bob")).await;
        match rule {
            AuthRule::Admin => {
                expect(own.code() == 1002, "own token on an admin route", &own);
                expect(other.code() == 1002, "user token on an admin route", &other);
            }
            AuthRule::SelfOrAdmin(_) => {
                expect(own.code() != 1002 && !is_token_error(&own), "acting for oneself", &own);
                expect(other.code() == 1002, "acting for another user", &other);
            }
            AuthRule::Token | AuthRule::Whitelist => {
                expect(own.code() != 1002 && !is_token_error(&own), "own token", &own);
                expect(other.code() != 1002 && !is_token_error(&other), "other user's token", &other);
            }
            AuthRule::Handler(_) => match HANDLER_ROUTES.iter().find(|(path, _)| *path == p) {
                Some((_, code)) => {
                    expect(own.code() == *code, "handler rule, ordinary caller", &own);
                    expect(other.code() == *code, "handler rule, ordinary caller", &other);
                }
                None => expect(false, "handler rule without an expectation in HANDLER_ROUTES", &own),
            },
        }
    }
    bad
}

#[tokio::test]
async fn user_permission_matrix() {
    let bad = matrix(im_fn_user::ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test]
async fn auth_permission_matrix() {
    let bad = matrix(im_fn_auth::ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test]
async fn the_matrix_catches_an_open_route() {
    // A route declared T but really admin-only in the handler would not be caught; a route
    // declared S whose field is ignored would be: prove the checker fails on a lie.
    let lie = [RouteInfo { auth: AuthRule::SelfOrAdmin("nobody.field"), ..im_fn_user::ROUTES[5] }];
    let bad = matrix(&lie).await;
    assert!(!bad.is_empty());
}
