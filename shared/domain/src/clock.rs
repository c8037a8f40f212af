//! Clock and ID-generation ports, so domain logic and tests are deterministic.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Source of the current time.
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// Seconds since the Unix epoch.
    fn now_s(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }
}

/// Wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }
}

/// A clock tests set and advance by hand.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock reading `ms`.
    pub fn new(ms: i64) -> Self {
        ManualClock(AtomicI64::new(ms))
    }
    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
    /// Sets the clock to `ms`.
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Source of unique identifiers (server message IDs, client message IDs, group IDs).
pub trait IdGen: Send + Sync {
    /// A fresh 128-bit value, unique for practical purposes.
    fn next_u128(&self) -> u128;
    /// A fresh ID as 32 lowercase hex digits (OpenIM's MD5-shaped IDs).
    fn next_hex(&self) -> String {
        format!("{:032x}", self.next_u128())
    }
}

/// Random IDs from the operating system's generator, mixed with a process counter.
#[derive(Debug, Default)]
pub struct RandomIdGen {
    counter: AtomicU64,
}

impl IdGen for RandomIdGen {
    fn next_u128(&self) -> u128 {
        use std::collections::hash_map::RandomState;
        use std::hash::{BuildHasher, Hasher};
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut hi = RandomState::new().build_hasher();
        hi.write_u64(n);
        let mut lo = RandomState::new().build_hasher();
        lo.write_u64(n ^ 0x9e37_79b9_7f4a_7c15);
        ((hi.finish() as u128) << 64) | lo.finish() as u128
    }
}

/// Sequential IDs for tests: 1, 2, 3, …
#[derive(Debug, Default)]
pub struct SequentialIdGen(AtomicU64);

impl IdGen for SequentialIdGen {
    fn next_u128(&self) -> u128 {
        self.0.fetch_add(1, Ordering::SeqCst) as u128 + 1
    }
}

/// Shared handles to the clock and ID ports.
#[derive(Clone)]
pub struct Env {
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// ID source.
    pub ids: Arc<dyn IdGen>,
}

impl Env {
    /// Wall clock and random IDs.
    pub fn system() -> Self {
        Env { clock: Arc::new(SystemClock), ids: Arc::new(RandomIdGen::default()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_and_sequential_ids() {
        let c = ManualClock::new(1_500);
        assert_eq!(c.now_s(), 1);
        c.advance(1_000);
        assert_eq!(c.now_ms(), 2_500);
        let ids = SequentialIdGen::default();
        assert_eq!(ids.next_hex(), format!("{:032x}", 1));
        assert_eq!(ids.next_u128(), 2);
    }

    #[test]
    fn random_ids_differ() {
        let g = RandomIdGen::default();
        let a: std::collections::HashSet<_> = (0..1000).map(|_| g.next_u128()).collect();
        assert_eq!(a.len(), 1000);
    }
}
