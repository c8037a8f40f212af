//! `openim.group`: the group service, `/group/*` routes (reference §1.4, A.4).
//!
//! Proto names starting with a lower-case letter are upper-cased in Rust; [`prost::Name::NAME`] keeps
//! the proto spelling.

use super::messages;
use super::sdkws::{GroupInfo, GroupInfoForSet, GroupMemberFullInfo, GroupRequest, RequestPagination, UserInfo};
use super::wrappers::{Int32Value, StringValue};

messages! {
    package = "openim.group";

    /// `/group/create_group` request (`groupInfo.groupType` must be 2; `sendMessage` is proto3 optional).
    CreateGroupReq {
        member_user_ids "memberUserIDs" = 1: repeated string,
        group_info "groupInfo" = 2: GroupInfo,
        admin_user_ids "adminUserIDs" = 3: repeated string,
        owner_user_id "ownerUserID" = 4: string,
        send_message "sendMessage" = 5: optional bool,
    }

    /// `/group/create_group` response.
    CreateGroupResp {
        group_info "groupInfo" = 1: GroupInfo,
    }

    /// `/group/get_groups_info` request.
    GetGroupsInfoReq {
        group_ids "groupIDs" = 1: repeated string,
    }

    /// `/group/get_groups_info` response.
    GetGroupsInfoResp {
        group_infos "groupInfos" = 1: repeated GroupInfo,
    }

    /// `/group/set_group_info` request.
    SetGroupInfoReq {
        group_info_for_set "groupInfoForSet" = 1: GroupInfoForSet,
    }

    /// `/group/set_group_info` response (empty).
    SetGroupInfoResp {}

    /// `/group/set_group_info_ex` request; wrapper fields, `null` = unchanged.
    SetGroupInfoExReq {
        group_id "groupID" = 1: string,
        group_name "groupName" = 2: StringValue,
        notification "notification" = 3: StringValue,
        introduction "introduction" = 4: StringValue,
        face_url "faceURL" = 5: StringValue,
        ex "ex" = 6: StringValue,
        need_verification "needVerification" = 7: Int32Value,
        look_member_info "lookMemberInfo" = 8: Int32Value,
        apply_member_friend "applyMemberFriend" = 9: Int32Value,
    }

    /// `/group/set_group_info_ex` response (empty).
    SetGroupInfoExResp {}

    /// `/group/get_recv_group_applicationList` request.
    GetGroupApplicationListReq {
        pagination "pagination" = 1: RequestPagination,
        from_user_id "fromUserID" = 2: string,
        group_ids "groupIDs" = 3: repeated string,
        handle_results "handleResults" = 4: repeated int32,
    }

    /// `/group/get_recv_group_applicationList` response.
    GetGroupApplicationListResp {
        total "total" = 1: uint32,
        group_requests "groupRequests" = 2: repeated GroupRequest,
    }

    /// `/group/get_group_application_unhandled_count` request.
    GetGroupApplicationUnhandledCountReq {
        user_id "userID" = 1: string,
        time "time" = 2: int64,
    }

    /// `/group/get_group_application_unhandled_count` response.
    GetGroupApplicationUnhandledCountResp {
        count "count" = 1: int64,
    }

    /// `/group/get_user_req_group_applicationList` request.
    GetUserReqApplicationListReq {
        pagination "pagination" = 1: RequestPagination,
        user_id "userID" = 2: string,
        group_ids "groupIDs" = 3: repeated string,
        handle_results "handleResults" = 4: repeated int32,
    }

    /// `/group/get_user_req_group_applicationList` response.
    GetUserReqApplicationListResp {
        total "total" = 1: uint32,
        group_requests "groupRequests" = 2: repeated GroupRequest,
    }

    /// `/group/get_specified_user_group_request_info` request.
    GetSpecifiedUserGroupRequestInfoReq {
        group_id "groupID" = 1: string,
        user_id "userID" = 2: string,
    }

    /// `/group/get_specified_user_group_request_info` response.
    GetSpecifiedUserGroupRequestInfoResp {
        total "total" = 1: uint32,
        group_requests "groupRequests" = 2: repeated GroupRequest,
    }

    /// `/group/transfer_group` request.
    TransferGroupOwnerReq {
        group_id "groupID" = 1: string,
        old_owner_user_id "oldOwnerUserID" = 2: string,
        new_owner_user_id "newOwnerUserID" = 3: string,
    }

    /// `/group/transfer_group` response (empty).
    TransferGroupOwnerResp {}

    /// `/group/join_group` request (the applicant is `inviterUserID`, reference §1.4).
    JoinGroupReq {
        group_id "groupID" = 1: string,
        req_message "reqMessage" = 2: string,
        join_source "joinSource" = 3: int32,
        inviter_user_id "inviterUserID" = 4: string,
        ex "ex" = 5: string,
    }

    /// `/group/join_group` response (empty).
    JoinGroupResp {}

    /// `/group/group_application_response` request (`handleResult` 1 / -1).
    GroupApplicationResponseReq {
        group_id "groupID" = 1: string,
        from_user_id "fromUserID" = 2: string,
        handled_msg "handledMsg" = 3: string,
        handle_result "handleResult" = 4: int32,
    }

    /// `/group/group_application_response` response (empty).
    GroupApplicationResponseResp {}

    /// `/group/quit_group` request.
    QuitGroupReq {
        group_id "groupID" = 1: string,
        user_id "userID" = 2: string,
    }

    /// `/group/quit_group` response (empty).
    QuitGroupResp {}

    /// `/group/get_group_member_list` request.
    GetGroupMemberListReq {
        pagination "pagination" = 1: RequestPagination,
        group_id "groupID" = 2: string,
        filter "filter" = 3: int32,
        keyword "keyword" = 4: string,
    }

    /// `/group/get_group_member_list` response.
    GetGroupMemberListResp {
        total "total" = 1: uint32,
        members "members" = 2: repeated GroupMemberFullInfo,
    }

    /// `/group/get_group_members_info` request.
    GetGroupMembersInfoReq {
        group_id "groupID" = 1: string,
        user_ids "userIDs" = 2: repeated string,
    }

    /// `/group/get_group_members_info` response.
    GetGroupMembersInfoResp {
        members "members" = 1: repeated GroupMemberFullInfo,
    }

    /// `/group/kick_group` request.
    KickGroupMemberReq {
        group_id "groupID" = 1: string,
        kicked_user_ids "kickedUserIDs" = 2: repeated string,
        reason "reason" = 3: string,
        send_message "sendMessage" = 4: optional bool,
    }

    /// `/group/kick_group` response (empty).
    KickGroupMemberResp {}

    /// `/group/get_joined_group_list` request.
    GetJoinedGroupListReq {
        pagination "pagination" = 1: RequestPagination,
        from_user_id "fromUserID" = 2: string,
    }

    /// `/group/get_joined_group_list` response.
    GetJoinedGroupListResp {
        total "total" = 1: uint32,
        groups "groups" = 2: repeated GroupInfo,
    }

    /// `/group/invite_user_to_group` request.
    InviteUserToGroupReq {
        group_id "groupID" = 1: string,
        reason "reason" = 2: string,
        invited_user_ids "invitedUserIDs" = 3: repeated string,
        send_message "sendMessage" = 4: optional bool,
    }

    /// `/group/invite_user_to_group` response (empty).
    InviteUserToGroupResp {}

    /// All members of a group: request.
    GetGroupAllMemberReq {
        pagination "pagination" = 1: RequestPagination,
        group_id "groupID" = 2: string,
    }

    /// All members of a group: response.
    GetGroupAllMemberResp {
        members "members" = 1: repeated GroupMemberFullInfo,
    }

    /// One entry of [`GetGroupsResp`].
    CmsGroup as "CMSGroup" {
        group_info "groupInfo" = 1: GroupInfo,
        group_owner_user_name "groupOwnerUserName" = 2: string,
        group_owner_user_id "groupOwnerUserID" = 3: string,
    }

    /// `/group/get_groups` request.
    GetGroupsReq {
        pagination "pagination" = 1: RequestPagination,
        group_name "groupName" = 2: string,
        group_id "groupID" = 3: string,
    }

    /// `/group/get_groups` response.
    GetGroupsResp {
        total "total" = 1: uint32,
        groups "groups" = 2: repeated CmsGroup,
    }

    /// Internal: one group's members.
    GetGroupMemberReq {
        group_id "groupID" = 1: string,
    }

    /// CMS member search request.
    GetGroupMembersCmsReq as "GetGroupMembersCMSReq" {
        pagination "pagination" = 1: RequestPagination,
        group_id "groupID" = 2: string,
        user_name "userName" = 3: string,
    }

    /// CMS member search response.
    GetGroupMembersCmsResp as "GetGroupMembersCMSResp" {
        total "total" = 1: uint32,
        members "members" = 2: repeated GroupMemberFullInfo,
    }

    /// `/group/dismiss_group` request.
    DismissGroupReq {
        group_id "groupID" = 1: string,
        delete_member "deleteMember" = 2: bool,
        send_message "sendMessage" = 3: optional bool,
    }

    /// `/group/dismiss_group` response (empty).
    DismissGroupResp {}

    /// `/group/mute_group_member` request.
    MuteGroupMemberReq {
        group_id "groupID" = 1: string,
        user_id "userID" = 2: string,
        muted_seconds "mutedSeconds" = 3: uint32,
    }

    /// `/group/mute_group_member` response (empty).
    MuteGroupMemberResp {}

    /// `/group/cancel_mute_group_member` request.
    CancelMuteGroupMemberReq {
        group_id "groupID" = 1: string,
        user_id "userID" = 2: string,
    }

    /// `/group/cancel_mute_group_member` response (empty).
    CancelMuteGroupMemberResp {}

    /// `/group/mute_group` request.
    MuteGroupReq {
        group_id "groupID" = 1: string,
    }

    /// `/group/mute_group` response (empty).
    MuteGroupResp {}

    /// `/group/cancel_mute_group` request.
    CancelMuteGroupReq {
        group_id "groupID" = 1: string,
    }

    /// `/group/cancel_mute_group` response (empty).
    CancelMuteGroupResp {}

    /// One member update of [`SetGroupMemberInfoReq`]; wrapper fields, `null` = unchanged.
    SetGroupMemberInfo {
        group_id "groupID" = 1: string,
        user_id "userID" = 2: string,
        nickname "nickname" = 3: StringValue,
        face_url "faceURL" = 4: StringValue,
        role_level "roleLevel" = 5: Int32Value,
        ex "ex" = 6: StringValue,
    }

    /// `/group/set_group_member_info` request.
    SetGroupMemberInfoReq {
        members "members" = 1: repeated SetGroupMemberInfo,
    }

    /// `/group/set_group_member_info` response (empty).
    SetGroupMemberInfoResp {}

    /// `/group/get_group_abstract_info` request.
    GetGroupAbstractInfoReq {
        group_ids "groupIDs" = 1: repeated string,
    }

    /// One entry of [`GetGroupAbstractInfoResp`].
    GroupAbstractInfo {
        group_id "groupID" = 1: string,
        group_member_number "groupMemberNumber" = 2: uint32,
        group_member_list_hash "groupMemberListHash" = 3: uint64,
    }

    /// `/group/get_group_abstract_info` response.
    GetGroupAbstractInfoResp {
        group_abstract_infos "groupAbstractInfos" = 1: repeated GroupAbstractInfo,
    }

    /// A user's memberships in the given groups: request.
    GetUserInGroupMembersReq {
        user_id "userID" = 1: string,
        group_ids "groupIDs" = 2: repeated string,
    }

    /// A user's memberships in the given groups: response.
    GetUserInGroupMembersResp {
        members "members" = 1: repeated GroupMemberFullInfo,
    }

    /// `/group/get_group_member_user_id` request.
    GetGroupMemberUserIdsReq as "GetGroupMemberUserIDsReq" {
        group_id "groupID" = 1: string,
    }

    /// `/group/get_group_member_user_id` response.
    GetGroupMemberUserIdsResp as "GetGroupMemberUserIDsResp" {
        user_ids "userIDs" = 1: repeated string,
    }

    /// Members with the given role levels: request.
    GetGroupMemberRoleLevelReq {
        group_id "groupID" = 1: string,
        role_levels "roleLevels" = 2: repeated int32,
    }

    /// Members with the given role levels: response.
    GetGroupMemberRoleLevelResp {
        members "members" = 1: repeated GroupMemberFullInfo,
    }

    /// Internal cache lookup of a group: request.
    GetGroupInfoCacheReq {
        group_id "groupID" = 1: string,
    }

    /// Internal cache lookup of a group: response.
    GetGroupInfoCacheResp {
        group_info "groupInfo" = 1: GroupInfo,
    }

    /// Internal cache lookup of a member: request.
    GetGroupMemberCacheReq {
        group_id "groupID" = 1: string,
        group_member_id "groupMemberID" = 2: string,
    }

    /// Internal cache lookup of a member: response.
    GetGroupMemberCacheResp {
        member "member" = 1: GroupMemberFullInfo,
    }

    /// `/statistics/group/create` request (ms timestamps).
    GroupCreateCountReq {
        start "start" = 1: int64,
        end "end" = 2: int64,
    }

    /// `/statistics/group/create` response (`count` keyed by `YYYY-MM-DD`).
    GroupCreateCountResp {
        total "total" = 1: int64,
        before "before" = 2: int64,
        count "count" = 3: map<string, int64>,
    }

    /// `/group/get_group_users_req_application_list` request.
    GetGroupUsersReqApplicationListReq as "getGroupUsersReqApplicationListReq" {
        group_id "groupID" = 1: string,
        user_ids "userIDs" = 2: repeated string,
    }

    /// `/group/get_group_users_req_application_list` response.
    GetGroupUsersReqApplicationListResp as "getGroupUsersReqApplicationListResp" {
        total "total" = 1: int64,
        group_requests "groupRequests" = 2: repeated GroupRequest,
    }

    /// Internal: a user's profile changed (group service).
    NotificationUserInfoUpdateReq as "notificationUserInfoUpdateReq" {
        user_id "userID" = 1: string,
        old_user_info "oldUserInfo" = 2: UserInfo,
        new_user_info "newUserInfo" = 3: UserInfo,
    }

    /// Internal: response to [`NotificationUserInfoUpdateReq`] (empty).
    NotificationUserInfoUpdateResp as "notificationUserInfoUpdateResp" {}

    /// `/group/get_incremental_group_members` request (also an entry of the batch request).
    GetIncrementalGroupMemberReq as "getIncrementalGroupMemberReq" {
        group_id "groupID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// `/group/get_incremental_group_members` response (also a value of the batch response).
    GetIncrementalGroupMemberResp as "getIncrementalGroupMemberResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete "delete" = 4: repeated string,
        insert "insert" = 5: repeated GroupMemberFullInfo,
        update "update" = 6: repeated GroupMemberFullInfo,
        group "group" = 7: GroupInfo,
        sort_version "sortVersion" = 8: uint64,
    }

    /// `/group/get_incremental_join_groups` request.
    GetIncrementalJoinGroupReq as "getIncrementalJoinGroupReq" {
        user_id "userID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// `/group/get_incremental_join_groups` response.
    GetIncrementalJoinGroupResp as "getIncrementalJoinGroupResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete "delete" = 4: repeated string,
        insert "insert" = 5: repeated GroupInfo,
        update "update" = 6: repeated GroupInfo,
        sort_version "sortVersion" = 7: uint64,
    }

    /// `/group/get_full_group_member_user_ids` request.
    GetFullGroupMemberUserIdsReq as "GetFullGroupMemberUserIDsReq" {
        id_hash "idHash" = 1: uint64,
        group_id "groupID" = 2: string,
    }

    /// `/group/get_full_group_member_user_ids` response.
    GetFullGroupMemberUserIdsResp as "GetFullGroupMemberUserIDsResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        equal "equal" = 3: bool,
        user_ids "userIDs" = 4: repeated string,
    }

    /// `/group/get_full_join_group_ids` request.
    GetFullJoinGroupIdsReq as "GetFullJoinGroupIDsReq" {
        id_hash "idHash" = 1: uint64,
        user_id "userID" = 2: string,
    }

    /// `/group/get_full_join_group_ids` response.
    GetFullJoinGroupIdsResp as "GetFullJoinGroupIDsResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        equal "equal" = 3: bool,
        group_ids "groupIDs" = 4: repeated string,
    }

    /// `/group/get_incremental_group_members_batch` request.
    BatchGetIncrementalGroupMemberReq {
        user_id "userID" = 1: string,
        req_list "reqList" = 2: repeated GetIncrementalGroupMemberReq,
    }

    /// `/group/get_incremental_group_members_batch` response, keyed by group ID.
    BatchGetIncrementalGroupMemberResp {
        resp_list "respList" = 1: map<string, GetIncrementalGroupMemberResp>,
    }
}
