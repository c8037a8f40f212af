//! Closing connections with a 2002 kick: forced logout (the [`ConnectionKicker`] port of
//! im-auth) and multi-login enforcement share this.

use std::sync::Arc;

use async_trait::async_trait;
use im_auth::ConnectionKicker;
use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, ConnectionRegistry};

use crate::frames;

/// Sends a 2002 kick frame to a connection, closes it and deletes its record. Delivery failures
/// are logged, never returned: the record goes either way.
pub async fn kick_connection(
    pusher: &dyn ConnectionPusher,
    registry: &ConnectionRegistry,
    tenant: &TenantId,
    record: &ConnectionRecord,
    operation_id: &str,
) -> ImResult<()> {
    if let Err(e) = pusher.post(tenant, record, &frames::kick_frame(operation_id)).await {
        tracing::warn!(conn = %record.conn_id, error = %e, "posting the kick frame");
    }
    if let Err(e) = pusher.close(tenant, record).await {
        tracing::warn!(conn = %record.conn_id, error = %e, "closing a kicked connection");
    }
    registry.remove(tenant, &record.user_id, &record.conn_id).await
}

/// Forced logout: kicks every connection of a user on a platform, wherever it is connected
/// (the records name the endpoint that reaches it).
#[derive(Clone)]
pub struct RegistryKicker {
    registry: ConnectionRegistry,
    pusher: Arc<dyn ConnectionPusher>,
}

impl RegistryKicker {
    /// A kicker over the connection registry and a pusher that reaches the connections.
    pub fn new(registry: ConnectionRegistry, pusher: Arc<dyn ConnectionPusher>) -> Self {
        RegistryKicker { registry, pusher }
    }
}

#[async_trait]
impl ConnectionKicker for RegistryKicker {
    async fn kick(&self, tenant: &TenantId, user_id: &str, platform_id: i32) -> ImResult<()> {
        for rec in self.registry.list(tenant, user_id).await? {
            if rec.platform_id == platform_id {
                kick_connection(self.pusher.as_ref(), &self.registry, tenant, &rec, "force_logout").await?;
            }
        }
        Ok(())
    }
}
