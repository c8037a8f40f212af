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
    async fn get_projected(&self, key: &Key, attrs: &[&str], consistency: Consistency) -> StoreResult<Option<Item>> {
        self.store.get_projected(key, attrs, consistency).await
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

/// Reads go through a cache of decoded items: under concurrent writes, a read never returns a
/// state older than one whose write was acknowledged before the read began, whichever kind of
/// write it was (put, update, transaction, delete).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cached_reads_never_go_back_past_an_acknowledged_write() {
    use std::sync::atomic::{AtomicI64, Ordering};
    const KEYS: usize = 4;
    let store = embedded_store().await;
    let t = im_domain::TenantId::default();
    let keys: Arc<Vec<Key>> = Arc::new((0..KEYS).map(|i| Key::new(&t, "cache", i.to_string())).collect());
    // Per key: the last acknowledged step. Step s writes value s, except that steps with
    // s % 4 == 3 delete the item; each key's steps run in order.
    let acked: Arc<Vec<AtomicI64>> = Arc::new((0..KEYS).map(|_| AtomicI64::new(0)).collect());
    let is_delete = |s: i64| s % 4 == 3;
    let mut writers = Vec::new();
    for (i, key) in keys.iter().cloned().enumerate() {
        let (store, acked) = (store.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for s in 1..=400i64 {
                match s % 4 {
                    0 => store.put(Item::new(key.clone()).with("v", s), None).await.unwrap(),
                    1 => drop(store.update(&key, &Update::new().set("v", s), None).await.unwrap()),
                    2 => {
                        let op =
                            WriteOp::Update { key: key.clone(), update: Update::new().set("v", s), condition: None };
                        store.transact_write(vec![op]).await.unwrap()
                    }
                    _ => drop(store.delete(&key, None).await.unwrap()),
                }
                acked[i].store(s, Ordering::SeqCst);
            }
        }));
    }
    let mut readers = Vec::new();
    for r in 0..4 {
        let (store, keys, acked) = (store.clone(), keys.clone(), acked.clone());
        readers.push(tokio::spawn(async move {
            for n in 0..4_000 {
                let i = (n + r) % KEYS;
                let floor = acked[i].load(Ordering::SeqCst);
                let got = store.get(&keys[i], Consistency::Strong).await.unwrap().map(|item| item.n("v"));
                // The newest step that may have taken effect during the read.
                let ceiling = acked[i].load(Ordering::SeqCst) + 1;
                match got {
                    Some(v) => {
                        let v = v.expect("a stored item has v");
                        assert!((floor..=ceiling).contains(&v), "key {i}: read {v}, acknowledged {floor}..{ceiling}");
                    }
                    None => assert!(
                        floor == 0 || (floor..=ceiling).any(is_delete),
                        "key {i}: read nothing, acknowledged {floor}..{ceiling}"
                    ),
                }
            }
        }));
    }
    for task in writers.into_iter().chain(readers) {
        task.await.unwrap();
    }
}
