//! A store decorator that fails a share of the writes at random (test-only): half of the failures
//! happen before the write (nothing written), half after it (written, but the caller sees an
//! error — a lost acknowledgement).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use async_trait::async_trait;
use im_domain::store::{
    BatchWrite, Condition, Consistency, Item, Key, Page, Query, Store, StoreError, StoreResult, Update, WriteOp,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// When an injected failure strikes.
enum Fault {
    None,
    Before,
    After,
}

/// The decorator.
pub struct Flaky<S> {
    inner: S,
    rate: f64,
    rng: Mutex<StdRng>,
    enabled: AtomicBool,
    /// Failures injected so far.
    pub injected: AtomicU64,
}

impl<S: Store> Flaky<S> {
    /// Fails `rate` of the writes, with a seeded random sequence.
    pub fn new(inner: S, rate: f64, seed: u64) -> Self {
        Flaky {
            inner,
            rate,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            enabled: AtomicBool::new(true),
            injected: AtomicU64::new(0),
        }
    }

    /// Turns failures on or off.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::SeqCst);
    }

    fn roll(&self) -> Fault {
        if !self.enabled.load(Ordering::SeqCst) {
            return Fault::None;
        }
        let Ok(mut rng) = self.rng.lock() else { return Fault::None };
        if rng.random::<f64>() >= self.rate {
            return Fault::None;
        }
        self.injected.fetch_add(1, Ordering::Relaxed);
        if rng.random::<bool>() { Fault::Before } else { Fault::After }
    }

    async fn write<T>(&self, op: impl Future<Output = StoreResult<T>>) -> StoreResult<T> {
        let injected = || StoreError::Unavailable("injected failure".into());
        match self.roll() {
            Fault::None => op.await,
            Fault::Before => Err(injected()),
            Fault::After => {
                op.await?;
                Err(injected())
            }
        }
    }
}

#[async_trait]
impl<S: Store> Store for Flaky<S> {
    async fn get(&self, key: &Key, consistency: Consistency) -> StoreResult<Option<Item>> {
        self.inner.get(key, consistency).await
    }
    async fn batch_get(&self, keys: &[Key], consistency: Consistency) -> StoreResult<Vec<Option<Item>>> {
        self.inner.batch_get(keys, consistency).await
    }
    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()> {
        self.write(self.inner.put(item, condition)).await
    }
    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item> {
        self.write(self.inner.update(key, update, condition)).await
    }
    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>> {
        self.write(self.inner.delete(key, condition)).await
    }
    async fn query(&self, query: &Query) -> StoreResult<Page> {
        self.inner.query(query).await
    }
    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()> {
        self.write(self.inner.batch_write(writes)).await
    }
    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        self.write(self.inner.transact_write(ops)).await
    }
}
