//! Transactional writes.

use im_domain::store::{Condition, Item, Key, Store, StoreError, Update, WriteOp};

use crate::support::{assert_absent, assert_stored, await_index, expect_validation, fresh_pk, fresh_tenant, get, ok};

/// A transaction of a conditional put, a conditional update (setting an index key), a
/// conditional delete, a condition check and an update creating an item, over five partitions,
/// applies every op.
pub async fn transact_write_success(store: &dyn Store) {
    let t = fresh_tenant();
    let ipk = fresh_pk("tx-ix");
    let existing = Item::new(Key::new(&t, fresh_pk("txa"), "x")).with("v", 1i64);
    let doomed = Item::new(Key::new(&t, fresh_pk("txb"), "y")).with("v", 1i64);
    let checked = Item::new(Key::new(&t, fresh_pk("txc"), "z")).with("v", 1i64);
    for item in [&existing, &doomed, &checked] {
        ok(store.put(item.clone(), None).await, "setup put");
    }
    let new_item = Item::new(Key::new(&t, fresh_pk("txd"), "n")).with("fresh", true);
    let created = Key::new(&t, fresh_pk("txe"), "m");
    ok(
        store
            .transact_write(vec![
                WriteOp::Put { item: new_item.clone(), condition: Some(Condition::ItemNotExists) },
                WriteOp::Update {
                    key: existing.key.clone(),
                    update: Update::new().add("v", 1).set_index(&ipk, "s"),
                    condition: Some(Condition::eq("v", 1i64)),
                },
                WriteOp::Delete { key: doomed.key.clone(), condition: Some(Condition::ItemExists) },
                WriteOp::Check { key: checked.key.clone(), condition: Condition::lt("v", 2i64) },
                WriteOp::Update { key: created.clone(), update: Update::new().add("c", 1), condition: None },
            ])
            .await,
        "transaction",
    );
    assert_stored(store, &new_item, "transactional put").await;
    let updated = existing.clone().with("v", 2i64).with_index(&ipk, "s");
    assert_stored(store, &updated, "transactional update").await;
    assert_absent(store, &doomed.key, "transactional delete").await;
    assert_stored(store, &checked, "checked item is unchanged").await;
    assert_stored(store, &Item::new(created).with("c", 1i64), "transactional update of a missing item").await;
    await_index(store, &t, &ipk, std::slice::from_ref(&existing.key), "index after transaction").await;
}

/// A transaction whose ops 1 and 3 have failing conditions is `TransactionCanceled { failed:
/// [1, 3] }` and writes nothing (every item checked); a single failing put reports `[0]`.
pub async fn transact_write_cancellation(store: &dyn Store) {
    let t = fresh_tenant();
    let a = Item::new(Key::new(&t, fresh_pk("txa"), "a")).with("v", 1i64);
    let b = Item::new(Key::new(&t, fresh_pk("txb"), "b")).with("v", 1i64);
    let c = Item::new(Key::new(&t, fresh_pk("txc"), "c")).with("v", 1i64);
    for item in [&a, &b, &c] {
        ok(store.put(item.clone(), None).await, "setup put");
    }
    let p1 = Item::new(Key::new(&t, fresh_pk("txp"), "p1")).with("v", 1i64);
    let p2 = Item::new(Key::new(&t, fresh_pk("txp"), "p2")).with("v", 2i64);
    let created = Key::new(&t, fresh_pk("txu"), "u");
    let r = store
        .transact_write(vec![
            WriteOp::Put { item: p1.clone(), condition: Some(Condition::ItemNotExists) },
            WriteOp::Update {
                key: a.key.clone(),
                update: Update::new().set("v", 100i64),
                condition: Some(Condition::eq("v", 99i64)),
            },
            WriteOp::Delete { key: b.key.clone(), condition: Some(Condition::eq("v", 1i64)) },
            WriteOp::Check { key: c.key.clone(), condition: Condition::NotExists("v".into()) },
            WriteOp::Put { item: p2.clone(), condition: None },
            WriteOp::Update { key: created.clone(), update: Update::new().add("n", 1), condition: None },
        ])
        .await;
    assert_eq!(
        r,
        Err(StoreError::TransactionCanceled { failed: vec![1, 3] }),
        "transaction with failing conditions at ops 1 and 3"
    );
    assert_absent(store, &p1.key, "op 0 (put) of the cancelled transaction").await;
    assert_stored(store, &a, "op 1 (update) of the cancelled transaction").await;
    assert_stored(store, &b, "op 2 (delete) of the cancelled transaction").await;
    assert_stored(store, &c, "op 3 (check) of the cancelled transaction").await;
    assert_absent(store, &p2.key, "op 4 (put) of the cancelled transaction").await;
    assert_absent(store, &created, "op 5 (update) of the cancelled transaction").await;

    let r = store
        .transact_write(vec![
            WriteOp::Put { item: a.clone().with("v", 7i64), condition: Some(Condition::ItemNotExists) },
            WriteOp::Put { item: p1.clone(), condition: None },
        ])
        .await;
    assert_eq!(r, Err(StoreError::TransactionCanceled { failed: vec![0] }), "transaction failing at op 0");
    assert_stored(store, &a, "after the second cancelled transaction").await;
    assert_absent(store, &p1.key, "after the second cancelled transaction").await;
}

/// A transaction naming the same key twice is a `Validation` error and writes nothing.
pub async fn transact_write_same_key_twice_is_validation(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("txdup"), "k");
    let other = Key::new(&t, fresh_pk("txdup"), "o");
    let r = store
        .transact_write(vec![
            WriteOp::Put { item: Item::new(other.clone()).with("v", 1i64), condition: None },
            WriteOp::Put { item: Item::new(key.clone()).with("v", 1i64), condition: None },
            WriteOp::Check { key: key.clone(), condition: Condition::ItemExists },
        ])
        .await;
    expect_validation(r, "transaction naming a key twice");
    assert_absent(store, &key, "after the rejected transaction").await;
    assert_absent(store, &other, "after the rejected transaction").await;
}

/// A transaction of 100 ops succeeds; 101 ops or none is a `Validation` error writing nothing.
pub async fn transact_write_op_count_limits(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("tx100");
    let ops = |n: usize, tag: &str| -> Vec<WriteOp> {
        (0..n)
            .map(|i| WriteOp::Put {
                item: Item::new(Key::new(&t, &pk, format!("{tag}{i:03}"))).with("i", i as i64),
                condition: Some(Condition::ItemNotExists),
            })
            .collect()
    };
    expect_validation(store.transact_write(ops(101, "over")).await, "transaction of 101 ops");
    for i in [0, 50, 100] {
        assert_absent(store, &Key::new(&t, &pk, format!("over{i:03}")), "after the rejected 101-op transaction").await;
    }
    expect_validation(store.transact_write(vec![]).await, "empty transaction");
    ok(store.transact_write(ops(100, "ok")).await, "transaction of 100 ops");
    for i in 0..100 {
        let got = get(store, &Key::new(&t, &pk, format!("ok{i:03}"))).await;
        assert_eq!(got.and_then(|g| g.n("i")), Some(i as i64), "item {i} of the 100-op transaction");
    }
}
