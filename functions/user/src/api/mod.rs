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

/// Declares an endpoint type: `endpoint!(/// doc  Name, "/path", AuthRule, Req => Resp);`.
macro_rules! endpoint {
    ($(#[$meta:meta])* $name:ident, $path:literal, $auth:expr, $req:ty => $resp:ty) => {
        $(#[$meta])*
        pub struct $name;
        impl im_http::Endpoint for $name {
            const PATH: &'static str = $path;
            const AUTH: im_http::AuthRule = $auth;
            type Req = $req;
            type Resp = $resp;
        }
    };
}
pub(crate) use endpoint;
