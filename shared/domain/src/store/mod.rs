//! The storage port: one DynamoDB-shaped, single-table interface.
//!
//! Items are attribute maps under a tenant-scoped partition key and sort key, with an optional
//! alternate key pair (`gsi1`) for reverse lookups. Operations mirror DynamoDB: get, batch get,
//! conditional put/update/delete, atomic `ADD` counters, partition queries with sort-key
//! conditions and opaque cursors, batch writes, and transactional writes of up to 100 items.
//! Every backend implements [`Store`]; repository logic is written once on top of it.

mod cursor;
pub mod eval;
pub mod limits;
pub mod metering;
mod types;

use async_trait::async_trait;

pub use cursor::Cursor;
pub use types::*;

/// Errors a store reports. Identical across adapters for the same input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The condition of a single put/update/delete did not hold; nothing was written.
    #[error("conditional check failed")]
    ConditionFailed,
    /// A transaction was cancelled because the conditions at these op indices did not hold.
    #[error("transaction cancelled: conditions failed at {failed:?}")]
    TransactionCanceled {
        /// Indices (into the op list) whose condition failed.
        failed: Vec<usize>,
    },
    /// The request breaks a rule of the data model (sizes, empty keys, bad types, bad cursor).
    #[error("validation: {0}")]
    Validation(String),
    /// A transient failure (throttling, conflict, I/O); the caller may retry.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else.
    #[error("store error: {0}")]
    Internal(String),
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Builds the item [`Store::update_then_put`] puts from the item its update returned.
pub type PutAfter = Box<dyn FnOnce(&Item) -> StoreResult<Item> + Send>;

/// The storage port. See the module docs for the model.
#[async_trait]
pub trait Store: Send + Sync {
    /// Reads one item.
    async fn get(&self, key: &Key, consistency: Consistency) -> StoreResult<Option<Item>>;

    /// Reads one item with only the attributes named in `attrs` (DynamoDB's projection
    /// expression): `None` when the item does not exist, an item without attributes when it
    /// has none of them. The default reads the whole item and keeps those; a backend may read
    /// or copy less.
    async fn get_projected(&self, key: &Key, attrs: &[&str], consistency: Consistency) -> StoreResult<Option<Item>> {
        Ok(self.get(key, consistency).await?.map(|item| item.project(attrs)))
    }

    /// Reads up to 100 items; the result has one entry per key, in order (`None` for missing).
    async fn batch_get(&self, keys: &[Key], consistency: Consistency) -> StoreResult<Vec<Option<Item>>>;

    /// Writes a whole item, replacing any previous one, if `condition` holds.
    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()>;

    /// Applies `update` (creating the item if absent) if `condition` holds; returns the new item.
    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item>;

    /// Deletes an item if `condition` holds; returns the deleted item, if there was one.
    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>>;

    /// Queries one partition (of the table or of the secondary index).
    async fn query(&self, query: &Query) -> StoreResult<Page>;

    /// Unconditional puts and deletes, any number, applied in chunks (not atomically as a whole).
    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()>;

    /// Up to 100 conditional writes on distinct keys, applied all-or-nothing.
    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()>;

    /// An update followed by a put of the item `then` builds from the updated item — e.g. a
    /// counter allocating a sort key, then the item at that key. The outer error is the
    /// update's (nothing written); after a successful update, the second value is the put's
    /// outcome (`then`'s error, validation, `put_condition` failing), the update standing either
    /// way. This is exactly what the default does, as two requests; a backend may do both in
    /// one atomic write, so a failure of the write as a whole leaves neither.
    async fn update_then_put(
        &self,
        key: &Key,
        update: &Update,
        condition: Option<Condition>,
        then: PutAfter,
        put_condition: Option<Condition>,
    ) -> StoreResult<(Item, StoreResult<()>)> {
        let item = self.update(key, update, condition).await?;
        let put = match then(&item) {
            Ok(next) => self.put(next, put_condition).await,
            Err(e) => Err(e),
        };
        Ok((item, put))
    }

    /// Atomically adds `delta` to the number attribute `attr` (0 when absent) and returns the new value.
    async fn add(&self, key: &Key, attr: &str, delta: i64) -> StoreResult<i64> {
        let item = self.update(key, &Update::new().add(attr, delta), None).await?;
        item.attrs
            .get(attr)
            .and_then(AttrValue::as_n)
            .ok_or_else(|| StoreError::Internal(format!("counter {attr} missing after ADD")))
    }
}

/// Shared handle to a store.
pub type DynStore = std::sync::Arc<dyn Store>;
