//! The read side on the in-memory store: range pulls (§6.4), explicit seqs (WS 1005), last
//! messages (WS 1007), newest seqs (WS 1001) and read/max seqs (WS 1006), with access checks.

mod support;

use im_conversation::record::ConversationRecord;
use im_domain::store::{AttrValue, Update};
use im_msg::record::{RevokeInfo, attr};
use im_msg::{SendCtx, keys};
use im_wire::pb::msg::{ConversationSeqs, GetConversationsHasReadAndMaxSeqReq, GetSeqMessageReq};
use im_wire::pb::sdkws::{MsgData, PullMessageBySeqsReq, PullMessageBySeqsResp, SeqRange};
use support::*;

fn range(cid: &str, begin: i64, end: i64, num: i64) -> SeqRange {
    SeqRange { conversation_id: cid.into(), begin, end, num }
}

fn req(order: i32, ranges: Vec<SeqRange>) -> PullMessageBySeqsReq {
    PullMessageBySeqsReq { user_id: "ignored".into(), seq_ranges: ranges, order }
}

fn seqs_of(resp: &PullMessageBySeqsResp, cid: &str) -> Vec<i64> {
    resp.msgs
        .get(cid)
        .or_else(|| resp.notification_msgs.get(cid))
        .map(|p| p.msgs.iter().map(|m| m.seq).collect())
        .unwrap_or_default()
}

/// alice and bob with `n` messages in si_alice_bob (bodies "m1".."mn").
async fn chat(n: usize) -> Harness {
    let h = Harness::new();
    h.users(&["alice", "bob", "eve"]).await;
    for i in 1..=n {
        h.m.send(&h.t, &SendCtx::default(), text("alice", "bob", &format!("c{i}"), &format!("m{i}"))).await.unwrap();
    }
    h
}

#[tokio::test]
async fn range_pulls_clamp_cap_and_mark_the_end() {
    let h = chat(10).await;
    let cid = "si_alice_bob";
    // The last `num` of the clamped range, ascending.
    let r = h.m.pull_by_range(&h.t, "bob", &req(0, vec![range(cid, 0, 100, 3)])).await.unwrap();
    assert_eq!(seqs_of(&r, cid), [8, 9, 10]);
    assert!(r.msgs[cid].is_end, "asc: the window's max (10) ≤ end (100)");
    assert_eq!(r.msgs[cid].end_seq, 0);
    let r = h.m.pull_by_range(&h.t, "bob", &req(0, vec![range(cid, 2, 5, 10)])).await.unwrap();
    assert_eq!(seqs_of(&r, cid), [2, 3, 4, 5]);
    assert!(!r.msgs[cid].is_end);
    let bodies: Vec<String> = r.msgs[cid].msgs.iter().map(body_of).collect();
    assert_eq!(bodies, ["m2", "m3", "m4", "m5"]);
    // Descending: the end is reached when begin ≤ the window's min.
    let r = h.m.pull_by_range(&h.t, "bob", &req(1, vec![range(cid, 1, 4, 10)])).await.unwrap();
    assert!(r.msgs[cid].is_end);
    let r = h.m.pull_by_range(&h.t, "bob", &req(1, vec![range(cid, 2, 4, 10)])).await.unwrap();
    assert!(!r.msgs[cid].is_end);
    // Outside the window, or num 0: the conversation is left out.
    let r =
        h.m.pull_by_range(&h.t, "bob", &req(0, vec![range(cid, 11, 20, 10), range("si_alice_eve", 1, 5, 5)]))
            .await
            .unwrap();
    assert!(r.msgs.is_empty() && r.notification_msgs.is_empty());
    let r = h.m.pull_by_range(&h.t, "bob", &req(0, vec![range(cid, 1, 10, 0)])).await.unwrap();
    assert!(r.msgs.is_empty());
    // A configured cap bounds num.
    let capped = Harness::with(h.store.clone(), im_msg::MsgConfig { max_pull: 4, ..Default::default() }, false);
    let r = capped.m.pull_by_range(&h.t, "bob", &req(0, vec![range(cid, 1, 10, 100)])).await.unwrap();
    assert_eq!(seqs_of(&r, cid), [7, 8, 9, 10]);
}

#[tokio::test]
async fn gaps_deleted_revoked_and_read_messages() {
    let h = chat(3).await;
    let cid = "si_alice_bob";
    // Seq 4 allocated but never stored; seq 5 stored.
    h.store.update(&keys::seq_head(&h.t, cid), &Update::new().set_sum("max", "max", 1), None).await.unwrap();
    h.m.send(&h.t, &SendCtx::default(), text("bob", "alice", "c5", "m5")).await.unwrap();
    // bob deleted seq 1 for himself; alice revoked seq 2; seq 3 was read.
    let del = Update::new().set(attr::DEL, AttrValue::L(vec![AttrValue::S("bob".into())]));
    h.store.update(&keys::message(&h.t, cid, 1), &del, None).await.unwrap();
    let rv = RevokeInfo { role: 0, user_id: "alice".into(), nickname: "Alice".into(), time: T0 + 5 };
    h.store.update(&keys::message(&h.t, cid, 2), &Update::new().set(attr::RV, rv.to_attr()), None).await.unwrap();
    h.store.update(&keys::message(&h.t, cid, 3), &Update::new().set(attr::READ, true), None).await.unwrap();

    let r = h.m.pull_by_range(&h.t, "bob", &req(0, vec![range(cid, 1, 5, 10)])).await.unwrap();
    let msgs = &r.msgs[cid].msgs;
    assert_eq!(msgs.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    assert_eq!((msgs[0].status, msgs[0].content.len()), (4, 0), "deleted for bob");
    assert_eq!(msgs[1].content_type, 2101, "revoked");
    let outer: serde_json::Value = serde_json::from_slice(&msgs[1].content).unwrap();
    let detail: serde_json::Value = serde_json::from_str(outer["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        (detail["revokerID"].as_str(), detail["clientMsgID"].as_str(), detail["seq"].as_i64()),
        (Some("alice"), Some("c2"), Some(2))
    );
    assert!(msgs[2].is_read);
    assert_eq!(
        (msgs[3].status, msgs[3].send_id.as_str(), msgs[3].content.len()),
        (4, "", 0),
        "placeholder for the gap"
    );
    assert_eq!(body_of(&msgs[4]), "m5");
    // alice did not delete seq 1.
    let r = h.m.pull_by_range(&h.t, "alice", &req(0, vec![range(cid, 1, 1, 1)])).await.unwrap();
    assert_eq!(body_of(&r.msgs[cid].msgs[0]), "m1");
}

#[tokio::test]
async fn only_parties_and_row_owners_read_a_conversation() {
    let h = chat(2).await;
    // eve is not a party of si_alice_bob and has no row.
    let r = h.m.pull_by_range(&h.t, "eve", &req(0, vec![range("si_alice_bob", 1, 2, 10)])).await.unwrap();
    assert!(r.msgs.is_empty());
    // Groups: a member reads once they have a row; the group's n_ conversation too.
    h.users(&["o"]).await;
    h.groups.add("g", "o", &["alice"]);
    h.m.send(&h.t, &SendCtx::default(), group_text("o", "g", "g1", "hey")).await.unwrap();
    let ranges = vec![range("sg_g", 1, 1, 1), range("n_g", 1, 1, 1)];
    assert!(h.m.pull_by_range(&h.t, "alice", &req(0, ranges.clone())).await.unwrap().msgs.is_empty());
    h.drain().await;
    let r = h.m.pull_by_range(&h.t, "alice", &req(0, ranges.clone())).await.unwrap();
    assert_eq!(seqs_of(&r, "sg_g"), [1]);
    assert!(h.m.pull_by_range(&h.t, "eve", &req(0, ranges)).await.unwrap().msgs.is_empty());
    // A row's minSeq/maxSeq bound the window (cleared history, left the group).
    let mut row = ConversationRecord::new("si_alice_bob", 1).with_user("alice").for_owner("bob", T0);
    row.min_seq = 2;
    h.store.put(row.to_item(&h.t), None).await.unwrap();
    let r = h.m.pull_by_range(&h.t, "bob", &req(1, vec![range("si_alice_bob", 1, 2, 10)])).await.unwrap();
    assert_eq!(seqs_of(&r, "si_alice_bob"), [2]);
    assert!(r.msgs["si_alice_bob"].is_end);
}

#[tokio::test]
async fn notification_conversations_ignore_num() {
    let h = chat(0).await;
    for i in 0..4 {
        let mut n = text("alice", "bob", &format!("n{i}"), "tip");
        im_msg::options::set(&mut n.options, "isNotNotification", false);
        im_msg::options::set(&mut n.options, "isSendMsg", false);
        h.m.send(&h.t, &SendCtx::default(), n).await.unwrap();
    }
    let r = h.m.pull_by_range(&h.t, "bob", &req(0, vec![range("n_alice_bob", 2, 10, 1)])).await.unwrap();
    assert!(r.msgs.is_empty());
    assert_eq!(seqs_of(&r, "n_alice_bob"), [2, 3, 4]);
    assert!(r.notification_msgs["n_alice_bob"].is_end);
}

#[tokio::test]
async fn explicit_seqs_with_bounds() {
    let h = chat(5).await;
    let cid = "si_alice_bob";
    let q = |seqs: Vec<i64>, order: i32| GetSeqMessageReq {
        user_id: "bob".into(),
        conversations: vec![ConversationSeqs { conversation_id: cid.into(), seqs }],
        order,
    };
    let r = h.m.pull_by_seqs(&h.t, "bob", &q(vec![4, 2, 0, -1], 0)).await.unwrap();
    let p = &r.msgs[cid];
    assert_eq!((p.msgs.iter().map(|m| m.seq).collect::<Vec<_>>(), p.is_end, p.end_seq), (vec![2, 4], false, 0));
    let r = h.m.pull_by_seqs(&h.t, "bob", &q(vec![5, 6, 7], 0)).await.unwrap();
    let p = &r.msgs[cid];
    assert_eq!((p.msgs.len(), p.is_end, p.end_seq), (1, true, 5));
    // Descending, below the window (bob cleared up to 3).
    let mut row = ConversationRecord::new(cid, 1).with_user("alice").for_owner("bob", T0);
    row.min_seq = 3;
    h.store.put(row.to_item(&h.t), None).await.unwrap();
    let r = h.m.pull_by_seqs(&h.t, "bob", &q(vec![1, 2, 3], 1)).await.unwrap();
    let p = &r.msgs[cid];
    assert_eq!((p.msgs.iter().map(|m| m.seq).collect::<Vec<_>>(), p.is_end, p.end_seq), (vec![3], true, 3));
    // Unreadable conversations are left out.
    let r = h.m.pull_by_seqs(&h.t, "eve", &q(vec![1], 0)).await.unwrap();
    assert!(r.msgs.is_empty());
}

#[tokio::test]
async fn last_messages_newest_seqs_and_read_seqs() {
    let h = chat(3).await;
    h.m.send(&h.t, &SendCtx::default(), text("bob", "alice", "b1", "reply")).await.unwrap();
    h.drain().await; // rows of si_alice_bob exist now
    let last = h.m.last_messages(&h.t, "alice", &["si_alice_bob".into(), "si_bob_eve".into()]).await.unwrap();
    assert_eq!(last.msgs.len(), 1);
    assert_eq!((last.msgs["si_alice_bob"].seq, body_of(&last.msgs["si_alice_bob"])), (4, "reply".to_string()));

    // newest_seq: the user's conversations, their n_ twins and n_<uid>_<uid>; zeros left out.
    let mut tip = text("bob", "alice", "n1", "tip");
    im_msg::options::set(&mut tip.options, "isNotNotification", false);
    im_msg::options::set(&mut tip.options, "isSendMsg", false);
    h.m.send(&h.t, &SendCtx::default(), tip).await.unwrap();
    let mut own = text("alice", "alice", "self1", "note");
    im_msg::options::set(&mut own.options, "isNotNotification", false);
    im_msg::options::set(&mut own.options, "isSendMsg", false);
    h.m.send(&h.t, &SendCtx::default(), own).await.unwrap();
    let newest = h.m.newest_seq(&h.t, "alice").await.unwrap();
    let got: Vec<(String, i64)> = newest.max_seqs.clone().into_iter().collect();
    assert_eq!(
        got,
        [("n_alice_alice".to_string(), 1), ("n_alice_bob".to_string(), 1), ("si_alice_bob".to_string(), 4)]
    );
    assert!(newest.min_seqs.is_empty());
    let eve = h.m.newest_seq(&h.t, "eve").await.unwrap();
    assert!(eve.max_seqs.is_empty());

    // Read seqs: alice sent 1..3 (r_alice = 3), bob sent 4 (r_bob = 4).
    let all = GetConversationsHasReadAndMaxSeqReq { user_id: "alice".into(), ..Default::default() };
    let r = h.m.has_read_and_max_seq(&h.t, "alice", &all).await.unwrap();
    let s = &r.seqs["si_alice_bob"];
    assert_eq!((s.max_seq, s.has_read_seq, s.max_seq_time), (4, 3, T0));
    assert!(r.pinned_conversation_ids.is_empty());
    let r = h.m.has_read_and_max_seq(&h.t, "bob", &all).await.unwrap();
    assert_eq!(r.seqs["si_alice_bob"].has_read_seq, 4);
    // Marking read on the row wins when it is ahead of the head.
    h.m.conversations().advance_has_read_seq(&h.t, "alice", "si_alice_bob", 4).await.unwrap();
    let r = h.m.has_read_and_max_seq(&h.t, "alice", &all).await.unwrap();
    assert_eq!(r.seqs["si_alice_bob"].has_read_seq, 4);
    // Requested IDs: a party's conversation without a row counts, a stranger's does not.
    let some = GetConversationsHasReadAndMaxSeqReq {
        user_id: "alice".into(),
        conversation_ids: vec!["n_alice_bob".into(), "si_bob_eve".into()],
        return_pinned: true,
    };
    let r = h.m.has_read_and_max_seq(&h.t, "alice", &some).await.unwrap();
    assert_eq!(r.seqs.keys().collect::<Vec<_>>(), ["n_alice_bob"]);
    assert_eq!(r.seqs["n_alice_bob"].max_seq, 1);
}

#[tokio::test]
async fn unknown_placeholder_shapes() {
    let h = chat(1).await;
    let got = h.m.fetch(&h.t, "bob", "si_alice_bob", &[1, 7, 9]).await.unwrap();
    // A stored message keeps the status its sender set (1, sending), as OpenIM stores it.
    assert_eq!(got.iter().map(|m| (m.seq, m.status)).collect::<Vec<_>>(), [(1, 1), (7, 4), (9, 4)]);
    assert_eq!(got[1], MsgData { seq: 7, status: 4, ..MsgData::default() });
}
