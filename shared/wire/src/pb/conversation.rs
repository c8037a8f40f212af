//! `openim.conversation`: the conversation service, `/conversation/*` routes (reference §1.6, A.6).

use super::messages;
use super::sdkws::RequestPagination;
use super::wrappers::{BoolValue, Int32Value, Int64Value, StringValue};

messages! {
    package = "openim.conversation";

    /// A user's conversation settings and seq bounds.
    Conversation {
        owner_user_id "ownerUserID" = 1: string,
        conversation_id "conversationID" = 2: string,
        recv_msg_opt "recvMsgOpt" = 3: int32,
        conversation_type "conversationType" = 4: int32,
        user_id "userID" = 5: string,
        group_id "groupID" = 6: string,
        is_pinned "isPinned" = 7: bool,
        attached_info "attachedInfo" = 8: string,
        is_private_chat "isPrivateChat" = 9: bool,
        group_at_type "groupAtType" = 10: int32,
        ex "ex" = 11: string,
        burn_duration "burnDuration" = 12: int32,
        min_seq "minSeq" = 13: int64,
        max_seq "maxSeq" = 14: int64,
        msg_destruct_time "msgDestructTime" = 15: int64,
        latest_msg_destruct_time "latestMsgDestructTime" = 16: int64,
        is_msg_destruct "isMsgDestruct" = 17: bool,
    }

    /// The settings of `/conversation/set_conversations`; wrapper fields, `null` = unchanged.
    ConversationReq {
        conversation_id "conversationID" = 1: string,
        conversation_type "conversationType" = 2: int32,
        user_id "userID" = 3: string,
        group_id "groupID" = 4: string,
        recv_msg_opt "recvMsgOpt" = 5: Int32Value,
        is_pinned "isPinned" = 6: BoolValue,
        attached_info "attachedInfo" = 7: StringValue,
        is_private_chat "isPrivateChat" = 8: BoolValue,
        ex "ex" = 9: StringValue,
        burn_duration "burnDuration" = 10: Int32Value,
        min_seq "minSeq" = 11: Int64Value,
        max_seq "maxSeq" = 12: Int64Value,
        group_at_type "groupAtType" = 13: Int32Value,
        msg_destruct_time "msgDestructTime" = 14: Int64Value,
        is_msg_destruct "isMsgDestruct" = 15: BoolValue,
    }

    /// Internal: store one conversation.
    SetConversationReq {
        conversation "conversation" = 1: Conversation,
    }

    /// Internal: response to [`SetConversationReq`] (empty).
    SetConversationResp {}

    /// `/conversation/get_conversation` request.
    GetConversationReq {
        conversation_id "conversationID" = 1: string,
        owner_user_id "ownerUserID" = 2: string,
    }

    /// `/conversation/get_conversation` response (field 2).
    GetConversationResp {
        conversation "conversation" = 2: Conversation,
    }

    /// `/conversation/get_sorted_conversation_list` request (empty IDs = all).
    GetSortedConversationListReq {
        user_id "userID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
        pagination "pagination" = 3: RequestPagination,
    }

    /// `/conversation/get_sorted_conversation_list` response.
    GetSortedConversationListResp {
        conversation_total "conversationTotal" = 1: int64,
        unread_total "unreadTotal" = 2: int64,
        conversation_elems "conversationElems" = 3: repeated ConversationElem,
    }

    /// One entry of [`GetSortedConversationListResp`]. Note the capitalised JSON key `IsPinned` (Go quirk).
    ConversationElem {
        conversation_id "conversationID" = 1: string,
        recv_msg_opt "recvMsgOpt" = 2: int32,
        unread_count "unreadCount" = 3: int64,
        is_pinned "IsPinned" = 4: bool,
        msg_info "msgInfo" = 5: MsgInfo,
    }

    /// Latest-message summary of a [`ConversationElem`]. Note the capitalised JSON key `LatestMsgRecvTime`
    /// (Go quirk); `content` is a string here.
    MsgInfo {
        server_msg_id "serverMsgID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        session_type "sessionType" = 3: int32,
        send_id "sendID" = 4: string,
        recv_id "recvID" = 5: string,
        sender_name "senderName" = 6: string,
        face_url "faceURL" = 7: string,
        group_id "groupID" = 8: string,
        group_name "groupName" = 9: string,
        group_face_url "groupFaceURL" = 10: string,
        group_type "groupType" = 11: int32,
        group_member_count "groupMemberCount" = 12: uint32,
        latest_msg_recv_time "LatestMsgRecvTime" = 13: int64,
        msg_from "msgFrom" = 14: int32,
        content_type "contentType" = 15: int32,
        content "content" = 16: string,
        ex "ex" = 17: string,
    }

    /// `/conversation/get_conversations` request.
    GetConversationsReq {
        owner_user_id "ownerUserID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
    }

    /// `/conversation/get_conversations` response (field 2).
    GetConversationsResp {
        conversations "conversations" = 2: repeated Conversation,
    }

    /// `/conversation/get_all_conversations` request.
    GetAllConversationsReq {
        owner_user_id "ownerUserID" = 1: string,
    }

    /// `/conversation/get_all_conversations` response (field 2).
    GetAllConversationsResp {
        conversations "conversations" = 2: repeated Conversation,
    }

    /// Internal: members of a group that do not want notifications.
    GetRecvMsgNotNotifyUserIdsReq as "GetRecvMsgNotNotifyUserIDsReq" {
        group_id "groupID" = 1: string,
    }

    /// Internal: response to [`GetRecvMsgNotNotifyUserIdsReq`].
    GetRecvMsgNotNotifyUserIdsResp as "GetRecvMsgNotNotifyUserIDsResp" {
        user_ids "userIDs" = 1: repeated string,
    }

    /// Internal: create both sides of a single chat's conversations.
    CreateSingleChatConversationsReq {
        recv_id "recvID" = 1: string,
        send_id "sendID" = 2: string,
        conversation_id "conversationID" = 3: string,
        conversation_type "conversationType" = 4: int32,
    }

    /// Internal: response to [`CreateSingleChatConversationsReq`] (empty).
    CreateSingleChatConversationsResp {}

    /// Internal: create a group's conversations for the given users.
    CreateGroupChatConversationsReq {
        user_ids "userIDs" = 1: repeated string,
        group_id "groupID" = 2: string,
    }

    /// Internal: response to [`CreateGroupChatConversationsReq`] (empty).
    CreateGroupChatConversationsResp {}

    /// Internal: set users' max seq of a conversation.
    SetConversationMaxSeqReq {
        conversation_id "conversationID" = 1: string,
        owner_user_id "ownerUserID" = 2: repeated string,
        max_seq "maxSeq" = 3: int64,
    }

    /// Internal: response to [`SetConversationMaxSeqReq`] (empty).
    SetConversationMaxSeqResp {}

    /// Internal: set users' min seq of a conversation.
    SetConversationMinSeqReq {
        conversation_id "conversationID" = 1: string,
        owner_user_id "ownerUserID" = 2: repeated string,
        min_seq "minSeq" = 3: int64,
    }

    /// Internal: response to [`SetConversationMinSeqReq`] (empty).
    SetConversationMinSeqResp {}

    /// Internal: a user's conversation IDs.
    GetConversationIdsReq as "GetConversationIDsReq" {
        user_id "userID" = 1: string,
    }

    /// Internal: response to [`GetConversationIdsReq`].
    GetConversationIdsResp as "GetConversationIDsResp" {
        conversation_ids "conversationIDs" = 1: repeated string,
    }

    /// `/conversation/set_conversations` request.
    SetConversationsReq {
        user_ids "userIDs" = 1: repeated string,
        conversation "conversation" = 2: ConversationReq,
    }

    /// `/conversation/set_conversations` response (empty).
    SetConversationsResp {}

    /// Internal: hash of a user's conversation IDs.
    GetUserConversationIdsHashReq as "GetUserConversationIDsHashReq" {
        owner_user_id "ownerUserID" = 1: string,
    }

    /// Internal: response to [`GetUserConversationIdsHashReq`].
    GetUserConversationIdsHashResp as "GetUserConversationIDsHashResp" {
        hash "hash" = 1: uint64,
    }

    /// Internal: conversations by ID.
    GetConversationsByConversationIdReq as "GetConversationsByConversationIDReq" {
        conversation_ids "conversationIDs" = 1: repeated string,
    }

    /// Internal: response to [`GetConversationsByConversationIdReq`].
    GetConversationsByConversationIdResp as "GetConversationsByConversationIDResp" {
        conversations "conversations" = 1: repeated Conversation,
    }

    /// `/conversation/get_conversation_offline_push_user_ids` request.
    GetConversationOfflinePushUserIdsReq as "GetConversationOfflinePushUserIDsReq" {
        conversation_id "conversationID" = 1: string,
        user_ids "userIDs" = 2: repeated string,
    }

    /// `/conversation/get_conversation_offline_push_user_ids` response.
    GetConversationOfflinePushUserIdsResp as "GetConversationOfflinePushUserIDsResp" {
        user_ids "userIDs" = 1: repeated string,
    }

    /// Internal: users that do not receive a conversation's messages.
    GetConversationNotReceiveMessageUserIdsReq as "GetConversationNotReceiveMessageUserIDsReq" {
        conversation_id "conversationID" = 1: string,
    }

    /// Internal: response to [`GetConversationNotReceiveMessageUserIdsReq`].
    GetConversationNotReceiveMessageUserIdsResp as "GetConversationNotReceiveMessageUserIDsResp" {
        user_ids "userIDs" = 1: repeated string,
    }

    /// Internal: update one conversation for several users; wrapper fields, `null` = unchanged.
    UpdateConversationReq {
        conversation_id "conversationID" = 1: string,
        user_ids "userIDs" = 2: repeated string,
        recv_msg_opt "recvMsgOpt" = 3: Int32Value,
        is_pinned "isPinned" = 4: BoolValue,
        attached_info "attachedInfo" = 5: StringValue,
        is_private_chat "isPrivateChat" = 6: BoolValue,
        ex "ex" = 7: StringValue,
        burn_duration "burnDuration" = 8: Int32Value,
        min_seq "minSeq" = 9: Int64Value,
        max_seq "maxSeq" = 10: Int64Value,
        group_at_type "groupAtType" = 11: Int32Value,
        msg_destruct_time "msgDestructTime" = 12: Int64Value,
        is_msg_destruct "isMsgDestruct" = 13: BoolValue,
        latest_msg_destruct_time "latestMsgDestructTime" = 14: Int64Value,
    }

    /// Internal: response to [`UpdateConversationReq`] (empty).
    UpdateConversationResp {}

    /// `/conversation/get_full_conversation_ids` request.
    GetFullOwnerConversationIdsReq as "GetFullOwnerConversationIDsReq" {
        id_hash "idHash" = 1: uint64,
        user_id "userID" = 2: string,
    }

    /// `/conversation/get_full_conversation_ids` response.
    GetFullOwnerConversationIdsResp as "GetFullOwnerConversationIDsResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        equal "equal" = 3: bool,
        conversation_ids "conversationIDs" = 4: repeated string,
    }

    /// `/conversation/get_incremental_conversations` request.
    GetIncrementalConversationReq {
        user_id "userID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// `/conversation/get_incremental_conversations` response.
    GetIncrementalConversationResp {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete "delete" = 4: repeated string,
        insert "insert" = 5: repeated Conversation,
        update "update" = 6: repeated Conversation,
    }

    /// `/conversation/get_owner_conversation` request.
    GetOwnerConversationReq {
        user_id "userID" = 1: string,
        pagination "pagination" = 2: RequestPagination,
    }

    /// `/conversation/get_owner_conversation` response.
    GetOwnerConversationResp {
        total "total" = 1: int64,
        conversations "conversations" = 2: repeated Conversation,
    }

    /// Internal: conversations whose messages need clearing (empty).
    GetConversationsNeedClearMsgReq {}

    /// Internal: response to [`GetConversationsNeedClearMsgReq`].
    GetConversationsNeedClearMsgResp {
        conversations "conversations" = 1: repeated Conversation,
    }

    /// `/conversation/get_not_notify_conversation_ids` request.
    GetNotNotifyConversationIdsReq as "GetNotNotifyConversationIDsReq" {
        user_id "userID" = 1: string,
    }

    /// `/conversation/get_not_notify_conversation_ids` response.
    GetNotNotifyConversationIdsResp as "GetNotNotifyConversationIDsResp" {
        conversation_ids "conversationIDs" = 1: repeated string,
    }

    /// `/conversation/get_pinned_conversation_ids` request.
    GetPinnedConversationIdsReq as "GetPinnedConversationIDsReq" {
        user_id "userID" = 1: string,
    }

    /// `/conversation/get_pinned_conversation_ids` response.
    GetPinnedConversationIdsResp as "GetPinnedConversationIDsResp" {
        conversation_ids "conversationIDs" = 1: repeated string,
    }

    /// Internal: clear users' conversation messages older than a time.
    ClearUserConversationMsgReq {
        timestamp "timestamp" = 1: int64,
        limit "limit" = 2: int32,
    }

    /// Internal: response to [`ClearUserConversationMsgReq`].
    ClearUserConversationMsgResp {
        count "count" = 1: int32,
    }

    /// `/conversation/update_conversations_by_user` request (main / v3.9 only).
    UpdateConversationsByUserReq {
        user_id "userID" = 1: string,
        ex "ex" = 2: StringValue,
    }

    /// `/conversation/update_conversations_by_user` response (empty).
    UpdateConversationsByUserResp {}
}
