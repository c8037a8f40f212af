//! The `/jssdk` function (reference §1.8, A.10): the pure-JS SDK's composite conversation views,
//! answered in JSON or, for protobuf request bodies, as base64 protobuf. `main.rs` runs the same
//! router on Lambda; `im-server` mounts it with [`mount`].

#![deny(missing_docs)]

pub mod api;
pub mod codec;
mod handlers;

use std::sync::Arc;

use im_conversation::ConversationService;
use im_domain::clock::Env;
use im_domain::ports::GroupQuery;
use im_domain::store::DynStore;
use im_http::App;

/// State of the jssdk handlers (the same service as `/conversation`).
pub type JssdkState = Arc<ConversationService>;

im_http::endpoints! {
    group: "jssdk",
    state: JssdkState,
    routes: {
        api::GetConversations => handlers::get_conversations,
        api::GetActiveConversations => handlers::get_active_conversations,
    }
}

/// A state on `store` with the system clock and no group module (group records come from
/// [`ConversationService::with_groups`] when wired).
pub fn state(store: DynStore) -> JssdkState {
    Arc::new(ConversationService::new(store, Env::system()))
}

/// A state on `store` with the system clock that reads groups through `groups` (the group
/// module's). The jssdk routes send no notifications.
pub fn state_with(store: DynStore, groups: Arc<dyn GroupQuery>) -> JssdkState {
    Arc::new(ConversationService::new(store, Env::system()).with_groups(groups))
}

/// Mounts the jssdk routes on `app`.
pub fn mount(app: App, state: JssdkState) -> App {
    app.mount(group(), state)
}
