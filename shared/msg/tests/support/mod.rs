//! Test doubles and a wired-up messaging module: fake relation and group answers, a recording
//! connection pusher and offline pusher, and the in-process queue running the real consumers.

#![allow(dead_code)]

pub mod flaky;
pub mod scenarios;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_adapters::inproc_queue::{InProcQueue, QueueOptions, handler};
use im_domain::TenantId;
use im_domain::clock::{Env, ManualClock, RandomIdGen};
use im_domain::constants::group_role;
use im_domain::ports::{GroupQuery, GroupSummary, MemberSummary, RelationQuery, Topic};
use im_domain::store::DynStore;
use im_domain::{ImResult, ports::QueueMessage};
use im_msg::push::{OfflinePusher, Pushers};
use im_msg::{Messaging, MsgConfig, MsgDeps, push, transfer};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, ConnectionRegistry, PostOutcome, ServerFrame};
use im_repo::{UserRecord, UserRepo};
use im_wire::pb::sdkws::{MsgData, PushMessages};
use prost::Message as _;

/// Start of the test clock (2026-11-22T00:00:00Z).
pub const T0: i64 = 1_795_315_200_000;

/// Blocks and friendships set by the test.
#[derive(Default)]
pub struct FakeRelations {
    /// (owner, target) pairs: owner blocked target.
    pub blocks: Mutex<HashSet<(String, String)>>,
    /// (owner, target) pairs: target is owner's friend.
    pub friends: Mutex<HashSet<(String, String)>>,
}

#[async_trait]
impl RelationQuery for FakeRelations {
    async fn is_blocked(&self, _: &TenantId, owner: &str, target: &str) -> ImResult<bool> {
        Ok(self.blocks.lock().unwrap().contains(&(owner.to_string(), target.to_string())))
    }
    async fn is_friend(&self, _: &TenantId, owner: &str, target: &str) -> ImResult<bool> {
        Ok(self.friends.lock().unwrap().contains(&(owner.to_string(), target.to_string())))
    }
}

/// Groups and members set by the test.
#[derive(Default)]
pub struct FakeGroups {
    /// Groups by ID.
    pub groups: Mutex<HashMap<String, GroupSummary>>,
    /// Members by group, in join order.
    pub members: Mutex<HashMap<String, Vec<(String, MemberSummary)>>>,
}

impl FakeGroups {
    /// Adds a group whose first member is its owner.
    pub fn add(&self, group_id: &str, owner: &str, others: &[&str]) {
        self.groups.lock().unwrap().insert(
            group_id.to_string(),
            GroupSummary { group_id: group_id.into(), group_type: 2, ..GroupSummary::default() },
        );
        let mut list = vec![(owner.to_string(), MemberSummary { role_level: group_role::OWNER, mute_end_time: 0 })];
        list.extend(
            others
                .iter()
                .map(|u| (u.to_string(), MemberSummary { role_level: group_role::ORDINARY, mute_end_time: 0 })),
        );
        self.members.lock().unwrap().insert(group_id.to_string(), list);
    }

    /// Changes a group.
    pub fn set_group(&self, group_id: &str, f: impl FnOnce(&mut GroupSummary)) {
        if let Some(g) = self.groups.lock().unwrap().get_mut(group_id) {
            f(g);
        }
    }

    /// Changes a member.
    pub fn set_member(&self, group_id: &str, user: &str, f: impl FnOnce(&mut MemberSummary)) {
        if let Some(list) = self.members.lock().unwrap().get_mut(group_id)
            && let Some((_, m)) = list.iter_mut().find(|(u, _)| u == user)
        {
            f(m);
        }
    }
}

#[async_trait]
impl GroupQuery for FakeGroups {
    async fn group(&self, _: &TenantId, group_id: &str) -> ImResult<Option<GroupSummary>> {
        Ok(self.groups.lock().unwrap().get(group_id).cloned())
    }
    async fn member(&self, _: &TenantId, group_id: &str, user_id: &str) -> ImResult<Option<MemberSummary>> {
        let members = self.members.lock().unwrap();
        Ok(members.get(group_id).and_then(|l| l.iter().find(|(u, _)| u == user_id).map(|(_, m)| m.clone())))
    }
    async fn member_ids(&self, _: &TenantId, group_id: &str) -> ImResult<Vec<String>> {
        let members = self.members.lock().unwrap();
        Ok(members.get(group_id).map(|l| l.iter().map(|(u, _)| u.clone()).collect()).unwrap_or_default())
    }
}

/// One frame a connection received.
#[derive(Debug, Clone)]
pub struct Pushed {
    /// Receiving user.
    pub user: String,
    /// Receiving connection.
    pub conn: String,
    /// The frame.
    pub frame: ServerFrame,
}

impl Pushed {
    /// The decoded 2001 payload.
    pub fn payload(&self) -> PushMessages {
        PushMessages::decode(self.frame.data.as_slice()).expect("push payload decodes")
    }
    /// The single message of the payload and its conversation.
    pub fn message(&self) -> (String, MsgData) {
        let p = self.payload();
        let (cid, msgs) = p.msgs.into_iter().chain(p.notification_msgs).next().expect("one conversation");
        (cid, msgs.msgs.into_iter().next().expect("one message"))
    }
}

/// Records frames; connections listed in `gone` answer Gone. With `live` set, it lists the
/// connections itself (as im-server's gateway does) instead of leaving that to the registry.
#[derive(Default)]
pub struct RecordingPusher {
    /// Frames delivered.
    pub frames: Mutex<Vec<Pushed>>,
    /// Connection IDs that are gone.
    pub gone: Mutex<HashSet<String>>,
    /// Every live connection by user, when this pusher holds them all.
    pub live: Mutex<Option<HashMap<String, Vec<ConnectionRecord>>>>,
}

impl RecordingPusher {
    /// Frames delivered so far.
    pub fn frames(&self) -> Vec<Pushed> {
        self.frames.lock().unwrap().clone()
    }
}

#[async_trait]
impl ConnectionPusher for RecordingPusher {
    async fn post(&self, _: &TenantId, record: &ConnectionRecord, frame: &ServerFrame) -> ImResult<PostOutcome> {
        if self.gone.lock().unwrap().contains(&record.conn_id) {
            return Ok(PostOutcome::Gone);
        }
        self.frames.lock().unwrap().push(Pushed {
            user: record.user_id.clone(),
            conn: record.conn_id.clone(),
            frame: frame.clone(),
        });
        Ok(PostOutcome::Delivered)
    }
    async fn close(&self, _: &TenantId, _: &ConnectionRecord) -> ImResult<PostOutcome> {
        Ok(PostOutcome::Delivered)
    }

    fn live_connections(&self, _: &TenantId, user_id: &str) -> Option<Vec<ConnectionRecord>> {
        let live = self.live.lock().unwrap();
        live.as_ref().map(|by_user| by_user.get(user_id).cloned().unwrap_or_default())
    }
}

/// Records offline pushes: (users, clientMsgID).
#[derive(Default)]
pub struct RecordingOffline {
    /// Calls so far.
    pub calls: Mutex<Vec<(Vec<String>, String)>>,
}

#[async_trait]
impl OfflinePusher for RecordingOffline {
    async fn push(&self, _: &TenantId, user_ids: &[String], msg: &MsgData) -> ImResult<()> {
        self.calls.lock().unwrap().push((user_ids.to_vec(), msg.client_msg_id.clone()));
        Ok(())
    }
}

/// A messaging module wired to fakes, with the in-process queue running the real consumers.
pub struct Harness {
    pub store: DynStore,
    pub clock: Arc<ManualClock>,
    pub env: Env,
    pub m: Messaging,
    pub queue: InProcQueue,
    pub relations: Arc<FakeRelations>,
    pub groups: Arc<FakeGroups>,
    pub pusher: Arc<RecordingPusher>,
    pub offline: Arc<RecordingOffline>,
    pub registry: ConnectionRegistry,
    pub pushers: Pushers,
    pub t: TenantId,
}

impl Harness {
    /// A harness on `store` with `config`; the consumers run unless `consumers` is false.
    pub fn with(store: DynStore, config: MsgConfig, consumers: bool) -> Harness {
        let clock = Arc::new(ManualClock::new(T0));
        let env = Env { clock: clock.clone(), ids: Arc::new(RandomIdGen::default()) };
        let queue = InProcQueue::new(QueueOptions::default());
        let relations = Arc::new(FakeRelations::default());
        let groups = Arc::new(FakeGroups::default());
        let m = Messaging::new(MsgDeps {
            store: store.clone(),
            env: env.clone(),
            queue: Arc::new(queue.clone()),
            relations: relations.clone(),
            groups: groups.clone(),
            config,
        });
        let pusher = Arc::new(RecordingPusher::default());
        let offline = Arc::new(RecordingOffline::default());
        let registry = ConnectionRegistry::new(store.clone(), clock.clone());
        let pushers = Pushers { registry: registry.clone(), online: pusher.clone(), offline: offline.clone() };
        if consumers {
            let mt = m.clone();
            queue
                .consume(
                    Topic::Transfer,
                    handler(move |msgs| {
                        let m = mt.clone();
                        async move { transfer::handle(&m, msgs).await }
                    }),
                )
                .expect("transfer consumer");
            let (mp, px) = (m.clone(), pushers.clone());
            queue
                .consume(
                    Topic::Push,
                    handler(move |msgs: Vec<QueueMessage>| {
                        let (m, px) = (mp.clone(), px.clone());
                        async move { push::handle(&m, &px, msgs).await }
                    }),
                )
                .expect("push consumer");
        }
        Harness {
            store,
            clock,
            env,
            m,
            queue,
            relations,
            groups,
            pusher,
            offline,
            registry,
            pushers,
            t: TenantId::default_tenant(),
        }
    }

    /// A harness on a fresh in-memory store with default settings and running consumers.
    pub fn new() -> Harness {
        Self::with(Arc::new(im_store_conformance::MemStore::new()), MsgConfig::default(), true)
    }

    /// Registers ordinary users.
    pub async fn users(&self, ids: &[&str]) {
        let repo = UserRepo::new(self.store.clone());
        for id in ids {
            let u = UserRecord { user_id: id.to_string(), nickname: id.to_string(), ..UserRecord::default() };
            repo.create(&self.t, &u).await.expect("create user");
        }
    }

    /// Registers a live connection of `user`.
    pub async fn connect(&self, user: &str, conn: &str, platform_id: i32, background: bool) {
        let rec = ConnectionRecord {
            user_id: user.into(),
            conn_id: conn.into(),
            platform_id,
            endpoint: "test".into(),
            background,
            connected_at: T0,
            ttl: T0 / 1000 + 3600,
            ..ConnectionRecord::default()
        };
        self.registry.put(&self.t, &rec).await.expect("register connection");
    }

    /// Waits until the pipeline has processed everything queued.
    pub async fn drain(&self) {
        tokio::time::timeout(std::time::Duration::from_secs(60), self.queue.idle()).await.expect("pipeline drains");
    }
}

/// A text message from `send` to `recv` (single chat) as a WebSocket client sends it.
pub fn text(send: &str, recv: &str, cmid: &str, body: &str) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        client_msg_id: cmid.into(),
        sender_platform_id: 5,
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: format!(r#"{{"content":"{body}"}}"#).into_bytes(),
        create_time: T0,
        status: 1,
        ..MsgData::default()
    }
}

/// A text message from `send` to group `group`.
pub fn group_text(send: &str, group: &str, cmid: &str, body: &str) -> MsgData {
    MsgData { recv_id: String::new(), group_id: group.into(), session_type: 3, ..text(send, "", cmid, body) }
}

/// The text body of a message's content.
pub fn body_of(msg: &MsgData) -> String {
    serde_json::from_slice::<serde_json::Value>(&msg.content)
        .ok()
        .and_then(|v| v["content"].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A queue that only collects what is sent (to feed consumers by hand).
#[derive(Default)]
pub struct CollectQueue {
    /// Messages sent so far, by topic.
    pub sent: Mutex<Vec<(Topic, QueueMessage)>>,
}

impl CollectQueue {
    /// Takes the messages sent to `topic`.
    pub fn take(&self, topic: Topic) -> Vec<QueueMessage> {
        let mut sent = self.sent.lock().unwrap();
        let (taken, kept): (Vec<_>, Vec<_>) = sent.drain(..).partition(|(t, _)| *t == topic);
        *sent = kept;
        taken.into_iter().map(|(_, m)| m).collect()
    }
}

#[async_trait]
impl im_domain::ports::Queue for CollectQueue {
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()> {
        self.sent.lock().unwrap().extend(messages.into_iter().map(|m| (topic, m)));
        Ok(())
    }
}
