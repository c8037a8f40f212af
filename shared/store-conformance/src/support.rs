//! Helpers shared by the conformance cases: fresh identifiers, result checks, query collectors.

use std::collections::hash_map::RandomState;
use std::fmt::Debug;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use im_domain::TenantId;
use im_domain::store::{Consistency, Cursor, Item, Key, Query, Store, StoreError, StoreResult};

/// How long a case waits for the eventually consistent secondary index to catch up.
pub const INDEX_WAIT: Duration = Duration::from_secs(10);

/// Most pages a query collector follows before it declares the cursor chain endless.
const MAX_PAGES: usize = 10_000;

fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    if let Ok(d) = SystemTime::now().duration_since(UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    h.finish()
}

/// 32 random lowercase hex digits (std-only randomness: a randomly keyed SipHash of a counter,
/// the process id and the clock).
pub fn random_hex() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

/// A fresh tenant, `t<32 hex digits>`, so that a case never sees another case's items.
pub fn fresh_tenant() -> TenantId {
    TenantId::parse(&format!("t{}", random_hex())).expect("a generated tenant ID is valid")
}

/// A fresh partition key `<prefix>-<16 hex digits>`.
pub fn fresh_pk(prefix: &str) -> String {
    format!("{prefix}-{:016x}", random_u64())
}

/// Unwraps `r`, panicking with `what` and the error.
#[track_caller]
pub fn ok<T>(r: StoreResult<T>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: expected success, got error {e:?}"),
    }
}

/// Asserts that `r` is a `Validation` error.
#[track_caller]
pub fn expect_validation<T: Debug>(r: StoreResult<T>, what: &str) {
    match r {
        Err(StoreError::Validation(_)) => {}
        other => panic!("{what}: expected Err(Validation(..)), got {other:?}"),
    }
}

/// Asserts that `r` is a `ConditionFailed` error.
#[track_caller]
pub fn expect_condition_failed<T: Debug>(r: StoreResult<T>, what: &str) {
    match r {
        Err(StoreError::ConditionFailed) => {}
        other => panic!("{what}: expected Err(ConditionFailed), got {other:?}"),
    }
}

/// Reads one item strongly consistently, panicking on error.
pub async fn get(store: &dyn Store, key: &Key) -> Option<Item> {
    ok(store.get(key, Consistency::Strong).await, &format!("get {key:?}"))
}

/// Asserts that the stored item under `expected.key` equals `expected`.
pub async fn assert_stored(store: &dyn Store, expected: &Item, what: &str) {
    let got = get(store, &expected.key).await;
    assert_eq!(got.as_ref(), Some(expected), "{what}: stored item differs (left: stored, right: expected)");
}

/// Asserts that nothing is stored under `key`.
pub async fn assert_absent(store: &dyn Store, key: &Key, what: &str) {
    let got = get(store, key).await;
    assert!(got.is_none(), "{what}: expected no item under {key:?}, found {got:?}");
}

/// Follows a query's cursors to the end and returns every page.
///
/// Panics if a page exceeds the query's limit, if a page other than the last is empty, or if the
/// cursor chain does not end. A final empty page (cursor returned at the exact end) is accepted.
pub async fn query_pages(store: &dyn Store, query: &Query, what: &str) -> Vec<Vec<Item>> {
    let mut pages = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let q = query.clone().after(cursor.take());
        let page = ok(store.query(&q).await, &format!("{what}: query page {}", pages.len() + 1));
        if let Some(limit) = query.limit {
            assert!(
                page.items.len() <= limit as usize,
                "{what}: page {} has {} items, over the limit {limit}",
                pages.len() + 1,
                page.items.len()
            );
        }
        if let Some(prev) = pages.last() {
            let prev: &Vec<Item> = prev;
            assert!(!prev.is_empty(), "{what}: an empty page carried a cursor");
        }
        let done = page.cursor.is_none();
        pages.push(page.items);
        if done {
            return pages;
        }
        assert!(pages.len() < MAX_PAGES, "{what}: cursor chain did not end after {MAX_PAGES} pages");
        // Cursors travel through clients as strings.
        cursor = page.cursor.map(|c| Cursor::from_string(c.as_str().to_string()));
    }
}

/// Follows a query's cursors to the end and returns all items in order.
pub async fn query_all(store: &dyn Store, query: &Query, what: &str) -> Vec<Item> {
    query_pages(store, query, what).await.into_iter().flatten().collect()
}

/// The sort keys of `items`.
pub fn sort_keys(items: &[Item]) -> Vec<String> {
    items.iter().map(|i| i.key.sk.clone()).collect()
}

/// Polls a secondary-index query (eventually consistent) until its items' keys equal `expected`
/// in order, and returns the items; panics after [`INDEX_WAIT`].
pub async fn await_index(
    store: &dyn Store,
    tenant: &TenantId,
    index_pk: &str,
    expected: &[Key],
    what: &str,
) -> Vec<Item> {
    let query = Query::partition(tenant, index_pk).on_index();
    let start = Instant::now();
    loop {
        let items = query_all(store, &query, what).await;
        let keys: Vec<Key> = items.iter().map(|i| i.key.clone()).collect();
        if keys == expected {
            return items;
        }
        if start.elapsed() > INDEX_WAIT {
            panic!(
                "{what}: index partition {index_pk:?} holds {keys:?}, expected {expected:?} (waited {INDEX_WAIT:?})"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
