//! The secondary index `gsi1`: queries by index key and reverse lookups after writes.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use im_domain::store::{BatchWrite, Item, Key, Query, SortCondition, Store, Update, WriteOp};

use crate::support::{INDEX_WAIT, assert_stored, await_index, fresh_pk, fresh_tenant, get, ok, query_all, query_pages};

fn isk(item: &Item) -> String {
    item.index.as_ref().map(|ix| ix.sk.clone()).unwrap_or_default()
}

/// Queries on `Index::Gsi1` return, by index partition key, the items of several table
/// partitions in byte order of the index sort key (ties in any order but without duplicates),
/// forward and backward, under sort conditions and across pages; not items of other tenants or
/// other index partitions, and an index key is no table key.
pub async fn query_index(store: &dyn Store) {
    let t = fresh_tenant();
    let ipk = fresh_pk("ix");
    let other_ipk = format!("{ipk}#");
    let isks = ["2024-03", "2024-01", "2024-02", "2024-01", "é", "😀", "2024-01-15", "2025"];
    let mut items = Vec::new();
    for (n, s) in isks.iter().enumerate() {
        let key = Key::new(&t, fresh_pk("ixrow"), format!("row#{n}"));
        items.push(Item::new(key).with_index(&ipk, *s).with("n", n as i64));
    }
    let decoy = Item::new(Key::new(&t, fresh_pk("ixrow"), "decoy")).with_index(&other_ipk, "2024-01");
    let unindexed = Item::new(Key::new(&t, fresh_pk("ixrow"), "plain")).with("n", 99i64);
    let foreign = Item::new(Key::new(&fresh_tenant(), fresh_pk("ixrow"), "foreign")).with_index(&ipk, "2024-01");
    let mut writes: Vec<BatchWrite> = items.iter().cloned().map(BatchWrite::Put).collect();
    writes.extend([decoy, unindexed, foreign].into_iter().map(BatchWrite::Put));
    ok(store.batch_write(writes).await, "seed index items");

    let mut expected = items.clone();
    expected.sort_by(|a, b| {
        (isk(a).as_bytes(), a.key.pk.as_bytes(), a.key.sk.as_bytes()).cmp(&(
            isk(b).as_bytes(),
            b.key.pk.as_bytes(),
            b.key.sk.as_bytes(),
        ))
    });

    // Wait for the index to hold all items (it is eventually consistent).
    let start = Instant::now();
    loop {
        let got = query_all(store, &Query::partition(&t, &ipk).on_index(), "index query").await;
        if got.len() == expected.len() {
            break;
        }
        assert!(
            start.elapsed() < INDEX_WAIT,
            "index query returned {} of {} items: {got:?}",
            got.len(),
            expected.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let conditions = [
        SortCondition::All,
        SortCondition::BeginsWith("2024-01".into()),
        SortCondition::Between("2024-01".into(), "2024-02".into()),
        SortCondition::Gt("2024-03".into()),
        SortCondition::Lt("2024-01".into()),
        SortCondition::Eq("2024-01".into()),
    ];
    for cond in conditions {
        for forward in [true, false] {
            for limit in [None, Some(1u32), Some(2)] {
                let what = format!("index query {cond:?} forward={forward} limit={limit:?}");
                let mut q = Query::partition(&t, &ipk).on_index().sort(cond.clone());
                if !forward {
                    q = q.backward();
                }
                if let Some(l) = limit {
                    q = q.limit(l);
                }
                let got: Vec<Item> = query_pages(store, &q, &what).await.into_iter().flatten().collect();
                let mut want: Vec<&Item> = expected.iter().filter(|i| cond.matches(&isk(i))).collect();
                if !forward {
                    want.reverse();
                }
                let got_isks: Vec<String> = got.iter().map(isk).collect();
                let want_isks: Vec<String> = want.iter().map(|i| isk(i)).collect();
                assert_eq!(got_isks, want_isks, "{what}: index sort-key order");
                let got_keys: HashSet<&Key> = got.iter().map(|i| &i.key).collect();
                assert_eq!(got_keys.len(), got.len(), "{what}: duplicate items {got:?}");
                let want_keys: HashSet<&Key> = want.iter().map(|i| &i.key).collect();
                assert_eq!(got_keys, want_keys, "{what}: items");
                for item in &got {
                    let original = items.iter().find(|i| i.key == item.key).expect("checked above");
                    assert_eq!(item, original, "{what}: an index query must return whole items");
                }
            }
        }
    }

    // Reverse lookup: the primary key from the index leads back to the item.
    let first = &expected[0];
    assert_eq!(get(store, &first.key).await.as_ref(), Some(first), "reverse lookup through the index");
    // The index partition key is not a table partition key.
    assert!(
        query_all(store, &Query::partition(&t, &ipk), "table query on an index key").await.is_empty(),
        "a table query on the index partition key must find nothing"
    );
    // Another tenant's index partition of the same name is empty.
    assert!(
        query_all(store, &Query::partition(&fresh_tenant(), &ipk).on_index(), "foreign index query").await.is_empty(),
        "an index query in a fresh tenant must find nothing"
    );
}

/// The index follows every kind of write: put with an index key, update with `SetIndex` moving
/// the item to another index partition (the old entry disappears), `RemoveIndex`, a replacing put
/// without an index key, delete, transactions and batch writes.
pub async fn index_follows_writes(store: &dyn Store) {
    let t = fresh_tenant();
    let ix1 = fresh_pk("ixa");
    let ix2 = fresh_pk("ixb");
    let key = Key::new(&t, fresh_pk("ixf"), "s");
    let keys = std::slice::from_ref(&key);

    ok(store.put(Item::new(key.clone()).with("v", 1i64).with_index(&ix1, "one"), None).await, "put with index");
    let found = await_index(store, &t, &ix1, keys, "after put").await;
    assert_eq!(get(store, &found[0].key).await.map(|i| i.n("v")), Some(Some(1)), "reverse lookup after put");

    let got = ok(store.update(&key, &Update::new().set_index(&ix2, "two").add("v", 1), None).await, "SetIndex");
    assert_eq!(got.index.as_ref().map(|ix| (ix.pk.as_str(), ix.sk.as_str())), Some((ix2.as_str(), "two")));
    await_index(store, &t, &ix1, &[], "old index partition after SetIndex").await;
    let found = await_index(store, &t, &ix2, keys, "new index partition after SetIndex").await;
    assert_eq!(found[0].n("v"), Some(2), "index query after SetIndex returns the updated item");

    let got = ok(store.update(&key, &Update::new().set_index(&ix2, "three"), None).await, "SetIndex same pk");
    assert_eq!(got.index.as_ref().map(|ix| ix.sk.as_str()), Some("three"));
    let q = Query::partition(&t, &ix2).on_index().sort(SortCondition::Eq("two".into()));
    let start = Instant::now();
    while !query_all(store, &q, "old index sort key").await.is_empty() {
        assert!(start.elapsed() < INDEX_WAIT, "the old index sort key still matches after SetIndex");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let got = ok(store.update(&key, &Update::new().remove_index(), None).await, "RemoveIndex");
    assert_eq!(got.index, None, "RemoveIndex returned an indexed item");
    assert_stored(store, &Item::new(key.clone()).with("v", 2i64), "after RemoveIndex").await;
    await_index(store, &t, &ix2, &[], "after RemoveIndex").await;

    ok(store.update(&key, &Update::new().set_index(&ix1, "back"), None).await, "SetIndex again");
    await_index(store, &t, &ix1, keys, "after SetIndex again").await;
    ok(store.put(Item::new(key.clone()).with("v", 3i64), None).await, "replacing put without index");
    await_index(store, &t, &ix1, &[], "after a replacing put without index").await;

    ok(
        store
            .transact_write(vec![WriteOp::Update {
                key: key.clone(),
                update: Update::new().set_index(&ix2, "tx"),
                condition: None,
            }])
            .await,
        "SetIndex in a transaction",
    );
    await_index(store, &t, &ix2, keys, "after a transactional SetIndex").await;
    ok(store.delete(&key, None).await, "delete");
    await_index(store, &t, &ix2, &[], "after delete").await;

    ok(
        store.batch_write(vec![BatchWrite::Put(Item::new(key.clone()).with_index(&ix1, "batch"))]).await,
        "batch put with index",
    );
    await_index(store, &t, &ix1, keys, "after a batch put").await;
    ok(store.batch_write(vec![BatchWrite::Delete(key.clone())]).await, "batch delete");
    await_index(store, &t, &ix1, &[], "after a batch delete").await;
}
