//! One authenticated connection, as the gateway core sees it (transport-agnostic).

use std::sync::atomic::{AtomicBool, Ordering};

use im_domain::TenantId;
use im_repo::connection::{ConnectionRecord, EndpointKind};
use im_wire::ws::Encoding;

/// An authenticated connection.
#[derive(Debug)]
pub struct Session {
    /// Tenant.
    pub tenant: TenantId,
    /// Connected user.
    pub user_id: String,
    /// Platform of the token.
    pub platform_id: i32,
    /// Connection ID.
    pub conn_id: String,
    /// Whether the user is an app admin.
    pub is_admin: bool,
    /// Envelope encoding.
    pub encoding: Encoding,
    /// Per-frame gzip.
    pub gzip: bool,
    /// Token key: hex SHA-256 of the token's signature (`im_auth::jwt::token_key`); multi-login
    /// decisions compare it with token state.
    pub token_sig: String,
    /// Trace ID of the handshake.
    pub operation_id: String,
    /// Management API that reaches this connection.
    pub endpoint: String,
    /// What `endpoint` is; [`EndpointKind::ApiGateway`] connections exchange JSON envelopes in
    /// text frames.
    pub kind: EndpointKind,
    /// Connect time, Unix milliseconds.
    pub connected_at: i64,
    /// Client address (informational).
    pub remote_addr: String,
    /// Client `User-Agent` (informational).
    pub user_agent: String,
    /// The client asked for the handshake result inside the socket (`isMsgResp`).
    pub msg_resp: bool,
    background: AtomicBool,
}

/// What a front door knows about a new connection besides its parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectInfo {
    /// Connection ID; empty to let the gateway generate one (32 hex digits).
    pub conn_id: String,
    /// Management API base URL that reaches the connection.
    pub endpoint: String,
    /// What the endpoint is.
    pub kind: EndpointKind,
    /// Client address.
    pub remote_addr: String,
    /// Client `User-Agent`.
    pub user_agent: String,
}

impl Session {
    /// A session with these fields.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        tenant: TenantId,
        user_id: String,
        platform_id: i32,
        conn_id: String,
        is_admin: bool,
        encoding: Encoding,
        gzip: bool,
        token_sig: String,
        operation_id: String,
        info: &ConnectInfo,
        connected_at: i64,
        background: bool,
    ) -> Self {
        Session {
            tenant,
            user_id,
            platform_id,
            conn_id,
            is_admin,
            encoding,
            gzip,
            token_sig,
            operation_id,
            endpoint: info.endpoint.clone(),
            kind: info.kind,
            connected_at,
            remote_addr: info.remote_addr.clone(),
            user_agent: info.user_agent.clone(),
            msg_resp: false,
            background: AtomicBool::new(background),
        }
    }

    /// Rebuilds a session from its stored record (stateless front doors such as a Lambda).
    pub fn from_record(tenant: TenantId, record: &ConnectionRecord, is_admin: bool) -> Self {
        let info = ConnectInfo {
            conn_id: record.conn_id.clone(),
            endpoint: record.endpoint.clone(),
            kind: record.kind,
            ..ConnectInfo::default()
        };
        let encoding = if record.encoding == "json" { Encoding::Json } else { Encoding::Gob };
        Session::new(
            tenant,
            record.user_id.clone(),
            record.platform_id,
            record.conn_id.clone(),
            is_admin,
            encoding,
            record.gzip,
            record.token_sig.clone(),
            String::new(),
            &info,
            record.connected_at,
            record.background,
        )
    }

    /// The app-in-background flag.
    pub fn background(&self) -> bool {
        self.background.load(Ordering::Relaxed)
    }

    /// Sets the app-in-background flag.
    pub fn set_background(&self, bg: bool) {
        self.background.store(bg, Ordering::Relaxed);
    }

    /// Whether envelopes travel as JSON text frames (API Gateway connections).
    pub fn text_envelopes(&self) -> bool {
        self.kind == EndpointKind::ApiGateway
    }

    /// The connection's stored record, expiring at `ttl` (Unix seconds).
    pub fn record(&self, ttl: i64) -> ConnectionRecord {
        ConnectionRecord {
            user_id: self.user_id.clone(),
            conn_id: self.conn_id.clone(),
            platform_id: self.platform_id,
            endpoint: self.endpoint.clone(),
            kind: self.kind,
            encoding: match self.encoding {
                Encoding::Gob => "gob".into(),
                Encoding::Json => "json".into(),
            },
            gzip: self.gzip,
            background: self.background(),
            token_sig: self.token_sig.clone(),
            connected_at: self.connected_at,
            ttl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trip() {
        let info = ConnectInfo { endpoint: "http://n".into(), kind: EndpointKind::ApiGateway, ..Default::default() };
        let s = Session::new(
            TenantId::default_tenant(),
            "u".into(),
            1,
            "c".into(),
            false,
            Encoding::Json,
            true,
            "sig".into(),
            "op".into(),
            &info,
            7,
            true,
        );
        let r = s.record(99);
        assert_eq!((r.encoding.as_str(), r.background, r.ttl, r.kind), ("json", true, 99, EndpointKind::ApiGateway));
        let back = Session::from_record(TenantId::default_tenant(), &r, false);
        assert_eq!((back.encoding, back.gzip, back.background()), (Encoding::Json, true, true));
        assert!(back.text_envelopes());
        back.set_background(false);
        assert!(!back.background());
    }
}
