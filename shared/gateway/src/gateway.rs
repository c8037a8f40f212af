//! The gateway core, written once against API Gateway WebSocket semantics: a connection is
//! *authenticated* from its handshake parameters, *opened* (record written, multi-login applied,
//! presence announced), receives *frames*, and is *closed*. im-server's listener and the
//! WebSocket Lambda are thin front doors over [`Gateway`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use im_auth::Policy;
use im_auth::TokenVerifier;
use im_auth::state::TokenStateRepo;
use im_domain::clock::Env;
use im_domain::constants::token_state;
use im_domain::store::DynStore;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRegistry};
use im_wire::pb::sdkws::{SubUserOnlineStatusElem, SubUserOnlineStatusTips};

use crate::frames::{self, Outbound};
use crate::handshake::{self, Params};
use crate::kicker::kick_connection;
use crate::messaging::MessageService;
use crate::multilogin::{self, TokenAction};
use crate::presence::{self, Subscriptions};
use crate::session::{ConnectInfo, Session};

/// Default lifetime of a connection record; the front door refreshes it while the connection
/// lives (see [`Gateway::refresh`]).
pub const DEFAULT_RECORD_TTL_SECS: i64 = 6 * 3600;

/// Gateway settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayConfig {
    /// Most live connections of this process (`websocketMaxConnNum`); 0 = unlimited.
    pub max_connections: usize,
    /// Multi-login policy enforced at connect.
    pub multi_login: Policy,
    /// Lifetime of a connection record, seconds.
    pub record_ttl_secs: i64,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            max_connections: 100_000,
            multi_login: Policy::AllLoginButSameTermKick,
            record_ttl_secs: DEFAULT_RECORD_TTL_SECS,
        }
    }
}

/// What the gateway is built from.
#[derive(Clone)]
pub struct GatewayDeps {
    /// The store (connection records, token state).
    pub store: DynStore,
    /// Clock and IDs.
    pub env: Env,
    /// Token verification (im-auth).
    pub verifier: Arc<dyn TokenVerifier>,
    /// Messaging operations.
    pub messaging: Arc<dyn MessageService>,
    /// Delivery to connections (kicks, online-status frames).
    pub pusher: Arc<dyn ConnectionPusher>,
}

/// Why a handshake failed, and how to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The error.
    pub error: ImError,
    /// Answer inside the socket (upgrade, one text frame, close) rather than with HTTP 200.
    pub in_socket: bool,
}

impl Rejection {
    fn http(error: ImError) -> Self {
        Rejection { error, in_socket: false }
    }

    /// The JSON envelope of the error.
    pub fn body(&self) -> String {
        handshake::result_body(Some(&self.error))
    }
}

/// A frame from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inbound<'a> {
    /// Binary frame: a request envelope.
    Binary(&'a [u8]),
    /// Text frame: the heartbeat (or, on API Gateway, a JSON request envelope).
    Text(&'a [u8]),
}

/// What to do after a client frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameOutcome {
    /// Frames to send, in order.
    pub replies: Vec<Outbound>,
    /// Close the connection after sending them.
    pub close: bool,
}

impl FrameOutcome {
    pub(crate) fn close() -> Self {
        FrameOutcome { replies: Vec::new(), close: true }
    }
}

/// The gateway core.
pub struct Gateway {
    pub(crate) cfg: GatewayConfig,
    pub(crate) registry: ConnectionRegistry,
    tokens: TokenStateRepo,
    verifier: Arc<dyn TokenVerifier>,
    pub(crate) messaging: Arc<dyn MessageService>,
    pub(crate) pusher: Arc<dyn ConnectionPusher>,
    pub(crate) env: Env,
    pub(crate) presence: Subscriptions,
    live: AtomicUsize,
}

impl Gateway {
    /// A gateway.
    pub fn new(cfg: GatewayConfig, deps: GatewayDeps) -> Self {
        Gateway {
            cfg,
            registry: ConnectionRegistry::new(deps.store.clone(), deps.env.clock.clone()),
            tokens: TokenStateRepo::new(deps.store),
            verifier: deps.verifier,
            messaging: deps.messaging,
            pusher: deps.pusher,
            env: deps.env,
            presence: Subscriptions::new(),
            live: AtomicUsize::new(0),
        }
    }

    /// The connection registry.
    pub fn registry(&self) -> &ConnectionRegistry {
        &self.registry
    }

    /// Connections opened through this process and not closed yet.
    pub fn live_connections(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    /// Validates the handshake and verifies the token (no side effects). Errors follow §5.1:
    /// 1601, then 1602/500 (always HTTP), then 150x (in-socket when `isMsgResp`), then 1502.
    pub async fn authenticate(
        &self,
        params: &Params,
        header: &(dyn Fn(&str) -> Option<String> + Sync),
        info: &ConnectInfo,
    ) -> Result<Session, Rejection> {
        if self.cfg.max_connections > 0 && self.live_connections() >= self.cfg.max_connections {
            return Err(Rejection::http(ImError::new(ErrCode::ConnOverMaxNumLimit, "over max conn num limit")));
        }
        let hs = handshake::parse(params, header).map_err(Rejection::http)?;
        let verified = self
            .verifier
            .verify(&hs.tenant, &hs.token)
            .await
            .map_err(|error| Rejection { error, in_socket: hs.msg_resp })?;
        if verified.user_id != hs.user_id {
            let dlt = format!("token uid {} != userID {}", verified.user_id, hs.user_id);
            return Err(Rejection::http(ImError::new(ErrCode::TokenInvalid, dlt)));
        }
        if verified.platform_id != hs.platform_id {
            let dlt = format!("token platform {} != platformID {}", verified.platform_id, hs.platform_id);
            return Err(Rejection::http(ImError::new(ErrCode::TokenInvalid, dlt)));
        }
        let conn_id = if info.conn_id.is_empty() { self.env.ids.next_hex() } else { info.conn_id.clone() };
        let msg_resp = hs.msg_resp;
        let mut session = Session::new(
            hs.tenant,
            hs.user_id,
            hs.platform_id,
            conn_id,
            verified.is_admin,
            hs.encoding,
            hs.gzip,
            im_auth::jwt::token_key(&hs.token),
            hs.operation_id,
            info,
            self.env.clock.now_ms(),
            hs.background,
        );
        session.msg_resp = msg_resp;
        Ok(session)
    }

    /// Opens an authenticated connection once the front door can deliver to it: applies the
    /// multi-login policy (kicking other connections, invalidating tokens), writes the record
    /// and announces the user's new platform set to local subscribers.
    ///
    /// Every `open` (even a failed one) must be paired with a [`Gateway::close`].
    pub async fn open(&self, session: &Session) -> ImResult<()> {
        self.live.fetch_add(1, Ordering::Relaxed);
        let tenant = &session.tenant;
        let existing = self.registry.list(tenant, &session.user_id).await?;
        let before = presence::online_platforms(&existing);
        let (kick, action) =
            multilogin::decide(self.cfg.multi_login, &existing, session.platform_id, &session.token_sig);
        for rec in &kick {
            kick_connection(self.pusher.as_ref(), &self.registry, tenant, rec, &session.operation_id).await?;
        }
        if let Err(e) = self.apply_token_action(tenant, &session.user_id, &action).await {
            tracing::warn!(user = %session.user_id, error = %e, "invalidating tokens at connect");
        }
        self.registry.put(tenant, &session.record(self.ttl())).await?;
        let mut after: Vec<_> = existing.into_iter().filter(|r| !kick.iter().any(|k| k.conn_id == r.conn_id)).collect();
        after.push(session.record(0));
        self.announce(tenant, &session.user_id, &before, &presence::online_platforms(&after)).await;
        Ok(())
    }

    /// Forgets a closed connection: deletes its record and subscriptions, announces the change.
    pub async fn close(&self, session: &Session) {
        self.presence.remove_connection(&session.conn_id);
        self.live.fetch_sub(1, Ordering::Relaxed);
        let tenant = &session.tenant;
        let listed = match self.registry.list(tenant, &session.user_id).await {
            Ok(list) => list,
            Err(e) => {
                tracing::warn!(conn = %session.conn_id, error = %e, "listing connections at close");
                Vec::new()
            }
        };
        if let Err(e) = self.registry.remove(tenant, &session.user_id, &session.conn_id).await {
            tracing::warn!(conn = %session.conn_id, error = %e, "removing a connection record");
        }
        let others: Vec<_> = listed.into_iter().filter(|r| r.conn_id != session.conn_id).collect();
        let mut with_self = others.clone();
        with_self.push(session.record(0));
        let (before, after) = (presence::online_platforms(&with_self), presence::online_platforms(&others));
        self.announce(tenant, &session.user_id, &before, &after).await;
    }

    /// Moves the record's expiry forward; `Ok(false)` when the record is gone (kicked).
    pub async fn refresh(&self, session: &Session) -> ImResult<bool> {
        self.registry.refresh(&session.tenant, &session.user_id, &session.conn_id, self.ttl()).await
    }

    fn ttl(&self) -> i64 {
        self.env.clock.now_s() + self.cfg.record_ttl_secs
    }

    /// Handles one client frame.
    pub async fn handle_frame(&self, session: &Session, frame: Inbound<'_>) -> FrameOutcome {
        match frame {
            Inbound::Text(text) => {
                if session.text_envelopes() && !looks_like_heartbeat(text) {
                    return self.handle_request_bytes(session, text, im_wire::ws::Encoding::Json, false).await;
                }
                match im_wire::ws::text_heartbeat_reply(text) {
                    Ok(Some(reply)) => FrameOutcome { replies: vec![Outbound::Text(reply)], close: false },
                    Ok(None) => FrameOutcome::default(),
                    Err(_) => FrameOutcome::close(),
                }
            }
            Inbound::Binary(bytes) => {
                if bytes.len() > im_wire::ws::MAX_FRAME_LEN {
                    return FrameOutcome::close();
                }
                self.handle_request_bytes(session, bytes, session.encoding, session.gzip).await
            }
        }
    }

    /// Marks tokens kicked per a multi-login decision (optimistic, retried on conflicts).
    async fn apply_token_action(&self, tenant: &TenantId, user_id: &str, action: &TokenAction) -> ImResult<()> {
        let targets: Vec<(i32, Option<String>, Vec<String>)> = match action {
            TokenAction::None => return Ok(()),
            TokenAction::InvalidateOthers { platform_id, preserve_sig } => {
                vec![(*platform_id, Some(preserve_sig.clone()), Vec::new())]
            }
            TokenAction::Kick(list) => {
                let mut by: std::collections::BTreeMap<i32, Vec<String>> = Default::default();
                for (p, s) in list {
                    by.entry(*p).or_default().push(s.clone());
                }
                by.into_iter().map(|(p, sigs)| (p, None, sigs)).collect()
            }
        };
        for (platform_id, preserve, sigs) in targets {
            for _ in 0..8 {
                let mut set = self.tokens.load(tenant, user_id, platform_id).await?;
                let mut changed = false;
                for t in &mut set.tokens {
                    let hit = match &preserve {
                        Some(keep) => &t.sig != keep,
                        None => sigs.contains(&t.sig),
                    };
                    if hit && t.state == token_state::NORMAL {
                        t.state = token_state::KICKED;
                        changed = true;
                    }
                }
                if !changed || self.tokens.save(tenant, user_id, &[set]).await? {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Sends unsolicited 2005 frames to local subscribers of `user_id` when its platform set
    /// changed.
    async fn announce(&self, tenant: &TenantId, user_id: &str, before: &[i32], after: &[i32]) {
        if before == after || !self.presence.is_watched(tenant, user_id) {
            return;
        }
        let tips = SubUserOnlineStatusTips {
            subscribers: vec![SubUserOnlineStatusElem {
                user_id: user_id.to_string(),
                online_platform_ids: after.to_vec(),
            }],
        };
        let frame = frames::status_frame(&tips, "");
        for sub in self.presence.watchers_of(tenant, user_id) {
            if let Err(e) = self.pusher.post(&sub.tenant, &sub.record, &frame).await {
                tracing::debug!(conn = %sub.record.conn_id, error = %e, "online-status frame");
            }
        }
    }
}

/// A text frame that is a heartbeat rather than a JSON request (has a `"type"` key).
fn looks_like_heartbeat(text: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(text)
        .map(|m| m.keys().any(|k| k.eq_ignore_ascii_case("type")))
        .unwrap_or(true)
}
