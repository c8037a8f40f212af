//! Lambda entry of the API Gateway WebSocket function (`$connect`, `$default`, `$disconnect`
//! routes, one integration). Env: `IM_TABLE` (DynamoDB table), `IM_LOG_LEVEL`, the auth
//! settings of `im_auth::config::env` (`IM_SECRET`, `IM_ADMIN_USER_IDS`, …), optionally
//! `IM_WS_CALLBACK_URL` (management API URL for records when the API sits behind a custom
//! domain), `IM_NODE_ACCESS_KEY` / `IM_NODE_SECRET_KEY` (kicks of connections on im-server
//! nodes), and `IM_TRANSFER_QUEUE_URL` / `IM_PUSH_QUEUE_URL` (sends enqueue on SQS; without
//! them the pipeline runs in-process, as in the `/msg` function).

use std::sync::Arc;

use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use im_adapters::apigw::ApiGatewayPusher;
use im_adapters::dynamodb::DynamoStore;
use im_adapters::sqs::SqsQueue;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::clock::{Env, SystemClock};
use im_domain::store::DynStore;
use im_fn_msg::local::{GatewayMessaging, LocalMessaging, Peers};
use im_fn_ws::{Ws, WsDeps};
use im_gateway::MessageService;
use im_msg::push::LogOfflinePush;
use im_msg::{Messaging, MsgConfig, MsgDeps};
use im_repo::connection::ConnectionPusher;
use lambda_runtime::{Error, LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    im_http::telemetry::init(&std::env::var("IM_LOG_LEVEL").unwrap_or_else(|_| "info".into()))?;
    let table = std::env::var("IM_TABLE").map_err(|_| "IM_TABLE is not set")?;
    let dynamo = DynamoStore::from_env(&table).await?;
    // Cold start: open the DynamoDB connection (DNS, TLS) during init rather than in the first event.
    dynamo.warm_up().await;
    let store: DynStore = Arc::new(dynamo);
    let pusher: Arc<dyn ConnectionPusher> = Arc::new(ApiGatewayPusher::from_env().await);
    let auth =
        Arc::new(AuthService::new(AuthConfig::from_env()?, store.clone(), Arc::new(SystemClock), Arc::new(NoopKicker)));
    let config = MsgConfig { admin_user_ids: auth.config().admin_user_ids.clone(), ..MsgConfig::default() };
    let peers = Peers {
        relations: Arc::new(im_friend::RelationRepo::new(store.clone())),
        groups: Arc::new(im_group::GroupRepo::new(store.clone())),
        pusher: pusher.clone(),
        offline: Arc::new(LogOfflinePush),
    };
    let messaging: Arc<dyn MessageService> = match SqsQueue::from_env().await {
        Some(queue) => Arc::new(GatewayMessaging(Messaging::new(MsgDeps {
            store: store.clone(),
            env: Env::system(),
            queue: Arc::new(queue),
            relations: peers.relations,
            groups: peers.groups,
            config,
        }))),
        None => LocalMessaging::start(store.clone(), Env::system(), config, peers)?.gateway_service(),
    };
    let ws = Ws::new(WsDeps {
        store,
        env: Env::system(),
        auth,
        messaging,
        pusher,
        callback_url: std::env::var("IM_WS_CALLBACK_URL").unwrap_or_default(),
    });
    let ws = &ws;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<ApiGatewayWebsocketProxyRequest>| async move {
        Ok::<ApiGatewayProxyResponse, Error>(ws.handle(event.payload).await)
    }))
    .await
}
