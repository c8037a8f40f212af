//! HTTP benchmark, printing figures (not assertions):
//!
//! 1. **Throughput**: `/user/get_users_info` through the im-server router (auth + user function
//!    groups, global middleware, header gate with a state-checked user token) on the embedded
//!    store, against a bare axum JSON echo, both served over loopback HTTP in this process and
//!    driven by the same reqwest client with `--connections` concurrent connections for
//!    `--duration` seconds each: requests/s, p50/p99 latency and the ratio.
//! 2. **Cold start** of the `/user` Lambda binary (`--lambda-bin`, default
//!    `target/dist/im-fn-user`, built by `cargo build --profile dist -p im-fn-user`): its
//!    size, and process spawn → first handled event through a local Lambda runtime API that serves
//!    `events/user-get-users-info.json`, on DynamoDB at a local emulator — `--dynamodb-endpoint`,
//!    else `IM_TEST_DYNAMODB_ENDPOINT`, else a moto server started from `.venv-tests/` for the
//!    run. Median of `--cold-runs` (default 20).
//!
//! ```sh
//! cargo build --profile dist -p im-fn-user
//! cargo run --profile dist -p im-bench --bin http-bench -- --duration 10 --connections 64
//! ```
//!
//! `--skip-throughput` / `--skip-cold` run one half only.

mod cold;
mod load;
mod moto;
mod runtime_api;

use std::path::PathBuf;
use std::time::Duration;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Command-line options.
struct Options {
    duration: Duration,
    connections: usize,
    cold_runs: usize,
    lambda_bin: PathBuf,
    dynamodb_endpoint: Option<String>,
    throughput: bool,
    cold: bool,
}

/// The workspace root (two levels above this crate).
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn parse_options() -> Result<Options, BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let number = |name: &str, default: u64| -> Result<u64, BoxError> {
        match value(name) {
            Some(v) => v.parse().map_err(|_| format!("{name}: not a number: {v}").into()),
            None => Ok(default),
        }
    };
    Ok(Options {
        duration: Duration::from_secs(number("--duration", 10)?),
        connections: number("--connections", 64)?.max(1) as usize,
        cold_runs: number("--cold-runs", 20)?.max(1) as usize,
        lambda_bin: value("--lambda-bin")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target/dist/im-fn-user")),
        dynamodb_endpoint: value("--dynamodb-endpoint")
            .or_else(|| std::env::var("IM_TEST_DYNAMODB_ENDPOINT").ok().filter(|v| !v.is_empty())),
        throughput: !args.iter().any(|a| a == "--skip-throughput"),
        cold: !args.iter().any(|a| a == "--skip-cold"),
    })
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let options = parse_options()?;
    println!(
        "http-bench: {} CPUs, build profile {}",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        if cfg!(debug_assertions) { "debug (figures are not representative)" } else { "optimised" }
    );
    if options.throughput {
        load::run(options.duration, options.connections).await?;
    }
    if options.cold {
        cold::run(&options.lambda_bin, options.cold_runs, options.dynamodb_endpoint.clone()).await?;
    }
    Ok(())
}
