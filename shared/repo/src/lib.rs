//! Repositories on the storage port ([`im_domain::store::Store`]).
//!
//! Domain logic shared by several functions lives here, written once on the port: the key
//! layout of `docs/data-model.md` ([`keys`]) and user records ([`user`]). Nothing here knows
//! HTTP or a particular backend.

pub mod keys;
pub mod user;
pub mod version;

pub use user::{UserRecord, UserRepo};
