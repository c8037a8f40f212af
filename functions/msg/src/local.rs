//! The messaging module running in one process (im-server): the in-process queue
//! (`im_adapters::inproc_queue`) with the transfer and push consumers as its workers, the `/msg`
//! routes, the [`Notifier`] for the other modules, and the adapter behind the WebSocket gateway's
//! reqIdentifiers 1001–1007.
//!
//! Relation, group and delivery answers come in as [`Peers`]: [`Peers::repos`] reads the friend
//! and group modules' items on the same store (what every deployment uses); [`Peers::stubs`]
//! (nobody blocked, no group) is for tests of the messaging paths alone.
//!
//! [`LocalMessaging::external`] runs the same module on an outside queue (SQS): sends enqueue
//! there and the transfer and push stages run elsewhere (the pipeline Lambdas).

use std::sync::Arc;

use async_trait::async_trait;
use im_adapters::inproc_queue::{InProcQueue, QueueOptions, handler};
use im_domain::clock::Env;
use im_domain::ports::{GroupQuery, NoRelations, Notifier, Queue, QueueMessage, RelationQuery, Topic};
use im_domain::store::DynStore;
use im_domain::{ImError, ImResult};
use im_gateway::{MessageService, RequestCtx};
use im_http::App;
use im_msg::push::{LogOfflinePush, NoGateway, OfflinePusher, Pushers};
use im_msg::{Delivery, Messaging, MsgConfig, MsgDeps, MsgNotifier, NoGroups, SendCtx, push, transfer};
use im_repo::connection::{ConnectionPusher, ConnectionRegistry};
use im_wire::pb::msg::{
    GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetLastMessageReq, GetLastMessageResp,
    GetSeqMessageReq, GetSeqMessageResp, SendMsgResp,
};
use im_wire::pb::sdkws::{GetMaxSeqReq, GetMaxSeqResp, MsgData, PullMessageBySeqsReq, PullMessageBySeqsResp};

use crate::MsgState;

/// The in-process pipeline queue: up to 64 messages per batch and 48 workers per stage, so up
/// to 3,072 messages per stage are in flight and their store writes share group commits. A
/// transfer worker waits for its batch's bookkeeping commit before it takes the next batch, so
/// a stage carries at most (workers × batch) messages per commit cycle (~35–70 ms at the
/// closed-loop maximum): 16 workers (1,024 in flight) held the transfer stage near 15k msgs/s
/// with its queue full and send→push at ~700 ms; 48 bring send→push to ~190 ms at the same
/// throughput. A stage holds 8,192 waiting messages before sends wait for room: under
/// sustained overload, senders slow down instead of deliveries falling seconds behind (65,536
/// let send→push reach 2–4 s in the closed-loop benchmark).
pub const PIPELINE_QUEUE: QueueOptions = QueueOptions {
    capacity: 8_192,
    batch: 64,
    workers: 48,
    max_attempts: 8,
    retry_delay: std::time::Duration::from_millis(100),
};

/// What the messaging module asks of the rest of the system.
#[derive(Clone)]
pub struct Peers {
    /// Blacklist and friendship answers (the friend module).
    pub relations: Arc<dyn RelationQuery>,
    /// Group answers (the group module).
    pub groups: Arc<dyn GroupQuery>,
    /// Online delivery to WebSocket connections (the gateway).
    pub pusher: Arc<dyn ConnectionPusher>,
    /// Offline push.
    pub offline: Arc<dyn OfflinePusher>,
}

impl Peers {
    /// Stand-ins: no relations, no groups, no gateway, offline pushes logged.
    pub fn stubs() -> Self {
        Peers {
            relations: Arc::new(NoRelations),
            groups: Arc::new(NoGroups),
            pusher: Arc::new(NoGateway),
            offline: Arc::new(LogOfflinePush),
        }
    }

    /// The friend and group repositories on `store` (blacklist, friend verification, group
    /// membership and mutes are enforced); no gateway, offline pushes logged.
    pub fn repos(store: &DynStore) -> Self {
        Peers {
            relations: Arc::new(im_friend::RelationRepo::new(store.clone())),
            groups: Arc::new(im_group::GroupRepo::new(store.clone())),
            ..Peers::stubs()
        }
    }

    /// The same, delivering online through `pusher`.
    pub fn with_pusher(mut self, pusher: Arc<dyn ConnectionPusher>) -> Self {
        self.pusher = pusher;
        self
    }
}

/// The messaging module on the in-process queue, consumers running — or on an outside queue
/// ([`LocalMessaging::external`]), whose consumers run elsewhere.
#[derive(Clone)]
pub struct LocalMessaging {
    messaging: Messaging,
    queue: InProcQueue,
}

impl LocalMessaging {
    /// Starts the module on `store` (must run inside a tokio runtime: the consumers are tasks).
    ///
    /// The consumers run with [`Delivery::RetryOnFailure`] (what the in-process queue
    /// guarantees), whatever `config.delivery` says.
    pub fn start(store: DynStore, env: Env, mut config: MsgConfig, peers: Peers) -> ImResult<Self> {
        config.delivery = Delivery::RetryOnFailure;
        let queue = InProcQueue::new(PIPELINE_QUEUE);
        let messaging = Messaging::new(MsgDeps {
            store: store.clone(),
            env: env.clone(),
            queue: Arc::new(queue.clone()),
            relations: peers.relations,
            groups: peers.groups,
            config,
        });
        let m = messaging.clone();
        queue.consume(
            Topic::Transfer,
            handler(move |msgs: Vec<QueueMessage>| {
                let m = m.clone();
                async move { transfer::handle(&m, msgs).await }
            }),
        )?;
        let pushers = Pushers {
            registry: ConnectionRegistry::new(store, env.clock.clone()),
            online: peers.pusher,
            offline: peers.offline,
        };
        let m = messaging.clone();
        queue.consume(
            Topic::Push,
            handler(move |msgs: Vec<QueueMessage>| {
                let (m, px) = (m.clone(), pushers.clone());
                async move { push::handle(&m, &px, msgs).await }
            }),
        )?;
        Ok(LocalMessaging { messaging, queue })
    }

    /// The module on an outside `queue` (SQS): sends enqueue there; no consumer runs here, so
    /// [`LocalMessaging::queue`] stays idle (`peers.pusher` and `peers.offline` are unused: the
    /// push stage delivers).
    pub fn external(store: DynStore, env: Env, config: MsgConfig, peers: Peers, queue: Arc<dyn Queue>) -> Self {
        let messaging =
            Messaging::new(MsgDeps { store, env, queue, relations: peers.relations, groups: peers.groups, config });
        LocalMessaging { messaging, queue: InProcQueue::new(QueueOptions::default()) }
    }

    /// The module.
    pub fn messaging(&self) -> &Messaging {
        &self.messaging
    }

    /// The queue (tests wait on [`InProcQueue::idle`]).
    pub fn queue(&self) -> &InProcQueue {
        &self.queue
    }

    /// The notifier the friend, group, user and conversation modules send through.
    pub fn notifier(&self) -> Arc<dyn Notifier> {
        Arc::new(MsgNotifier::new(self.messaging.clone()))
    }

    /// The service behind the WebSocket gateway's reqIdentifiers 1001–1007.
    pub fn gateway_service(&self) -> Arc<dyn MessageService> {
        Arc::new(GatewayMessaging(self.messaging.clone()))
    }

    /// Mounts the `/msg` routes on `app`.
    pub fn mount(&self, app: App) -> App {
        crate::mount(app, MsgState { messaging: self.messaging.clone() })
    }
}

/// im-server's wiring in one call: starts the module with the admin list and `peers` on the
/// in-process queue, mounts the `/msg` routes, and returns the handle (notifier, gateway service).
pub fn mount(app: App, store: DynStore, admin_user_ids: &[String], peers: Peers) -> ImResult<(App, LocalMessaging)> {
    mount_on(app, store, admin_user_ids, peers, None)
}

/// [`mount`], on `queue` when given ([`LocalMessaging::external`]: the pipeline runs in the
/// transfer and push Lambdas), else on the in-process queue with its consumers.
pub fn mount_on(
    app: App,
    store: DynStore,
    admin_user_ids: &[String],
    peers: Peers,
    queue: Option<Arc<dyn Queue>>,
) -> ImResult<(App, LocalMessaging)> {
    let config = MsgConfig { admin_user_ids: admin_user_ids.to_vec(), ..MsgConfig::default() };
    let local = match queue {
        Some(q) => LocalMessaging::external(store, Env::system(), config, peers, q),
        None => LocalMessaging::start(store, Env::system(), config, peers)?,
    };
    Ok((local.mount(app), local))
}

/// The messaging module as the gateway's [`MessageService`].
pub struct GatewayMessaging(pub Messaging);

/// The user a request acts for: its `userID` (the gateway checked it is the caller unless an
/// admin), or the connection's user when empty.
fn acting<'a>(ctx: &'a RequestCtx, user_id: &'a str) -> &'a str {
    if user_id.is_empty() { &ctx.user_id } else { user_id }
}

#[async_trait]
impl MessageService for GatewayMessaging {
    async fn newest_seq(&self, ctx: &RequestCtx, req: GetMaxSeqReq) -> ImResult<GetMaxSeqResp> {
        self.0.newest_seq(&ctx.tenant, acting(ctx, &req.user_id)).await
    }

    async fn pull_by_range(&self, ctx: &RequestCtx, req: PullMessageBySeqsReq) -> ImResult<PullMessageBySeqsResp> {
        self.0.pull_by_range(&ctx.tenant, acting(ctx, &req.user_id), &req).await
    }

    /// OpenIM does not check that `sendID` is the connection's user ([quirk] §5.3); here a
    /// non-admin may only send as themselves (1002).
    async fn send(&self, ctx: &RequestCtx, msg: MsgData) -> ImResult<SendMsgResp> {
        if !ctx.is_admin && msg.send_id != ctx.user_id {
            return Err(ImError::no_permission("sendID must be the connection's user"));
        }
        let send_ctx =
            SendCtx { operation_id: ctx.operation_id.clone(), origin_conn: ctx.conn_id.clone(), recipients: None };
        Ok(self.0.send(&ctx.tenant, &send_ctx, msg).await?.to_resp())
    }

    async fn pull_by_seqs(&self, ctx: &RequestCtx, req: GetSeqMessageReq) -> ImResult<GetSeqMessageResp> {
        self.0.pull_by_seqs(&ctx.tenant, acting(ctx, &req.user_id), &req).await
    }

    async fn has_read_and_max_seq(
        &self,
        ctx: &RequestCtx,
        req: GetConversationsHasReadAndMaxSeqReq,
    ) -> ImResult<GetConversationsHasReadAndMaxSeqResp> {
        self.0.has_read_and_max_seq(&ctx.tenant, acting(ctx, &req.user_id), &req).await
    }

    async fn last_messages(&self, ctx: &RequestCtx, req: GetLastMessageReq) -> ImResult<GetLastMessageResp> {
        self.0.last_messages(&ctx.tenant, acting(ctx, &req.user_id), &req.conversation_ids).await
    }
}
