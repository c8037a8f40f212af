//! im-server's front door over the gateway core: the WebSocket listener ([`ws`]), the local
//! connection map that im-server's pusher writes to ([`Hub`]), and the SigV4-protected
//! `@connections` management API ([`connections`]).
//!
//! Wiring (im-server): build a [`Realtime`] first — its [`Realtime::pusher`] feeds the
//! messaging push consumer and its [`Realtime::kicker`] the auth service — then
//! [`Realtime::start`] binds both listeners.

pub mod connections;
mod hub;
pub mod sigv4;
pub mod time;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::serve::ListenerExt;
use im_auth::{ConnectionKicker, Policy, TokenVerifier};
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_repo::connection::{ConnectionPusher, ConnectionRegistry};

pub use hub::{Hub, OUTBOUND_QUEUE};

use crate::gateway::{Gateway, GatewayConfig, GatewayDeps};
use crate::kicker::RegistryKicker;
use crate::messaging::MessageService;

/// Command-line options of the gateway (im-server flattens them into its own).
#[derive(Debug, Clone, clap::Args)]
pub struct GatewayArgs {
    /// Listen address of the `@connections` management API.
    #[arg(long, env = "IM_CONNECTIONS_ADDR", default_value = "127.0.0.1:10003")]
    pub connections_addr: SocketAddr,
    /// Access key ID callers of the management API sign with (empty: every call is refused).
    #[arg(long, env = "IM_CONNECTIONS_ACCESS_KEY", default_value = "")]
    pub connections_access_key: String,
    /// Secret key of that access key.
    #[arg(long, env = "IM_CONNECTIONS_SECRET_KEY", default_value = "", hide_env_values = true)]
    pub connections_secret_key: String,
    /// URL of this node's management API as other processes reach it, written into connection
    /// records (default `http://<connections-addr>`).
    #[arg(long, env = "IM_CONNECTIONS_URL", default_value = "")]
    pub connections_url: String,
    /// Most simultaneous WebSocket connections (`websocketMaxConnNum`).
    #[arg(long, env = "IM_WS_MAX_CONNECTIONS", default_value_t = 100_000)]
    pub ws_max_connections: usize,
}

/// Timing of the WebSocket listener (defaults: OpenIM's 30 s read deadline, 27 s pings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Read deadline, re-armed by any inbound frame.
    pub read_wait: Duration,
    /// Ping period of Web connections.
    pub ping_period: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { read_wait: ws::READ_WAIT, ping_period: ws::PING_PERIOD }
    }
}

/// Where the listeners ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// WebSocket listener.
    pub ws: SocketAddr,
    /// Management API.
    pub connections: SocketAddr,
}

/// The realtime subsystem of one im-server process.
pub struct Realtime {
    store: DynStore,
    env: Env,
    hub: Arc<Hub>,
}

impl Realtime {
    /// The subsystem on `store` (connection records) with `env`'s clock and IDs.
    pub fn new(store: DynStore, env: Env) -> Self {
        Realtime { store, env, hub: Arc::new(Hub::new()) }
    }

    /// The pusher that writes to this process's connections (for the messaging push consumer)
    /// when they are all there are: a single process on its own store. It also lists them, so
    /// the push stage queries no connection records.
    pub fn pusher(&self) -> Arc<dyn ConnectionPusher> {
        self.hub.clone()
    }

    /// The pusher of a process whose store other front doors share (other nodes, API Gateway):
    /// this process's connections directly, any other record's through `remote`.
    pub fn shared_pusher(&self, remote: Arc<dyn ConnectionPusher>) -> Arc<dyn ConnectionPusher> {
        Arc::new(hub::SharedPusher::new(self.hub.clone(), remote))
    }

    /// The kicker of forced logout (for the auth service).
    pub fn kicker(&self) -> Arc<dyn ConnectionKicker> {
        let registry = ConnectionRegistry::new(self.store.clone(), self.env.clock.clone());
        Arc::new(RegistryKicker::new(registry, self.hub.clone()))
    }

    /// Binds the WebSocket listener on `ws_addr` and the management API, and serves both in
    /// background tasks.
    pub async fn start(
        &self,
        ws_addr: SocketAddr,
        args: &GatewayArgs,
        policy: Policy,
        verifier: Arc<dyn TokenVerifier>,
        messaging: Arc<dyn MessageService>,
    ) -> std::io::Result<Bound> {
        self.start_with(ws_addr, args, policy, verifier, messaging, Timing::default()).await
    }

    /// [`Realtime::start`] with the auth service as verifier and its multi-login policy; a
    /// listener that cannot be bound is logged as an error and the process goes on serving HTTP
    /// (several im-servers on one machine, e.g. in tests, share the default ports).
    pub async fn spawn(
        &self,
        ws_addr: SocketAddr,
        args: &GatewayArgs,
        auth: Arc<im_auth::AuthService>,
        messaging: Arc<dyn MessageService>,
    ) -> Option<Bound> {
        let policy = auth.config().multi_login.policy;
        match self.start(ws_addr, args, policy, auth, messaging).await {
            Ok(b) => {
                tracing::info!(ws = %b.ws, connections = %b.connections, "gateway listening");
                Some(b)
            }
            Err(e) => {
                tracing::error!(ws = %ws_addr, connections = %args.connections_addr, error = %e, "gateway not started");
                None
            }
        }
    }

    /// [`Realtime::start`] with explicit timing.
    pub async fn start_with(
        &self,
        ws_addr: SocketAddr,
        args: &GatewayArgs,
        policy: Policy,
        verifier: Arc<dyn TokenVerifier>,
        messaging: Arc<dyn MessageService>,
        timing: Timing,
    ) -> std::io::Result<Bound> {
        let conn_listener = tokio::net::TcpListener::bind(args.connections_addr).await?;
        let ws_listener = tokio::net::TcpListener::bind(ws_addr).await?;
        let bound = Bound { ws: ws_listener.local_addr()?, connections: conn_listener.local_addr()? };
        let endpoint = if args.connections_url.is_empty() {
            format!("http://{}", bound.connections)
        } else {
            args.connections_url.trim_end_matches('/').to_string()
        };
        let cfg = GatewayConfig { max_connections: args.ws_max_connections, multi_login: policy, ..Default::default() };
        let deps = GatewayDeps {
            store: self.store.clone(),
            env: self.env.clone(),
            verifier,
            messaging,
            pusher: self.hub.clone(),
        };
        let gateway = Arc::new(Gateway::new(cfg, deps));
        let ws_state = Arc::new(ws::WsState {
            gateway,
            hub: self.hub.clone(),
            endpoint,
            read_wait: timing.read_wait,
            ping_period: timing.ping_period,
        });
        let ws_router = Router::new().fallback(ws::entry).with_state(ws_state);
        let conn_state = Arc::new(connections::ConnState {
            hub: self.hub.clone(),
            creds: sigv4::Credentials {
                access_key: args.connections_access_key.clone(),
                secret_key: args.connections_secret_key.clone(),
            },
            clock: self.env.clock.clone(),
        });
        let conn_router = Router::new().fallback(connections::entry).with_state(conn_state);
        tokio::spawn(async move {
            let svc = ws_router.into_make_service_with_connect_info::<SocketAddr>();
            // Small frames both ways: no Nagle delay.
            let listener = ws_listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            if let Err(e) = axum::serve(listener, svc).await {
                tracing::error!(error = %e, "websocket listener stopped");
            }
        });
        tokio::spawn(async move {
            if let Err(e) = axum::serve(conn_listener, conn_router).await {
                tracing::error!(error = %e, "@connections listener stopped");
            }
        });
        Ok(bound)
    }
}
