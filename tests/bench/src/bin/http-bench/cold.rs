//! Cold start of the `/user` Lambda binary: process spawn → the first event's response, through
//! the local runtime API ([`crate::runtime_api`]), on DynamoDB at a local emulator.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use im_adapters::dynamodb::DynamoStore;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::TenantId;
use im_domain::clock::SystemClock;
use im_domain::store::DynStore;
use im_repo::{UserRecord, UserRepo};
use serde_json::Value;

use crate::BoxError;
use crate::moto::Emulator;
use crate::runtime_api::RuntimeApi;

/// The sample event (its `X-Tenant-ID` is "1000"; it asks for `user_10001` and `user_10002`).
const EVENT_FILE: &str = "events/user-get-users-info.json";
/// How long one run may take.
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether an ELF file still has a symbol table (`.symtab` in its section-name table).
fn has_symtab(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b".symtab\0")
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A DynamoDB store on the emulator, in a fresh table.
async fn store(endpoint: &str) -> Result<DynamoStore, BoxError> {
    let conf = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "http-bench"))
        .endpoint_url(endpoint)
        .build();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let table = format!("im-bench-{}-{nanos}", std::process::id());
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(conf), table);
    store.create_table_if_missing().await?;
    Ok(store)
}

/// The sample event with a real, state-checked token of `user_10001` in place of the placeholder.
async fn prepared_event(store: DynStore) -> Result<String, BoxError> {
    let text = std::fs::read_to_string(crate::workspace_root().join(EVENT_FILE))?;
    let mut event: Value = serde_json::from_str(&text)?;
    let tenant = TenantId::parse(event["headers"]["x-tenant-id"].as_str().unwrap_or("1000"))?;
    let users = UserRepo::new(store.clone());
    for id in ["user_10001", "user_10002"] {
        let user = UserRecord { user_id: id.into(), nickname: id.into(), create_time: 1, ..UserRecord::default() };
        users.create(&tenant, &user).await?;
    }
    let auth = AuthService::new(AuthConfig::default(), store, Arc::new(SystemClock), Arc::new(NoopKicker));
    let token = auth.get_user_token(&tenant, "user_10001", 1).await?.token;
    event["headers"]["token"] = Value::String(token);
    Ok(event.to_string())
}

/// The `errCode` and user count inside an API Gateway v2 response payload.
fn summary(payload: &str) -> String {
    let outer: Value = serde_json::from_str(payload).unwrap_or_default();
    let inner: Value = serde_json::from_str(outer["body"].as_str().unwrap_or_default()).unwrap_or_default();
    format!(
        "statusCode {}, errCode {}, {} users",
        outer["statusCode"],
        inner["errCode"],
        inner["data"]["usersInfo"].as_array().map(Vec::len).unwrap_or(0)
    )
}

/// Measures `runs` cold starts of `bin` and prints the figures.
pub async fn run(bin: &Path, runs: usize, endpoint: Option<String>) -> Result<(), BoxError> {
    println!("\n== cold start: {}", bin.display());
    let bytes = std::fs::read(bin)
        .map_err(|e| format!("{}: {e} (build it with `cargo build --profile dist -p im-fn-user`)", bin.display()))?;
    println!(
        "binary size: {} bytes ({:.2} MiB), {}",
        bytes.len(),
        bytes.len() as f64 / (1024.0 * 1024.0),
        if has_symtab(&bytes) { "NOT stripped (has .symtab)" } else { "stripped (no .symtab)" }
    );
    drop(bytes);

    let emulator = Emulator::start(endpoint)?;
    let store = store(&emulator.endpoint).await?;
    let table = store.table().to_string();
    let event = prepared_event(Arc::new(store)).await?;
    let api = RuntimeApi::start().await?;
    let dir = tempfile::tempdir()?;

    let (mut init, mut total) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let mut first_summary = String::new();
    for i in 0..runs {
        let request_id = format!("bench-{i}");
        api.arm(&request_id, event.clone()).await;
        let log_path = dir.path().join(format!("run-{i}.log"));
        let log = std::fs::File::create(&log_path)?;
        let started = Instant::now();
        let mut child = Command::new(bin)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", &api.address)
            .env("AWS_LAMBDA_FUNCTION_NAME", "im-fn-user")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/im-fn-user")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
            .env("IM_TABLE", &table)
            .env("IM_LOG_LEVEL", "warn")
            .env("AWS_ENDPOINT_URL", &emulator.endpoint)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let outcome = api.wait(RUN_TIMEOUT).await;
        let _ = child.kill();
        let _ = child.wait();
        let outcome =
            outcome.map_err(|e| format!("run {i}: {e}\n{}", std::fs::read_to_string(&log_path).unwrap_or_default()))?;
        if i == 0 {
            first_summary = summary(&outcome.payload);
        }
        init.push(outcome.first_next.saturating_duration_since(started));
        total.push(outcome.responded.saturating_duration_since(started));
    }
    println!("first response: {first_summary}");
    let line = |name: &str, xs: &[Duration]| {
        let min = xs.iter().min().copied().unwrap_or_default();
        let max = xs.iter().max().copied().unwrap_or_default();
        println!(
            "{name:<44} median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms   ({} runs)",
            ms(median(xs.to_vec())),
            ms(min),
            ms(max),
            xs.len()
        );
    };
    line("spawn → init done (first /invocation/next)", &init);
    line("spawn → first event handled (its response)", &total);
    Ok(())
}
