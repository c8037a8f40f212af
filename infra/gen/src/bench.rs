//! The `lambda-bench` binary: per function, the binary size and the median time from process
//! start to the first event handled (runtime API emulator + AWS-API emulator).

use std::path::PathBuf;
use std::time::Instant;

use crate::catalog::{Function, functions};
use crate::local::{BuildSet, LocalLambda, build, deployment_env, emulator_endpoint, profile_dir};
use crate::runtime_api::Outcome;

/// Options of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Process starts per function.
    pub runs: usize,
    /// Cargo profile.
    pub profile: String,
    /// Build first.
    pub build: bool,
    /// Only these functions (all when empty).
    pub only: Vec<String>,
}

impl Options {
    /// Parses `--runs N --profile P --no-build --only a,b`.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut o = Options { runs: 20, profile: "dist".into(), build: true, only: vec![] };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = || it.next().cloned().ok_or(format!("{a} needs a value"));
            match a.as_str() {
                "--runs" => o.runs = value()?.parse().map_err(|_| "--runs: not a number".to_string())?,
                "--profile" => o.profile = value()?,
                "--no-build" => o.build = false,
                "--only" => o.only = value()?.split(',').map(String::from).collect(),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        if o.runs == 0 {
            return Err("--runs must be at least 1".into());
        }
        Ok(o)
    }
}

/// The first `events/` sample of a function (`<name>-*.json`, sorted).
pub fn first_event(f: &Function) -> Option<PathBuf> {
    let mut samples: Vec<PathBuf> = std::fs::read_dir(crate::events_dir())
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{}-", f.name)) && n.ends_with(".json"))
        })
        .collect();
    samples.sort();
    samples.into_iter().next()
}

/// The median of `xs` (sorted in place).
pub fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Runs the benchmark with command-line `args` and prints one line per function.
pub async fn run(args: Vec<String>) -> Result<(), String> {
    let o = Options::parse(&args)?;
    let fs: Vec<Function> =
        functions().into_iter().filter(|f| o.only.is_empty() || o.only.iter().any(|n| n == f.name)).collect();
    if o.build {
        build(&o.profile, BuildSet::Packages(&fs.iter().map(|f| f.package).collect::<Vec<_>>()))?;
    }
    let endpoint = emulator_endpoint()?;
    let mut env = deployment_env(&endpoint, &format!("im-bench-{}", std::process::id())).await?;
    env.push(("IM_LOG_LEVEL".into(), "error".into()));
    println!("profile {}, {} runs each, AWS-API emulator {endpoint}", o.profile, o.runs);
    println!(
        "{:<14} {:>12} {:>16} {:>12} {:>12} {:>14}",
        "function", "binary (MB)", "start→1st (ms)", "min (ms)", "max (ms)", "start→init (ms)"
    );
    for f in &fs {
        let bin = profile_dir(&o.profile).join(f.binary);
        let size = std::fs::metadata(&bin).map_err(|e| format!("{}: {e}", bin.display()))?.len();
        let Some(sample) = first_event(f) else {
            println!("{:<14} {:>12.2} {:>16}", f.name, size as f64 / 1e6, "no events/ sample");
            continue;
        };
        let event = std::fs::read(&sample).map_err(|e| format!("{}: {e}", sample.display()))?;
        let mut times = Vec::with_capacity(o.runs);
        let mut inits = Vec::with_capacity(o.runs);
        for _ in 0..o.runs {
            let t0 = Instant::now();
            let mut l = LocalLambda::start(&bin, f.name, &env).await?;
            let outcome = l.invoke(&event).await;
            let ms = t0.elapsed().as_secs_f64() * 1e3;
            if let Some(done) = l.init_done() {
                inits.push(done.duration_since(t0).as_secs_f64() * 1e3);
            }
            l.stop().await;
            match outcome? {
                Outcome::Response(_) => times.push(ms),
                Outcome::Error(e) => return Err(format!("{}: {}: {e}", f.name, sample.display())),
            }
        }
        let (min, max) = (times.iter().copied().fold(f64::MAX, f64::min), times.iter().copied().fold(0.0, f64::max));
        println!(
            "{:<14} {:>12.2} {:>16.1} {:>12.1} {:>12.1} {:>14.1}",
            f.name,
            size as f64 / 1e6,
            median(&mut times),
            min,
            max,
            median(&mut inits)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options_and_medians() {
        let args: Vec<String> =
            ["--runs", "3", "--only", "auth,user", "--no-build"].iter().map(|s| s.to_string()).collect();
        let o = Options::parse(&args).expect("parses");
        assert_eq!((o.runs, o.build, o.only.len(), o.profile.as_str()), (3, false, 2, "dist"));
        assert!(Options::parse(&["--runs".into(), "0".into()]).is_err());
        assert!(Options::parse(&["--bogus".into()]).is_err());
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
