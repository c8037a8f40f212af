//! The `/auth` function (reference §1.1, A.1): routes, request/response types and handlers.
//! `main.rs` runs the same router on Lambda; `im-server` mounts it with [`mount`].

pub mod api;
mod handlers;

use std::sync::Arc;

use im_auth::AuthService;
use im_http::App;

/// State of the auth handlers.
pub type AuthState = Arc<AuthService>;

im_http::endpoints! {
    group: "auth",
    state: AuthState,
    routes: {
        api::GetAdminToken => handlers::get_admin_token,
        api::GetUserToken => handlers::get_user_token,
        api::ParseToken => handlers::parse_token,
        api::ForceLogout => handlers::force_logout,
    }
}

/// Mounts the auth routes on `app`.
pub fn mount(app: App, auth: AuthState) -> App {
    app.mount(group(), auth)
}
