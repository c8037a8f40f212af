//! OpenIM enumerations (reference §3, §6.1, §6.6): platforms, session types, content types,
//! notification types, roles and statuses. Values are wire values; names follow OpenIM.

/// Client platform identifiers (`platformID`).
pub mod platform {
    /// iOS phone.
    pub const IOS: i32 = 1;
    /// Android phone.
    pub const ANDROID: i32 = 2;
    /// Windows desktop.
    pub const WINDOWS: i32 = 3;
    /// macOS desktop.
    pub const OSX: i32 = 4;
    /// Browser.
    pub const WEB: i32 = 5;
    /// Mini program.
    pub const MINI_WEB: i32 = 6;
    /// Linux desktop.
    pub const LINUX: i32 = 7;
    /// Android pad.
    pub const ANDROID_PAD: i32 = 8;
    /// iPad.
    pub const IPAD: i32 = 9;
    /// Admin (server-side tokens only).
    pub const ADMIN: i32 = 10;
    /// HarmonyOS.
    pub const HARMONY_OS: i32 = 11;

    /// Platform name as used in OpenIM's token-state keys, or `None` for an unknown ID.
    pub fn name(id: i32) -> Option<&'static str> {
        Some(match id {
            IOS => "IOS",
            ANDROID => "Android",
            WINDOWS => "Windows",
            OSX => "OSX",
            WEB => "Web",
            MINI_WEB => "MiniWeb",
            LINUX => "Linux",
            ANDROID_PAD => "APad",
            IPAD => "IPad",
            ADMIN => "Admin",
            HARMONY_OS => "HarmonyOS",
            _ => return None,
        })
    }

    /// Whether `id` is a known platform (1–11).
    pub fn is_known(id: i32) -> bool {
        name(id).is_some()
    }

    /// Platform class used by the multi-login policies (reference §3).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Class {
        /// iOS and Android phones.
        Mobile,
        /// Windows, macOS and Linux desktops.
        Pc,
        /// Android pads and iPads.
        Pad,
        /// Browsers.
        Web,
        /// Mini programs.
        MiniWeb,
        /// Admin tokens.
        Admin,
        /// HarmonyOS.
        HarmonyOs,
    }

    /// The class of a platform, or `None` for an unknown ID.
    pub fn class(id: i32) -> Option<Class> {
        Some(match id {
            IOS | ANDROID => Class::Mobile,
            WINDOWS | OSX | LINUX => Class::Pc,
            ANDROID_PAD | IPAD => Class::Pad,
            WEB => Class::Web,
            MINI_WEB => Class::MiniWeb,
            ADMIN => Class::Admin,
            HARMONY_OS => Class::HarmonyOs,
            _ => return None,
        })
    }
}

/// Conversation session types (`sessionType`).
pub mod session_type {
    /// One-to-one chat.
    pub const SINGLE: i32 = 1;
    /// Legacy write-diffusion group (rejected by send).
    pub const WRITE_GROUP: i32 = 2;
    /// Group chat (read diffusion; the only group type in use).
    pub const READ_GROUP: i32 = 3;
    /// System / notification-account chat.
    pub const NOTIFICATION: i32 = 4;
}

/// Message content types (`contentType`).
pub mod content_type {
    /// First user content type.
    pub const CONTENT_TYPE_BEGIN: i32 = 100;
    /// Plain text `{content}`.
    pub const TEXT: i32 = 101;
    /// Picture.
    pub const PICTURE: i32 = 102;
    /// Voice.
    pub const VOICE: i32 = 103;
    /// Video.
    pub const VIDEO: i32 = 104;
    /// File.
    pub const FILE: i32 = 105;
    /// Text with @-mentions.
    pub const AT_TEXT: i32 = 106;
    /// Merged forward.
    pub const MERGER: i32 = 107;
    /// Contact card.
    pub const CARD: i32 = 108;
    /// Location.
    pub const LOCATION: i32 = 109;
    /// Custom payload.
    pub const CUSTOM: i32 = 110;
    /// Revoke marker.
    pub const REVOKE: i32 = 111;
    /// Typing indicator.
    pub const TYPING: i32 = 113;
    /// Quote.
    pub const QUOTE: i32 = 114;
    /// Advanced text.
    pub const ADVANCED_TEXT: i32 = 117;
    /// Markdown text.
    pub const MARKDOWN_TEXT: i32 = 118;
    /// Custom message that does not touch the conversation.
    pub const CUSTOM_NOT_TRIGGER_CONVERSATION: i32 = 119;
    /// Custom online-only message.
    pub const CUSTOM_ONLINE_ONLY: i32 = 120;
    /// Reaction modifier.
    pub const REACTION_MESSAGE_MODIFIER: i32 = 121;
    /// Reaction deleter.
    pub const REACTION_MESSAGE_DELETER: i32 = 122;
    /// Common.
    pub const COMMON: i32 = 200;
    /// Group message.
    pub const GROUP_MSG: i32 = 201;
    /// Signalling message.
    pub const SIGNAL_MSG: i32 = 202;
    /// Custom notification.
    pub const CUSTOM_NOTIFICATION: i32 = 203;
    /// First notification content type.
    pub const NOTIFICATION_BEGIN: i32 = 1000;
    /// OA notification from a notification account.
    pub const OA_NOTIFICATION: i32 = 1400;
    /// Business notification.
    pub const BUSINESS_NOTIFICATION: i32 = 2001;
    /// Last notification content type.
    pub const NOTIFICATION_END: i32 = 5000;

    /// Whether the content type is a server notification (1000..=5000).
    pub fn is_notification(ct: i32) -> bool {
        (NOTIFICATION_BEGIN..=NOTIFICATION_END).contains(&ct)
    }
}

/// Notification content types (reference §6.6).
pub mod notification {
    /// Friend application approved.
    pub const FRIEND_APPLICATION_APPROVED: i32 = 1201;
    /// Friend application rejected.
    pub const FRIEND_APPLICATION_REJECTED: i32 = 1202;
    /// Friend application.
    pub const FRIEND_APPLICATION: i32 = 1203;
    /// Friend added.
    pub const FRIEND_ADDED: i32 = 1204;
    /// Friend deleted.
    pub const FRIEND_DELETED: i32 = 1205;
    /// Friend remark set.
    pub const FRIEND_REMARK_SET: i32 = 1206;
    /// Black added.
    pub const BLACK_ADDED: i32 = 1207;
    /// Black deleted.
    pub const BLACK_DELETED: i32 = 1208;
    /// Friend info updated.
    pub const FRIEND_INFO_UPDATED: i32 = 1209;
    /// Friends info update.
    pub const FRIENDS_INFO_UPDATE: i32 = 1210;
    /// Conversation changed.
    pub const CONVERSATION_CHANGE: i32 = 1300;
    /// User info updated.
    pub const USER_INFO_UPDATED: i32 = 1303;
    /// User status change.
    pub const USER_STATUS_CHANGE: i32 = 1304;
    /// User command added.
    pub const USER_COMMAND_ADD: i32 = 1305;
    /// User command deleted.
    pub const USER_COMMAND_DELETE: i32 = 1306;
    /// User command updated.
    pub const USER_COMMAND_UPDATE: i32 = 1307;
    /// User online-status subscription.
    pub const USER_SUBSCRIBE_ONLINE_STATUS: i32 = 1308;
    /// Group created.
    pub const GROUP_CREATED: i32 = 1501;
    /// Group info set.
    pub const GROUP_INFO_SET: i32 = 1502;
    /// Join-group application.
    pub const JOIN_GROUP_APPLICATION: i32 = 1503;
    /// Member quit.
    pub const MEMBER_QUIT: i32 = 1504;
    /// Group application accepted.
    pub const GROUP_APPLICATION_ACCEPTED: i32 = 1505;
    /// Group application rejected.
    pub const GROUP_APPLICATION_REJECTED: i32 = 1506;
    /// Group owner transferred.
    pub const GROUP_OWNER_TRANSFERRED: i32 = 1507;
    /// Member kicked.
    pub const MEMBER_KICKED: i32 = 1508;
    /// Member invited.
    pub const MEMBER_INVITED: i32 = 1509;
    /// Member entered.
    pub const MEMBER_ENTER: i32 = 1510;
    /// Group dismissed.
    pub const GROUP_DISMISSED: i32 = 1511;
    /// Group member muted.
    pub const GROUP_MEMBER_MUTED: i32 = 1512;
    /// Group member unmuted.
    pub const GROUP_MEMBER_CANCEL_MUTED: i32 = 1513;
    /// Group muted.
    pub const GROUP_MUTED: i32 = 1514;
    /// Group unmuted.
    pub const GROUP_CANCEL_MUTED: i32 = 1515;
    /// Group member info set.
    pub const GROUP_MEMBER_INFO_SET: i32 = 1516;
    /// Group member set to admin.
    pub const GROUP_MEMBER_SET_TO_ADMIN: i32 = 1517;
    /// Group member set to ordinary user.
    pub const GROUP_MEMBER_SET_TO_ORDINARY_USER: i32 = 1518;
    /// Group announcement set.
    pub const GROUP_INFO_SET_ANNOUNCEMENT: i32 = 1519;
    /// Group name set.
    pub const GROUP_INFO_SET_NAME: i32 = 1520;
    /// Super-group update.
    pub const SUPER_GROUP_UPDATE: i32 = 1651;
    /// Message delete.
    pub const MSG_DELETE: i32 = 1652;
    /// Conversation private chat.
    pub const CONVERSATION_PRIVATE_CHAT: i32 = 1701;
    /// Conversation unread.
    pub const CONVERSATION_UNREAD: i32 = 1702;
    /// Clear conversation.
    pub const CLEAR_CONVERSATION: i32 = 1703;
    /// Business notification.
    pub const BUSINESS: i32 = 2001;
    /// Message revoked.
    pub const MSG_REVOKE: i32 = 2101;
    /// Messages deleted.
    pub const DELETE_MSGS: i32 = 2102;
    /// Read receipt.
    pub const HAS_READ_RECEIPT: i32 = 2200;
}

/// Sender of a message (`msgFrom`).
pub mod msg_from {
    /// Sent by a user.
    pub const USER: i32 = 100;
    /// Generated by the system.
    pub const SYSTEM: i32 = 200;
}

/// Message status (`status`).
pub mod msg_status {
    /// Sending.
    pub const SENDING: i32 = 1;
    /// Sent successfully.
    pub const SUCCESS: i32 = 2;
    /// Failed.
    pub const FAILED: i32 = 3;
    /// Deleted / missing placeholder.
    pub const DELETED: i32 = 4;
    /// Filtered.
    pub const FILTERED: i32 = 5;
}

/// Conversation receive option (`recvMsgOpt`).
pub mod recv_msg_opt {
    /// Receive and notify.
    pub const NORMAL: i32 = 0;
    /// Do not receive.
    pub const NOT_RECEIVE: i32 = 1;
    /// Receive without offline push.
    pub const NOT_NOTIFY: i32 = 2;
}

/// Application manager levels (`appMangerLevel`).
pub mod app_manager_level {
    /// Ordinary IM user.
    pub const IM_ORDINARY: i32 = 0;
    /// Ordinary app user.
    pub const APP_ORDINARY: i32 = 1;
    /// App admin.
    pub const APP_ADMIN: i32 = 2;
    /// Notification account.
    pub const NOTIFICATION_ADMIN: i32 = 3;
    /// Robot account.
    pub const ROBOT_ADMIN: i32 = 4;
}

/// Group member role levels (`roleLevel`).
pub mod group_role {
    /// Group owner.
    pub const OWNER: i32 = 100;
    /// Group admin.
    pub const ADMIN: i32 = 60;
    /// Ordinary member.
    pub const ORDINARY: i32 = 20;
}

/// Group status (`status`).
pub mod group_status {
    /// Normal.
    pub const OK: i32 = 0;
    /// Chat banned.
    pub const BAN_CHAT: i32 = 1;
    /// Dismissed.
    pub const DISMISSED: i32 = 2;
    /// Muted.
    pub const MUTED: i32 = 3;
}

/// Group types (`groupType`).
pub mod group_type {
    /// Normal group (legacy).
    pub const NORMAL: i32 = 0;
    /// Super group (legacy).
    pub const SUPER: i32 = 1;
    /// Working group, the only type accepted on create.
    pub const WORKING: i32 = 2;
}

/// Group join verification (`needVerification`).
pub mod group_verification {
    /// Applications need approval; invitations join directly.
    pub const APPLY_NEED_INVITE_NOT: i32 = 0;
    /// Everything needs verification.
    pub const ALL_NEED: i32 = 1;
    /// Join directly.
    pub const DIRECT: i32 = 2;
}

/// Group join source (`joinSource`).
pub mod join_source {
    /// Added by an admin.
    pub const ADMIN: i32 = 1;
    /// Invitation.
    pub const INVITATION: i32 = 2;
    /// Search.
    pub const SEARCH: i32 = 3;
    /// QR code.
    pub const QR_CODE: i32 = 4;
}

/// Friend add source (`addSource`).
pub mod add_source {
    /// Imported by an admin.
    pub const IMPORT: i32 = 1;
    /// Applied and approved.
    pub const APPLY: i32 = 2;
}

/// Application handle result (`handleResult`).
pub mod handle_result {
    /// Pending.
    pub const PENDING: i32 = 0;
    /// Accepted.
    pub const AGREE: i32 = 1;
    /// Refused.
    pub const REFUSE: i32 = -1;
}

/// Token states (reference §3).
pub mod token_state {
    /// Valid.
    pub const NORMAL: i32 = 0;
    /// Invalid.
    pub const INVALID: i32 = 1;
    /// Kicked (force-logout or multi-login policy).
    pub const KICKED: i32 = 2;
    /// Expired.
    pub const EXPIRED: i32 = 3;
}

/// Multi-login policies (`multiLogin.policy`).
pub mod multi_login {
    /// Keep at most `maxNumOneEnd` tokens per platform.
    pub const DEFAULT_NOT_KICK: i32 = 0;
    /// Keep only the newest token on each platform.
    pub const ALL_LOGIN_BUT_SAME_TERM_KICK: i32 = 1;
    /// Kick every token of the same platform class.
    pub const ALL_LOGIN_BUT_SAME_CLASS_KICK: i32 = 4;
    /// PCs never kicked; one non-PC platform at a time.
    pub const PC_AND_OTHER: i32 = 5;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_names_and_classes_cover_1_to_11() {
        for id in 1..=11 {
            assert!(platform::name(id).is_some(), "{id}");
            assert!(platform::class(id).is_some(), "{id}");
        }
        assert_eq!(platform::name(0), None);
        assert_eq!(platform::name(12), None);
        assert_eq!(platform::name(platform::ANDROID_PAD), Some("APad"));
        assert_eq!(platform::class(platform::LINUX), Some(platform::Class::Pc));
    }

    #[test]
    fn notification_range() {
        assert!(content_type::is_notification(notification::GROUP_CREATED));
        assert!(!content_type::is_notification(content_type::TEXT));
    }
}
