//! The metering decorator charges DynamoDB request units per operation.

use im_domain::TenantId;
use im_domain::store::metering::Metered;
use im_domain::store::{BatchWrite, Condition, Consistency, Item, Key, Query, Store, StoreError, Update, WriteOp};
use im_store_conformance::MemStore;

#[tokio::test]
async fn charges_like_dynamodb() {
    let store = Metered::new(MemStore::new());
    let meter = store.meter();
    let t = TenantId::default();
    let key = |sk: &str| Key::new(&t, "p", sk);

    // A 3,000-byte item costs 3 WRU to put, 1 RRU to read strongly, 0.5 eventually.
    store.put(Item::new(key("big")).with("v", "x".repeat(3000)), None).await.unwrap();
    store.get(&key("big"), Consistency::Strong).await.unwrap();
    store.get(&key("big"), Consistency::Eventual).await.unwrap();
    // A missing item still costs the minimum read.
    store.get(&key("none"), Consistency::Strong).await.unwrap();
    let u = meter.snapshot();
    assert_eq!(u.by_op["put"].write_units, 3);
    assert_eq!(u.by_op["get"].read_half_units, 2 + 1 + 2);
    assert_eq!(u.read_units(), 2.5);

    // A failed conditional write is charged too.
    let before = meter.snapshot();
    let failed = store.put(Item::new(key("big")), Some(Condition::ItemNotExists)).await;
    assert_eq!(failed, Err(StoreError::ConditionFailed));
    store.add(&key("ctr"), "n", 1).await.unwrap();
    let d = meter.snapshot().since(&before);
    assert_eq!(d.write_units(), 1 + 1);

    // Transactions cost twice per item; batch writes once per item.
    let before = meter.snapshot();
    store
        .transact_write(vec![
            WriteOp::Put { item: Item::new(key("a")), condition: None },
            WriteOp::Update { key: key("b"), update: Update::new().set("x", 1i64), condition: None },
        ])
        .await
        .unwrap();
    store.batch_write((0..5).map(|i| BatchWrite::Put(Item::new(key(&format!("w{i}"))))).collect()).await.unwrap();
    let d = meter.snapshot().since(&before);
    assert_eq!(d.by_op["transact_write"].write_units, 4);
    assert_eq!(d.by_op["batch_write"].write_units, 5);

    // A query is charged on the summed size of what it returns: ~3 KB + small items → 1 RRU.
    let before = meter.snapshot();
    let page = store.query(&Query::partition(&t, "p")).await.unwrap();
    assert!(page.items.len() >= 9);
    let d = meter.snapshot().since(&before);
    assert_eq!(d.by_op["query"].read_half_units, 2);
    assert_eq!(d.calls(), 1);
}
