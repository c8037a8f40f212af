//! Request-unit metering: a [`Store`] decorator that counts read and write request units the
//! way DynamoDB on-demand bills them.
//!
//! * Writes: 1 WRU per started KB of the item written (put: the new item; update: the item
//!   after the update — DynamoDB bills the larger of before/after, which this cannot see;
//!   delete: the deleted item), minimum 1, charged for failed conditional writes too.
//!   Transactional writes (and condition checks) cost 2× per item.
//! * Reads: 1 RRU per started 4 KB when strongly consistent, 0.5 when eventual. A query is
//!   charged on the summed size of the items it returns (minimum one unit); a batch get per item.
//!
//! Read units are kept in halves so eventual reads stay integral.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;

use super::limits::item_size;
use super::{
    BatchWrite, Condition, Consistency, Index, Item, Key, Page, Query, Store, StoreError, StoreResult, Update, WriteOp,
};

/// Units charged by one operation kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpUsage {
    /// Number of calls.
    pub calls: u64,
    /// Read request units × 2.
    pub read_half_units: u64,
    /// Write request units.
    pub write_units: u64,
}

/// A snapshot of the counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// Per operation kind (`get`, `batch_get`, `put`, `update`, `delete`, `query`, `batch_write`, `transact_write`).
    pub by_op: BTreeMap<&'static str, OpUsage>,
}

impl Usage {
    /// Total read request units.
    pub fn read_units(&self) -> f64 {
        self.by_op.values().map(|u| u.read_half_units).sum::<u64>() as f64 / 2.0
    }
    /// Total write request units.
    pub fn write_units(&self) -> u64 {
        self.by_op.values().map(|u| u.write_units).sum()
    }
    /// Total store calls.
    pub fn calls(&self) -> u64 {
        self.by_op.values().map(|u| u.calls).sum()
    }
    /// The usage accrued since `earlier`.
    pub fn since(&self, earlier: &Usage) -> Usage {
        let mut by_op = BTreeMap::new();
        for (k, v) in &self.by_op {
            let e = earlier.by_op.get(k).copied().unwrap_or_default();
            let d = OpUsage {
                calls: v.calls - e.calls,
                read_half_units: v.read_half_units - e.read_half_units,
                write_units: v.write_units - e.write_units,
            };
            if d != OpUsage::default() {
                by_op.insert(*k, d);
            }
        }
        Usage { by_op }
    }
}

/// Shared counters of a metered store.
#[derive(Debug, Clone, Default)]
pub struct Meter(Arc<Mutex<Usage>>);

impl Meter {
    /// Current totals.
    pub fn snapshot(&self) -> Usage {
        self.0.lock().map(|u| u.clone()).unwrap_or_default()
    }
    /// Zeroes the counters.
    pub fn reset(&self) {
        if let Ok(mut u) = self.0.lock() {
            *u = Usage::default();
        }
    }
    fn charge(&self, op: &'static str, read_half_units: u64, write_units: u64) {
        if let Ok(mut u) = self.0.lock() {
            let e = u.by_op.entry(op).or_default();
            e.calls += 1;
            e.read_half_units += read_half_units;
            e.write_units += write_units;
        }
    }
}

/// Write units for an item of `bytes` bytes.
pub fn write_units(bytes: usize) -> u64 {
    (bytes.div_ceil(1024) as u64).max(1)
}

/// Read half-units for `bytes` bytes read with `consistency`.
pub fn read_half_units(bytes: usize, consistency: Consistency) -> u64 {
    let units = (bytes.div_ceil(4096) as u64).max(1);
    match consistency {
        Consistency::Strong => units * 2,
        Consistency::Eventual => units,
    }
}

/// A store that counts request units of every call it forwards.
pub struct Metered<S> {
    inner: S,
    meter: Meter,
}

impl<S: Store> Metered<S> {
    /// Wraps `inner`; read the counters through [`Metered::meter`].
    pub fn new(inner: S) -> Self {
        Metered { inner, meter: Meter::default() }
    }
    /// The shared counters.
    pub fn meter(&self) -> Meter {
        self.meter.clone()
    }
}

fn op_size(op: &WriteOp) -> usize {
    match op {
        WriteOp::Put { item, .. } => item_size(item),
        _ => 1,
    }
}

#[async_trait]
impl<S: Store> Store for Metered<S> {
    async fn get(&self, key: &Key, consistency: Consistency) -> StoreResult<Option<Item>> {
        let r = self.inner.get(key, consistency).await;
        let bytes = r.as_ref().ok().and_then(|o| o.as_ref()).map(item_size).unwrap_or(0);
        self.meter.charge("get", read_half_units(bytes, consistency), 0);
        r
    }

    async fn batch_get(&self, keys: &[Key], consistency: Consistency) -> StoreResult<Vec<Option<Item>>> {
        let r = self.inner.batch_get(keys, consistency).await;
        let half = match &r {
            Ok(items) => {
                items.iter().map(|i| read_half_units(i.as_ref().map(item_size).unwrap_or(0), consistency)).sum()
            }
            Err(_) => 0,
        };
        self.meter.charge("batch_get", half, 0);
        r
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()> {
        let units = write_units(item_size(&item));
        let r = self.inner.put(item, condition).await;
        self.meter.charge("put", 0, if matches!(r, Err(StoreError::Validation(_))) { 0 } else { units });
        r
    }

    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item> {
        let r = self.inner.update(key, update, condition).await;
        let units = match &r {
            Ok(item) => write_units(item_size(item)),
            Err(StoreError::ConditionFailed) => 1,
            Err(_) => 0,
        };
        self.meter.charge("update", 0, units);
        r
    }

    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>> {
        let r = self.inner.delete(key, condition).await;
        let units = match &r {
            Ok(old) => write_units(old.as_ref().map(item_size).unwrap_or(0)),
            Err(StoreError::ConditionFailed) => 1,
            Err(_) => 0,
        };
        self.meter.charge("delete", 0, units);
        r
    }

    async fn query(&self, query: &Query) -> StoreResult<Page> {
        let r = self.inner.query(query).await;
        let consistency = if query.index == Index::Gsi1 { Consistency::Eventual } else { query.consistency };
        let bytes = r.as_ref().map(|p| p.items.iter().map(item_size).sum()).unwrap_or(0);
        self.meter.charge("query", if r.is_ok() { read_half_units(bytes, consistency) } else { 0 }, 0);
        r
    }

    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()> {
        let units = writes
            .iter()
            .map(|w| match w {
                BatchWrite::Put(item) => write_units(item_size(item)),
                BatchWrite::Delete(_) => 1,
            })
            .sum();
        let r = self.inner.batch_write(writes).await;
        self.meter.charge("batch_write", 0, if r.is_ok() { units } else { 0 });
        r
    }

    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        let units: u64 = ops.iter().map(|op| 2 * write_units(op_size(op))).sum();
        let r = self.inner.transact_write(ops).await;
        self.meter.charge("transact_write", 0, if matches!(r, Err(StoreError::Validation(_))) { 0 } else { units });
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_rounding() {
        assert_eq!(write_units(0), 1);
        assert_eq!(write_units(1024), 1);
        assert_eq!(write_units(1025), 2);
        assert_eq!(read_half_units(0, Consistency::Strong), 2);
        assert_eq!(read_half_units(4097, Consistency::Strong), 4);
        assert_eq!(read_half_units(4096, Consistency::Eventual), 1);
    }
}
