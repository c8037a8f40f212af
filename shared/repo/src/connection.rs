//! Live WebSocket connections (`CONN#<userID>` / `<connectionID>`) and the port that delivers
//! server frames to them.
//!
//! The gateway that owns a connection writes its record on connect and deletes it on disconnect;
//! records also carry a `ttl` (refreshed while the connection lives) so a crashed node's records
//! disappear by themselves. Readers ignore records whose ttl has passed (DynamoDB deletes expired
//! items lazily).
//!
//! Delivery goes through [`ConnectionPusher`]: im-server's gateway writes straight to its local
//! sockets; a Lambda posts to the record's `endpoint` (API Gateway's management API, or an
//! im-server node's `@connections` endpoint, which speaks the same API).

use async_trait::async_trait;
use im_domain::clock::Clock;
use im_domain::store::{BatchWrite, Condition, Consistency, DynStore, Item, Key, Query, StoreError, TTL_ATTR, Update};
use im_domain::{ErrCode, ImError, ImResult, TenantId};

use crate::keys;

fn connection_key(tenant: &TenantId, user_id: &str, conn_id: &str) -> Key {
    keys::connection(tenant, user_id, conn_id)
}

/// Partition prefix of connection pointers (`WSCONN#<connectionID>`).
pub const POINTER_PK_PREFIX: &str = "WSCONN#";

/// Sort key of a connection pointer.
pub const POINTER_SK: &str = "ptr";

/// Key of the pointer of an API Gateway connection: `WSCONN#<connectionID>` / `ptr`, in the
/// default tenant's key space. API Gateway's `$default` and `$disconnect` events carry nothing
/// but the connection ID, so the pointer must be found without knowing the tenant; it names the
/// connection's tenant and user (API Gateway assigns the IDs, so they cannot collide across
/// tenants).
pub fn pointer_key(conn_id: &str) -> Key {
    Key::new(&TenantId::default_tenant(), format!("{POINTER_PK_PREFIX}{conn_id}"), POINTER_SK)
}

/// What sits behind a record's `endpoint`, which decides what a poster sends there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EndpointKind {
    /// An im-server gateway node's `@connections` API: the posted body is the frame's protobuf
    /// payload and the node encodes the envelope per connection (gob/JSON, gzip).
    #[default]
    Node,
    /// API Gateway's management API: the posted body is the finished frame (JSON envelope, sent
    /// to the client as is).
    ApiGateway,
}

impl EndpointKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Node => "node",
            EndpointKind::ApiGateway => "apigw",
        }
    }

    /// Parses the stored form (unknown values read as [`EndpointKind::Node`]).
    pub fn parse(s: &str) -> Self {
        if s == "apigw" { EndpointKind::ApiGateway } else { EndpointKind::Node }
    }
}

/// One live connection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConnectionRecord {
    /// Connected user.
    pub user_id: String,
    /// Connection ID (unique per gateway; URL-safe).
    pub conn_id: String,
    /// Platform of the connection's token.
    pub platform_id: i32,
    /// Base URL of the management API that reaches the connection (`…/@connections/<id>`).
    pub endpoint: String,
    /// What `endpoint` is.
    pub kind: EndpointKind,
    /// Envelope encoding of the connection: `gob` or `json`.
    pub encoding: String,
    /// Whether frames are gzip-compressed.
    pub gzip: bool,
    /// App-in-background flag (iOS connections flagged background are not pushed online).
    pub background: bool,
    /// Key of the token the connection authenticated with: hex SHA-256 of its signature segment
    /// (`im_auth::jwt::token_key`; neither the token nor its signature is stored).
    pub token_sig: String,
    /// Connect time, Unix milliseconds.
    pub connected_at: i64,
    /// Expiry, Unix seconds.
    pub ttl: i64,
}

mod attr {
    pub const PLATFORM_ID: &str = "platformID";
    pub const ENDPOINT: &str = "endpoint";
    pub const KIND: &str = "kind";
    pub const ENCODING: &str = "enc";
    pub const GZIP: &str = "gzip";
    pub const BACKGROUND: &str = "background";
    pub const TOKEN_SIG: &str = "tokenSig";
    pub const CONNECTED_AT: &str = "connectedAt";
    pub const TENANT: &str = "tenant";
    pub const USER_ID: &str = "userID";
}

/// The pointer item of an API Gateway connection's record (see [`pointer_key`]).
fn pointer_item(tenant: &TenantId, record: &ConnectionRecord) -> Item {
    Item::new(pointer_key(&record.conn_id))
        .with(attr::TENANT, tenant.as_str())
        .with(attr::USER_ID, record.user_id.as_str())
        .with(TTL_ATTR, record.ttl)
}

impl ConnectionRecord {
    /// The store item of this record.
    pub fn to_item(&self, tenant: &TenantId) -> Item {
        Item::new(connection_key(tenant, &self.user_id, &self.conn_id))
            .with(attr::PLATFORM_ID, self.platform_id)
            .with(attr::ENDPOINT, self.endpoint.as_str())
            .with(attr::KIND, self.kind.as_str())
            .with(attr::ENCODING, self.encoding.as_str())
            .with(attr::GZIP, self.gzip)
            .with(attr::BACKGROUND, self.background)
            .with(attr::TOKEN_SIG, self.token_sig.as_str())
            .with(attr::CONNECTED_AT, self.connected_at)
            .with(TTL_ATTR, self.ttl)
    }

    /// Reads a record from its item (missing attributes are zero values).
    pub fn from_item(item: &Item) -> Self {
        let s = |n: &str| item.s(n).unwrap_or_default().to_string();
        ConnectionRecord {
            user_id: item.key.pk.strip_prefix("CONN#").unwrap_or_default().to_string(),
            conn_id: item.key.sk.clone(),
            platform_id: i32::try_from(item.n(attr::PLATFORM_ID).unwrap_or_default()).unwrap_or_default(),
            endpoint: s(attr::ENDPOINT),
            kind: EndpointKind::parse(item.s(attr::KIND).unwrap_or_default()),
            encoding: s(attr::ENCODING),
            gzip: item.bool(attr::GZIP).unwrap_or(false),
            background: item.bool(attr::BACKGROUND).unwrap_or(false),
            token_sig: s(attr::TOKEN_SIG),
            connected_at: item.n(attr::CONNECTED_AT).unwrap_or_default(),
            ttl: item.n(TTL_ATTR).unwrap_or_default(),
        }
    }
}

/// Store-backed registry of live connections.
#[derive(Clone)]
pub struct ConnectionRegistry {
    store: DynStore,
    clock: std::sync::Arc<dyn Clock>,
}

impl ConnectionRegistry {
    /// A registry on `store`; `clock` decides which records have expired.
    pub fn new(store: DynStore, clock: std::sync::Arc<dyn Clock>) -> Self {
        ConnectionRegistry { store, clock }
    }

    /// Writes (or replaces) a record. An [`EndpointKind::ApiGateway`] record is written together
    /// with its pointer (one batch), so [`ConnectionRegistry::find`] reaches it by connection ID.
    pub async fn put(&self, tenant: &TenantId, record: &ConnectionRecord) -> ImResult<()> {
        if record.kind == EndpointKind::ApiGateway {
            let writes = vec![BatchWrite::Put(record.to_item(tenant)), BatchWrite::Put(pointer_item(tenant, record))];
            return Ok(self.store.batch_write(writes).await?);
        }
        Ok(self.store.put(record.to_item(tenant), None).await?)
    }

    /// Deletes a record (no error when it is already gone), and the pointer of an API Gateway
    /// record.
    pub async fn remove(&self, tenant: &TenantId, user_id: &str, conn_id: &str) -> ImResult<()> {
        let old = self.store.delete(&connection_key(tenant, user_id, conn_id), None).await?;
        if old.is_some_and(|i| EndpointKind::parse(i.s(attr::KIND).unwrap_or_default()) == EndpointKind::ApiGateway) {
            self.store.delete(&pointer_key(conn_id), None).await?;
        }
        Ok(())
    }

    /// The tenant and record of a connection known only by its ID (API Gateway's `$default` and
    /// `$disconnect`): `None` when there is no unexpired pointer or record. Two strongly
    /// consistent reads.
    pub async fn find(&self, conn_id: &str) -> ImResult<Option<(TenantId, ConnectionRecord)>> {
        let Some(ptr) = self.store.get(&pointer_key(conn_id), Consistency::Strong).await? else {
            return Ok(None);
        };
        let ttl = ptr.n(TTL_ATTR).unwrap_or_default();
        if ttl != 0 && ttl <= self.clock.now_s() {
            return Ok(None);
        }
        let (Some(tenant), Some(user_id)) = (ptr.s(attr::TENANT), ptr.s(attr::USER_ID)) else {
            return Ok(None);
        };
        let Ok(tenant) = TenantId::parse(tenant) else {
            return Ok(None);
        };
        Ok(self.get(&tenant, user_id, conn_id).await?.map(|r| (tenant, r)))
    }

    /// Deletes the pointer of a connection ID (a pointer whose record is already gone).
    pub async fn remove_pointer(&self, conn_id: &str) -> ImResult<()> {
        self.store.delete(&pointer_key(conn_id), None).await?;
        Ok(())
    }

    /// Updates the background flag of an existing record; `Ok(false)` when it is gone.
    pub async fn set_background(&self, tenant: &TenantId, user_id: &str, conn_id: &str, bg: bool) -> ImResult<bool> {
        let key = connection_key(tenant, user_id, conn_id);
        match self.store.update(&key, &Update::new().set(attr::BACKGROUND, bg), Some(Condition::ItemExists)).await {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Moves the expiry of an existing record; `Ok(false)` when it is gone.
    pub async fn refresh(&self, tenant: &TenantId, user_id: &str, conn_id: &str, ttl: i64) -> ImResult<bool> {
        let key = connection_key(tenant, user_id, conn_id);
        match self.store.update(&key, &Update::new().set(TTL_ATTR, ttl), Some(Condition::ItemExists)).await {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// One record, if it exists and has not expired.
    pub async fn get(&self, tenant: &TenantId, user_id: &str, conn_id: &str) -> ImResult<Option<ConnectionRecord>> {
        let item = self.store.get(&connection_key(tenant, user_id, conn_id), Consistency::Strong).await?;
        let now = self.clock.now_s();
        Ok(item.map(|i| ConnectionRecord::from_item(&i)).filter(|r| r.ttl == 0 || r.ttl > now))
    }

    /// A user's unexpired connections, in connection-ID order.
    pub async fn list(&self, tenant: &TenantId, user_id: &str) -> ImResult<Vec<ConnectionRecord>> {
        let now = self.clock.now_s();
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.store.query(&Query::partition(tenant, keys::conn_pk(user_id)).after(cursor)).await?;
            out.extend(page.items.iter().map(ConnectionRecord::from_item).filter(|r| r.ttl == 0 || r.ttl > now));
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => return Ok(out),
            }
        }
    }
}

/// A server frame for one connection: what the envelope carries besides the request echo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerFrame {
    /// 2001 push, 2002 kick, 2005 online-status tips.
    pub req_identifier: i32,
    /// Trace ID of the operation that caused the frame.
    pub operation_id: String,
    /// Protobuf payload (`PushMessages` for 2001; empty for 2002).
    pub data: Vec<u8>,
}

/// Request identifier of a message push (`PushMessages` payload).
pub const PUSH_MSG: i32 = 2001;
/// Request identifier of a kick (no payload; the connection is closed after it).
pub const KICK_ONLINE_MSG: i32 = 2002;
/// Request identifier of an online-status change (`SubUserOnlineStatusTips` payload).
pub const SUB_USER_ONLINE_STATUS: i32 = 2005;

/// Result of a delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOutcome {
    /// Handed to the connection.
    Delivered,
    /// The connection no longer exists (HTTP 410); its record should be removed.
    Gone,
}

/// Delivers server frames to live connections and closes them.
#[async_trait]
pub trait ConnectionPusher: Send + Sync {
    /// Sends one frame to the connection of `record`.
    async fn post(&self, tenant: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome>;

    /// Closes the connection of `record` (a kick sends a 2002 frame first).
    async fn close(&self, tenant: &TenantId, record: &ConnectionRecord) -> ImResult<PostOutcome>;

    /// Every live connection of `user_id`, when this pusher itself holds all the connections it
    /// can reach (the gateway of a single process, which answers [`PostOutcome::Gone`] for any
    /// other record): the push stage then lists them here instead of querying the
    /// [`ConnectionRegistry`]. `None` (the default): ask the registry.
    fn live_connections(&self, tenant: &TenantId, user_id: &str) -> Option<Vec<ConnectionRecord>> {
        let _ = (tenant, user_id);
        None
    }

    /// Sends a finished envelope (bytes the client receives as they are: a response with its
    /// msgIncr, a pong) to an [`EndpointKind::ApiGateway`] connection. Only front doors that
    /// cannot write to the socket themselves (the API Gateway WebSocket Lambda answers its
    /// `$default` route this way) need it; by default it is refused.
    async fn post_envelope(&self, tenant: &TenantId, record: &ConnectionRecord, body: &[u8]) -> ImResult<PostOutcome> {
        let _ = (tenant, body);
        Err(ImError::new(
            ErrCode::ServerInternal,
            format!("this pusher cannot post finished envelopes (connection {})", record.conn_id),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use im_domain::clock::ManualClock;
    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn records_round_trip_expire_and_update() {
        let clock = Arc::new(ManualClock::new(1_000_000));
        let reg = ConnectionRegistry::new(Arc::new(MemStore::new()), clock.clone());
        let t = TenantId::default_tenant();
        let rec = ConnectionRecord {
            user_id: "u1".into(),
            conn_id: "c1".into(),
            platform_id: 5,
            endpoint: "http://127.0.0.1:10003".into(),
            kind: EndpointKind::Node,
            encoding: "gob".into(),
            gzip: true,
            background: false,
            token_sig: "sig".into(),
            connected_at: 1_000_000,
            ttl: 1_100,
        };
        reg.put(&t, &rec).await.unwrap();
        assert_eq!(reg.list(&t, "u1").await.unwrap(), vec![rec.clone()]);
        assert!(reg.list(&TenantId::parse("other").unwrap(), "u1").await.unwrap().is_empty());
        assert!(reg.set_background(&t, "u1", "c1", true).await.unwrap());
        assert!(reg.get(&t, "u1", "c1").await.unwrap().unwrap().background);
        assert!(!reg.set_background(&t, "u1", "nope", true).await.unwrap());
        // Expired records are invisible until refreshed.
        clock.set(1_200_000);
        assert!(reg.list(&t, "u1").await.unwrap().is_empty());
        assert!(reg.refresh(&t, "u1", "c1", 1_300).await.unwrap());
        assert_eq!(reg.list(&t, "u1").await.unwrap().len(), 1);
        reg.remove(&t, "u1", "c1").await.unwrap();
        reg.remove(&t, "u1", "c1").await.unwrap();
        assert!(reg.get(&t, "u1", "c1").await.unwrap().is_none());
        assert_eq!(EndpointKind::parse("apigw"), EndpointKind::ApiGateway);
    }

    #[tokio::test]
    async fn api_gateway_records_are_found_by_connection_id() {
        let clock = Arc::new(ManualClock::new(1_000_000));
        let store: DynStore = Arc::new(MemStore::new());
        let reg = ConnectionRegistry::new(store.clone(), clock.clone());
        let t = TenantId::parse("acme").unwrap();
        let rec = ConnectionRecord {
            user_id: "u1".into(),
            conn_id: "Ab1=".into(),
            platform_id: 5,
            endpoint: "https://api.example/prod".into(),
            kind: EndpointKind::ApiGateway,
            encoding: "json".into(),
            ttl: 1_100,
            ..ConnectionRecord::default()
        };
        reg.put(&t, &rec).await.unwrap();
        assert_eq!(reg.find("Ab1=").await.unwrap(), Some((t.clone(), rec.clone())));
        assert_eq!(reg.list(&t, "u1").await.unwrap(), vec![rec.clone()]);
        assert!(reg.find("other").await.unwrap().is_none());
        // A node record has no pointer.
        let node = ConnectionRecord { conn_id: "n1".into(), kind: EndpointKind::Node, ..rec.clone() };
        reg.put(&t, &node).await.unwrap();
        assert!(reg.find("n1").await.unwrap().is_none());
        assert!(store.get(&pointer_key("n1"), Consistency::Strong).await.unwrap().is_none());
        // Expired: invisible.
        clock.set(1_200_000);
        assert!(reg.find("Ab1=").await.unwrap().is_none());
        clock.set(1_000_000);
        // Removing the record removes the pointer too.
        reg.remove(&t, "u1", "Ab1=").await.unwrap();
        assert!(reg.find("Ab1=").await.unwrap().is_none());
        assert!(store.get(&pointer_key("Ab1="), Consistency::Strong).await.unwrap().is_none());
        // A dangling pointer (record gone) finds nothing and can be removed.
        reg.put(&t, &rec).await.unwrap();
        store.delete(&connection_key(&t, "u1", "Ab1="), None).await.unwrap();
        assert!(reg.find("Ab1=").await.unwrap().is_none());
        reg.remove_pointer("Ab1=").await.unwrap();
        assert!(store.get(&pointer_key("Ab1="), Consistency::Strong).await.unwrap().is_none());
    }
}
