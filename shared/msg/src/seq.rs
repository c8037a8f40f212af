//! Seq allocation and message storage (`docs/data-model.md`, "Sending").
//!
//! 1. One conditional update of `SEQ#<cid>/head`: `max = max + 1`, `time = sendTime`, the
//!    clientMsgID into window slot `c<h>` and the new seq into `s<h>` (h = stable hash of the
//!    clientMsgID mod 16), and for two-party conversations the sender's read seq
//!    `r_<sender> = max`; condition `NOT (c<h> = clientMsgID)`.
//! 2. `put MSG#<cid>/<seq:020>` with `ItemNotExists`.
//!
//! Both go to the store as one `update_then_put`: two requests on DynamoDB, one write (one group
//! commit to wait for instead of two) on the embedded store.
//!
//! A failed condition is a retry of a recent send: the original seq is `s<h>`. Its message is
//! returned as stored (same serverMsgID, seq, sendTime); if the first attempt allocated the seq
//! but never stored the message, this attempt stores it at that seq. A retry therefore stores
//! nothing new, and a 1:1 text message costs two writes.

use im_domain::store::{Condition, Consistency, Item, PutAfter, Store, StoreError, Update};
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;

use crate::hash::bucket;
use crate::{keys, record};

/// Attribute names of a seq head.
pub mod attr {
    pub use im_conversation::seqs::attr::{MAX, MIN, READ_PREFIX, TIME};
}

/// Number of clientMsgID window slots of a seq head.
pub const SLOTS: u64 = 16;

/// Attempts before giving up on a head that keeps changing under a retry.
const ATTEMPTS: usize = 4;

/// The window slot of a clientMsgID.
pub fn slot(client_msg_id: &str) -> u64 {
    bucket(client_msg_id, SLOTS)
}

/// Name of the clientMsgID attribute of slot `h` (`c<h>`).
pub fn slot_cmid(h: u64) -> String {
    format!("c{h}")
}

/// Name of the seq attribute of slot `h` (`s<h>`).
pub fn slot_seq(h: u64) -> String {
    format!("s{h}")
}

/// Name of a sender's read-seq attribute (`r_<userID>`).
pub fn read_attr(user_id: &str) -> String {
    format!("{}{user_id}", attr::READ_PREFIX)
}

/// Where a message ended up.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The message as stored (seq, serverMsgID, sendTime are the stored ones).
    pub msg: MsgData,
    /// Whether this was a retry of an earlier send (nothing new was allocated).
    pub deduped: bool,
}

/// Stores `msg` in conversation `cid` under a freshly allocated seq, or returns the stored copy
/// when the same sender recently sent the same clientMsgID here. `two_party` records the
/// sender's read seq on the head (single and notification conversations). `msg` must carry its
/// serverMsgID and sendTime; its `seq` is ignored.
pub async fn store_message(
    store: &dyn Store,
    t: &TenantId,
    cid: &str,
    two_party: bool,
    msg: MsgData,
) -> ImResult<Stored> {
    let cmid = msg.client_msg_id.clone();
    let head = keys::seq_head(t, cid);
    let h = slot(&cmid);
    let mut dedupe = !cmid.is_empty();
    for _ in 0..ATTEMPTS {
        // Only `max` comes back: the head carries the whole clientMsgID window.
        let mut update =
            Update::new().set_sum(attr::MAX, attr::MAX, 1).set(attr::TIME, msg.send_time).returning(&[attr::MAX]);
        if dedupe {
            update = update.set(slot_cmid(h), cmid.as_str()).set_sum(slot_seq(h), attr::MAX, 1);
        }
        if two_party && !msg.send_id.is_empty() {
            update = update.set_sum(read_attr(&msg.send_id), attr::MAX, 1);
        }
        let condition = dedupe.then(|| Condition::eq(slot_cmid(h), cmid.as_str()).negate());
        let then = message_at_head(t, cid, &msg);
        match store.update_then_put(&head, &update, condition, then, Some(Condition::ItemNotExists)).await {
            Ok((item, put)) => {
                let mut msg = msg;
                msg.seq = allocated(&item, cid)?;
                return after_put(store, t, cid, msg, false, put).await;
            }
            Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
        // A recent send carried this clientMsgID: find its seq.
        let item = store.get(&head, Consistency::Strong).await?;
        let prior = item.as_ref().filter(|i| i.s(&slot_cmid(h)) == Some(cmid.as_str())).and_then(|i| i.n(&slot_seq(h)));
        let Some(seq) = prior else {
            // The slot moved on between the update and the read: try again.
            continue;
        };
        match load(store, t, cid, seq).await? {
            Some(existing) if same_send(&existing, &msg) => return Ok(Stored { msg: existing, deduped: true }),
            // Another sender used this clientMsgID: not a retry, allocate without the window.
            Some(_) => dedupe = false,
            // The first attempt allocated the seq but never stored the message: store it now.
            None => return put_at(store, t, cid, seq, msg.clone(), true).await,
        }
    }
    Err(ImError::new(im_domain::ErrCode::Database, format!("seq head of {cid} kept changing")))
}

fn same_send(stored: &MsgData, msg: &MsgData) -> bool {
    stored.send_id == msg.send_id && stored.client_msg_id == msg.client_msg_id
}

/// The message item at the seq the updated head allocated (its `max`).
fn message_at_head(t: &TenantId, cid: &str, msg: &MsgData) -> PutAfter {
    let (t, cid, mut msg) = (t.clone(), cid.to_string(), msg.clone());
    Box::new(move |head: &Item| {
        msg.seq = allocated(head, &cid)?;
        Ok(record::to_item(&t, &cid, &msg))
    })
}

/// The seq an updated head allocated (its `max`).
fn allocated(head: &Item, cid: &str) -> Result<i64, StoreError> {
    head.n(attr::MAX).ok_or_else(|| StoreError::Internal(format!("seq head of {cid} has no max")))
}

/// Puts `msg` at `seq` (`ItemNotExists`). If the slot was filled concurrently by another attempt
/// of the same send, that copy is returned.
async fn put_at(
    store: &dyn Store,
    t: &TenantId,
    cid: &str,
    seq: i64,
    mut msg: MsgData,
    retry: bool,
) -> ImResult<Stored> {
    msg.seq = seq;
    let put = store.put(record::to_item(t, cid, &msg), Some(Condition::ItemNotExists)).await;
    after_put(store, t, cid, msg, retry, put).await
}

/// What a put of `msg` at its seq (`ItemNotExists`) came to.
async fn after_put(
    store: &dyn Store,
    t: &TenantId,
    cid: &str,
    msg: MsgData,
    retry: bool,
    put: Result<(), StoreError>,
) -> ImResult<Stored> {
    let seq = msg.seq;
    match put {
        Ok(()) => Ok(Stored { msg, deduped: retry }),
        Err(StoreError::ConditionFailed) => match load(store, t, cid, seq).await? {
            Some(existing) if same_send(&existing, &msg) => Ok(Stored { msg: existing, deduped: true }),
            _ => Err(ImError::internal(format!("seq {seq} of {cid} is taken by another message"))),
        },
        Err(e) => Err(e.into()),
    }
}

/// The stored message at `seq` of `cid`, if any (no per-reader view applied).
pub async fn load(store: &dyn Store, t: &TenantId, cid: &str, seq: i64) -> ImResult<Option<MsgData>> {
    let item: Option<Item> = store.get(&keys::message(t, cid, seq), Consistency::Strong).await?;
    Ok(item.as_ref().and_then(record::stored_msg))
}

/// The last allocated seq of `cid` (0 when nothing was ever stored).
pub async fn max_seq(store: &dyn Store, t: &TenantId, cid: &str) -> ImResult<i64> {
    let item = store.get(&keys::seq_head(t, cid), Consistency::Strong).await?;
    Ok(item.and_then(|i| i.n(attr::MAX)).unwrap_or(0))
}
