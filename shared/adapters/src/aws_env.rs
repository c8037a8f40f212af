//! The process-wide AWS SDK configuration.
//!
//! Every AWS adapter built from the environment (DynamoDB, SQS, the management API) shares one
//! [`SdkConfig`], loaded once: a Lambda cold start resolves the region and credential chain and
//! builds its HTTPS client (TLS roots included) once, not once per service client.

use aws_config::{BehaviorVersion, SdkConfig};
use tokio::sync::OnceCell;

static SDK_CONFIG: OnceCell<SdkConfig> = OnceCell::const_new();

/// The shared SDK configuration from the environment (`AWS_REGION`, credentials,
/// `AWS_ENDPOINT_URL`…), loaded on first use.
pub async fn sdk_config() -> SdkConfig {
    SDK_CONFIG.get_or_init(|| aws_config::load_defaults(BehaviorVersion::latest())).await.clone()
}
