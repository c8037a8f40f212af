//! The `/friend` function (reference §1.3, A.3): routes, request/response types and handlers on
//! [`im_friend::FriendService`]. `main.rs` runs the same router on Lambda; `im-server` mounts it
//! with [`mount`] (or [`mount_on`]).

pub mod api;
mod handlers;

use std::sync::Arc;

use im_domain::clock::Env;
use im_domain::ports::Notifier;
use im_domain::store::DynStore;
use im_friend::FriendService;
use im_http::App;

/// State of the friend handlers.
pub type FriendState = Arc<FriendService>;

im_http::endpoints! {
    group: "friend",
    state: FriendState,
    routes: {
        api::AddFriend => handlers::add_friend,
        api::AddFriendResponse => handlers::add_friend_response,
        api::DeleteFriend => handlers::delete_friend,
        api::GetFriendApplyList => handlers::get_friend_apply_list,
        api::GetDesignatedFriendApply => handlers::get_designated_friend_apply,
        api::GetSelfFriendApplyList => handlers::get_self_friend_apply_list,
        api::GetFriendList => handlers::get_friend_list,
        api::GetDesignatedFriends => handlers::get_designated_friends,
        api::SetFriendRemark => handlers::set_friend_remark,
        api::AddBlack => handlers::add_black,
        api::GetBlackList => handlers::get_black_list,
        api::GetSpecifiedBlacks => handlers::get_specified_blacks,
        api::RemoveBlack => handlers::remove_black,
        api::GetIncrementalBlacks => handlers::get_incremental_blacks,
        api::ImportFriend => handlers::import_friend,
        api::IsFriend => handlers::is_friend,
        api::GetFriendId => handlers::get_friend_id,
        api::GetSpecifiedFriendsInfo => handlers::get_specified_friends_info,
        api::UpdateFriends => handlers::update_friends,
        api::GetIncrementalFriends => handlers::get_incremental_friends,
        api::GetFullFriendUserIds => handlers::get_full_friend_user_ids,
        api::GetSelfUnhandledApplyCount => handlers::get_self_unhandled_apply_count,
        api::AddBlacklist => handlers::add_blacklist,
    }
}

/// Mounts the friend routes on `app`.
pub fn mount(app: App, state: FriendState) -> App {
    app.mount(group(), state)
}

/// Mounts the friend routes on `app` with a service on `store` (wall clock, random IDs) that
/// sends its notifications to `notifier`.
pub fn mount_on(app: App, store: DynStore, notifier: Arc<dyn Notifier>) -> App {
    mount(app, Arc::new(FriendService::new(store, Env::system(), notifier)))
}
