//! Conversations on the storage port (reference §1.6, §1.8, §6.3, §6.9; `docs/data-model.md`).
//!
//! * [`ConversationRepo`]: each user's conversation rows (`CONV#<owner>/<conversationID>`),
//!   every insert, change and delete recorded in the owner's conversation version log. The
//!   messaging pipeline creates rows on a conversation's first message with
//!   [`ConversationRepo::ensure_rows`] / [`ConversationRepo::ensure_pair`].
//! * [`ConversationService`]: the use cases of `/conversation/*` and `/jssdk/*` (sorted list,
//!   settings with notifications, incremental sync, JS-SDK composites), with ownership checks.
//! * [`seqs`] and [`messages`] read the messaging module's seq heads and messages to derive
//!   unread counts and last messages: a user's read seq is `max(row.hasReadSeq, head.r_<user>)`.
//!
//! Nothing here knows HTTP or a particular storage backend.

#![deny(missing_docs)]

pub mod keys;
pub mod lookup;
pub mod messages;
pub mod patch;
pub mod record;
pub mod repo;
pub mod seqs;
pub mod service;

pub use patch::ConversationPatch;
pub use record::ConversationRecord;
pub use repo::{ConversationRepo, RowChange};
pub use service::{Actor, ConversationService};
