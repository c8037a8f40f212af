//! The port through which forced logout closes live connections (the WebSocket gateway
//! implements it; until then [`NoopKicker`]).

use async_trait::async_trait;
use im_domain::{ImResult, TenantId};

/// Closes a user's connections on one platform (with a 2002 kick frame).
#[async_trait]
pub trait ConnectionKicker: Send + Sync {
    /// Kicks every connection of `user_id` on `platform_id` in `tenant`.
    async fn kick(&self, tenant: &TenantId, user_id: &str, platform_id: i32) -> ImResult<()>;
}

/// A kicker for deployments without connections to close.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopKicker;

#[async_trait]
impl ConnectionKicker for NoopKicker {
    async fn kick(&self, _tenant: &TenantId, _user_id: &str, _platform_id: i32) -> ImResult<()> {
        Ok(())
    }
}
