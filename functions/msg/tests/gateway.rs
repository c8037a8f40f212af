//! The messaging module behind the WebSocket gateway's reqIdentifiers 1001–1007
//! (`LocalMessaging::gateway_service`): the connection's user acts, and may only send as itself.

use std::sync::Arc;
use std::time::Duration;

use im_domain::TenantId;
use im_domain::clock::Env;
use im_fn_msg::local::{LocalMessaging, Peers};
use im_gateway::RequestCtx;
use im_msg::MsgConfig;
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use im_wire::pb::msg::{ConversationSeqs, GetConversationsHasReadAndMaxSeqReq, GetLastMessageReq, GetSeqMessageReq};
use im_wire::pb::sdkws::{GetMaxSeqReq, MsgData, PullMessageBySeqsReq, SeqRange};

fn ctx(user: &str, admin: bool) -> RequestCtx {
    RequestCtx {
        tenant: TenantId::default_tenant(),
        user_id: user.into(),
        platform_id: 5,
        is_admin: admin,
        operation_id: "op-ws".into(),
        conn_id: format!("{user}-conn"),
    }
}

fn text(send: &str, recv: &str, cmid: &str) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        client_msg_id: cmid.into(),
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: br#"{"content":"hi"}"#.to_vec(),
        ..MsgData::default()
    }
}

#[tokio::test]
async fn requests_act_for_the_connections_user() {
    let store = Arc::new(MemStore::new());
    let users = UserRepo::new(store.clone());
    for id in ["alice", "bob"] {
        let u = UserRecord { user_id: id.into(), ..UserRecord::default() };
        users.create(&TenantId::default_tenant(), &u).await.unwrap();
    }
    let local = LocalMessaging::start(store, Env::system(), MsgConfig::default(), Peers::stubs()).unwrap();
    let svc = local.gateway_service();

    // [quirk] closed: a non-admin connection cannot send as someone else.
    let e = svc.send(&ctx("alice", false), text("bob", "alice", "c0")).await.unwrap_err();
    assert_eq!(e.code, 1002);
    let sent = svc.send(&ctx("alice", false), text("alice", "bob", "c1")).await.unwrap();
    assert_eq!((sent.client_msg_id.as_str(), sent.server_msg_id.len()), ("c1", 32));
    // Retrying the same clientMsgID over the socket returns the original.
    let again = svc.send(&ctx("alice", false), text("alice", "bob", "c1")).await.unwrap();
    assert_eq!(again.server_msg_id, sent.server_msg_id);
    assert!(svc.send(&ctx("imAdmin", true), text("bob", "alice", "c2")).await.is_ok());
    tokio::time::timeout(Duration::from_secs(10), local.queue().idle()).await.unwrap();

    // An empty userID means the connection's user.
    let newest = svc.newest_seq(&ctx("bob", false), GetMaxSeqReq { user_id: String::new() }).await.unwrap();
    assert_eq!(newest.max_seqs.get("si_alice_bob"), Some(&2));
    let range = PullMessageBySeqsReq {
        user_id: String::new(),
        seq_ranges: vec![SeqRange { conversation_id: "si_alice_bob".into(), begin: 1, end: 2, num: 2 }],
        order: 0,
    };
    let pulled = svc.pull_by_range(&ctx("bob", false), range).await.unwrap();
    assert_eq!(pulled.msgs["si_alice_bob"].msgs.len(), 2);
    let seqs = GetSeqMessageReq {
        user_id: "bob".into(),
        conversations: vec![ConversationSeqs { conversation_id: "si_alice_bob".into(), seqs: vec![2] }],
        order: 0,
    };
    let got = svc.pull_by_seqs(&ctx("bob", false), seqs).await.unwrap();
    assert_eq!(got.msgs["si_alice_bob"].msgs[0].send_id, "bob");
    let read =
        svc.has_read_and_max_seq(&ctx("alice", false), GetConversationsHasReadAndMaxSeqReq::default()).await.unwrap();
    assert_eq!((read.seqs["si_alice_bob"].max_seq, read.seqs["si_alice_bob"].has_read_seq), (2, 1));
    let last = svc
        .last_messages(
            &ctx("alice", false),
            GetLastMessageReq { user_id: String::new(), conversation_ids: vec!["si_alice_bob".into()] },
        )
        .await
        .unwrap();
    assert_eq!(last.msgs["si_alice_bob"].seq, 2);
}
