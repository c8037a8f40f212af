//! `openim.jssdk`: the composite `/jssdk/*` routes used by the pure-JS SDK (reference §1.8, A.10).
//!
//! These routes also accept `application/x-protobuf` / `application/protobuf` request bodies; then the
//! envelope's `data` is base64 of the protobuf-encoded response.

use super::conversation::Conversation;
use super::messages;
use super::relation::FriendInfoOnly;
use super::sdkws::{GroupInfo, MsgData, UserInfo};

messages! {
    package = "openim.jssdk";

    /// A conversation with its last message and the peer's user, friend or group record.
    ConversationMsg {
        conversation "conversation" = 1: Conversation,
        last_msg "lastMsg" = 2: MsgData,
        user "user" = 3: UserInfo,
        friend "friend" = 4: FriendInfoOnly,
        group "group" = 5: GroupInfo,
        max_seq "maxSeq" = 6: int64,
        read_seq "readSeq" = 7: int64,
    }

    /// `/jssdk/get_active_conversations` request (`ownerUserID` is ignored: the token user is used;
    /// `count` defaults to 100, max 500).
    GetActiveConversationsReq {
        owner_user_id "ownerUserID" = 1: string,
        count "count" = 2: int64,
    }

    /// `/jssdk/get_active_conversations` response.
    GetActiveConversationsResp {
        unread_count "unreadCount" = 1: int64,
        conversations "conversations" = 2: repeated ConversationMsg,
    }

    /// `/jssdk/get_conversations` request.
    GetConversationsReq {
        owner_user_id "ownerUserID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
    }

    /// `/jssdk/get_conversations` response.
    GetConversationsResp {
        unread_count "unreadCount" = 1: int64,
        conversations "conversations" = 2: repeated ConversationMsg,
    }
}
