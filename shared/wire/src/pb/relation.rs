//! `openim.relation`: the friend service, `/friend/*` routes (reference §1.3, A.3).
//!
//! Proto names starting with a lower-case letter (`getPaginationFriendsReq`, …) are upper-cased in Rust;
//! [`prost::Name::NAME`] keeps the proto spelling.

use super::messages;
use super::sdkws::{BlackInfo, FriendInfo, FriendRequest, RequestPagination, UserInfo};
use super::wrappers::{BoolValue, StringValue};

messages! {
    package = "openim.relation";

    /// `/friend/get_friend_list` request.
    GetPaginationFriendsReq as "getPaginationFriendsReq" {
        pagination "pagination" = 1: RequestPagination,
        user_id "userID" = 2: string,
    }

    /// `/friend/get_friend_list` response.
    GetPaginationFriendsResp as "getPaginationFriendsResp" {
        friends_info "friendsInfo" = 1: repeated FriendInfo,
        total "total" = 2: int32,
    }

    /// `/friend/add_friend` request.
    ApplyToAddFriendReq as "applyToAddFriendReq" {
        from_user_id "fromUserID" = 1: string,
        to_user_id "toUserID" = 2: string,
        req_msg "reqMsg" = 3: string,
        ex "ex" = 4: string,
    }

    /// `/friend/add_friend` response (empty).
    ApplyToAddFriendResp as "applyToAddFriendResp" {}

    /// A friend relation with the friend's name and face (relation-local `friendInfo`; not the sdkws
    /// `FriendInfo`).
    FriendInfoLite as "friendInfo" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_id "friendUserID" = 2: string,
        friend_nickname "friendNickname" = 3: string,
        friend_face_url "friendFaceURL" = 4: string,
        remark "remark" = 5: string,
        create_time "createTime" = 6: int64,
        add_source "addSource" = 7: int32,
        operator_user_id "operatorUserID" = 8: string,
        ex "ex" = 9: string,
        is_pinned "isPinned" = 10: bool,
    }

    /// `/friend/import_friend` request.
    ImportFriendReq as "importFriendReq" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_ids "friendUserIDs" = 2: repeated string,
    }

    /// `/friend/import_friend` response (empty).
    ImportFriendResp as "importFriendResp" {}

    /// `/friend/get_friend_apply_list` request (applications received).
    GetPaginationFriendsApplyToReq as "getPaginationFriendsApplyToReq" {
        user_id "userID" = 1: string,
        pagination "pagination" = 2: RequestPagination,
        handle_results "handleResults" = 3: repeated int32,
    }

    /// `/friend/get_friend_apply_list` response. Note the capitalised JSON key `FriendRequests` (Go quirk;
    /// the `...ApplyFrom` response uses `friendRequests`).
    GetPaginationFriendsApplyToResp as "getPaginationFriendsApplyToResp" {
        friend_requests "FriendRequests" = 1: repeated FriendRequest,
        total "total" = 2: int32,
    }

    /// `/friend/get_designated_friend_apply` request.
    GetDesignatedFriendsApplyReq as "getDesignatedFriendsApplyReq" {
        from_user_id "fromUserID" = 1: string,
        to_user_id "toUserID" = 2: string,
    }

    /// `/friend/get_designated_friend_apply` response.
    GetDesignatedFriendsApplyResp as "getDesignatedFriendsApplyResp" {
        friend_requests "friendRequests" = 1: repeated FriendRequest,
    }

    /// `/friend/get_self_unhandled_apply_count` request.
    GetSelfUnhandledApplyCountReq as "getSelfUnhandledApplyCountReq" {
        user_id "userID" = 1: string,
        time "time" = 2: int64,
    }

    /// `/friend/get_self_unhandled_apply_count` response.
    GetSelfUnhandledApplyCountResp as "getSelfUnhandledApplyCountResp" {
        count "count" = 1: int64,
    }

    /// Incremental sync of received friend applications: request.
    GetIncrementalFriendsApplyToReq as "getIncrementalFriendsApplyToReq" {
        user_id "userID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// Incremental sync of received friend applications: response.
    GetIncrementalFriendsApplyToResp as "getIncrementalFriendsApplyToResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete_user_ids "deleteUserIds" = 4: repeated string,
        changes "changes" = 5: repeated FriendRequest,
    }

    /// Incremental sync of sent friend applications: request.
    GetIncrementalFriendsApplyFromReq as "getIncrementalFriendsApplyFromReq" {
        user_id "userID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// Incremental sync of sent friend applications: response.
    GetIncrementalFriendsApplyFromResp as "getIncrementalFriendsApplyFromResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete_user_ids "deleteUserIds" = 4: repeated string,
        changes "changes" = 5: repeated FriendRequest,
    }

    /// `/friend/get_designated_friends` request.
    GetDesignatedFriendsReq as "getDesignatedFriendsReq" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_ids "friendUserIDs" = 2: repeated string,
    }

    /// `/friend/get_designated_friends` response.
    GetDesignatedFriendsResp as "getDesignatedFriendsResp" {
        friends_info "friendsInfo" = 1: repeated FriendInfo,
    }

    /// `/friend/add_black` request.
    AddBlackReq as "addBlackReq" {
        owner_user_id "ownerUserID" = 1: string,
        black_user_id "blackUserID" = 2: string,
        ex "ex" = 3: string,
    }

    /// `/friend/add_black` response (empty).
    AddBlackResp as "addBlackResp" {}

    /// `/friend/remove_black` request.
    RemoveBlackReq as "removeBlackReq" {
        owner_user_id "ownerUserID" = 1: string,
        black_user_id "blackUserID" = 2: string,
    }

    /// `/friend/remove_black` response (empty).
    RemoveBlackResp as "removeBlackResp" {}

    /// `/friend/get_black_list` request.
    GetPaginationBlacksReq as "getPaginationBlacksReq" {
        user_id "userID" = 1: string,
        pagination "pagination" = 2: RequestPagination,
    }

    /// `/friend/get_black_list` response.
    GetPaginationBlacksResp as "getPaginationBlacksResp" {
        blacks "blacks" = 1: repeated BlackInfo,
        total "total" = 2: int32,
    }

    /// `/friend/is_friend` request.
    IsFriendReq as "isFriendReq" {
        user_id1 "userID1" = 1: string,
        user_id2 "userID2" = 2: string,
    }

    /// `/friend/is_friend` response.
    IsFriendResp as "isFriendResp" {
        in_user1_friends "inUser1Friends" = 1: bool,
        in_user2_friends "inUser2Friends" = 2: bool,
    }

    /// Blacklist check request.
    IsBlackReq as "isBlackReq" {
        user_id1 "userID1" = 1: string,
        user_id2 "userID2" = 2: string,
    }

    /// Blacklist check response.
    IsBlackResp as "isBlackResp" {
        in_user1_blacks "inUser1Blacks" = 1: bool,
        in_user2_blacks "inUser2Blacks" = 2: bool,
    }

    /// `/friend/delete_friend` request.
    DeleteFriendReq as "deleteFriendReq" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_id "friendUserID" = 2: string,
    }

    /// `/friend/delete_friend` response (empty).
    DeleteFriendResp as "deleteFriendResp" {}

    /// `/friend/add_friend_response` request (`handleResult` 1 agree / -1 refuse).
    RespondFriendApplyReq as "respondFriendApplyReq" {
        from_user_id "fromUserID" = 1: string,
        to_user_id "toUserID" = 2: string,
        handle_result "handleResult" = 3: int32,
        handle_msg "handleMsg" = 4: string,
    }

    /// `/friend/add_friend_response` response (empty).
    RespondFriendApplyResp as "respondFriendApplyResp" {}

    /// `/friend/update_friends` request; wrapper fields, `null` = unchanged.
    UpdateFriendsReq as "updateFriendsReq" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_ids "friendUserIDs" = 2: repeated string,
        is_pinned "isPinned" = 3: BoolValue,
        remark "remark" = 4: StringValue,
        ex "ex" = 5: StringValue,
    }

    /// `/friend/update_friends` response (empty).
    UpdateFriendsResp as "updateFriendsResp" {}

    /// `/friend/set_friend_remark` request.
    SetFriendRemarkReq as "setFriendRemarkReq" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_id "friendUserID" = 2: string,
        remark "remark" = 3: string,
    }

    /// `/friend/set_friend_remark` response (empty).
    SetFriendRemarkResp as "setFriendRemarkResp" {}

    /// `/friend/get_self_friend_apply_list` request (applications sent).
    GetPaginationFriendsApplyFromReq as "getPaginationFriendsApplyFromReq" {
        user_id "userID" = 1: string,
        pagination "pagination" = 2: RequestPagination,
        handle_results "handleResults" = 3: repeated int32,
    }

    /// `/friend/get_self_friend_apply_list` response.
    GetPaginationFriendsApplyFromResp as "getPaginationFriendsApplyFromResp" {
        friend_requests "friendRequests" = 1: repeated FriendRequest,
        total "total" = 2: int32,
    }

    /// `/friend/get_friend_id` request.
    GetFriendIdsReq as "getFriendIDsReq" {
        user_id "userID" = 1: string,
    }

    /// `/friend/get_friend_id` response.
    GetFriendIdsResp as "getFriendIDsResp" {
        friend_ids "friendIDs" = 1: repeated string,
    }

    /// `/friend/get_specified_friends_info` request.
    GetSpecifiedFriendsInfoReq as "getSpecifiedFriendsInfoReq" {
        owner_user_id "ownerUserID" = 1: string,
        user_id_list "userIDList" = 2: repeated string,
    }

    /// One entry of [`GetSpecifiedFriendsInfoResp`].
    GetSpecifiedFriendsInfoInfo as "getSpecifiedFriendsInfoInfo" {
        user_info "userInfo" = 1: UserInfo,
        friend_info "friendInfo" = 2: FriendInfo,
        black_info "blackInfo" = 3: BlackInfo,
    }

    /// `/friend/get_specified_friends_info` response.
    GetSpecifiedFriendsInfoResp as "getSpecifiedFriendsInfoResp" {
        infos "infos" = 1: repeated GetSpecifiedFriendsInfoInfo,
    }

    /// `/friend/get_incremental_friends` request.
    GetIncrementalFriendsReq as "getIncrementalFriendsReq" {
        user_id "userID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// `/friend/get_incremental_friends` response.
    GetIncrementalFriendsResp as "getIncrementalFriendsResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete "delete" = 4: repeated string,
        insert "insert" = 5: repeated FriendInfo,
        update "update" = 6: repeated FriendInfo,
        sort_version "sortVersion" = 7: uint64,
    }

    /// `/friend/get_incremental_blacks` request (route not implemented by patch.16's friend service).
    GetIncrementalBlacksReq as "getIncrementalBlacksReq" {
        user_id "userID" = 1: string,
        version_id "versionID" = 2: string,
        version "version" = 3: uint64,
    }

    /// `/friend/get_incremental_blacks` response.
    GetIncrementalBlacksResp as "getIncrementalBlacksResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        full "full" = 3: bool,
        delete "delete" = 4: repeated string,
        insert "insert" = 5: repeated BlackInfo,
        update "update" = 6: repeated BlackInfo,
    }

    /// `/friend/get_specified_blacks` request.
    GetSpecifiedBlacksReq {
        owner_user_id "ownerUserID" = 1: string,
        user_id_list "userIDList" = 2: repeated string,
    }

    /// `/friend/get_specified_blacks` response.
    GetSpecifiedBlacksResp {
        blacks "blacks" = 1: repeated BlackInfo,
        total "total" = 2: int32,
    }

    /// `/friend/get_full_friend_user_ids` request.
    GetFullFriendUserIdsReq as "getFullFriendUserIDsReq" {
        id_hash "idHash" = 1: uint64,
        user_id "userID" = 2: string,
    }

    /// `/friend/get_full_friend_user_ids` response (`userIDs` empty when `equal`).
    GetFullFriendUserIdsResp as "getFullFriendUserIDsResp" {
        version "version" = 1: uint64,
        version_id "versionID" = 2: string,
        equal "equal" = 3: bool,
        user_ids "userIDs" = 4: repeated string,
    }

    /// Internal: a user's profile changed (friend service).
    NotificationUserInfoUpdateReq as "notificationUserInfoUpdateReq" {
        user_id "userID" = 1: string,
        old_user_info "oldUserInfo" = 2: UserInfo,
        new_user_info "newUserInfo" = 3: UserInfo,
    }

    /// Internal: response to [`NotificationUserInfoUpdateReq`] (empty).
    NotificationUserInfoUpdateResp as "notificationUserInfoUpdateResp" {}

    /// A friend relation without the friend's profile (used by `/jssdk`).
    FriendInfoOnly {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_id "friendUserID" = 2: string,
        remark "remark" = 3: string,
        create_time "createTime" = 4: int64,
        add_source "addSource" = 5: int32,
        operator_user_id "operatorUserID" = 6: string,
        ex "ex" = 7: string,
        is_pinned "isPinned" = 8: bool,
    }

    /// Friend relations lookup request.
    GetFriendInfoReq as "getFriendInfoReq" {
        owner_user_id "ownerUserID" = 1: string,
        friend_user_ids "friendUserIDs" = 2: repeated string,
    }

    /// Friend relations lookup response.
    GetFriendInfoResp as "getFriendInfoResp" {
        friend_infos "friendInfos" = 1: repeated FriendInfoOnly,
    }
}
