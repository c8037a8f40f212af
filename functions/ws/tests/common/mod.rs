//! Shared helpers of the WebSocket function's tests: the sample events of `events/`, a
//! recording pusher, and the stores (embedded redb, DynamoDB on the local emulator).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use im_domain::store::DynStore;
use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, PostOutcome, ServerFrame};

/// A fresh DynamoDB table on the emulator, as the store.
pub async fn dynamodb_store() -> (DynStore, String) {
    let (store, table) = im_adapters::emulator::fresh_table_store("im-ws-test").await;
    (store, table)
}

/// A fresh embedded (redb) store in a temp dir (kept alive by the returned guard).
pub fn embedded_store() -> (DynStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = im_adapters::embedded::EmbeddedStore::open(dir.path().join("im.redb")).expect("embedded store");
    (Arc::new(store), dir)
}

/// A sample event of `events/`, parsed as the Lambda runtime would.
pub fn event(name: &str) -> ApiGatewayWebsocketProxyRequest {
    let path = format!("{}/../../events/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a WebSocket event: {e}"))
}

/// The connect sample with `token`, `sendID` and connection ID replaced.
pub fn connect_event(token: &str, user: &str, conn_id: &str) -> ApiGatewayWebsocketProxyRequest {
    let mut v: serde_json::Value =
        serde_json::to_value(event("ws-connect.json")).expect("event serialises back to JSON");
    v["queryStringParameters"]["token"] = token.into();
    v["queryStringParameters"]["sendID"] = user.into();
    v["multiValueQueryStringParameters"]["token"] = serde_json::json!([token]);
    v["multiValueQueryStringParameters"]["sendID"] = serde_json::json!([user]);
    v["requestContext"]["connectionId"] = conn_id.into();
    serde_json::from_value(v).expect("adjusted event")
}

/// A sample event with another connection ID (and, if given, another body).
pub fn on_connection(name: &str, conn_id: &str, body: Option<&str>) -> ApiGatewayWebsocketProxyRequest {
    let mut e = event(name);
    e.request_context.connection_id = Some(conn_id.to_string());
    if let Some(b) = body {
        e.body = Some(b.to_string());
    }
    e
}

/// Everything a pusher was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `post`: connection ID, frame.
    Post(String, ServerFrame),
    /// `post_envelope`: connection ID, body as text.
    Envelope(String, String),
    /// `close`: connection ID, endpoint.
    Close(String, String),
}

/// Records every call; posts to connections listed in `gone` answer Gone.
#[derive(Default)]
pub struct Recorder {
    /// Calls, in order.
    pub calls: Mutex<Vec<Call>>,
    /// Connection IDs that answer 410.
    pub gone: Mutex<Vec<String>>,
}

impl Recorder {
    /// The calls so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// Envelopes posted to `conn`, parsed as JSON.
    pub fn envelopes(&self, conn: &str) -> Vec<serde_json::Value> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::Envelope(id, body) if id == conn => {
                    Some(serde_json::from_str(&body).unwrap_or_else(|e| panic!("envelope is not JSON ({e}): {body}")))
                }
                _ => None,
            })
            .collect()
    }

    /// Connections closed.
    pub fn closed(&self) -> Vec<String> {
        self.calls().into_iter().filter_map(|c| if let Call::Close(id, _) = c { Some(id) } else { None }).collect()
    }

    fn outcome(&self, conn: &str) -> PostOutcome {
        if self.gone.lock().unwrap().iter().any(|g| g == conn) { PostOutcome::Gone } else { PostOutcome::Delivered }
    }
}

#[async_trait]
impl ConnectionPusher for Recorder {
    async fn post(&self, _: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome> {
        self.calls.lock().unwrap().push(Call::Post(record.conn_id.clone(), frame.clone()));
        Ok(self.outcome(&record.conn_id))
    }

    async fn close(&self, _: &TenantId, record: &ConnectionRecord) -> ImResult<PostOutcome> {
        self.calls.lock().unwrap().push(Call::Close(record.conn_id.clone(), record.endpoint.clone()));
        Ok(self.outcome(&record.conn_id))
    }

    async fn post_envelope(&self, _: &TenantId, record: &ConnectionRecord, body: &[u8]) -> ImResult<PostOutcome> {
        let text = String::from_utf8(body.to_vec()).expect("API Gateway envelopes are text");
        self.calls.lock().unwrap().push(Call::Envelope(record.conn_id.clone(), text));
        Ok(self.outcome(&record.conn_id))
    }
}
