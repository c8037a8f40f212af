//! The stored message item (`MSG#<cid>` / `<seq:020>`, `docs/data-model.md`) and how a reader
//! sees it.
//!
//! Attributes: `msg` (B) the protobuf `MsgData` as stored (seq, serverMsgID and sendTime set),
//! `send` (S) sendID, `ct` (N) contentType, `st` (N) sendTime, `cmid` (S) clientMsgID, and the
//! attributes other operations add later: `rv` (M) revoke info, `del` (L of S) users who deleted
//! it for themselves, `read` (Bool) read flag of a single-chat message.

use std::collections::BTreeMap;

use im_domain::TenantId;
use im_domain::constants::msg_status;
use im_domain::store::{AttrValue, Item};
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;

use crate::keys;

/// Attribute names of a stored message.
pub mod attr {
    pub use im_conversation::messages::attr::{DEL, MSG, READ, RV};
    /// sendID (S).
    pub const SEND: &str = "send";
    /// contentType (N).
    pub const CONTENT_TYPE: &str = "ct";
    /// sendTime (N, ms).
    pub const SEND_TIME: &str = "st";
    /// clientMsgID (S).
    pub const CLIENT_MSG_ID: &str = "cmid";
}

/// The item storing `msg` (whose `seq` is set) in conversation `cid`.
pub fn to_item(tenant: &TenantId, cid: &str, msg: &MsgData) -> Item {
    Item::new(keys::message(tenant, cid, msg.seq))
        .with(attr::MSG, msg.encode_to_vec())
        .with(attr::SEND, msg.send_id.as_str())
        .with(attr::CONTENT_TYPE, msg.content_type)
        .with(attr::SEND_TIME, msg.send_time)
        .with(attr::CLIENT_MSG_ID, msg.client_msg_id.as_str())
}

/// The message as stored (no per-reader view applied), if the item holds a decodable one.
pub fn stored_msg(item: &Item) -> Option<MsgData> {
    MsgData::decode(item.attrs.get(attr::MSG)?.as_b()?).ok()
}

/// The message as `user_id` sees it: deleted-for-them, revoked (content type 2101 with the
/// revoke details) and read flag applied. `None` when the item holds no decodable message.
pub fn view(item: &Item, user_id: &str) -> Option<MsgData> {
    im_conversation::messages::view(item, user_id)
}

/// The placeholder returned for a requested seq that holds no message (reference §6.4).
pub fn placeholder(seq: i64) -> MsgData {
    MsgData { seq, status: msg_status::DELETED, ..MsgData::default() }
}

/// Who revoked a message and when (attribute `rv`, OpenIM's `revoke` slot).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevokeInfo {
    /// Role of the revoker (group role level, or 0).
    pub role: i32,
    /// Revoker user ID.
    pub user_id: String,
    /// Revoker nickname.
    pub nickname: String,
    /// Revoke time, ms.
    pub time: i64,
}

impl RevokeInfo {
    /// The `rv` attribute value.
    pub fn to_attr(&self) -> AttrValue {
        let m: BTreeMap<String, AttrValue> = [
            ("role".to_string(), AttrValue::N(i64::from(self.role))),
            ("userID".to_string(), AttrValue::S(self.user_id.clone())),
            ("nickname".to_string(), AttrValue::S(self.nickname.clone())),
            ("time".to_string(), AttrValue::N(self.time)),
        ]
        .into();
        AttrValue::M(m)
    }

    /// Reads the `rv` attribute of an item, if the message was revoked.
    pub fn of(item: &Item) -> Option<Self> {
        let m = item.attrs.get(attr::RV)?.as_m()?;
        let s = |k: &str| m.get(k).and_then(AttrValue::as_s).unwrap_or_default().to_string();
        let n = |k: &str| m.get(k).and_then(AttrValue::as_n).unwrap_or_default();
        Some(RevokeInfo {
            role: i32::try_from(n("role")).unwrap_or_default(),
            user_id: s("userID"),
            nickname: s("nickname"),
            time: n("time"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg() -> MsgData {
        MsgData {
            send_id: "a".into(),
            recv_id: "b".into(),
            client_msg_id: "cm".into(),
            server_msg_id: "sm".into(),
            session_type: 1,
            content_type: 101,
            content: br#"{"content":"hi"}"#.to_vec(),
            seq: 9,
            send_time: 1234,
            ..MsgData::default()
        }
    }

    #[test]
    fn item_round_trip_and_views() {
        let t = TenantId::default_tenant();
        let item = to_item(&t, "si_a_b", &msg());
        assert_eq!((item.key.pk.as_str(), item.key.sk.as_str()), ("MSG#si_a_b", "00000000000000000009"));
        assert_eq!(item.s(attr::SEND), Some("a"));
        assert_eq!(item.n(attr::CONTENT_TYPE), Some(101));
        assert_eq!(item.n(attr::SEND_TIME), Some(1234));
        assert_eq!(item.s(attr::CLIENT_MSG_ID), Some("cm"));
        assert_eq!(stored_msg(&item), Some(msg()));
        assert_eq!(view(&item, "b"), Some(msg()));
        let rv = RevokeInfo { role: 100, user_id: "a".into(), nickname: "A".into(), time: 5 };
        let revoked = item.clone().with(attr::RV, rv.to_attr());
        assert_eq!(RevokeInfo::of(&revoked), Some(rv));
        assert_eq!(RevokeInfo::of(&item), None);
        assert_eq!(view(&revoked, "b").map(|m| m.content_type), Some(2101));
        let p = placeholder(4);
        assert_eq!((p.seq, p.status, p.content.is_empty()), (4, 4, true));
    }
}
