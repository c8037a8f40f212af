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

/// The connections of this process, by connection ID.
#[derive(Default)]
pub struct Hub {
    conns: Mutex<HashMap<String, Arc<LocalConn>>>,
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

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<LocalConn>>> {
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
        self.lock().insert(session.conn_id.clone(), Arc::new(conn));
        Registered { rx, tx, kill, last_active }
    }

    /// Forgets a connection.
    pub(crate) fn remove(&self, conn_id: &str) {
        self.lock().remove(conn_id);
    }

    pub(crate) fn get(&self, conn_id: &str) -> Option<Arc<LocalConn>> {
        self.lock().get(conn_id).cloned()
    }

    /// Number of local connections.
    pub fn len(&self) -> usize {
        self.lock().len()
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
}

/// The current value of an activity stamp.
pub(crate) fn stamp(a: &AtomicI64) -> i64 {
    a.load(Ordering::Relaxed)
}
