//! Consumer idempotency: a queue message is processed to completion at most once per ID.
//!
//! Before work starts a consumer claims `QD#<topic>#<id>` (state `run`, claim time, `ttl`) with a
//! conditional put that succeeds when no record exists or an earlier claim's lease ran out (its
//! consumer died). After the work it marks the record `done`; on failure it deletes the claim so
//! the redelivery can run. A redelivery of a finished message finds `done` and is skipped; one
//! that arrives while another consumer holds the claim is reported as failed (and redelivered
//! later, when it will find `done`).

use im_domain::store::{Condition, Consistency, Item, Store, StoreError, TTL_ATTR, Update};
use im_domain::{ImResult, TenantId};

use crate::keys;

/// How long a claim protects a running consumer, ms.
pub const LEASE_MS: i64 = 60_000;
/// How long records are kept, seconds (longer than any queue's redelivery window).
pub const KEEP_S: i64 = 4 * 24 * 3600;

const STATE: &str = "state";
const AT: &str = "at";
const RUN: &str = "run";
const DONE: &str = "done";

/// Outcome of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// Claimed: do the work, then [`finish`] or [`release`].
    Run,
    /// Already processed: skip.
    Done,
    /// Another consumer is processing it now: report a failure and let the queue redeliver.
    Busy,
}

/// Claims message `id` of `topic` at `now_ms`.
pub async fn claim(store: &dyn Store, t: &TenantId, topic: &str, id: &str, now_ms: i64) -> ImResult<Claim> {
    let key = keys::queue_dedupe(t, topic, id);
    let item =
        Item::new(key.clone()).with(STATE, RUN).with(AT, now_ms).with(TTL_ATTR, now_ms.div_euclid(1000) + KEEP_S);
    let stale = Condition::eq(STATE, RUN).and(Condition::lt(AT, now_ms - LEASE_MS));
    match store.put(item, Some(Condition::ItemNotExists.or(stale))).await {
        Ok(()) => Ok(Claim::Run),
        Err(StoreError::ConditionFailed) => {
            let current = store.get(&key, Consistency::Strong).await?;
            Ok(if current.as_ref().and_then(|i| i.s(STATE)) == Some(DONE) { Claim::Done } else { Claim::Busy })
        }
        Err(e) => Err(e.into()),
    }
}

/// Marks a claimed message processed.
pub async fn finish(store: &dyn Store, t: &TenantId, topic: &str, id: &str) -> ImResult<()> {
    store.update(&keys::queue_dedupe(t, topic, id), &Update::new().set(STATE, DONE), None).await?;
    Ok(())
}

/// Drops a claim after a failure so a redelivery can run (best effort: a leftover claim expires
/// with its lease).
pub async fn release(store: &dyn Store, t: &TenantId, topic: &str, id: &str) {
    let key = keys::queue_dedupe(t, topic, id);
    if let Err(e) = store.delete(&key, Some(Condition::eq(STATE, RUN))).await
        && e != StoreError::ConditionFailed
    {
        tracing::warn!(id, topic, error = %e, "releasing a consumer claim failed; it expires with its lease");
    }
}

#[cfg(test)]
mod tests {
    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn claim_finish_release_and_lease() {
        let s = MemStore::new();
        let t = TenantId::default_tenant();
        assert_eq!(claim(&s, &t, "push", "m1", 1_000).await.unwrap(), Claim::Run);
        assert_eq!(claim(&s, &t, "push", "m1", 2_000).await.unwrap(), Claim::Busy);
        // Another topic is independent.
        assert_eq!(claim(&s, &t, "transfer", "m1", 2_000).await.unwrap(), Claim::Run);
        finish(&s, &t, "push", "m1").await.unwrap();
        assert_eq!(claim(&s, &t, "push", "m1", 3_000).await.unwrap(), Claim::Done);
        // A released claim can be taken again.
        assert_eq!(claim(&s, &t, "push", "m2", 1_000).await.unwrap(), Claim::Run);
        release(&s, &t, "push", "m2").await;
        assert_eq!(claim(&s, &t, "push", "m2", 1_500).await.unwrap(), Claim::Run);
        // A claim whose consumer died is taken over after the lease.
        assert_eq!(claim(&s, &t, "push", "m2", 1_500 + LEASE_MS + 1).await.unwrap(), Claim::Run);
        // A finished message is never released.
        release(&s, &t, "push", "m1").await;
        assert_eq!(claim(&s, &t, "push", "m1", 10_000_000).await.unwrap(), Claim::Done);
    }
}
