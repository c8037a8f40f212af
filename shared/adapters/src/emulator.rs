//! Test support for the AWS adapters: the local AWS-API emulator that `tests/run.sh` starts on
//! loopback (`IM_TEST_DYNAMODB_ENDPOINT`; DynamoDB, SQS and the rest on one endpoint), and the
//! steps tests repeat against it — a client configuration, DynamoDB tables, and SQS receives
//! turned into the Lambda events SQS would deliver.
//!
//! Without the endpoint variable the helpers panic with instructions: a test that needs the
//! emulator fails, it is never skipped.

use std::sync::Arc;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage, SqsMessageAttribute};
use aws_sdk_dynamodb::config::Credentials;
use aws_sdk_sqs::types::Message;
use tokio::sync::OnceCell;

use crate::dynamodb::DynamoStore;

/// Environment variable naming the emulator's URL.
pub const ENDPOINT_VAR: &str = "IM_TEST_DYNAMODB_ENDPOINT";
/// Environment variable naming the table tests share (default [`DEFAULT_SHARED_TABLE`]).
pub const TABLE_VAR: &str = "IM_TEST_DYNAMODB_TABLE";
/// The shared table when [`TABLE_VAR`] is unset.
pub const DEFAULT_SHARED_TABLE: &str = "im-conformance";

/// The emulator's URL; panics with instructions when it is not set.
pub fn endpoint() -> String {
    std::env::var(ENDPOINT_VAR).ok().filter(|e| !e.is_empty()).unwrap_or_else(|| {
        panic!(
            "{ENDPOINT_VAR} is not set: run tests/run.sh (it starts the local AWS emulator), or start \
             `.venv-tests/bin/python tests/moto/serve.py --port N` and export {ENDPOINT_VAR}=http://127.0.0.1:N"
        )
    })
}

/// An SDK configuration for the emulator (region us-east-1, static test credentials). Build one
/// per test: every `#[tokio::test]` has its own runtime, and a client's connection pool must not
/// outlive the runtime it was used on.
pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .load()
        .await
}

/// A name no other test (or test run) uses: `<prefix>-<nanoseconds>-<random>`.
pub fn unique(prefix: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{prefix}-{nanos}-{}", RandomState::new().hash_one(0u8) % 1_000_000)
}

/// Set once the shared table exists (once per test process).
static SHARED_TABLE_READY: OnceCell<()> = OnceCell::const_new();

/// A store on the table tests share ([`TABLE_VAR`]), created on first use; tests isolate
/// themselves in fresh tenants.
pub async fn shared_table_store() -> Arc<DynamoStore> {
    let table = std::env::var(TABLE_VAR).ok().filter(|t| !t.is_empty()).unwrap_or_else(|| DEFAULT_SHARED_TABLE.into());
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&sdk_config().await), table);
    SHARED_TABLE_READY
        .get_or_init(|| async {
            store.create_table_if_missing().await.unwrap_or_else(|e| {
                panic!("creating the shared test table {:?} on the emulator failed: {e}", store.table())
            })
        })
        .await;
    Arc::new(store)
}

/// A store on a new table of its own (named [`unique`]`(prefix)`), and the table's name.
pub async fn fresh_table_store(prefix: &str) -> (Arc<DynamoStore>, String) {
    let table = unique(prefix);
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&sdk_config().await), &table);
    store.create_table_if_missing().await.unwrap_or_else(|e| panic!("creating test table {table:?} failed: {e}"));
    (Arc::new(store), table)
}

/// The Lambda event SQS's event source mapping would deliver for received `messages` (IDs,
/// receipt handles, bodies and string attributes).
pub fn sqs_event(messages: &[Message]) -> SqsEvent {
    let mut event = SqsEvent::default();
    event.records = messages
        .iter()
        .map(|m| {
            let mut r = SqsMessage::default();
            r.message_id = m.message_id().map(str::to_string);
            r.receipt_handle = m.receipt_handle().map(str::to_string);
            r.body = m.body().map(str::to_string);
            for (name, v) in m.message_attributes().into_iter().flatten() {
                let mut a = SqsMessageAttribute::default();
                a.string_value = v.string_value().map(str::to_string);
                a.data_type = Some(v.data_type().to_string());
                r.message_attributes.insert(name.clone(), a);
            }
            r
        })
        .collect();
    event
}

/// Receives up to ten messages of `url` with their attributes, hidden for `visibility` seconds,
/// waiting up to `wait` seconds for the first.
pub async fn receive(c: &aws_sdk_sqs::Client, url: &str, visibility: i32, wait: i32) -> Vec<Message> {
    let out = c
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .visibility_timeout(visibility)
        .wait_time_seconds(wait)
        .message_attribute_names("All")
        .send()
        .await
        .unwrap_or_else(|e| panic!("receiving from {url}: {e}"));
    out.messages().to_vec()
}

/// Deletes the received `messages` that the consumer's response did not report failed (what the
/// event source mapping does after a partial batch response).
pub async fn delete_processed(c: &aws_sdk_sqs::Client, url: &str, messages: &[Message], resp: &SqsBatchResponse) {
    for m in messages {
        let failed = resp.batch_item_failures.iter().any(|f| Some(f.item_identifier.as_str()) == m.message_id());
        if !failed {
            c.delete_message()
                .queue_url(url)
                .receipt_handle(m.receipt_handle().unwrap_or_default())
                .send()
                .await
                .unwrap_or_else(|e| panic!("deleting a message of {url}: {e}"));
        }
    }
}
