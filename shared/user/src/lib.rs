//! User domain of the OpenIM-compatible API (reference §1.2, Appendix A.2), written once on the
//! storage port and used by the `/user` function (Lambda and im-server alike).
//!
//! * [`UserService`] holds every operation: registration ([`register`]), profile updates and
//!   reads ([`profile`]), listings with pagination ([`listing`]), user commands ([`commands`]),
//!   notification accounts ([`notification`]), online status from the connection registry
//!   ([`online`]) and the password-based self-service of seed 004 ([`password`]).
//! * [`UserEvents`] is the port through which profile and command changes reach messaging
//!   (notifications 1303, 1305–1307); [`NoopUserEvents`] until messaging implements it.
//!
//! Permission rules that depend on the request body (who may change `appMangerLevel`) are
//! decided here; route-level rules (admin only, self or admin) are the HTTP layer's.

#![warn(missing_docs)]

pub mod commands;
pub mod events;
pub mod listing;
pub mod notification;
pub mod online;
pub mod password;
pub mod profile;
pub mod register;
pub mod service;
pub mod validate;

pub use events::{CommandChange, NoopUserEvents, UserEvents};
pub use im_repo::connection::ConnectionRecord;
pub use im_repo::{ProfilePatch, UserCommand, UserRecord};
pub use register::NewUser;
pub use service::UserService;
pub use validate::Pagination;
