//! Send status per operationID (`/msg/check_msg_is_send_success`): `/msg/send_msg` records
//! success under the request's operationID for 24 hours; unknown operations read as 0.

use im_domain::store::{Consistency, Item, Store, TTL_ATTR};
use im_domain::{ImResult, TenantId};

use crate::keys;

/// No status recorded (`MsgStatusNotExist`).
pub const NOT_EXIST: i32 = 0;
/// Sending (`MsgIsSending`).
pub const SENDING: i32 = 1;
/// Sent (`MsgSendSuccessed`).
pub const SUCCEEDED: i32 = 2;
/// Failed (`MsgSendFailed`).
pub const FAILED: i32 = 3;

/// How long a status is kept, seconds.
pub const KEEP_S: i64 = 24 * 3600;

const STATUS: &str = "status";

/// Records `status` for `operation_id` at `now_ms` (no-op for an empty operationID).
pub async fn set(store: &dyn Store, t: &TenantId, operation_id: &str, status: i32, now_ms: i64) -> ImResult<()> {
    if operation_id.is_empty() {
        return Ok(());
    }
    let item = Item::new(keys::send_status(t, operation_id))
        .with(STATUS, status)
        .with(TTL_ATTR, now_ms.div_euclid(1000) + KEEP_S);
    store.put(item, None).await?;
    Ok(())
}

/// The status recorded for `operation_id`, or [`NOT_EXIST`] (also once expired at `now_ms`).
pub async fn get(store: &dyn Store, t: &TenantId, operation_id: &str, now_ms: i64) -> ImResult<i32> {
    if operation_id.is_empty() {
        return Ok(NOT_EXIST);
    }
    let item = store.get(&keys::send_status(t, operation_id), Consistency::Strong).await?;
    let now_s = now_ms.div_euclid(1000);
    Ok(item
        .filter(|i| i.n(TTL_ATTR).is_none_or(|ttl| ttl > now_s))
        .and_then(|i| i.n(STATUS))
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(NOT_EXIST))
}

#[cfg(test)]
mod tests {
    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn set_get_expire() {
        let s = MemStore::new();
        let t = TenantId::default_tenant();
        assert_eq!(get(&s, &t, "op", 0).await.unwrap(), NOT_EXIST);
        set(&s, &t, "op", SUCCEEDED, 1_000).await.unwrap();
        assert_eq!(get(&s, &t, "op", 2_000).await.unwrap(), SUCCEEDED);
        assert_eq!(get(&s, &TenantId::parse("b").unwrap(), "op", 2_000).await.unwrap(), NOT_EXIST);
        assert_eq!(get(&s, &t, "op", 1_000 + KEEP_S * 1000 + 1000).await.unwrap(), NOT_EXIST);
        set(&s, &t, "", SUCCEEDED, 0).await.unwrap();
        assert_eq!(get(&s, &t, "", 0).await.unwrap(), NOT_EXIST);
    }
}
