//! The transfer consumer (`Topic::Transfer`): the work after a message is stored.
//!
//! For each queue message, once per ID (claimed in the store on an at-least-once queue; see
//! [`Delivery`] for the in-process queue):
//! 1. the first message of a chat conversation (seq 1) creates the conversation rows — both
//!    parties for single/notification chats, every member for groups (OpenIM's msgtransfer does
//!    this on a new conversation), each logged in the owner's conversation version log;
//! 2. a notification sent with `isSendMsg` is copied into the chat conversation (stored with its
//!    own seq; the copy is idempotent through the clientMsgID window of the seq head);
//! 3. the push of the message (and of the copy) is enqueued on `Topic::Push`;
//! 4. a stored chat message counts in the daily statistics and gets its entry in the day's
//!    search log (`crate::search`); on the in-process queue in guarded transactions shared by
//!    the batch's messages (one per message when a shared one fails) — a message whose own
//!    transaction fails is retried as a bookkeeping-only queue message (so the push is not).
//!
//! Rows exist before the push goes out, so a client that reacts to the push by fetching the
//! conversation finds it.

use std::collections::BTreeMap;

use im_conversation::record::ConversationRecord;
use im_domain::constants::session_type;
use im_domain::ids;
use im_domain::ports::{QueueMessage, Topic};
use im_domain::store::{Condition, Key, StoreError, WriteOp};
use im_domain::{ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;
use tokio::task::JoinSet;

use crate::groups_in_order::GroupsInOrder;
use crate::options::{self, key};
use crate::pipeline::{CloneOpts, PipelineMsg};
use crate::send::is_two_party;
use crate::{Delivery, Messaging, dedupe, search, seq, stats};

/// Name of this consumer's topic in idempotency records.
pub const TOPIC: &str = "transfer";

/// Longest wait for room to requeue a failed bookkeeping step (in-process queue).
const REQUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Processes a batch; returns the IDs of the messages that failed (to be redelivered).
pub async fn handle(m: &Messaging, msgs: Vec<QueueMessage>) -> Vec<String> {
    let n = msgs.len();
    let mut tasks = JoinSet::new();
    for qm in msgs {
        let m = m.clone();
        tasks.spawn(async move {
            let result = once(&m, &qm).await;
            if let Err(e) = &result {
                tracing::warn!(id = %qm.id, error = %e, "transfer failed; the message will be redelivered");
            }
            (qm.id, result)
        });
    }
    let mut failed = Vec::new();
    let mut pending = Vec::with_capacity(n);
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, Ok(None))) => {}
            Ok((id, Ok(Some(p)))) => pending.push((id, p)),
            Ok((id, Err(_))) => failed.push(id),
            Err(e) => tracing::error!(error = %e, "transfer task panicked"),
        }
    }
    failed.extend(bookkeep_all(m, pending).await);
    failed
}

/// Messages whose bookkeeping shares one transaction: each brings one search-log entry and at
/// most two counter increments, so 30 stay within a transaction's 100 items.
const BOOKKEEPING_PER_TRANSACTION: usize = 30;

/// Writes the bookkeeping of a batch's messages ([`Delivery::RetryOnFailure`]), 30 messages per
/// transaction (increments of one counter merged). A shared transaction either applies whole or
/// not at all, so when it fails each of its messages is retried alone ([`bookkeeping`], guarded
/// by its search entry, counts nothing twice). A message whose own transaction fails is requeued
/// as bookkeeping-only, or reported failed if it already is one. Returns the failed IDs.
async fn bookkeep_all(m: &Messaging, pending: Vec<(String, PipelineMsg)>) -> Vec<String> {
    // The chunks' transactions run concurrently (so they share a group commit of the embedded
    // store instead of waiting for one each).
    let chunks = pending.chunks(BOOKKEEPING_PER_TRANSACTION).map(|chunk| bookkeep_chunk(m, chunk));
    futures_util::future::join_all(chunks).await.into_iter().flatten().collect()
}

/// [`bookkeep_all`] of one chunk; the failed IDs.
async fn bookkeep_chunk(m: &Messaging, chunk: &[(String, PipelineMsg)]) -> Vec<String> {
    let mut failed = Vec::new();
    let all: Vec<&PipelineMsg> = chunk.iter().map(|(_, p)| p).collect();
    if all.len() > 1 && bookkeeping(m, &all).await.is_ok() {
        return failed;
    }
    for (id, p) in chunk {
        let Err(e) = bookkeeping(m, &[p]).await else { continue };
        if p.bookkeeping_only {
            tracing::warn!(id = %id, error = %e, "transfer bookkeeping failed; the message will be redelivered");
            failed.push(id.clone());
        } else {
            tracing::warn!(id = %p.id(), error = %e, "transfer bookkeeping failed; retried on its own");
            requeue_bookkeeping(m, p).await;
        }
    }
    failed
}

/// The statistics increments and search-log entries of stored chat messages, in one
/// transaction: the entries first, each put only if it does not exist yet, then one increment
/// per counter. (Messages that count in the statistics are exactly the searchable ones.) For a
/// single message, a cancellation on its entry alone means an earlier write whose
/// acknowledgement was lost already did it, so nothing counts twice.
async fn bookkeeping(m: &Messaging, msgs: &[&PipelineMsg]) -> ImResult<()> {
    // Counters in order of first appearance.
    let mut counters: GroupsInOrder<Key, i64> = GroupsInOrder::with_capacity(msgs.len());
    let mut ops = Vec::with_capacity(msgs.len() * 2);
    for p in msgs {
        let Some(entry) = search::entry(&p.tenant, &p.conversation_id, &p.msg) else { continue };
        ops.push(WriteOp::Put { item: entry, condition: Some(Condition::ItemNotExists) });
        for key in stats::counter_keys(&p.tenant, &p.msg) {
            *counters.entry(key) += 1;
        }
    }
    if ops.is_empty() {
        return Ok(());
    }
    let single = ops.len() == 1;
    ops.extend(counters.into_groups().into_iter().map(|(key, n)| WriteOp::Update {
        key,
        update: stats::add(n),
        condition: None,
    }));
    match m.store().transact_write(ops).await {
        Ok(()) => Ok(()),
        Err(StoreError::TransactionCanceled { failed }) if single && failed == [0] => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Queues the bookkeeping of `p` as a message of its own (its push is done).
async fn requeue_bookkeeping(m: &Messaging, p: &PipelineMsg) {
    let mut rest = p.clone();
    rest.clone = None;
    rest.bookkeeping_only = true;
    let encoded = match rest.encode() {
        Ok(qm) => qm,
        Err(e) => {
            tracing::error!(id = %p.id(), error = %e, "statistics and search entry dropped");
            return;
        }
    };
    // A bounded wait: this worker consumes the queue it sends to, so it must not wait for room
    // forever (a full queue whose every worker waits here would stall).
    match tokio::time::timeout(REQUEUE_WAIT, m.queue().send(Topic::Transfer, vec![encoded])).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(id = %p.id(), error = %e, "statistics and search entry dropped"),
        Err(_) => tracing::error!(id = %p.id(), "transfer queue full: statistics and search entry dropped"),
    }
}

/// Processes one queue message at most once. On the in-process queue
/// ([`Delivery::RetryOnFailure`]) a stored chat message's bookkeeping is left to the batch
/// ([`bookkeep_all`]): the message comes back.
async fn once(m: &Messaging, qm: &QueueMessage) -> ImResult<Option<PipelineMsg>> {
    let store = m.store().as_ref();
    let p = PipelineMsg::decode(store, qm).await?;
    if m.config().delivery == Delivery::RetryOnFailure {
        return process(m, qm, p).await;
    }
    match dedupe::claim(store, &p.tenant, TOPIC, &qm.id, m.now_ms()).await? {
        dedupe::Claim::Done => return Ok(None),
        dedupe::Claim::Busy => {
            return Err(im_domain::ImError::new(im_domain::ErrCode::Database, "in progress elsewhere"));
        }
        dedupe::Claim::Run => {}
    }
    let tenant = p.tenant.clone();
    match process(m, qm, p).await {
        Ok(_) => dedupe::finish(store, &tenant, TOPIC, &qm.id).await.map(|()| None),
        Err(e) => {
            dedupe::release(store, &tenant, TOPIC, &qm.id).await;
            Err(e)
        }
    }
}

/// The transfer work of `p` (which `qm` carried). Returns `p` when its bookkeeping is still to
/// be written (in-process queue only).
async fn process(m: &Messaging, qm: &QueueMessage, p: PipelineMsg) -> ImResult<Option<PipelineMsg>> {
    let t = &p.tenant;
    if p.bookkeeping_only {
        return Ok(Some(p));
    }
    let notification = options::is_notification(&p.msg.options);
    if !notification {
        ensure_rows(m, t, &p.conversation_id, &p.msg).await?;
    }
    let mut pushes = Vec::with_capacity(2);
    // The notification goes out before its chat-conversation copy, so clients sync the
    // change it announces (e.g. the joined group) before they see the copy. Without a copy,
    // the push carries exactly what this queue message did.
    if p.clone.is_none() {
        pushes.push(QueueMessage { id: p.id(), body: qm.body.clone() });
    } else {
        let mut original = p.clone();
        original.clone = None;
        pushes.push(original.encode()?);
    }
    if let (true, Some(opts)) = (notification, p.clone)
        && let Some(copy) = store_copy(m, t, &p.msg, opts).await?
    {
        let mut cp = PipelineMsg::new(t.clone(), copy.0, copy.1);
        cp.operation_id = p.operation_id.clone();
        cp.origin_conn = p.origin_conn.clone();
        cp.recipients = p.recipients.clone();
        pushes.push(cp.encode()?);
    }
    m.queue().send(Topic::Push, pushes).await?;
    if notification {
        return Ok(None);
    }
    match m.config().delivery {
        // Claims guard against repeats: push as early as possible, then the bookkeeping.
        Delivery::AtLeastOnce => {
            let store = m.store().as_ref();
            tokio::try_join!(stats::record(store, t, &p.msg), search::record(store, t, &p.conversation_id, &p.msg))?;
            Ok(None)
        }
        // No claims: once the push is handed over, nothing may fail this message (a retry
        // would push again). The bookkeeping is left to the batch (`bookkeep_all`).
        Delivery::RetryOnFailure => Ok(Some(p)),
    }
}

/// Creates the conversation rows on a conversation's first message.
async fn ensure_rows(m: &Messaging, t: &TenantId, cid: &str, msg: &MsgData) -> ImResult<()> {
    if msg.seq != 1 {
        return Ok(());
    }
    let repo = m.conversations();
    match msg.session_type {
        session_type::SINGLE | session_type::NOTIFICATION => {
            repo.ensure_pair(t, cid, msg.session_type, &msg.send_id, &msg.recv_id).await?;
        }
        session_type::READ_GROUP => {
            let members = m.groups().member_ids(t, &msg.group_id).await?;
            let template = ConversationRecord::new(cid, session_type::READ_GROUP).with_group(msg.group_id.as_str());
            repo.ensure_rows(t, &members, &template).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Stores the chat-conversation copy of a notification sent with `isSendMsg` (OpenIM keeps only
/// offlinePush and unreadCount of the original's options); returns its conversation and message.
async fn store_copy(
    m: &Messaging,
    t: &TenantId,
    orig: &MsgData,
    opts: CloneOpts,
) -> ImResult<Option<(String, MsgData)>> {
    let Some(cid) = ids::chat_conversation_id(orig.session_type, &orig.send_id, &orig.recv_id, &orig.group_id) else {
        return Ok(None);
    };
    let mut options = BTreeMap::new();
    options::set(&mut options, key::OFFLINE_PUSH, opts.offline_push);
    options::set(&mut options, key::UNREAD_COUNT, opts.unread_count);
    let copy = MsgData { options, seq: 0, ..orig.clone() };
    let stored = seq::store_message(m.store().as_ref(), t, &cid, is_two_party(copy.session_type), copy).await?;
    ensure_rows(m, t, &cid, &stored.msg).await?;
    Ok(Some((cid, stored.msg)))
}
