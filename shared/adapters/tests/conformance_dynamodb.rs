//! The storage-port conformance suite against the DynamoDB adapter, on the local emulator that
//! `tests/run.sh` starts (`IM_TEST_DYNAMODB_ENDPOINT`). All tests share one table
//! (`IM_TEST_DYNAMODB_TABLE`, default `im-conformance`); each case isolates itself with a fresh
//! random tenant.

#![cfg(feature = "aws")]

use std::sync::Arc;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_dynamodb::config::Credentials;
use im_adapters::dynamodb::DynamoStore;
use tokio::sync::OnceCell;

/// Set once the shared table exists and is active (once per test process).
static TABLE_READY: OnceCell<()> = OnceCell::const_new();

/// A store with its own client: every `#[tokio::test]` has its own runtime, and an SDK client's
/// connection pool must not outlive the runtime it was used on.
async fn dynamo_store() -> Arc<DynamoStore> {
    let endpoint = std::env::var("IM_TEST_DYNAMODB_ENDPOINT").ok().filter(|e| !e.is_empty()).unwrap_or_else(|| {
        panic!("IM_TEST_DYNAMODB_ENDPOINT is not set: run tests/run.sh, which starts the local DynamoDB emulator")
    });
    let table = std::env::var("IM_TEST_DYNAMODB_TABLE")
        .ok()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "im-conformance".to_string());
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .load()
        .await;
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    TABLE_READY
        .get_or_init(|| async {
            store.create_table_if_missing().await.unwrap_or_else(|e| {
                panic!("creating the conformance table {:?} on the emulator failed: {e}", store.table())
            })
        })
        .await;
    Arc::new(store)
}

im_store_conformance::conformance_tests!(dynamo_store());
