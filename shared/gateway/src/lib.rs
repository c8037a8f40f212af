//! OpenIM's WebSocket gateway (reference §3 multi-login, §5).
//!
//! The core is transport-agnostic and written against API Gateway WebSocket semantics —
//! *connect* (query parameters), *message* (connection ID + frame), *disconnect* — plus a
//! post-to-connection port ([`im_repo::connection::ConnectionPusher`]):
//!
//! * [`handshake`]: parameter parsing and validation (1602 / 500 / 150x / 1502).
//! * [`Gateway`]: [`Gateway::authenticate`] → [`Gateway::open`] → [`Gateway::handle_frame`] →
//!   [`Gateway::close`]; dispatch of reqIdentifier 1001–1007 and 2003–2005 to a
//!   [`MessageService`]; connection records in the store; multi-login enforcement; online-status
//!   subscriptions.
//! * [`frames`]: push frames (2001 `PushMessages`, 2002 kick, 2005 tips) and their per-connection
//!   encoding (gob or JSON, gzip; JSON text for API Gateway connections).
//! * [`RegistryKicker`]: forced logout through the registry and the pusher.
//!
//! No axum or AWS in the core. The `server` feature adds im-server's front door: the WebSocket
//! listener and the SigV4-protected `@connections` management API ([`server`]).

#![deny(missing_docs)]

pub mod dispatch;
pub mod frames;
pub mod gateway;
pub mod handshake;
pub mod kicker;
pub mod messaging;
pub mod multilogin;
pub mod presence;
pub mod session;

#[cfg(feature = "server")]
pub mod server;

pub use frames::Outbound;
pub use gateway::{FrameOutcome, Gateway, GatewayConfig, GatewayDeps, Inbound, Rejection};
pub use handshake::Params;
pub use kicker::RegistryKicker;
pub use messaging::{MessageService, NoMessaging, RequestCtx};
pub use session::{ConnectInfo, Session};
