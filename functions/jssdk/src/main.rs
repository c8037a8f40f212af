//! Lambda entry of the `/jssdk` function: the same router as im-server, on DynamoDB.
//! Env: `IM_TABLE` (DynamoDB table), `IM_LOG_LEVEL`, and the auth settings of
//! `im_auth::config::env`. API Gateway must pass `application/x-protobuf` and
//! `application/protobuf` bodies as binary (base64-encoded events).

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
    let app = im_fn_jssdk::mount(App::new(), im_fn_jssdk::state(store));
    im_http::lambda::run(app.into_router(auth, HttpOptions::default())).await
}
