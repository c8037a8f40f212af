//! Shared fixtures of the domain tests: a service on the in-memory reference store with a
//! manual clock, seeded users, and a notifier that records what it is asked to send.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_domain::clock::{Env, ManualClock, SequentialIdGen};
use im_domain::ports::{Notification, Notifier};
use im_domain::store::{DynStore, Store};
use im_domain::{ImResult, TenantId};
use im_group::{Actor, GroupService};
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use im_wire::pb::group::CreateGroupReq;
use im_wire::pb::sdkws::GroupInfo;
use serde_json::Value;

/// Records every notification.
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
    /// Takes what was recorded so far.
    pub fn take(&self) -> Vec<Notification> {
        std::mem::take(&mut *self.0.lock().expect("lock"))
    }
}

/// The parsed tips of a notification.
pub fn tips(n: &Notification) -> Value {
    serde_json::from_str(&n.detail).expect("detail is JSON")
}

/// A service with its store, clock and recorder.
pub struct World {
    pub svc: GroupService,
    pub store: DynStore,
    pub clock: Arc<ManualClock>,
    pub rec: Arc<Recorder>,
    pub t: TenantId,
}

impl World {
    /// A world on `store` with `users` registered.
    pub async fn on(store: DynStore, users: &[&str]) -> World {
        let clock = Arc::new(ManualClock::new(1_700_000_000_000));
        let env = Env { clock: clock.clone(), ids: Arc::new(SequentialIdGen::default()) };
        let rec = Arc::new(Recorder::default());
        let svc = GroupService::new(store.clone(), env, rec.clone());
        let t = TenantId::default_tenant();
        let repo = UserRepo::new(store.clone());
        for u in users {
            let rec = UserRecord { user_id: u.to_string(), nickname: format!("nick-{u}"), ..UserRecord::default() };
            assert!(repo.create(&t, &rec).await.expect("seed user"));
        }
        World { svc, store, clock, rec, t }
    }

    /// A world on a fresh in-memory store.
    pub async fn new(users: &[&str]) -> World {
        Self::on(Arc::new(MemStore::new()) as Arc<dyn Store>, users).await
    }

    /// The clock's current time (ms).
    pub fn clock_now(&self) -> i64 {
        use im_domain::clock::Clock;
        self.clock.now_ms()
    }

    /// An ordinary caller.
    pub fn user(&self, id: &str) -> Actor {
        Actor { tenant: self.t.clone(), user_id: id.to_string(), is_admin: false }
    }

    /// An app-admin caller.
    pub fn admin(&self) -> Actor {
        Actor { tenant: self.t.clone(), user_id: "imAdmin".to_string(), is_admin: true }
    }

    /// Creates group `gid` owned by `owner` with `admins` and `members`; returns its ID.
    pub async fn group(&self, gid: &str, owner: &str, admins: &[&str], members: &[&str]) -> String {
        let req = CreateGroupReq {
            member_user_ids: members.iter().map(|s| s.to_string()).collect(),
            admin_user_ids: admins.iter().map(|s| s.to_string()).collect(),
            owner_user_id: owner.to_string(),
            group_info: Some(GroupInfo {
                group_id: gid.into(),
                group_name: format!("name-{gid}"),
                group_type: 2,
                ..GroupInfo::default()
            }),
            send_message: None,
        };
        let resp = self.svc.create_group(&self.user(owner), req).await.expect("create group");
        resp.group_info.expect("info").group_id
    }
}
