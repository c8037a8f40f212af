//! The `/group` function (reference §1.4, A.4) and `/statistics/group/create`: routes,
//! request/response types and handlers over [`im_group::GroupService`]. `main.rs` runs the same
//! router on Lambda; `im-server` mounts it with [`mount`].

#![warn(missing_docs)]

pub mod api;
mod handlers;
pub mod legacy;

use std::sync::Arc;

use im_domain::clock::Env;
use im_domain::ports::Notifier;
use im_domain::store::DynStore;
use im_group::GroupService;
use im_http::App;

/// State of the group handlers.
pub type GroupState = Arc<GroupService>;

im_http::endpoints! {
    group: "group",
    state: GroupState,
    routes: {
        api::CreateGroup => handlers::create_group,
        api::SetGroupInfo => handlers::set_group_info,
        api::SetGroupInfoEx => handlers::set_group_info_ex,
        api::JoinGroup => handlers::join_group,
        api::QuitGroup => handlers::quit_group,
        api::GroupApplicationResponse => handlers::group_application_response,
        api::TransferGroup => handlers::transfer_group,
        api::GetRecvGroupApplicationList => handlers::get_recv_group_application_list,
        api::GetUserReqGroupApplicationList => handlers::get_user_req_group_application_list,
        api::GetGroupUsersReqApplicationList => handlers::get_group_users_req_application_list,
        api::GetSpecifiedUserGroupRequestInfo => handlers::get_specified_user_group_request_info,
        api::GetGroupsInfo => handlers::get_groups_info,
        api::KickGroup => handlers::kick_group,
        api::GetGroupMembersInfo => handlers::get_group_members_info,
        api::GetGroupMemberList => handlers::get_group_member_list,
        api::InviteUserToGroup => handlers::invite_user_to_group,
        api::GetJoinedGroupList => handlers::get_joined_group_list,
        api::DismissGroup => handlers::dismiss_group,
        api::MuteGroupMember => handlers::mute_group_member,
        api::CancelMuteGroupMember => handlers::cancel_mute_group_member,
        api::MuteGroup => handlers::mute_group,
        api::CancelMuteGroup => handlers::cancel_mute_group,
        api::SetGroupMemberInfo => handlers::set_group_member_info,
        api::GetGroupAbstractInfo => handlers::get_group_abstract_info,
        api::GetGroups => handlers::get_groups,
        api::GetGroupMemberUserId => handlers::get_group_member_user_id,
        api::GetIncrementalJoinGroups => handlers::get_incremental_join_groups,
        api::GetIncrementalGroupMembers => handlers::get_incremental_group_members,
        api::GetIncrementalGroupMembersBatch => handlers::get_incremental_group_members_batch,
        api::GetFullGroupMemberUserIds => handlers::get_full_group_member_user_ids,
        api::GetFullJoinGroupIds => handlers::get_full_join_group_ids,
        api::GetGroupApplicationUnhandledCount => handlers::get_group_application_unhandled_count,
        api::GroupCreateCount => handlers::group_create_count,
    }
}

/// The group service on `store`, with wall-clock time and random IDs, notifying through
/// `notifier`.
pub fn state(store: DynStore, notifier: Arc<dyn Notifier>) -> GroupState {
    Arc::new(GroupService::new(store, Env::system(), notifier))
}

/// Mounts the group routes on `app`.
pub fn mount(app: App, store: DynStore, notifier: Arc<dyn Notifier>) -> App {
    app.mount(group(), state(store, notifier))
}
