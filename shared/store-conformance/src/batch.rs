//! Batch gets and batch writes.

use im_domain::store::{BatchWrite, Consistency, Item, Key, Query, Store};

use crate::support::{assert_absent, expect_validation, fresh_pk, fresh_tenant, ok, query_all};

/// A batch get returns one entry per key in input order — duplicates repeated, `None` for
/// missing keys (also a key of another tenant) — over several partitions; 100 keys is allowed,
/// no key at all returns an empty list.
pub async fn batch_get_keeps_order(store: &dyn Store) {
    let t = fresh_tenant();
    let pks = [fresh_pk("bg"), fresh_pk("bg")];
    let items: Vec<Item> =
        (0..4).map(|n| Item::new(Key::new(&t, &pks[n % 2], format!("s{n}"))).with("n", n as i64)).collect();
    ok(store.batch_write(items.iter().cloned().map(BatchWrite::Put).collect()).await, "seed");
    let missing = Key::new(&t, &pks[0], "missing");
    let foreign = Key::new(&fresh_tenant(), &pks[0], "s0");
    let keys = vec![
        items[2].key.clone(),
        missing.clone(),
        items[0].key.clone(),
        items[2].key.clone(),
        foreign,
        items[1].key.clone(),
        missing,
        items[3].key.clone(),
    ];
    let got = ok(store.batch_get(&keys, Consistency::Strong).await, "batch_get");
    let expected = vec![
        Some(items[2].clone()),
        None,
        Some(items[0].clone()),
        Some(items[2].clone()),
        None,
        Some(items[1].clone()),
        None,
        Some(items[3].clone()),
    ];
    assert_eq!(got, expected, "batch_get must keep input order, repeat duplicates and give None for missing keys");

    let got = ok(store.batch_get(&[], Consistency::Strong).await, "batch_get of no keys");
    assert!(got.is_empty(), "batch_get of no keys returned {got:?}");

    // Exactly 100 keys (items and misses interleaved, duplicates included).
    let hundred: Vec<Key> = (0..100)
        .map(|n| if n % 3 == 0 { items[n % 4].key.clone() } else { Key::new(&t, &pks[1], format!("none{n}")) })
        .collect();
    let got = ok(store.batch_get(&hundred, Consistency::Eventual).await, "batch_get of 100 keys");
    assert_eq!(got.len(), 100, "batch_get of 100 keys returned {} entries", got.len());
    for (n, entry) in got.iter().enumerate() {
        let want = (n % 3 == 0).then(|| items[n % 4].clone());
        assert_eq!(entry, &want, "batch_get of 100 keys: entry {n}");
    }
}

/// A batch get of more than 100 keys is a `Validation` error.
pub async fn batch_get_over_100_is_validation(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("bg101");
    let keys: Vec<Key> = (0..101).map(|n| Key::new(&t, &pk, format!("s{n}"))).collect();
    expect_validation(store.batch_get(&keys, Consistency::Strong).await, "batch_get of 101 keys");
}

/// A batch write of 60 puts (three partitions, some indexed) writes them all; a mixed batch of
/// puts and deletes applies both; 60 deletes remove them all; an empty batch is a no-op; a batch
/// naming a key twice is a `Validation` error and writes nothing.
pub async fn batch_write_puts_then_deletes(store: &dyn Store) {
    let t = fresh_tenant();
    let pks = [fresh_pk("bw"), fresh_pk("bw"), fresh_pk("bw")];
    let items: Vec<Item> = (0..60)
        .map(|n| {
            let item = Item::new(Key::new(&t, &pks[n % 3], format!("s{n:03}"))).with("n", n as i64);
            if n % 2 == 0 { item.with_index(format!("{}-ix", pks[0]), format!("i{n:03}")) } else { item }
        })
        .collect();
    ok(store.batch_write(items.iter().cloned().map(BatchWrite::Put).collect()).await, "60 puts");
    let keys: Vec<Key> = items.iter().map(|i| i.key.clone()).collect();
    let got = ok(store.batch_get(&keys, Consistency::Strong).await, "batch_get after 60 puts");
    let want: Vec<Option<Item>> = items.iter().cloned().map(Some).collect();
    assert_eq!(got, want, "items after 60 batch puts");
    for pk in &pks {
        let n = query_all(store, &Query::partition(&t, pk), "query after puts").await.len();
        assert_eq!(n, 20, "partition {pk} after 60 batch puts holds {n} items, expected 20");
    }

    // Mixed batch: delete two, put one new, replace one.
    let fresh = Item::new(Key::new(&t, &pks[0], "fresh")).with("new", true);
    let replaced = Item::new(items[5].key.clone()).with("replaced", true);
    ok(
        store
            .batch_write(vec![
                BatchWrite::Delete(items[0].key.clone()),
                BatchWrite::Put(fresh.clone()),
                BatchWrite::Delete(items[1].key.clone()),
                BatchWrite::Put(replaced.clone()),
            ])
            .await,
        "mixed batch",
    );
    let got = ok(
        store
            .batch_get(
                &[items[0].key.clone(), fresh.key.clone(), items[1].key.clone(), replaced.key.clone()],
                Consistency::Strong,
            )
            .await,
        "batch_get after mixed batch",
    );
    assert_eq!(got, vec![None, Some(fresh.clone()), None, Some(replaced)], "after the mixed batch");

    ok(store.batch_write(keys.iter().cloned().map(BatchWrite::Delete).collect()).await, "60 deletes");
    let got = ok(store.batch_get(&keys, Consistency::Strong).await, "batch_get after 60 deletes");
    assert!(got.iter().all(Option::is_none), "items left after 60 batch deletes: {got:?}");
    ok(store.batch_write(vec![BatchWrite::Delete(fresh.key.clone())]).await, "delete fresh");
    for pk in &pks {
        let left = query_all(store, &Query::partition(&t, pk), "query after deletes").await;
        assert!(left.is_empty(), "partition {pk} after the deletes holds {left:?}");
    }

    ok(store.batch_write(vec![]).await, "empty batch write");

    let dup = Item::new(Key::new(&t, &pks[0], "dup")).with("v", 1i64);
    let other = Item::new(Key::new(&t, &pks[0], "other")).with("v", 1i64);
    expect_validation(
        store
            .batch_write(vec![
                BatchWrite::Put(other.clone()),
                BatchWrite::Put(dup.clone()),
                BatchWrite::Delete(dup.key.clone()),
            ])
            .await,
        "batch write naming a key twice",
    );
    assert_absent(store, &dup.key, "after the rejected batch").await;
    assert_absent(store, &other.key, "after the rejected batch").await;
}
