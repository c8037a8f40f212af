//! Fixtures of the domain tests: an in-memory store with registered users, a manual clock, and a
//! notifier that records what it is asked to send.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_domain::clock::{Env, ManualClock, SequentialIdGen};
use im_domain::ports::{Notification, Notifier};
use im_domain::store::DynStore;
use im_domain::{ImResult, TenantId};
use im_friend::FriendService;
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use serde_json::Value;

/// Records every notification.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<Notification>>);

impl Recorder {
    /// Everything recorded so far, emptying the record.
    pub fn take(&self) -> Vec<Notification> {
        self.0.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default()
    }
}

#[async_trait]
impl Notifier for Recorder {
    async fn notify(&self, n: Notification) -> ImResult<()> {
        if let Ok(mut v) = self.0.lock() {
            v.push(n);
        }
        Ok(())
    }
}

/// A service on a fresh store.
pub struct Fixture {
    pub svc: FriendService,
    pub store: DynStore,
    pub notes: Arc<Recorder>,
    pub clock: Arc<ManualClock>,
    pub t: TenantId,
}

/// Start of the fixture clock (ms).
pub const T0: i64 = 1_700_000_000_000;

impl Fixture {
    /// A fixture on `store` whose users `users` are registered (nickname = upper-case ID).
    pub async fn on(store: DynStore, users: &[&str]) -> Fixture {
        let t = TenantId::default_tenant();
        let repo = UserRepo::new(store.clone());
        for (i, id) in users.iter().enumerate() {
            let u = UserRecord {
                user_id: id.to_string(),
                nickname: id.to_uppercase(),
                face_url: format!("https://face/{id}"),
                create_time: i as i64,
                ..UserRecord::default()
            };
            assert!(repo.create(&t, &u).await.expect("seed user"));
        }
        let clock = Arc::new(ManualClock::new(T0));
        let env = Env { clock: clock.clone(), ids: Arc::new(SequentialIdGen::default()) };
        let notes = Arc::new(Recorder::default());
        let svc = FriendService::new(store.clone(), env, notes.clone());
        Fixture { svc, store, notes, clock, t }
    }

    /// A fixture on an in-memory store.
    pub async fn new(users: &[&str]) -> Fixture {
        Fixture::on(Arc::new(MemStore::new()), users).await
    }
}

/// The tips JSON of a notification.
pub fn detail(n: &Notification) -> Value {
    serde_json::from_str(&n.detail).expect("detail is JSON")
}

/// Sorted keys of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    k.sort();
    k
}

/// The IDs of a vector of strings.
pub fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
