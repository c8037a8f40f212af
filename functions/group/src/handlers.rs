//! Handlers: the caller becomes an [`Actor`]; the group service does the rest.

use im_domain::ImResult;
use im_group::Actor;
use im_http::{Caller, Empty};
use im_wire::pb::group as pb;

use crate::GroupState;
use crate::api::*;

fn actor(c: &Caller) -> Actor {
    Actor { tenant: c.tenant.clone(), user_id: c.user_id.clone(), is_admin: c.is_admin }
}

/// Handlers whose service method returns a response value.
macro_rules! query {
    ($($name:ident($req:ty) -> $resp:ty;)*) => {$(
        pub(crate) async fn $name(s: GroupState, c: Caller, req: $req) -> ImResult<$resp> {
            s.$name(&actor(&c), req).await
        }
    )*};
}

/// Handlers whose service method returns nothing (empty envelope).
macro_rules! command {
    ($($name:ident($req:ty);)*) => {$(
        pub(crate) async fn $name(s: GroupState, c: Caller, req: $req) -> ImResult<Empty> {
            s.$name(&actor(&c), req).await.map(|()| Empty {})
        }
    )*};
}

pub(crate) async fn create_group(s: GroupState, c: Caller, body: CreateGroupBody) -> ImResult<CreateGroupReply> {
    let mut req = body.req;
    if body.legacy && req.owner_user_id.is_empty() {
        req.owner_user_id = c.user_id.clone();
    }
    let resp = s.create_group(&actor(&c), req).await?;
    Ok(CreateGroupReply { resp, legacy: body.legacy })
}

pub(crate) async fn set_group_info(s: GroupState, c: Caller, body: SetGroupInfoBody) -> ImResult<Empty> {
    s.set_group_info(&actor(&c), body.0).await.map(|()| Empty {})
}

pub(crate) async fn join_group(s: GroupState, c: Caller, body: JoinGroupBody) -> ImResult<Empty> {
    s.join_group(&actor(&c), body.0).await.map(|()| Empty {})
}

pub(crate) async fn invite_user_to_group(s: GroupState, c: Caller, body: InviteBody) -> ImResult<Empty> {
    s.invite_user_to_group(&actor(&c), body.0).await.map(|()| Empty {})
}

pub(crate) async fn kick_group(s: GroupState, c: Caller, body: KickGroupBody) -> ImResult<Empty> {
    s.kick_group(&actor(&c), body.0).await.map(|()| Empty {})
}

command! {
    set_group_info_ex(pb::SetGroupInfoExReq);
    quit_group(pb::QuitGroupReq);
    group_application_response(pb::GroupApplicationResponseReq);
    transfer_group(pb::TransferGroupOwnerReq);
    dismiss_group(pb::DismissGroupReq);
    mute_group_member(pb::MuteGroupMemberReq);
    cancel_mute_group_member(pb::CancelMuteGroupMemberReq);
    mute_group(pb::MuteGroupReq);
    cancel_mute_group(pb::CancelMuteGroupReq);
    set_group_member_info(pb::SetGroupMemberInfoReq);
}

query! {
    get_recv_group_application_list(pb::GetGroupApplicationListReq) -> pb::GetGroupApplicationListResp;
    get_user_req_group_application_list(pb::GetUserReqApplicationListReq) -> pb::GetUserReqApplicationListResp;
    get_group_users_req_application_list(pb::GetGroupUsersReqApplicationListReq) -> pb::GetGroupUsersReqApplicationListResp;
    get_specified_user_group_request_info(pb::GetSpecifiedUserGroupRequestInfoReq) -> pb::GetSpecifiedUserGroupRequestInfoResp;
    get_groups_info(pb::GetGroupsInfoReq) -> pb::GetGroupsInfoResp;
    get_group_members_info(pb::GetGroupMembersInfoReq) -> pb::GetGroupMembersInfoResp;
    get_group_member_list(pb::GetGroupMemberListReq) -> pb::GetGroupMemberListResp;
    get_joined_group_list(pb::GetJoinedGroupListReq) -> pb::GetJoinedGroupListResp;
    get_group_abstract_info(pb::GetGroupAbstractInfoReq) -> pb::GetGroupAbstractInfoResp;
    get_groups(pb::GetGroupsReq) -> pb::GetGroupsResp;
    get_group_member_user_id(pb::GetGroupMemberUserIdsReq) -> pb::GetGroupMemberUserIdsResp;
    get_incremental_join_groups(pb::GetIncrementalJoinGroupReq) -> pb::GetIncrementalJoinGroupResp;
    get_incremental_group_members(pb::GetIncrementalGroupMemberReq) -> pb::GetIncrementalGroupMemberResp;
    get_incremental_group_members_batch(pb::BatchGetIncrementalGroupMemberReq) -> pb::BatchGetIncrementalGroupMemberResp;
    get_full_group_member_user_ids(pb::GetFullGroupMemberUserIdsReq) -> pb::GetFullGroupMemberUserIdsResp;
    get_full_join_group_ids(pb::GetFullJoinGroupIdsReq) -> pb::GetFullJoinGroupIdsResp;
    get_group_application_unhandled_count(pb::GetGroupApplicationUnhandledCountReq) -> pb::GetGroupApplicationUnhandledCountResp;
    group_create_count(pb::GroupCreateCountReq) -> pb::GroupCreateCountResp;
}
