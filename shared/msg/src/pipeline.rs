//! Queue messages between the pipeline stages: send → `Topic::Transfer` → `Topic::Push`.
//!
//! The body is JSON (so it travels unchanged through SQS):
//!
//! ```text
//! {"v":1, "tenant":"acme", "cid":"si_a_b",
//!  "msg":"<base64 protobuf MsgData>" | null,   // null: load the stored message at "seq"
//!  "seq":12,                                    // 0 for online-only messages
//!  "op":"<operationID>", "origin":"<connection ID of the sending device, or empty>",
//!  "clone":{"offlinePush":true,"unreadCount":false} | null,   // isSendMsg: copy to the chat conversation
//!  "recipients":["u1", …] | null,              // explicit push recipients (else derived from the message)
//!  "bookkeeping":true}                          // absent unless only the transfer bookkeeping is left to do
//! ```
//!
//! The [`QueueMessage`] ID is stable per message — `<tenant>|<cid>|<seq>` for stored messages,
//! `<tenant>|<cid>|m<serverMsgID>` for online-only ones — so a redelivery carries the same ID and
//! consumers deliver once per ID.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use im_domain::ports::QueueMessage;
use im_domain::store::Store;
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;
use serde::{Deserialize, Serialize};

use crate::seq;

/// Largest encoded message carried inline; larger stored messages travel by reference.
pub const INLINE_MAX_BYTES: usize = 128 * 1024;

/// Body format version.
const VERSION: u32 = 1;

/// Options of the chat-conversation copy of a notification sent with `isSendMsg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloneOpts {
    /// `offlinePush` of the copy (the original's configured value).
    #[serde(rename = "offlinePush")]
    pub offline_push: bool,
    /// `unreadCount` of the copy (the original's configured value).
    #[serde(rename = "unreadCount")]
    pub unread_count: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Body {
    v: u32,
    tenant: String,
    cid: String,
    #[serde(default)]
    msg: Option<String>,
    #[serde(default)]
    seq: i64,
    #[serde(default)]
    op: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    clone: Option<CloneOpts>,
    #[serde(default)]
    recipients: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    bookkeeping: bool,
}

/// One message moving through the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineMsg {
    /// Tenant.
    pub tenant: TenantId,
    /// Conversation the message belongs to (chat or `n_…`).
    pub conversation_id: String,
    /// The message (seq set when stored).
    pub msg: MsgData,
    /// operationID of the request that sent it.
    pub operation_id: String,
    /// Connection ID of the sending device (its push is skipped), or empty.
    pub origin_conn: String,
    /// Copy to the chat conversation (notifications sent with `isSendMsg`).
    pub clone: Option<CloneOpts>,
    /// Explicit push recipients, overriding the ones derived from the message.
    pub recipients: Option<Vec<String>>,
    /// Only the transfer stage's bookkeeping (statistics, search log) is left to do: the rest,
    /// push included, was done by an earlier delivery (see `im_msg::transfer`).
    pub bookkeeping_only: bool,
}

/// The stable queue-message ID of `msg` in `cid`.
pub fn message_id(tenant: &TenantId, cid: &str, msg: &MsgData) -> String {
    if msg.seq > 0 {
        format!("{}|{cid}|{}", tenant.as_str(), msg.seq)
    } else {
        format!("{}|{cid}|m{}", tenant.as_str(), msg.server_msg_id)
    }
}

impl PipelineMsg {
    /// A pipeline message for `msg` in `cid`, with no clone or recipient override.
    pub fn new(tenant: TenantId, conversation_id: impl Into<String>, msg: MsgData) -> Self {
        PipelineMsg {
            tenant,
            conversation_id: conversation_id.into(),
            msg,
            operation_id: String::new(),
            origin_conn: String::new(),
            clone: None,
            recipients: None,
            bookkeeping_only: false,
        }
    }

    /// The stable queue-message ID (`…#bookkeeping` for a bookkeeping-only message).
    pub fn id(&self) -> String {
        let id = message_id(&self.tenant, &self.conversation_id, &self.msg);
        if self.bookkeeping_only { format!("{id}#bookkeeping") } else { id }
    }

    /// Encodes the queue message (a large stored message travels by reference).
    pub fn encode(&self) -> ImResult<QueueMessage> {
        let bytes = self.msg.encode_to_vec();
        let inline = self.msg.seq <= 0 || bytes.len() <= INLINE_MAX_BYTES;
        let body = Body {
            v: VERSION,
            tenant: self.tenant.as_str().to_string(),
            cid: self.conversation_id.clone(),
            msg: inline.then(|| STANDARD.encode(&bytes)),
            seq: self.msg.seq,
            op: self.operation_id.clone(),
            origin: self.origin_conn.clone(),
            clone: self.clone,
            recipients: self.recipients.clone(),
            bookkeeping: self.bookkeeping_only,
        };
        let body =
            serde_json::to_vec(&body).map_err(|e| ImError::internal(format!("encoding a queue message: {e}")))?;
        Ok(QueueMessage { id: self.id(), body })
    }

    /// Decodes a queue message; a message sent by reference is loaded from `store`.
    pub async fn decode(store: &dyn Store, qm: &QueueMessage) -> ImResult<PipelineMsg> {
        let body: Body = serde_json::from_slice(&qm.body)
            .map_err(|e| ImError::internal(format!("queue message {}: bad body: {e}", qm.id)))?;
        if body.v != VERSION {
            return Err(ImError::internal(format!("queue message {}: unknown body version {}", qm.id, body.v)));
        }
        let tenant =
            TenantId::parse(&body.tenant).map_err(|e| ImError::internal(format!("queue message {}: {e}", qm.id)))?;
        let msg = match &body.msg {
            Some(b64) => {
                let bytes =
                    STANDARD.decode(b64).map_err(|e| ImError::internal(format!("queue message {}: {e}", qm.id)))?;
                MsgData::decode(bytes.as_slice())
                    .map_err(|e| ImError::internal(format!("queue message {}: {e}", qm.id)))?
            }
            None => seq::load(store, &tenant, &body.cid, body.seq)
                .await?
                .ok_or_else(|| ImError::internal(format!("queue message {}: seq {} is not stored", qm.id, body.seq)))?,
        };
        Ok(PipelineMsg {
            tenant,
            conversation_id: body.cid,
            msg,
            operation_id: body.op,
            origin_conn: body.origin,
            clone: body.clone,
            recipients: body.recipients,
            bookkeeping_only: body.bookkeeping,
        })
    }
}

#[cfg(test)]
mod tests {
    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn round_trip_inline_and_by_reference() {
        let store = MemStore::new();
        let t = TenantId::parse("acme").unwrap();
        let msg =
            MsgData { send_id: "a".into(), server_msg_id: "s1".into(), content: vec![1, 2, 3], ..MsgData::default() };
        let mut p = PipelineMsg::new(t.clone(), "si_a_b", msg);
        p.operation_id = "op".into();
        p.origin_conn = "conn".into();
        p.clone = Some(CloneOpts { offline_push: true, unread_count: false });
        p.recipients = Some(vec!["x".into()]);
        p.bookkeeping_only = true;
        let qm = p.encode().unwrap();
        assert_eq!(qm.id, "acme|si_a_b|ms1#bookkeeping");
        let v: serde_json::Value = serde_json::from_slice(&qm.body).unwrap();
        assert_eq!(v["clone"]["offlinePush"], true);
        assert_eq!(PipelineMsg::decode(&store, &qm).await.unwrap(), p);

        // A large stored message travels by reference and is loaded back.
        let big = MsgData {
            send_id: "a".into(),
            client_msg_id: "c".into(),
            seq: 1,
            content: vec![7; INLINE_MAX_BYTES + 1],
            ..MsgData::default()
        };
        let stored = seq::store_message(&store, &t, "si_a_b", true, big).await.unwrap();
        let p = PipelineMsg::new(t.clone(), "si_a_b", stored.msg.clone());
        let qm = p.encode().unwrap();
        assert_eq!(qm.id, "acme|si_a_b|1");
        assert!(qm.body.len() < 1024);
        assert_eq!(PipelineMsg::decode(&store, &qm).await.unwrap().msg, stored.msg);
        let bad = QueueMessage { id: "x".into(), body: b"{}".to_vec() };
        assert!(PipelineMsg::decode(&store, &bad).await.is_err());
    }
}
