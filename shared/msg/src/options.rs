//! `MsgData.options` (reference §6.2): a `map<string,bool>` in which **a missing key means true**,
//! and the overrides the server applies by content type on send.

use std::collections::BTreeMap;

use im_domain::constants::{content_type, notification};
use im_wire::pb::sdkws::MsgData;

/// Option keys.
pub mod key {
    /// Stored with a seq (false: online only, no seq).
    pub const HISTORY: &str = "history";
    /// Persistent.
    pub const PERSISTENT: &str = "persistent";
    /// Offline push when the recipient has no online mobile device.
    pub const OFFLINE_PUSH: &str = "offlinePush";
    /// Counts as unread.
    pub const UNREAD_COUNT: &str = "unreadCount";
    /// Updates the recipient's conversation.
    pub const CONVERSATION_UPDATE: &str = "conversationUpdate";
    /// Pushed to the sender's other devices too.
    pub const SENDER_SYNC: &str = "senderSync";
    /// Not private.
    pub const NOT_PRIVATE: &str = "notPrivate";
    /// Updates the sender's conversation.
    pub const SENDER_CONVERSATION_UPDATE: &str = "senderConversationUpdate";
    /// Sender notification push.
    pub const SENDER_NOTIFICATION_PUSH: &str = "senderNotificationPush";
    /// Reaction from cache.
    pub const REACTION_FROM_CACHE: &str = "reactionFromCache";
    /// Present and false: the message belongs to the notification conversation (`n_…`).
    pub const IS_NOT_NOTIFICATION: &str = "isNotNotification";
    /// A notification that also gets a copy in the chat conversation.
    pub const IS_SEND_MSG: &str = "isSendMsg";
}

/// The options map of a message.
pub type Options = BTreeMap<String, bool>;

/// Whether option `name` is on (a missing key means true).
pub fn is(options: &Options, name: &str) -> bool {
    options.get(name).copied().unwrap_or(true)
}

/// Sets option `name`.
pub fn set(options: &mut Options, name: &str, value: bool) {
    options.insert(name.to_string(), value);
}

/// Whether the message goes to the notification conversation: `isNotNotification` present and false.
pub fn is_notification(options: &Options) -> bool {
    options.get(key::IS_NOT_NOTIFICATION) == Some(&false)
}

/// Applies the send-time overrides by content type (reference §6.2): revoke, read receipt and
/// typing messages never count as unread or push offline; typing is not even stored.
pub fn apply_content_overrides(msg: &mut MsgData) {
    let off: &[&str] = match msg.content_type {
        content_type::REVOKE => &[key::UNREAD_COUNT, key::OFFLINE_PUSH],
        notification::HAS_READ_RECEIPT => {
            &[key::CONVERSATION_UPDATE, key::SENDER_CONVERSATION_UPDATE, key::UNREAD_COUNT, key::OFFLINE_PUSH]
        }
        content_type::TYPING => &[
            key::HISTORY,
            key::PERSISTENT,
            key::SENDER_SYNC,
            key::CONVERSATION_UPDATE,
            key::SENDER_CONVERSATION_UPDATE,
            key::UNREAD_COUNT,
            key::OFFLINE_PUSH,
        ],
        _ => &[],
    };
    for name in off {
        set(&mut msg.options, name, false);
    }
}

/// The options OpenIM gives a server notification (`GetOptionsByNotification`): every switch off
/// except `senderSync`; `isNotNotification` false (so it lands in `n_…`); `history` and
/// `persistent` only when stored; `unreadCount` and `offlinePush` as configured; `isSendMsg`.
pub fn for_notification(stored: bool, is_send_msg: bool, unread_count: bool, offline_push: bool) -> Options {
    let mut o = Options::new();
    for name in [
        key::IS_NOT_NOTIFICATION,
        key::HISTORY,
        key::PERSISTENT,
        key::OFFLINE_PUSH,
        key::UNREAD_COUNT,
        key::CONVERSATION_UPDATE,
        key::NOT_PRIVATE,
        key::SENDER_CONVERSATION_UPDATE,
        key::REACTION_FROM_CACHE,
    ] {
        set(&mut o, name, false);
    }
    set(&mut o, key::SENDER_SYNC, true);
    set(&mut o, key::HISTORY, stored);
    set(&mut o, key::PERSISTENT, stored);
    set(&mut o, key::UNREAD_COUNT, unread_count);
    set(&mut o, key::OFFLINE_PUSH, offline_push);
    set(&mut o, key::IS_SEND_MSG, is_send_msg);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_means_true() {
        let mut o = Options::new();
        assert!(is(&o, key::HISTORY));
        set(&mut o, key::HISTORY, false);
        assert!(!is(&o, key::HISTORY));
        assert!(!is_notification(&o));
        set(&mut o, key::IS_NOT_NOTIFICATION, true);
        assert!(!is_notification(&o));
        set(&mut o, key::IS_NOT_NOTIFICATION, false);
        assert!(is_notification(&o));
    }

    #[test]
    fn overrides_by_content_type() {
        let mut typing = MsgData { content_type: content_type::TYPING, ..MsgData::default() };
        apply_content_overrides(&mut typing);
        assert!(!is(&typing.options, key::HISTORY));
        assert!(!is(&typing.options, key::SENDER_SYNC));
        let mut receipt = MsgData { content_type: notification::HAS_READ_RECEIPT, ..MsgData::default() };
        apply_content_overrides(&mut receipt);
        assert!(is(&receipt.options, key::HISTORY));
        assert!(!is(&receipt.options, key::UNREAD_COUNT));
        let mut revoke = MsgData { content_type: content_type::REVOKE, ..MsgData::default() };
        apply_content_overrides(&mut revoke);
        assert_eq!(revoke.options.len(), 2);
        let mut text = MsgData { content_type: content_type::TEXT, ..MsgData::default() };
        apply_content_overrides(&mut text);
        assert!(text.options.is_empty());
    }

    #[test]
    fn notification_options() {
        let o = for_notification(false, true, false, true);
        assert!(is_notification(&o));
        assert!(!is(&o, key::HISTORY));
        assert!(is(&o, key::SENDER_SYNC));
        assert!(is(&o, key::IS_SEND_MSG));
        assert!(is(&o, key::OFFLINE_PUSH));
        let o = for_notification(true, false, true, false);
        assert!(is(&o, key::HISTORY) && is(&o, key::PERSISTENT) && is(&o, key::UNREAD_COUNT));
        assert!(!is(&o, key::IS_SEND_MSG));
    }
}
