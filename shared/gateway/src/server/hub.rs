//! The connections of this process and the [`ConnectionPusher`] that writes straight to them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, KICK_ONLINE_MSG, PUSH_MSG, PostOutcome, ServerFrame};
use tokio::sync::{Notify, mpsc};

use crate::frames::{self, Outbound};
use crate::session::Session;

/// Frames each connection may have queued before it counts as stuck and is closed.
pub const OUTBOUND_QUEUE: usize = 256;

/// What a connection's writer task sends.
#[derive(Debug)]
pub(crate) enum WireOut {
    /// An envelope or heartbeat frame.
    Frame(Outbound),
    /// A WebSocket ping (server keep-alive).
    Ping,
}

/// One local connection.
pub(crate) struct LocalConn {
    pub session: Arc<Session>,
    tx: mpsc::Sender<WireOut>,
    kill: Arc<Notify>,
    /// Last inbound frame, Unix milliseconds.
    pub last_active: Arc<AtomicI64>,
}

impl LocalConn {
    /// Queues a frame; a full queue closes the connection.
    fn send(&self, out: WireOut) -> bool {
        match self.tx.try_send(out) {
            Ok(()) => true,
            Err(_) => {
                self.kill.notify_one();
                false
            }
        }
    }
}

/// The connections of this process, by connection ID and by user.
#[derive(Default)]
pub struct Hub {
    conns: Mutex<Conns>,
}

/// The hub's two indexes, changed together under one lock.
#[derive(Default)]
struct Conns {
    by_id: HashMap<String, Arc<LocalConn>>,
    by_user: HashMap<(TenantId, String), Vec<Arc<LocalConn>>>,
}

impl Conns {
    fn insert(&mut self, conn: Arc<LocalConn>) {
        let s = &conn.session;
        if let Some(old) = self.by_id.insert(s.conn_id.clone(), conn.clone()) {
            self.unlink(&old);
        }
        self.by_user.entry((s.tenant.clone(), s.user_id.clone())).or_default().push(conn);
    }

    fn remove(&mut self, conn_id: &str) {
        if let Some(old) = self.by_id.remove(conn_id) {
            self.unlink(&old);
        }
    }

    /// Drops `conn` from its user's list (and the list when it was the last).
    fn unlink(&mut self, conn: &Arc<LocalConn>) {
        let key = (conn.session.tenant.clone(), conn.session.user_id.clone());
        if let Some(list) = self.by_user.get_mut(&key) {
            list.retain(|c| !Arc::ptr_eq(c, conn));
            if list.is_empty() {
                self.by_user.remove(&key);
            }
        }
    }
}

/// Handles a connection task keeps.
pub(crate) struct Registered {
    pub rx: mpsc::Receiver<WireOut>,
    pub tx: mpsc::Sender<WireOut>,
    pub kill: Arc<Notify>,
    pub last_active: Arc<AtomicI64>,
}

impl Hub {
    /// An empty hub.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Conns> {
        self.conns.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a connection; `first` is queued before anything else can be.
    pub(crate) fn insert(&self, session: Arc<Session>, first: Option<Outbound>) -> Registered {
        let (tx, rx) = mpsc::channel(OUTBOUND_QUEUE);
        if let Some(f) = first {
            let _ = tx.try_send(WireOut::Frame(f));
        }
        let kill = Arc::new(Notify::new());
        let last_active = Arc::new(AtomicI64::new(session.connected_at));
        let conn = LocalConn {
            session: session.clone(),
            tx: tx.clone(),
            kill: kill.clone(),
            last_active: last_active.clone(),
        };
        self.lock().insert(Arc::new(conn));
        Registered { rx, tx, kill, last_active }
    }

    /// Forgets a connection.
    pub(crate) fn remove(&self, conn_id: &str) {
        self.lock().remove(conn_id);
    }

    pub(crate) fn get(&self, conn_id: &str) -> Option<Arc<LocalConn>> {
        self.lock().by_id.get(conn_id).cloned()
    }

    /// Number of local connections.
    pub fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Whether there are no local connections.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Delivers a server frame to a local connection by ID (the `@connections` API). A 2001
    /// push to an iOS connection in the background is skipped (OpenIM's 1604; callers check the
    /// record's background flag first, this catches a flag that changed since) and reported as
    /// delivered, since the connection is alive; a 2002 kick closes the connection after the
    /// frame.
    pub fn deliver(&self, conn_id: &str, frame: &ServerFrame) -> PostOutcome {
        match self.get(conn_id) {
            Some(conn) => Self::deliver_to(&conn, frame),
            None => PostOutcome::Gone,
        }
    }

    /// [`Hub::deliver`] to a connection already looked up.
    fn deliver_to(conn: &LocalConn, frame: &ServerFrame) -> PostOutcome {
        let s = &conn.session;
        if frame.req_identifier == PUSH_MSG && frames::skips_push(s.platform_id, s.background()) {
            return PostOutcome::Delivered;
        }
        let out = frames::encode_for(s, &frames::frame_resp(frame));
        if !conn.send(WireOut::Frame(out)) {
            return PostOutcome::Gone;
        }
        if frame.req_identifier == KICK_ONLINE_MSG {
            conn.kill.notify_one();
        }
        PostOutcome::Delivered
    }

    /// Closes a local connection by ID.
    pub fn close_conn(&self, conn_id: &str) -> PostOutcome {
        match self.get(conn_id) {
            Some(conn) => {
                conn.kill.notify_one();
                PostOutcome::Delivered
            }
            None => PostOutcome::Gone,
        }
    }

    /// The local connection of `record`, if it is this tenant's and user's.
    fn matching(&self, tenant: &TenantId, record: &ConnectionRecord) -> Option<Arc<LocalConn>> {
        self.get(&record.conn_id).filter(|c| c.session.tenant == *tenant && c.session.user_id == record.user_id)
    }
}

/// The pusher of a single-process deployment: connections that are not local are gone (their
/// records belong to a process that no longer runs).
#[async_trait]
impl ConnectionPusher for Hub {
    async fn post(&self, tenant: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome> {
        Ok(match self.matching(tenant, record) {
            Some(conn) => Self::deliver_to(&conn, frame),
            None => PostOutcome::Gone,
        })
    }

    async fn close(&self, tenant: &TenantId, record: &ConnectionRecord) -> ImResult<PostOutcome> {
        Ok(match self.matching(tenant, record) {
            Some(conn) => {
                conn.kill.notify_one();
                PostOutcome::Delivered
            }
            None => PostOutcome::Gone,
        })
    }

    /// This process's connections of the user: in a single process they are all there are
    /// (any other record is [`PostOutcome::Gone`] to [`Hub::post`]).
    fn live_connections(&self, tenant: &TenantId, user_id: &str) -> Option<Vec<ConnectionRecord>> {
        let conns = self.lock();
        let list = conns.by_user.get(&(tenant.clone(), user_id.to_string()));
        Some(list.map(|l| l.iter().map(|c| c.session.record(0)).collect()).unwrap_or_default())
    }
}

/// The pusher of a process that shares its store with other front doors (other im-server
/// nodes, API Gateway): this process's connections directly, every other record through
/// `remote` (the management API its record names). It lists no connections itself, so the push
/// stage reads the registry.
pub struct SharedPusher {
    hub: Arc<Hub>,
    remote: Arc<dyn ConnectionPusher>,
}

impl SharedPusher {
    /// Local connections through `hub`, the rest through `remote`.
    pub fn new(hub: Arc<Hub>, remote: Arc<dyn ConnectionPusher>) -> Self {
        SharedPusher { hub, remote }
    }
}

#[async_trait]
impl ConnectionPusher for SharedPusher {
    async fn post(&self, tenant: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome> {
        match self.hub.matching(tenant, record) {
            Some(conn) => Ok(Hub::deliver_to(&conn, frame)),
            None => self.remote.post(tenant, record, frame).await,
        }
    }

    async fn close(&self, tenant: &TenantId, record: &ConnectionRecord) -> ImResult<PostOutcome> {
        // The hub answers Gone only for a record that is not one of its connections.
        match self.hub.close(tenant, record).await? {
            PostOutcome::Gone => self.remote.close(tenant, record).await,
            local => Ok(local),
        }
    }

    async fn post_envelope(&self, tenant: &TenantId, record: &ConnectionRecord, body: &[u8]) -> ImResult<PostOutcome> {
        self.remote.post_envelope(tenant, record, body).await
    }
}

/// The current value of an activity stamp.
pub(crate) fn stamp(a: &AtomicI64) -> i64 {
    a.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::ConnectInfo;
    use im_wire::ws::Encoding;

    fn session(tenant: &TenantId, user: &str, conn: &str, platform_id: i32) -> Arc<Session> {
        Arc::new(Session::new(
            tenant.clone(),
            user.into(),
            platform_id,
            conn.into(),
            false,
            Encoding::Gob,
            false,
            "sig".into(),
            "op".into(),
            &ConnectInfo::default(),
            1,
            false,
        ))
    }

    fn listed(hub: &Hub, t: &TenantId, user: &str) -> Vec<(String, i32, bool)> {
        let mut l: Vec<_> = hub
            .live_connections(t, user)
            .expect("the hub lists its connections")
            .into_iter()
            .map(|r| (r.conn_id, r.platform_id, r.background))
            .collect();
        l.sort();
        l
    }

    #[test]
    fn live_connections_follow_inserts_removals_and_background() {
        let (t, other) = (TenantId::default_tenant(), TenantId::parse("acme").unwrap());
        let hub = Hub::new();
        let phone = session(&t, "u1", "c1", 1);
        let _r1 = hub.insert(phone.clone(), None);
        let _r2 = hub.insert(session(&t, "u1", "c2", 5), None);
        let _r3 = hub.insert(session(&t, "u2", "c3", 1), None);
        let _r4 = hub.insert(session(&other, "u1", "c4", 2), None);
        assert_eq!(listed(&hub, &t, "u1"), vec![("c1".into(), 1, false), ("c2".into(), 5, false)]);
        assert_eq!(listed(&hub, &other, "u1"), vec![("c4".into(), 2, false)]);
        assert_eq!(listed(&hub, &t, "nobody"), vec![]);

        phone.set_background(true);
        assert_eq!(listed(&hub, &t, "u1")[0], ("c1".into(), 1, true));

        hub.remove("c2");
        hub.remove("c2");
        assert_eq!(listed(&hub, &t, "u1"), vec![("c1".into(), 1, true)]);
        hub.remove("c1");
        assert_eq!(listed(&hub, &t, "u1"), vec![]);
        assert!(!hub.lock().by_user.contains_key(&(t.clone(), "u1".to_string())), "an empty list is dropped");
        assert_eq!((hub.len(), listed(&hub, &t, "u2").len()), (2, 1));

        // A reused connection ID replaces the old connection in both indexes.
        let _r5 = hub.insert(session(&t, "u9", "c3", 3), None);
        assert_eq!((listed(&hub, &t, "u2"), listed(&hub, &t, "u9")), (vec![], vec![("c3".into(), 3, false)]));
        assert_eq!(hub.len(), 2);
    }

    /// Records what reaches it.
    #[derive(Default)]
    struct Remote {
        calls: Mutex<Vec<String>>,
    }

    #[async_trait]
    impl ConnectionPusher for Remote {
        async fn post(&self, _: &TenantId, r: &ConnectionRecord, _: &ServerFrame) -> ImResult<PostOutcome> {
            self.calls.lock().unwrap().push(format!("post {}", r.conn_id));
            Ok(PostOutcome::Gone)
        }
        async fn close(&self, _: &TenantId, r: &ConnectionRecord) -> ImResult<PostOutcome> {
            self.calls.lock().unwrap().push(format!("close {}", r.conn_id));
            Ok(PostOutcome::Delivered)
        }
        async fn post_envelope(&self, _: &TenantId, r: &ConnectionRecord, _: &[u8]) -> ImResult<PostOutcome> {
            self.calls.lock().unwrap().push(format!("envelope {}", r.conn_id));
            Ok(PostOutcome::Delivered)
        }
    }

    #[tokio::test]
    async fn a_shared_pusher_writes_local_connections_and_posts_the_rest() {
        let t = TenantId::default_tenant();
        let hub = Arc::new(Hub::new());
        let mut local = hub.insert(session(&t, "u1", "c1", 1), None);
        let remote = Arc::new(Remote::default());
        let p = SharedPusher::new(hub.clone(), remote.clone());
        assert!(p.live_connections(&t, "u1").is_none(), "other front doors' connections are in the registry");

        let frame = ServerFrame { req_identifier: PUSH_MSG, operation_id: "op".into(), data: vec![] };
        let rec = |user: &str, conn: &str| ConnectionRecord {
            user_id: user.into(),
            conn_id: conn.into(),
            ..Default::default()
        };
        assert_eq!(p.post(&t, &rec("u1", "c1"), &frame).await.unwrap(), PostOutcome::Delivered);
        assert!(matches!(local.rx.try_recv(), Ok(WireOut::Frame(_))), "written to the local socket");
        assert_eq!(p.post(&t, &rec("u1", "elsewhere"), &frame).await.unwrap(), PostOutcome::Gone);
        // Same connection ID, another user: not this process's connection.
        assert_eq!(p.post(&t, &rec("u2", "c1"), &frame).await.unwrap(), PostOutcome::Gone);
        assert!(local.rx.try_recv().is_err());
        assert_eq!(p.close(&t, &rec("u1", "c1")).await.unwrap(), PostOutcome::Delivered);
        assert_eq!(p.close(&t, &rec("u3", "apigw-1")).await.unwrap(), PostOutcome::Delivered);
        assert_eq!(p.post_envelope(&t, &rec("u3", "apigw-1"), b"{}").await.unwrap(), PostOutcome::Delivered);
        assert_eq!(*remote.calls.lock().unwrap(), ["post elsewhere", "post c1", "close apigw-1", "envelope apigw-1"]);
    }
}
