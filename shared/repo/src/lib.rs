//! Repositories on the storage port ([`im_domain::store::Store`]).
//!
//! Domain logic shared by several functions lives here, written once on the port: the key
//! layout of `docs/data-model.md` ([`keys`]), user records ([`user`]), password credentials
//! ([`credentials`]) and user commands ([`commands`]), among others. Nothing here knows
//! HTTP or a particular backend.

pub mod commands;
pub mod connection;
pub mod credentials;
pub mod keys;
pub mod user;
pub mod version;

pub use commands::{CommandRepo, UserCommand};
pub use credentials::CredentialRepo;
pub use user::{Created, ProfilePatch, UserRecord, UserRepo};
