//! The push consumer (`Topic::Push`): online delivery through the connection registry, and
//! offline push for recipients without an online mobile device (reference §5.4, §6.5 step 6).
//!
//! Recipients: the explicit list of the queue message if it has one; otherwise single and
//! notification chats go to `recvID` plus — with `senderSync` (default on) — the sender's other
//! devices, and group chats to every member. Each recipient's live connections (`CONN#<userID>`
//! records, or the in-process gateway's own list when it holds every connection) get one 2001
//! frame whose payload is a `PushMessages` with this one message (under
//! `notificationMsgs` for `n_…` conversations). The sending device itself and iOS connections in
//! background are skipped; a connection that is gone loses its record.
//!
//! Offline push (when the message's `offlinePush` is on) goes to recipients other than the sender
//! that no mobile device received online; in groups, only to members whose conversation
//! `recvMsgOpt` is 0.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use im_domain::constants::{msg_status, platform, recv_msg_opt, session_type};
use im_domain::ids;
use im_domain::ports::QueueMessage;
use im_domain::{ImResult, TenantId};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, ConnectionRegistry, PUSH_MSG, PostOutcome, ServerFrame};
use im_wire::pb::sdkws::{MsgData, PullMsgs, PushMessages};
use prost::Message as _;
use tokio::task::JoinSet;

use crate::groups_in_order::GroupsInOrder;
use crate::options::{self, key};
use crate::pipeline::PipelineMsg;
use crate::{Delivery, Messaging, dedupe};

/// Name of this consumer's topic in idempotency records.
pub const TOPIC: &str = "push";

/// Recipients handled concurrently by one push.
const FANOUT: usize = 64;

/// Up to this many recipients are pushed from the message's own task; more get a task each
/// (at most [`FANOUT`] at a time) so a large group's pushes spread over the worker threads.
const INLINE_RECIPIENTS: usize = 8;

/// Offline push (APNs/FCM/… in OpenIM's push service).
#[async_trait]
pub trait OfflinePusher: Send + Sync {
    /// Notifies `user_ids` of `msg` outside the app.
    async fn push(&self, tenant: &TenantId, user_ids: &[String], msg: &MsgData) -> ImResult<()>;
}

/// An offline pusher that only logs (OpenIM's `dummy` provider).
#[derive(Debug, Default, Clone, Copy)]
pub struct LogOfflinePush;

#[async_trait]
impl OfflinePusher for LogOfflinePush {
    async fn push(&self, tenant: &TenantId, user_ids: &[String], msg: &MsgData) -> ImResult<()> {
        tracing::info!(
            tenant = %tenant,
            users = user_ids.len(),
            client_msg_id = %msg.client_msg_id,
            title = msg.offline_push_info.as_ref().map(|i| i.title.as_str()).unwrap_or_default(),
            "offline push"
        );
        Ok(())
    }
}

/// A connection pusher for deployments without a gateway: every connection is gone.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoGateway;

#[async_trait]
impl ConnectionPusher for NoGateway {
    async fn post(&self, _: &TenantId, _: &ConnectionRecord, _: &ServerFrame) -> ImResult<PostOutcome> {
        Ok(PostOutcome::Gone)
    }
    async fn close(&self, _: &TenantId, _: &ConnectionRecord) -> ImResult<PostOutcome> {
        Ok(PostOutcome::Gone)
    }
}

/// What the push consumer delivers through.
#[derive(Clone)]
pub struct Pushers {
    /// Live connections.
    pub registry: ConnectionRegistry,
    /// Online delivery.
    pub online: Arc<dyn ConnectionPusher>,
    /// Offline delivery.
    pub offline: Arc<dyn OfflinePusher>,
}

/// Processes a batch; returns the IDs of the messages that failed. Messages of one chat
/// conversation (a notification and its chat-conversation copy count as one) are pushed in batch
/// order; different conversations are pushed concurrently.
pub async fn handle(m: &Messaging, px: &Pushers, msgs: Vec<QueueMessage>) -> Vec<String> {
    let mut failed = Vec::new();
    // Lanes in order of first appearance (a batch is mostly distinct lanes).
    let mut lanes: GroupsInOrder<String, Vec<(String, PipelineMsg)>> = GroupsInOrder::with_capacity(msgs.len());
    for qm in msgs {
        match PipelineMsg::decode(m.store().as_ref(), &qm).await {
            Ok(p) => lanes.entry(lane_of(&p)).push((qm.id, p)),
            Err(e) => {
                tracing::warn!(id = %qm.id, error = %e, "push failed; the message will be redelivered");
                failed.push(qm.id);
            }
        }
    }
    let mut tasks = JoinSet::new();
    for (_, lane) in lanes.into_groups() {
        let (m, px) = (m.clone(), px.clone());
        tasks.spawn(async move {
            let mut failed = Vec::new();
            for (id, p) in lane {
                if let Err(e) = once(&m, &px, &id, &p).await {
                    tracing::warn!(id = %id, error = %e, "push failed; the message will be redelivered");
                    failed.push(id);
                }
            }
            failed
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(ids) => failed.extend(ids),
            Err(e) => tracing::error!(error = %e, "push task panicked"),
        }
    }
    failed
}

/// The ordering lane of a message: its chat conversation (shared by a notification and its copy).
fn lane_of(p: &PipelineMsg) -> String {
    let msg = &p.msg;
    ids::chat_conversation_id(msg.session_type, &msg.send_id, &msg.recv_id, &msg.group_id)
        .unwrap_or_else(|| p.conversation_id.clone())
}

async fn once(m: &Messaging, px: &Pushers, id: &str, p: &PipelineMsg) -> ImResult<()> {
    if m.config().delivery == Delivery::RetryOnFailure {
        return deliver(m, px, p).await;
    }
    let store = m.store().as_ref();
    match dedupe::claim(store, &p.tenant, TOPIC, id, m.now_ms()).await? {
        dedupe::Claim::Done => return Ok(()),
        dedupe::Claim::Busy => {
            return Err(im_domain::ImError::new(im_domain::ErrCode::Database, "in progress elsewhere"));
        }
        dedupe::Claim::Run => {}
    }
    match deliver(m, px, p).await {
        Ok(()) => dedupe::finish(store, &p.tenant, TOPIC, id).await,
        Err(e) => {
            dedupe::release(store, &p.tenant, TOPIC, id).await;
            Err(e)
        }
    }
}

/// The users a message is pushed to.
pub async fn recipients(m: &Messaging, p: &PipelineMsg) -> ImResult<Vec<String>> {
    if let Some(r) = &p.recipients {
        return Ok(r.clone());
    }
    let msg = &p.msg;
    let sender_sync = options::is(&msg.options, key::SENDER_SYNC);
    let mut users = match msg.session_type {
        session_type::SINGLE | session_type::NOTIFICATION => {
            let mut v = vec![msg.recv_id.clone()];
            if msg.send_id != msg.recv_id {
                v.push(msg.send_id.clone());
            }
            v
        }
        session_type::READ_GROUP => m.groups().member_ids(&p.tenant, &msg.group_id).await?,
        _ => Vec::new(),
    };
    if !sender_sync {
        users.retain(|u| *u != msg.send_id || *u == msg.recv_id);
    }
    let mut seen = HashSet::new();
    users.retain(|u| !u.is_empty() && seen.insert(u.clone()));
    Ok(users)
}

/// The 2001 payload for `msg` of conversation `cid` (a message still marked sending goes out as
/// sent, as OpenIM's push does).
pub fn push_payload(cid: &str, msg: &MsgData) -> PushMessages {
    let mut msg = msg.clone();
    if msg.status == msg_status::SENDING {
        msg.status = msg_status::SUCCESS;
    }
    let entry = PullMsgs { msgs: vec![msg], is_end: false, end_seq: 0 };
    let one = BTreeMap::from([(cid.to_string(), entry)]);
    if ids::is_notification_conversation(cid) {
        PushMessages { msgs: BTreeMap::new(), notification_msgs: one }
    } else {
        PushMessages { msgs: one, notification_msgs: BTreeMap::new() }
    }
}

async fn deliver(m: &Messaging, px: &Pushers, p: &PipelineMsg) -> ImResult<()> {
    let users = recipients(m, p).await?;
    let frame = Arc::new(ServerFrame {
        req_identifier: PUSH_MSG,
        operation_id: p.operation_id.clone(),
        data: push_payload(&p.conversation_id, &p.msg).encode_to_vec(),
    });
    let offline_wanted = options::is(&p.msg.options, key::OFFLINE_PUSH);
    let mut offline = Vec::new();
    let mut note = |user: String, reached: ImResult<bool>| -> ImResult<()> {
        if !reached? && offline_wanted && user != p.msg.send_id {
            offline.push(user);
        }
        Ok(())
    };
    if users.len() <= INLINE_RECIPIENTS {
        // A few recipients (a 1:1 message: the peer and the sender's other devices): pushed
        // concurrently within this task, without a task each.
        let pushes = users.iter().map(|user| online(px, &p.tenant, user, &frame, &p.origin_conn));
        for (user, reached) in users.iter().zip(futures_util::future::join_all(pushes).await) {
            note(user.clone(), reached)?;
        }
    } else {
        // At most FANOUT recipients in flight; a finished one makes room for the next.
        let mut pending = users.into_iter();
        let mut tasks = JoinSet::new();
        loop {
            while tasks.len() < FANOUT {
                let Some(user) = pending.next() else { break };
                let (px, frame, t, origin) = (px.clone(), frame.clone(), p.tenant.clone(), p.origin_conn.clone());
                tasks.spawn(async move {
                    let reached = online(&px, &t, &user, &frame, &origin).await;
                    (user, reached)
                });
            }
            let Some(joined) = tasks.join_next().await else { break };
            let Ok((user, reached)) = joined else { continue };
            note(user, reached)?;
        }
    }
    if offline.is_empty() {
        return Ok(());
    }
    if p.msg.session_type == session_type::READ_GROUP {
        let rows = m.conversations().rows_of(&p.tenant, &p.conversation_id, &offline).await?;
        let muted: HashSet<String> =
            rows.into_iter().filter(|r| r.recv_msg_opt != recv_msg_opt::NORMAL).map(|r| r.owner_user_id).collect();
        offline.retain(|u| !muted.contains(u));
    }
    if !offline.is_empty() {
        offline.sort();
        if let Err(e) = px.offline.push(&p.tenant, &offline, &p.msg).await {
            tracing::warn!(error = %e, "offline push failed");
        }
    }
    Ok(())
}

/// Pushes `frame` to `user`'s live connections (except `origin`); `Ok(true)` when a mobile
/// device received it.
async fn online(px: &Pushers, t: &TenantId, user: &str, frame: &ServerFrame, origin: &str) -> ImResult<bool> {
    let mut mobile = false;
    let conns = match px.online.live_connections(t, user) {
        Some(live) => live,
        None => px.registry.list(t, user).await?,
    };
    for conn in conns {
        if !origin.is_empty() && conn.conn_id == origin {
            continue;
        }
        if conn.platform_id == platform::IOS && conn.background {
            continue;
        }
        match px.online.post(t, &conn, frame).await {
            Ok(PostOutcome::Delivered) => {
                mobile |= platform::class(conn.platform_id) == Some(platform::Class::Mobile);
            }
            Ok(PostOutcome::Gone) => {
                if let Err(e) = px.registry.remove(t, user, &conn.conn_id).await {
                    tracing::warn!(user, conn = %conn.conn_id, error = %e, "removing a gone connection failed");
                }
            }
            Err(e) => tracing::warn!(user, conn = %conn.conn_id, error = %e, "push to a connection failed"),
        }
    }
    Ok(mobile)
}
