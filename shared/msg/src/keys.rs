//! Logical keys of the messaging module (`docs/data-model.md`); the store adds the tenant.
//!
//! Seq heads, messages and conversation rows use the layout shared with `im-conversation`
//! (re-exported here); the rest is this module's own.

pub use im_conversation::keys::{conversation, conversation_pk, message, message_pk, message_sk, seq_head};
use im_domain::TenantId;
use im_domain::store::Key;

/// Sort key of a consumer's idempotency record.
pub const DEDUPE_SK: &str = "d";

/// Key of a consumer's idempotency record for queue message `id` on `topic`:
/// `QD#<topic>#<id>` / `d`.
pub fn queue_dedupe(tenant: &TenantId, topic: &str, id: &str) -> Key {
    Key::new(tenant, format!("QD#{topic}#{id}"), DEDUPE_SK)
}

/// Key of the send status of an operation (`/msg/check_msg_is_send_success`):
/// `SENDST#<operationID>` / `s`.
pub fn send_status(tenant: &TenantId, operation_id: &str) -> Key {
    Key::new(tenant, format!("SENDST#{operation_id}"), "s")
}

/// Number of partitions a day's message statistics are spread over.
pub const STAT_SHARDS: u64 = 16;

/// Partition of one shard of a day's message statistics: `STAT#<yyyy-mm-dd>#<shard:02>`.
pub fn stat_pk(day: &str, shard: u64) -> String {
    format!("STAT#{day}#{:02}", shard % STAT_SHARDS)
}

/// Key of a sender's message counter of a day: `STAT#<day>#<shard>` / `U#<userID>`.
pub fn stat_user(tenant: &TenantId, day: &str, user_id: &str) -> Key {
    let shard = crate::hash::bucket(user_id, STAT_SHARDS);
    Key::new(tenant, stat_pk(day, shard), format!("U#{user_id}"))
}

/// Key of a group's message counter of a day: `STAT#<day>#<shard>` / `G#<groupID>`.
pub fn stat_group(tenant: &TenantId, day: &str, group_id: &str) -> Key {
    let shard = crate::hash::bucket(group_id, STAT_SHARDS);
    Key::new(tenant, stat_pk(day, shard), format!("G#{group_id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let t = TenantId::default_tenant();
        assert_eq!(seq_head(&t, "si_a_b").pk, "SEQ#si_a_b");
        assert_eq!(message(&t, "sg_g", 7).sk, "00000000000000000007");
        let k = queue_dedupe(&t, "transfer", "default|si_a_b|3");
        assert_eq!((k.pk.as_str(), k.sk.as_str()), ("QD#transfer#default|si_a_b|3", "d"));
        assert_eq!(send_status(&t, "op1").pk, "SENDST#op1");
        let u = stat_user(&t, "2026-11-22", "alice");
        assert!(u.pk.starts_with("STAT#2026-11-22#"));
        assert_eq!(u.sk, "U#alice");
        assert_eq!(stat_group(&t, "2026-11-22", "g1").sk, "G#g1");
    }
}
