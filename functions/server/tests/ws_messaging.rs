//! Messaging over the WebSocket gateway, end to end on im-server: 1003 send, 2001 pushes to the
//! recipient and to the sender's other device, then 1001/1002/1005/1006/1007 reading it back,
//! in gob+gzip and JSON modes. Each test runs on the embedded store and on DynamoDB.

mod support;
mod ws_support;

use std::time::{Duration, Instant};

use im_wire::pb::msg::{
    ConversationSeqs, GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetLastMessageReq,
    GetLastMessageResp, GetSeqMessageReq, GetSeqMessageResp, SendMsgResp,
};
use im_wire::pb::sdkws::{
    GetMaxSeqReq, GetMaxSeqResp, MsgData, PullMessageBySeqsReq, PullMessageBySeqsResp, PushMessages, SeqRange,
};
use prost::Message;
use support::*;
use ws_support::*;

const IOS: i32 = 1;
const ANDROID: i32 = 2;
const WEB: i32 = 5;
const CID: &str = "si_alice_bob";

fn text(from: &str, to: &str, client_msg_id: &str, body: &str) -> MsgData {
    MsgData {
        send_id: from.into(),
        recv_id: to.into(),
        client_msg_id: client_msg_id.into(),
        sender_platform_id: WEB,
        sender_nickname: from.into(),
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: format!(r#"{{"content":"{body}"}}"#).into_bytes(),
        create_time: 1_700_000_000_000,
        status: 1,
        ..MsgData::default()
    }
}

fn pushed(p: &im_wire::ws::WsResp) -> MsgData {
    assert_eq!((p.req_identifier, p.msg_incr.as_str(), p.err_code), (2001, "", 0));
    let msgs = PushMessages::decode(p.data.as_slice()).expect("PushMessages");
    assert!(msgs.notification_msgs.is_empty());
    assert_eq!(msgs.msgs.len(), 1);
    let entry = &msgs.msgs[CID];
    assert_eq!(entry.msgs.len(), 1);
    entry.msgs[0].clone()
}

on_both_backends! {
    /// A 1:1 message sent over 1003 reaches the recipient (gob+gzip and JSON devices) and the
    /// sender's other device as 2001 pushes, and reads back through every pull identifier.
    async fn send_push_and_pull(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let mut alice = g.connect("alice", WEB, Mode::GO).await;
        let mut alice_phone = g.connect("alice", IOS, Mode::PY).await;
        let mut bob = g.connect("bob", ANDROID, Mode::GO).await;
        let mut bob_web = g.connect("bob", WEB, Mode::JS).await;

        let r = alice.request(1003, text("alice", "bob", "cm-1", "hi bob").encode_to_vec()).await;
        assert_eq!((r.req_identifier, r.err_code, r.err_msg.as_str()), (1003, 0, ""));
        let sent = SendMsgResp::decode(r.data.as_slice()).unwrap();
        assert_eq!(sent.client_msg_id, "cm-1");
        assert_eq!(sent.server_msg_id.len(), 32);
        assert!(sent.send_time > 0);

        for (who, c) in [("bob", &mut bob), ("bob web", &mut bob_web), ("alice's phone", &mut alice_phone)] {
            let p = c.push(2001, Duration::from_secs(10)).await.unwrap_or_else(|| panic!("{who} got no push"));
            let m = pushed(&p);
            assert_eq!((m.client_msg_id.as_str(), m.server_msg_id.as_str(), m.seq), ("cm-1", sent.server_msg_id.as_str(), 1), "{who}");
            assert_eq!((m.send_id.as_str(), m.recv_id.as_str(), m.send_time), ("alice", "bob", sent.send_time), "{who}");
            assert_eq!(m.content, br#"{"content":"hi bob"}"#.to_vec(), "{who}");
        }

        // 1001: newest seqs.
        let r = bob.request(1001, GetMaxSeqReq { user_id: "bob".into() }.encode_to_vec()).await;
        assert_eq!(r.err_code, 0, "{}", r.err_msg);
        let seqs = GetMaxSeqResp::decode(r.data.as_slice()).unwrap();
        assert_eq!(seqs.max_seqs.get(CID), Some(&1), "{seqs:?}");
        // Someone else's seqs: 1002.
        let r = bob.request(1001, GetMaxSeqReq { user_id: "alice".into() }.encode_to_vec()).await;
        assert_eq!((r.err_code, r.data.len()), (1002, 0));

        // 1002: range pull (JSON device).
        let range = PullMessageBySeqsReq {
            user_id: "bob".into(),
            seq_ranges: vec![SeqRange { conversation_id: CID.into(), begin: 0, end: 1, num: 20 }],
            ..Default::default()
        };
        let r = bob_web.request(1002, range.encode_to_vec()).await;
        assert_eq!(r.err_code, 0, "{}", r.err_msg);
        let pulled = PullMessageBySeqsResp::decode(r.data.as_slice()).unwrap();
        let got: Vec<i64> = pulled.msgs[CID].msgs.iter().map(|m| m.seq).collect();
        assert_eq!(got, [1]);
        assert_eq!(pulled.msgs[CID].msgs[0].client_msg_id, "cm-1");

        // 1005: explicit seqs.
        let seqs = GetSeqMessageReq {
            user_id: "bob".into(),
            conversations: vec![ConversationSeqs { conversation_id: CID.into(), seqs: vec![1] }],
            ..Default::default()
        };
        let r = bob.request(1005, seqs.encode_to_vec()).await;
        assert_eq!(r.err_code, 0, "{}", r.err_msg);
        let got = GetSeqMessageResp::decode(r.data.as_slice()).unwrap();
        assert_eq!(got.msgs[CID].msgs[0].client_msg_id, "cm-1");

        // 1006: the sender has read its own message; the recipient has not.
        let req = GetConversationsHasReadAndMaxSeqReq { user_id: "bob".into(), ..Default::default() }.encode_to_vec();
        let r = bob.request(1006, req).await;
        let s = GetConversationsHasReadAndMaxSeqResp::decode(r.data.as_slice()).unwrap();
        assert_eq!((s.seqs[CID].max_seq, s.seqs[CID].has_read_seq), (1, 0), "{s:?}");
        let req = GetConversationsHasReadAndMaxSeqReq { user_id: "alice".into(), ..Default::default() }.encode_to_vec();
        let s = GetConversationsHasReadAndMaxSeqResp::decode(alice.request(1006, req).await.data.as_slice()).unwrap();
        assert_eq!((s.seqs[CID].max_seq, s.seqs[CID].has_read_seq), (1, 1), "{s:?}");

        // 1007: last message.
        let req = GetLastMessageReq { user_id: "alice".into(), conversation_ids: vec![CID.into()] };
        let r = alice.request(1007, req.encode_to_vec()).await;
        let last = GetLastMessageResp::decode(r.data.as_slice()).unwrap();
        assert_eq!(last.msgs[CID].client_msg_id, "cm-1");

        // Sending as someone else over the socket is refused (1002), nothing is pushed.
        let r = alice.request(1003, text("bob", "alice", "cm-forged", "x").encode_to_vec()).await;
        assert_eq!(r.err_code, 1002);
        assert!(bob.push(2001, Duration::from_millis(500)).await.is_none());
    }

    /// An iOS connection in the background (2004) gets no online push; back in the foreground
    /// it does.
    async fn ios_background_skips_push(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let mut alice = g.connect("alice", WEB, Mode::GO).await;
        let mut bob = g.connect("bob", IOS, Mode::GO).await;
        let bg = |b: bool| im_wire::pb::sdkws::SetAppBackgroundStatusReq { user_id: "bob".into(), is_background: b }.encode_to_vec();
        assert_eq!(bob.request(2004, bg(true)).await.err_code, 0);
        assert_eq!(alice.request(1003, text("alice", "bob", "bg-1", "one").encode_to_vec()).await.err_code, 0);
        assert!(bob.push(2001, Duration::from_millis(1500)).await.is_none(), "skipped in the background");
        assert_eq!(bob.request(2004, bg(false)).await.err_code, 0);
        assert_eq!(alice.request(1003, text("alice", "bob", "bg-2", "two").encode_to_vec()).await.err_code, 0);
        let m = pushed(&bob.push(2001, Duration::from_secs(10)).await.expect("pushed in the foreground"));
        assert_eq!((m.client_msg_id.as_str(), m.seq), ("bg-2", 2));
    }
}

/// Quick local throughput figures (printed, not asserted beyond sanity): request round trips
/// over 16 connections, and send → push delivery.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throughput_figures() {
    let users: Vec<String> = (0..16).map(|i| format!("tp{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let g = Gw::start(Backend::Embedded, &refs, &[]).await;
    let mut clients = Vec::new();
    for (mode, label) in [(Mode::GOB, "gob"), (Mode::GO, "gob+gzip"), (Mode::JS, "JSON")] {
        let mut cs = Vec::new();
        for u in &users {
            cs.push(g.connect(u, WEB, mode).await);
        }
        // 2005 with nothing to subscribe: a full decode → dispatch → encode round trip, no storage.
        let per = 300;
        let started = Instant::now();
        let tasks: Vec<_> = cs
            .into_iter()
            .map(|mut c| {
                tokio::spawn(async move {
                    for _ in 0..per {
                        assert_eq!(c.request(2005, vec![]).await.err_code, 0);
                    }
                    c
                })
            })
            .collect();
        clients.clear();
        for t in tasks {
            clients.push(t.await.expect("client"));
        }
        let secs = started.elapsed().as_secs_f64();
        let n = (per * users.len()) as f64;
        println!("gateway round trips ({label}, 16 connections): {n} in {secs:.2}s = {:.0} requests/s", n / secs);
        assert!(n / secs > 50.0);
    }

    // Sends: tp0 → tp1 (1003, stored), measured until every push arrived.
    let mut receiver = clients.remove(1);
    let mut sender = clients.remove(0);
    let sends = 300;
    let started = Instant::now();
    let recv = tokio::spawn(async move {
        for i in 0..sends {
            receiver.push(2001, Duration::from_secs(30)).await.unwrap_or_else(|| panic!("push {i} missing"));
        }
    });
    for i in 0..sends {
        let r = sender.request(1003, text("tp0", "tp1", &format!("tp-{i}"), "x").encode_to_vec()).await;
        assert_eq!(r.err_code, 0, "{}", r.err_msg);
    }
    let acked = started.elapsed().as_secs_f64();
    recv.await.expect("pushes");
    let all = started.elapsed().as_secs_f64();
    println!(
        "1:1 sends over one connection: {sends} acked in {acked:.2}s ({:.0}/s), all pushed by {all:.2}s ({:.0}/s)",
        sends as f64 / acked,
        sends as f64 / all
    );
}
