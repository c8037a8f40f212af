//! The post-store pipeline on the in-memory store: conversation rows, online and offline push,
//! once-only consumers, and notifications.

mod support;

use std::sync::Arc;

use im_domain::constants::{notification, platform};
use im_domain::ports::{Notification, Notifier, QueueMessage, Reliability};
use im_domain::store::{Consistency, Query};
use im_msg::pipeline::PipelineMsg;
use im_msg::{MsgConfig, MsgNotifier, SendCtx, keys, push, stats, transfer};
use im_repo::connection::ConnectionRecord;
use im_repo::version::{LogKind, VersionLog};
use support::*;

#[tokio::test]
async fn the_first_message_creates_both_rows_and_versions_them() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    h.m.send(&h.t, &SendCtx::default(), text("alice", "bob", "c1", "hi")).await.unwrap();
    h.drain().await;
    let a = h.m.conversations().get(&h.t, "alice", "si_alice_bob").await.unwrap().unwrap();
    let b = h.m.conversations().get(&h.t, "bob", "si_alice_bob").await.unwrap().unwrap();
    assert_eq!((a.user_id.as_str(), a.conversation_type), ("bob", 1));
    assert_eq!((b.user_id.as_str(), b.create_time), ("alice", T0));
    let log = VersionLog::new(h.store.as_ref(), &h.env);
    for owner in ["alice", "bob"] {
        let head = log.head(&h.t, LogKind::Conversation, owner).await.unwrap();
        let changes = log.since(&h.t, LogKind::Conversation, owner, &head.version_id, 0, 200).await.unwrap();
        assert_eq!(changes.insert, ["si_alice_bob"], "{owner}");
    }
    // Later messages leave the rows alone (no new versions).
    h.m.send(&h.t, &SendCtx::default(), text("bob", "alice", "c2", "yo")).await.unwrap();
    h.drain().await;
    assert_eq!(log.head(&h.t, LogKind::Conversation, "alice").await.unwrap().version, 1);
    let day = stats::day_of(T0);
    let counters = stats::day_counters(h.store.as_ref(), &h.t, &day).await.unwrap();
    assert_eq!(counters, [("U#alice".to_string(), 1), ("U#bob".to_string(), 1)]);
}

#[tokio::test]
async fn the_first_group_message_creates_every_members_row() {
    let h = Harness::new();
    h.users(&["o", "a", "b"]).await;
    h.groups.add("g", "o", &["a", "b"]);
    h.m.send(&h.t, &SendCtx::default(), group_text("a", "g", "c1", "hi")).await.unwrap();
    h.drain().await;
    for u in ["o", "a", "b"] {
        let row = h.m.conversations().get(&h.t, u, "sg_g").await.unwrap().unwrap();
        assert_eq!((row.group_id.as_str(), row.conversation_type), ("g", 3), "{u}");
    }
    let counters = stats::day_counters(h.store.as_ref(), &h.t, &stats::day_of(T0)).await.unwrap();
    assert_eq!(counters, [("G#g".to_string(), 1), ("U#a".to_string(), 1)]);
}

#[tokio::test]
async fn pushes_reach_recipients_and_the_senders_other_devices() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    h.connect("bob", "bob-web", platform::WEB, false).await;
    h.connect("bob", "bob-ios", platform::IOS, true).await; // background iOS: not pushed online
    h.connect("alice", "alice-web", platform::WEB, false).await; // the sending device
    h.connect("alice", "alice-android", platform::ANDROID, false).await;
    h.connect("alice", "alice-old", platform::WEB, false).await;
    h.pusher.gone.lock().unwrap().insert("alice-old".into());
    let ctx = SendCtx { operation_id: "op-1".into(), origin_conn: "alice-web".into(), recipients: None };
    let sent = h.m.send(&h.t, &ctx, text("alice", "bob", "c1", "hi")).await.unwrap();
    h.drain().await;

    let mut frames = h.pusher.frames();
    frames.sort_by(|a, b| a.conn.cmp(&b.conn));
    let conns: Vec<&str> = frames.iter().map(|f| f.conn.as_str()).collect();
    assert_eq!(conns, ["alice-android", "bob-web"]);
    for f in &frames {
        assert_eq!((f.frame.req_identifier, f.frame.operation_id.as_str()), (2001, "op-1"));
        let (cid, msg) = f.message();
        assert_eq!(
            (cid.as_str(), msg.seq, msg.server_msg_id.as_str()),
            ("si_alice_bob", 1, sent.server_msg_id.as_str())
        );
        assert_eq!(msg.status, 2, "pushed as sent");
        assert!(f.payload().notification_msgs.is_empty());
    }
    // The gone connection lost its record.
    let left: Vec<String> = h.registry.list(&h.t, "alice").await.unwrap().into_iter().map(|c| c.conn_id).collect();
    assert_eq!(left, ["alice-android", "alice-web"]);
    // bob has no online mobile device (his iPhone is in background): offline push for bob only.
    assert_eq!(h.offline.calls.lock().unwrap().clone(), [(vec!["bob".to_string()], "c1".to_string())]);
}

#[tokio::test]
async fn a_pusher_that_holds_every_connection_lists_them_instead_of_the_registry() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    // Records of a process that no longer runs: the registry still lists them.
    h.connect("bob", "bob-stale", platform::ANDROID, false).await;
    h.connect("alice", "alice-stale", platform::WEB, false).await;
    let rec = |user: &str, conn: &str, platform_id, background| ConnectionRecord {
        user_id: user.into(),
        conn_id: conn.into(),
        platform_id,
        background,
        ..ConnectionRecord::default()
    };
    let live = [
        ("bob", vec![rec("bob", "bob-web", platform::WEB, false), rec("bob", "bob-ios", platform::IOS, true)]),
        (
            "alice",
            vec![rec("alice", "alice-web", platform::WEB, false), rec("alice", "alice-pc", platform::WINDOWS, false)],
        ),
    ];
    *h.pusher.live.lock().unwrap() = Some(live.into_iter().map(|(u, l)| (u.to_string(), l)).collect());
    let ctx = SendCtx { operation_id: "op".into(), origin_conn: "alice-web".into(), recipients: None };
    h.m.send(&h.t, &ctx, text("alice", "bob", "c1", "hi")).await.unwrap();
    h.drain().await;

    let mut conns: Vec<String> = h.pusher.frames().into_iter().map(|f| f.conn).collect();
    conns.sort();
    assert_eq!(conns, ["alice-pc", "bob-web"], "live connections only; origin and background iOS skipped");
    // The registry was not asked, so its stale records are untouched (their TTL ends them).
    assert_eq!(h.registry.list(&h.t, "bob").await.unwrap().len(), 1);
    // bob's only phone is in background: he still gets the offline push.
    assert_eq!(h.offline.calls.lock().unwrap().clone(), [(vec!["bob".to_string()], "c1".to_string())]);
}

#[tokio::test]
async fn no_offline_push_when_a_phone_got_it_or_the_option_is_off() {
    let h = Harness::new();
    h.users(&["alice", "bob", "carol"]).await;
    h.connect("bob", "bob-android", platform::ANDROID, false).await;
    h.m.send(&h.t, &SendCtx::default(), text("alice", "bob", "c1", "hi")).await.unwrap();
    let mut quiet = text("alice", "carol", "c2", "hi");
    im_msg::options::set(&mut quiet.options, "offlinePush", false);
    h.m.send(&h.t, &SendCtx::default(), quiet).await.unwrap();
    h.drain().await;
    assert!(h.offline.calls.lock().unwrap().is_empty());
    assert_eq!(h.pusher.frames().len(), 1);
}

#[tokio::test]
async fn group_pushes_go_to_members_and_offline_only_to_normal_recv_opt() {
    let h = Harness::new();
    h.users(&["o", "a", "b"]).await;
    h.groups.add("g", "o", &["a", "b"]);
    h.connect("a", "a-web", platform::WEB, false).await;
    h.connect("b", "b-web", platform::WEB, false).await;
    h.m.send(&h.t, &SendCtx::default(), group_text("o", "g", "c1", "first")).await.unwrap();
    h.drain().await;
    assert_eq!(h.pusher.frames().len(), 2);
    // b mutes the group's notifications: no offline push for b.
    let patch = im_conversation::ConversationPatch { recv_msg_opt: Some(2), ..Default::default() };
    let template = im_conversation::ConversationRecord::new("sg_g", 3).with_group("g");
    h.m.conversations().set_fields(&h.t, "b", &template, &patch).await.unwrap();
    h.offline.calls.lock().unwrap().clear();
    h.m.send(&h.t, &SendCtx::default(), group_text("o", "g", "c2", "second")).await.unwrap();
    h.drain().await;
    // o sent it; a is offline-pushed (no phone online); b muted the conversation.
    assert_eq!(h.offline.calls.lock().unwrap().clone(), [(vec!["a".to_string()], "c2".to_string())]);
}

#[tokio::test]
async fn a_consumer_receiving_the_same_message_twice_delivers_once() {
    // No consumers: the test feeds them by hand.
    let h = Harness::with(Arc::new(im_store_conformance::MemStore::new()), MsgConfig::default(), false);
    h.users(&["alice", "bob"]).await;
    h.connect("bob", "bob-web", platform::WEB, false).await;
    let sent = h.m.send(&h.t, &SendCtx::default(), text("alice", "bob", "c1", "hi")).await.unwrap();
    let stored = im_msg::seq::load(h.store.as_ref(), &h.t, "si_alice_bob", sent.seq).await.unwrap().unwrap();
    let qm: QueueMessage = PipelineMsg::new(h.t.clone(), "si_alice_bob", stored).encode().unwrap();
    assert!(push::handle(&h.m, &h.pushers, vec![qm.clone()]).await.is_empty());
    assert!(push::handle(&h.m, &h.pushers, vec![qm.clone(), qm.clone()]).await.is_empty());
    assert_eq!(h.pusher.frames().len(), 1);
    // The transfer consumer too: one statistics count however often it runs.
    for _ in 0..3 {
        assert!(transfer::handle(&h.m, vec![qm.clone()]).await.is_empty());
    }
    let counters = stats::day_counters(h.store.as_ref(), &h.t, &stats::day_of(T0)).await.unwrap();
    assert_eq!(counters, [("U#alice".to_string(), 1)]);
    // A body that cannot be read fails (and is redelivered by the queue).
    let bad = QueueMessage { id: "bad".into(), body: b"not json".to_vec() };
    assert_eq!(push::handle(&h.m, &h.pushers, vec![bad.clone()]).await, ["bad"]);
    assert_eq!(transfer::handle(&h.m, vec![bad]).await, ["bad"]);
}

fn note(n_type: i32, reliability: Reliability, is_send_msg: bool) -> Notification {
    Notification {
        tenant: im_domain::TenantId::default_tenant(),
        send_id: "alice".into(),
        recv_id: "bob".into(),
        session_type: 1,
        content_type: n_type,
        detail: r#"{"fromToUserID":{"fromUserID":"alice","toUserID":"bob"}}"#.into(),
        reliability,
        is_send_msg,
        ..Notification::default()
    }
}

#[tokio::test]
async fn notifications_online_only_stored_and_copied() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    h.connect("bob", "bob-web", platform::WEB, false).await;
    let notifier = MsgNotifier::new(h.m.clone());

    // Default reliability: pushed in n_alice_bob without a seq, nothing stored.
    notifier.notify(note(notification::BLACK_ADDED, Reliability::OnlineOnly, false)).await.unwrap();
    h.drain().await;
    let frames = h.pusher.frames();
    assert_eq!(frames.len(), 1);
    let payload = frames[0].payload();
    assert!(payload.msgs.is_empty());
    let msg = &payload.notification_msgs["n_alice_bob"].msgs[0];
    assert_eq!((msg.seq, msg.msg_from, msg.content_type, msg.send_id.as_str()), (0, 200, 1207, "alice"));
    let content: serde_json::Value = serde_json::from_slice(&msg.content).unwrap();
    assert!(content["detail"].as_str().unwrap().contains("fromToUserID"));
    assert_eq!(h.store.query(&Query::partition(&h.t, keys::message_pk("n_alice_bob"))).await.unwrap().items.len(), 0);

    // Reliable: stored with a seq in n_alice_bob.
    notifier.notify(note(notification::FRIEND_ADDED, Reliability::Stored, false)).await.unwrap();
    h.drain().await;
    assert_eq!(im_msg::seq::max_seq(h.store.as_ref(), &h.t, "n_alice_bob").await.unwrap(), 1);
    // newest_seq lists n_ twins of the user's conversations only (bob has none yet), as OpenIM.
    assert!(!h.m.newest_seq(&h.t, "bob").await.unwrap().max_seqs.contains_key("n_alice_bob"));

    // isSendMsg: the notification plus a stored copy in the chat conversation.
    h.pusher.frames.lock().unwrap().clear();
    notifier.notify(note(notification::FRIEND_APPLICATION_APPROVED, Reliability::OnlineOnly, true)).await.unwrap();
    h.drain().await;
    let frames = h.pusher.frames();
    assert_eq!(frames.len(), 2);
    let copy = frames.iter().map(|f| f.message()).find(|(cid, _)| cid == "si_alice_bob").expect("chat copy pushed");
    assert_eq!((copy.1.seq, copy.1.content_type), (1, 1201));
    let stored = im_msg::seq::load(h.store.as_ref(), &h.t, "si_alice_bob", 1).await.unwrap().unwrap();
    assert_eq!(stored.options.get("offlinePush"), Some(&false));
    assert_eq!(stored.options.get("isNotNotification"), None, "the copy belongs to the chat conversation");
    // The copy created the conversation rows.
    assert!(h.m.conversations().get(&h.t, "bob", "si_alice_bob").await.unwrap().is_some());
    // Redelivering the transfer message does not copy twice.
    let head = h.store.get(&keys::seq_head(&h.t, "si_alice_bob"), Consistency::Strong).await.unwrap().unwrap();
    assert_eq!(head.n("max"), Some(1));
}

#[tokio::test]
async fn group_notifications_reach_members() {
    let h = Harness::new();
    h.users(&["o", "a"]).await;
    h.groups.add("g", "o", &["a"]);
    h.connect("a", "a-web", platform::WEB, false).await;
    let notifier = MsgNotifier::new(h.m.clone());
    let n = Notification {
        tenant: h.t.clone(),
        send_id: "o".into(),
        recv_id: "g".into(),
        group_id: "g".into(),
        session_type: 3,
        content_type: notification::GROUP_CREATED,
        detail: "{}".into(),
        ..Notification::default()
    };
    notifier.notify(n).await.unwrap();
    h.drain().await;
    let frames = h.pusher.frames();
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].message().0, "n_g");
}

/// On the in-process queue a batch's bookkeeping shares transactions (30 messages each, one
/// increment per counter): a batch of 70 messages from two senders counts each message once and
/// logs each once. A batch that includes messages whose bookkeeping already landed (a retried
/// batch) falls back to one transaction per message and still counts nothing twice.
#[tokio::test]
async fn a_batch_shares_its_bookkeeping_and_a_repeat_counts_nothing_twice() {
    let config = MsgConfig { delivery: im_msg::Delivery::RetryOnFailure, ..MsgConfig::default() };
    let h = Harness::with(Arc::new(im_store_conformance::MemStore::new()), config, false);
    h.users(&["alice", "bob"]).await;
    let (mut batch, mut stored_msgs) = (Vec::new(), Vec::new());
    for i in 0..70 {
        let (from, to) = if i % 3 == 0 { ("bob", "alice") } else { ("alice", "bob") };
        let sent = h.m.send(&h.t, &SendCtx::default(), text(from, to, &format!("b{i}"), "hi")).await.unwrap();
        let stored = im_msg::seq::load(h.store.as_ref(), &h.t, "si_alice_bob", sent.seq).await.unwrap().unwrap();
        batch.push(PipelineMsg::new(h.t.clone(), "si_alice_bob", stored.clone()).encode().unwrap());
        stored_msgs.push(stored);
    }
    let want = [("U#alice".to_string(), 46), ("U#bob".to_string(), 24)];
    assert!(transfer::handle(&h.m, batch[..40].to_vec()).await.is_empty());
    let counters = stats::day_counters(h.store.as_ref(), &h.t, &stats::day_of(T0)).await.unwrap();
    assert_eq!(counters, [("U#alice".to_string(), 26), ("U#bob".to_string(), 14)]);
    // The first 40 again, with the 30 not yet done: each counts once.
    assert!(transfer::handle(&h.m, batch.clone()).await.is_empty());
    let counters = stats::day_counters(h.store.as_ref(), &h.t, &stats::day_of(T0)).await.unwrap();
    assert_eq!(counters, want);
    for msg in &stored_msgs {
        let entry = im_msg::search::entry(&h.t, "si_alice_bob", msg).unwrap();
        assert!(h.store.get(&entry.key, Consistency::Strong).await.unwrap().is_some(), "seq {} logged", msg.seq);
    }
}
