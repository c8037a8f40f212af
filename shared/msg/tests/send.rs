//! The send service on the in-memory store: storage, idempotent retries and the session-type
//! rules with their OpenIM error codes.

mod support;

use std::sync::Arc;

use im_conversation::record::ConversationRecord;
use im_domain::constants::{content_type, group_role, group_status, group_type, notification};
use im_domain::store::{Consistency, Query, Update};
use im_msg::options::{self, key};
use im_msg::{MsgConfig, SendCtx, keys, seq};
use im_repo::{UserRecord, UserRepo};
use im_wire::pb::sdkws::{MsgData, PullMessageBySeqsReq, SeqRange};
use support::*;

fn ctx() -> SendCtx {
    SendCtx::op("op-test")
}

async fn code(h: &Harness, msg: MsgData) -> i32 {
    match h.m.send(&h.t, &ctx(), msg).await {
        Ok(_) => 0,
        Err(e) => e.code,
    }
}

async fn messages_in(h: &Harness, cid: &str) -> usize {
    h.store.query(&Query::partition(&h.t, keys::message_pk(cid))).await.unwrap().items.len()
}

#[tokio::test]
async fn single_send_stores_with_consecutive_seqs_and_replies_like_openim() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    let a = h.m.send(&h.t, &ctx(), text("alice", "bob", "c1", "hi")).await.unwrap();
    assert_eq!((a.seq, a.conversation_id.as_str(), a.deduped, a.dropped), (1, "si_alice_bob", false, false));
    assert_eq!(a.server_msg_id.len(), 32);
    assert_eq!(a.send_time, T0, "sendTime is the server's time when the client sends 0");
    let resp = a.to_resp();
    assert_eq!((resp.client_msg_id.as_str(), resp.modify), ("c1", None));
    let b = h.m.send(&h.t, &ctx(), text("bob", "alice", "c2", "yo")).await.unwrap();
    assert_eq!((b.seq, b.conversation_id.as_str()), (2, "si_alice_bob"));
    let mut with_time = text("alice", "bob", "c3", "later");
    with_time.send_time = 42;
    assert_eq!(h.m.send(&h.t, &ctx(), with_time).await.unwrap().send_time, 42, "a client sendTime is kept");

    let stored = seq::load(h.store.as_ref(), &h.t, "si_alice_bob", 1).await.unwrap().unwrap();
    assert_eq!((stored.seq, stored.server_msg_id.as_str(), stored.send_time), (1, a.server_msg_id.as_str(), T0));
    assert_eq!(body_of(&stored), "hi");
    // Sending moved the sender's read seq on the head (r_<sender>).
    let head = h.store.get(&keys::seq_head(&h.t, "si_alice_bob"), Consistency::Strong).await.unwrap().unwrap();
    assert_eq!(
        (head.n("max"), head.n("r_alice"), head.n("r_bob"), head.n("time")),
        (Some(3), Some(3), Some(2), Some(42))
    );
}

#[tokio::test]
async fn a_sequential_retry_stores_nothing_new() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    let first = h.m.send(&h.t, &ctx(), text("alice", "bob", "same", "one")).await.unwrap();
    h.clock.advance(5_000);
    let again = h.m.send(&h.t, &ctx(), text("alice", "bob", "same", "one")).await.unwrap();
    assert!(again.deduped && !first.deduped);
    assert_eq!(
        (again.seq, again.server_msg_id.as_str(), again.send_time),
        (first.seq, first.server_msg_id.as_str(), first.send_time)
    );
    assert_eq!(messages_in(&h, "si_alice_bob").await, 1);
    assert_eq!(seq::max_seq(h.store.as_ref(), &h.t, "si_alice_bob").await.unwrap(), 1);
    // Other messages in between do not break the window for a recent retry.
    for i in 0..5 {
        h.m.send(&h.t, &ctx(), text("bob", "alice", &format!("b{i}"), "x")).await.unwrap();
    }
    let late = h.m.send(&h.t, &ctx(), text("alice", "bob", "same", "one")).await.unwrap();
    assert_eq!(late.seq, 1);
    assert_eq!(messages_in(&h, "si_alice_bob").await, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn concurrent_retries_store_one_message() {
    let h = Arc::new(Harness::new());
    h.users(&["alice", "bob"]).await;
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let h = h.clone();
        tasks
            .push(tokio::spawn(async move { h.m.send(&h.t, &ctx(), text("alice", "bob", "dup", "x")).await.unwrap() }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.unwrap());
    }
    assert!(outcomes.iter().all(|o| o.seq == 1 && o.server_msg_id == outcomes[0].server_msg_id));
    assert_eq!(outcomes.iter().filter(|o| !o.deduped).count(), 1);
    assert_eq!(messages_in(&h, "si_alice_bob").await, 1);
    assert_eq!(seq::max_seq(h.store.as_ref(), &h.t, "si_alice_bob").await.unwrap(), 1);
}

#[tokio::test]
async fn a_retry_after_a_lost_message_write_stores_it_at_the_allocated_seq() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    // The first attempt allocated seq 1 for "lost" and failed before writing the message.
    let slot = seq::slot("lost");
    let update =
        Update::new().set_sum("max", "max", 1).set(seq::slot_cmid(slot), "lost").set_sum(seq::slot_seq(slot), "max", 1);
    h.store.update(&keys::seq_head(&h.t, "si_alice_bob"), &update, None).await.unwrap();
    let retry = h.m.send(&h.t, &ctx(), text("alice", "bob", "lost", "body")).await.unwrap();
    assert_eq!((retry.seq, retry.deduped), (1, true));
    let stored = seq::load(h.store.as_ref(), &h.t, "si_alice_bob", 1).await.unwrap().unwrap();
    assert_eq!((stored.client_msg_id.as_str(), stored.server_msg_id.as_str()), ("lost", retry.server_msg_id.as_str()));
    assert_eq!(seq::max_seq(h.store.as_ref(), &h.t, "si_alice_bob").await.unwrap(), 1);
}

#[tokio::test]
async fn the_same_client_msg_id_from_another_sender_is_a_new_message() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    let a = h.m.send(&h.t, &ctx(), text("alice", "bob", "shared", "from alice")).await.unwrap();
    let b = h.m.send(&h.t, &ctx(), text("bob", "alice", "shared", "from bob")).await.unwrap();
    assert_eq!((a.seq, b.seq, b.deduped), (1, 2, false));
    let stored = seq::load(h.store.as_ref(), &h.t, "si_alice_bob", 2).await.unwrap().unwrap();
    assert_eq!((stored.send_id.as_str(), body_of(&stored).as_str()), ("bob", "from bob"));
}

#[tokio::test]
async fn request_checks_and_session_types() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    assert_eq!(code(&h, MsgData { send_id: String::new(), ..text("alice", "bob", "c", "x") }).await, 1001);
    assert_eq!(code(&h, MsgData { content: Vec::new(), ..text("alice", "bob", "c", "x") }).await, 1001);
    assert_eq!(code(&h, MsgData { recv_id: String::new(), ..text("alice", "bob", "c", "x") }).await, 1001);
    // Write groups (2) and unknown session types are refused; 4 needs content type 1400 and back.
    assert_eq!(code(&h, MsgData { session_type: 2, ..group_text("alice", "g", "c", "x") }).await, 1001);
    assert_eq!(code(&h, MsgData { session_type: 9, ..text("alice", "bob", "c", "x") }).await, 1001);
    assert_eq!(code(&h, MsgData { session_type: 4, ..text("alice", "bob", "c", "x") }).await, 1001);
    let oa_single = MsgData { content_type: content_type::OA_NOTIFICATION, ..text("alice", "bob", "c", "x") };
    assert_eq!(code(&h, oa_single.clone()).await, 1001);
    // Session type 4 skips every check (even an unknown recipient) and goes to sn_.
    let oa = h.m.send(&h.t, &ctx(), MsgData { session_type: 4, recv_id: "nobody".into(), ..oa_single }).await.unwrap();
    assert_eq!((oa.conversation_id.as_str(), oa.seq), ("sn_alice_nobody", 1));
    // An unknown recipient of a single chat: 1004.
    assert_eq!(code(&h, text("alice", "nobody", "c", "x")).await, 1004);
}

#[tokio::test]
async fn online_only_messages_get_no_seq() {
    let h = Harness::new();
    h.users(&["alice", "bob"]).await;
    let mut online = text("alice", "bob", "o1", "x");
    options::set(&mut online.options, key::HISTORY, false);
    let o = h.m.send(&h.t, &ctx(), online).await.unwrap();
    assert_eq!((o.seq, o.server_msg_id.len()), (0, 32));
    let typing = MsgData { content_type: content_type::TYPING, ..text("alice", "bob", "t1", "x") };
    assert_eq!(h.m.send(&h.t, &ctx(), typing).await.unwrap().seq, 0);
    assert_eq!(messages_in(&h, "si_alice_bob").await, 0);
    // isNotNotification=false routes a message to the notification conversation.
    let mut n = text("alice", "bob", "n1", "x");
    options::set(&mut n.options, key::IS_NOT_NOTIFICATION, false);
    options::set(&mut n.options, key::IS_SEND_MSG, false);
    let n = h.m.send(&h.t, &ctx(), n).await.unwrap();
    assert_eq!((n.conversation_id.as_str(), n.seq), ("n_alice_bob", 1));
}

#[tokio::test]
async fn blocked_senders_and_friend_verification() {
    let store = Arc::new(im_store_conformance::MemStore::new());
    let config = MsgConfig { friend_verify: true, ..MsgConfig::default() };
    let h = Harness::with(store, config, true);
    h.users(&["alice", "bob", "imAdmin"]).await;
    // Not friends: 1303.
    assert_eq!(code(&h, text("alice", "bob", "c1", "x")).await, 1303);
    h.relations.friends.lock().unwrap().insert(("bob".into(), "alice".into()));
    assert_eq!(code(&h, text("alice", "bob", "c2", "x")).await, 0);
    // bob blocks alice: 1302 before the friend check.
    h.relations.blocks.lock().unwrap().insert(("bob".into(), "alice".into()));
    assert_eq!(code(&h, text("alice", "bob", "c3", "x")).await, 1302);
    // bob may still write to alice; admins and notification content types skip the checks.
    assert_eq!(code(&h, text("bob", "alice", "c4", "x")).await, 1303);
    h.relations.blocks.lock().unwrap().insert(("bob".into(), "imAdmin".into()));
    assert_eq!(code(&h, text("imAdmin", "bob", "c5", "x")).await, 0);
    let tip = MsgData { content_type: notification::FRIEND_ADDED, ..text("alice", "bob", "c6", "x") };
    assert_eq!(code(&h, tip).await, 0);
}

#[tokio::test]
async fn the_recipients_receive_options() {
    let h = Harness::new();
    h.users(&["alice"]).await;
    let repo = UserRepo::new(h.store.clone());
    let user =
        |id: &str, opt: i32| UserRecord { user_id: id.into(), global_recv_msg_opt: opt, ..UserRecord::default() };
    repo.create(&h.t, &user("mute", 1)).await.unwrap();
    repo.create(&h.t, &user("quiet", 2)).await.unwrap();
    repo.create(&h.t, &user("carol", 0)).await.unwrap();

    // Global 1: dropped silently, with an empty response.
    let d = h.m.send(&h.t, &ctx(), text("alice", "mute", "c1", "x")).await.unwrap();
    assert!(d.dropped);
    assert_eq!(d.to_resp(), Default::default());
    assert_eq!(messages_in(&h, "si_alice_mute").await, 0);
    // Global 2: stored, without offline push.
    let q = h.m.send(&h.t, &ctx(), text("alice", "quiet", "c2", "x")).await.unwrap();
    let stored = seq::load(h.store.as_ref(), &h.t, &q.conversation_id, q.seq).await.unwrap().unwrap();
    assert!(!options::is(&stored.options, key::OFFLINE_PUSH));
    // The conversation's option: 1 drops all but read receipts, 2 turns offline push off.
    let row = |opt: i32| {
        let mut r = ConversationRecord::new("si_alice_carol", 1).with_user("alice").for_owner("carol", T0);
        r.recv_msg_opt = opt;
        r.to_item(&h.t)
    };
    h.store.put(row(1), None).await.unwrap();
    assert!(h.m.send(&h.t, &ctx(), text("alice", "carol", "c3", "x")).await.unwrap().dropped);
    let receipt = MsgData { content_type: notification::HAS_READ_RECEIPT, ..text("alice", "carol", "c4", "x") };
    assert!(!h.m.send(&h.t, &ctx(), receipt).await.unwrap().dropped);
    h.store.put(row(2), None).await.unwrap();
    let n = h.m.send(&h.t, &ctx(), text("alice", "carol", "c5", "x")).await.unwrap();
    let stored = seq::load(h.store.as_ref(), &h.t, &n.conversation_id, n.seq).await.unwrap().unwrap();
    assert!(!options::is(&stored.options, key::OFFLINE_PUSH));
    assert!(options::is(&stored.options, key::HISTORY));
}

#[tokio::test]
async fn group_rules() {
    let h = Harness::new();
    h.users(&["owner", "adm", "m1", "m2", "out", "imAdmin"]).await;
    assert_eq!(code(&h, group_text("m1", "g1", "c0", "x")).await, 1004, "unknown group");
    h.groups.add("g1", "owner", &["adm", "m1", "m2"]);
    h.groups.set_member("g1", "adm", |m| m.role_level = group_role::ADMIN);
    assert_eq!(code(&h, group_text("m1", "g1", "c1", "x")).await, 0);
    assert_eq!(code(&h, group_text("out", "g1", "c2", "x")).await, 1203);
    assert_eq!(code(&h, MsgData { group_id: String::new(), ..group_text("m1", "g1", "c", "x") }).await, 1001);
    // A muted member (the owner is never muted).
    h.groups.set_member("g1", "m1", |m| m.mute_end_time = T0 + 60_000);
    assert_eq!(code(&h, group_text("m1", "g1", "c3", "x")).await, 1402);
    h.groups.set_member("g1", "owner", |m| m.mute_end_time = T0 + 60_000);
    assert_eq!(code(&h, group_text("owner", "g1", "c4", "x")).await, 0);
    h.clock.advance(61_000);
    assert_eq!(code(&h, group_text("m1", "g1", "c5", "x")).await, 0);
    // A muted group: ordinary members 1403, admins and the owner may speak.
    h.groups.set_group("g1", |g| g.status = group_status::MUTED);
    assert_eq!(code(&h, group_text("m2", "g1", "c6", "x")).await, 1403);
    assert_eq!(code(&h, group_text("adm", "g1", "c7", "x")).await, 0);
    assert_eq!(code(&h, group_text("owner", "g1", "c8", "x")).await, 0);
    // App admins and notifications skip membership; super groups skip every check.
    assert_eq!(code(&h, group_text("imAdmin", "g1", "c9", "x")).await, 0);
    let tip = MsgData { content_type: notification::GROUP_INFO_SET, ..group_text("out", "g1", "c10", "x") };
    assert_eq!(code(&h, tip).await, 0);
    h.groups.set_group("g1", |g| g.group_type = group_type::SUPER);
    assert_eq!(code(&h, group_text("out", "g1", "c11", "x")).await, 0);
    // Dismissed: 1204, except the dismissal notification itself.
    h.groups.set_group("g1", |g| {
        g.status = group_status::DISMISSED;
        g.group_type = group_type::WORKING;
    });
    assert_eq!(code(&h, group_text("owner", "g1", "c12", "x")).await, 1204);
    let dismissed = MsgData { content_type: notification::GROUP_DISMISSED, ..group_text("owner", "g1", "c13", "x") };
    assert_eq!(code(&h, dismissed).await, 0);
}

#[tokio::test]
async fn group_messages_are_stored_once_and_move_the_senders_row_read_seq() {
    let h = Harness::new();
    h.users(&["o", "a", "b"]).await;
    h.groups.add("g", "o", &["a", "b"]);
    let first = h.m.send(&h.t, &ctx(), group_text("a", "g", "g1", "hello")).await.unwrap();
    assert_eq!((first.seq, first.conversation_id.as_str()), (1, "sg_g"));
    h.drain().await; // the first message creates every member's row
    let second = h.m.send(&h.t, &ctx(), group_text("a", "g", "g2", "again")).await.unwrap();
    assert_eq!(second.seq, 2);
    let row = h.m.conversations().get(&h.t, "a", "sg_g").await.unwrap().unwrap();
    assert_eq!(row.has_read_seq, 2);
    let other = h.m.conversations().get(&h.t, "b", "sg_g").await.unwrap().unwrap();
    assert_eq!(other.has_read_seq, 0);
    assert_eq!(messages_in(&h, "sg_g").await, 2);
    let head = h.store.get(&keys::seq_head(&h.t, "sg_g"), Consistency::Strong).await.unwrap().unwrap();
    assert_eq!(head.n("r_a"), None, "group read seqs live on the rows, not the head");
    // Members pull it.
    let req = PullMessageBySeqsReq {
        user_id: "b".into(),
        seq_ranges: vec![SeqRange { conversation_id: "sg_g".into(), begin: 1, end: 2, num: 10 }],
        order: 0,
    };
    let got = h.m.pull_by_range(&h.t, "b", &req).await.unwrap();
    let bodies: Vec<String> = got.msgs["sg_g"].msgs.iter().map(body_of).collect();
    assert_eq!(bodies, ["hello", "again"]);
}

/// The first message of a single chat creates both rows before the reply, so the recipient's
/// sync finds the conversation even if the pipeline never runs (a crash after the reply).
#[tokio::test]
async fn a_first_message_is_found_by_the_recipient_without_the_pipeline() {
    let h = Harness::with(Arc::new(im_store_conformance::MemStore::new()), MsgConfig::default(), false);
    h.users(&["alice", "bob"]).await;
    let out = h.m.send(&h.t, &SendCtx::default(), text("alice", "bob", "first", "hi")).await.unwrap();
    assert_eq!(out.seq, 1);
    let req = im_wire::pb::msg::GetConversationsHasReadAndMaxSeqReq { user_id: "bob".into(), ..Default::default() };
    let seqs = h.m.has_read_and_max_seq(&h.t, "bob", &req).await.unwrap();
    assert_eq!(seqs.seqs.get("si_alice_bob").map(|s| s.max_seq), Some(1), "{seqs:?}");
    let row = h.m.conversations().get(&h.t, "bob", "si_alice_bob").await.unwrap().expect("bob's row");
    assert_eq!(row.user_id, "alice");
    // Later messages add no rows of their own (nothing else to create).
    h.m.send(&h.t, &SendCtx::default(), text("bob", "alice", "second", "yo")).await.unwrap();
    assert!(h.m.conversations().get(&h.t, "alice", "si_alice_bob").await.unwrap().is_some());
}
