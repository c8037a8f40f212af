//! The port through which user changes reach messaging (implemented by the messaging module;
//! [`NoopUserEvents`] until then).

use async_trait::async_trait;
use im_domain::{ImResult, TenantId};
use im_repo::UserRecord;

/// What happened to a user command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandChange {
    /// Added (OpenIM notification 1305 to the user's own devices).
    Added,
    /// Updated (1307).
    Updated,
    /// Deleted (1306).
    Deleted,
}

/// Receives user changes after they are stored. Failures are logged by the caller; the
/// request that caused the change still succeeds (as OpenIM's notification senders do).
#[async_trait]
pub trait UserEvents: Send + Sync {
    /// A profile was written (update_user_info, update_user_info_ex, set_global_recv_msg_opt):
    /// OpenIM sends 1303 UserInfoUpdated to the user and their friends, and refreshes
    /// friend/group copies of nickname and faceURL when those changed.
    async fn user_info_updated(&self, _tenant: &TenantId, _old: &UserRecord, _new: &UserRecord) -> ImResult<()> {
        Ok(())
    }

    /// A user command of `user_id` changed.
    async fn user_command_changed(&self, _tenant: &TenantId, _user_id: &str, _change: CommandChange) -> ImResult<()> {
        Ok(())
    }
}

/// Drops every event.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopUserEvents;

impl UserEvents for NoopUserEvents {}
