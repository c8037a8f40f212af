//! The send service (reference §6.5), shared by HTTP `/msg/send_msg` and WebSocket 1003.
//!
//! 1. Request checks: sendID and content present; session type 4 ⇔ content type 1400.
//! 2. serverMsgID, sendTime (now when 0), option overrides by content type.
//! 3. Session-type rules ([`checks`]): relations for single chats, membership and mutes for
//!    groups; the recipient's receive options may drop the message or turn offline push off.
//! 4. Messages with `history` (missing = true) are stored synchronously, so the reply carries
//!    the seq; a group sender's read seq moves on their conversation row; the first message of
//!    a two-party conversation creates both parties' rows.
//! 5. The post-store work is enqueued on `Topic::Transfer` (conversation rows, notification
//!    copies, statistics, then the push).

mod checks;

use im_domain::constants::{content_type, session_type};
use im_domain::ports::Topic;
use im_domain::{ImError, ImResult, TenantId, ids};
use im_wire::pb::msg::SendMsgResp;
use im_wire::pb::sdkws::MsgData;

use crate::options::{self, key};
use crate::pipeline::{CloneOpts, PipelineMsg};
use crate::{Messaging, seq};

/// Request context of a send, beyond the message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendCtx {
    /// operationID of the request (echoed in push frames).
    pub operation_id: String,
    /// Connection ID of the sending WebSocket (its own push is skipped), or empty.
    pub origin_conn: String,
    /// Explicit push recipients (e.g. members who just left a group), or `None` to derive them.
    pub recipients: Option<Vec<String>>,
}

impl SendCtx {
    /// A context with only an operationID.
    pub fn op(operation_id: impl Into<String>) -> Self {
        SendCtx { operation_id: operation_id.into(), ..SendCtx::default() }
    }
}

/// What became of a send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendOutcome {
    /// serverMsgID (of the original send when `deduped`).
    pub server_msg_id: String,
    /// clientMsgID.
    pub client_msg_id: String,
    /// sendTime, ms.
    pub send_time: i64,
    /// Seq in the conversation (0: not stored — online only or dropped).
    pub seq: i64,
    /// Conversation the message went to.
    pub conversation_id: String,
    /// The recipient does not receive messages: nothing was stored or pushed.
    pub dropped: bool,
    /// A retry of a recent send with the same clientMsgID: nothing new was stored.
    pub deduped: bool,
}

impl SendOutcome {
    /// The wire response (empty for a dropped message, as OpenIM answers).
    pub fn to_resp(&self) -> SendMsgResp {
        if self.dropped {
            return SendMsgResp::default();
        }
        SendMsgResp {
            server_msg_id: self.server_msg_id.clone(),
            client_msg_id: self.client_msg_id.clone(),
            send_time: self.send_time,
            modify: None,
        }
    }
}

/// Request checks of `MsgData` (the protocol's `MsgData.Check`).
pub fn check_request(msg: &MsgData) -> ImResult<()> {
    if msg.send_id.is_empty() {
        return Err(ImError::args("sendID is empty"));
    }
    if msg.content.is_empty() {
        return Err(ImError::args("content is empty"));
    }
    let oa = msg.content_type == content_type::OA_NOTIFICATION;
    if (msg.session_type == session_type::NOTIFICATION) != oa {
        return Err(ImError::args("notification msg must have correct session type and content type"));
    }
    Ok(())
}

/// The conversation a message goes to: its notification conversation when `isNotNotification`
/// is present and false, its chat conversation otherwise.
pub fn conversation_of(msg: &MsgData) -> ImResult<String> {
    let (st, send, recv, group) = (msg.session_type, &msg.send_id, &msg.recv_id, &msg.group_id);
    let cid = if options::is_notification(&msg.options) {
        ids::notification_conversation_id(st, send, recv, group)
    } else {
        ids::chat_conversation_id(st, send, recv, group)
    };
    cid.ok_or_else(|| ImError::args("unknown sessionType"))
}

/// Whether a conversation of this session type has exactly two parties (the sender's read seq
/// then lives on the seq head).
pub fn is_two_party(session: i32) -> bool {
    matches!(session, session_type::SINGLE | session_type::NOTIFICATION)
}

impl Messaging {
    /// Sends `msg` as its `sendID` (the caller has already decided that it may).
    pub async fn send(&self, t: &TenantId, ctx: &SendCtx, mut msg: MsgData) -> ImResult<SendOutcome> {
        check_request(&msg)?;
        msg.server_msg_id = self.env().ids.next_hex();
        if msg.send_time == 0 {
            msg.send_time = self.now_ms();
        }
        options::apply_content_overrides(&mut msg);
        let verdict = checks::verify(self, t, &mut msg).await?;
        let cid = conversation_of(&msg)?;
        if verdict.drop {
            return Ok(SendOutcome { conversation_id: cid, dropped: true, ..SendOutcome::default() });
        }
        // A notification sent with isSendMsg gets a copy in the chat conversation (made by the
        // transfer stage); the copy keeps the configured offlinePush/unreadCount, the
        // notification itself neither pushes offline nor counts as unread.
        let notification = options::is_notification(&msg.options);
        let clone = (notification && options::is(&msg.options, key::IS_SEND_MSG)).then(|| {
            let c = CloneOpts {
                offline_push: options::is(&msg.options, key::OFFLINE_PUSH),
                unread_count: options::is(&msg.options, key::UNREAD_COUNT),
            };
            options::set(&mut msg.options, key::OFFLINE_PUSH, false);
            options::set(&mut msg.options, key::UNREAD_COUNT, false);
            c
        });
        let mut deduped = false;
        if options::is(&msg.options, key::HISTORY) {
            let stored =
                seq::store_message(self.store().as_ref(), t, &cid, is_two_party(msg.session_type), msg).await?;
            deduped = stored.deduped;
            msg = stored.msg;
            if verdict.sender_is_member && !notification {
                self.advance_sender_read(t, &cid, &msg).await;
            }
            // A two-party conversation's first message creates both rows before the reply: the
            // recipient finds conversations through its rows, so rows left to the transfer stage
            // would be lost with it if the process stopped in between (a retried send gets here
            // again). The transfer stage's own row step then finds them.
            if msg.seq == 1 && !notification && is_two_party(msg.session_type) {
                self.conversations().ensure_pair(t, &cid, msg.session_type, &msg.send_id, &msg.recv_id).await?;
            }
        }
        let mut p = PipelineMsg::new(t.clone(), cid.clone(), msg);
        p.operation_id = ctx.operation_id.clone();
        p.origin_conn = ctx.origin_conn.clone();
        p.clone = clone;
        p.recipients = ctx.recipients.clone();
        self.queue().send(Topic::Transfer, vec![p.encode()?]).await?;
        let msg = p.msg;
        Ok(SendOutcome {
            server_msg_id: msg.server_msg_id,
            client_msg_id: msg.client_msg_id,
            send_time: msg.send_time,
            seq: msg.seq,
            conversation_id: cid,
            dropped: false,
            deduped,
        })
    }

    /// Moves a group sender's read seq to their own message (a conditional update of their
    /// conversation row; a failure only costs an unread count, so it is logged).
    async fn advance_sender_read(&self, t: &TenantId, cid: &str, msg: &MsgData) {
        if let Err(e) = self.conversations().advance_has_read_seq(t, &msg.send_id, cid, msg.seq).await {
            tracing::warn!(conversation = cid, user = %msg.send_id, error = %e, "advancing the sender's read seq failed");
        }
    }
}
