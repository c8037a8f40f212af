//! Message statistics: per day, how many chat messages each user and each group sent (the
//! source of `/statistics/user/active` and `/statistics/group/active`).
//!
//! Counters live in `STAT#<yyyy-mm-dd>#<shard>` partitions (16 shards per day, so a busy
//! tenant's writes spread over partitions), sort keys `U#<userID>` / `G#<groupID>`, attribute
//! `n`. The transfer consumer adds one per stored chat message.

use im_domain::constants::{content_type, session_type};
use im_domain::store::{Key, Query, Store, StoreError, Update};
use im_domain::{ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;

use crate::keys;

/// Counter attribute.
pub const COUNT: &str = "n";

/// The UTC calendar day (`yyyy-mm-dd`) of a Unix-milliseconds time.
pub fn day_of(ms: i64) -> String {
    im_domain::clock::utc_day(ms)
}

/// Whether a stored message counts: a user's chat message (not a notification).
pub fn counts(msg: &MsgData) -> bool {
    msg.seq > 0 && msg.content_type < content_type::NOTIFICATION_BEGIN
}

/// The counters `msg` adds one to: its sender's (and group's) counter of its send day; none
/// when it does not count.
pub fn counter_keys(t: &TenantId, msg: &MsgData) -> Vec<Key> {
    if !counts(msg) {
        return Vec::new();
    }
    let day = day_of(msg.send_time);
    let mut keys = vec![keys::stat_user(t, &day, &msg.send_id)];
    if msg.session_type == session_type::READ_GROUP && !msg.group_id.is_empty() {
        keys.push(keys::stat_group(t, &day, &msg.group_id));
    }
    keys
}

/// The update adding `n` to a counter.
pub fn add(n: i64) -> Update {
    Update::new().add(COUNT, n)
}

/// Adds `msg` to its sender's (and group's) counter of its send day, one write each.
pub async fn record(store: &dyn Store, t: &TenantId, msg: &MsgData) -> ImResult<()> {
    for key in counter_keys(t, msg) {
        store.update(&key, &add(1), None).await?;
    }
    Ok(())
}

/// The counters of one day: (`U#…`/`G#…` sort key, count) over all shards.
pub async fn day_counters(store: &dyn Store, t: &TenantId, day: &str) -> ImResult<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for shard in 0..keys::STAT_SHARDS {
        let mut cursor = None;
        loop {
            let page = store.query(&Query::partition(t, keys::stat_pk(day, shard)).after(cursor)).await?;
            for item in &page.items {
                let n =
                    item.n(COUNT).ok_or_else(|| StoreError::Internal(format!("counter {} has no n", item.key.sk)))?;
                out.push((item.key.sk.clone(), n));
            }
            cursor = page.cursor;
            if cursor.is_none() {
                break;
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use im_store_conformance::MemStore;

    use super::*;

    #[test]
    fn days() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(951_782_400_000), "2000-02-29");
        assert_eq!(day_of(1_795_315_200_000), "2026-11-22");
        assert_eq!(day_of(-1), "1969-12-31");
    }

    #[tokio::test]
    async fn counts_chat_messages_per_sender_and_group() {
        let s = MemStore::new();
        let t = TenantId::default_tenant();
        let text = MsgData { send_id: "a".into(), content_type: 101, seq: 1, send_time: 0, ..MsgData::default() };
        record(&s, &t, &text).await.unwrap();
        record(&s, &t, &text).await.unwrap();
        let group = MsgData { session_type: 3, group_id: "g".into(), ..text.clone() };
        record(&s, &t, &group).await.unwrap();
        let tip = MsgData { content_type: 1501, ..group.clone() };
        record(&s, &t, &tip).await.unwrap();
        let unstored = MsgData { seq: 0, ..text.clone() };
        record(&s, &t, &unstored).await.unwrap();
        let got = day_counters(&s, &t, "1970-01-01").await.unwrap();
        assert_eq!(got, vec![("G#g".to_string(), 1), ("U#a".to_string(), 3)]);
    }
}
