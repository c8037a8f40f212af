//! `openim.msg`: the message service, `/msg/*` routes and WS 1003/1005/1006/1007 (reference §1.5, §5.3,
//! A.5).
//!
//! Routes that take `openim.sdkws` types directly: `/msg/newest_seq` ([`GetMaxSeqReq`]/[`GetMaxSeqResp`])
//! and `/msg/pull_msg_by_seq` ([`PullMessageBySeqsReq`]/[`PullMessageBySeqsResp`]). The admin-only
//! `/msg/send_msg`, `/msg/batch_send_msg` and `/msg/send_business_notification` bodies are plain JSON (gin
//! binding, not protobuf) and live in [`api`].
//!
//! [`GetMaxSeqReq`]: super::sdkws::GetMaxSeqReq
//! [`GetMaxSeqResp`]: super::sdkws::GetMaxSeqResp
//! [`PullMessageBySeqsReq`]: super::sdkws::PullMessageBySeqsReq
//! [`PullMessageBySeqsResp`]: super::sdkws::PullMessageBySeqsResp

use super::conversation::Conversation;
use super::messages;
use super::sdkws::{GroupInfo, MsgData, PullMsgs, PullOrder, RequestPagination, UserInfo};

pub mod api;

messages! {
    package = "openim.msg";

    /// Kafka `toRedis` value: a message to store.
    MsgDataToMq as "MsgDataToMQ" {
        token "token" = 1: string,
        msg_data "msgData" = 2: MsgData,
    }

    /// A message to persist.
    MsgDataToDb as "MsgDataToDB" {
        msg_data "msgData" = 1: MsgData,
    }

    /// Kafka `toPush` value.
    PushMsgDataToMq as "PushMsgDataToMQ" {
        msg_data "msgData" = 1: MsgData,
        conversation_id "conversationID" = 2: string,
    }

    /// Kafka `toMongo` value.
    MsgDataToMongoByMq as "MsgDataToMongoByMQ" {
        last_seq "lastSeq" = 1: int64,
        conversation_id "conversationID" = 2: string,
        msg_data "msgData" = 3: repeated MsgData,
    }

    /// Legacy max/min seq request. Note the capitalised JSON key `UserID` (Go quirk).
    GetMaxAndMinSeqReq {
        user_id "UserID" = 1: string,
    }

    /// Legacy max/min seq response. Note the capitalised JSON keys `MaxSeq`, `MinSeq` (Go quirk).
    GetMaxAndMinSeqResp {
        max_seq "MaxSeq" = 1: int64,
        min_seq "MinSeq" = 2: int64,
    }

    /// Send request (field 3; fields 1–2 unused).
    SendMsgReq {
        msg_data "msgData" = 3: MsgData,
    }

    /// WS 1003 / `/msg/send_msg` response (`modify` is `null` unless a webhook rewrote the message).
    SendMsgResp {
        server_msg_id "serverMsgID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        send_time "sendTime" = 3: int64,
        modify "modify" = 4: MsgData,
    }

    /// `/msg/send_simple_msg` request (main / v3.9 only).
    SendSimpleMsgReq {
        msg_data "msgData" = 3: MsgData,
    }

    /// `/msg/send_simple_msg` response (main / v3.9 only).
    SendSimpleMsgResp {
        server_msg_id "serverMsgID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        send_time "sendTime" = 3: int64,
        modify "modify" = 4: MsgData,
    }

    /// Sets the send-status flag.
    SetSendMsgStatusReq {
        status "status" = 1: int32,
    }

    /// Response to [`SetSendMsgStatusReq`] (empty).
    SetSendMsgStatusResp {}

    /// `/msg/check_msg_is_send_success` request (empty).
    GetSendMsgStatusReq {}

    /// `/msg/check_msg_is_send_success` response.
    GetSendMsgStatusResp {
        status "status" = 1: int32,
    }

    /// Kafka value: messages to modify.
    MsgDataToModifyByMq as "MsgDataToModifyByMQ" {
        messages "messages" = 1: repeated MsgData,
        conversation_id "conversationID" = 2: string,
    }

    /// Legacy delete request (empty).
    DelMsgsReq {}

    /// Legacy delete response (empty).
    DelMsgsResp {}

    /// `/msg/revoke_msg` request.
    RevokeMsgReq {
        conversation_id "conversationID" = 1: string,
        seq "seq" = 2: int64,
        user_id "userID" = 3: string,
    }

    /// `/msg/revoke_msg` response (empty).
    RevokeMsgResp {}

    /// `/msg/mark_msgs_as_read` request.
    MarkMsgsAsReadReq {
        conversation_id "conversationID" = 1: string,
        seqs "seqs" = 2: repeated int64,
        user_id "userID" = 3: string,
    }

    /// `/msg/mark_msgs_as_read` response (empty).
    MarkMsgsAsReadResp {}

    /// `/msg/mark_conversation_as_read` request.
    MarkConversationAsReadReq {
        conversation_id "conversationID" = 1: string,
        user_id "userID" = 2: string,
        has_read_seq "hasReadSeq" = 3: int64,
        seqs "seqs" = 4: repeated int64,
    }

    /// `/msg/mark_conversation_as_read` response (empty).
    MarkConversationAsReadResp {}

    /// `/msg/set_conversation_has_read_seq` request.
    SetConversationHasReadSeqReq {
        conversation_id "conversationID" = 1: string,
        user_id "userID" = 2: string,
        has_read_seq "hasReadSeq" = 3: int64,
        no_notification "noNotification" = 4: bool,
    }

    /// `/msg/set_conversation_has_read_seq` response (empty).
    SetConversationHasReadSeqResp {}

    /// Delete sync options. Note the capitalised JSON keys `IsSyncSelf`, `IsSyncOther` (Go quirk) and the
    /// field numbers 3 and 4.
    DeleteSyncOpt {
        is_sync_self "IsSyncSelf" = 3: bool,
        is_sync_other "IsSyncOther" = 4: bool,
    }

    /// `/msg/clear_conversation_msg` request.
    ClearConversationsMsgReq {
        conversation_ids "conversationIDs" = 1: repeated string,
        user_id "userID" = 2: string,
        delete_sync_opt "deleteSyncOpt" = 3: DeleteSyncOpt,
    }

    /// `/msg/clear_conversation_msg` response (empty).
    ClearConversationsMsgResp {}

    /// `/msg/user_clear_all_msg` request (field 2 unused).
    UserClearAllMsgReq {
        user_id "userID" = 1: string,
        delete_sync_opt "deleteSyncOpt" = 3: DeleteSyncOpt,
    }

    /// `/msg/user_clear_all_msg` response (empty).
    UserClearAllMsgResp {}

    /// `/msg/delete_msgs` request.
    DeleteMsgsReq {
        conversation_id "conversationID" = 1: string,
        seqs "seqs" = 2: repeated int64,
        user_id "userID" = 3: string,
        delete_sync_opt "deleteSyncOpt" = 4: DeleteSyncOpt,
    }

    /// `/msg/delete_msgs` response (empty).
    DeleteMsgsResp {}

    /// `/msg/delete_msg_physical` request.
    DeleteMsgPhysicalReq {
        conversation_ids "conversationIDs" = 1: repeated string,
        timestamp "timestamp" = 2: int64,
    }

    /// `/msg/delete_msg_physical` response (empty).
    DeleteMsgPhysicalResp {}

    /// `/msg/delete_msg_phsical_by_seq` request (sic, the path's typo).
    DeleteMsgPhysicalBySeqReq {
        conversation_id "conversationID" = 1: string,
        seqs "seqs" = 2: repeated int64,
    }

    /// `/msg/delete_msg_phsical_by_seq` response (empty).
    DeleteMsgPhysicalBySeqResp {}

    /// Internal: max seqs of conversations.
    GetMaxSeqsReq {
        conversation_ids "conversationIDs" = 1: repeated string,
    }

    /// Internal: a user's read seqs of conversations.
    GetHasReadSeqsReq {
        user_id "userID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
    }

    /// Internal: seqs keyed by conversation ID.
    SeqsInfoResp {
        max_seqs "maxSeqs" = 1: map<string, int64>,
    }

    /// Internal: latest messages of conversations.
    GetMsgByConversationIdsReq as "GetMsgByConversationIDsReq" {
        conversation_ids "conversationIDs" = 1: repeated string,
        max_seqs "maxSeqs" = 2: map<string, int64>,
    }

    /// Internal: messages keyed by conversation ID.
    GetMsgByConversationIdsResp as "GetMsgByConversationIDsResp" {
        msg_datas "msgDatas" = 1: map<string, MsgData>,
    }

    /// Internal: one conversation's max seq.
    GetConversationMaxSeqReq {
        conversation_id "conversationID" = 1: string,
    }

    /// Internal: one conversation's max seq.
    GetConversationMaxSeqResp {
        max_seq "maxSeq" = 1: int64,
    }

    /// WS 1006 / `/msg/get_conversations_has_read_and_max_seq` request (empty IDs = all).
    GetConversationsHasReadAndMaxSeqReq {
        user_id "userID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
        return_pinned "returnPinned" = 3: bool,
    }

    /// Seq state of one conversation for a user.
    Seqs {
        max_seq "maxSeq" = 1: int64,
        has_read_seq "hasReadSeq" = 2: int64,
        max_seq_time "maxSeqTime" = 3: int64,
    }

    /// WS 1006 / `/msg/get_conversations_has_read_and_max_seq` response.
    GetConversationsHasReadAndMaxSeqResp {
        seqs "seqs" = 1: map<string, Seqs>,
        pinned_conversation_ids "pinnedConversationIDs" = 2: repeated string,
    }

    /// `/statistics/user/active` request.
    GetActiveUserReq {
        start "start" = 1: int64,
        end "end" = 2: int64,
        ase "ase" = 3: bool,
        group "group" = 4: bool,
        pagination "pagination" = 5: RequestPagination,
    }

    /// One entry of [`GetActiveUserResp`].
    ActiveUser {
        user "user" = 1: UserInfo,
        count "count" = 2: int64,
    }

    /// `/statistics/user/active` response.
    GetActiveUserResp {
        msg_count "msgCount" = 1: int64,
        user_count "userCount" = 2: int64,
        date_count "dateCount" = 3: map<string, int64>,
        users "users" = 4: repeated ActiveUser,
    }

    /// `/statistics/group/active` request.
    GetActiveGroupReq {
        start "start" = 1: int64,
        end "end" = 2: int64,
        ase "ase" = 3: bool,
        pagination "pagination" = 4: RequestPagination,
    }

    /// One entry of [`GetActiveGroupResp`].
    ActiveGroup {
        group "group" = 1: GroupInfo,
        count "count" = 2: int64,
    }

    /// `/statistics/group/active` response.
    GetActiveGroupResp {
        msg_count "msgCount" = 1: int64,
        group_count "groupCount" = 2: int64,
        date_count "dateCount" = 3: map<string, int64>,
        groups "groups" = 4: repeated ActiveGroup,
    }

    /// `/msg/search_msg` request (`sendTime` is a `YYYY-MM-DD` string or empty).
    SearchMessageReq {
        send_id "sendID" = 1: string,
        recv_id "recvID" = 2: string,
        content_type "contentType" = 3: int32,
        send_time "sendTime" = 4: string,
        session_type "sessionType" = 5: int32,
        pagination "pagination" = 6: RequestPagination,
    }

    /// One entry of [`SearchMessageResp`].
    SearchChatLog {
        chat_log "chatLog" = 1: ChatLog,
        is_revoked "isRevoked" = 2: bool,
    }

    /// A searched message with its revoke flag.
    SearchedMsgData {
        msg_data "msgData" = 1: MsgData,
        is_revoked "isRevoked" = 2: bool,
    }

    /// `/msg/search_msg` response.
    SearchMessageResp {
        chat_logs "chatLogs" = 1: repeated SearchChatLog,
        chat_logs_num "chatLogsNum" = 2: int32,
    }

    /// A message as shown by `/msg/search_msg` (content as a string).
    ChatLog {
        server_msg_id "serverMsgID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        send_id "sendID" = 3: string,
        recv_id "recvID" = 4: string,
        group_id "groupID" = 5: string,
        recv_nickname "recvNickname" = 6: string,
        sender_platform_id "senderPlatformID" = 7: int32,
        sender_nickname "senderNickname" = 8: string,
        sender_face_url "senderFaceURL" = 9: string,
        group_name "groupName" = 10: string,
        session_type "sessionType" = 11: int32,
        msg_from "msgFrom" = 12: int32,
        content_type "contentType" = 13: int32,
        content "content" = 14: string,
        status "status" = 15: int32,
        send_time "sendTime" = 16: int64,
        create_time "createTime" = 17: int64,
        ex "ex" = 18: string,
        group_face_url "groupFaceURL" = 19: string,
        group_member_count "groupMemberCount" = 20: uint32,
        seq "seq" = 21: int64,
        group_owner "groupOwner" = 22: string,
        group_type "groupType" = 23: int32,
    }

    /// Internal batch send request.
    BatchSendMessageReq as "batchSendMessageReq" {
        recv_id_list "recvIDList" = 1: repeated string,
        msg_data "msgData" = 2: MsgData,
    }

    /// Internal batch send response (empty).
    BatchSendMessageResp as "batchSendMessageResp" {}

    /// `/msg/get_server_time` request (empty).
    GetServerTimeReq {}

    /// `/msg/get_server_time` response (ms).
    GetServerTimeResp {
        server_time "serverTime" = 1: int64,
    }

    /// Internal: clear conversations' messages.
    ClearMsgReq {
        conversations "conversations" = 1: repeated Conversation,
    }

    /// Internal: response to [`ClearMsgReq`] (empty).
    ClearMsgResp {}

    /// Internal: destruct expired messages.
    DestructMsgsReq {
        timestamp "timestamp" = 1: int64,
        limit "limit" = 2: int32,
    }

    /// Internal: response to [`DestructMsgsReq`].
    DestructMsgsResp {
        count "count" = 1: int32,
    }

    /// Internal: set users' min seq of a conversation.
    SetUserConversationsMinSeqReq {
        user_ids "userIDs" = 1: repeated string,
        conversation_id "conversationID" = 2: string,
        seq "seq" = 3: int64,
    }

    /// Internal: response to [`SetUserConversationsMinSeqReq`] (empty).
    SetUserConversationsMinSeqResp {}

    /// Explicit seqs to pull from one conversation (field numbers 2 and 3; 1 unused).
    ConversationSeqs {
        conversation_id "conversationID" = 2: string,
        seqs "seqs" = 3: repeated int64,
    }

    /// WS 1005 request: explicit seq pull.
    GetSeqMessageReq {
        user_id "userID" = 1: string,
        conversations "conversations" = 2: repeated ConversationSeqs,
        order "order" = 3: enumeration PullOrder,
    }

    /// WS 1005 response, keyed by conversation ID.
    GetSeqMessageResp {
        msgs "msgs" = 1: map<string, PullMsgs>,
        notification_msgs "notificationMsgs" = 2: map<string, PullMsgs>,
    }

    /// Internal: conversations with recent activity.
    GetActiveConversationReq {
        conversation_ids "conversationIDs" = 1: repeated string,
        limit "limit" = 2: int64,
    }

    /// One entry of [`GetActiveConversationResp`].
    ActiveConversation {
        conversation_id "conversationID" = 1: string,
        last_time "lastTime" = 2: int64,
        max_seq "maxSeq" = 3: int64,
    }

    /// Internal: conversations with recent activity.
    GetActiveConversationResp {
        conversations "conversations" = 1: repeated ActiveConversation,
    }

    /// Internal: set users' max seq of a conversation.
    SetUserConversationMaxSeqReq {
        conversation_id "conversationID" = 1: string,
        owner_user_id "ownerUserID" = 2: repeated string,
        max_seq "maxSeq" = 3: int64,
    }

    /// Internal: response to [`SetUserConversationMaxSeqReq`] (empty).
    SetUserConversationMaxSeqResp {}

    /// Internal: set users' min seq of a conversation.
    SetUserConversationMinSeqReq {
        conversation_id "conversationID" = 1: string,
        owner_user_id "ownerUserID" = 2: repeated string,
        min_seq "minSeq" = 3: int64,
    }

    /// Internal: response to [`SetUserConversationMinSeqReq`] (empty).
    SetUserConversationMinSeqResp {}

    /// Internal: last seq at or before a time.
    GetLastMessageSeqByTimeReq {
        conversation_id "conversationID" = 1: string,
        time "time" = 2: int64,
    }

    /// Internal: response to [`GetLastMessageSeqByTimeReq`].
    GetLastMessageSeqByTimeResp {
        seq "seq" = 1: int64,
    }

    /// WS 1007 request: last message of each conversation.
    GetLastMessageReq {
        user_id "userID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
    }

    /// WS 1007 response, keyed by conversation ID.
    GetLastMessageResp {
        msgs "msgs" = 1: map<string, MsgData>,
    }
}
