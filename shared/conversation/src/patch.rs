//! A partial update of conversation settings: OpenIM's wrapper fields, `None` = unchanged.

use im_domain::store::Update;
use im_domain::{ImError, ImResult};
use im_wire::pb::conversation::{ConversationReq, UpdateConversationReq};

use crate::record::{ConversationRecord, attr};

/// Settings to write on conversation rows; only `Some` fields are written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversationPatch {
    /// `recvMsgOpt`.
    pub recv_msg_opt: Option<i32>,
    /// `isPinned`.
    pub is_pinned: Option<bool>,
    /// `attachedInfo`.
    pub attached_info: Option<String>,
    /// `isPrivateChat`.
    pub is_private_chat: Option<bool>,
    /// `ex`.
    pub ex: Option<String>,
    /// `burnDuration`.
    pub burn_duration: Option<i32>,
    /// `minSeq`.
    pub min_seq: Option<i64>,
    /// `maxSeq`.
    pub max_seq: Option<i64>,
    /// `groupAtType`.
    pub group_at_type: Option<i32>,
    /// `msgDestructTime`.
    pub msg_destruct_time: Option<i64>,
    /// `isMsgDestruct`.
    pub is_msg_destruct: Option<bool>,
    /// `latestMsgDestructTime`.
    pub latest_msg_destruct_time: Option<i64>,
}

impl ConversationPatch {
    /// The wrapper fields of a `/conversation/set_conversations` body.
    pub fn from_req(c: &ConversationReq) -> Self {
        ConversationPatch {
            recv_msg_opt: c.recv_msg_opt,
            is_pinned: c.is_pinned,
            attached_info: c.attached_info.clone(),
            is_private_chat: c.is_private_chat,
            ex: c.ex.clone(),
            burn_duration: c.burn_duration,
            min_seq: c.min_seq,
            max_seq: c.max_seq,
            group_at_type: c.group_at_type,
            msg_destruct_time: c.msg_destruct_time,
            is_msg_destruct: c.is_msg_destruct,
            latest_msg_destruct_time: None,
        }
    }

    /// The wrapper fields of an internal `UpdateConversationReq`.
    pub fn from_update_req(c: &UpdateConversationReq) -> Self {
        ConversationPatch {
            recv_msg_opt: c.recv_msg_opt,
            is_pinned: c.is_pinned,
            attached_info: c.attached_info.clone(),
            is_private_chat: c.is_private_chat,
            ex: c.ex.clone(),
            burn_duration: c.burn_duration,
            min_seq: c.min_seq,
            max_seq: c.max_seq,
            group_at_type: c.group_at_type,
            msg_destruct_time: c.msg_destruct_time,
            is_msg_destruct: c.is_msg_destruct,
            latest_msg_destruct_time: c.latest_msg_destruct_time,
        }
    }

    /// 1001 for values outside their domain (`recvMsgOpt` 0–2, `groupAtType` 0–3, negative seqs).
    pub fn validate(&self) -> ImResult<()> {
        if self.recv_msg_opt.is_some_and(|v| !(0..=2).contains(&v)) {
            return Err(ImError::args("recvMsgOpt is invalid"));
        }
        if self.group_at_type.is_some_and(|v| !(0..=3).contains(&v)) {
            return Err(ImError::args("groupAtType is invalid"));
        }
        if self.min_seq.is_some_and(|v| v < 0) || self.max_seq.is_some_and(|v| v < 0) {
            return Err(ImError::args("seq is invalid"));
        }
        Ok(())
    }

    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        *self == ConversationPatch::default()
    }

    /// Whether writing this patch would change `row`.
    pub fn differs_from(&self, row: &ConversationRecord) -> bool {
        let mut probe = row.clone();
        self.apply_to(&mut probe);
        probe != *row
    }

    /// Writes the `Some` fields into `row`.
    pub fn apply_to(&self, row: &mut ConversationRecord) {
        fn set<T: Clone>(dst: &mut T, src: &Option<T>) {
            if let Some(v) = src {
                *dst = v.clone();
            }
        }
        set(&mut row.recv_msg_opt, &self.recv_msg_opt);
        set(&mut row.is_pinned, &self.is_pinned);
        set(&mut row.attached_info, &self.attached_info);
        set(&mut row.is_private_chat, &self.is_private_chat);
        set(&mut row.ex, &self.ex);
        set(&mut row.burn_duration, &self.burn_duration);
        set(&mut row.min_seq, &self.min_seq);
        set(&mut row.max_seq, &self.max_seq);
        set(&mut row.group_at_type, &self.group_at_type);
        set(&mut row.msg_destruct_time, &self.msg_destruct_time);
        set(&mut row.is_msg_destruct, &self.is_msg_destruct);
        set(&mut row.latest_msg_destruct_time, &self.latest_msg_destruct_time);
    }

    /// The store update writing the `Some` fields and `updateTime = now_ms`.
    pub fn to_update(&self, now_ms: i64) -> Update {
        let mut u = Update::new().set(attr::UPDATE_TIME, now_ms);
        let ints = [
            (attr::RECV_MSG_OPT, self.recv_msg_opt.map(i64::from)),
            (attr::BURN_DURATION, self.burn_duration.map(i64::from)),
            (attr::GROUP_AT_TYPE, self.group_at_type.map(i64::from)),
            (attr::MIN_SEQ, self.min_seq),
            (attr::MAX_SEQ, self.max_seq),
            (attr::MSG_DESTRUCT_TIME, self.msg_destruct_time),
            (attr::LATEST_MSG_DESTRUCT_TIME, self.latest_msg_destruct_time),
        ];
        for (name, v) in ints {
            if let Some(v) = v {
                u = u.set(name, v);
            }
        }
        let bools = [
            (attr::IS_PINNED, self.is_pinned),
            (attr::IS_PRIVATE_CHAT, self.is_private_chat),
            (attr::IS_MSG_DESTRUCT, self.is_msg_destruct),
        ];
        for (name, v) in bools {
            if let Some(v) = v {
                u = u.set(name, v);
            }
        }
        for (name, v) in [(attr::ATTACHED_INFO, &self.attached_info), (attr::EX, &self.ex)] {
            if let Some(v) = v {
                u = u.set(name, v.as_str());
            }
        }
        u
    }
}

#[cfg(test)]
mod tests {
    use im_domain::store::{AttrValue, UpdateAction};

    use super::*;

    #[test]
    fn only_set_fields_are_written() {
        let p = ConversationPatch { is_pinned: Some(true), ex: Some("e".into()), ..Default::default() };
        let u = p.to_update(5);
        assert_eq!(
            u.actions,
            vec![
                UpdateAction::Set("updateTime".into(), AttrValue::N(5)),
                UpdateAction::Set("isPinned".into(), AttrValue::Bool(true)),
                UpdateAction::Set("ex".into(), AttrValue::S("e".into())),
            ]
        );
        let mut row = ConversationRecord::new("c", 1);
        assert!(p.differs_from(&row));
        p.apply_to(&mut row);
        assert!(row.is_pinned);
        assert_eq!(row.ex, "e");
        assert!(!p.differs_from(&row));
        assert!(ConversationPatch::default().is_empty());
        assert!(!p.is_empty());
    }

    #[test]
    fn from_requests_and_validation() {
        let req: ConversationReq =
            serde_json::from_str(r#"{"conversationID":"c","recvMsgOpt":2,"isPinned":null,"maxSeq":3}"#).unwrap();
        let p = ConversationPatch::from_req(&req);
        assert_eq!((p.recv_msg_opt, p.is_pinned, p.max_seq), (Some(2), None, Some(3)));
        assert!(p.validate().is_ok());
        let bad = ConversationPatch { recv_msg_opt: Some(3), ..Default::default() };
        assert_eq!(bad.validate().unwrap_err().code, 1001);
        let bad = ConversationPatch { min_seq: Some(-1), ..Default::default() };
        assert_eq!(bad.validate().unwrap_err().code, 1001);
        let up = UpdateConversationReq { latest_msg_destruct_time: Some(9), ..Default::default() };
        assert_eq!(ConversationPatch::from_update_req(&up).latest_msg_destruct_time, Some(9));
    }
}
