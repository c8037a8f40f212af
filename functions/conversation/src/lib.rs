//! The `/conversation` function (reference §1.6, A.6): routes and thin handlers over
//! [`im_conversation::ConversationService`]. `main.rs` runs the same router on Lambda;
//! `im-server` mounts it with [`mount`].

#![deny(missing_docs)]

pub mod api;
mod handlers;

use std::sync::Arc;

use im_conversation::ConversationService;
use im_domain::clock::Env;
use im_domain::ports::{GroupQuery, Notifier};
use im_domain::store::DynStore;
use im_http::App;

/// State of the conversation handlers.
pub type ConversationState = Arc<ConversationService>;

im_http::endpoints! {
    group: "conversation",
    state: ConversationState,
    routes: {
        api::GetSortedConversationList => handlers::get_sorted_conversation_list,
        api::GetAllConversations => handlers::get_all_conversations,
        api::GetConversation => handlers::get_conversation,
        api::GetConversations => handlers::get_conversations,
        api::SetConversations => handlers::set_conversations,
        api::GetConversationOfflinePushUserIds => handlers::get_conversation_offline_push_user_ids,
        api::GetFullConversationIds => handlers::get_full_conversation_ids,
        api::GetIncrementalConversations => handlers::get_incremental_conversations,
        api::GetOwnerConversation => handlers::get_owner_conversation,
        api::GetNotNotifyConversationIds => handlers::get_not_notify_conversation_ids,
        api::GetPinnedConversationIds => handlers::get_pinned_conversation_ids,
    }
}

/// A state on `store` with the system clock, sending no notifications and knowing no groups;
/// wire the messaging notifier and the group module with
/// [`ConversationService::with_notifier`] / [`ConversationService::with_groups`].
pub fn state(store: DynStore) -> ConversationState {
    Arc::new(ConversationService::new(store, Env::system()))
}

/// A state on `store` with the system clock that notifies through `notifier` (the messaging
/// module's) and reads groups through `groups` (the group module's).
pub fn state_with(store: DynStore, notifier: Arc<dyn Notifier>, groups: Arc<dyn GroupQuery>) -> ConversationState {
    Arc::new(ConversationService::new(store, Env::system()).with_notifier(notifier).with_groups(groups))
}

/// Mounts the conversation routes on `app`.
pub fn mount(app: App, state: ConversationState) -> App {
    app.mount(group(), state)
}
