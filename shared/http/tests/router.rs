//! The HTTP layer in process: a toy group exercising every auth rule, panics and limits.

use axum::Router;
use im_domain::{ImError, ImResult};
use im_http::testing::{self, ADMIN_TOKEN, StaticVerifier, USER_TOKEN, call};
use im_http::{App, AuthRule, Caller, Empty, Endpoint, HttpMethod, HttpOptions};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Req {
    #[serde(rename = "userInfo")]
    user_info: Info,
    n: i32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Info {
    #[serde(rename = "userID")]
    user_id: String,
}

#[derive(Debug, Serialize)]
struct Resp {
    #[serde(rename = "userID")]
    user_id: String,
    n: i32,
}

macro_rules! ep {
    ($name:ident, $path:literal, $rule:expr, $resp:ty) => {
        struct $name;
        impl Endpoint for $name {
            const PATH: &'static str = $path;
            const AUTH: AuthRule = $rule;
            type Req = Req;
            type Resp = $resp;
        }
    };
}

ep!(Open, "/t/open", AuthRule::Whitelist, Resp);
ep!(AnyToken, "/t/token", AuthRule::Token, Resp);
ep!(Owner, "/t/self", AuthRule::SelfOrAdmin("userInfo.userID"), Empty);
ep!(AdminOnly, "/t/admin", AuthRule::Admin, Empty);
ep!(Boom, "/t/boom", AuthRule::Whitelist, Empty);

#[derive(Clone)]
struct St(Arc<str>);

async fn echo(_: St, caller: Caller, req: Req) -> ImResult<Resp> {
    Ok(Resp { user_id: caller.user_id, n: req.n })
}

async fn empty(_: St, _: Caller, req: Req) -> ImResult<Empty> {
    if req.n < 0 { Err(ImError::args("n is negative")) } else { Ok(Empty {}) }
}

async fn boom(st: St, _: Caller, req: Req) -> ImResult<Empty> {
    if req.n == 1 {
        panic!("boom {}", st.0);
    }
    Ok(Empty {})
}

im_http::endpoints! {
    group: "toy",
    state: St,
    routes: {
        Open => echo,
        AnyToken => echo,
        Owner => empty,
        AdminOnly => empty,
        Boom => boom,
    }
}

fn router() -> Router {
    App::new()
        .mount(group(), St("x".into()))
        .into_router(Arc::new(StaticVerifier::matrix()), HttpOptions { body_limit: 64 })
}

#[test]
fn static_table_matches_the_router() {
    assert_eq!(ROUTES, group().routes());
    assert_eq!(GROUP, "toy");
    assert_eq!(ROUTES[2].auth.label(), "S(userInfo.userID)");
    assert!(ROUTES.iter().all(|r| r.method == HttpMethod::Post && r.group == "toy"));
}

#[tokio::test]
async fn permission_matrix_holds() {
    let bad = testing::permission_matrix(&router(), ROUTES).await;
    assert!(bad.is_empty(), "{bad:#?}");
}

#[tokio::test]
async fn envelopes_callers_and_failures() {
    let r = router();
    let post = HttpMethod::Post;
    let v = call(&r, post, "/t/token", Some(USER_TOKEN), &json!({"n": 3})).await;
    assert_eq!(v.text, r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"userID":"matrix-user","n":3}}"#);
    let v = call(&r, post, "/t/open", None, &json!({"n": 1})).await;
    assert_eq!(v.json["data"], json!({"userID": "", "n": 1}));
    let v = call(&r, post, "/t/admin", Some(ADMIN_TOKEN), &json!({})).await;
    assert_eq!(v.text, r#"{"errCode":0,"errMsg":"","errDlt":""}"#);
    let v = call(&r, post, "/t/admin", Some(ADMIN_TOKEN), &json!({"n": -1})).await;
    assert_eq!((v.status, v.code(), v.dlt()), (200, 1001, "n is negative"));
    let v = call(&r, post, "/t/token", Some("nope"), &json!({})).await;
    assert_eq!(v.code(), 1507);
    // Body over the 64-byte limit.
    let v = call(&r, post, "/t/open", None, &json!({"n": 1, "pad": "x".repeat(100)})).await;
    assert_eq!((v.status, v.code()), (200, 1001));
    // A panicking handler: 500 with an envelope, and the server keeps serving.
    let v = call(&r, post, "/t/boom", None, &json!({"n": 1})).await;
    assert_eq!((v.status, v.code()), (500, 500));
    let v = call(&r, post, "/t/boom", None, &json!({"n": 0})).await;
    assert_eq!(v.code(), 0);
}
