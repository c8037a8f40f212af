//! The last message of conversations, read from the messaging module's items
//! (`MSG#<cid>/<seq:020>`) and shown as the reading user sees it.

use std::collections::HashMap;

use im_domain::constants::{msg_status, notification};
use im_domain::store::{Consistency, Item, Query, SortCondition, Store};
use im_domain::{ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;

use crate::keys;
use crate::seqs::ReadState;

/// Attribute names of a stored message (`docs/data-model.md`).
pub mod attr {
    /// Protobuf `MsgData` bytes.
    pub const MSG: &str = "msg";
    /// userIDs who deleted the message for themselves (L of S).
    pub const DEL: &str = "del";
    /// Revoke info (M: role, userID, nickname, time).
    pub const RV: &str = "rv";
    /// Read flag (Bool).
    pub const READ: &str = "read";
}

/// A stored message as `user_id` sees it: deleted-for-them → a status-4 placeholder with no
/// content; revoked → content type 2101 with the revoke details; `isRead` from the item flag.
/// `None` when the item holds no decodable message.
pub fn view(item: &Item, user_id: &str) -> Option<MsgData> {
    let mut msg = MsgData::decode(item.attrs.get(attr::MSG)?.as_b()?).ok()?;
    let deleted =
        item.attrs.get(attr::DEL).and_then(|v| v.as_l()).is_some_and(|l| l.iter().any(|u| u.as_s() == Some(user_id)));
    if deleted {
        return Some(MsgData { seq: msg.seq, status: msg_status::DELETED, ..MsgData::default() });
    }
    if let Some(read) = item.bool(attr::READ) {
        msg.is_read = read;
    }
    if let Some(rv) = item.attrs.get(attr::RV).and_then(|v| v.as_m()) {
        let s = |k: &str| rv.get(k).and_then(|v| v.as_s()).unwrap_or_default().to_string();
        let n = |k: &str| rv.get(k).and_then(|v| v.as_n()).unwrap_or_default();
        let revoked = serde_json::json!({
            "revokerID": s("userID"),
            "revokerRole": n("role"),
            "clientMsgID": msg.client_msg_id,
            "revokerNickname": s("nickname"),
            "revokeTime": n("time"),
            "sourceMessageSendTime": msg.send_time,
            "sourceMessageSendID": msg.send_id,
            "sourceMessageSenderNickname": msg.sender_nickname,
            "sessionType": msg.session_type,
            "seq": msg.seq,
            "ex": msg.ex,
        });
        msg.content_type = notification::MSG_REVOKE;
        msg.content = serde_json::json!({ "detail": revoked.to_string() }).to_string().into_bytes();
    }
    Some(msg)
}

/// The last visible message of each conversation in `wants` (conversation ID → the user's seq
/// state) that has one, as `user_id` sees it. The message at the visible max seq is read
/// directly; when that seq holds no message (a gap), the latest one inside the window is used.
pub async fn last_messages(
    store: &dyn Store,
    t: &TenantId,
    user_id: &str,
    wants: &[(&str, ReadState)],
) -> ImResult<HashMap<String, MsgData>> {
    let wants: Vec<_> = wants.iter().filter(|(_, s)| s.has_messages()).collect();
    let mut out = HashMap::with_capacity(wants.len());
    for chunk in wants.chunks(100) {
        let ks: Vec<_> = chunk.iter().map(|(cid, s)| keys::message(t, cid, s.max_seq)).collect();
        let items = store.batch_get(&ks, Consistency::Strong).await?;
        for ((cid, state), item) in chunk.iter().zip(items) {
            let item = match item {
                Some(item) => Some(item),
                None => latest_in_window(store, t, cid, state).await?,
            };
            if let Some(msg) = item.as_ref().and_then(|i| view(i, user_id)) {
                out.insert(cid.to_string(), msg);
            }
        }
    }
    Ok(out)
}

async fn latest_in_window(store: &dyn Store, t: &TenantId, cid: &str, s: &ReadState) -> ImResult<Option<Item>> {
    let q = Query::partition(t, keys::message_pk(cid))
        .sort(SortCondition::Between(keys::message_sk(s.min_seq), keys::message_sk(s.max_seq)))
        .backward()
        .limit(1);
    Ok(store.query(&q).await?.items.into_iter().next())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use im_domain::store::AttrValue;

    use super::*;

    fn item(msg: &MsgData) -> Item {
        Item::new(keys::message(&TenantId::default_tenant(), "si_a_b", msg.seq)).with(attr::MSG, msg.encode_to_vec())
    }

    fn text(seq: i64) -> MsgData {
        MsgData {
            send_id: "a".into(),
            recv_id: "b".into(),
            client_msg_id: "c1".into(),
            session_type: 1,
            content_type: 101,
            content: br#"{"content":"hi"}"#.to_vec(),
            seq,
            send_time: 1000,
            ..MsgData::default()
        }
    }

    #[test]
    fn plain_read_deleted_and_revoked_views() {
        let m = text(3);
        assert_eq!(view(&item(&m), "b"), Some(m.clone()));
        let read = item(&m).with(attr::READ, true);
        assert!(view(&read, "b").is_some_and(|v| v.is_read));
        let del = item(&m).with(attr::DEL, AttrValue::L(vec![AttrValue::S("b".into())]));
        let v = view(&del, "b").unwrap();
        assert_eq!((v.seq, v.status, v.content.len(), v.send_id.as_str()), (3, 4, 0, ""));
        assert_eq!(view(&del, "a"), Some(m.clone()));
        let rv: BTreeMap<String, AttrValue> =
            [("userID".to_string(), AttrValue::S("a".into())), ("time".to_string(), AttrValue::N(5))].into();
        let v = view(&item(&m).with(attr::RV, AttrValue::M(rv)), "b").unwrap();
        assert_eq!(v.content_type, 2101);
        let outer: serde_json::Value = serde_json::from_slice(&v.content).unwrap();
        let inner: serde_json::Value = serde_json::from_str(outer["detail"].as_str().unwrap()).unwrap();
        assert_eq!((inner["revokerID"].as_str(), inner["seq"].as_i64()), (Some("a"), Some(3)));
        assert_eq!(view(&Item::new(keys::message(&TenantId::default_tenant(), "c", 1)), "a"), None);
    }
}
