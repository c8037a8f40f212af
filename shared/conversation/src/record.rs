//! One user's conversation row (OpenIM `Conversation` plus the read pointer) and its store item.

use im_domain::TenantId;
use im_domain::store::Item;
use im_wire::pb::conversation::Conversation;

use crate::keys;

/// Attribute names of a stored conversation row (the `Conversation` JSON keys).
pub mod attr {
    /// `recvMsgOpt` (N).
    pub const RECV_MSG_OPT: &str = "recvMsgOpt";
    /// `conversationType` (N).
    pub const CONVERSATION_TYPE: &str = "conversationType";
    /// `userID` (S): the peer of a single or notification conversation.
    pub const USER_ID: &str = "userID";
    /// `groupID` (S).
    pub const GROUP_ID: &str = "groupID";
    /// `isPinned` (Bool).
    pub const IS_PINNED: &str = "isPinned";
    /// `attachedInfo` (S).
    pub const ATTACHED_INFO: &str = "attachedInfo";
    /// `isPrivateChat` (Bool).
    pub const IS_PRIVATE_CHAT: &str = "isPrivateChat";
    /// `groupAtType` (N).
    pub const GROUP_AT_TYPE: &str = "groupAtType";
    /// `ex` (S).
    pub const EX: &str = "ex";
    /// `burnDuration` (N).
    pub const BURN_DURATION: &str = "burnDuration";
    /// `minSeq` (N): the owner's first visible seq.
    pub const MIN_SEQ: &str = "minSeq";
    /// `maxSeq` (N): the owner's last visible seq, 0 = unlimited.
    pub const MAX_SEQ: &str = "maxSeq";
    /// `msgDestructTime` (N).
    pub const MSG_DESTRUCT_TIME: &str = "msgDestructTime";
    /// `latestMsgDestructTime` (N).
    pub const LATEST_MSG_DESTRUCT_TIME: &str = "latestMsgDestructTime";
    /// `isMsgDestruct` (Bool).
    pub const IS_MSG_DESTRUCT: &str = "isMsgDestruct";
    /// `hasReadSeq` (N): the owner's read pointer (never moves backwards).
    pub const HAS_READ_SEQ: &str = "hasReadSeq";
    /// `createTime` (N, ms).
    pub const CREATE_TIME: &str = "createTime";
    /// `updateTime` (N, ms).
    pub const UPDATE_TIME: &str = "updateTime";
}

/// One user's conversation row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversationRecord {
    /// Owner (the partition).
    pub owner_user_id: String,
    /// Conversation ID (the sort key).
    pub conversation_id: String,
    /// Receive option: 0 normal, 1 do not receive, 2 receive without notifying.
    pub recv_msg_opt: i32,
    /// Session type of the conversation (1 single, 2/3 group, 4 notification).
    pub conversation_type: i32,
    /// The peer of a single or notification conversation.
    pub user_id: String,
    /// The group of a group conversation.
    pub group_id: String,
    /// Pinned.
    pub is_pinned: bool,
    /// Client-defined attached info.
    pub attached_info: String,
    /// Burn-after-reading.
    pub is_private_chat: bool,
    /// @-mention state (1 AtMe, 2 AtAll, 3 AtAll+AtMe).
    pub group_at_type: i32,
    /// Free-form extension.
    pub ex: String,
    /// Burn duration, seconds.
    pub burn_duration: i32,
    /// First visible seq for the owner (0 = from the start).
    pub min_seq: i64,
    /// Last visible seq for the owner (0 = unlimited; set when leaving a group).
    pub max_seq: i64,
    /// Message self-destruct period.
    pub msg_destruct_time: i64,
    /// Last self-destruct run, ms.
    pub latest_msg_destruct_time: i64,
    /// Self-destruct enabled.
    pub is_msg_destruct: bool,
    /// Read pointer kept on the row (see [`crate::seqs::ReadState`] for the effective one).
    pub has_read_seq: i64,
    /// Creation time, ms.
    pub create_time: i64,
    /// Last settings change, ms.
    pub update_time: i64,
}

impl ConversationRecord {
    /// A row template for `conversation_id` of `conversation_type` (no owner yet).
    pub fn new(conversation_id: impl Into<String>, conversation_type: i32) -> Self {
        ConversationRecord { conversation_id: conversation_id.into(), conversation_type, ..Default::default() }
    }

    /// Sets the peer user (single and notification conversations).
    pub fn with_user(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = user_id.into();
        self
    }

    /// Sets the group (group conversations).
    pub fn with_group(mut self, group_id: impl Into<String>) -> Self {
        self.group_id = group_id.into();
        self
    }

    /// This template as `owner`'s row created at `now_ms`.
    pub fn for_owner(&self, owner_user_id: &str, now_ms: i64) -> Self {
        ConversationRecord {
            owner_user_id: owner_user_id.to_string(),
            create_time: now_ms,
            update_time: now_ms,
            ..self.clone()
        }
    }

    /// The store item of this row.
    pub fn to_item(&self, tenant: &TenantId) -> Item {
        Item::new(keys::conversation(tenant, &self.owner_user_id, &self.conversation_id))
            .with(attr::RECV_MSG_OPT, self.recv_msg_opt)
            .with(attr::CONVERSATION_TYPE, self.conversation_type)
            .with(attr::USER_ID, self.user_id.as_str())
            .with(attr::GROUP_ID, self.group_id.as_str())
            .with(attr::IS_PINNED, self.is_pinned)
            .with(attr::ATTACHED_INFO, self.attached_info.as_str())
            .with(attr::IS_PRIVATE_CHAT, self.is_private_chat)
            .with(attr::GROUP_AT_TYPE, self.group_at_type)
            .with(attr::EX, self.ex.as_str())
            .with(attr::BURN_DURATION, self.burn_duration)
            .with(attr::MIN_SEQ, self.min_seq)
            .with(attr::MAX_SEQ, self.max_seq)
            .with(attr::MSG_DESTRUCT_TIME, self.msg_destruct_time)
            .with(attr::LATEST_MSG_DESTRUCT_TIME, self.latest_msg_destruct_time)
            .with(attr::IS_MSG_DESTRUCT, self.is_msg_destruct)
            .with(attr::HAS_READ_SEQ, self.has_read_seq)
            .with(attr::CREATE_TIME, self.create_time)
            .with(attr::UPDATE_TIME, self.update_time)
    }

    /// Reads a row from its item (missing attributes are zero values).
    pub fn from_item(item: &Item) -> Self {
        let s = |n: &str| item.s(n).unwrap_or_default().to_string();
        let n = |n: &str| item.n(n).unwrap_or_default();
        let i = |n: &str| i32::try_from(item.n(n).unwrap_or_default()).unwrap_or_default();
        let b = |n: &str| item.bool(n).unwrap_or_default();
        ConversationRecord {
            owner_user_id: keys::owner_of(&item.key.pk).unwrap_or_default().to_string(),
            conversation_id: item.key.sk.clone(),
            recv_msg_opt: i(attr::RECV_MSG_OPT),
            conversation_type: i(attr::CONVERSATION_TYPE),
            user_id: s(attr::USER_ID),
            group_id: s(attr::GROUP_ID),
            is_pinned: b(attr::IS_PINNED),
            attached_info: s(attr::ATTACHED_INFO),
            is_private_chat: b(attr::IS_PRIVATE_CHAT),
            group_at_type: i(attr::GROUP_AT_TYPE),
            ex: s(attr::EX),
            burn_duration: i(attr::BURN_DURATION),
            min_seq: n(attr::MIN_SEQ),
            max_seq: n(attr::MAX_SEQ),
            msg_destruct_time: n(attr::MSG_DESTRUCT_TIME),
            latest_msg_destruct_time: n(attr::LATEST_MSG_DESTRUCT_TIME),
            is_msg_destruct: b(attr::IS_MSG_DESTRUCT),
            has_read_seq: n(attr::HAS_READ_SEQ),
            create_time: n(attr::CREATE_TIME),
            update_time: n(attr::UPDATE_TIME),
        }
    }

    /// The wire form (`openim.conversation.Conversation`).
    pub fn to_pb(&self) -> Conversation {
        Conversation {
            owner_user_id: self.owner_user_id.clone(),
            conversation_id: self.conversation_id.clone(),
            recv_msg_opt: self.recv_msg_opt,
            conversation_type: self.conversation_type,
            user_id: self.user_id.clone(),
            group_id: self.group_id.clone(),
            is_pinned: self.is_pinned,
            attached_info: self.attached_info.clone(),
            is_private_chat: self.is_private_chat,
            group_at_type: self.group_at_type,
            ex: self.ex.clone(),
            burn_duration: self.burn_duration,
            min_seq: self.min_seq,
            max_seq: self.max_seq,
            msg_destruct_time: self.msg_destruct_time,
            latest_msg_destruct_time: self.latest_msg_destruct_time,
            is_msg_destruct: self.is_msg_destruct,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_round_trip_and_wire_form() {
        let t = TenantId::default_tenant();
        let mut r = ConversationRecord::new("si_a_b", 1).with_user("b").for_owner("a", 77);
        r.is_pinned = true;
        r.recv_msg_opt = 2;
        r.ex = "x".into();
        r.has_read_seq = 9;
        r.max_seq = 12;
        let item = r.to_item(&t);
        assert_eq!((item.key.pk.as_str(), item.key.sk.as_str()), ("CONV#a", "si_a_b"));
        assert_eq!(item.bool("isPinned"), Some(true));
        assert_eq!(item.n("hasReadSeq"), Some(9));
        assert_eq!(ConversationRecord::from_item(&item), r);
        let pb = r.to_pb();
        assert_eq!((pb.owner_user_id.as_str(), pb.user_id.as_str(), pb.max_seq), ("a", "b", 12));
        assert!(pb.is_pinned);
        let g = ConversationRecord::new("sg_g", 3).with_group("g").for_owner("u", 1);
        assert_eq!((g.group_id.as_str(), g.create_time, g.update_time), ("g", 1, 1));
    }

    #[test]
    fn sparse_items_read_as_zero_values() {
        let t = TenantId::default_tenant();
        let item = Item::new(keys::conversation(&t, "o", "n_o_o")).with("recvMsgOpt", "bad");
        let r = ConversationRecord::from_item(&item);
        assert_eq!(r.owner_user_id, "o");
        assert_eq!(r.conversation_id, "n_o_o");
        assert_eq!(r.recv_msg_opt, 0);
        assert!(!r.is_pinned);
    }
}
