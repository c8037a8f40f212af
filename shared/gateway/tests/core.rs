//! The gateway core without a network: the real auth service on an in-memory store, a
//! recording messaging service and a recording pusher. Covers what both front doors (im-server
//! and the API Gateway Lambda) rely on.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use im_auth::{AuthConfig, AuthService, ConnectionKicker, NoopKicker, Policy};
use im_domain::clock::{Env, SystemClock};
use im_domain::constants::token_state;
use im_domain::{ImError, ImResult, TenantId};
use im_gateway::{
    ConnectInfo, FrameOutcome, Gateway, GatewayConfig, GatewayDeps, Inbound, MessageService, Outbound, Params,
    RegistryKicker, RequestCtx, Session,
};
use im_repo::connection::{ConnectionPusher, ConnectionRecord, EndpointKind, PostOutcome, ServerFrame};
use im_repo::{UserRecord, UserRepo};
use im_store_conformance::MemStore;
use im_wire::pb::msg::{
    GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetLastMessageReq, GetLastMessageResp,
    GetSeqMessageReq, GetSeqMessageResp, SendMsgResp,
};
use im_wire::pb::sdkws::{
    GetMaxSeqReq, GetMaxSeqResp, MsgData, PullMessageBySeqsReq, PullMessageBySeqsResp, SubUserOnlineStatus,
    SubUserOnlineStatusTips,
};
use im_wire::ws::{self, Encoding, WsReq, WsResp};
use prost::Message;

/// Records the user each call acted for and answers with recognisable payloads.
#[derive(Default)]
struct FakeMsg {
    calls: Mutex<Vec<(String, String)>>,
}

impl FakeMsg {
    fn log(&self, op: &str, user: &str) {
        self.calls.lock().unwrap().push((op.into(), user.into()));
    }
}

#[async_trait]
impl MessageService for FakeMsg {
    async fn newest_seq(&self, _: &RequestCtx, req: GetMaxSeqReq) -> ImResult<GetMaxSeqResp> {
        self.log("newest", &req.user_id);
        let mut r = GetMaxSeqResp::default();
        r.max_seqs.insert(format!("n_{0}_{0}", req.user_id), 3);
        Ok(r)
    }
    async fn pull_by_range(&self, _: &RequestCtx, req: PullMessageBySeqsReq) -> ImResult<PullMessageBySeqsResp> {
        self.log("range", &req.user_id);
        Ok(PullMessageBySeqsResp::default())
    }
    async fn send(&self, ctx: &RequestCtx, msg: MsgData) -> ImResult<SendMsgResp> {
        self.log("send", &msg.send_id);
        if msg.recv_id == "blocker" {
            return Err(ImError::new(im_domain::ErrCode::BlockedByPeer, ""));
        }
        Ok(SendMsgResp {
            client_msg_id: msg.client_msg_id,
            server_msg_id: ctx.operation_id.clone(),
            send_time: 42,
            modify: None,
        })
    }
    async fn pull_by_seqs(&self, _: &RequestCtx, req: GetSeqMessageReq) -> ImResult<GetSeqMessageResp> {
        self.log("seqs", &req.user_id);
        Ok(GetSeqMessageResp::default())
    }
    async fn has_read_and_max_seq(
        &self,
        _: &RequestCtx,
        req: GetConversationsHasReadAndMaxSeqReq,
    ) -> ImResult<GetConversationsHasReadAndMaxSeqResp> {
        self.log("read", &req.user_id);
        Ok(GetConversationsHasReadAndMaxSeqResp::default())
    }
    async fn last_messages(&self, _: &RequestCtx, req: GetLastMessageReq) -> ImResult<GetLastMessageResp> {
        self.log("last", &req.user_id);
        Ok(GetLastMessageResp::default())
    }
}

/// Records every frame and close.
#[derive(Default)]
struct Recorder {
    posts: Mutex<Vec<(String, ServerFrame)>>,
    closes: Mutex<Vec<String>>,
}

#[async_trait]
impl ConnectionPusher for Recorder {
    async fn post(&self, _: &TenantId, r: &ConnectionRecord, f: &ServerFrame) -> ImResult<PostOutcome> {
        self.posts.lock().unwrap().push((r.conn_id.clone(), f.clone()));
        Ok(PostOutcome::Delivered)
    }
    async fn close(&self, _: &TenantId, r: &ConnectionRecord) -> ImResult<PostOutcome> {
        self.closes.lock().unwrap().push(r.conn_id.clone());
        Ok(PostOutcome::Delivered)
    }
}

struct World {
    gw: Gateway,
    auth: Arc<AuthService>,
    msg: Arc<FakeMsg>,
    pusher: Arc<Recorder>,
    store: Arc<MemStore>,
}

async fn world(policy: Policy) -> World {
    let store = Arc::new(MemStore::new());
    let t = TenantId::default_tenant();
    for u in ["alice", "bob"] {
        let rec = UserRecord { user_id: u.into(), nickname: u.into(), ..Default::default() };
        UserRepo::new(store.clone()).create(&t, &rec).await.unwrap();
    }
    let mut cfg = AuthConfig::default();
    cfg.multi_login.policy = policy;
    let auth = Arc::new(AuthService::new(cfg, store.clone(), Arc::new(SystemClock), Arc::new(NoopKicker)));
    let msg = Arc::new(FakeMsg::default());
    let pusher = Arc::new(Recorder::default());
    let deps = GatewayDeps {
        store: store.clone(),
        env: Env::system(),
        verifier: auth.clone(),
        messaging: msg.clone(),
        pusher: pusher.clone(),
    };
    let gw = Gateway::new(GatewayConfig { multi_login: policy, ..Default::default() }, deps);
    World { gw, auth, msg, pusher, store }
}

fn no_headers(_: &str) -> Option<String> {
    None
}

impl World {
    async fn connect(&self, user: &str, platform: i32, extra: &str, kind: EndpointKind) -> Session {
        let token = self.auth.get_user_token(&TenantId::default_tenant(), user, platform).await.unwrap().token;
        self.connect_token(user, &token, platform, extra, kind).await
    }

    async fn connect_token(&self, user: &str, token: &str, platform: i32, extra: &str, kind: EndpointKind) -> Session {
        let q = format!("sendID={user}&token={token}&platformID={platform}&operationID=op&isBackground=false{extra}");
        let info = ConnectInfo { endpoint: "http://node".into(), kind, ..Default::default() };
        let s = self.gw.authenticate(&Params::from_query(&q), &no_headers, &info).await.expect("authenticated");
        self.gw.open(&s).await.unwrap();
        s
    }
}

fn req(user: &str, ident: i32, data: Vec<u8>) -> WsReq {
    WsReq {
        req_identifier: ident,
        send_id: user.into(),
        operation_id: "op7".into(),
        msg_incr: "m7".into(),
        data,
        ..Default::default()
    }
}

fn one_reply(o: &FrameOutcome, enc: Encoding, gzip: bool) -> WsResp {
    assert_eq!(o.replies.len(), 1, "{o:?}");
    match &o.replies[0] {
        Outbound::Binary(b) => ws::decode_resp(b, enc, gzip).unwrap(),
        Outbound::Text(t) => ws::decode_resp(t.as_bytes(), Encoding::Json, false).unwrap(),
    }
}

async fn call(w: &World, s: &Session, r: WsReq) -> WsResp {
    let frame = ws::encode_req(&r, s.encoding, s.gzip);
    let o = w.gw.handle_frame(s, Inbound::Binary(&frame)).await;
    assert!(!o.close || r.req_identifier == 2003, "{o:?}");
    one_reply(&o, s.encoding, s.gzip)
}

#[tokio::test]
async fn dispatch_echoes_and_checks_ownership() {
    let w = world(Policy::AllLoginButSameTermKick).await;
    let s = w.connect("alice", 5, "&compression=gzip", EndpointKind::Node).await;
    assert!(s.gzip);

    // Every messaging identifier reaches the service, acting for the caller when userID is empty.
    let cases: [(i32, Vec<u8>); 5] = [
        (1001, GetMaxSeqReq::default().encode_to_vec()),
        (1002, PullMessageBySeqsReq::default().encode_to_vec()),
        (1005, GetSeqMessageReq::default().encode_to_vec()),
        (1006, GetConversationsHasReadAndMaxSeqReq::default().encode_to_vec()),
        (1007, GetLastMessageReq { user_id: "alice".into(), ..Default::default() }.encode_to_vec()),
    ];
    for (ident, data) in cases {
        let r = call(&w, &s, req("alice", ident, data)).await;
        assert_eq!(
            (r.req_identifier, r.msg_incr.as_str(), r.operation_id.as_str(), r.err_code),
            (ident, "m7", "op7", 0)
        );
    }
    let r = call(&w, &s, req("alice", 1001, vec![])).await;
    assert_eq!(GetMaxSeqResp::decode(r.data.as_slice()).unwrap().max_seqs["n_alice_alice"], 3);
    let ops: Vec<(String, String)> = w.msg.calls.lock().unwrap().clone();
    assert_eq!(
        ops.iter().map(|(o, _)| o.as_str()).collect::<Vec<_>>(),
        ["newest", "range", "seqs", "read", "last", "newest"]
    );
    assert!(ops.iter().all(|(_, u)| u == "alice"));

    // Someone else's userID: 1002 with empty data, nothing called.
    let r = call(&w, &s, req("alice", 1001, GetMaxSeqReq { user_id: "bob".into() }.encode_to_vec())).await;
    assert_eq!((r.err_code, r.err_msg.as_str(), r.data.len()), (1002, "NoPermissionError", 0));
    // 1003: sendID must be the caller; domain errors pass through.
    let m =
        MsgData { send_id: "bob".into(), recv_id: "alice".into(), client_msg_id: "c1".into(), ..Default::default() };
    assert_eq!(call(&w, &s, req("alice", 1003, m.encode_to_vec())).await.err_code, 1002);
    let m = MsgData { send_id: "alice".into(), recv_id: "blocker".into(), ..Default::default() };
    let r = call(&w, &s, req("alice", 1003, m.encode_to_vec())).await;
    assert_eq!((r.err_code, r.err_msg.as_str()), (1302, "BlockedByPeer"));
    let m =
        MsgData { send_id: "alice".into(), recv_id: "bob".into(), client_msg_id: "c2".into(), ..Default::default() };
    let r = call(&w, &s, req("alice", 1003, m.encode_to_vec())).await;
    let sent = SendMsgResp::decode(r.data.as_slice()).unwrap();
    assert_eq!((sent.client_msg_id.as_str(), sent.server_msg_id.as_str(), sent.send_time), ("c2", "op7", 42));
    assert_eq!(w.msg.calls.lock().unwrap().iter().filter(|(o, _)| o == "send").count(), 2);

    // Closing frames: wrong SendID, unknown identifier, garbage; 2003 replies then closes.
    for bad in [
        ws::encode_req(&req("bob", 2004, vec![]), Encoding::Gob, true),
        ws::encode_req(&req("alice", 1004, vec![]), Encoding::Gob, true),
        vec![1, 2, 3],
    ] {
        let o = w.gw.handle_frame(&s, Inbound::Binary(&bad)).await;
        assert!(o.close && o.replies.is_empty(), "{o:?}");
    }
    let o =
        w.gw.handle_frame(&s, Inbound::Binary(&ws::encode_req(&req("alice", 2003, vec![]), Encoding::Gob, true))).await;
    assert!(o.close);
    assert_eq!(one_reply(&o, Encoding::Gob, true).err_code, 0);
    let o = w.gw.handle_frame(&s, Inbound::Binary(&vec![0u8; 51_201])).await;
    assert!(o.close);
}

#[tokio::test]
async fn records_background_and_presence() {
    let w = world(Policy::AllLoginButSameTermKick).await;
    let t = TenantId::default_tenant();
    let a = w.connect("alice", 5, "&sdkType=js", EndpointKind::Node).await;
    let recs = w.gw.registry().list(&t, "alice").await.unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(
        (r.conn_id.as_str(), r.platform_id, r.encoding.as_str(), r.endpoint.as_str()),
        (a.conn_id.as_str(), 5, "json", "http://node")
    );
    assert!(r.ttl > SystemClock.now_s_for_test() + 3600);

    // 2004 updates the session and the record.
    let data =
        im_wire::pb::sdkws::SetAppBackgroundStatusReq { user_id: "alice".into(), is_background: true }.encode_to_vec();
    assert_eq!(call(&w, &a, req("alice", 2004, data)).await.err_code, 0);
    assert!(a.background());
    assert!(w.gw.registry().list(&t, "alice").await.unwrap()[0].background);

    // 2005: current state, then announcements through the pusher.
    let sub = SubUserOnlineStatus { subscribe_user_id: vec!["bob".into()], ..Default::default() };
    let r = call(&w, &a, req("alice", 2005, sub.encode_to_vec())).await;
    let tips = SubUserOnlineStatusTips::decode(r.data.as_slice()).unwrap();
    assert_eq!((tips.subscribers[0].user_id.as_str(), tips.subscribers[0].online_platform_ids.len()), ("bob", 0));
    let b = w.connect("bob", 2, "", EndpointKind::Node).await;
    let posts = w.pusher.posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1);
    assert_eq!((posts[0].0.as_str(), posts[0].1.req_identifier), (a.conn_id.as_str(), 2005));
    let tips = SubUserOnlineStatusTips::decode(posts[0].1.data.as_slice()).unwrap();
    assert_eq!(tips.subscribers[0].online_platform_ids, [2]);
    w.gw.close(&b).await;
    assert!(w.gw.registry().list(&t, "bob").await.unwrap().is_empty());
    let posts = w.pusher.posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 2);
    assert!(
        SubUserOnlineStatusTips::decode(posts[1].1.data.as_slice()).unwrap().subscribers[0]
            .online_platform_ids
            .is_empty()
    );
    // After the subscriber leaves, nothing more is announced.
    w.gw.close(&a).await;
    let _b2 = w.connect("bob", 2, "", EndpointKind::Node).await;
    assert_eq!(w.pusher.posts.lock().unwrap().len(), 2);
    assert_eq!(w.gw.live_connections(), 1);
}

#[tokio::test]
async fn multi_login_kicks_and_invalidates_tokens() {
    let w = world(Policy::AllLoginButSameClassKick).await;
    let t = TenantId::default_tenant();
    let ios = w.connect("alice", 1, "", EndpointKind::Node).await;
    let web = w.connect("alice", 5, "", EndpointKind::Node).await;
    // Same class (mobile): the iOS connection is kicked (2002 + close + record gone), its token too.
    let _android = w.connect("alice", 2, "", EndpointKind::Node).await;
    assert_eq!(
        w.pusher.posts.lock().unwrap().iter().filter(|(c, f)| *c == ios.conn_id && f.req_identifier == 2002).count(),
        1
    );
    assert_eq!(*w.pusher.closes.lock().unwrap(), vec![ios.conn_id.clone()]);
    let live: Vec<String> = w.gw.registry().list(&t, "alice").await.unwrap().into_iter().map(|r| r.conn_id).collect();
    assert!(!live.contains(&ios.conn_id) && live.contains(&web.conn_id));
    let set = im_auth::state::TokenStateRepo::new(w.store.clone()).load(&t, "alice", 1).await.unwrap();
    assert!(set.tokens.iter().all(|tk| tk.state == token_state::KICKED), "{set:?}");

    // A reconnect with the same token leaves the other connection alone.
    let w = world(Policy::AllLoginButSameTermKick).await;
    let token = w.auth.get_user_token(&t, "bob", 5).await.unwrap().token;
    let first = w.connect_token("bob", &token, 5, "", EndpointKind::Node).await;
    let _second = w.connect_token("bob", &token, 5, "", EndpointKind::Node).await;
    assert!(w.pusher.closes.lock().unwrap().is_empty());
    assert_eq!(w.gw.registry().list(&t, "bob").await.unwrap().len(), 2);
    w.gw.close(&first).await;

    // force_logout through the registry kicker.
    let kicker = RegistryKicker::new(w.gw.registry().clone(), w.pusher.clone());
    kicker.kick(&t, "bob", 5).await.unwrap();
    assert_eq!(w.pusher.closes.lock().unwrap().len(), 1);
    assert!(w.gw.registry().list(&t, "bob").await.unwrap().is_empty());
}

#[tokio::test]
async fn api_gateway_connections_use_json_text() {
    let w = world(Policy::DefaultNotKick).await;
    let t = TenantId::default_tenant();
    let s = w.connect("alice", 5, "&compression=gzip", EndpointKind::ApiGateway).await;
    // A stateless front door rebuilds the session from the record on every message.
    let rec = w.gw.registry().get(&t, "alice", &s.conn_id).await.unwrap().expect("record");
    let again = Session::from_record(t.clone(), &rec, false);
    let body = ws::encode_req(&req("alice", 1001, vec![]), Encoding::Json, false);
    let o = w.gw.handle_frame(&again, Inbound::Text(&body)).await;
    match &o.replies[..] {
        [Outbound::Text(t)] => {
            assert!(t.starts_with(r#"{"reqIdentifier":1001,"msgIncr":"m7","operationID":"op7","errCode":0"#), "{t}")
        }
        other => panic!("{other:?}"),
    }
    // Heartbeats still work there.
    let o = w.gw.handle_frame(&again, Inbound::Text(br#"{"type":"ping","body":1}"#)).await;
    assert_eq!(o.replies, vec![Outbound::Text(r#"{"type":"pong","body":1}"#.into())]);
    let o = w.gw.handle_frame(&again, Inbound::Text(b"not json")).await;
    assert!(o.close);
}

#[tokio::test]
async fn handshake_rejections() {
    let w = world(Policy::AllLoginButSameTermKick).await;
    let info = ConnectInfo::default();
    let rej = |q: &str| {
        let p = Params::from_query(q);
        let gw = &w.gw;
        let info = info.clone();
        async move { gw.authenticate(&p, &no_headers, &info).await.expect_err("rejected") }
    };
    let r = rej("sendID=alice&token=x.y.z&platformID=5&operationID=o&isBackground=false&isMsgResp=true").await;
    assert_eq!((r.error.code, r.in_socket), (1503, true));
    let r = rej("sendID=alice&token=x&platformID=5&operationID=o&isBackground=false").await;
    assert_eq!((r.error.code, r.in_socket), (1503, false));
    let token = w.auth.get_user_token(&TenantId::default_tenant(), "alice", 5).await.unwrap().token;
    let forged = format!("{}.AAAA", token.rsplit_once('.').unwrap().0);
    let r =
        rej(&format!("sendID=alice&token={forged}&platformID=5&operationID=o&isBackground=false&isMsgResp=true")).await;
    assert_eq!((r.error.code, r.in_socket), (1505, true));
    let r = rej(&format!("sendID=bob&token={token}&platformID=5&operationID=o&isBackground=false&isMsgResp=1")).await;
    assert_eq!((r.error.code, r.in_socket), (1502, false));
    assert_eq!(
        r.body(),
        format!(r#"{{"errCode":1502,"errMsg":"TokenInvalidError","errDlt":"token uid alice != userID bob"}}"#)
    );
    let r =
        rej(&format!("sendID=alice&token={token}&platformID=5&operationID=o&isBackground=false&tenantID=acme")).await;
    assert!(r.error.code >= 1501 && r.error.code <= 1507, "a token of another tenant: {r:?}");
    // The connection limit.
    let small = Gateway::new(
        GatewayConfig { max_connections: 1, ..Default::default() },
        GatewayDeps {
            store: w.store.clone(),
            env: Env::system(),
            verifier: w.auth.clone(),
            messaging: w.msg.clone(),
            pusher: w.pusher.clone(),
        },
    );
    let q = Params::from_query(&format!("sendID=alice&token={token}&platformID=5&operationID=o&isBackground=false"));
    let s = small.authenticate(&q, &no_headers, &ConnectInfo::default()).await.unwrap();
    small.open(&s).await.unwrap();
    let r = small.authenticate(&q, &no_headers, &ConnectInfo::default()).await.expect_err("full");
    assert_eq!(r.error.code, 1601);
}

/// `SystemClock::now_s` under a name that reads well in assertions.
trait NowForTest {
    fn now_s_for_test(&self) -> i64;
}

impl NowForTest for SystemClock {
    fn now_s_for_test(&self) -> i64 {
        use im_domain::clock::Clock;
        self.now_s()
    }
}
