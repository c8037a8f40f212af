//! Authentication domain (reference §3): JWT tokens, per user+platform token state, the
//! multi-login policies, forced logout, and the ports the HTTP layer and the gateway use.
//!
//! * [`AuthService`] issues, parses, verifies and revokes tokens on the storage port.
//! * [`TokenVerifier`] is the port every entry point authenticates through; [`Caller`] is who
//!   made a request.
//! * [`ConnectionKicker`] is the port the WebSocket gateway implements to close connections.
//!
//! No HTTP or AWS types appear here.

pub mod caller;
pub mod config;
pub mod jwt;
pub mod kicker;
pub mod policy;
pub mod service;
pub mod state;

pub use caller::{Caller, TokenVerifier, Verified};
pub use config::{AuthConfig, MultiLogin, Policy};
pub use kicker::{ConnectionKicker, NoopKicker};
pub use service::{AuthService, IssuedToken, ParsedToken};
