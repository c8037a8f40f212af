//! Lambda entry of the `/msg` function: the same router as im-server, on DynamoDB.
//! Env: `IM_TABLE` (DynamoDB table), `IM_LOG_LEVEL`, and the auth settings of
//! `im_auth::config::env` (`IM_SECRET`, `IM_ADMIN_USER_IDS`, …).
//!
//! With `IM_TRANSFER_QUEUE_URL` and `IM_PUSH_QUEUE_URL` set, sends enqueue on SQS and the
//! transfer and push stages run in their own SQS-triggered functions (`im-fn-transfer`,
//! `im-fn-push`). Without them the pipeline runs on the in-process queue inside this function
//! (work left when an invocation ends resumes on the next one in the same execution environment).

use std::sync::Arc;

use im_adapters::dynamodb::DynamoStore;
use im_adapters::sqs::SqsQueue;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::clock::{Env, SystemClock};
use im_domain::store::DynStore;
use im_fn_msg::MsgState;
use im_fn_msg::local::{LocalMessaging, Peers};
use im_http::lambda::BoxError;
use im_http::{App, HttpOptions};
use im_msg::{Messaging, MsgConfig, MsgDeps};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    im_http::telemetry::init(&std::env::var("IM_LOG_LEVEL").unwrap_or_else(|_| "info".into()))?;
    let table = std::env::var("IM_TABLE").map_err(|_| "IM_TABLE is not set")?;
    let store: DynStore = Arc::new(DynamoStore::from_env(&table).await?);
    // Cold start: open the DynamoDB connection (DNS, TLS) during init rather than in the first request.
    let probe = im_domain::store::Key::new(&im_domain::TenantId::default_tenant(), "WARMUP", "warmup");
    if let Err(e) = store.get(&probe, im_domain::store::Consistency::Eventual).await {
        tracing::warn!(error = %e, "warming the DynamoDB connection");
    }
    let auth =
        Arc::new(AuthService::new(AuthConfig::from_env()?, store.clone(), Arc::new(SystemClock), Arc::new(NoopKicker)));
    let config = MsgConfig { admin_user_ids: auth.config().admin_user_ids.clone(), ..MsgConfig::default() };
    let app = match SqsQueue::from_env().await {
        Some(queue) => {
            let peers = Peers::stubs();
            let messaging = Messaging::new(MsgDeps {
                store,
                env: Env::system(),
                queue: Arc::new(queue),
                relations: peers.relations,
                groups: peers.groups,
                config,
            });
            im_fn_msg::mount(App::new(), MsgState { messaging })
        }
        None => LocalMessaging::start(store, Env::system(), config, Peers::stubs())?.mount(App::new()),
    };
    let router = app.into_router(auth, HttpOptions::default());
    im_http::lambda::run(router).await
}
