//! im-server: every function router on one HTTP listener, embedded storage by default. The send
//! pipeline runs on the in-process queue unless `IM_TRANSFER_QUEUE_URL` and `IM_PUSH_QUEUE_URL`
//! name SQS queues (a gateway node sharing the pipeline with the Lambdas).

mod cli;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use clap::Parser;
use im_adapters::apigw::ApiGatewayPusher;
use im_adapters::dynamodb::DynamoStore;
use im_adapters::embedded::EmbeddedStore;
use im_adapters::sqs::SqsQueue;
use im_auth::AuthService;
use im_domain::TenantId;
use im_domain::clock::SystemClock;
use im_domain::ports::Queue;
use im_domain::store::DynStore;
use im_gateway::server::Realtime;
use im_http::{App, HttpOptions};
use im_repo::connection::ConnectionPusher;

use crate::cli::{Backend, Cli};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// mimalloc instead of the system allocator: the store writer and the gateway allocate many
/// short-lived buffers from several threads, where glibc's allocator spent a quarter of the
/// server's CPU under load (`tests/bench` ws-load profile).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long mimalloc keeps freed memory before returning it to the OS, in ms. Its default
/// (10 ms) returned pages between the bursts of a loaded server, which then faulted them back
/// in zeroed (huge pages): ~6,000 page faults per 5 s and 3 % of the server's CPU in kernel page
/// clearing under the ws-load closed loop, ~80 with this delay. An idle server still gives the
/// memory back after this long.
const ALLOCATOR_PURGE_DELAY_MS: std::ffi::c_long = 30_000;

/// mimalloc's `mi_option_purge_delay` (position 15 of `mi_option_t` in its v2 and v3 headers;
/// the binding crate exports no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's `mi_option_allow_thp` (position 43 of `mi_option_t` in its v3 header).
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// Applies [`ALLOCATOR_PURGE_DELAY_MS`] and turns transparent huge pages off for the process.
/// mimalloc options are not thread-safe to set, so this runs before the runtime starts any
/// thread.
///
/// Huge pages: mimalloc asks for them on its arenas, so every first touch of fresh heap (the
/// heap grows with the store's page cache while a database grows) faulted in and zeroed 2 MiB at
/// once — ~4.6 ms on this machine's VM, during which that thread (often the store writer,
/// holding a whole commit group) stood still. Under ws-load at 6,000 msgs/s that was the send
/// latency tail: send→push p99 11.4–13.8 ms with huge pages, 6.4–7.1 ms without, at unchanged
/// closed-loop throughput. The same bytes are still zeroed, 4 KiB at a time.
fn tune_allocator() {
    // SAFETY: sets mimalloc options to valid values while the process has a single thread.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, ALLOCATOR_PURGE_DELAY_MS);
        libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0);
    }
    // mimalloc reads that option when it maps new memory; its first arena was mapped (and advised
    // to use huge pages) before `main`. The process-wide switch covers every mapping at fault
    // time. Failure (an old kernel) only leaves huge pages on.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> Result<(), BoxError> {
    tune_allocator();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
}

/// The server: parses the command line, opens the store, serves until a shutdown signal.
async fn run() -> Result<(), BoxError> {
    let cli = Cli::parse();
    im_http::telemetry::init(&cli.log_level)?;
    let store = open_store(&cli).await?;
    // Realtime first: its kicker serves force_logout, its pusher the push consumer.
    let realtime = im_gateway::server::Realtime::new(store.clone(), im_domain::clock::Env::system());
    let auth = Arc::new(AuthService::new(cli.auth_config()?, store.clone(), Arc::new(SystemClock), realtime.kicker()));
    auth.ensure_admin_users(&TenantId::default_tenant()).await?;

    // One line per function group.
    let app = App::new().raw(Router::new().route("/healthz", get(|| async { "ok" })));
    let queue = open_queue(&cli).await?;
    let pusher = online_pusher(&cli, &realtime, queue.is_some()).await;
    let app = im_fn_auth::mount(app, auth.clone());
    let app = im_fn_user::mount(app, im_fn_user::UserState::new(store.clone(), auth.clone()));
    let (app, _msg) = im_fn_msg::local::mount_on(
        app,
        store.clone(),
        &auth.config().admin_user_ids,
        im_fn_msg::local::Peers {
            // The push function's offline provider: webhook when IM_OFFLINE_PUSH_WEBHOOK_URL is set.
            offline: im_fn_push::offline_from_env()?,
            ..im_fn_msg::local::Peers::repos(&store).with_pusher(pusher)
        },
        queue,
    )?;
    let app = im_fn_friend::mount_on(app, store.clone(), _msg.notifier());
    let app = im_fn_group::mount(app, store.clone(), _msg.notifier());
    let app = im_fn_conversation::mount(
        app,
        im_fn_conversation::state_with(
            store.clone(),
            _msg.notifier(),
            Arc::new(im_group::GroupRepo::new(store.clone())),
        ),
    );
    let app = im_fn_jssdk::mount(
        app,
        im_fn_jssdk::state_with(store.clone(), Arc::new(im_group::GroupRepo::new(store.clone()))),
    );

    realtime.spawn(cli.ws_addr, &cli.gateway, auth.clone(), _msg.gateway_service()).await;

    let router = app.into_router(auth, HttpOptions::default());
    let listener = tokio::net::TcpListener::bind(cli.http_addr).await?;
    tracing::info!(http = %listener.local_addr()?, ws = %cli.ws_addr, backend = ?cli.backend, "im-server ready");
    im_http::server::serve(listener, router, im_http::server::shutdown_signal()).await?;
    tracing::info!("im-server stopped");
    Ok(())
}

/// How the in-process push stage reaches connections. On the embedded store this process's
/// gateway holds every connection; on a shared DynamoDB table other nodes and API Gateway hold
/// some too, reached through the management API their records name (signed with the
/// `@connections` key this node accepts, which nodes share). Unused when the pipeline runs on
/// SQS (the push Lambda delivers).
async fn online_pusher(cli: &Cli, realtime: &Realtime, on_sqs: bool) -> Arc<dyn ConnectionPusher> {
    if cli.backend == Backend::Embedded || on_sqs {
        return realtime.pusher();
    }
    let remote = ApiGatewayPusher::new(aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await);
    let (access, secret) = (&cli.gateway.connections_access_key, &cli.gateway.connections_secret_key);
    let remote = if access.is_empty() || secret.is_empty() { remote } else { remote.with_node_key(access, secret) };
    realtime.shared_pusher(Arc::new(remote))
}

/// The SQS queue when both queue URLs are set (the pipeline then runs in the transfer and push
/// Lambdas); `None`: the in-process queue and consumers.
async fn open_queue(cli: &Cli) -> Result<Option<Arc<dyn Queue>>, BoxError> {
    let Some((transfer, push)) = cli.queue_urls()? else { return Ok(None) };
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    tracing::info!(%transfer, %push, "pipeline on SQS");
    Ok(Some(Arc::new(SqsQueue::new(aws_sdk_sqs::Client::new(&config), transfer, push))))
}

async fn open_store(cli: &Cli) -> Result<DynStore, BoxError> {
    Ok(match cli.backend {
        Backend::Embedded => {
            std::fs::create_dir_all(&cli.data_dir)?;
            Arc::new(EmbeddedStore::open(cli.data_dir.join("im.redb"))?)
        }
        Backend::Aws => {
            let store = DynamoStore::from_env(&cli.table).await?;
            store.create_table_if_missing().await?;
            Arc::new(store)
        }
    })
}
