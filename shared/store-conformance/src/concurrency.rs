//! Atomicity under concurrent writers.

use std::sync::Arc;

use im_domain::store::{Condition, Item, Key, Store, StoreError, Update};

use crate::support::{fresh_pk, fresh_tenant, get, ok};

/// Number of tasks of [`concurrent_add`].
pub const ADD_TASKS: usize = 50;
/// `Store::add` calls per task of [`concurrent_add`].
pub const ADDS_PER_TASK: usize = 20;

/// 1000 concurrent `Store::add(key, "n", 1)` from 50 tasks (20 each): the returned values,
/// sorted, are exactly 1..=1000 (each increment seen once) and the stored value is 1000.
pub async fn concurrent_add(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("cadd"), "counter");
    let mut tasks = Vec::with_capacity(ADD_TASKS);
    for _ in 0..ADD_TASKS {
        let store = store.clone();
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let mut seen = Vec::with_capacity(ADDS_PER_TASK);
            for _ in 0..ADDS_PER_TASK {
                seen.push(ok(store.add(&key, "n", 1).await, "concurrent Store::add"));
            }
            seen
        }));
    }
    let mut all = Vec::with_capacity(ADD_TASKS * ADDS_PER_TASK);
    for task in tasks {
        all.extend(task.await.expect("an add task panicked"));
    }
    all.sort_unstable();
    let total = (ADD_TASKS * ADDS_PER_TASK) as i64;
    let expected: Vec<i64> = (1..=total).collect();
    if all != expected {
        let mut dups = all.clone();
        dups.dedup();
        panic!(
            "concurrent adds returned {} values ({} distinct, min {:?}, max {:?}); expected exactly 1..={total}",
            all.len(),
            dups.len(),
            all.first(),
            all.last()
        );
    }
    let stored = get(&*store, &key).await.and_then(|i| i.n("n"));
    assert_eq!(stored, Some(total), "stored counter after {total} concurrent adds");
}

/// 20 tasks put the same key with `ItemNotExists` at once: exactly one succeeds, the others get
/// `ConditionFailed`, and the winner's item is stored.
pub async fn concurrent_conditional_put(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("cput"), "once");
    let barrier = Arc::new(tokio::sync::Barrier::new(20));
    let mut tasks = Vec::new();
    for writer in 0..20i64 {
        let store = store.clone();
        let key = key.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let r = store.put(Item::new(key).with("writer", writer), Some(Condition::ItemNotExists)).await;
            (writer, r)
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.expect("a put task panicked") {
            (writer, Ok(())) => winners.push(writer),
            (_, Err(StoreError::ConditionFailed)) => {}
            (writer, Err(e)) => panic!("concurrent conditional put by writer {writer}: unexpected error {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one concurrent ItemNotExists put must succeed; winners: {winners:?}");
    let stored = get(&*store, &key).await.and_then(|i| i.n("writer"));
    assert_eq!(stored, Some(winners[0]), "the stored item must be the winner's");
}

/// 10 tasks each make 5 optimistic increments (read the version, update with `Equals(version)`,
/// retry on `ConditionFailed`): no increment is lost, the final version is 50.
pub async fn concurrent_optimistic_updates(store: Arc<dyn Store>) {
    let t = fresh_tenant();
    let key = Key::new(&t, fresh_pk("cas"), "row");
    ok(store.put(Item::new(key.clone()).with("version", 0i64), None).await, "setup put");
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let store = store.clone();
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0;
            let mut attempts = 0;
            while done < 5 {
                attempts += 1;
                assert!(attempts < 10_000, "optimistic updates never converge");
                let current = get(&*store, &key).await.and_then(|i| i.n("version")).expect("version attribute");
                let update = Update::new().set("version", current + 1);
                match store.update(&key, &update, Some(Condition::eq("version", current))).await {
                    Ok(item) => {
                        assert_eq!(item.n("version"), Some(current + 1), "update returned a different version");
                        done += 1;
                    }
                    Err(StoreError::ConditionFailed) => tokio::task::yield_now().await,
                    Err(e) => panic!("optimistic update: unexpected error {e:?}"),
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("an optimistic update task panicked");
    }
    let version = get(&*store, &key).await.and_then(|i| i.n("version"));
    assert_eq!(version, Some(50), "final version after 50 optimistic increments");
}
