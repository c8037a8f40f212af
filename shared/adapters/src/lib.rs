//! Adapters of the domain ports.
//!
//! * [`embedded`]: the default single-machine backend on redb (durable, group-committed).
//! * [`dynamodb`]: the AWS backend on DynamoDB, for Lambda deployments and `im-server --backend aws`.
//! * [`aws_env`]: the one AWS SDK configuration every adapter built from the environment shares.
//! * [`apigw`]: the connection pusher of Lambda functions (API Gateway management API).
//! * [`sqs`]: the queue port on SQS, for Lambda deployments; [`sqs_event`]: the consumer side
//!   (SQS-triggered Lambda events to queue messages, failures to a batch response).
//! * [`emulator`]: test support for the AWS adapters on the local AWS-API emulator.
//! * `inproc_queue` (feature `inproc`): the queue port on bounded in-process channels, for im-server.

#[cfg(feature = "aws")]
pub mod apigw;
#[cfg(feature = "aws")]
pub mod aws_env;
#[cfg(feature = "aws")]
pub mod dynamodb;
#[cfg(feature = "embedded")]
pub mod embedded;
#[cfg(feature = "aws")]
pub mod emulator;
#[cfg(feature = "inproc")]
pub mod inproc_queue;
#[cfg(feature = "aws")]
pub mod sqs;
#[cfg(feature = "aws")]
pub mod sqs_event;
