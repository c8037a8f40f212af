//! Lambda entry of the `/msg` function: the same router as im-server, on DynamoDB.
//! Env: `IM_TABLE` (DynamoDB table), `IM_LOG_LEVEL`, and the auth settings of
//! `im_auth::config::env` (`IM_SECRET`, `IM_ADMIN_USER_IDS`, …).
//!
//! With `IM_TRANSFER_QUEUE_URL` and `IM_PUSH_QUEUE_URL` set, sends enqueue on SQS and the
//! transfer and push stages run in their own SQS-triggered functions (`im-fn-transfer`,
//! `im-fn-push`). Without them the pipeline runs on the in-process queue inside this function
//! (work left when an invocation ends resumes on the next one in the same execution environment).
//! Either way sends check the blacklist, friendship (when configured) and group membership
//! through the friend and group repositories on the same table (`Peers::repos`).

use std::sync::Arc;

use im_adapters::dynamodb::DynamoStore;
use im_adapters::sqs::SqsQueue;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::clock::SystemClock;
use im_domain::ports::Queue;
use im_domain::store::DynStore;
use im_fn_msg::local::Peers;
use im_http::lambda::BoxError;
use im_http::{App, HttpOptions};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    im_http::telemetry::init(&std::env::var("IM_LOG_LEVEL").unwrap_or_else(|_| "info".into()))?;
    let table = std::env::var("IM_TABLE").map_err(|_| "IM_TABLE is not set")?;
    let dynamo = DynamoStore::from_env(&table).await?;
    // Cold start: open the DynamoDB connection (DNS, TLS) during init rather than in the first request.
    dynamo.warm_up().await;
    let store: DynStore = Arc::new(dynamo);
    let auth =
        Arc::new(AuthService::new(AuthConfig::from_env()?, store.clone(), Arc::new(SystemClock), Arc::new(NoopKicker)));
    let queue = SqsQueue::from_env().await.map(|q| Arc::new(q) as Arc<dyn Queue>);
    let peers = Peers::repos(&store);
    let (app, _) = im_fn_msg::local::mount_on(App::new(), store, &auth.config().admin_user_ids, peers, queue)?;
    let router = app.into_router(auth, HttpOptions::default());
    im_http::lambda::run(router).await
}
