//! Shared helpers of the benchmark and test-helper binaries.

use std::time::{Duration, Instant};

/// Throughput and latency figures of one benchmark phase.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Phase name.
    pub name: String,
    /// Operations completed.
    pub ops: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Latencies, sorted ascending.
    pub latencies: Vec<Duration>,
}

impl Figures {
    /// Builds figures from raw latencies.
    pub fn new(name: &str, elapsed: Duration, mut latencies: Vec<Duration>) -> Self {
        latencies.sort_unstable();
        Figures { name: name.to_string(), ops: latencies.len(), elapsed, latencies }
    }

    /// Operations per second.
    pub fn per_second(&self) -> f64 {
        self.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The latency at quantile `q` (0.0–1.0).
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)]
    }

    /// One printable line.
    pub fn line(&self) -> String {
        format!(
            "{:<28} {:>9} ops {:>10.0} ops/s  p50 {:>8.1} µs  p99 {:>8.1} µs",
            self.name,
            self.ops,
            self.per_second(),
            self.quantile(0.5).as_secs_f64() * 1e6,
            self.quantile(0.99).as_secs_f64() * 1e6
        )
    }
}

/// Times one async operation.
pub async fn timed<F: std::future::Future>(f: F) -> (F::Output, Duration) {
    let t = Instant::now();
    let out = f.await;
    (out, t.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles() {
        let f = Figures::new("x", Duration::from_secs(1), (1..=100).rev().map(Duration::from_micros).collect());
        assert_eq!(f.ops, 100);
        assert_eq!(f.quantile(0.0), Duration::from_micros(1));
        assert_eq!(f.quantile(1.0), Duration::from_micros(100));
        assert!((f.per_second() - 100.0).abs() < 1e-6);
    }
}
