//! `update_then_put`: an update, then a put built from its result — whether a backend does it
//! as two requests or as one write, callers see the same outcomes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use im_domain::TenantId;
use im_domain::store::limits::MAX_ITEM_BYTES;
use im_domain::store::{BatchWrite, Condition, Item, Key, PutAfter, Store, StoreError, StoreResult, Update, WriteOp};

use crate::support::{
    assert_absent, assert_stored, expect_condition_failed, expect_validation, fresh_pk, fresh_tenant, get, ok,
};

/// A builder of the item at `m<counter>` in `pk`, holding the counter's value in `seq`.
fn at_counter(t: &TenantId, pk: &str, body: &str) -> PutAfter {
    let (t, pk, body) = (t.clone(), pk.to_string(), body.to_string());
    Box::new(move |head: &Item| -> StoreResult<Item> {
        let n = head.n("max").ok_or_else(|| StoreError::Internal("no max".into()))?;
        Ok(Item::new(Key::new(&t, &pk, format!("m{n}"))).with("seq", n).with("body", body.as_str()))
    })
}

fn bump() -> Update {
    Update::new().add("max", 1)
}

/// Each call advances the counter and stores the item built from the new value; the returned
/// item is the updated one.
pub async fn update_then_put_allocates_then_stores(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("utp");
    let head = Key::new(&t, &pk, "head");
    for n in 1..=3i64 {
        let (item, put) = ok(
            store
                .update_then_put(&head, &bump(), None, at_counter(&t, &pk, "hi"), Some(Condition::ItemNotExists))
                .await,
            "update then put",
        );
        assert_eq!(item.n("max"), Some(n), "the updated head comes back");
        ok(put, "the put after the update");
        let expected = Item::new(Key::new(&t, &pk, format!("m{n}"))).with("seq", n).with("body", "hi");
        assert_stored(store, &expected, "the item built from the update").await;
    }
    assert_eq!(get(store, &head).await.and_then(|i| i.n("max")), Some(3), "the head holds every update");
}

/// A failing update condition writes nothing and never builds the item.
pub async fn update_then_put_update_condition_fails(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("utp");
    let head = Key::new(&t, &pk, "head");
    let built = Arc::new(AtomicBool::new(false));
    let flag = built.clone();
    let then: PutAfter = Box::new(move |_: &Item| {
        flag.store(true, Ordering::SeqCst);
        Ok(Item::new(Key::new(&fresh_tenant(), "never", "never")))
    });
    let r = store.update_then_put(&head, &bump(), Some(Condition::Exists("max".into())), then, None).await;
    expect_condition_failed(r, "update with a failing condition");
    assert!(!built.load(Ordering::SeqCst), "the put was built although the update failed");
    assert_absent(store, &head, "head after the failed update").await;
}

/// A failing put condition, a builder error and an oversize item refuse the put only: the
/// update stands.
pub async fn update_then_put_put_failures_keep_the_update(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("utp");
    let head = Key::new(&t, &pk, "head");
    let taken = Item::new(Key::new(&t, &pk, "m1")).with("body", "first");
    ok(store.put(taken.clone(), None).await, "put the item at m1");

    let (item, put) = ok(
        store
            .update_then_put(&head, &bump(), None, at_counter(&t, &pk, "second"), Some(Condition::ItemNotExists))
            .await,
        "update then a put onto a taken key",
    );
    assert_eq!(item.n("max"), Some(1));
    expect_condition_failed(put, "put onto a taken key");
    assert_stored(store, &taken, "the taken key keeps its item").await;

    let failing: PutAfter = Box::new(|_: &Item| Err(StoreError::Validation("no item".into())));
    let (item, put) = ok(store.update_then_put(&head, &bump(), None, failing, None).await, "a builder error");
    assert_eq!(item.n("max"), Some(2));
    expect_validation(put, "the builder's error");

    let (tb, pkb) = (t.clone(), pk.clone());
    let big: PutAfter =
        Box::new(move |_: &Item| Ok(Item::new(Key::new(&tb, &pkb, "big")).with("v", "x".repeat(MAX_ITEM_BYTES))));
    let (item, put) = ok(store.update_then_put(&head, &bump(), None, big, None).await, "an oversize put");
    assert_eq!(item.n("max"), Some(3));
    expect_validation(put, "put of an item over 400 KB");
    assert_absent(store, &Key::new(&t, &pk, "big"), "the oversize item").await;
    assert_eq!(get(store, &head).await.and_then(|i| i.n("max")), Some(3), "every update stands");
}

/// `Update::returning`: the update returns (and `update_then_put`'s builder sees) only the
/// named attributes, while the item keeps all of them; repeated returning updates of one key,
/// interleaved with every other kind of write of it, each build on the latest state (a backend
/// that keeps such items between updates must drop them on any other write).
pub async fn update_returning_cuts_the_result_not_the_item(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("returning");
    let key = Key::new(&t, &pk, "head");
    let bump = |n: i64| Update::new().set_sum("max", "max", 1).set(format!("w{n}"), n).returning(&["max", "none"]);
    let max = |n: i64| Item::new(key.clone()).with("max", n);
    assert_eq!(ok(store.update(&key, &bump(1), None).await, "first"), max(1));
    assert_eq!(ok(store.update(&key, &bump(2), None).await, "second"), max(2));
    assert_stored(store, &max(2).with("w1", 1i64).with("w2", 2i64), "after two returning updates").await;
    expect_condition_failed(store.update(&key, &bump(3), Some(Condition::eq("max", 1i64))).await, "failed condition");
    assert_eq!(ok(store.update(&key, &bump(3), None).await, "after a failed condition"), max(3));
    // A plain update returns the whole item.
    let plain = ok(store.update(&key, &Update::new().set("max", 10i64), None).await, "plain update");
    assert_eq!(plain, max(10).with("w1", 1i64).with("w2", 2i64).with("w3", 3i64));
    assert_eq!(ok(store.update(&key, &bump(4), None).await, "after a plain update"), max(11));
    ok(store.put(max(20), None).await, "put over it");
    assert_eq!(ok(store.update(&key, &bump(5), None).await, "after a put"), max(21));
    assert_stored(store, &max(21).with("w5", 5i64), "after the put and an update").await;
    let add = WriteOp::Update { key: key.clone(), update: Update::new().add("max", 5), condition: None };
    ok(store.transact_write(vec![add]).await, "transaction");
    assert_eq!(ok(store.update(&key, &bump(6), None).await, "after a transaction"), max(27));
    ok(store.batch_write(vec![BatchWrite::Put(max(40))]).await, "batch put");
    assert_eq!(ok(store.update(&key, &bump(7), None).await, "after a batch put"), max(41));
    ok(store.delete(&key, None).await.map(|_| ()), "delete");
    assert_eq!(ok(store.update(&key, &bump(8), None).await, "after a delete"), max(1));
    assert_stored(store, &max(1).with("w8", 8i64), "recreated").await;
    // The builder of update_then_put sees what the update returns.
    let seen = Arc::new(AtomicBool::new(false));
    let (t2, pk2, seen2) = (t.clone(), pk.clone(), seen.clone());
    let then: PutAfter = Box::new(move |head: &Item| -> StoreResult<Item> {
        seen2.store(head.attrs.len() == 1 && head.n("max") == Some(2), Ordering::SeqCst);
        Ok(Item::new(Key::new(&t2, &pk2, "m2")).with("seq", 2i64))
    });
    let (item, put) = ok(store.update_then_put(&key, &bump(9), None, then, None).await, "update then put");
    ok(put, "the put");
    assert_eq!(item, max(2));
    assert!(seen.load(Ordering::SeqCst), "the builder saw more than the returned attributes");
    assert_stored(store, &max(2).with("w8", 8i64).with("w9", 9i64), "after update then put").await;
    assert_stored(store, &Item::new(Key::new(&t, &pk, "m2")).with("seq", 2i64), "the built item").await;
}
