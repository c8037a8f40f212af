//! Shared helpers of the WebSocket function's tests: the sample events of `events/`, a
//! recording pusher, and the stores (embedded redb, DynamoDB on the local emulator).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest;
use im_domain::store::DynStore;
use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, PostOutcome, ServerFrame};

/// Environment variable naming the local AWS emulator (`tests/run.sh` sets it).
pub const ENDPOINT_VAR: &str = "IM_TEST_DYNAMODB_ENDPOINT";

/// The emulator's URL; panics with instructions when it is not set (never skipped).
pub fn emulator() -> String {
    std::env::var(ENDPOINT_VAR).ok().filter(|e| !e.is_empty()).unwrap_or_else(|| {
        panic!(
            "{ENDPOINT_VAR} is not set: run tests/run.sh (it starts the local AWS emulator), or start \
             `.venv-tests/bin/python tests/moto/serve.py --port N` and export {ENDPOINT_VAR}=http://127.0.0.1:N"
        )
    })
}

/// AWS SDK configuration for the emulator (static test credentials).
pub async fn emulator_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(emulator())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sqs::config::Credentials::new("test", "test", None, None, "static"))
        .load()
        .await
}

/// A name no other test run uses.
pub fn unique(prefix: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}-{nanos}-{}", RandomState::new().hash_one(0u8) % 1_000_000)
}

/// A fresh DynamoDB table on the emulator, as the store.
pub async fn dynamodb_store() -> (DynStore, String) {
    let table = unique("im-ws-test");
    let client = aws_sdk_dynamodb::Client::new(&emulator_config().await);
    let store = im_adapters::dynamodb::DynamoStore::new(client, &table);
    store.create_table_if_missing().await.expect("test table on the emulator");
    (Arc::new(store), table)
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
