//! Log setup shared by every binary.

use std::str::FromStr;

use tracing_subscriber::filter::LevelFilter;

/// Installs a plain-text subscriber on stderr at `level` (`error`…`trace`, `off`). Calling it
/// twice is harmless.
pub fn init(level: &str) -> Result<(), String> {
    let filter = LevelFilter::from_str(level.trim()).map_err(|_| format!("unknown log level {level:?}"))?;
    let _ = tracing_subscriber::fmt().with_max_level(filter).with_target(false).with_writer(std::io::stderr).try_init();
    Ok(())
}
