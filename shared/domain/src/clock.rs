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

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days-from-civil).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The UTC calendar day (`yyyy-mm-dd`) of a Unix-milliseconds time.
pub fn utc_day(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn days_and_dates() {
        assert_eq!(utc_day(0), "1970-01-01");
        assert_eq!(utc_day(951_782_400_000), "2000-02-29");
        assert_eq!(utc_day(1_795_315_200_000), "2026-11-22");
        assert_eq!(utc_day(-1), "1969-12-31");
        for d in [-800_000, -1, 0, 11_017, 20_414, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
