//! Operations on stored messages (reference §1.5, §6.7, §6.8): revoke, read receipts, per-user
//! deletes and clears, and the admin physical deletes. All on the [`im_domain::store::Store`] port.

pub mod delete;
pub mod read;
pub mod revoke;

use im_domain::ports::{Notification, Reliability};
use im_domain::{ImError, ImResult, TenantId};
use serde::Serialize;

use crate::pull::Visible;
use crate::{Messaging, MsgNotifier};

/// A notification from `send` to `recv` carrying `tips` as its detail.
pub fn notification(
    t: &TenantId,
    content_type: i32,
    (send, recv, group): (&str, &str, &str),
    session_type: i32,
    tips: &impl Serialize,
    reliability: Reliability,
) -> Notification {
    Notification {
        tenant: t.clone(),
        send_id: send.to_string(),
        recv_id: recv.to_string(),
        group_id: group.to_string(),
        session_type,
        content_type,
        detail: serde_json::to_string(tips).unwrap_or_else(|_| "{}".to_string()),
        reliability,
        is_send_msg: false,
        unread_count: false,
        offline_push: false,
        sender_nickname: String::new(),
        sender_face_url: String::new(),
    }
}

impl Messaging {
    /// Sends `n` through this module's notifier; a failure is logged, not returned (the
    /// operation it reports already happened).
    pub async fn emit(&self, n: Notification) {
        let content_type = n.content_type;
        if let Err(e) = im_domain::ports::Notifier::notify(&MsgNotifier::new(self.clone()), n).await {
            tracing::warn!(content_type, error = %e, "message operation: notification failed");
        }
    }

    /// What `user` sees of `cid`; 1004 when they may not read it.
    pub async fn visible_or_404(&self, t: &TenantId, user: &str, cid: &str) -> ImResult<Visible> {
        if cid.is_empty() {
            return Err(ImError::args("conversationID is empty"));
        }
        self.visible(t, user, cid).await?.ok_or_else(|| ImError::not_found(format!("conversation {cid} not found")))
    }
}
