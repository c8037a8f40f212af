//! Groups on the storage port (reference §1.4, §6.6, §6.9, A.4, A.11): the repositories
//! ([`repo`]), the role rules ([`rules`]), the notifications ([`notify`]), the domain service
//! behind every `/group/*` route ([`service`]) and the [`im_domain::ports::GroupQuery`] port
//! the messaging send path uses (implemented by [`GroupRepo`]).
//!
//! Key layout: [`keys`] and `docs/data-model.md`. Nothing here knows HTTP or a backend.

#![warn(missing_docs)]

pub mod hash;
pub mod ids;
pub mod keys;
pub mod notify;
mod query;
pub mod records;
pub mod repo;
pub mod rules;
pub mod service;

pub use records::{GroupRecord, MemberRecord, RequestRecord};
pub use repo::GroupRepo;
pub use service::{Actor, GroupService};
