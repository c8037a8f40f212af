//! Endpoint declarations of `/group` (reference §1.4, A.4) and `/statistics/group/create`.
//!
//! Requests and responses are the OpenIM wire types of `im_wire::pb::group`; a few request
//! bodies also accept the older shapes of the Chinese API documents ([`legacy`]).

use im_http::{AuthRule, Empty};
use im_wire::pb::group as pb;

pub use crate::legacy::{
    CreateGroupBody, CreateGroupReply, InviteBody, JoinGroupBody, KickGroupBody, SetGroupInfoBody,
};

use AuthRule::{Admin, Handler, SelfOrAdmin, Token};

im_http::declare_endpoints! {
    /// `POST /group/create_group`: the owner must be the caller unless an app admin creates.
    CreateGroup, "/group/create_group", Handler("ownerUserID is the caller, or app admin"), CreateGroupBody, CreateGroupReply;
    /// `POST /group/set_group_info` (G).
    SetGroupInfo, "/group/set_group_info", Handler("group owner/admin"), SetGroupInfoBody, Empty;
    /// `POST /group/set_group_info_ex` (G).
    SetGroupInfoEx, "/group/set_group_info_ex", Handler("group owner/admin"), pb::SetGroupInfoExReq, Empty;
    /// `POST /group/join_group`: the applicant (`inviterUserID`) is the caller unless an app admin asks.
    JoinGroup, "/group/join_group", Handler("applicant is the caller, or app admin"), JoinGroupBody, Empty;
    /// `POST /group/quit_group`: `userID` is the caller (empty = the caller) unless an app admin asks.
    QuitGroup, "/group/quit_group", Handler("userID is the caller (empty = caller), or app admin"), pb::QuitGroupReq, Empty;
    /// `POST /group/group_application_response` (G).
    GroupApplicationResponse, "/group/group_application_response", Handler("group owner/admin"), pb::GroupApplicationResponseReq, Empty;
    /// `POST /group/transfer_group`: the current owner, or an app admin.
    TransferGroup, "/group/transfer_group", Handler("current owner, or app admin"), pb::TransferGroupOwnerReq, Empty;
    /// `POST /group/get_recv_group_applicationList`: `fromUserID` is the caller; owner/admin of listed groups.
    GetRecvGroupApplicationList, "/group/get_recv_group_applicationList", Handler("fromUserID is the caller; owner/admin of listed groups"), pb::GetGroupApplicationListReq, pb::GetGroupApplicationListResp;
    /// `POST /group/get_user_req_group_applicationList` (S(userID)).
    GetUserReqGroupApplicationList, "/group/get_user_req_group_applicationList", SelfOrAdmin("userID"), pb::GetUserReqApplicationListReq, pb::GetUserReqApplicationListResp;
    /// `POST /group/get_group_users_req_application_list`: own applications, or owner/admin.
    GetGroupUsersReqApplicationList, "/group/get_group_users_req_application_list", Handler("own applications, or group owner/admin"), pb::GetGroupUsersReqApplicationListReq, pb::GetGroupUsersReqApplicationListResp;
    /// `POST /group/get_specified_user_group_request_info`: the user, or owner/admin.
    GetSpecifiedUserGroupRequestInfo, "/group/get_specified_user_group_request_info", Handler("the user, or group owner/admin"), pb::GetSpecifiedUserGroupRequestInfoReq, pb::GetSpecifiedUserGroupRequestInfoResp;
    /// `POST /group/get_groups_info` (T).
    GetGroupsInfo, "/group/get_groups_info", Token, pb::GetGroupsInfoReq, pb::GetGroupsInfoResp;
    /// `POST /group/kick_group`: owner kicks anyone but the owner, admins kick ordinary members.
    KickGroup, "/group/kick_group", Handler("owner: anyone but owner; admin: ordinary members"), KickGroupBody, Empty;
    /// `POST /group/get_group_members_info` (GM).
    GetGroupMembersInfo, "/group/get_group_members_info", Handler("group member"), pb::GetGroupMembersInfoReq, pb::GetGroupMembersInfoResp;
    /// `POST /group/get_group_member_list` (GM).
    GetGroupMemberList, "/group/get_group_member_list", Handler("group member"), pb::GetGroupMemberListReq, pb::GetGroupMemberListResp;
    /// `POST /group/invite_user_to_group` (member or app admin).
    InviteUserToGroup, "/group/invite_user_to_group", Handler("group member"), InviteBody, Empty;
    /// `POST /group/get_joined_group_list` (S(fromUserID)).
    GetJoinedGroupList, "/group/get_joined_group_list", SelfOrAdmin("fromUserID"), pb::GetJoinedGroupListReq, pb::GetJoinedGroupListResp;
    /// `POST /group/dismiss_group` (owner or app admin).
    DismissGroup, "/group/dismiss_group", Handler("group owner"), pb::DismissGroupReq, Empty;
    /// `POST /group/mute_group_member` (G by role).
    MuteGroupMember, "/group/mute_group_member", Handler("owner: admins and members; admin: members"), pb::MuteGroupMemberReq, Empty;
    /// `POST /group/cancel_mute_group_member` (G by role).
    CancelMuteGroupMember, "/group/cancel_mute_group_member", Handler("owner: admins and members; admin: members"), pb::CancelMuteGroupMemberReq, Empty;
    /// `POST /group/mute_group` (G).
    MuteGroup, "/group/mute_group", Handler("group owner/admin"), pb::MuteGroupReq, Empty;
    /// `POST /group/cancel_mute_group` (G).
    CancelMuteGroup, "/group/cancel_mute_group", Handler("group owner/admin"), pb::CancelMuteGroupReq, Empty;
    /// `POST /group/set_group_member_info` (role rules of §1.4).
    SetGroupMemberInfo, "/group/set_group_member_info", Handler("self; admin: ordinary members; owner: anyone"), pb::SetGroupMemberInfoReq, Empty;
    /// `POST /group/get_group_abstract_info` (GM).
    GetGroupAbstractInfo, "/group/get_group_abstract_info", Handler("group member"), pb::GetGroupAbstractInfoReq, pb::GetGroupAbstractInfoResp;
    /// `POST /group/get_groups` (app admins: the group search of the admin console).
    GetGroups, "/group/get_groups", Admin, pb::GetGroupsReq, pb::GetGroupsResp;
    /// `POST /group/get_group_member_user_id` (GM).
    GetGroupMemberUserId, "/group/get_group_member_user_id", Handler("group member"), pb::GetGroupMemberUserIdsReq, pb::GetGroupMemberUserIdsResp;
    /// `POST /group/get_incremental_join_groups` (S(userID)).
    GetIncrementalJoinGroups, "/group/get_incremental_join_groups", SelfOrAdmin("userID"), pb::GetIncrementalJoinGroupReq, pb::GetIncrementalJoinGroupResp;
    /// `POST /group/get_incremental_group_members` (GM).
    GetIncrementalGroupMembers, "/group/get_incremental_group_members", Handler("group member"), pb::GetIncrementalGroupMemberReq, pb::GetIncrementalGroupMemberResp;
    /// `POST /group/get_incremental_group_members_batch` (GM per group).
    GetIncrementalGroupMembersBatch, "/group/get_incremental_group_members_batch", Handler("member of each group"), pb::BatchGetIncrementalGroupMemberReq, pb::BatchGetIncrementalGroupMemberResp;
    /// `POST /group/get_full_group_member_user_ids` (GM).
    GetFullGroupMemberUserIds, "/group/get_full_group_member_user_ids", Handler("group member"), pb::GetFullGroupMemberUserIdsReq, pb::GetFullGroupMemberUserIdsResp;
    /// `POST /group/get_full_join_group_ids` (S(userID)).
    GetFullJoinGroupIds, "/group/get_full_join_group_ids", SelfOrAdmin("userID"), pb::GetFullJoinGroupIdsReq, pb::GetFullJoinGroupIdsResp;
    /// `POST /group/get_group_application_unhandled_count` (S(userID)).
    GetGroupApplicationUnhandledCount, "/group/get_group_application_unhandled_count", SelfOrAdmin("userID"), pb::GetGroupApplicationUnhandledCountReq, pb::GetGroupApplicationUnhandledCountResp;
    /// `POST /statistics/group/create` (A): groups created per day.
    GroupCreateCount, "/statistics/group/create", Admin, pb::GroupCreateCountReq, pb::GroupCreateCountResp;
}
