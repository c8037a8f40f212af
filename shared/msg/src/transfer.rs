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
//!    search log (`crate::search`); on the in-process queue in one guarded transaction that,
//!    when it fails, is retried as a bookkeeping-only queue message (so the push is not).
//!
//! Rows exist before the push goes out, so a client that reacts to the push by fetching the
//! conversation finds it.

use std::collections::BTreeMap;

use im_conversation::record::ConversationRecord;
use im_domain::constants::session_type;
use im_domain::ids;
use im_domain::ports::{QueueMessage, Topic};
use im_domain::store::{Condition, StoreError, WriteOp};
use im_domain::{ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;
use tokio::task::JoinSet;

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
    let mut tasks = JoinSet::new();
    for qm in msgs {
        let m = m.clone();
        tasks.spawn(async move {
            let result = once(&m, &qm).await;
            if let Err(e) = &result {
                tracing::warn!(id = %qm.id, error = %e, "transfer failed; the message will be redelivered");
            }
            (qm.id, result.is_ok())
        });
    }
    let mut failed = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((_, true)) => {}
            Ok((id, false)) => failed.push(id),
            Err(e) => tracing::error!(error = %e, "transfer task panicked"),
        }
    }
    failed
}

/// Processes one queue message at most once.
async fn once(m: &Messaging, qm: &QueueMessage) -> ImResult<()> {
    let store = m.store().as_ref();
    let p = PipelineMsg::decode(store, qm).await?;
    if m.config().delivery == Delivery::RetryOnFailure {
        return process(m, &p).await;
    }
    match dedupe::claim(store, &p.tenant, TOPIC, &qm.id, m.now_ms()).await? {
        dedupe::Claim::Done => return Ok(()),
        dedupe::Claim::Busy => {
            return Err(im_domain::ImError::new(im_domain::ErrCode::Database, "in progress elsewhere"));
        }
        dedupe::Claim::Run => {}
    }
    match process(m, &p).await {
        Ok(()) => dedupe::finish(store, &p.tenant, TOPIC, &qm.id).await,
        Err(e) => {
            dedupe::release(store, &p.tenant, TOPIC, &qm.id).await;
            Err(e)
        }
    }
}

async fn process(m: &Messaging, p: &PipelineMsg) -> ImResult<()> {
    let t = &p.tenant;
    if p.bookkeeping_only {
        return bookkeeping(m, t, &p.conversation_id, &p.msg).await;
    }
    let notification = options::is_notification(&p.msg.options);
    if !notification {
        ensure_rows(m, t, &p.conversation_id, &p.msg).await?;
    }
    let mut pushes = Vec::with_capacity(2);
    // The notification goes out before its chat-conversation copy, so clients sync the
    // change it announces (e.g. the joined group) before they see the copy.
    let mut original = p.clone();
    original.clone = None;
    pushes.push(original.encode()?);
    if let (true, Some(opts)) = (notification, p.clone)
        && let Some(copy) = store_copy(m, t, &p.msg, opts).await?
    {
        let mut cp = PipelineMsg::new(t.clone(), copy.0, copy.1);
        cp.operation_id = p.operation_id.clone();
        cp.origin_conn = p.origin_conn.clone();
        cp.recipients = p.recipients.clone();
        pushes.push(cp.encode()?);
    }
    if notification {
        return m.queue().send(Topic::Push, pushes).await;
    }
    match m.config().delivery {
        // Claims guard against repeats: push as early as possible, then the bookkeeping.
        Delivery::AtLeastOnce => {
            m.queue().send(Topic::Push, pushes).await?;
            let store = m.store().as_ref();
            tokio::try_join!(stats::record(store, t, &p.msg), search::record(store, t, &p.conversation_id, &p.msg))?;
        }
        // No claims: once the push is handed over, nothing may fail this message (a retry
        // would push again). The bookkeeping is one guarded transaction; if it fails, it is
        // retried as a queue message of its own.
        Delivery::RetryOnFailure => {
            m.queue().send(Topic::Push, pushes).await?;
            if let Err(e) = bookkeeping(m, t, &p.conversation_id, &p.msg).await {
                tracing::warn!(id = %p.id(), error = %e, "transfer bookkeeping failed; retried on its own");
                let mut rest = p.clone();
                rest.clone = None;
                rest.bookkeeping_only = true;
                // A bounded wait: this worker consumes the queue it sends to, so it must not
                // wait for room forever (a full queue whose every worker waits here would stall).
                let requeue = m.queue().send(Topic::Transfer, vec![rest.encode()?]);
                match tokio::time::timeout(REQUEUE_WAIT, requeue).await {
                    Ok(sent) => sent?,
                    Err(_) => tracing::error!(id = %p.id(), "transfer queue full: statistics and search entry dropped"),
                }
            }
        }
    }
    Ok(())
}

/// The statistics increments and the search-log entry of a stored chat message, in one
/// transaction that is applied once: the entry is put only if it does not exist yet, so a retry
/// after a write whose acknowledgement was lost finds it and counts nothing twice. (Messages
/// that count in the statistics are exactly the searchable ones.)
async fn bookkeeping(m: &Messaging, t: &TenantId, cid: &str, msg: &MsgData) -> ImResult<()> {
    let Some(entry) = search::entry(t, cid, msg) else { return Ok(()) };
    let mut ops = stats::increments(t, msg);
    let guard = ops.len();
    ops.push(WriteOp::Put { item: entry, condition: Some(Condition::ItemNotExists) });
    match m.store().transact_write(ops).await {
        Ok(()) => Ok(()),
        Err(StoreError::TransactionCanceled { failed }) if failed == [guard] => Ok(()),
        Err(e) => Err(e.into()),
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
