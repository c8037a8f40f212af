//! HTTP glue of the OpenIM-compatible API (reference §1–§4), written once for every function.
//!
//! * Each endpoint is declared once as a type implementing [`Endpoint`] (method, path,
//!   [`AuthRule`], request and response types); a function crate lists its endpoints with
//!   handlers in [`endpoints!`], which yields both its [`Group`] (router) and a static
//!   `ROUTES` table (for the deployment template and the permission-matrix tests).
//! * [`App`] mounts groups and applies the global middleware once: panic catch, gzip, a tracing
//!   span per request, CORS, and the header gate (`X-Tenant-ID`, `operationID`, `token`).
//! * Handlers are plain async functions `(state, Caller, Req) -> ImResult<Resp>`; the envelope
//!   `{errCode, errMsg, errDlt, data}` ([`envelope`]) and Go-like body decoding ([`decode`])
//!   happen around them.

pub mod app;
pub mod decode;
pub mod endpoint;
pub mod envelope;
mod gate;
pub mod group;
mod handler;
pub mod headers;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod server;
pub mod telemetry;
pub mod testing;

pub use app::{App, HttpOptions};
pub use endpoint::{AuthRule, Endpoint, HttpMethod, RouteInfo};
pub use envelope::Empty;
pub use group::Group;
pub use handler::Handler;
pub use im_auth::{Caller, TokenVerifier, Verified};
