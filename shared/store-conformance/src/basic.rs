//! Single-item cases: round trips, puts, updates, deletes, tenant isolation.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use im_domain::store::{AttrValue, Condition, Consistency, Item, Key, Query, Store, StoreError, Update, WriteOp};

use crate::support::{
    INDEX_WAIT, assert_absent, assert_stored, await_index, expect_condition_failed, expect_validation, fresh_pk,
    fresh_tenant, get, ok, query_all,
};

fn sample_map() -> AttrValue {
    let mut deep = BTreeMap::new();
    deep.insert("deep".to_string(), AttrValue::B(vec![0, 255]));
    deep.insert("nothing".to_string(), AttrValue::Null);
    let mut m = BTreeMap::new();
    m.insert(
        "inner".to_string(),
        AttrValue::L(vec![AttrValue::S("x".into()), AttrValue::N(-1), AttrValue::M(deep), AttrValue::Bool(true)]),
    );
    m.insert("empty_l".to_string(), AttrValue::L(vec![]));
    m.insert("empty_m".to_string(), AttrValue::M(BTreeMap::new()));
    m.insert("empty_s".to_string(), AttrValue::S(String::new()));
    m.insert("empty_b".to_string(), AttrValue::B(vec![]));
    m.insert("flag".to_string(), AttrValue::Bool(false));
    m.insert("weird key.with-dots #and :colons".to_string(), AttrValue::N(7));
    AttrValue::M(m)
}

/// Every [`AttrValue`] type — nested lists and maps, binaries, empty strings and binaries as
/// non-key attributes, extreme numbers, attribute names that are DynamoDB reserved words or
/// contain punctuation — and an index key survive put → get, batch get and query unchanged;
/// a second put replaces the whole item (attributes and index key), not merges it.
pub async fn put_get_round_trip_all_types(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("rt");
    let ipk = fresh_pk("rt-ix");
    let key = Key::new(&t, &pk, "item#1");
    let item = Item::new(key.clone())
        .with_index(&ipk, "2024-01-01#ü")
        .with("s", "hello wörld 日本 😀")
        .with("empty", "")
        .with("n_zero", 0i64)
        .with("n_neg", -42i64)
        .with("n_max", i64::MAX)
        .with("n_min", i64::MIN)
        .with("n_round", 1_000_000i64)
        .with("b", vec![0u8, 1, 2, 127, 128, 254, 255])
        .with("b_empty", Vec::<u8>::new())
        .with("yes", true)
        .with("no", false)
        .with("null", AttrValue::Null)
        .with(
            "list",
            AttrValue::L(vec![
                AttrValue::N(1),
                AttrValue::S("two".into()),
                AttrValue::L(vec![AttrValue::Null, AttrValue::B(vec![3])]),
                sample_map(),
            ]),
        )
        .with("map", sample_map())
        .with("ttl", 4_102_444_800i64)
        .with("status", "active")
        .with("name", "reserved word")
        .with("size", 3i64)
        .with("a.b-c d#:e", "odd name");
    ok(store.put(item.clone(), None).await, "round trip: put");
    assert_stored(store, &item, "round trip: get (strong)").await;

    // An eventually consistent read converges to the same item.
    let start = Instant::now();
    loop {
        let got = ok(store.get(&key, Consistency::Eventual).await, "round trip: get (eventual)");
        if got.as_ref() == Some(&item) {
            break;
        }
        assert!(start.elapsed() < INDEX_WAIT, "round trip: eventual get returned {got:?}, expected {item:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let batch = ok(store.batch_get(std::slice::from_ref(&key), Consistency::Strong).await, "round trip: batch_get");
    assert_eq!(batch, vec![Some(item.clone())], "round trip: batch_get returned a different item");

    let page = query_all(store, &Query::partition(&t, &pk), "round trip: query").await;
    assert_eq!(page, vec![item.clone()], "round trip: query returned a different item");

    let via_index = await_index(store, &t, &ipk, std::slice::from_ref(&key), "round trip: index query").await;
    assert_eq!(via_index, vec![item.clone()], "round trip: index query returned a different item");

    // A put replaces the whole item: dropped attributes and the index key disappear.
    let replacement = Item::new(key.clone()).with("only", "this");
    ok(store.put(replacement.clone(), None).await, "round trip: replacing put");
    assert_stored(store, &replacement, "round trip: after replacing put").await;
    await_index(store, &t, &ipk, &[], "round trip: index entry after a put without index key").await;
}

/// A get of a key that was never written (in a new or in an existing partition) is `Ok(None)`.
pub async fn get_missing_is_none(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("missing");
    assert_absent(store, &Key::new(&t, &pk, "nothing"), "get in an empty partition").await;
    ok(store.put(Item::new(Key::new(&t, &pk, "present")).with("v", 1i64), None).await, "put neighbour");
    assert_absent(store, &Key::new(&t, &pk, "absent"), "get of a missing sort key").await;
    assert_absent(store, &Key::new(&t, &pk, "presen"), "get of a prefix of an existing sort key").await;
    assert_absent(store, &Key::new(&t, &pk, "present2"), "get of an extension of an existing sort key").await;
}

/// A projected get returns the named attributes only; `None` for a missing item, and an item
/// without attributes when it has none of the named ones. It sees the latest write.
pub async fn get_projected_keeps_named_attributes(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("projected");
    let key = Key::new(&t, &pk, "row");
    let got = store.get_projected(&key, &["a"], Consistency::Strong).await;
    assert_eq!(ok(got, "projected get of a missing item"), None);
    // Read once before the writes (a backend that caches reads must not return this later).
    ok(store.put(Item::new(key.clone()).with("a", 1i64).with("b", "x").with("c", true), None).await, "put");
    let got = ok(store.get_projected(&key, &["a", "c", "zz"], Consistency::Strong).await, "projected get");
    assert_eq!(got, Some(Item::new(key.clone()).with("a", 1i64).with("c", true)));
    ok(store.update(&key, &Update::new().set("a", 2i64), None).await.map(|_| ()), "update");
    let got = ok(store.get_projected(&key, &["a"], Consistency::Strong).await, "projected get after update");
    assert_eq!(got, Some(Item::new(key.clone()).with("a", 2i64)));
    let got = ok(store.get_projected(&key, &["nothing"], Consistency::Strong).await, "projection of no attribute");
    assert_eq!(got, Some(Item::new(key.clone())));
    ok(store.delete(&key, None).await.map(|_| ()), "delete");
    let got = store.get_projected(&key, &["a"], Consistency::Strong).await;
    assert_eq!(ok(got, "projected get after delete"), None);
}

/// Two puts with `ItemNotExists`: the first creates, the second fails with `ConditionFailed` and
/// the first value is kept; `ItemExists` then replaces it.
pub async fn put_if_not_exists_twice(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("pine"), "s");
    let first = Item::new(key.clone()).with("v", 1i64);
    ok(store.put(first.clone(), Some(Condition::ItemNotExists)).await, "first put if not exists");
    let second = Item::new(key.clone()).with("v", 2i64).with("extra", "x");
    expect_condition_failed(store.put(second, Some(Condition::ItemNotExists)).await, "second put if not exists");
    assert_stored(store, &first, "after the failed second put").await;
    let third = Item::new(key.clone()).with("v", 3i64);
    ok(store.put(third.clone(), Some(Condition::ItemExists)).await, "put if exists");
    assert_stored(store, &third, "after put if exists").await;
}

/// An update of a missing item creates it from the key, the actions and the index key, and
/// returns it.
pub async fn update_creates_missing_item(store: &dyn Store) {
    let t = fresh_tenant();
    let ipk = fresh_pk("ucm-ix");
    let key = Key::new(&t, fresh_pk("ucm"), "s");
    let update =
        Update::new().set("a", "x").add("c", 2).set_if_not_exists("d", true).remove("gone").set_index(&ipk, "i1");
    let got = ok(store.update(&key, &update, None).await, "update of a missing item");
    let expected = Item::new(key.clone()).with("a", "x").with("c", 2i64).with("d", true).with_index(&ipk, "i1");
    assert_eq!(got, expected, "update of a missing item returned a different item");
    assert_stored(store, &expected, "update of a missing item").await;
    await_index(store, &t, &ipk, std::slice::from_ref(&key), "index entry of an item created by update").await;
}

/// `SetIfNotExists` keeps an existing value and sets a missing one.
pub async fn update_set_if_not_exists_keeps_existing(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("sine"), "s");
    ok(store.put(Item::new(key.clone()).with("a", "old"), None).await, "put");
    let got = ok(
        store.update(&key, &Update::new().set_if_not_exists("a", "new").set_if_not_exists("b", "new"), None).await,
        "update set_if_not_exists",
    );
    let expected = Item::new(key.clone()).with("a", "old").with("b", "new");
    assert_eq!(got, expected, "SetIfNotExists overwrote an existing value or skipped a missing one");
    assert_stored(store, &expected, "after SetIfNotExists").await;
}

/// `Remove` drops an attribute, is a no-op for a missing one, and removing the last attribute
/// keeps the (key-only) item.
pub async fn update_remove(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("rm"), "s");
    ok(store.put(Item::new(key.clone()).with("a", 1i64).with("b", 2i64), None).await, "put");
    let got = ok(store.update(&key, &Update::new().remove("a").remove("zz"), None).await, "remove a and zz");
    let expected = Item::new(key.clone()).with("b", 2i64);
    assert_eq!(got, expected, "Remove returned a different item");
    assert_stored(store, &expected, "after Remove").await;
    let got = ok(store.update(&key, &Update::new().remove("b"), None).await, "remove the last attribute");
    let bare = Item::new(key.clone());
    assert_eq!(got, bare, "removing the last attribute returned a different item");
    assert_stored(store, &bare, "an item whose attributes were all removed still exists").await;
}

/// `Add` starts from 0 on a missing attribute and on a missing item, accepts negative deltas,
/// and [`Store::add`] returns the new value.
pub async fn update_add_starts_from_zero(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("add"), "s");
    let got = ok(store.update(&key, &Update::new().add("n", 5), None).await, "add on a missing item");
    assert_eq!(got.n("n"), Some(5), "ADD 5 on a missing item: {got:?}");
    let got = ok(store.update(&key, &Update::new().add("n", -7), None).await, "add -7");
    assert_eq!(got.n("n"), Some(-2), "ADD -7 after 5: {got:?}");
    assert_eq!(ok(store.add(&key, "m", 3).await, "Store::add on a missing attribute"), 3);
    assert_eq!(ok(store.add(&key, "m", 4).await, "Store::add again"), 7);
    let other = Key::new(&t, fresh_pk("add"), "s");
    assert_eq!(ok(store.add(&other, "n", 1).await, "Store::add on a missing item"), 1);
    assert_stored(store, &Item::new(key).with("n", -2i64).with("m", 7i64), "after the adds").await;
    assert_stored(store, &Item::new(other).with("n", 1i64), "item created by Store::add").await;
}

/// `SetSum` writes `source + delta` computed from the item before the update, so a counter
/// and a copy of its new value move together; with the counter absent it starts from 0.
pub async fn update_set_sum_reads_old_values(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("sum"), "s");
    let bump = Update::new().set_sum("max", "max", 1).set_sum("r_a", "max", 1).set("c0", "m1");
    let got = ok(store.update(&key, &bump, None).await, "first bump");
    assert_eq!((got.n("max"), got.n("r_a")), (Some(1), Some(1)), "first bump: {got:?}");
    let got = ok(store.update(&key, &bump, None).await, "second bump");
    assert_eq!((got.n("max"), got.n("r_a")), (Some(2), Some(2)), "second bump: {got:?}");
    let other = Update::new().set_sum("max", "max", 1).set_sum("r_b", "max", 1);
    let got = ok(store.update(&key, &other, None).await, "bump by b");
    assert_eq!((got.n("max"), got.n("r_a"), got.n("r_b")), (Some(3), Some(2), Some(3)), "{got:?}");
    let with_guard = Update::new().set_sum("max", "max", 1).set("c0", "m1");
    let failed = store.update(&key, &with_guard, Some(Condition::eq("c0", "m1").negate())).await;
    assert_eq!(failed.err(), Some(StoreError::ConditionFailed), "dedupe guard");
    ok(store.put(Item::new(key.clone()).with("s", "x"), None).await, "put");
    expect_validation(store.update(&key, &Update::new().set_sum("t", "s", 1), None).await, "SetSum from a string");
    assert_stored(store, &Item::new(key).with("s", "x"), "after the rejected SetSum").await;
}

/// `Add` on a string (or boolean) attribute is a `Validation` error and leaves the item unchanged.
pub async fn update_add_on_non_number_is_validation(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("addstr"), "s");
    let item = Item::new(key.clone()).with("s", "x").with("b", true).with("n", 1i64);
    ok(store.put(item.clone(), None).await, "put");
    expect_validation(store.update(&key, &Update::new().add("s", 1).set("n", 9i64), None).await, "ADD on a string");
    expect_validation(store.add(&key, "s", 1).await, "Store::add on a string");
    expect_validation(store.add(&key, "b", 1).await, "Store::add on a boolean");
    assert_stored(store, &item, "after the rejected ADDs").await;
}

/// An update returns the whole new item (untouched attributes and index key included), equal to
/// what a get then reads, also when it is conditional.
pub async fn update_returns_new_item(store: &dyn Store) {
    let t = fresh_tenant();
    let ipk = fresh_pk("urn-ix");
    let key = Key::new(&t, fresh_pk("urn"), "s");
    let item = Item::new(key.clone()).with_index(&ipk, "i").with("a", "keep").with("n", 1i64).with("v", 1i64);
    ok(store.put(item, None).await, "put");
    let got = ok(
        store
            .update(
                &key,
                &Update::new().set("c", vec![1u8, 2]).add("n", 10).add("v", 1),
                Some(Condition::eq("v", 1i64)),
            )
            .await,
        "conditional update",
    );
    let expected = Item::new(key.clone())
        .with_index(&ipk, "i")
        .with("a", "keep")
        .with("n", 11i64)
        .with("v", 2i64)
        .with("c", vec![1u8, 2]);
    assert_eq!(got, expected, "update returned a different item");
    assert_stored(store, &expected, "after update").await;
}

/// A delete returns the deleted item (index key included) and removes its index entry; deleting
/// a missing item is `Ok(None)`; a failing conditional delete is `ConditionFailed` and keeps it.
pub async fn delete_returns_old_item(store: &dyn Store) {
    let t = fresh_tenant();
    let ipk = fresh_pk("del-ix");
    let key = Key::new(&t, fresh_pk("del"), "s");
    let item = Item::new(key.clone()).with_index(&ipk, "i").with("v", 1i64).with("l", AttrValue::L(vec![]));
    ok(store.put(item.clone(), None).await, "put");
    await_index(store, &t, &ipk, std::slice::from_ref(&key), "index entry before delete").await;
    expect_condition_failed(store.delete(&key, Some(Condition::eq("v", 2i64))).await, "delete if v = 2");
    assert_stored(store, &item, "after the failed conditional delete").await;
    let old = ok(store.delete(&key, Some(Condition::eq("v", 1i64))).await, "delete if v = 1");
    assert_eq!(old, Some(item), "delete returned a different old item");
    assert_absent(store, &key, "after delete").await;
    await_index(store, &t, &ipk, &[], "index entry after delete").await;
    let again = ok(store.delete(&key, None).await, "second delete");
    assert_eq!(again, None, "deleting a missing item must return Ok(None)");
}

/// Deleting a key that never existed is `Ok(None)`; with `ItemExists` it is `ConditionFailed`.
pub async fn delete_missing_is_none(store: &dyn Store) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("delm"), "s");
    assert_eq!(ok(store.delete(&key, None).await, "delete of a missing item"), None);
    assert_eq!(ok(store.delete(&key, Some(Condition::ItemNotExists)).await, "delete if not exists"), None);
    expect_condition_failed(store.delete(&key, Some(Condition::ItemExists)).await, "delete missing if exists");
    assert_absent(store, &key, "after deletes of a missing item").await;
}

/// The same pk/sk in two tenants (one tenant ID a prefix of the other) are different items for
/// get, query, index query, conditions, update and delete.
pub async fn tenant_isolation(store: &dyn Store) {
    let t1 = fresh_tenant();
    let t2 = im_domain::TenantId::parse(&format!("{}x", t1.as_str())).expect("valid tenant");
    let pk = fresh_pk("iso");
    let ipk = fresh_pk("iso-ix");
    let k1 = Key::new(&t1, &pk, "s");
    let k2 = Key::new(&t2, &pk, "s");
    let i1 = Item::new(k1.clone()).with("owner", "t1").with_index(&ipk, "i");
    let i2 = Item::new(k2.clone()).with("owner", "t2").with_index(&ipk, "i");
    ok(store.put(i1.clone(), Some(Condition::ItemNotExists)).await, "put in tenant 1");
    ok(store.put(i2.clone(), Some(Condition::ItemNotExists)).await, "put in tenant 2 (same pk/sk)");
    assert_stored(store, &i1, "tenant 1 item").await;
    assert_stored(store, &i2, "tenant 2 item").await;
    // One more item only in tenant 1.
    let extra = Item::new(Key::new(&t1, &pk, "t")).with("owner", "t1");
    ok(store.put(extra.clone(), None).await, "put extra in tenant 1");
    assert_absent(store, &Key::new(&t2, &pk, "t"), "tenant 2 must not see tenant 1's extra item").await;
    assert_eq!(
        query_all(store, &Query::partition(&t1, &pk), "query tenant 1").await,
        vec![i1.clone(), extra.clone()],
        "tenant 1 query"
    );
    assert_eq!(
        query_all(store, &Query::partition(&t2, &pk), "query tenant 2").await,
        vec![i2.clone()],
        "tenant 2 query"
    );
    let third = fresh_tenant();
    assert!(
        query_all(store, &Query::partition(&third, &pk), "query tenant 3").await.is_empty(),
        "a third tenant must see an empty partition"
    );
    let ix1 = await_index(store, &t1, &ipk, std::slice::from_ref(&k1), "tenant 1 index").await;
    assert_eq!(ix1, vec![i1.clone()], "tenant 1 index query");
    let ix2 = await_index(store, &t2, &ipk, std::slice::from_ref(&k2), "tenant 2 index").await;
    assert_eq!(ix2, vec![i2.clone()], "tenant 2 index query");

    // Conditions, updates and deletes see only their own tenant.
    let k3 = Key::new(&third, &pk, "s");
    ok(
        store.transact_write(vec![WriteOp::Check { key: k3.clone(), condition: Condition::ItemNotExists }]).await,
        "tenant 3 check of a key that exists in other tenants",
    );
    let got = ok(store.update(&k2, &Update::new().set("touched", true), None).await, "update in tenant 2");
    assert_eq!(got.s("owner"), Some("t2"), "update in tenant 2 saw {got:?}");
    assert_stored(store, &i1, "tenant 1 item after the tenant 2 update").await;
    assert_eq!(ok(store.delete(&k1, None).await, "delete in tenant 1"), Some(i1), "delete in tenant 1");
    assert_eq!(
        get(store, &k2).await.and_then(|i| i.bool("touched")),
        Some(true),
        "tenant 2 item after tenant 1 delete"
    );
    assert_absent(store, &k3, "tenant 3 key").await;
}
