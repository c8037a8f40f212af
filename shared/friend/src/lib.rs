//! Friend relations (reference §1.3, §6.6, §6.9): friends, friend applications and blacklists
//! on the storage port, written once for every backend and entry point.
//!
//! * [`FriendService`] implements the `/friend/*` operations: applications and answers,
//!   friend lists, remarks and updates, admin imports, blacklists, incremental sync. Every
//!   change of a friend list is appended to its owner's version log
//!   ([`im_repo::version::LogKind::Friend`]); notifications 1201–1210 go to the
//!   [`im_domain::ports::Notifier`] port.
//! * [`RelationRepo`] reads the rows and implements [`im_domain::ports::RelationQuery`] for the
//!   message send path.
//! * [`access`] holds the caller checks beyond the routes' declared rules.
//!
//! Key layout: [`keys`] (and `docs/data-model.md`). No HTTP or AWS types appear here.

pub mod access;
mod apply;
mod blacks;
pub mod convert;
mod friends;
mod import;
pub mod keys;
pub mod notify;
pub mod page;
pub mod records;
mod relations;
pub mod repo;
mod service;
mod sync;

pub use friends::{FriendPatch, list_order};
pub use page::PageSel;
pub use repo::RelationRepo;
pub use service::FriendService;
