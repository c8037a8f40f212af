//! The user service on the reference store: events, permission rules that depend on the body,
//! and the request units (DynamoDB on-demand billing, via the metering decorator) each
//! operation costs. The unit figures are printed (`--nocapture`) and bounded.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_domain::clock::{Env, ManualClock, SequentialIdGen};
use im_domain::store::metering::{Meter, Metered, Usage};
use im_domain::{ImResult, TenantId};
use im_store_conformance::MemStore;
use im_user::password::PasswordHasher;
use im_user::{CommandChange, NewUser, Pagination, ProfilePatch, UserEvents, UserRecord, UserService};

fn t() -> TenantId {
    TenantId::default_tenant()
}

fn new_user(id: &str) -> NewUser {
    NewUser { user_id: id.into(), nickname: id.into(), ..NewUser::default() }
}

fn service() -> (UserService, Meter) {
    let store = Metered::new(MemStore::new());
    let meter = store.meter();
    let env = Env { clock: Arc::new(ManualClock::new(1_700_000_000_000)), ids: Arc::new(SequentialIdGen::default()) };
    let svc = UserService::new(Arc::new(store), env, vec!["imAdmin".into()])
        .with_password_hasher(PasswordHasher::insecure_fast());
    (svc, meter)
}

/// Runs `f` and returns the request units it used: (read units, write units, store calls).
async fn units<T>(meter: &Meter, f: impl Future<Output = T>) -> (T, f64, u64, u64) {
    let before: Usage = meter.snapshot();
    let out = f.await;
    let used = meter.snapshot().since(&before);
    (out, used.read_units(), used.write_units(), used.calls())
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

#[async_trait]
impl UserEvents for Recorder {
    async fn user_info_updated(&self, _: &TenantId, old: &UserRecord, new: &UserRecord) -> ImResult<()> {
        self.0
            .lock()
            .map_err(|_| im_domain::ImError::internal("lock"))?
            .push(format!("info {} {}->{}", new.user_id, old.nickname, new.nickname));
        Ok(())
    }
    async fn user_command_changed(&self, _: &TenantId, user_id: &str, change: CommandChange) -> ImResult<()> {
        self.0.lock().map_err(|_| im_domain::ImError::internal("lock"))?.push(format!("cmd {user_id} {change:?}"));
        Ok(())
    }
}

#[tokio::test]
async fn events_reach_the_port() {
    let (svc, _) = service();
    let rec = Arc::new(Recorder::default());
    let svc = svc.with_events(rec.clone());
    svc.register(&t(), vec![new_user("a")]).await.unwrap();
    let patch = ProfilePatch { nickname: Some("A".into()), ..ProfilePatch::default() };
    svc.update_info(&t(), "a", patch, false).await.unwrap();
    svc.set_global_recv_msg_opt(&t(), "a", 1).await.unwrap();
    svc.command_add(&t(), "a", 1, "x", None, None).await.unwrap();
    svc.command_update(&t(), "a", 1, "x", Some("v".into()), None).await.unwrap();
    svc.command_delete(&t(), "a", 1, "x").await.unwrap();
    let seen = rec.0.lock().unwrap().clone();
    assert_eq!(seen, ["info a a->A", "info a A->A", "cmd a Added", "cmd a Updated", "cmd a Deleted"]);
}

#[tokio::test]
async fn level_changes_need_an_admin() {
    let (svc, _) = service();
    svc.register(&t(), vec![new_user("a")]).await.unwrap();
    let level = |l| ProfilePatch { app_manger_level: Some(l), ..ProfilePatch::default() };
    assert_eq!(svc.update_info(&t(), "a", level(3), false).await.unwrap_err().code, 1002);
    svc.update_info(&t(), "a", level(0), false).await.unwrap();
    svc.update_info(&t(), "a", level(3), true).await.unwrap();
    assert_eq!(svc.users_info(&t(), &["a".into()]).await.unwrap()[0].app_manger_level, 3);
    // Now a system account: out of get_users, into the notification search.
    let page = Pagination { page_number: 1, show_number: 10 };
    assert_eq!(svc.page_users(&t(), page, "", "").await.unwrap(), (0, vec![]));
    assert_eq!(svc.search_notification_accounts(&t(), "", None, page).await.unwrap().0, 1);
    assert_eq!(svc.update_info(&t(), "ghost", level(1), true).await.unwrap_err().code, 1004);
}

#[tokio::test]
async fn passwords_and_reserved_ids() {
    let (svc, _) = service();
    let id = svc.self_register(&t(), new_user("u1"), "pw-1").await.unwrap();
    assert_eq!(id, "u1");
    svc.check_password(&t(), "u1", "pw-1").await.unwrap();
    assert_eq!(svc.check_password(&t(), "u1", "pw-2").await.unwrap_err().code, 1002);
    assert_eq!(svc.check_password(&t(), "u9", "pw-1").await.unwrap_err().code, 1101);
    assert_eq!(svc.self_register(&t(), new_user("u1"), "x").await.unwrap_err().code, 1102);
    assert_eq!(svc.self_register(&t(), new_user("imAdmin"), "x").await.unwrap_err().code, 1002);
    // Self-registered users are ordinary whatever they send.
    let sneaky = NewUser { app_manger_level: 4, ..new_user("u2") };
    svc.self_register(&t(), sneaky, "pw").await.unwrap();
    assert_eq!(svc.users_info(&t(), &["u2".into()]).await.unwrap()[0].app_manger_level, 0);
}

#[tokio::test]
async fn request_units_per_operation() {
    let (svc, meter) = service();
    let ids = |r: std::ops::Range<usize>| r.map(|i| format!("u{i:04}")).collect::<Vec<String>>();
    let mut report = Vec::new();
    let mut line = |what: &str, rru: f64, wru: u64, calls: u64| {
        report.push(format!("{what:<44} {rru:>8.1} RRU {wru:>6} WRU {calls:>4} calls"));
        (rru, wru)
    };

    let (r, rru, wru, calls) = units(&meter, svc.register(&t(), vec![new_user("solo")])).await;
    r.unwrap();
    // Pre-check read, then one transaction of profile + counter shard (2× in a transaction).
    let (_, w) = line("user_register, 1 user", rru, wru, calls);
    assert!(w <= 4, "{w}");

    let batch: Vec<NewUser> = ids(0..1000).iter().map(|i| new_user(i)).collect();
    let (r, rru, wru, calls) = units(&meter, svc.register(&t(), batch)).await;
    r.unwrap();
    let (_, w) = line("user_register, 1000 users (11 transactions)", rru, wru, calls);
    assert!(w <= 2 * (1000 + 11), "{w}");

    let (r, rru, wru, calls) = units(&meter, svc.self_register(&t(), new_user("selfie"), "pw")).await;
    r.unwrap();
    line("self_register", rru, wru, calls);

    let patch = ProfilePatch { nickname: Some("N".into()), ..ProfilePatch::default() };
    let (r, rru, wru, calls) = units(&meter, svc.update_info(&t(), "u0001", patch, false)).await;
    r.unwrap();
    let (_, w) = line("update_user_info (nickname)", rru, wru, calls);
    assert_eq!(w, 1);

    let level = ProfilePatch { app_manger_level: Some(3), ..ProfilePatch::default() };
    let (r, rru, wru, calls) = units(&meter, svc.update_info(&t(), "u0002", level, true)).await;
    r.unwrap();
    line("update_user_info (level 0→3, marker)", rru, wru, calls);

    let (r, rru, wru, calls) = units(&meter, svc.users_info(&t(), &ids(0..100))).await;
    assert_eq!(r.unwrap().len(), 100);
    line("get_users_info, 100 IDs", rru, wru, calls);

    let first = Pagination { page_number: 1, show_number: 10 };
    let (r, rru, wru, calls) = units(&meter, svc.all_user_ids(&t(), first)).await;
    assert_eq!(r.unwrap().0, 1002);
    let (r1, _) = line("get_all_users_uid, page 1 × 10 of 1002", rru, wru, calls);
    let last = Pagination { page_number: 100, show_number: 10 };
    let (r, rru, wru, calls) = units(&meter, svc.all_user_ids(&t(), last)).await;
    assert_eq!(r.unwrap().1.len(), 10);
    let (r100, _) = line("get_all_users_uid, page 100 × 10 of 1002", rru, wru, calls);
    assert!(r1 < r100, "reading stops at the page's end");

    let (r, rru, wru, calls) = units(&meter, svc.page_users(&t(), first, "", "")).await;
    assert_eq!(r.unwrap().0, 1001, "1002 users, one of them a notification account");
    line("get_users, page 1 × 10, no filter", rru, wru, calls);
    let (r, rru, wru, calls) = units(&meter, svc.page_users(&t(), first, "u09", "")).await;
    assert_eq!(r.unwrap().0, 100);
    line("get_users, page 1 × 10, userID filter (full scan)", rru, wru, calls);

    let (r, rru, wru, calls) = units(&meter, svc.command_add(&t(), "u0001", 1, "c", None, None)).await;
    r.unwrap();
    line("process_user_command_add", rru, wru, calls);

    let (r, rru, wru, calls) = units(&meter, svc.online_platforms(&t(), &ids(0..10))).await;
    assert_eq!(r.unwrap().len(), 10);
    line("get_users_status, 10 users", rru, wru, calls);

    let hasher = PasswordHasher::default();
    let start = std::time::Instant::now();
    let phc = hasher.hash("correct horse").await.unwrap();
    let hashed = start.elapsed();
    assert!(hasher.verify("correct horse", &phc).await.unwrap());
    report.push(format!("argon2id default (19 MiB, t=2) hash: {hashed:?} in this build"));
    println!("{}", report.join("\n"));
}
