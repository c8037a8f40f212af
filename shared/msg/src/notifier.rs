//! Server notifications as messages (reference §6.6): the [`Notifier`] the friend, group, user and
//! conversation modules call.
//!
//! A notification becomes a `MsgData` from the operator (`sendID`) to the target user or group
//! (`recvID`, and `groupID` for session type 3) with `msgFrom` 200, content
//! `{"detail":"<tips JSON>"}`, a fresh clientMsgID, and options that route it to the `n_…`
//! conversation: online only (no seq) by default, stored with a seq in `n_…` when reliable, and
//! with `isSendMsg` also copied into the chat conversation by the transfer stage.

use async_trait::async_trait;
use im_domain::constants::msg_from;
use im_domain::ports::{Notification, Notifier, Reliability};
use im_domain::{ImError, ImResult};
use im_wire::pb::sdkws::{MsgData, NotificationElem};

use crate::send::SendCtx;
use crate::{Messaging, options};

/// The messaging module's [`Notifier`].
#[derive(Clone)]
pub struct MsgNotifier {
    messaging: Messaging,
}

impl MsgNotifier {
    /// A notifier sending through `messaging`.
    pub fn new(messaging: Messaging) -> Self {
        MsgNotifier { messaging }
    }

    /// The message a notification becomes (serverMsgID and sendTime are set by the send).
    pub fn build(&self, n: &Notification) -> ImResult<MsgData> {
        let content = serde_json::to_vec(&NotificationElem { detail: n.detail.clone() })
            .map_err(|e| ImError::internal(format!("encoding a notification: {e}")))?;
        let m = &self.messaging;
        Ok(MsgData {
            send_id: n.send_id.clone(),
            recv_id: n.recv_id.clone(),
            group_id: n.group_id.clone(),
            client_msg_id: m.env().ids.next_hex(),
            sender_nickname: n.sender_nickname.clone(),
            sender_face_url: n.sender_face_url.clone(),
            session_type: n.session_type,
            msg_from: msg_from::SYSTEM,
            content_type: n.content_type,
            content,
            create_time: m.now_ms(),
            options: options::for_notification(
                n.reliability == Reliability::Stored,
                n.is_send_msg,
                n.unread_count,
                n.offline_push,
            ),
            ..MsgData::default()
        })
    }
}

#[async_trait]
impl Notifier for MsgNotifier {
    async fn notify(&self, n: Notification) -> ImResult<()> {
        let msg = self.build(&n)?;
        let ctx = SendCtx::op(self.messaging.env().ids.next_hex());
        self.messaging.send(&n.tenant, &ctx, msg).await.map(|_| ())
    }
}
