//! `openim.sdkws`: the shared message, user, group and relation types, the WebSocket payloads, and the
//! notification tips (reference §7, A.11).

use super::messages;
use super::wrappers::{Int32Value, StringValue};

/// `openim.sdkws.PullOrder`: direction of a seq pull.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum PullOrder {
    /// `PullOrderAsc` (0): ascending seqs.
    Asc = 0,
    /// `PullOrderDesc` (1): descending seqs.
    Desc = 1,
}

messages! {
    package = "openim.sdkws";

    /// A chat or notification message (WS 1003 request, pull/push payloads, `/msg/*` responses).
    ///
    /// `content` is base64 in JSON; `options` keys are listed in reference §6.2 (a missing key means true).
    MsgData {
        send_id "sendID" = 1: string,
        recv_id "recvID" = 2: string,
        group_id "groupID" = 3: string,
        client_msg_id "clientMsgID" = 4: string,
        server_msg_id "serverMsgID" = 5: string,
        sender_platform_id "senderPlatformID" = 6: int32,
        sender_nickname "senderNickname" = 7: string,
        sender_face_url "senderFaceURL" = 8: string,
        session_type "sessionType" = 9: int32,
        msg_from "msgFrom" = 10: int32,
        content_type "contentType" = 11: int32,
        content "content" = 12: bytes,
        seq "seq" = 14: int64,
        send_time "sendTime" = 15: int64,
        create_time "createTime" = 16: int64,
        status "status" = 17: int32,
        is_read "isRead" = 18: bool,
        options "options" = 19: map<string, bool>,
        offline_push_info "offlinePushInfo" = 20: OfflinePushInfo,
        at_user_id_list "atUserIDList" = 21: repeated string,
        attached_info "attachedInfo" = 22: string,
        ex "ex" = 23: string,
    }

    /// Offline-push presentation of a message.
    OfflinePushInfo {
        title "title" = 1: string,
        desc "desc" = 2: string,
        ex "ex" = 3: string,
        ios_push_sound "iOSPushSound" = 4: string,
        ios_badge_count "iOSBadgeCount" = 5: bool,
        signal_info "signalInfo" = 6: string,
    }

    /// A seq range to pull from one conversation.
    SeqRange {
        conversation_id "conversationID" = 1: string,
        begin "begin" = 2: int64,
        end "end" = 3: int64,
        num "num" = 4: int64,
    }

    /// WS 1002 / `/msg/pull_msg_by_seq` request.
    PullMessageBySeqsReq {
        user_id "userID" = 1: string,
        seq_ranges "seqRanges" = 2: repeated SeqRange,
        order "order" = 3: enumeration PullOrder,
    }

    /// The messages pulled from one conversation. Note the capitalised JSON key `Msgs` (Go quirk).
    PullMsgs {
        msgs "Msgs" = 1: repeated MsgData,
        is_end "isEnd" = 2: bool,
        end_seq "endSeq" = 3: int64,
    }

    /// WS 1002 / `/msg/pull_msg_by_seq` response, keyed by conversation ID.
    PullMessageBySeqsResp {
        msgs "msgs" = 1: map<string, PullMsgs>,
        notification_msgs "notificationMsgs" = 2: map<string, PullMsgs>,
    }

    /// WS 2001 push payload: one conversation entry with one message (reference §5.4).
    PushMessages {
        msgs "msgs" = 1: map<string, PullMsgs>,
        notification_msgs "notificationMsgs" = 2: map<string, PullMsgs>,
    }

    /// WS 1001 / `/msg/newest_seq` request.
    GetMaxSeqReq {
        user_id "userID" = 1: string,
    }

    /// WS 1001 / `/msg/newest_seq` response. (Go sends `"minSeqs":null`; this crate sends `{}` when empty.)
    GetMaxSeqResp {
        max_seqs "maxSeqs" = 1: map<string, int64>,
        min_seqs "minSeqs" = 2: map<string, int64>,
    }

    /// The SDK's view of the WS 1003 response (a wire-compatible subset of `openim.msg.SendMsgResp`).
    UserSendMsgResp {
        server_msg_id "serverMsgID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        send_time "sendTime" = 3: int64,
    }

    /// WS 2004 request.
    SetAppBackgroundStatusReq {
        user_id "userID" = 1: string,
        is_background "isBackground" = 2: bool,
    }

    /// WS 2005 request: users to (un)subscribe to.
    SubUserOnlineStatus {
        subscribe_user_id "subscribeUserID" = 1: repeated string,
        unsubscribe_user_id "unsubscribeUserID" = 2: repeated string,
    }

    /// One user's online platforms in a [`SubUserOnlineStatusTips`].
    SubUserOnlineStatusElem {
        user_id "userID" = 1: string,
        online_platform_ids "onlinePlatformIDs" = 2: repeated int32,
    }

    /// WS 2005 response and unsolicited 2005 push.
    SubUserOnlineStatusTips {
        subscribers "subscribers" = 1: repeated SubUserOnlineStatusElem,
    }

    /// A user's profile. `createTime` is in milliseconds.
    UserInfo {
        user_id "userID" = 1: string,
        nickname "nickname" = 2: string,
        face_url "faceURL" = 3: string,
        ex "ex" = 4: string,
        create_time "createTime" = 5: int64,
        app_manger_level "appMangerLevel" = 6: int32,
        global_recv_msg_opt "globalRecvMsgOpt" = 7: int32,
    }

    /// `/user/update_user_info_ex` payload: wrapper fields, `null`/absent = unchanged.
    ///
    /// Not in the reference's field tables: JSON keys from the REST documentation; field numbers
    /// **unverified** (HTTP-only, so only the JSON form matters).
    UserInfoWithEx {
        user_id "userID" = 1: string,
        nickname "nickname" = 2: StringValue,
        face_url "faceURL" = 3: StringValue,
        ex "ex" = 4: StringValue,
        global_recv_msg_opt "globalRecvMsgOpt" = 5: Int32Value,
    }

    /// The public part of a user's profile.
    PublicUserInfo {
        user_id "userID" = 1: string,
        nickname "nickname" = 2: string,
        face_url "faceURL" = 3: string,
        ex "ex" = 4: string,
    }

    /// A group's profile.
    GroupInfo {
        group_id "groupID" = 1: string,
        group_name "groupName" = 2: string,
        notification "notification" = 3: string,
        introduction "introduction" = 4: string,
        face_url "faceURL" = 5: string,
        owner_user_id "ownerUserID" = 6: string,
        create_time "createTime" = 7: int64,
        member_count "memberCount" = 8: uint32,
        ex "ex" = 9: string,
        status "status" = 10: int32,
        creator_user_id "creatorUserID" = 11: string,
        group_type "groupType" = 12: int32,
        need_verification "needVerification" = 13: int32,
        look_member_info "lookMemberInfo" = 14: int32,
        apply_member_friend "applyMemberFriend" = 15: int32,
        notification_update_time "notificationUpdateTime" = 16: int64,
        notification_user_id "notificationUserID" = 17: string,
    }

    /// `/group/set_group_info` payload.
    ///
    /// Not in the reference's field tables: JSON keys from the REST documentation; the wrapper typing of
    /// `ex`/`needVerification`/`lookMemberInfo`/`applyMemberFriend` and the field numbers are
    /// **unverified** (HTTP-only; bare JSON values decode the same either way).
    GroupInfoForSet {
        group_id "groupID" = 1: string,
        group_name "groupName" = 2: string,
        notification "notification" = 3: string,
        introduction "introduction" = 4: string,
        face_url "faceURL" = 5: string,
        ex "ex" = 6: StringValue,
        need_verification "needVerification" = 7: Int32Value,
        look_member_info "lookMemberInfo" = 8: Int32Value,
        apply_member_friend "applyMemberFriend" = 9: Int32Value,
    }

    /// A group member.
    GroupMemberFullInfo {
        group_id "groupID" = 1: string,
        user_id "userID" = 2: string,
        role_level "roleLevel" = 3: int32,
        join_time "joinTime" = 4: int64,
        nickname "nickname" = 5: string,
        face_url "faceURL" = 6: string,
        app_manger_level "appMangerLevel" = 7: int32,
        join_source "joinSource" = 8: int32,
        operator_user_id "operatorUserID" = 9: string,
        ex "ex" = 10: string,
        mute_end_time "muteEndTime" = 11: int64,
        inviter_user_id "inviterUserID" = 12: string,
    }

    /// A friend relation with the friend's profile.
    FriendInfo {
        owner_user_id "ownerUserID" = 1: string,
        remark "remark" = 2: string,
        create_time "createTime" = 3: int64,
        friend_user "friendUser" = 4: UserInfo,
        add_source "addSource" = 5: int32,
        operator_user_id "operatorUserID" = 6: string,
        ex "ex" = 7: string,
        is_pinned "isPinned" = 8: bool,
    }

    /// A blacklist entry.
    BlackInfo {
        owner_user_id "ownerUserID" = 1: string,
        create_time "createTime" = 2: int64,
        black_user_info "blackUserInfo" = 3: PublicUserInfo,
        add_source "addSource" = 4: int32,
        operator_user_id "operatorUserID" = 5: string,
        ex "ex" = 6: string,
    }

    /// A friend application.
    FriendRequest {
        from_user_id "fromUserID" = 1: string,
        from_nickname "fromNickname" = 2: string,
        from_face_url "fromFaceURL" = 3: string,
        to_user_id "toUserID" = 4: string,
        to_nickname "toNickname" = 5: string,
        to_face_url "toFaceURL" = 6: string,
        handle_result "handleResult" = 7: int32,
        req_msg "reqMsg" = 8: string,
        create_time "createTime" = 9: int64,
        handler_user_id "handlerUserID" = 10: string,
        handle_msg "handleMsg" = 11: string,
        handle_time "handleTime" = 12: int64,
        ex "ex" = 13: string,
    }

    /// A group join application.
    GroupRequest {
        user_info "userInfo" = 1: PublicUserInfo,
        group_info "groupInfo" = 2: GroupInfo,
        handle_result "handleResult" = 3: int32,
        req_msg "reqMsg" = 4: string,
        handle_msg "handleMsg" = 5: string,
        req_time "reqTime" = 6: int64,
        handle_user_id "handleUserID" = 7: string,
        handle_time "handleTime" = 8: int64,
        ex "ex" = 9: string,
        join_source "joinSource" = 10: int32,
        inviter_user_id "inviterUserID" = 11: string,
    }

    /// Page selection; both numbers must be ≥ 1.
    RequestPagination {
        page_number "pageNumber" = 1: int32,
        show_number "showNumber" = 2: int32,
    }

    /// Notification content: `MsgData.content` of a notification is the JSON of this message, whose
    /// `detail` is the JSON (as a string) of a tips message.
    NotificationElem {
        detail "detail" = 1: string,
    }

    // ---- tips (A.11): JSON-encoded into NotificationElem.detail.

    /// 1501 GroupCreated.
    GroupCreatedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        member_list "memberList" = 3: repeated GroupMemberFullInfo,
        operation_time "operationTime" = 4: int64,
        group_owner_user "groupOwnerUser" = 5: GroupMemberFullInfo,
        group_member_version "groupMemberVersion" = 6: uint64,
        group_member_version_id "groupMemberVersionID" = 7: string,
    }

    /// 1502 GroupInfoSet.
    GroupInfoSetTips {
        op_user "opUser" = 1: GroupMemberFullInfo,
        mute_time "muteTime" = 2: int64,
        group "group" = 3: GroupInfo,
        group_member_version "groupMemberVersion" = 4: uint64,
        group_member_version_id "groupMemberVersionID" = 5: string,
    }

    /// 1520 GroupInfoSetName.
    GroupInfoSetNameTips {
        op_user "opUser" = 1: GroupMemberFullInfo,
        group "group" = 2: GroupInfo,
        group_member_version "groupMemberVersion" = 3: uint64,
        group_member_version_id "groupMemberVersionID" = 4: string,
    }

    /// 1519 GroupInfoSetAnnouncement.
    GroupInfoSetAnnouncementTips {
        op_user "opUser" = 1: GroupMemberFullInfo,
        group "group" = 2: GroupInfo,
        group_member_version "groupMemberVersion" = 3: uint64,
        group_member_version_id "groupMemberVersionID" = 4: string,
    }

    /// 1503 JoinGroupApplication.
    JoinGroupApplicationTips {
        group "group" = 1: GroupInfo,
        applicant "applicant" = 2: PublicUserInfo,
        req_msg "reqMsg" = 3: string,
        uuid "uuid" = 4: string,
        request "request" = 5: GroupRequest,
    }

    /// 1504 MemberQuit.
    MemberQuitTips {
        group "group" = 1: GroupInfo,
        quit_user "quitUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        group_member_version "groupMemberVersion" = 4: uint64,
        group_member_version_id "groupMemberVersionID" = 5: string,
    }

    /// 1505 GroupApplicationAccepted (field 3 is unused).
    GroupApplicationAcceptedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        handle_msg "handleMsg" = 4: string,
        receiver_as "receiverAs" = 5: int32,
        uuid "uuid" = 6: string,
        request "request" = 7: GroupRequest,
    }

    /// 1506 GroupApplicationRejected (field 3 is unused).
    GroupApplicationRejectedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        handle_msg "handleMsg" = 4: string,
        receiver_as "receiverAs" = 5: int32,
        uuid "uuid" = 6: string,
        request "request" = 7: GroupRequest,
    }

    /// 1507 GroupOwnerTransferred.
    GroupOwnerTransferredTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        new_group_owner "newGroupOwner" = 3: GroupMemberFullInfo,
        old_group_owner "oldGroupOwner" = 4: string,
        operation_time "operationTime" = 5: int64,
        old_group_owner_info "oldGroupOwnerInfo" = 6: GroupMemberFullInfo,
        group_member_version "groupMemberVersion" = 7: uint64,
        group_member_version_id "groupMemberVersionID" = 8: string,
    }

    /// 1508 MemberKicked.
    MemberKickedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        kicked_user_list "kickedUserList" = 3: repeated GroupMemberFullInfo,
        operation_time "operationTime" = 4: int64,
        group_member_version "groupMemberVersion" = 5: uint64,
        group_member_version_id "groupMemberVersionID" = 6: string,
    }

    /// 1509 MemberInvited.
    MemberInvitedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        invited_user_list "invitedUserList" = 3: repeated GroupMemberFullInfo,
        operation_time "operationTime" = 4: int64,
        group_member_version "groupMemberVersion" = 5: uint64,
        group_member_version_id "groupMemberVersionID" = 6: string,
        inviter_user "inviterUser" = 7: GroupMemberFullInfo,
    }

    /// 1510 MemberEnter (field 4 is unused).
    MemberEnterTips {
        group "group" = 1: GroupInfo,
        entrant_user "entrantUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        group_member_version "groupMemberVersion" = 5: uint64,
        group_member_version_id "groupMemberVersionID" = 6: string,
    }

    /// 1511 GroupDismissed.
    GroupDismissedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
    }

    /// 1512 GroupMemberMuted.
    GroupMemberMutedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        muted_user "mutedUser" = 4: GroupMemberFullInfo,
        muted_seconds "mutedSeconds" = 5: uint32,
        group_member_version "groupMemberVersion" = 6: uint64,
        group_member_version_id "groupMemberVersionID" = 7: string,
    }

    /// 1513 GroupMemberCancelMuted.
    GroupMemberCancelMutedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        muted_user "mutedUser" = 4: GroupMemberFullInfo,
        group_member_version "groupMemberVersion" = 5: uint64,
        group_member_version_id "groupMemberVersionID" = 6: string,
    }

    /// 1514 GroupMuted.
    GroupMutedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        group_member_version "groupMemberVersion" = 4: uint64,
        group_member_version_id "groupMemberVersionID" = 5: string,
    }

    /// 1515 GroupCancelMuted.
    GroupCancelMutedTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        group_member_version "groupMemberVersion" = 4: uint64,
        group_member_version_id "groupMemberVersionID" = 5: string,
    }

    /// 1516 GroupMemberInfoSet (also 1517 GroupMemberSetToAdmin, 1518 GroupMemberSetToOrdinaryUser).
    GroupMemberInfoSetTips {
        group "group" = 1: GroupInfo,
        op_user "opUser" = 2: GroupMemberFullInfo,
        operation_time "operationTime" = 3: int64,
        changed_user "changedUser" = 4: GroupMemberFullInfo,
        group_member_version "groupMemberVersion" = 5: uint64,
        group_member_version_id "groupMemberVersionID" = 6: string,
        group_sort_version "groupSortVersion" = 7: uint64,
    }

    /// The two users of a friend notification.
    FromToUserID {
        from_user_id "fromUserID" = 1: string,
        to_user_id "toUserID" = 2: string,
    }

    /// 1203 FriendApplication.
    FriendApplicationTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
        request "request" = 2: FriendRequest,
    }

    /// 1201 FriendApplicationApproved.
    FriendApplicationApprovedTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
        handle_msg "handleMsg" = 2: string,
        friend_version "friendVersion" = 3: uint64,
        friend_version_id "friendVersionID" = 4: string,
        request "request" = 5: FriendRequest,
    }

    /// 1202 FriendApplicationRejected.
    FriendApplicationRejectedTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
        handle_msg "handleMsg" = 2: string,
        request "request" = 3: FriendRequest,
    }

    /// 1204 FriendAdded.
    FriendAddedTips {
        friend "friend" = 1: FriendInfo,
        operation_time "operationTime" = 2: int64,
        op_user "opUser" = 3: PublicUserInfo,
        friend_version "friendVersion" = 4: uint64,
        friend_version_id "friendVersionID" = 5: string,
    }

    /// 1205 FriendDeleted.
    FriendDeletedTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
        friend_version "friendVersion" = 2: uint64,
        friend_version_id "friendVersionID" = 3: string,
    }

    /// 1207 BlackAdded.
    BlackAddedTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
    }

    /// 1208 BlackDeleted.
    BlackDeletedTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
    }

    /// Friend info changes (1206 FriendRemarkSet, 1209 FriendInfoUpdated).
    FriendInfoChangedTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
        friend_version "friendVersion" = 2: uint64,
        friend_version_id "friendVersionID" = 3: string,
        friend_sort_version "friendSortVersion" = 4: uint64,
    }

    /// 1210 FriendsInfoUpdate.
    FriendsInfoUpdateTips {
        from_to_user_id "fromToUserID" = 1: FromToUserID,
        friend_ids "friendIDs" = 2: repeated string,
        friend_version "friendVersion" = 3: uint64,
        friend_version_id "friendVersionID" = 4: string,
    }

    /// 1303 UserInfoUpdated.
    UserInfoUpdatedTips {
        user_id "userID" = 1: string,
    }

    /// 1304 UserStatusChange.
    UserStatusChangeTips {
        from_user_id "fromUserID" = 1: string,
        to_user_id "toUserID" = 2: string,
        status "status" = 3: int32,
        platform_id "platformID" = 4: int32,
    }

    /// 1305 UserCommandAdd.
    UserCommandAddTips {
        from_user_id "fromUserID" = 1: string,
        to_user_id "toUserID" = 2: string,
    }

    /// 1701 ConversationPrivateChat.
    ConversationSetPrivateTips {
        recv_id "recvID" = 1: string,
        send_id "sendID" = 2: string,
        is_private "isPrivate" = 3: bool,
        conversation_id "conversationID" = 4: string,
    }

    /// 1652 MsgDelete.
    DeleteMessageTips {
        op_user_id "opUserID" = 1: string,
        user_id "userID" = 2: string,
        seqs "seqs" = 3: repeated int64,
    }

    /// Streamed message packets.
    StreamMsgTips {
        conversation_id "conversationID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        start_index "startIndex" = 3: int64,
        packets "packets" = 4: repeated string,
        end "end" = 5: bool,
    }

    /// A user command record (in user-command notifications).
    ProcessUserCommand {
        user_id "userID" = 1: string,
        r#type "type" = 2: int32,
        create_time "createTime" = 3: int64,
        uuid "uuid" = 4: string,
        value "value" = 5: string,
    }

    // ---- tips named in reference §6 but absent from A.11: JSON keys from §6.7/§6.8 where given,
    //      otherwise from the protocol's usage; field numbers unverified (these travel only as JSON inside
    //      NotificationElem.detail, so the numbers never reach a client).

    /// 1300 ConversationChange. **Not in the reference's tables** (keys/numbers unverified).
    ConversationUpdateTips {
        user_id "userID" = 1: string,
        conversation_id_list "conversationIDList" = 2: repeated string,
    }

    /// 1702 ConversationUnread. **Not in the reference's tables** (keys/numbers unverified).
    ConversationHasReadTips {
        user_id "userID" = 1: string,
        conversation_id "conversationID" = 2: string,
        has_read_seq "hasReadSeq" = 3: int64,
        unread_count_time "unreadCountTime" = 4: int64,
    }

    /// 1703 ClearConversation. **Not in the reference's tables** (keys/numbers unverified).
    ClearConversationTips {
        user_id "userID" = 1: string,
        conversation_ids "conversationIDs" = 2: repeated string,
    }

    /// 2102 DeleteMsgsNotification. **Not in the reference's tables** (keys/numbers unverified).
    DeleteMsgsTips {
        user_id "userID" = 1: string,
        conversation_id "conversationID" = 2: string,
        seqs "seqs" = 3: repeated int64,
    }

    /// 2200 HasReadReceipt (keys from reference §6.8; field numbers unverified).
    MarkAsReadTips {
        mark_as_read_user_id "markAsReadUserID" = 1: string,
        conversation_id "conversationID" = 2: string,
        seqs "seqs" = 3: repeated int64,
        has_read_seq "hasReadSeq" = 4: int64,
    }

    /// 2101 MsgRevokeNotification (keys from reference §6.7, including the misspelt `sesstionType`;
    /// field numbers unverified, field 4 unused).
    RevokeMsgTips {
        revoker_user_id "revokerUserID" = 1: string,
        client_msg_id "clientMsgID" = 2: string,
        revoke_time "revokeTime" = 3: int64,
        sesstion_type "sesstionType" = 5: int32,
        seq "seq" = 6: int64,
        conversation_id "conversationID" = 7: string,
        is_admin_revoke "isAdminRevoke" = 8: bool,
    }
}
