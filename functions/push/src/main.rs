//! Lambda entry of the push stage: an SQS-triggered function (`ReportBatchItemFailures`).
//! Env: `IM_TABLE` (DynamoDB table), `IM_LOG_LEVEL`, and optionally `IM_NODE_ACCESS_KEY` /
//! `IM_NODE_SECRET_KEY` (the key gateway nodes' `@connections` API accepts), and
//! `IM_OFFLINE_PUSH_WEBHOOK_URL` (offline push webhook; without it offline pushes are logged).
//! Online delivery goes through the API Gateway management API.

use std::sync::Arc;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use im_adapters::apigw::ApiGatewayPusher;
use im_adapters::dynamodb::DynamoStore;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_fn_push::Push;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    im_http::telemetry::init(&std::env::var("IM_LOG_LEVEL").unwrap_or_else(|_| "info".into()))?;
    let table = std::env::var("IM_TABLE").map_err(|_| "IM_TABLE is not set")?;
    let dynamo = DynamoStore::from_env(&table).await?;
    // Cold start: open the DynamoDB connection (DNS, TLS) during init rather than in the first batch.
    dynamo.warm_up().await;
    let store: DynStore = Arc::new(dynamo);
    let online = Arc::new(ApiGatewayPusher::from_env().await);
    let push = Push::new(store, Env::system(), online, im_fn_push::offline_from_env()?);
    let push = &push;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<SqsBatchResponse, Error>(push.handle(event.payload).await)
    }))
    .await
}
