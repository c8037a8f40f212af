//! Test helpers: an in-process client, a fixed-token verifier, and the permission matrix
//! derived from the route declarations (every function crate runs it over its `ROUTES`).

use std::collections::HashMap;

use async_trait::async_trait;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Method, Request};
use im_auth::{TokenVerifier, Verified};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::endpoint::{AuthRule, HttpMethod, RouteInfo};
use crate::headers;

/// Token of the matrix's admin caller.
pub const ADMIN_TOKEN: &str = "matrix-admin-token";
/// Token of the matrix's ordinary caller.
pub const USER_TOKEN: &str = "matrix-user-token";
/// User ID of the matrix's admin caller.
pub const ADMIN_ID: &str = "matrix-admin";
/// User ID of the matrix's ordinary caller.
pub const USER_ID: &str = "matrix-user";
/// A user ID that is neither caller.
pub const OTHER_ID: &str = "matrix-other";

/// A verifier knowing a fixed set of tokens (any other token: 1507).
#[derive(Debug, Clone, Default)]
pub struct StaticVerifier {
    tokens: HashMap<String, Verified>,
}

impl StaticVerifier {
    /// Knows [`ADMIN_TOKEN`] and [`USER_TOKEN`] (platform 5).
    pub fn matrix() -> Self {
        StaticVerifier::default()
            .with(ADMIN_TOKEN, Verified { user_id: ADMIN_ID.into(), platform_id: 5, is_admin: true })
            .with(USER_TOKEN, Verified { user_id: USER_ID.into(), platform_id: 5, is_admin: false })
    }

    /// Adds a token.
    pub fn with(mut self, token: &str, who: Verified) -> Self {
        self.tokens.insert(token.to_string(), who);
        self
    }
}

#[async_trait]
impl TokenVerifier for StaticVerifier {
    async fn verify(&self, _tenant: &TenantId, token: &str) -> ImResult<Verified> {
        self.tokens.get(token).cloned().ok_or_else(|| ImError::new(ErrCode::TokenNotExist, "unknown test token"))
    }
}

/// A response seen by [`call`].
#[derive(Debug, Clone)]
pub struct TestResp {
    /// HTTP status.
    pub status: u16,
    /// Raw body text.
    pub text: String,
    /// Body as JSON (`Null` when it is not JSON).
    pub json: Value,
}

impl TestResp {
    /// The envelope's `errCode` (-1 when absent).
    pub fn code(&self) -> i64 {
        self.json["errCode"].as_i64().unwrap_or(-1)
    }
    /// The envelope's `errDlt`.
    pub fn dlt(&self) -> &str {
        self.json["errDlt"].as_str().unwrap_or_default()
    }
}

/// Sends one request to `router` in process (with an `operationID`, and `token` if given).
pub async fn call(router: &Router, method: HttpMethod, path: &str, token: Option<&str>, body: &Value) -> TestResp {
    let method = match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
    };
    let mut req = Request::builder().method(method).uri(path).header(headers::OPERATION_ID, "matrix");
    if let Some(t) = token {
        req = req.header(headers::TOKEN, t);
    }
    let Ok(req) = req.body(Body::from(body.to_string())) else {
        return TestResp { status: 0, text: "bad request".into(), json: Value::Null };
    };
    let Ok(resp) = router.clone().oneshot(req).await;
    let status = resp.status().as_u16();
    let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    TestResp { status, text, json }
}

/// A body whose dotted `path` holds `value`.
pub fn body_with(path: &str, value: &str) -> Value {
    path.rsplit('.').fold(json!(value), |inner, key| json!({ key: inner }))
}

/// Runs the permission matrix over `routes` against `router` (built with
/// [`StaticVerifier::matrix`] as its verifier) and returns every violation:
/// * no token: W routes pass the gate, every other route answers 1001 "header must have token";
/// * ordinary caller: A → 1002; S(field) → 1002 when the field names someone else and not 1002
///   when it names the caller; T → never 1002;
/// * admin caller: A and S never 1002.
///
/// Handlers run for real, so the router needs working state (e.g. an in-memory store).
pub async fn permission_matrix(router: &Router, routes: &[RouteInfo]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut expect = |ok: bool, route: &RouteInfo, case: &str, r: &TestResp| {
        if !ok {
            bad.push(format!(
                "{} {} [{}] {case}: {} {}",
                route.method.as_str(),
                route.path,
                route.auth.label(),
                r.status,
                r.text
            ));
        }
    };
    for route in routes.iter().filter(|r| r.method == HttpMethod::Post) {
        let (m, p) = (route.method, route.path);
        let r = call(router, m, p, None, &json!({})).await;
        let token_missing = r.code() == 1001 && r.dlt() == "header must have token";
        expect(token_missing == route.auth.needs_token(), route, "without token", &r);

        match route.auth {
            AuthRule::Admin => {
                let r = call(router, m, p, Some(USER_TOKEN), &json!({})).await;
                expect(r.code() == 1002, route, "ordinary caller must get 1002", &r);
                let r = call(router, m, p, Some(ADMIN_TOKEN), &json!({})).await;
                expect(r.code() != 1002, route, "admin must pass", &r);
            }
            AuthRule::SelfOrAdmin(field) => {
                let r = call(router, m, p, Some(USER_TOKEN), &body_with(field, OTHER_ID)).await;
                expect(r.code() == 1002, route, "acting for another user must get 1002", &r);
                let r = call(router, m, p, Some(USER_TOKEN), &body_with(field, USER_ID)).await;
                expect(r.code() != 1002, route, "acting for oneself must pass", &r);
                let r = call(router, m, p, Some(ADMIN_TOKEN), &body_with(field, OTHER_ID)).await;
                expect(r.code() != 1002, route, "admin must pass", &r);
            }
            AuthRule::Token => {
                let r = call(router, m, p, Some(USER_TOKEN), &json!({})).await;
                expect(r.code() != 1002, route, "any token must pass", &r);
            }
            AuthRule::Whitelist | AuthRule::Handler(_) => {}
        }
    }
    bad
}

/// The sample API Gateway event of a route in the repository's `events/` folder:
/// `/conversation/get_all_conversations` → `events/conversation-get-all-conversations.json`.
pub fn event_file(route_path: &str) -> std::path::PathBuf {
    let name = route_path.trim_start_matches('/').replace(['/', '_'], "-");
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../events").join(format!("{name}.json"))
}

/// Sends a sample event file through lambda_http's request conversion (what the Lambda entry
/// does) into `router`; panics naming the file when it cannot be read or parsed.
#[cfg(feature = "lambda")]
pub async fn replay_event(router: &Router, file: &std::path::Path) -> TestResp {
    let shown = file.display();
    let event = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{shown}: {e}"));
    let req = lambda_http::request::from_str(&event).unwrap_or_else(|e| panic!("{shown}: {e}"));
    let Ok(resp) = router.clone().oneshot(req).await;
    let status = resp.status().as_u16();
    let bytes = to_bytes(resp.into_body(), usize::MAX).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    TestResp { status, text, json }
}
