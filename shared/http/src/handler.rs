//! Handlers and the per-endpoint adapter: read the body, decode, apply the auth rule, call the
//! handler, wrap the result in the envelope.

use std::future::Future;

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::response::Response;
use base64::Engine as _;
use im_auth::Caller;
use im_domain::{ErrCode, ImError, ImResult};

use crate::decode::{decode_json, json_path_all};
use crate::endpoint::{AuthRule, Endpoint};
use crate::envelope;
use crate::gate::RequestCtx;

/// An endpoint handler: a plain async function `(state, caller, request) -> ImResult<response>`.
pub trait Handler<E: Endpoint, S>: Clone + Send + Sync + 'static {
    /// Runs the handler.
    fn call(&self, state: S, caller: Caller, req: E::Req) -> impl Future<Output = ImResult<E::Resp>> + Send;
}

impl<E, S, F, Fut> Handler<E, S> for F
where
    E: Endpoint,
    F: Fn(S, Caller, E::Req) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ImResult<E::Resp>> + Send,
{
    fn call(&self, state: S, caller: Caller, req: E::Req) -> impl Future<Output = ImResult<E::Resp>> + Send {
        self(state, caller, req)
    }
}

/// A handler's success: JSON `data`, or (for a binary request) the base64 of the encoded response.
enum Reply<T> {
    Json(T),
    Binary(String),
}

/// Serves one request of endpoint `E`.
pub(crate) async fn dispatch<E: Endpoint, S, H: Handler<E, S>>(state: S, handler: H, req: Request) -> Response {
    match run::<E, S, H>(state, handler, req).await {
        Ok(Reply::Json(data)) => envelope::success(&data),
        Ok(Reply::Binary(data)) => envelope::success(&data),
        Err(e) => {
            if e.is(ErrCode::ServerInternal) || e.is(ErrCode::Database) {
                tracing::error!(code = e.code, detail = %e.dlt, "request failed");
            }
            envelope::error(&e)
        }
    }
}

async fn run<E: Endpoint, S, H: Handler<E, S>>(state: S, handler: H, req: Request) -> ImResult<Reply<E::Resp>> {
    let ctx = req
        .extensions()
        .get::<RequestCtx>()
        .cloned()
        .ok_or_else(|| ImError::internal("router served without the header gate"))?;
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let bytes = to_bytes(req.into_body(), ctx.body_limit)
        .await
        .map_err(|e| ImError::args(format!("request body: {e} (limit {} bytes)", ctx.body_limit)))?;
    if let Some(decoded) = E::decode_binary(&content_type, &bytes) {
        let body = decoded?;
        let caller = authorize(E::AUTH, ctx, b"")?;
        let resp = handler.call(state, caller, body).await?;
        let encoded = E::encode_binary(&resp)?;
        return Ok(Reply::Binary(base64::engine::general_purpose::STANDARD.encode(encoded)));
    }
    let body: E::Req = decode_json(&bytes)?;
    let caller = authorize(E::AUTH, ctx, &bytes)?;
    handler.call(state, caller, body).await.map(Reply::Json)
}

/// Applies an endpoint's auth rule; `body` is the already-validated JSON body.
fn authorize(rule: AuthRule, ctx: RequestCtx, body: &[u8]) -> ImResult<Caller> {
    let RequestCtx { tenant, operation_id, verified, .. } = ctx;
    if !rule.needs_token() {
        return Ok(Caller::anonymous(tenant, operation_id));
    }
    let verified = verified.ok_or_else(|| ImError::args("header must have token"))?;
    let caller = Caller::from_verified(verified, tenant, operation_id);
    match rule {
        AuthRule::Admin => caller.check_admin()?,
        AuthRule::SelfOrAdmin(path) if !caller.is_admin => {
            let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            let owners = json_path_all(&value, path);
            if owners.is_empty() {
                caller.check_self_or_admin("")?;
            }
            for owner in owners {
                caller.check_self_or_admin(owner.as_str().unwrap_or_default())?;
            }
        }
        _ => {}
    }
    Ok(caller)
}

#[cfg(test)]
mod tests {
    use im_auth::Verified;
    use im_domain::TenantId;

    use super::*;

    fn ctx(uid: Option<&str>, admin: bool) -> RequestCtx {
        RequestCtx {
            tenant: TenantId::default_tenant(),
            operation_id: "op".into(),
            verified: uid.map(|u| Verified { user_id: u.into(), platform_id: 5, is_admin: admin }),
            body_limit: 1024,
        }
    }

    fn code(r: ImResult<Caller>) -> i32 {
        r.map(|_| 0).unwrap_or_else(|e| e.code)
    }

    #[test]
    fn rules() {
        let body = br#"{"userInfo":{"userID":"u1"}}"#;
        let s = AuthRule::SelfOrAdmin("userInfo.userID");
        assert_eq!(code(authorize(s, ctx(Some("u1"), false), body)), 0);
        assert_eq!(code(authorize(s, ctx(Some("u2"), false), body)), 1002);
        assert_eq!(code(authorize(s, ctx(Some("adm"), true), body)), 0);
        assert_eq!(code(authorize(s, ctx(Some("u1"), false), b"{}")), 1002);
        assert_eq!(code(authorize(AuthRule::Admin, ctx(Some("u1"), false), body)), 1002);
        assert_eq!(code(authorize(AuthRule::Admin, ctx(Some("a"), true), body)), 0);
        assert_eq!(code(authorize(AuthRule::Token, ctx(None, false), body)), 1001);
        let anon = authorize(AuthRule::Whitelist, ctx(Some("u1"), false), body).unwrap();
        assert_eq!(anon.user_id, "");
    }
}
