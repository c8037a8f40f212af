//! The group notifications (reference §6.6) as OpenIM's default `notification.yml` configures
//! them: session type 3 to the group, except 1503/1505/1506 (session type 1, one per
//! recipient); every one online-only (reliability level 1); `isSendMsg` entries also get a
//! stored copy in `sg_<groupID>`. OpenIM sets `unreadCount` whenever `isSendMsg` is on
//! (`config.GetOptionsByNotification`), and `offlinePush` only for the application
//! notifications. Requests with `sendMessage` override `isSendMsg`.

use im_domain::TenantId;
use im_domain::constants::{notification as nt, session_type};
use im_domain::ports::{Notification, Reliability};

/// How one notification content type is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// Session type (3 group, 1 single).
    pub session_type: i32,
    /// Stored copy in the chat conversation by default.
    pub is_send_msg: bool,
    /// Offline push.
    pub offline_push: bool,
}

/// The configuration of a group notification content type (1501–1520).
pub fn kind(content_type: i32) -> Kind {
    let group = |is_send_msg| Kind { session_type: session_type::READ_GROUP, is_send_msg, offline_push: false };
    match content_type {
        nt::JOIN_GROUP_APPLICATION | nt::GROUP_APPLICATION_ACCEPTED | nt::GROUP_APPLICATION_REJECTED => {
            Kind { session_type: session_type::SINGLE, is_send_msg: false, offline_push: true }
        }
        nt::GROUP_INFO_SET
        | nt::GROUP_MEMBER_INFO_SET
        | nt::GROUP_MEMBER_SET_TO_ADMIN
        | nt::GROUP_MEMBER_SET_TO_ORDINARY_USER => group(false),
        _ => group(true),
    }
}

/// Content types whose message carries the operator's nickname and face URL.
pub fn names_sender(content_type: i32) -> bool {
    matches!(content_type, nt::GROUP_INFO_SET | nt::GROUP_INFO_SET_ANNOUNCEMENT)
}

/// A group notification to `target`: the group ID for session type 3, a user ID for type 1.
pub fn build(
    tenant: &TenantId,
    send_id: &str,
    target: &str,
    content_type: i32,
    detail: String,
    send_message: Option<bool>,
) -> Notification {
    let k = kind(content_type);
    let is_send_msg = send_message.unwrap_or(k.is_send_msg);
    let group_id = if k.session_type == session_type::READ_GROUP { target.to_string() } else { String::new() };
    Notification {
        tenant: tenant.clone(),
        send_id: send_id.to_string(),
        recv_id: target.to_string(),
        group_id,
        session_type: k.session_type,
        content_type,
        detail,
        reliability: Reliability::OnlineOnly,
        is_send_msg,
        unread_count: is_send_msg,
        offline_push: k.offline_push,
        sender_nickname: String::new(),
        sender_face_url: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue() {
        let send: Vec<i32> = (1501..=1520).filter(|c| kind(*c).is_send_msg).collect();
        assert_eq!(send, [1501, 1504, 1507, 1508, 1509, 1510, 1511, 1512, 1513, 1514, 1515, 1519, 1520]);
        let single: Vec<i32> = (1501..=1520).filter(|c| kind(*c).session_type == 1).collect();
        assert_eq!(single, [1503, 1505, 1506]);
        let n = build(&TenantId::default_tenant(), "op", "g1", 1501, "{}".into(), Some(false));
        assert_eq!((n.recv_id.as_str(), n.group_id.as_str(), n.session_type), ("g1", "g1", 3));
        assert!(!n.is_send_msg && !n.unread_count);
        let n = build(&TenantId::default_tenant(), "op", "u1", 1503, "{}".into(), None);
        assert_eq!((n.group_id.as_str(), n.session_type, n.offline_push), ("", 1, true));
    }
}
