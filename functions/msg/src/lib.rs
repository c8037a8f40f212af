//! The `/msg` function (reference §1.5, §1.9, A.5): endpoint declarations, wire types and thin
//! handlers over the messaging domain ([`im_msg::Messaging`]). `main.rs` runs the same router on
//! Lambda; im-server mounts it through [`local::mount`], which also runs the pipeline
//! (transfer and push consumers) in process.
//!
//! Routes are grouped in families (`api::<family>`, `handlers::<family>`, one `endpoints!`
//! table each in [`families`]); adding a family is additive: a module in each, its routes in
//! [`ROUTES`] and one line in [`mount`].

#![warn(missing_docs)]

pub mod api;
pub mod bind;
mod handlers;
pub mod local;

use axum::middleware;
use im_http::{App, RouteInfo};
use im_msg::Messaging;

/// Name of this function group.
pub const GROUP: &str = "msg";

/// State of the `/msg` handlers.
#[derive(Clone)]
pub struct MsgState {
    /// The messaging module.
    pub messaging: Messaging,
}

/// The route tables, one per family.
pub mod families {
    /// Seqs, pulls, server time, send status.
    pub mod sync {
        use crate::MsgState;
        use crate::api::sync as api;
        use crate::handlers::sync as h;

        im_http::endpoints! {
            group: "msg",
            state: MsgState,
            routes: {
                api::NewestSeq => h::newest_seq,
                api::PullMsgBySeq => h::pull_msg_by_seq,
                api::GetConversationsHasReadAndMaxSeq => h::get_conversations_has_read_and_max_seq,
                api::GetServerTime => h::get_server_time,
                api::CheckMsgIsSendSuccess => h::check_msg_is_send_success,
            }
        }
    }

    /// Revoke, read receipts, deletes and clears, the admin search.
    pub mod ops {
        use crate::MsgState;
        use crate::api::ops as api;
        use crate::handlers::ops as h;

        im_http::endpoints! {
            group: "msg",
            state: MsgState,
            routes: {
                api::RevokeMsg => h::revoke_msg,
                api::MarkMsgsAsRead => h::mark_msgs_as_read,
                api::MarkConversationAsRead => h::mark_conversation_as_read,
                api::SetConversationHasReadSeq => h::set_conversation_has_read_seq,
                api::DeleteMsgs => h::delete_msgs,
                api::ClearConversationMsg => h::clear_conversation_msg,
                api::UserClearAllMsg => h::user_clear_all_msg,
                api::DeleteMsgPhysicalBySeq => h::delete_msg_physical_by_seq,
                api::DeleteMsgPhysical => h::delete_msg_physical,
                api::SearchMsg => h::search_msg,
            }
        }
    }

    /// The admin send routes (HTTP 400 on binding failures, see [`crate::bind`]).
    pub mod send {
        use crate::MsgState;
        use crate::api::send as api;
        use crate::handlers::send as h;

        im_http::endpoints! {
            group: "msg",
            state: MsgState,
            routes: {
                api::SendMsg => h::send_msg,
                api::BatchSendMsg => h::batch_send_msg,
                api::SendBusinessNotification => h::send_business_notification,
            }
        }
    }
}

/// Every route of `/msg`, as declared: the families' tables in order (a test checks that this
/// list equals their concatenation).
pub const ROUTES: &[RouteInfo] = &[
    RouteInfo::of::<api::sync::NewestSeq>(GROUP),
    RouteInfo::of::<api::sync::PullMsgBySeq>(GROUP),
    RouteInfo::of::<api::sync::GetConversationsHasReadAndMaxSeq>(GROUP),
    RouteInfo::of::<api::sync::GetServerTime>(GROUP),
    RouteInfo::of::<api::sync::CheckMsgIsSendSuccess>(GROUP),
    RouteInfo::of::<api::send::SendMsg>(GROUP),
    RouteInfo::of::<api::send::BatchSendMsg>(GROUP),
    RouteInfo::of::<api::send::SendBusinessNotification>(GROUP),
    RouteInfo::of::<api::ops::RevokeMsg>(GROUP),
    RouteInfo::of::<api::ops::MarkMsgsAsRead>(GROUP),
    RouteInfo::of::<api::ops::MarkConversationAsRead>(GROUP),
    RouteInfo::of::<api::ops::SetConversationHasReadSeq>(GROUP),
    RouteInfo::of::<api::ops::DeleteMsgs>(GROUP),
    RouteInfo::of::<api::ops::ClearConversationMsg>(GROUP),
    RouteInfo::of::<api::ops::UserClearAllMsg>(GROUP),
    RouteInfo::of::<api::ops::DeleteMsgPhysicalBySeq>(GROUP),
    RouteInfo::of::<api::ops::DeleteMsgPhysical>(GROUP),
    RouteInfo::of::<api::ops::SearchMsg>(GROUP),
];

/// Mounts the `/msg` routes on `app`.
///
/// The send family carries the HTTP-400 binding quirk as a middleware of its own router, which
/// `App` takes as extra routes: they still pass the global middleware and header gate (token
/// required, as for every non-whitelisted path) and each endpoint's auth rule.
pub fn mount(app: App, state: MsgState) -> App {
    let app = app.mount(families::sync::group(), state.clone());
    let app = app.mount(families::ops::group(), state.clone());
    let (send, _) = families::send::group().with_state(state);
    app.raw(send.layer(middleware::from_fn(bind::status_400)))
}
