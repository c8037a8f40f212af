//! Running function binaries as Lambda runs them: built by cargo, started with
//! `AWS_LAMBDA_RUNTIME_API` pointing at a [`RuntimeApi`], on a DynamoDB table of the AWS-API
//! emulator.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use im_adapters::dynamodb::DynamoStore;

use crate::runtime_api::{Outcome, RuntimeApi};
use crate::workspace_root;

/// Environment variable naming the local AWS-API emulator (set by `tests/run.sh`).
pub const ENDPOINT_VAR: &str = "IM_TEST_DYNAMODB_ENDPOINT";

/// The directory cargo writes `profile`'s artifacts to.
pub fn profile_dir(profile: &str) -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
    target.join(if profile == "dev" || profile == "test" { "debug" } else { profile })
}

/// What to build with [`build`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildSet<'a> {
    /// The binaries of these packages only (their own feature set).
    Packages(&'a [&'a str]),
    /// Every binary and test target of the workspace: the feature set of
    /// `cargo test --workspace`, so inside that run every artifact is already fresh.
    WorkspaceAsTested,
}

/// Builds binaries in `profile` (quick when they are up to date).
pub fn build(profile: &str, set: BuildSet<'_>) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.current_dir(workspace_root()).args(["build", "--bins", "--profile", profile]);
    match set {
        BuildSet::Packages(packages) => {
            for p in packages {
                cmd.args(["-p", p]);
            }
        }
        BuildSet::WorkspaceAsTested => {
            cmd.args(["--workspace", "--tests"]);
        }
    }
    let status = cmd.status().map_err(|e| format!("running cargo: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo build --profile {profile} failed: {status}")) }
}

/// The emulator endpoint from [`ENDPOINT_VAR`].
pub fn emulator_endpoint() -> Result<String, String> {
    std::env::var(ENDPOINT_VAR).map_err(|_| {
        format!(
            "{ENDPOINT_VAR} is not set: start tests/moto/serve.py and point {ENDPOINT_VAR} at it (tests/run.sh does)"
        )
    })
}

/// Creates table `name` on the emulator at `endpoint` (schema of the storage port).
pub async fn create_table(endpoint: &str, name: &str) -> Result<(), String> {
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
    let conf = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(region))
        .credentials_provider(Credentials::new("test", "test", None, None, "im-infra"))
        .build();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(conf), name);
    store.create_table_if_missing().await.map_err(|e| e.to_string())
}

/// Creates an SQS queue on the emulator at `endpoint` (JSON protocol) and returns its URL.
pub async fn create_queue(endpoint: &str, name: &str) -> Result<String, String> {
    let resp = reqwest::Client::new()
        .post(endpoint)
        .header("x-amz-target", "AmazonSQS.CreateQueue")
        .header("content-type", "application/x-amz-json-1.0")
        // The emulator picks the service from the credential scope.
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(serde_json::json!({ "QueueName": name }).to_string())
        .send()
        .await
        .map_err(|e| format!("CreateQueue {name}: {e}"))?;
    let body = resp.bytes().await.map_err(|e| format!("CreateQueue {name}: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| format!("CreateQueue {name}: {e}"))?;
    v["QueueUrl"].as_str().map(String::from).ok_or_else(|| format!("CreateQueue {name}: no QueueUrl in {v}"))
}

/// Table and queues of a fresh local deployment on the emulator at `endpoint`, as the
/// environment a function process gets (`IM_TABLE`, the queue URLs, the AWS settings).
pub async fn deployment_env(endpoint: &str, name: &str) -> Result<Vec<(String, String)>, String> {
    create_table(endpoint, name).await?;
    let mut env = aws_env(endpoint);
    env.push(("IM_TABLE".into(), name.to_string()));
    env.push(("IM_TRANSFER_QUEUE_URL".into(), create_queue(endpoint, &format!("{name}-transfer")).await?));
    env.push(("IM_PUSH_QUEUE_URL".into(), create_queue(endpoint, &format!("{name}-push")).await?));
    Ok(env)
}

/// The AWS environment a local function process gets: emulator endpoint, dummy credentials.
pub fn aws_env(endpoint: &str) -> Vec<(String, String)> {
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
    [
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "test".into())),
        ("AWS_SECRET_ACCESS_KEY", std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "test".into())),
        ("AWS_REGION", region),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// One function process attached to its own runtime API; killed when dropped.
pub struct LocalLambda {
    api: RuntimeApi,
    child: tokio::process::Child,
}

impl LocalLambda {
    /// Starts `binary` as function `name` with `env` (plus the Lambda variables).
    pub async fn start(binary: &Path, name: &str, env: &[(String, String)]) -> Result<LocalLambda, String> {
        let api = RuntimeApi::start().await.map_err(|e| format!("runtime API: {e}"))?;
        let mut cmd = tokio::process::Command::new(binary);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", api.address())
            .env("AWS_LAMBDA_FUNCTION_NAME", name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("IM_INFRA_SHOW_LOGS").is_some() { Stdio::inherit() } else { Stdio::null() })
            .kill_on_drop(true);
        let child = cmd.spawn().map_err(|e| format!("{}: {e}", binary.display()))?;
        Ok(LocalLambda { api, child })
    }

    /// Invokes the function with `event` (30 s limit).
    pub async fn invoke(&mut self, event: &[u8]) -> Result<Outcome, String> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Err(format!("the function process exited: {status}"));
        }
        let r = self.api.invoke(event.to_vec(), Duration::from_secs(30)).await;
        if r.is_err()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            return Err(format!("the function process exited: {status}"));
        }
        r
    }

    /// When the process finished its init (first poll of the runtime API), if it has.
    pub fn init_done(&self) -> Option<std::time::Instant> {
        self.api.first_poll()
    }

    /// Stops the process.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
