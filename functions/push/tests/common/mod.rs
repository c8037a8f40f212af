//! Shared helpers of the push function's tests.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_domain::clock::{Clock, SystemClock};
use im_domain::store::DynStore;
use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, ConnectionRegistry, PostOutcome, ServerFrame};

/// Records every frame posted: (user, connection, frame).
#[derive(Default)]
pub struct RecordingPusher(pub Mutex<Vec<(String, String, ServerFrame)>>);

impl RecordingPusher {
    /// Frames posted to `user`.
    pub fn to(&self, user: &str) -> Vec<ServerFrame> {
        self.0.lock().unwrap().iter().filter(|(u, _, _)| u == user).map(|(_, _, f)| f.clone()).collect()
    }
}

#[async_trait]
impl ConnectionPusher for RecordingPusher {
    async fn post(&self, _: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome> {
        self.0.lock().unwrap().push((record.user_id.clone(), record.conn_id.clone(), frame.clone()));
        Ok(PostOutcome::Delivered)
    }
    async fn close(&self, _: &TenantId, _: &ConnectionRecord) -> ImResult<PostOutcome> {
        Ok(PostOutcome::Delivered)
    }
}

/// Registers a live desktop connection of `user`.
pub async fn connect(store: &DynStore, t: &TenantId, user: &str, conn: &str) {
    let clock = Arc::new(SystemClock);
    let now = clock.now_ms();
    let rec = ConnectionRecord {
        user_id: user.into(),
        conn_id: conn.into(),
        platform_id: 3,
        endpoint: "test".into(),
        connected_at: now,
        ttl: now / 1000 + 3600,
        ..ConnectionRecord::default()
    };
    ConnectionRegistry::new(store.clone(), clock).put(t, &rec).await.expect("register connection");
}
