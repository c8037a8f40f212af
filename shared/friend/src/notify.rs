//! Friend notifications (reference §6.6): session type 1, content `{"detail": <tips JSON>}`,
//! options from OpenIM's default `notification.yml` — every entry online-only (reliability level
//! 1), `unreadCount` false; `isSendMsg` only for 1201 FriendApplicationApproved; offline push for
//! 1201/1202/1203.

use im_domain::TenantId;
use im_domain::constants::{notification as nt, session_type};
use im_domain::ports::{Notification, Reliability};
use im_repo::UserRecord;
use serde::Serialize;

/// How one notification type is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// Content type (1201…1210).
    pub content_type: i32,
    /// `offlinePush` option.
    pub offline_push: bool,
    /// `isSendMsg`: also store a copy in the chat conversation.
    pub is_send_msg: bool,
}

const fn kind(content_type: i32, offline_push: bool, is_send_msg: bool) -> Kind {
    Kind { content_type, offline_push, is_send_msg }
}

/// 1201 FriendApplicationApproved.
pub const APPROVED: Kind = kind(nt::FRIEND_APPLICATION_APPROVED, true, true);
/// 1202 FriendApplicationRejected.
pub const REJECTED: Kind = kind(nt::FRIEND_APPLICATION_REJECTED, true, false);
/// 1203 FriendApplication.
pub const APPLICATION: Kind = kind(nt::FRIEND_APPLICATION, true, false);
/// 1204 FriendAdded.
pub const ADDED: Kind = kind(nt::FRIEND_ADDED, false, false);
/// 1205 FriendDeleted.
pub const DELETED: Kind = kind(nt::FRIEND_DELETED, false, false);
/// 1206 FriendRemarkSet.
pub const REMARK_SET: Kind = kind(nt::FRIEND_REMARK_SET, false, false);
/// 1207 BlackAdded.
pub const BLACK_ADDED: Kind = kind(nt::BLACK_ADDED, false, false);
/// 1208 BlackDeleted.
pub const BLACK_DELETED: Kind = kind(nt::BLACK_DELETED, false, false);
/// 1209 FriendInfoUpdated.
pub const INFO_UPDATED: Kind = kind(nt::FRIEND_INFO_UPDATED, false, false);
/// 1210 FriendsInfoUpdate.
pub const FRIENDS_INFO_UPDATE: Kind = kind(nt::FRIENDS_INFO_UPDATE, false, false);

/// A single-chat notification from `send` to `recv` carrying `tips` (sender name and face from
/// `sender`'s profile when known).
pub fn build(
    t: &TenantId,
    kind: Kind,
    send: &str,
    recv: &str,
    tips: &impl Serialize,
    sender: Option<&UserRecord>,
) -> Notification {
    Notification {
        tenant: t.clone(),
        send_id: send.to_string(),
        recv_id: recv.to_string(),
        group_id: String::new(),
        session_type: session_type::SINGLE,
        content_type: kind.content_type,
        detail: serde_json::to_string(tips).unwrap_or_else(|_| "{}".to_string()),
        reliability: Reliability::OnlineOnly,
        is_send_msg: kind.is_send_msg,
        unread_count: false,
        offline_push: kind.offline_push,
        sender_nickname: sender.map(|u| u.nickname.clone()).unwrap_or_default(),
        sender_face_url: sender.map(|u| u.face_url.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use im_wire::pb::sdkws::{BlackAddedTips, FromToUserID};

    use super::*;

    #[test]
    fn shape() {
        let tips =
            BlackAddedTips { from_to_user_id: Some(FromToUserID { from_user_id: "a".into(), to_user_id: "b".into() }) };
        let u = UserRecord { user_id: "a".into(), nickname: "A".into(), ..Default::default() };
        let n = build(&TenantId::default(), BLACK_ADDED, "a", "b", &tips, Some(&u));
        assert_eq!((n.session_type, n.content_type, n.sender_nickname.as_str()), (1, 1207, "A"));
        assert_eq!(n.detail, r#"{"fromToUserID":{"fromUserID":"a","toUserID":"b"}}"#);
        assert_eq!(n.reliability, Reliability::OnlineOnly);
    }
}
