//! Seq heads (`SEQ#<cid>/head`, written by the messaging module) and a user's effective seq
//! state of a conversation: visible max seq, read seq and unread count.

use std::collections::HashMap;

use im_domain::store::{Consistency, Item, Store};
use im_domain::{ImResult, TenantId};

use crate::keys;
use crate::record::ConversationRecord;

/// Attribute names of a seq head (`docs/data-model.md`).
pub mod attr {
    /// Last allocated seq.
    pub const MAX: &str = "max";
    /// First kept seq (absent = 1).
    pub const MIN: &str = "min";
    /// sendTime (ms) of the last message.
    pub const TIME: &str = "time";
    /// Prefix of a sender's read seq, `r_<userID>`.
    pub const READ_PREFIX: &str = "r_";
}

/// A conversation's seq head as one user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeqHead {
    /// Last allocated seq (0 = no message yet).
    pub max: i64,
    /// First kept seq.
    pub min: i64,
    /// sendTime of the last message, ms.
    pub time: i64,
    /// The user's read seq recorded by sending (`r_<userID>`), 0 when absent.
    pub sender_read: i64,
}

impl SeqHead {
    /// The head item as `user_id` sees it.
    pub fn from_item(item: &Item, user_id: &str) -> Self {
        SeqHead {
            max: item.n(attr::MAX).unwrap_or(0).max(0),
            min: item.n(attr::MIN).unwrap_or(1).max(1),
            time: item.n(attr::TIME).unwrap_or(0),
            sender_read: item.n(&format!("{}{user_id}", attr::READ_PREFIX)).unwrap_or(0),
        }
    }
}

/// Seq heads of `cids` as `user_id` sees them (conversations without a head are absent).
pub async fn heads(
    store: &dyn Store,
    t: &TenantId,
    user_id: &str,
    cids: &[&str],
) -> ImResult<HashMap<String, SeqHead>> {
    let mut out = HashMap::with_capacity(cids.len());
    for chunk in cids.chunks(100) {
        let ks: Vec<_> = chunk.iter().map(|cid| keys::seq_head(t, cid)).collect();
        let items = store.batch_get(&ks, Consistency::Strong).await?;
        for (cid, item) in chunk.iter().zip(items) {
            if let Some(item) = item {
                out.insert(cid.to_string(), SeqHead::from_item(&item, user_id));
            }
        }
    }
    Ok(out)
}

/// A user's effective seq state of one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadState {
    /// Last seq the user may see: the conversation's max seq, capped by the row's `maxSeq` when
    /// set (a member who left a group sees nothing after leaving).
    pub max_seq: i64,
    /// First seq the user may see: the larger of the conversation's and the row's minimum.
    pub min_seq: i64,
    /// Read seq: `max(row.hasReadSeq, head.r_<user>)`.
    pub read_seq: i64,
    /// Unread count: `max(0, max_seq − read_seq)`.
    pub unread: i64,
    /// sendTime of the conversation's last message, ms.
    pub last_time: i64,
}

impl ReadState {
    /// The state of `row` given its conversation's head (`None`: no message yet).
    pub fn of(row: &ConversationRecord, head: Option<&SeqHead>) -> Self {
        let head = head.copied().unwrap_or_default();
        let max_seq = if row.max_seq > 0 { head.max.min(row.max_seq) } else { head.max };
        let read_seq = row.has_read_seq.max(head.sender_read);
        ReadState {
            max_seq,
            min_seq: head.min.max(row.min_seq).max(1),
            read_seq,
            unread: (max_seq - read_seq).max(0),
            last_time: head.time,
        }
    }

    /// Whether the user has a visible message in the conversation.
    pub fn has_messages(&self) -> bool {
        self.max_seq > 0 && self.max_seq >= self.min_seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_item(attrs: &[(&str, i64)]) -> Item {
        let t = TenantId::default_tenant();
        attrs.iter().fold(Item::new(keys::seq_head(&t, "c")), |i, (k, v)| i.with(*k, *v))
    }

    #[test]
    fn read_seq_is_the_larger_of_row_and_sender_pointer() {
        let h = SeqHead::from_item(&head_item(&[("max", 10), ("time", 99), ("r_a", 8)]), "a");
        assert_eq!(h, SeqHead { max: 10, min: 1, time: 99, sender_read: 8 });
        let mut row = ConversationRecord::new("c", 1);
        let s = ReadState::of(&row, Some(&h));
        assert_eq!((s.max_seq, s.read_seq, s.unread, s.last_time), (10, 8, 2, 99));
        row.has_read_seq = 9;
        assert_eq!(ReadState::of(&row, Some(&h)).unread, 1);
        // Another user's pointer does not count.
        let hb = SeqHead::from_item(&head_item(&[("max", 10), ("r_a", 8)]), "b");
        assert_eq!(ReadState::of(&ConversationRecord::new("c", 1), Some(&hb)).unread, 10);
    }

    #[test]
    fn caps_and_empty_conversations() {
        let h = SeqHead { max: 20, min: 1, time: 0, sender_read: 0 };
        let mut row = ConversationRecord::new("sg_g", 3);
        row.max_seq = 12;
        row.has_read_seq = 15;
        let s = ReadState::of(&row, Some(&h));
        assert_eq!((s.max_seq, s.unread), (12, 0));
        assert!(s.has_messages());
        let none = ReadState::of(&ConversationRecord::new("c", 1), None);
        assert_eq!((none.max_seq, none.unread), (0, 0));
        assert!(!none.has_messages());
        row.min_seq = 13;
        assert!(!ReadState::of(&row, Some(&h)).has_messages());
    }
}
