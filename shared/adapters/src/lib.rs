//! Adapters of the domain ports.
//!
//! * [`embedded`]: the default single-machine backend on redb (durable, group-committed).
//! * [`dynamodb`]: the AWS backend on DynamoDB, for Lambda deployments and `im-server --backend aws`.

#[cfg(feature = "aws")]
pub mod dynamodb;
#[cfg(feature = "embedded")]
pub mod embedded;
