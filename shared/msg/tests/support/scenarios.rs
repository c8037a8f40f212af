//! Scenarios shared by the in-memory and DynamoDB tests.

use std::collections::BTreeMap;
use std::sync::Arc;

use im_msg::{SendCtx, SendOutcome};
use im_wire::pb::sdkws::{PullMessageBySeqsReq, SeqRange};

use super::{Harness, body_of, group_text};

/// 20 members of group `g` send 50 messages each, all senders at the same time (each sender
/// one message after the other, as a client does); returns seq → (sender, clientMsgID).
pub async fn thousand_group_sends(h: Arc<Harness>) -> BTreeMap<i64, (String, String)> {
    let senders: Vec<String> = (0..20).map(|i| format!("s{i:02}")).collect();
    let mut tasks = Vec::new();
    for s in &senders {
        let (h, s) = (h.clone(), s.clone());
        tasks.push(tokio::spawn(async move {
            let mut sent = Vec::with_capacity(50);
            for i in 0..50 {
                let cmid = format!("{s}-{i}");
                let out: SendOutcome =
                    h.m.send(&h.t, &SendCtx::default(), group_text(&s, "g", &cmid, &cmid)).await.expect("send");
                sent.push((out.seq, s.clone(), cmid));
            }
            sent
        }));
    }
    let mut by_seq = BTreeMap::new();
    for t in tasks {
        for (seq, s, cmid) in t.await.expect("task") {
            assert!(by_seq.insert(seq, (s, cmid)).is_none(), "seq {seq} handed out twice");
        }
    }
    by_seq
}

/// Asserts seqs 1..=1000 and that one pull returns all of them in order with the right senders.
pub async fn assert_thousand(h: &Harness, by_seq: &BTreeMap<i64, (String, String)>) {
    assert_eq!(by_seq.keys().copied().collect::<Vec<_>>(), (1..=1000).collect::<Vec<i64>>());
    let req = PullMessageBySeqsReq {
        user_id: "s00".into(),
        seq_ranges: vec![SeqRange { conversation_id: "sg_g".into(), begin: 1, end: 1000, num: 1000 }],
        order: 0,
    };
    let got = h.m.pull_by_range(&h.t, "s00", &req).await.expect("pull");
    let msgs = &got.msgs["sg_g"].msgs;
    assert_eq!(msgs.len(), 1000);
    for (i, m) in msgs.iter().enumerate() {
        let (sender, cmid) = &by_seq[&(i as i64 + 1)];
        assert_eq!((m.seq, &m.send_id, &m.client_msg_id), (i as i64 + 1, sender, cmid));
        assert_eq!(&body_of(m), cmid);
    }
}
