//! The [`ConnectionPusher`] of Lambda functions: posts frames through the API Gateway
//! WebSocket management API (`aws-sdk-apigatewaymanagement`) at each record's `endpoint` —
//! API Gateway itself, or an im-server node's `@connections` API, which speaks the same API.
//!
//! What is posted depends on the record's [`EndpointKind`]:
//! * [`EndpointKind::ApiGateway`]: the finished envelope, JSON (API Gateway hands it to the
//!   client as is; those connections use JSON envelopes in text frames);
//! * [`EndpointKind::Node`]: the frame's protobuf payload, with the envelope's reqIdentifier and
//!   operationID in the `x-openim-req-identifier` / `x-openim-operation-id` headers; the node
//!   encodes the envelope per connection (gob or JSON, gzip).
//!
//! A 2001 push to an iOS connection flagged background is skipped (OpenIM's 1604). HTTP 410
//! (`GoneException`) is [`PostOutcome::Gone`].

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::config::{Credentials, SharedCredentialsProvider};
use aws_sdk_apigatewaymanagement::primitives::Blob;
use im_domain::constants::platform;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, EndpointKind, PUSH_MSG, PostOutcome, ServerFrame};
use im_wire::ws::{Encoding, WsResp};

/// Header carrying the envelope's reqIdentifier to a gateway node.
pub const REQ_IDENTIFIER_HEADER: &str = "x-openim-req-identifier";
/// Header carrying the envelope's operationID to a gateway node.
pub const OPERATION_ID_HEADER: &str = "x-openim-operation-id";

/// Environment variable: access key ID that gateway nodes' `@connections` API accepts.
pub const NODE_ACCESS_KEY_VAR: &str = "IM_NODE_ACCESS_KEY";
/// Environment variable: its secret.
pub const NODE_SECRET_KEY_VAR: &str = "IM_NODE_SECRET_KEY";

/// Posts to connections through the management API; one client per endpoint, built once.
///
/// API Gateway endpoints are signed with the SDK configuration's credentials (the function's
/// role); gateway nodes with the node key when one is set (`with_node_key`).
pub struct ApiGatewayPusher {
    config: aws_config::SdkConfig,
    node_key: Option<Credentials>,
    clients: Mutex<HashMap<(String, bool), Client>>,
}

impl ApiGatewayPusher {
    /// A pusher using `config`'s credentials and region (the endpoint comes from each record).
    pub fn new(config: aws_config::SdkConfig) -> Self {
        ApiGatewayPusher { config, node_key: None, clients: Mutex::new(HashMap::new()) }
    }

    /// Signs calls to gateway nodes with this key (their `--connections-access-key` pair).
    pub fn with_node_key(mut self, access_key: &str, secret_key: &str) -> Self {
        self.node_key = Some(Credentials::new(access_key, secret_key, None, None, "im-node-key"));
        self
    }

    /// A pusher configured from the standard AWS environment, plus the node key from
    /// [`NODE_ACCESS_KEY_VAR`] / [`NODE_SECRET_KEY_VAR`] when both are set.
    pub async fn from_env() -> Self {
        let p = Self::new(crate::aws_env::sdk_config().await);
        match (std::env::var(NODE_ACCESS_KEY_VAR), std::env::var(NODE_SECRET_KEY_VAR)) {
            (Ok(a), Ok(s)) if !a.is_empty() && !s.is_empty() => p.with_node_key(&a, &s),
            _ => p,
        }
    }

    fn client(&self, endpoint: &str, kind: EndpointKind) -> Client {
        let node = kind == EndpointKind::Node;
        let mut clients = self.clients.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        clients
            .entry((endpoint.to_string(), node))
            .or_insert_with(|| {
                let mut conf = aws_sdk_apigatewaymanagement::config::Builder::from(&self.config)
                    .endpoint_url(endpoint.trim_end_matches('/'));
                if let (true, Some(key)) = (node, &self.node_key) {
                    conf = conf.credentials_provider(SharedCredentialsProvider::new(key.clone()));
                }
                Client::from_conf(conf.build())
            })
            .clone()
    }
}

fn is_gone<E: aws_sdk_apigatewaymanagement::error::ProvideErrorMetadata>(
    e: &aws_sdk_apigatewaymanagement::error::SdkError<E, aws_sdk_apigatewaymanagement::config::http::HttpResponse>,
) -> bool {
    e.raw_response().is_some_and(|r| r.status().as_u16() == 410)
        || e.as_service_error().and_then(|s| s.code()).is_some_and(|c| c == "GoneException")
}

fn network(what: &str, e: impl std::fmt::Display) -> ImError {
    ImError::new(ErrCode::Network, format!("{what}: {e}"))
}

/// The JSON envelope API Gateway connections get for `frame`.
pub fn api_gateway_body(frame: &ServerFrame) -> Vec<u8> {
    let resp = WsResp {
        req_identifier: frame.req_identifier,
        operation_id: frame.operation_id.clone(),
        data: frame.data.clone(),
        ..WsResp::default()
    };
    im_wire::ws::encode_resp(&resp, Encoding::Json, false)
}

#[async_trait]
impl ConnectionPusher for ApiGatewayPusher {
    async fn post(&self, _tenant: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome> {
        if frame.req_identifier == PUSH_MSG && record.platform_id == platform::IOS && record.background {
            return Ok(PostOutcome::Delivered);
        }
        let client = self.client(&record.endpoint, record.kind);
        let req = client.post_to_connection().connection_id(&record.conn_id);
        let result = match record.kind {
            EndpointKind::ApiGateway => req.data(Blob::new(api_gateway_body(frame))).send().await,
            EndpointKind::Node => {
                let ident = frame.req_identifier.to_string();
                let op = frame.operation_id.clone();
                req.data(Blob::new(frame.data.clone()))
                    .customize()
                    .mutate_request(move |r| {
                        r.headers_mut().insert(REQ_IDENTIFIER_HEADER, ident.clone());
                        r.headers_mut().insert(OPERATION_ID_HEADER, op.clone());
                    })
                    .send()
                    .await
            }
        };
        match result {
            Ok(_) => Ok(PostOutcome::Delivered),
            Err(e) if is_gone(&e) => Ok(PostOutcome::Gone),
            Err(e) => Err(network("post_to_connection", aws_sdk_apigatewaymanagement::error::DisplayErrorContext(e))),
        }
    }

    /// Posts `body` as it is to an API Gateway connection (the WebSocket Lambda's replies).
    async fn post_envelope(&self, _tenant: &TenantId, record: &ConnectionRecord, body: &[u8]) -> ImResult<PostOutcome> {
        if record.kind != EndpointKind::ApiGateway {
            return Err(ImError::new(ErrCode::ServerInternal, "finished envelopes go to API Gateway connections only"));
        }
        let client = self.client(&record.endpoint, record.kind);
        match client.post_to_connection().connection_id(&record.conn_id).data(Blob::new(body.to_vec())).send().await {
            Ok(_) => Ok(PostOutcome::Delivered),
            Err(e) if is_gone(&e) => Ok(PostOutcome::Gone),
            Err(e) => Err(network("post_to_connection", aws_sdk_apigatewaymanagement::error::DisplayErrorContext(e))),
        }
    }

    async fn close(&self, _tenant: &TenantId, record: &ConnectionRecord) -> ImResult<PostOutcome> {
        let client = self.client(&record.endpoint, record.kind);
        match client.delete_connection().connection_id(&record.conn_id).send().await {
            Ok(_) => Ok(PostOutcome::Delivered),
            Err(e) if is_gone(&e) => Ok(PostOutcome::Gone),
            Err(e) => Err(network("delete_connection", aws_sdk_apigatewaymanagement::error::DisplayErrorContext(e))),
        }
    }
}
