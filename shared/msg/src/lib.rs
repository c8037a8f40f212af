//! Messaging on the storage port (reference §6.1–§6.6): the seq space and message store of each
//! conversation, the send service shared by HTTP `/msg/send_msg` and WebSocket 1003, the
//! post-store pipeline (`transfer` → `push`) behind the [`Queue`] port, the [`Notifier`] that
//! turns server notifications into messages, and the pulls (HTTP `/msg/*`, WebSocket 1001,
//! 1002, 1005, 1006, 1007).
//!
//! Nothing here knows HTTP, WebSockets or a particular backend: everything runs on
//! [`im_domain::store::Store`] and the ports of [`im_domain::ports`].
//!
//! * [`seq`]: one conditional update of `SEQ#<cid>/head` allocates a seq (deduplicating a recent
//!   clientMsgID), then the message item is put with `ItemNotExists`.
//! * [`send`]: request checks, option overrides, session-type rules, store, enqueue.
//! * [`pipeline`]: the queue message body; [`transfer`] and [`push`]: its consumers.
//! * [`notifier`]: [`Notifier`] implementation; [`pull`]: the read side; [`quote`]: quotes of
//!   revoked messages rewritten on read; [`search`]: the admin message search and its day log.
//!
//! [`Queue`]: im_domain::ports::Queue
//! [`Notifier`]: im_domain::ports::Notifier

#![warn(missing_docs)]

pub mod admin_send;
pub mod config;
mod dedupe;
pub mod groups;
mod groups_in_order;
pub mod hash;
pub mod keys;
mod messaging;
pub mod notifier;
pub mod ops;
pub mod options;
pub mod pipeline;
pub mod pull;
pub mod push;
pub mod quote;
pub mod record;
pub mod search;
pub mod send;
pub mod seq;
pub mod stats;
pub mod status;
pub mod transfer;

pub use config::{Delivery, MsgConfig};
pub use groups::NoGroups;
pub use messaging::{Messaging, MsgDeps};
pub use notifier::MsgNotifier;
pub use send::{SendCtx, SendOutcome};
