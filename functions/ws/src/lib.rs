//! The API Gateway WebSocket function: OpenIM's message gateway (reference §5) behind an API
//! Gateway WebSocket API, over the transport-agnostic core of `im-gateway`.
//!
//! [`Ws::handle`] is a plain function of the event, dispatching on the route key:
//!
//! * `$connect` — authenticates from the query string (and headers) exactly as im-server's
//!   gateway does ([`im_gateway::Params`], [`Gateway::authenticate`]), applies the multi-login
//!   policy and writes the connection record, whose endpoint is the API's callback URL
//!   (`https://{domainName}/{stage}`, or the configured override). Rejections answer a non-2xx
//!   status (API Gateway then refuses the upgrade) with OpenIM's JSON envelope as body.
//! * `$default` — finds the connection by its ID ([`ConnectionRegistry::find`]), feeds the text
//!   body to [`Gateway::handle_frame`] and posts every reply to the connection through the
//!   management API ([`ConnectionPusher::post_envelope`]); a frame that ends the connection
//!   deletes it there. Unknown connections are closed.
//! * `$disconnect` — deletes the record and its pointer.
//!
//! `main.rs` builds one [`Ws`] at init and runs it under `lambda_runtime` (no HTTP router).

#![warn(missing_docs)]

mod reply;

use std::collections::HashMap;
use std::sync::Arc;

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use base64::Engine;
use im_auth::AuthService;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_domain::{ErrCode, ImError, TenantId};
use im_gateway::{
    ConnectInfo, Gateway, GatewayConfig, GatewayDeps, Inbound, MessageService, Outbound, Params, Session,
};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, ConnectionRegistry, EndpointKind, PostOutcome};

pub use reply::{error_response, status_of};

/// Route key of a new connection.
pub const CONNECT: &str = "$connect";
/// Route key of a client message (no route selection expression matches another route).
pub const DEFAULT: &str = "$default";
/// Route key of a closed connection.
pub const DISCONNECT: &str = "$disconnect";

/// Lifetime of an API Gateway connection record: API Gateway closes connections after two hours
/// at most, so records outlive them by a margin only (a missed `$disconnect` leaves a record
/// this long; pushes to it answer 410 and delete it sooner).
pub const RECORD_TTL_SECS: i64 = 2 * 3600 + 15 * 60;

/// What the function is built from.
#[derive(Clone)]
pub struct WsDeps {
    /// The store (connection records and pointers, token state, messages).
    pub store: DynStore,
    /// Clock and IDs.
    pub env: Env,
    /// Token verification, the admin list and the multi-login policy.
    pub auth: Arc<AuthService>,
    /// Messaging behind reqIdentifiers 1001–1007.
    pub messaging: Arc<dyn MessageService>,
    /// Delivery to connections: replies, kicks (the management API on AWS).
    pub pusher: Arc<dyn ConnectionPusher>,
    /// Callback URL of the management API written into records instead of
    /// `https://{domainName}/{stage}` (custom domains); empty for the default.
    pub callback_url: String,
}

/// The WebSocket function, built once per execution environment.
pub struct Ws {
    gateway: Gateway,
    auth: Arc<AuthService>,
    pusher: Arc<dyn ConnectionPusher>,
    callback_url: String,
}

impl Ws {
    /// The function over `deps`: no per-process connection limit (each invocation sees one
    /// event), the auth service's multi-login policy, records living [`RECORD_TTL_SECS`].
    pub fn new(deps: WsDeps) -> Self {
        let cfg = GatewayConfig {
            max_connections: 0,
            multi_login: deps.auth.config().multi_login.policy,
            record_ttl_secs: RECORD_TTL_SECS,
        };
        let gateway = Gateway::new(
            cfg,
            GatewayDeps {
                store: deps.store,
                env: deps.env,
                verifier: deps.auth.clone(),
                messaging: deps.messaging,
                pusher: deps.pusher.clone(),
            },
        );
        Ws { gateway, auth: deps.auth, pusher: deps.pusher, callback_url: deps.callback_url }
    }

    /// The connection registry (records and pointers).
    pub fn registry(&self) -> &ConnectionRegistry {
        self.gateway.registry()
    }

    /// Handles one API Gateway WebSocket event. Never panics on input: an unknown route or a
    /// malformed event is a 4xx response.
    pub async fn handle(&self, event: ApiGatewayWebsocketProxyRequest) -> ApiGatewayProxyResponse {
        let ctx = &event.request_context;
        let conn_id = ctx.connection_id.clone().unwrap_or_default();
        if conn_id.is_empty() {
            return error_response(400, &ImError::args("requestContext.connectionId is missing"));
        }
        match ctx.route_key.as_deref().unwrap_or_default() {
            CONNECT => self.connect(&event, conn_id).await,
            DEFAULT => self.message(&event, &conn_id).await,
            DISCONNECT => self.disconnect(&conn_id).await,
            other => error_response(400, &ImError::args(format!("unknown route key {other:?}"))),
        }
    }

    /// The management API base URL that reaches connections of this event's API.
    fn endpoint(&self, event: &ApiGatewayWebsocketProxyRequest) -> Option<String> {
        if !self.callback_url.is_empty() {
            return Some(self.callback_url.trim_end_matches('/').to_string());
        }
        let ctx = &event.request_context;
        let domain = ctx.domain_name.as_deref().filter(|d| !d.is_empty())?;
        match ctx.stage.as_deref().filter(|s| !s.is_empty()) {
            Some(stage) => Some(format!("https://{domain}/{stage}")),
            None => Some(format!("https://{domain}")),
        }
    }

    async fn connect(&self, event: &ApiGatewayWebsocketProxyRequest, conn_id: String) -> ApiGatewayProxyResponse {
        let Some(endpoint) = self.endpoint(event) else {
            return error_response(500, &ImError::internal("no callback URL: requestContext.domainName is missing"));
        };
        let mut map = HashMap::new();
        for (k, v) in event.query_string_parameters.iter() {
            map.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        let params = Params::from_map(map);
        let headers = &event.headers;
        let lookup = move |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let identity = &event.request_context.identity;
        let info = ConnectInfo {
            conn_id,
            endpoint,
            kind: EndpointKind::ApiGateway,
            remote_addr: identity.source_ip.clone().unwrap_or_default(),
            user_agent: identity.user_agent.clone().or_else(|| lookup("user-agent")).unwrap_or_default(),
        };
        let session = match self.gateway.authenticate(&params, &lookup, &info).await {
            Ok(s) => s,
            Err(rej) => return error_response(status_of(&rej.error), &rej.error),
        };
        if let Err(e) = self.gateway.open(&session).await {
            tracing::warn!(conn = %session.conn_id, error = %e, "opening a connection failed");
            self.gateway.close(&session).await;
            return error_response(500, &e);
        }
        tracing::debug!(conn = %session.conn_id, user = %session.user_id, tenant = %session.tenant, "connected");
        reply::ok()
    }

    async fn message(&self, event: &ApiGatewayWebsocketProxyRequest, conn_id: &str) -> ApiGatewayProxyResponse {
        let (tenant, record) = match self.registry().find(conn_id).await {
            Ok(Some(found)) => found,
            Ok(None) => return self.close_unknown(event, conn_id).await,
            Err(e) => return error_response(500, &e),
        };
        let body = match frame_bytes(event) {
            Ok(b) => b,
            Err(e) => {
                // Not a frame the gateway could read: like an undecodable frame, it ends the connection.
                self.end(&tenant, &record, &Session::from_record(tenant.clone(), &record, false)).await;
                return error_response(400, &e);
            }
        };
        let is_admin = self.auth.config().is_admin(&record.user_id);
        let session = Session::from_record(tenant.clone(), &record, is_admin);
        let outcome = self.gateway.handle_frame(&session, Inbound::Text(&body)).await;
        for out in &outcome.replies {
            let bytes = match out {
                Outbound::Text(t) => t.as_bytes(),
                Outbound::Binary(b) => b.as_slice(),
            };
            match self.pusher.post_envelope(&tenant, &record, bytes).await {
                Ok(PostOutcome::Delivered) => {}
                Ok(PostOutcome::Gone) => {
                    self.gateway.close(&session).await;
                    return error_response(410, &ImError::new(ErrCode::RecordNotFound, "the connection is gone"));
                }
                Err(e) => {
                    tracing::warn!(conn = %conn_id, error = %e, "posting a reply");
                    return error_response(502, &e);
                }
            }
        }
        if outcome.close {
            self.end(&tenant, &record, &session).await;
        }
        reply::ok()
    }

    /// Closes a connection the gateway ended: deletes it at API Gateway, then its record.
    async fn end(&self, tenant: &TenantId, record: &ConnectionRecord, session: &Session) {
        if let Err(e) = self.pusher.close(tenant, record).await {
            tracing::warn!(conn = %record.conn_id, error = %e, "deleting a connection");
        }
        self.gateway.close(session).await;
    }

    /// A message on a connection without a record (kicked, expired, or never authorised):
    /// the connection is deleted at API Gateway.
    async fn close_unknown(&self, event: &ApiGatewayWebsocketProxyRequest, conn_id: &str) -> ApiGatewayProxyResponse {
        if let Some(endpoint) = self.endpoint(event) {
            let rec = ConnectionRecord {
                conn_id: conn_id.to_string(),
                endpoint,
                kind: EndpointKind::ApiGateway,
                ..ConnectionRecord::default()
            };
            if let Err(e) = self.pusher.close(&TenantId::default_tenant(), &rec).await {
                tracing::debug!(conn = %conn_id, error = %e, "deleting an unknown connection");
            }
        }
        if let Err(e) = self.registry().remove_pointer(conn_id).await {
            tracing::debug!(conn = %conn_id, error = %e, "removing a dangling pointer");
        }
        error_response(410, &ImError::new(ErrCode::RecordNotFound, format!("unknown connection {conn_id}")))
    }

    async fn disconnect(&self, conn_id: &str) -> ApiGatewayProxyResponse {
        match self.registry().find(conn_id).await {
            Ok(Some((tenant, record))) => {
                let session = Session::from_record(tenant, &record, false);
                self.gateway.close(&session).await;
                reply::ok()
            }
            Ok(None) => match self.registry().remove_pointer(conn_id).await {
                Ok(()) => reply::ok(),
                Err(e) => error_response(500, &e),
            },
            Err(e) => error_response(500, &e),
        }
    }
}

/// The frame of a `$default` event: the body, base64-decoded when API Gateway flagged it so.
fn frame_bytes(event: &ApiGatewayWebsocketProxyRequest) -> Result<Vec<u8>, ImError> {
    let body = event.body.as_deref().unwrap_or_default();
    if event.is_base64_encoded {
        return base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| ImError::args(format!("body is not base64: {e}")));
    }
    Ok(body.as_bytes().to_vec())
}
