//! DynamoDB's data-model limits, enforced identically by every adapter.

use im_domain::store::limits::{MAX_ITEM_BYTES, MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES, item_size};
use im_domain::store::{
    AttrValue, BatchWrite, Condition, Consistency, Item, Key, Query, SortCondition, Store, Update, WriteOp,
};

use crate::support::{assert_absent, assert_stored, expect_validation, fresh_pk, fresh_tenant, get, ok};

/// Runs every single-key operation on `key` and expects a `Validation` error from each.
async fn every_op_rejects(store: &dyn Store, key: &Key, what: &str) {
    expect_validation(store.get(key, Consistency::Strong).await, &format!("get with {what}"));
    expect_validation(
        store.batch_get(std::slice::from_ref(key), Consistency::Strong).await,
        &format!("batch_get with {what}"),
    );
    expect_validation(store.put(Item::new(key.clone()).with("v", 1i64), None).await, &format!("put with {what}"));
    expect_validation(store.update(key, &Update::new().set("v", 1i64), None).await, &format!("update with {what}"));
    expect_validation(store.add(key, "v", 1).await, &format!("add with {what}"));
    expect_validation(store.delete(key, None).await, &format!("delete with {what}"));
    expect_validation(
        store.batch_write(vec![BatchWrite::Put(Item::new(key.clone()))]).await,
        &format!("batch put with {what}"),
    );
    expect_validation(
        store.batch_write(vec![BatchWrite::Delete(key.clone())]).await,
        &format!("batch delete with {what}"),
    );
    expect_validation(
        store.transact_write(vec![WriteOp::Put { item: Item::new(key.clone()), condition: None }]).await,
        &format!("transactional put with {what}"),
    );
    expect_validation(
        store.transact_write(vec![WriteOp::Check { key: key.clone(), condition: Condition::ItemNotExists }]).await,
        &format!("transactional check with {what}"),
    );
}

/// An item over 400 KB is rejected (put, batch write, transaction) and not written; one of
/// about 390 KB is stored and read back intact; an update whose result would exceed 400 KB is
/// rejected and leaves the item unchanged.
pub async fn limits_item_size(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("size");
    let big = Item::new(Key::new(&t, &pk, "big")).with("v", "x".repeat(MAX_ITEM_BYTES));
    assert!(item_size(&big) > MAX_ITEM_BYTES);
    expect_validation(store.put(big.clone(), None).await, "put of an item over 400 KB");
    expect_validation(store.batch_write(vec![BatchWrite::Put(big.clone())]).await, "batch put over 400 KB");
    expect_validation(
        store.transact_write(vec![WriteOp::Put { item: big.clone(), condition: None }]).await,
        "transactional put over 400 KB",
    );
    assert_absent(store, &big.key, "after the rejected big puts").await;

    let near = Item::new(Key::new(&t, &pk, "near"))
        .with("v", "y".repeat(390 * 1024))
        .with("b", vec![7u8; 1000])
        .with("n", 1i64);
    assert!(item_size(&near) < MAX_ITEM_BYTES);
    ok(store.put(near.clone(), None).await, "put of a 390 KB item");
    assert_stored(store, &near, "390 KB item").await;

    let r = store.update(&near.key, &Update::new().set("w", "z".repeat(20 * 1024)).add("n", 1), None).await;
    expect_validation(r, "update growing a 390 KB item past 400 KB");
    assert_stored(store, &near, "after the rejected growing update").await;
    expect_validation(
        store.update(&Key::new(&t, &pk, "new"), &Update::new().set("v", "x".repeat(MAX_ITEM_BYTES)), None).await,
        "update setting a value over 400 KB",
    );
    assert_absent(store, &Key::new(&t, &pk, "new"), "after the rejected big update").await;
}

/// A partition key whose physical form (`<tenant>#<pk>`) is exactly 2048 bytes and a sort key of
/// exactly 1024 bytes are accepted; one byte more is a `Validation` error for every operation.
pub async fn limits_key_sizes(store: &dyn Store) {
    let t = fresh_tenant();
    let pk_room = MAX_PARTITION_KEY_BYTES - t.as_str().len() - 1;
    let base = fresh_pk("p");
    let max_pk = format!("{base}{}", "p".repeat(pk_room - base.len()));
    assert_eq!(Key::new(&t, &max_pk, "s").physical_pk().len(), MAX_PARTITION_KEY_BYTES);
    let item = Item::new(Key::new(&t, &max_pk, "s".repeat(MAX_SORT_KEY_BYTES))).with("v", 1i64);
    ok(store.put(item.clone(), None).await, "put with a 2048-byte physical pk and a 1024-byte sk");
    assert_stored(store, &item, "item with maximal keys").await;
    let listed = crate::support::query_all(store, &Query::partition(&t, &max_pk), "query of a maximal pk").await;
    assert_eq!(listed, vec![item], "query of a maximal partition key");

    let long_pk = format!("{max_pk}p");
    every_op_rejects(store, &Key::new(&t, &long_pk, "s"), "a 2049-byte physical partition key").await;
    // Multi-byte characters count in bytes, not characters.
    let wide_pk = "é".repeat(pk_room.div_ceil(2) + 1);
    every_op_rejects(store, &Key::new(&t, &wide_pk, "s"), "a partition key over 2048 bytes of 2-byte chars").await;
    let long_sk = "s".repeat(MAX_SORT_KEY_BYTES + 1);
    every_op_rejects(store, &Key::new(&t, fresh_pk("sk"), long_sk), "a 1025-byte sort key").await;
    let wide_sk = "日".repeat(MAX_SORT_KEY_BYTES / 3 + 1);
    every_op_rejects(store, &Key::new(&t, fresh_pk("sk"), wide_sk), "a sort key over 1024 bytes of 3-byte chars").await;

    let long_isk = "i".repeat(MAX_SORT_KEY_BYTES + 1);
    let k = Key::new(&t, fresh_pk("ixlen"), "s");
    expect_validation(
        store.put(Item::new(k.clone()).with_index("ix", long_isk.as_str()), None).await,
        "put with a 1025-byte index sort key",
    );
    expect_validation(
        store.update(&k, &Update::new().set_index("ix", long_isk.as_str()), None).await,
        "update setting a 1025-byte index sort key",
    );
    expect_validation(
        store.put(Item::new(k.clone()).with_index("i".repeat(pk_room + 1), "s"), None).await,
        "put with an index partition key over 2048 bytes",
    );
    assert_absent(store, &k, "after the rejected index keys").await;
}

/// An empty partition key, sort key or index key part is a `Validation` error for every operation.
pub async fn limits_empty_keys(store: &dyn Store) {
    let t = fresh_tenant();
    every_op_rejects(store, &Key::new(&t, "", "s"), "an empty partition key").await;
    every_op_rejects(store, &Key::new(&t, fresh_pk("e"), ""), "an empty sort key").await;
    let k = Key::new(&t, fresh_pk("e"), "s");
    expect_validation(store.put(Item::new(k.clone()).with_index("", "s"), None).await, "put with an empty index pk");
    expect_validation(store.put(Item::new(k.clone()).with_index("p", ""), None).await, "put with an empty index sk");
    expect_validation(store.update(&k, &Update::new().set_index("", "s"), None).await, "SetIndex with an empty pk");
    expect_validation(store.update(&k, &Update::new().set_index("p", ""), None).await, "SetIndex with an empty sk");
    expect_validation(store.query(&Query::partition(&t, "")).await, "query of an empty partition key");
    expect_validation(store.query(&Query::partition(&t, "").on_index()).await, "index query of an empty key");
    assert_absent(store, &k, "after the rejected writes").await;
}

/// The key attribute names (`pk`, `sk`, `gsi1pk`, `gsi1sk`) and the empty name are rejected in
/// items, updates and conditions with a `Validation` error, and nothing is written.
pub async fn limits_reserved_names(store: &dyn Store) {
    let t = fresh_tenant();
    let k = Key::new(&t, fresh_pk("res"), "s");
    for name in ["pk", "sk", "gsi1pk", "gsi1sk", ""] {
        let what = |op: &str| format!("{op} using attribute name {name:?}");
        expect_validation(store.put(Item::new(k.clone()).with(name, "x"), None).await, &what("put"));
        expect_validation(
            store.batch_write(vec![BatchWrite::Put(Item::new(k.clone()).with(name, "x"))]).await,
            &what("batch put"),
        );
        expect_validation(store.update(&k, &Update::new().set(name, "x"), None).await, &what("update SET"));
        expect_validation(store.update(&k, &Update::new().remove(name), None).await, &what("update REMOVE"));
        expect_validation(store.update(&k, &Update::new().add(name, 1), None).await, &what("update ADD"));
        expect_validation(
            store.put(Item::new(k.clone()), Some(Condition::Exists(name.to_string()))).await,
            &what("condition Exists"),
        );
        expect_validation(store.delete(&k, Some(Condition::eq(name, "x"))).await, &what("condition Equals"));
        expect_validation(
            store
                .transact_write(vec![WriteOp::Check {
                    key: k.clone(),
                    condition: Condition::NotExists(name.to_string()),
                }])
                .await,
            &what("transactional check"),
        );
    }
    assert_absent(store, &k, "after the rejected writes").await;
}

/// Malformed requests are `Validation` errors: an update without actions or touching one
/// attribute twice, an empty AND/OR, a less-than on a non-scalar, a query with limit 0, an empty
/// sort-key value or reversed BETWEEN bounds.
pub async fn limits_request_shapes(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("shape");
    let k = Key::new(&t, &pk, "s");
    let item = Item::new(k.clone()).with("a", 1i64);
    ok(store.put(item.clone(), None).await, "setup put");
    expect_validation(store.update(&k, &Update::new(), None).await, "update without actions");
    expect_validation(
        store.update(&k, &Update::new().set("a", 2i64).add("a", 1), None).await,
        "SET and ADD of one attr",
    );
    expect_validation(
        store.update(&k, &Update::new().set("b", 2i64).remove("b"), None).await,
        "SET and REMOVE of one attr",
    );
    expect_validation(
        store.update(&k, &Update::new().set_index("x", "y").remove_index(), None).await,
        "SetIndex and RemoveIndex together",
    );
    expect_validation(store.put(item.clone(), Some(Condition::And(vec![]))).await, "empty AND");
    expect_validation(store.put(item.clone(), Some(Condition::Or(vec![]))).await, "empty OR");
    expect_validation(
        store.put(item.clone(), Some(Condition::Not(Box::new(Condition::Or(vec![]))))).await,
        "empty OR under NOT",
    );
    expect_validation(store.delete(&k, Some(Condition::lt("a", true))).await, "less-than a boolean");
    expect_validation(store.delete(&k, Some(Condition::LessThan("a".into(), AttrValue::Null))).await, "less-than null");
    expect_validation(
        store
            .update(&k, &Update::new().set("z", 1i64), Some(Condition::LessThan("a".into(), AttrValue::L(vec![]))))
            .await,
        "less-than a list",
    );
    assert_stored(store, &item, "after the rejected writes").await;

    expect_validation(store.query(&Query::partition(&t, &pk).limit(0)).await, "query with limit 0");
    for cond in [
        SortCondition::Eq(String::new()),
        SortCondition::Lt(String::new()),
        SortCondition::Ge(String::new()),
        SortCondition::BeginsWith(String::new()),
        SortCondition::Between(String::new(), "a".into()),
        SortCondition::Between("b".into(), "a".into()),
    ] {
        expect_validation(
            store.query(&Query::partition(&t, &pk).sort(cond.clone())).await,
            &format!("query with {cond:?}"),
        );
    }
    assert_eq!(get(store, &k).await, Some(item), "item after the rejected requests");
}
