//! Per function: the size of its `--profile dist` binary (stripped) and the time from process
//! start to the first event handled through a local Lambda runtime API (median of `--runs`,
//! default 20), and to the end of its init (its first poll of the runtime API), against the
//! AWS-API emulator at `IM_TEST_DYNAMODB_ENDPOINT` (moto).
//!
//! ```sh
//! cargo run -p im-infra --bin lambda-bench -- [--runs 20] [--profile dist] [--no-build] [--only auth,user]
//! ```

fn main() -> std::process::ExitCode {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tokio: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(im_infra::bench::run(std::env::args().skip(1).collect())) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}
