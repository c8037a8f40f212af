//! Domain core of the OpenIM-compatible backend.
//!
//! Pure rules and ports only: this crate never imports AWS, axum or an embedded
//! storage engine. Adapters in `im-adapters` implement the ports declared here.

pub mod clock;
pub mod constants;
pub mod error;
pub mod ids;
pub mod ports;
pub mod store;
pub mod tenant;

pub use error::{ErrCode, ImError, ImResult};
pub use tenant::TenantId;
