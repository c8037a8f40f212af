//! Endpoint declarations and wire types of `/user` (JSON keys as reference A.2 / A.8, and seed
//! 004 for the self-service routes). Each endpoint is one type; [`crate::ROUTES`] lists them.

pub mod commands;
pub mod listing;
pub mod notification;
pub mod online;
pub mod profile;
pub mod selfservice;
pub mod types;
pub mod wrapper;

pub use commands::*;
pub use listing::*;
pub use notification::*;
pub use online::*;
pub use profile::*;
pub use selfservice::*;
pub use types::*;
