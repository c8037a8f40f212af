//! The `/user` function (reference §1.2, A.2; seed 004's self-service routes): endpoint
//! declarations, wire types and handlers over the user domain ([`im_user::UserService`]).
//! `main.rs` runs the same router on Lambda; im-server mounts it with [`mount`].

#![warn(missing_docs)]

pub mod api;
mod handlers;

use std::sync::Arc;

use im_auth::AuthService;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_http::App;
use im_user::UserService;

use crate::handlers::{commands, listing, notification, online, profile, selfservice};

/// State of the user handlers: the user service, and the auth service (self_login issues
/// tokens through it).
#[derive(Clone)]
pub struct UserState {
    /// User operations.
    pub users: Arc<UserService>,
    /// Token issue.
    pub auth: Arc<AuthService>,
}

impl UserState {
    /// A user service on `store` with the auth service's admin list, the system clock and no
    /// event receiver.
    pub fn new(store: DynStore, auth: Arc<AuthService>) -> Self {
        let admins = auth.config().admin_user_ids.clone();
        UserState { users: Arc::new(UserService::new(store, Env::system(), admins)), auth }
    }
}

im_http::endpoints! {
    group: "user",
    state: UserState,
    routes: {
        api::UserRegister => profile::user_register,
        api::UpdateUserInfo => profile::update_user_info,
        api::UpdateUserInfoEx => profile::update_user_info_ex,
        api::SetGlobalRecvMsgOpt => profile::set_global_recv_msg_opt,
        api::SetGlobalMsgRecvOpt => profile::set_global_recv_msg_opt,
        api::GetUsersInfo => profile::get_users_info,
        api::GetAllUsersUid => listing::get_all_users_uid,
        api::AccountCheck => profile::account_check,
        api::GetUsers => listing::get_users,
        api::GetUsersOnlineStatus => online::get_users_online_status,
        api::GetUsersOnlineTokenDetail => online::get_users_online_token_detail,
        api::SubscribeUsersStatus => online::subscribe_users_status,
        api::GetUsersStatus => online::get_users_status,
        api::GetSubscribeUsersStatus => online::get_subscribe_users_status,
        api::ProcessUserCommandAdd => commands::add,
        api::ProcessUserCommandDelete => commands::delete,
        api::ProcessUserCommandUpdate => commands::update,
        api::ProcessUserCommandGet => commands::get,
        api::ProcessUserCommandGetAll => commands::get_all,
        api::AddNotificationAccount => notification::add,
        api::UpdateNotificationAccount => notification::update,
        api::SearchNotificationAccount => notification::search,
        api::SelfRegister => selfservice::self_register,
        api::SelfLogin => selfservice::self_login,
    }
}

/// Mounts the user routes on `app`.
pub fn mount(app: App, state: UserState) -> App {
    app.mount(group(), state)
}
