use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use im_domain::store::{BatchWrite, Page, Store, StoreResult};
use im_store_conformance::MemStore;

use super::*;

fn t() -> TenantId {
    TenantId::default_tenant()
}

fn user(id: &str, level: i32) -> UserRecord {
    UserRecord {
        user_id: id.into(),
        nickname: id.into(),
        create_time: 7,
        app_manger_level: level,
        ..Default::default()
    }
}

#[tokio::test]
async fn create_get_and_duplicate() {
    let repo = UserRepo::new(Arc::new(MemStore::new()));
    let u = UserRecord { user_id: "u1".into(), nickname: "n".into(), create_time: 7, ..Default::default() };
    assert!(repo.create(&t(), &u).await.unwrap());
    assert!(!repo.create(&t(), &u).await.unwrap());
    assert_eq!(repo.get(&t(), "u1").await.unwrap(), Some(u.clone()));
    assert!(!repo.exists(&TenantId::parse("other").unwrap(), "u1").await.unwrap());
    let many = repo.get_many(&t(), &["x".into(), "u1".into(), "u1".into()]).await.unwrap();
    assert_eq!(many, vec![u]);
    assert_eq!(repo.count(&t()).await.unwrap(), 1);
    assert_eq!(repo.count(&TenantId::parse("other").unwrap()).await.unwrap(), 0);
}

#[tokio::test]
async fn batches_over_one_transaction_count_and_mark() {
    let repo = UserRepo::new(Arc::new(MemStore::new()));
    let mut users: Vec<UserRecord> = (0..250).map(|i| user(&format!("u{i:03}"), 0)).collect();
    users[5].app_manger_level = 3;
    users[200].app_manger_level = 2;
    assert_eq!(repo.create_many(&t(), &users, Vec::new()).await.unwrap(), Created::All);
    assert_eq!(repo.count(&t()).await.unwrap(), 250);
    assert_eq!(repo.system_user_ids(&t()).await.unwrap(), ["u005", "u200"]);
    // A second batch overlapping one ID stores nothing.
    let again = vec![user("new1", 0), user("u100", 0)];
    assert_eq!(repo.create_many(&t(), &again, Vec::new()).await.unwrap(), Created::Existing(vec!["u100".into()]));
    assert!(!repo.exists(&t(), "new1").await.unwrap());
    assert_eq!(repo.count(&t()).await.unwrap(), 250);
    // The index lists everyone in creation order, page by page.
    let (page, cursor) = repo.index_page(&t(), None, 100).await.unwrap();
    assert_eq!((page.len(), page[0].user_id.as_str()), (100, "u000"));
    let (page, _) = repo.index_page(&t(), cursor, 1000).await.unwrap();
    assert_eq!(page.len(), 150);
}

#[test]
fn packing_respects_op_and_size_limits() {
    let users: Vec<UserRecord> = (0..250).map(|i| user(&format!("u{i}"), if i % 2 == 0 { 3 } else { 0 })).collect();
    let chunks = pack(&t(), &users, vec![Item::new(Key::new(&t(), "x", "y"))]);
    assert!(chunks.iter().all(|(ops, _)| ops.len() < TX_MAX_OPS));
    assert_eq!(chunks.iter().map(|(_, n)| n).sum::<i64>(), 250);
    let big: Vec<UserRecord> =
        (0..20).map(|i| UserRecord { ex: "x".repeat(300 << 10), ..user(&format!("b{i}"), 0) }).collect();
    let chunks = pack(&t(), &big, Vec::new());
    assert!(chunks.len() >= 2, "{}", chunks.len());
}

/// A store whose `n`-th transaction (1-based) is cancelled as if a condition had failed.
struct FailNthTx {
    inner: MemStore,
    n: usize,
    seen: AtomicUsize,
}

#[async_trait]
impl Store for FailNthTx {
    async fn get(&self, key: &Key, c: Consistency) -> StoreResult<Option<Item>> {
        self.inner.get(key, c).await
    }
    async fn batch_get(&self, keys: &[Key], c: Consistency) -> StoreResult<Vec<Option<Item>>> {
        self.inner.batch_get(keys, c).await
    }
    async fn put(&self, item: Item, c: Option<Condition>) -> StoreResult<()> {
        self.inner.put(item, c).await
    }
    async fn update(&self, key: &Key, u: &Update, c: Option<Condition>) -> StoreResult<Item> {
        self.inner.update(key, u, c).await
    }
    async fn delete(&self, key: &Key, c: Option<Condition>) -> StoreResult<Option<Item>> {
        self.inner.delete(key, c).await
    }
    async fn query(&self, q: &Query) -> StoreResult<Page> {
        self.inner.query(q).await
    }
    async fn batch_write(&self, w: Vec<BatchWrite>) -> StoreResult<()> {
        self.inner.batch_write(w).await
    }
    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        if self.seen.fetch_add(1, Ordering::SeqCst) + 1 == self.n {
            return Err(StoreError::TransactionCanceled { failed: vec![0] });
        }
        self.inner.transact_write(ops).await
    }
}

#[tokio::test]
async fn a_failed_later_chunk_rolls_back_the_earlier_ones() {
    let store = Arc::new(FailNthTx { inner: MemStore::new(), n: 2, seen: AtomicUsize::new(0) });
    let repo = UserRepo::new(store.clone());
    let users: Vec<UserRecord> = (0..150).map(|i| user(&format!("u{i:03}"), if i == 1 { 4 } else { 0 })).collect();
    let extra = vec![Item::new(Key::new(&t(), "U#u000", "cred")).with("h", "x")];
    // The second transaction fails: nothing may stay behind, the counter is back at 0.
    assert_eq!(repo.create_many(&t(), &users, extra).await.unwrap(), Created::Existing(vec![]));
    assert_eq!(repo.count(&t()).await.unwrap(), 0);
    assert!(repo.get_many(&t(), &["u000".into(), "u149".into()]).await.unwrap().is_empty());
    assert!(repo.system_user_ids(&t()).await.unwrap().is_empty());
    assert!(store.inner.get(&Key::new(&t(), "U#u000", "cred"), Consistency::Strong).await.unwrap().is_none());
    let (page, _) = repo.index_page(&t(), None, 10).await.unwrap();
    assert!(page.is_empty());
}

#[tokio::test]
async fn updates_patch_fields_and_move_the_marker() {
    let repo = UserRepo::new(Arc::new(MemStore::new()));
    assert!(repo.create(&t(), &user("u1", 0)).await.unwrap());
    let patch = ProfilePatch { nickname: Some("N".into()), ..Default::default() };
    let (old, new) = repo.update(&t(), "u1", &patch).await.unwrap().unwrap();
    assert_eq!((old.nickname.as_str(), new.nickname.as_str()), ("u1", "N"));
    assert_eq!(repo.get(&t(), "u1").await.unwrap().unwrap().nickname, "N");
    // Ordinary → notification account: marked; and back: unmarked.
    let up = ProfilePatch { app_manger_level: Some(3), ..Default::default() };
    repo.update(&t(), "u1", &up).await.unwrap().unwrap();
    assert_eq!(repo.system_user_ids(&t()).await.unwrap(), ["u1"]);
    let down = ProfilePatch { app_manger_level: Some(1), ex: Some("e".into()), ..Default::default() };
    let (_, new) = repo.update(&t(), "u1", &down).await.unwrap().unwrap();
    assert_eq!((new.app_manger_level, new.ex.as_str(), new.nickname.as_str()), (1, "e", "N"));
    assert!(repo.system_user_ids(&t()).await.unwrap().is_empty());
    // Unknown user; empty patch writes nothing.
    assert_eq!(repo.update(&t(), "nobody", &patch).await.unwrap(), None);
    let (a, b) = repo.update(&t(), "u1", &ProfilePatch::default()).await.unwrap().unwrap();
    assert_eq!(a, b);
}
