//! The global middleware (reference §1, §2): panic catch, gzip, tracing span, CORS, and the
//! header gate (`X-Tenant-ID`, `operationID`, `token`). Unknown routes answer a plain 404 after
//! the gate, as gin does.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use im_auth::{TokenVerifier, Verified};
use im_domain::{ImError, TenantId};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tracing::Instrument;

use crate::app::HttpOptions;
use crate::endpoint::{AuthRule, HttpMethod, RouteInfo};
use crate::envelope;
use crate::headers;

/// What the gate learnt about a request, for the endpoint adapter.
#[derive(Clone)]
pub(crate) struct RequestCtx {
    pub tenant: TenantId,
    pub operation_id: String,
    pub verified: Option<Verified>,
    pub body_limit: usize,
}

struct GateState {
    verifier: Arc<dyn TokenVerifier>,
    /// Auth rule of every declared POST path.
    post_rules: HashMap<&'static str, AuthRule>,
    /// Whitelisted paths: for undeclared paths a prefix match skips the token (as OpenIM).
    whitelist: Vec<&'static str>,
    body_limit: usize,
}

impl GateState {
    fn needs_token(&self, path: &str) -> bool {
        match self.post_rules.get(path) {
            Some(rule) => rule.needs_token(),
            None => !self.whitelist.iter().any(|w| path.starts_with(w)),
        }
    }
}

/// Applies the global middleware to `router` (outermost first: panic, gzip, span, CORS, gate).
pub(crate) fn wrap(
    router: Router,
    routes: &[RouteInfo],
    verifier: Arc<dyn TokenVerifier>,
    options: HttpOptions,
) -> Router {
    let post: Vec<&RouteInfo> = routes.iter().filter(|r| r.method == HttpMethod::Post).collect();
    let state = Arc::new(GateState {
        verifier,
        post_rules: post.iter().map(|r| (r.path, r.auth)).collect(),
        whitelist: post.iter().filter(|r| !r.auth.needs_token()).map(|r| r.path).collect(),
        body_limit: options.body_limit,
    });
    router
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn_with_state(state, gate))
        .layer(middleware::from_fn(cors))
        .layer(middleware::from_fn(span))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(panic_response))
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain")], headers::NOT_FOUND_BODY).into_response()
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> &'a str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

async fn gate(State(st): State<Arc<GateState>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let post = req.method() == Method::POST;
    match admit(&st, req.headers(), post, &path).await {
        Ok(ctx) => {
            req.extensions_mut().insert(ctx);
            next.run(req).await
        }
        Err(e) => {
            // Read (up to the body limit) what the client is still sending before answering:
            // closing on an unread body resets the connection, and the client would lose the
            // envelope while it is still writing a large request.
            let _ = axum::body::to_bytes(req.into_body(), st.body_limit).await;
            envelope::error(&e)
        }
    }
}

/// The header checks of one request: tenant, operationID, token (for routes that need one).
async fn admit(st: &GateState, h: &HeaderMap, post: bool, path: &str) -> Result<RequestCtx, ImError> {
    let tenant = match h.get(headers::TENANT_ID) {
        None => TenantId::default_tenant(),
        Some(v) => v
            .to_str()
            .map_err(|_| "not ASCII".to_string())
            .and_then(TenantId::parse)
            .map_err(|e| ImError::args(format!("X-Tenant-ID: {e}")))?,
    };
    let operation_id = header_str(h, headers::OPERATION_ID).to_string();
    let mut verified = None;
    if post {
        if operation_id.is_empty() {
            return Err(ImError::args("header must have operationID"));
        }
        if st.needs_token(path) {
            let token = header_str(h, headers::TOKEN);
            if token.is_empty() {
                return Err(ImError::args("header must have token"));
            }
            let v = st.verifier.verify(&tenant, token).await?;
            tracing::Span::current().record("user_id", v.user_id.as_str());
            verified = Some(v);
        }
    }
    Ok(RequestCtx { tenant, operation_id, verified, body_limit: st.body_limit })
}

fn set_cors(h: &mut HeaderMap) {
    let fixed = [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "*"),
        ("access-control-allow-headers", "*"),
        ("access-control-expose-headers", headers::CORS_EXPOSE_HEADERS),
        ("access-control-max-age", headers::CORS_MAX_AGE),
        ("access-control-allow-credentials", "false"),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.entry(header::CONTENT_TYPE).or_insert(HeaderValue::from_static("application/json"));
}

async fn cors(req: Request, next: Next) -> Response {
    let mut resp = if req.method() == Method::OPTIONS {
        envelope::json_response(StatusCode::OK, headers::OPTIONS_BODY)
    } else {
        next.run(req).await
    };
    set_cors(resp.headers_mut());
    resp
}

async fn span(req: Request, next: Next) -> Response {
    let span = tracing::info_span!(
        "http",
        method = %req.method(),
        path = %req.uri().path(),
        operation_id = header_str(req.headers(), headers::OPERATION_ID),
        tenant = header_str(req.headers(), headers::TENANT_ID),
        user_id = tracing::field::Empty,
    );
    let start = Instant::now();
    async move {
        let resp = next.run(req).await;
        tracing::info!(status = resp.status().as_u16(), elapsed_us = start.elapsed().as_micros() as u64, "served");
        resp
    }
    .instrument(span)
    .await
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    tracing::error!(panic = what, "handler panicked");
    let mut resp = envelope::error_with_status(StatusCode::INTERNAL_SERVER_ERROR, &ImError::internal("panic"));
    set_cors(resp.headers_mut());
    resp
}
