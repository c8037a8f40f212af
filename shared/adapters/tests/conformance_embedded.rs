//! The storage-port conformance suite against the embedded (redb) adapter.
//!
//! Each test opens its own database file in its own temporary directory; the directory is
//! removed when the test's store is dropped.

#![cfg(feature = "embedded")]

use std::sync::Arc;

use async_trait::async_trait;
use im_adapters::embedded::EmbeddedStore;
use im_domain::store::{
    BatchWrite, Condition, Consistency, Item, Key, Page, PutAfter, Query, Store, StoreResult, Update, WriteOp,
};

/// An [`EmbeddedStore`] that owns the temporary directory of its file. Fields drop in order: the
/// store (closing the database and joining its writer) before the directory.
struct TempEmbedded {
    store: EmbeddedStore,
    _dir: tempfile::TempDir,
}

#[async_trait]
impl Store for TempEmbedded {
    async fn get(&self, key: &Key, consistency: Consistency) -> StoreResult<Option<Item>> {
        self.store.get(key, consistency).await
    }
    async fn batch_get(&self, keys: &[Key], consistency: Consistency) -> StoreResult<Vec<Option<Item>>> {
        self.store.batch_get(keys, consistency).await
    }
    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()> {
        self.store.put(item, condition).await
    }
    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item> {
        self.store.update(key, update, condition).await
    }
    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>> {
        self.store.delete(key, condition).await
    }
    async fn query(&self, query: &Query) -> StoreResult<Page> {
        self.store.query(query).await
    }
    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()> {
        self.store.batch_write(writes).await
    }
    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        self.store.transact_write(ops).await
    }
    async fn add(&self, key: &Key, attr: &str, delta: i64) -> StoreResult<i64> {
        self.store.add(key, attr, delta).await
    }
    async fn update_then_put(
        &self,
        key: &Key,
        update: &Update,
        condition: Option<Condition>,
        then: PutAfter,
        put_condition: Option<Condition>,
    ) -> StoreResult<(Item, StoreResult<()>)> {
        self.store.update_then_put(key, update, condition, then, put_condition).await
    }
}

async fn embedded_store() -> Arc<TempEmbedded> {
    let dir = tempfile::TempDir::new().expect("create a temporary directory");
    let store = EmbeddedStore::open(dir.path().join("conformance.redb")).expect("open the embedded store");
    Arc::new(TempEmbedded { store, _dir: dir })
}

im_store_conformance::conformance_tests!(embedded_store());

/// A builder that panics on the writer thread fails its put only: the update stands and the
/// writer goes on serving.
#[tokio::test]
async fn a_panicking_put_builder_does_not_stop_the_writer() {
    use im_domain::store::StoreError;
    let store = embedded_store().await;
    let t = im_domain::TenantId::default();
    let head = Key::new(&t, "panic", "head");
    let then: PutAfter = Box::new(|_: &Item| panic!("builder bug"));
    let (item, put) = store.update_then_put(&head, &Update::new().add("n", 1), None, then, None).await.expect("update");
    assert_eq!(item.n("n"), Some(1));
    assert!(matches!(put, Err(StoreError::Internal(_))), "got {put:?}");
    assert_eq!(store.add(&head, "n", 1).await.expect("the writer still serves"), 2);
}
