//! Lambda entry of the `/conversation` function: the same router as im-server, on DynamoDB.
//! Env: `IM_TABLE` (DynamoDB table), `IM_LOG_LEVEL`, and the auth settings of
//! `im_auth::config::env` (tokens are verified against the shared token state).
//!
//! Notifications (1300/1701) need the messaging pipeline's notifier; until this Lambda is
//! deployed with it, they are dropped (`NoopNotifier`), and group names come from no group
//! module (`NoGroups`).

use std::sync::Arc;

use im_adapters::dynamodb::DynamoStore;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::clock::SystemClock;
use im_domain::store::DynStore;
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
    let app = im_fn_conversation::mount(App::new(), im_fn_conversation::state(store));
    im_http::lambda::run(app.into_router(auth, HttpOptions::default())).await
}
