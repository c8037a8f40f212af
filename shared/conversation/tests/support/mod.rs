//! Test fixtures: an in-memory store, a recording notifier, a fake group module, and seeding
//! of seq heads and messages the way the messaging module writes them (`docs/data-model.md`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_conversation::ConversationService;
use im_domain::clock::{Env, ManualClock, SequentialIdGen};
use im_domain::ports::{GroupQuery, GroupSummary, MemberSummary, Notification, Notifier};
use im_domain::store::{DynStore, Item, Key, Update};
use im_domain::{ImResult, TenantId};
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;

/// Notifications sent, in order.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<Notification>>);

#[async_trait]
impl Notifier for Recorder {
    async fn notify(&self, n: Notification) -> ImResult<()> {
        self.0.lock().expect("lock").push(n);
        Ok(())
    }
}

impl Recorder {
    /// (content type, sendID, recvID, detail JSON) of every notification.
    pub fn sent(&self) -> Vec<(i32, String, String, serde_json::Value)> {
        self.0
            .lock()
            .expect("lock")
            .iter()
            .map(|n| {
                let detail = serde_json::from_str(&n.detail).expect("detail is JSON");
                (n.content_type, n.send_id.clone(), n.recv_id.clone(), detail)
            })
            .collect()
    }
}

/// Groups with members.
#[derive(Default)]
pub struct Groups(pub HashMap<String, (GroupSummary, Vec<String>)>);

impl Groups {
    pub fn with(mut self, id: &str, name: &str, members: &[&str]) -> Self {
        let g = GroupSummary {
            group_id: id.into(),
            group_name: name.into(),
            face_url: format!("https://face/{id}"),
            group_type: 2,
            member_count: members.len() as u32,
            ..Default::default()
        };
        self.0.insert(id.into(), (g, members.iter().map(|m| m.to_string()).collect()));
        self
    }
}

#[async_trait]
impl GroupQuery for Groups {
    async fn group(&self, _: &TenantId, id: &str) -> ImResult<Option<GroupSummary>> {
        Ok(self.0.get(id).map(|(g, _)| g.clone()))
    }
    async fn member(&self, _: &TenantId, id: &str, user: &str) -> ImResult<Option<MemberSummary>> {
        Ok(self.0.get(id).filter(|(_, m)| m.iter().any(|u| u == user)).map(|_| MemberSummary::default()))
    }
    async fn member_ids(&self, _: &TenantId, id: &str) -> ImResult<Vec<String>> {
        Ok(self.0.get(id).map(|(_, m)| m.clone()).unwrap_or_default())
    }
}

/// Everything a service test needs.
pub struct Fixture {
    pub store: DynStore,
    pub env: Env,
    pub clock: Arc<ManualClock>,
    pub notes: Arc<Recorder>,
    pub svc: ConversationService,
    pub t: TenantId,
}

impl Fixture {
    pub fn new() -> Self {
        Self::with_groups(Groups::default())
    }

    pub fn with_groups(groups: Groups) -> Self {
        let store: DynStore = Arc::new(MemStore::new());
        let clock = Arc::new(ManualClock::new(1_700_000_000_000));
        let env = Env { clock: clock.clone(), ids: Arc::new(SequentialIdGen::default()) };
        let notes = Arc::new(Recorder::default());
        let svc = ConversationService::new(store.clone(), env.clone())
            .with_notifier(notes.clone())
            .with_groups(Arc::new(groups));
        Fixture { store, env, clock, notes, svc, t: TenantId::default_tenant() }
    }

    pub async fn user(&self, id: &str, nickname: &str) {
        let u = UserRecord {
            user_id: id.into(),
            nickname: nickname.into(),
            face_url: format!("https://face/{id}"),
            ..Default::default()
        };
        assert!(UserRepo::new(self.store.clone()).create(&self.t, &u).await.expect("user"));
    }

    /// Stores `msg` at `seq` of `cid` and moves the head like a send: max, time, r_<sender>.
    pub async fn message(&self, cid: &str, seq: i64, msg: MsgData) {
        let msg = MsgData { seq, server_msg_id: format!("srv-{cid}-{seq}"), ..msg };
        let item = Item::new(Key::new(&self.t, format!("MSG#{cid}"), format!("{seq:020}")))
            .with("msg", msg.encode_to_vec())
            .with("send", msg.send_id.as_str())
            .with("ct", msg.content_type)
            .with("st", msg.send_time)
            .with("cmid", msg.client_msg_id.as_str());
        self.store.put(item, None).await.expect("message");
        let head = Key::new(&self.t, format!("SEQ#{cid}"), "head");
        let up = Update::new().set("max", seq).set("time", msg.send_time).set(format!("r_{}", msg.send_id), seq);
        self.store.update(&head, &up, None).await.expect("head");
    }
}

/// A text message.
pub fn text(send: &str, recv: &str, session_type: i32, group: &str, body: &str, send_time: i64) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        group_id: group.into(),
        client_msg_id: format!("c-{send}-{send_time}"),
        session_type,
        msg_from: 100,
        content_type: 101,
        content: format!(r#"{{"content":"{body}"}}"#).into_bytes(),
        send_time,
        create_time: send_time,
        status: 2,
        ..MsgData::default()
    }
}
