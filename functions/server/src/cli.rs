//! Command line and environment of im-server.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use im_auth::AuthConfig;
use im_auth::config::{DEFAULT_ADMIN_USER_ID, DEFAULT_SECRET, Policy};

/// Storage backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// Embedded redb file under `--data-dir`.
    Embedded,
    /// DynamoDB table `--table` (AWS settings from the usual AWS environment).
    Aws,
}

/// OpenIM-compatible IM server: every function on one process.
#[derive(Debug, Clone, Parser)]
#[command(name = "im-server", version, about)]
pub struct Cli {
    /// HTTP API listen address.
    #[arg(long, env = "IM_HTTP_ADDR", default_value = "127.0.0.1:10002")]
    pub http_addr: SocketAddr,
    /// WebSocket gateway listen address.
    #[arg(long, env = "IM_WS_ADDR", default_value = "127.0.0.1:10001")]
    pub ws_addr: SocketAddr,
    /// Gateway options (`@connections` API, connection limit).
    #[command(flatten)]
    pub gateway: im_gateway::server::GatewayArgs,
    /// Directory of the embedded database.
    #[arg(long, env = "IM_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Token secret and get_admin_token secret.
    #[arg(long, env = "IM_SECRET", default_value = DEFAULT_SECRET, hide_env_values = true)]
    pub secret: String,
    /// Comma-separated app-admin user IDs.
    #[arg(long, env = "IM_ADMIN_USER_IDS", default_value = DEFAULT_ADMIN_USER_ID)]
    pub admin_user_ids: String,
    /// Token lifetime in days.
    #[arg(long, env = "IM_TOKEN_EXPIRE_DAYS", default_value_t = 90)]
    pub token_expire_days: i64,
    /// Multi-login policy (0, 1, 4 or 5).
    #[arg(long, env = "IM_MULTI_LOGIN_POLICY", default_value_t = 1)]
    pub multi_login_policy: i32,
    /// Log level: error, warn, info, debug, trace or off.
    #[arg(long, env = "IM_LOG_LEVEL", default_value = "info")]
    pub log_level: String,
    /// Storage backend.
    #[arg(long, env = "IM_BACKEND", value_enum, default_value = "embedded")]
    pub backend: Backend,
    /// DynamoDB table (with `--backend aws`).
    #[arg(long, env = "IM_TABLE", default_value = "im")]
    pub table: String,
    /// SQS queue of the transfer stage; with `--push-queue-url`, sends enqueue on SQS and the
    /// pipeline runs in the transfer and push Lambdas (shared with them) instead of in process.
    #[arg(long, env = "IM_TRANSFER_QUEUE_URL", default_value = "")]
    pub transfer_queue_url: String,
    /// SQS queue of the push stage (see `--transfer-queue-url`).
    #[arg(long, env = "IM_PUSH_QUEUE_URL", default_value = "")]
    pub push_queue_url: String,
}

impl Cli {
    /// The auth settings these options describe.
    pub fn auth_config(&self) -> Result<AuthConfig, String> {
        let mut c = AuthConfig {
            secret: self.secret.clone(),
            admin_user_ids: AuthConfig::parse_admin_user_ids(&self.admin_user_ids),
            expire_days: self.token_expire_days,
            ..AuthConfig::default()
        };
        c.multi_login.policy = Policy::from_code(self.multi_login_policy)
            .ok_or_else(|| format!("unknown multiLogin policy {}", self.multi_login_policy))?;
        c.validate()?;
        Ok(c)
    }

    /// The SQS queue URLs (transfer, push) when both are set; `None`: in-process queue. Only one
    /// of them set is an error.
    pub fn queue_urls(&self) -> Result<Option<(String, String)>, String> {
        match (self.transfer_queue_url.is_empty(), self.push_queue_url.is_empty()) {
            (true, true) => Ok(None),
            (false, false) => Ok(Some((self.transfer_queue_url.clone(), self.push_queue_url.clone()))),
            _ => Err("set both IM_TRANSFER_QUEUE_URL and IM_PUSH_QUEUE_URL, or neither".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_flags() {
        let c = Cli::try_parse_from(["im-server"]).unwrap();
        assert_eq!(c.http_addr.to_string(), "127.0.0.1:10002");
        assert_eq!(c.backend, Backend::Embedded);
        assert_eq!(c.auth_config().unwrap(), AuthConfig::default());
        let c =
            Cli::try_parse_from(["im-server", "--admin-user-ids", "a,b", "--backend", "aws", "--table", "t"]).unwrap();
        assert_eq!(c.auth_config().unwrap().admin_user_ids, vec!["a", "b"]);
        assert_eq!((c.backend, c.table.as_str()), (Backend::Aws, "t"));
        let c = Cli::try_parse_from(["im-server", "--multi-login-policy", "3"]).unwrap();
        assert!(c.auth_config().is_err());
        let c = Cli::try_parse_from(["im-server", "--transfer-queue-url", "", "--push-queue-url", ""]).unwrap();
        assert_eq!(c.queue_urls(), Ok(None));
        let c = Cli::try_parse_from(["im-server", "--transfer-queue-url", "t", "--push-queue-url", "p"]).unwrap();
        assert_eq!(c.queue_urls(), Ok(Some(("t".to_string(), "p".to_string()))));
        let c = Cli::try_parse_from(["im-server", "--transfer-queue-url", "t", "--push-queue-url", ""]).unwrap();
        assert!(c.queue_urls().is_err());
    }
}
