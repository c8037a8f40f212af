//! Conversation-ID rules (reference §6.1).

use crate::constants::session_type;

/// Sorts two user IDs lexicographically and joins them with `_`.
fn sorted_pair(a: &str, b: &str) -> String {
    if a <= b { format!("{a}_{b}") } else { format!("{b}_{a}") }
}

/// The chat conversation ID for a message, or `None` for an unknown session type.
///
/// Single: `si_<a>_<b>`; write group: `g_<groupID>`; read group: `sg_<groupID>`;
/// notification: `sn_<a>_<b>` (user pairs sorted).
pub fn chat_conversation_id(session_type: i32, send_id: &str, recv_id: &str, group_id: &str) -> Option<String> {
    Some(match session_type {
        session_type::SINGLE => format!("si_{}", sorted_pair(send_id, recv_id)),
        session_type::WRITE_GROUP => format!("g_{group_id}"),
        session_type::READ_GROUP => format!("sg_{group_id}"),
        session_type::NOTIFICATION => format!("sn_{}", sorted_pair(send_id, recv_id)),
        _ => return None,
    })
}

/// The notification conversation ID (`n_…`) for a message, or `None` for an unknown session type.
pub fn notification_conversation_id(session_type: i32, send_id: &str, recv_id: &str, group_id: &str) -> Option<String> {
    Some(match session_type {
        session_type::SINGLE | session_type::NOTIFICATION => format!("n_{}", sorted_pair(send_id, recv_id)),
        session_type::WRITE_GROUP | session_type::READ_GROUP => format!("n_{group_id}"),
        _ => return None,
    })
}

/// A user's own notification conversation, `n_<uid>_<uid>`.
pub fn self_notification_conversation_id(user_id: &str) -> String {
    format!("n_{user_id}_{user_id}")
}

/// Whether a conversation ID is a notification conversation (`n_` prefix).
pub fn is_notification_conversation(conversation_id: &str) -> bool {
    conversation_id.starts_with("n_")
}

/// Whether a message with these options goes to the notification conversation:
/// `isNotNotification` present and false.
pub fn goes_to_notification_conversation(is_not_notification: Option<bool>) -> bool {
    is_not_notification == Some(false)
}

/// The group ID of a group conversation (`sg_`/`g_`/`n_<groupID>` is ambiguous, so only `sg_`/`g_`).
pub fn group_id_of(conversation_id: &str) -> Option<&str> {
    conversation_id.strip_prefix("sg_").or_else(|| conversation_id.strip_prefix("g_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ids_are_sorted() {
        assert_eq!(chat_conversation_id(1, "bob", "alice", "").as_deref(), Some("si_alice_bob"));
        assert_eq!(chat_conversation_id(1, "alice", "bob", "").as_deref(), Some("si_alice_bob"));
        assert_eq!(notification_conversation_id(1, "u2", "u1", "").as_deref(), Some("n_u1_u2"));
        assert_eq!(chat_conversation_id(4, "z", "a", "").as_deref(), Some("sn_a_z"));
    }

    #[test]
    fn group_ids() {
        assert_eq!(chat_conversation_id(3, "a", "", "g1").as_deref(), Some("sg_g1"));
        assert_eq!(chat_conversation_id(2, "a", "", "g1").as_deref(), Some("g_g1"));
        assert_eq!(notification_conversation_id(3, "a", "", "g1").as_deref(), Some("n_g1"));
        assert_eq!(chat_conversation_id(9, "a", "b", ""), None);
        assert_eq!(group_id_of("sg_123"), Some("123"));
        assert_eq!(group_id_of("si_a_b"), None);
    }

    #[test]
    fn notification_routing() {
        assert!(goes_to_notification_conversation(Some(false)));
        assert!(!goes_to_notification_conversation(None));
        assert!(!goes_to_notification_conversation(Some(true)));
        assert_eq!(self_notification_conversation_id("u"), "n_u_u");
        assert!(is_notification_conversation("n_u_u"));
    }
}
