//! Lambda entry of the transfer stage: an SQS-triggered function (`ReportBatchItemFailures`).
//! Env: `IM_TABLE` (DynamoDB table), `IM_PUSH_QUEUE_URL` and `IM_TRANSFER_QUEUE_URL` (the queue
//! adapter needs both; this stage only sends to push), `IM_LOG_LEVEL`.

use std::sync::Arc;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use im_adapters::dynamodb::DynamoStore;
use im_adapters::sqs::SqsQueue;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_fn_transfer::Transfer;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    im_http::telemetry::init(&std::env::var("IM_LOG_LEVEL").unwrap_or_else(|_| "info".into()))?;
    let table = std::env::var("IM_TABLE").map_err(|_| "IM_TABLE is not set")?;
    let dynamo = DynamoStore::from_env(&table).await?;
    // Cold start: open the DynamoDB connection (DNS, TLS) during init rather than in the first batch.
    dynamo.warm_up().await;
    let store: DynStore = Arc::new(dynamo);
    let queue = SqsQueue::from_env().await.ok_or("IM_TRANSFER_QUEUE_URL and IM_PUSH_QUEUE_URL must be set")?;
    let transfer = Transfer::new(store, Env::system(), Arc::new(queue));
    let transfer = &transfer;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<SqsBatchResponse, Error>(transfer.handle(event.payload).await)
    }))
    .await
}
