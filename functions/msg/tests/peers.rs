//! The `/msg` Lambda's app, mounted as `main.rs` mounts it (`local::mount_on` with
//! `Peers::repos`), enforces the friend and group modules' answers in both pipeline modes
//! (in-process queue, outside queue as with SQS): a sender blocked by the recipient gets 1302, a
//! non-member's group send 1203, and neither is enqueued; allowed sends go through. Runs on the
//! embedded store and on DynamoDB (the local emulator at `IM_TEST_DYNAMODB_ENDPOINT`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::Request;
use im_adapters::embedded::EmbeddedStore;
use im_auth::Verified;
use im_domain::ports::{Queue, QueueMessage, Topic};
use im_domain::store::DynStore;
use im_domain::{ImResult, TenantId};
use im_fn_msg::local::{Peers, mount_on};
use im_group::{GroupRecord, GroupRepo, MemberRecord};
use im_http::testing::StaticVerifier;
use im_http::{App, HttpOptions};
use im_repo::{UserRecord, UserRepo};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Records what is enqueued (stands in for SQS: the send path only publishes).
#[derive(Default)]
struct Recorded(Mutex<Vec<(Topic, QueueMessage)>>);

#[async_trait]
impl Queue for Recorded {
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()> {
        let mut v = self.0.lock().unwrap_or_else(|e| e.into_inner());
        v.extend(messages.into_iter().map(|m| (topic, m)));
        Ok(())
    }
}

impl Recorded {
    fn transfers(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|(t, _)| *t == Topic::Transfer).count()
    }
}

async fn dynamo() -> DynStore {
    im_adapters::emulator::shared_table_store().await
}

async fn post(router: &Router, t: &TenantId, path: &str, body: Value) -> Value {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .header("operationID", "peers-test")
        .header("token", "admin-token")
        .header("x-tenant-id", t.as_str())
        .body(Body::from(body.to_string()))
        .expect("request");
    let resp = router.clone().oneshot(req).await.expect("infallible");
    let bytes = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    serde_json::from_slice(&bytes).expect("json envelope")
}

fn single(send: &str, recv: &str) -> Value {
    json!({"sendID": send, "recvID": recv, "content": {"content": "hi"}, "contentType": 101, "sessionType": 1})
}

fn group(send: &str, group_id: &str) -> Value {
    json!({"sendID": send, "groupID": group_id, "content": {"content": "hi"}, "contentType": 101, "sessionType": 3})
}

/// Users alice, bob, carol, dave; bob blocks alice; group g1 of carol (owner) and alice.
async fn seed(store: &DynStore, t: &TenantId) {
    let users = UserRepo::new(store.clone());
    for id in ["alice", "bob", "carol", "dave"] {
        let u = UserRecord { user_id: id.into(), nickname: id.into(), ..UserRecord::default() };
        users.create(t, &u).await.expect("user");
    }
    let black = im_domain::store::Item::new(im_friend::keys::black(t, "bob", "alice")).with("createTime", 1_i64);
    store.put(black, None).await.expect("black entry");
    let g = GroupRecord { group_id: "g1".into(), group_name: "G".into(), group_type: 2, ..GroupRecord::default() };
    let member = |u: &str, role| MemberRecord {
        group_id: "g1".into(),
        user_id: u.into(),
        role_level: role,
        ..MemberRecord::default()
    };
    let created =
        GroupRepo::new(store.clone()).create_group(t, &g, &member("carol", 100), &[member("alice", 20)]).await;
    assert!(created.expect("group"), "g1 is new");
}

async fn refuses(store: DynStore, external: bool) {
    let t = im_store_conformance::support::fresh_tenant();
    seed(&store, &t).await;
    let queue = Arc::new(Recorded::default());
    let outside: Option<Arc<dyn Queue>> = if external { Some(queue.clone()) } else { None };
    let peers = Peers::repos(&store);
    let (app, local) = mount_on(App::new(), store, &["imAdmin".to_string()], peers, outside).expect("mount");
    let verifier = StaticVerifier::default()
        .with("admin-token", Verified { user_id: "imAdmin".into(), platform_id: 10, is_admin: true });
    let router = app.into_router(Arc::new(verifier), HttpOptions::default());

    let v = post(&router, &t, "/msg/send_msg", single("alice", "bob")).await;
    assert_eq!(v["errCode"], 1302, "blocked sender: {v}");
    let v = post(&router, &t, "/msg/send_msg", group("dave", "g1")).await;
    assert_eq!(v["errCode"], 1203, "non-member group send: {v}");
    if external {
        assert_eq!(queue.transfers(), 0, "refused sends are not enqueued");
    }
    // The same senders where they are allowed.
    let v = post(&router, &t, "/msg/send_msg", single("bob", "alice")).await;
    assert_eq!(v["errCode"], 0, "the blocker may still send: {v}");
    let v = post(&router, &t, "/msg/send_msg", group("alice", "g1")).await;
    assert_eq!(v["errCode"], 0, "a member's group send: {v}");
    if external {
        assert_eq!(queue.transfers(), 2, "allowed sends go to the outside queue");
    } else {
        tokio::time::timeout(Duration::from_secs(10), local.queue().idle()).await.expect("pipeline idle");
    }
}

#[tokio::test]
async fn embedded_in_process_refuses_blocked_and_non_member() {
    let dir = tempfile::tempdir().expect("tempdir");
    refuses(Arc::new(EmbeddedStore::open(dir.path().join("im.redb")).expect("store")), false).await;
}

#[tokio::test]
async fn embedded_outside_queue_refuses_blocked_and_non_member() {
    let dir = tempfile::tempdir().expect("tempdir");
    refuses(Arc::new(EmbeddedStore::open(dir.path().join("im.redb")).expect("store")), true).await;
}

#[tokio::test]
async fn dynamodb_in_process_refuses_blocked_and_non_member() {
    refuses(dynamo().await, false).await;
}

#[tokio::test]
async fn dynamodb_outside_queue_refuses_blocked_and_non_member() {
    refuses(dynamo().await, true).await;
}
