//! The WebSocket function's handler driven by the sample events of `events/` (`ws-*.json`,
//! adjusted with real tokens minted by im-auth), on the embedded store and on DynamoDB on the
//! local emulator (`IM_TEST_DYNAMODB_ENDPOINT`). Messaging is the real module on the in-process
//! queue; the pusher records what would go to API Gateway's management API.

mod common;

use std::sync::Arc;

use aws_lambda_events::apigw::ApiGatewayProxyResponse;
use aws_lambda_events::encodings::Body;
use base64::Engine;
use common::*;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::TenantId;
use im_domain::clock::{Env, SystemClock};
use im_domain::store::{Consistency, DynStore};
use im_fn_msg::local::{LocalMessaging, Peers};
use im_fn_ws::{Ws, WsDeps};
use im_msg::{MsgConfig, SendCtx};
use im_repo::connection::{EndpointKind, PUSH_MSG, pointer_key};
use im_repo::{UserRecord, UserRepo};
use im_wire::pb::sdkws::{GetMaxSeqResp, MsgData, PushMessages};
use prost::Message;

/// Connection ID of the samples.
const SAMPLE_CONN: &str = "L0SM9cOFvHcCIhw=";
/// Callback URL of the samples' API (`https://{domainName}/{stage}`).
const SAMPLE_ENDPOINT: &str = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod";
/// Web.
const WEB: i32 = 5;

struct H {
    ws: Ws,
    store: DynStore,
    auth: Arc<AuthService>,
    rec: Arc<Recorder>,
    local: LocalMessaging,
    t: TenantId,
}

/// The function on `store`, tenant `acme` (the samples' `X-Tenant-ID`) with alice and bob.
async fn harness(store: DynStore) -> H {
    let t = TenantId::parse("acme").unwrap();
    let users = UserRepo::new(store.clone());
    for id in ["alice", "bob"] {
        let u = UserRecord { user_id: id.into(), nickname: id.into(), ..UserRecord::default() };
        users.create(&t, &u).await.expect("user");
    }
    let auth =
        Arc::new(AuthService::new(AuthConfig::default(), store.clone(), Arc::new(SystemClock), Arc::new(NoopKicker)));
    let rec = Arc::new(Recorder::default());
    let peers = Peers::stubs().with_pusher(rec.clone());
    let local = LocalMessaging::start(store.clone(), Env::system(), MsgConfig::default(), peers).expect("messaging");
    let ws = Ws::new(WsDeps {
        store: store.clone(),
        env: Env::system(),
        auth: auth.clone(),
        messaging: local.gateway_service(),
        pusher: rec.clone(),
        callback_url: String::new(),
    });
    H { ws, store, auth, rec, local, t }
}

impl H {
    async fn token(&self, user: &str, platform: i32) -> String {
        self.auth.get_user_token(&self.t, user, platform).await.expect("token").token
    }
}

fn body(r: &ApiGatewayProxyResponse) -> serde_json::Value {
    match &r.body {
        Some(Body::Text(t)) => serde_json::from_str(t).unwrap_or_else(|e| panic!("body is not JSON ({e}): {t}")),
        other => panic!("expected a JSON body, got {other:?}"),
    }
}

fn data_of(envelope: &serde_json::Value) -> Vec<u8> {
    let b64 = envelope["data"].as_str().unwrap_or_default();
    base64::engine::general_purpose::STANDARD.decode(b64).expect("data is base64")
}

fn text(send: &str, recv: &str, cmid: &str) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        client_msg_id: cmid.into(),
        sender_platform_id: WEB,
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: br#"{"content":"hi"}"#.to_vec(),
        status: 1,
        ..MsgData::default()
    }
}

macro_rules! on_both_stores {
    ($( $(#[$meta:meta])* async fn $name:ident($store:ident) $body:block )*) => {
        $(
            $(#[$meta])*
            async fn $name($store: DynStore) $body

            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn embedded() {
                    let (store, _dir) = super::embedded_store();
                    super::$name(store).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn dynamodb() {
                    let (store, _table) = super::dynamodb_store().await;
                    super::$name(store).await
                }
            }
        )*
    };
}

on_both_stores! {
    /// `$connect` writes a record findable by user and by connection ID; `$default` answers a
    /// 1001 envelope and the heartbeat by posting to the connection; the send pipeline finds the
    /// connection for its 2001 push; `$disconnect` removes record and pointer.
    async fn connect_message_disconnect(store) {
        let h = harness(store).await;
        let token = h.token("alice", WEB).await;
        let r = h.ws.handle(connect_event(&token, "alice", SAMPLE_CONN)).await;
        assert_eq!(r.status_code, 200, "{:?}", r.body);

        let listed = h.ws.registry().list(&h.t, "alice").await.unwrap();
        assert_eq!(listed.len(), 1);
        let rec = &listed[0];
        assert_eq!(rec.conn_id, SAMPLE_CONN);
        assert_eq!((rec.endpoint.as_str(), rec.kind, rec.encoding.as_str()), (SAMPLE_ENDPOINT, EndpointKind::ApiGateway, "json"));
        assert_eq!((rec.platform_id, rec.background, rec.gzip), (WEB, false, false));
        assert!(rec.ttl > 0);
        assert_eq!(h.ws.registry().find(SAMPLE_CONN).await.unwrap(), Some((h.t.clone(), rec.clone())));
        assert!(h.ws.registry().list(&TenantId::default_tenant(), "alice").await.unwrap().is_empty(), "tenant from X-Tenant-ID");

        // bob → alice through the pipeline: the push reaches alice's API Gateway connection.
        h.local.messaging().send(&h.t, &SendCtx::default(), text("bob", "alice", "cm-1")).await.expect("send");
        h.local.queue().idle().await;
        let pushes: Vec<_> = h.rec.calls().into_iter().filter_map(|c| match c {
            Call::Post(id, f) if id == SAMPLE_CONN && f.req_identifier == PUSH_MSG => Some(f),
            _ => None,
        }).collect();
        assert_eq!(pushes.len(), 1, "{:?}", h.rec.calls());
        assert!(PushMessages::decode(pushes[0].data.as_slice()).unwrap().msgs.contains_key("si_alice_bob"));

        // $default: the 1001 sample (JSON envelope in a text frame).
        let r = h.ws.handle(event("ws-default.json")).await;
        assert_eq!(r.status_code, 200, "{:?}", r.body);
        let replies = h.rec.envelopes(SAMPLE_CONN);
        assert_eq!(replies.len(), 1, "{replies:?}");
        let reply = &replies[0];
        assert_eq!(reply["reqIdentifier"], 1001);
        assert_eq!(reply["msgIncr"], "c0a5e1f24b7d");
        assert_eq!(reply["operationID"], "ws-op-1001");
        assert_eq!(reply["errCode"], 0, "{reply}");
        let seqs = GetMaxSeqResp::decode(data_of(reply).as_slice()).expect("GetMaxSeqResp");
        assert_eq!(seqs.max_seqs.get("si_alice_bob"), Some(&1), "{seqs:?}");

        // Heartbeat.
        let r = h.ws.handle(event("ws-default-heartbeat.json")).await;
        assert_eq!(r.status_code, 200);
        let replies = h.rec.envelopes(SAMPLE_CONN);
        assert_eq!(replies.len(), 2);
        assert_eq!(replies[1]["type"], "pong");
        assert!(h.rec.closed().is_empty(), "nothing closed so far");

        // $disconnect: record and pointer gone; a repeated event is harmless.
        let r = h.ws.handle(event("ws-disconnect.json")).await;
        assert_eq!(r.status_code, 200);
        assert!(h.ws.registry().list(&h.t, "alice").await.unwrap().is_empty());
        assert!(h.ws.registry().find(SAMPLE_CONN).await.unwrap().is_none());
        assert!(h.store.get(&pointer_key(SAMPLE_CONN), Consistency::Strong).await.unwrap().is_none());
        assert_eq!(h.ws.handle(event("ws-disconnect.json")).await.status_code, 200);
        // A message after the disconnect: unknown connection.
        assert_eq!(h.ws.handle(event("ws-default.json")).await.status_code, 410);
    }

    /// Handshake failures refuse the upgrade with a non-2xx status and OpenIM's envelope, and
    /// write nothing.
    async fn connect_rejections(store) {
        let h = harness(store).await;
        let alice = h.token("alice", WEB).await;
        let bob = h.token("bob", WEB).await;
        let mut tampered = alice.clone();
        tampered.pop();
        tampered.push(if alice.ends_with('A') { 'B' } else { 'A' });

        let r = h.ws.handle(connect_event(&tampered, "alice", "c-bad-sig")).await;
        assert_eq!(r.status_code, 401, "{:?}", r.body);
        let code = body(&r)["errCode"].as_i64().unwrap();
        assert!((1501..=1507).contains(&code), "{code}");

        let r = h.ws.handle(connect_event("not-a-jwt", "alice", "c-garbage")).await;
        assert_eq!(r.status_code, 401);

        let r = h.ws.handle(connect_event(&bob, "alice", "c-other-user")).await;
        assert_eq!(r.status_code, 401);
        assert_eq!(body(&r)["errCode"], 1502);

        let r = h.ws.handle(connect_event("", "alice", "c-no-token")).await;
        assert_eq!(r.status_code, 400);
        assert_eq!(body(&r)["errCode"], 1602);

        let mut bad_bg = connect_event(&alice, "alice", "c-bad-bg");
        let mut q = serde_json::to_value(&bad_bg).unwrap();
        q["queryStringParameters"]["isBackground"] = "maybe".into();
        q["multiValueQueryStringParameters"]["isBackground"] = serde_json::json!(["maybe"]);
        bad_bg = serde_json::from_value(q).unwrap();
        let r = h.ws.handle(bad_bg).await;
        assert_eq!(r.status_code, 400);
        assert_eq!(body(&r)["errCode"], 500);

        for id in ["c-bad-sig", "c-garbage", "c-other-user", "c-no-token", "c-bad-bg"] {
            assert!(h.ws.registry().find(id).await.unwrap().is_none(), "{id}");
        }
        assert!(h.ws.registry().list(&h.t, "alice").await.unwrap().is_empty());
        assert!(h.rec.calls().is_empty(), "{:?}", h.rec.calls());

        // The same token is fine.
        assert_eq!(h.ws.handle(connect_event(&alice, "alice", "c-good")).await.status_code, 200);
        assert!(h.ws.registry().find("c-good").await.unwrap().is_some());
    }

    /// Unknown connections are deleted at API Gateway; unknown routes and events without a
    /// connection ID are 400; nothing panics.
    async fn unknown_connections_and_routes(store) {
        let h = harness(store).await;
        let r = h.ws.handle(on_connection("ws-default.json", "never-connected", None)).await;
        assert_eq!(r.status_code, 410);
        assert_eq!(h.rec.closed(), vec!["never-connected".to_string()]);
        assert!(matches!(&h.rec.calls()[0], Call::Close(_, ep) if ep == SAMPLE_ENDPOINT));

        let mut odd = event("ws-default.json");
        odd.request_context.route_key = Some("sendMessage".into());
        assert_eq!(h.ws.handle(odd).await.status_code, 400);
        let mut no_id = event("ws-default.json");
        no_id.request_context.connection_id = None;
        assert_eq!(h.ws.handle(no_id).await.status_code, 400);
        let r = h.ws.handle(aws_lambda_events::apigw::ApiGatewayWebsocketProxyRequest::default()).await;
        assert_eq!(r.status_code, 400);
        assert_eq!(h.ws.handle(on_connection("ws-disconnect.json", "never-connected", None)).await.status_code, 200);
    }

    /// Frames the gateway ends the connection for (an envelope of another user, garbage)
    /// delete it at API Gateway and remove its record; a connection API Gateway reports gone
    /// loses its record.
    async fn frames_that_end_the_connection(store) {
        let h = harness(store).await;
        let token = h.token("alice", WEB).await;
        let r = h.ws.handle(connect_event(&token, "alice", "c-1")).await;
        assert_eq!(r.status_code, 200);
        let spoof = r#"{"reqIdentifier":1001,"msgIncr":"x","sendID":"bob","operationID":"op","data":"CgNib2I="}"#;
        let r = h.ws.handle(on_connection("ws-default.json", "c-1", Some(spoof))).await;
        assert_eq!(r.status_code, 200);
        assert!(h.rec.envelopes("c-1").is_empty(), "no reply to another user's envelope");
        assert_eq!(h.rec.closed(), vec!["c-1".to_string()]);
        assert!(h.ws.registry().find("c-1").await.unwrap().is_none());
        assert!(h.ws.registry().list(&h.t, "alice").await.unwrap().is_empty());

        let token = h.token("alice", WEB).await;
        assert_eq!(h.ws.handle(connect_event(&token, "alice", "c-2")).await.status_code, 200);
        let r = h.ws.handle(on_connection("ws-default.json", "c-2", Some("not json at all"))).await;
        assert_eq!(r.status_code, 200);
        assert_eq!(h.rec.closed(), vec!["c-1".to_string(), "c-2".to_string()]);
        assert!(h.ws.registry().find("c-2").await.unwrap().is_none());

        let token = h.token("alice", WEB).await;
        assert_eq!(h.ws.handle(connect_event(&token, "alice", "c-3")).await.status_code, 200);
        h.rec.gone.lock().unwrap().push("c-3".into());
        let r = h.ws.handle(on_connection("ws-default-heartbeat.json", "c-3", None)).await;
        assert_eq!(r.status_code, 410);
        assert!(h.ws.registry().find("c-3").await.unwrap().is_none(), "a gone connection loses its record");
    }

    /// Multi-login at `$connect`: a new Web connection with a new token kicks the earlier Web
    /// connection (default policy) through the pusher and removes its record and pointer.
    async fn multi_login_kicks_through_the_pusher(store) {
        let h = harness(store).await;
        let first = h.token("alice", WEB).await;
        assert_eq!(h.ws.handle(connect_event(&first, "alice", "web-1")).await.status_code, 200);
        // Tokens issued within one second are identical (same claims); the same token never kicks.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let second = h.token("alice", WEB).await;
        assert_ne!(first, second);
        assert_eq!(h.ws.handle(connect_event(&second, "alice", "web-2")).await.status_code, 200);
        let calls = h.rec.calls();
        assert!(calls.iter().any(|c| matches!(c, Call::Post(id, f) if id == "web-1" && f.req_identifier == 2002)), "{calls:?}");
        assert!(h.rec.closed().contains(&"web-1".to_string()));
        assert!(h.ws.registry().find("web-1").await.unwrap().is_none());
        let left: Vec<String> = h.ws.registry().list(&h.t, "alice").await.unwrap().into_iter().map(|r| r.conn_id).collect();
        assert_eq!(left, vec!["web-2".to_string()]);
    }
}
