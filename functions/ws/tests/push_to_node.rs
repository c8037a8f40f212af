//! End to end across both front doors, on the local AWS emulator (`IM_TEST_DYNAMODB_ENDPOINT`:
//! DynamoDB and SQS) and the real im-server binary:
//!
//! 1. im-server runs on a fresh DynamoDB table with its gateway and its SigV4-protected
//!    `@connections` API; alice connects to its WebSocket gateway with a real client.
//! 2. bob connects through the WebSocket function (`$connect` sample) on the same table and
//!    sends a 1003 JSON envelope to alice (`$default`); the send enqueues on SQS.
//! 3. The transfer and push functions' handlers consume the SQS messages (polled, as the event
//!    source mapping would); the push function posts through `ApiGatewayPusher` to the
//!    endpoint alice's record names — im-server's `@connections` — signed with the node key.
//! 4. alice's socket receives the 2001 push. A push function holding a wrong key is refused
//!    (403) and nothing reaches alice.
//!
//! moto's own management API accepts anything and cannot be read back, so it proves nothing;
//! im-server's endpoint is the real receiver.
//!
//! The im-server binary is taken from this test's target directory (`target/<profile>/im-server`);
//! `cargo test --workspace` builds it, otherwise run `cargo build -p im-server` first.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_sqs::Client as SqsClient;
use aws_sdk_sqs::types::Message as SqsMsg;
use base64::Engine;
use common::*;
use futures_util::StreamExt;
use im_adapters::apigw::ApiGatewayPusher;
use im_adapters::emulator;
use im_adapters::sqs::SqsQueue;
use im_auth::{AuthConfig, AuthService, NoopKicker};
use im_domain::TenantId;
use im_domain::clock::{Env, SystemClock};
use im_domain::ports::NoRelations;
use im_domain::store::DynStore;
use im_fn_msg::local::GatewayMessaging;
use im_fn_push::Push;
use im_fn_transfer::Transfer;
use im_fn_ws::{Ws, WsDeps};
use im_msg::push::LogOfflinePush;
use im_msg::{Messaging, MsgConfig, MsgDeps, NoGroups};
use im_repo::connection::{ConnectionPusher, ConnectionRegistry, EndpointKind, ServerFrame};
use im_wire::pb::msg::SendMsgResp;
use im_wire::pb::sdkws::{MsgData, PushMessages};
use im_wire::ws::{Encoding, WsResp};
use prost::Message;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message as WsMessage;

const ACCESS_KEY: &str = "AKIDNODEPUSHTEST";
const SECRET_KEY: &str = "node-push-test-secret";
const TENANT: &str = "acme";
const WEB: i32 = 5;

/// The im-server binary next to this test's executable.
fn im_server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps");
    let bin = profile_dir.join(format!("im-server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p im-server` (cargo test --workspace builds it)",
        bin.display()
    );
    bin
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// A running im-server on the emulator's DynamoDB, killed on drop.
struct Server {
    child: Child,
    base: String,
    ws: String,
    connections: String,
    http: reqwest::Client,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(table: &str) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let (http_port, ws_port, conn_port) = (free_port(), free_port(), free_port());
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let mut cmd = Command::new(im_server_binary());
        cmd.args(["--http-addr", &format!("127.0.0.1:{http_port}")])
            .args(["--ws-addr", &format!("127.0.0.1:{ws_port}")])
            .args(["--connections-addr", &format!("127.0.0.1:{conn_port}")])
            .args(["--connections-access-key", ACCESS_KEY, "--connections-secret-key", SECRET_KEY])
            .args(["--log-level", "warn", "--backend", "aws", "--table", table, "--data-dir"])
            .arg(dir.path())
            .env_remove("IM_BACKEND")
            .env_remove("IM_TABLE")
            .env("AWS_ENDPOINT_URL", emulator::endpoint())
            .stdout(Stdio::null())
            .stderr(log);
        for (k, default) in [
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ] {
            if std::env::var_os(k).is_none() {
                cmd.env(k, default);
            }
        }
        let child = cmd.spawn().expect("spawn im-server");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
        let mut s = Server {
            child,
            base: format!("http://127.0.0.1:{http_port}"),
            ws: format!("ws://127.0.0.1:{ws_port}"),
            connections: format!("http://127.0.0.1:{conn_port}"),
            http,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = s.http.get(format!("{}/healthz", s.base)).send().await
                && r.status() == 200
            {
                break;
            }
            if let Ok(Some(status)) = s.child.try_wait() {
                panic!("im-server exited during startup ({status}):\n{}", s.log());
            }
            assert!(Instant::now() < deadline, "im-server did not become ready:\n{}", s.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        s
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// POSTs in tenant [`TENANT`]; returns `data`, asserting errCode 0.
    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Value {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("operationID", "op-e2e")
            .header("X-Tenant-ID", TENANT)
            .json(&body);
        if let Some(t) = token {
            req = req.header("token", t);
        }
        let v: Value = req.send().await.expect("request").json().await.expect("JSON");
        assert_eq!(v["errCode"], 0, "{path}: {v}");
        v["data"].clone()
    }
}

/// Receives the messages of `url` (waiting up to 10 s for the first).
async fn receive(c: &SqsClient, url: &str) -> Vec<SqsMsg> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let msgs = emulator::receive(c, url, 30, 1).await;
        if !msgs.is_empty() || Instant::now() > deadline {
            return msgs;
        }
    }
}

/// The next envelope alice's socket receives within `wait` (JSON envelopes in binary frames).
async fn next_envelope(
    socket: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    wait: Duration,
) -> Option<WsResp> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return None,
            Ok(None) | Ok(Some(Err(_))) => panic!("alice's socket closed"),
            Ok(Some(Ok(WsMessage::Binary(b)))) => {
                return Some(im_wire::ws::decode_resp(&b, Encoding::Json, false).expect("JSON envelope"));
            }
            Ok(Some(Ok(_))) => continue,
        }
    }
}

fn text(send: &str, recv: &str, cmid: &str, words: &str) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        client_msg_id: cmid.into(),
        sender_platform_id: WEB,
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: format!(r#"{{"content":"{words}"}}"#).into_bytes(),
        status: 1,
        ..MsgData::default()
    }
}

/// The `$default` body of a 1003 send, as the JS SDK writes it.
fn send_envelope(msg: &MsgData, incr: &str) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(msg.encode_to_vec());
    json!({"reqIdentifier": 1003, "msgIncr": incr, "sendID": msg.send_id, "operationID": format!("op-{incr}"), "data": data})
        .to_string()
}

fn pusher(config: &aws_config::SdkConfig, secret: &str) -> ApiGatewayPusher {
    ApiGatewayPusher::new(config.clone()).with_node_key(ACCESS_KEY, secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_send_through_the_lambda_reaches_an_im_server_socket_through_its_connections_api() {
    let config = emulator::sdk_config().await;
    let (store, table) = dynamodb_store().await;
    let server = Server::start(&table).await;
    let admin = server.post("/auth/get_admin_token", None, json!({"secret": "openIM123", "userID": "imAdmin"})).await;
    let admin = admin["token"].as_str().expect("admin token").to_string();
    let users = json!({"users": [{"userID": "alice", "nickname": "alice"}, {"userID": "bob", "nickname": "bob"}]});
    server.post("/user/user_register", Some(&admin), users).await;
    let token_of = |user: &'static str| {
        let (server, admin) = (&server, admin.clone());
        async move {
            let d = server.post("/auth/get_user_token", Some(&admin), json!({"userID": user, "platformID": WEB})).await;
            d["token"].as_str().expect("token").to_string()
        }
    };

    // alice on im-server's gateway (JSON envelopes, the JS SDK's mode).
    let alice_token = token_of("alice").await;
    let url = format!(
        "{}/?sendID=alice&token={alice_token}&platformID={WEB}&operationID=op-alice&isBackground=false&sdkType=js&tenantID={TENANT}",
        server.ws
    );
    let (mut alice, _) = tokio_tungstenite::connect_async(url).await.expect("alice connects to im-server");
    let t = TenantId::parse(TENANT).unwrap();
    let registry = ConnectionRegistry::new(store.clone(), Arc::new(SystemClock));
    let deadline = Instant::now() + Duration::from_secs(10);
    let alice_rec = loop {
        if let Some(r) = registry.list(&t, "alice").await.unwrap().pop() {
            break r;
        }
        assert!(Instant::now() < deadline, "im-server never wrote alice's record:\n{}", server.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((alice_rec.kind, alice_rec.endpoint.as_str()), (EndpointKind::Node, server.connections.as_str()));

    // bob through the WebSocket function, sending over SQS.
    let sqs = SqsClient::new(&config);
    let mut urls = Vec::new();
    for name in ["im-transfer", "im-push"] {
        let out = sqs.create_queue().queue_name(emulator::unique(name)).send().await.expect("create queue");
        urls.push(out.queue_url().expect("queue URL").to_string());
    }
    let (transfer_url, push_url) = (urls[0].clone(), urls[1].clone());
    let queue = Arc::new(SqsQueue::new(sqs.clone(), &transfer_url, &push_url));
    let dyn_store: DynStore = store.clone();
    let messaging = Messaging::new(MsgDeps {
        store: dyn_store.clone(),
        env: Env::system(),
        queue: queue.clone(),
        relations: Arc::new(NoRelations),
        groups: Arc::new(NoGroups),
        config: MsgConfig::default(),
    });
    let replies = Arc::new(Recorder::default());
    let auth = Arc::new(AuthService::new(
        AuthConfig::default(),
        dyn_store.clone(),
        Arc::new(SystemClock),
        Arc::new(NoopKicker),
    ));
    let ws = Ws::new(WsDeps {
        store: dyn_store.clone(),
        env: Env::system(),
        auth,
        messaging: Arc::new(GatewayMessaging(messaging)),
        pusher: replies.clone(),
        callback_url: String::new(),
    });
    let bob_conn = "bob-apigw-conn=";
    let r = ws.handle(connect_event(&token_of("bob").await, "bob", bob_conn)).await;
    assert_eq!(r.status_code, 200, "{:?}", r.body);
    assert_eq!(
        registry.find(bob_conn).await.unwrap().map(|(t, r)| (t.to_string(), r.kind)),
        Some((TENANT.to_string(), EndpointKind::ApiGateway))
    );

    let transfer = Transfer::new(dyn_store.clone(), Env::system(), queue.clone());
    let send_and_push = |incr: &'static str, words: &'static str, push: Push| {
        let (ws, replies, sqs, transfer) = (&ws, replies.clone(), sqs.clone(), &transfer);
        let (transfer_url, push_url) = (transfer_url.clone(), push_url.clone());
        async move {
            let body = send_envelope(&text("bob", "alice", incr, words), incr);
            let r = ws.handle(on_connection("ws-default.json", bob_conn, Some(&body))).await;
            assert_eq!(r.status_code, 200, "{:?}", r.body);
            let reply = replies.envelopes(bob_conn).into_iter().find(|e| e["msgIncr"] == incr).expect("send reply");
            assert_eq!((reply["reqIdentifier"].as_i64(), reply["errCode"].as_i64()), (Some(1003), Some(0)), "{reply}");
            let data = base64::engine::general_purpose::STANDARD.decode(reply["data"].as_str().unwrap()).unwrap();
            assert!(!SendMsgResp::decode(data.as_slice()).unwrap().server_msg_id.is_empty());

            let msgs = receive(&sqs, &transfer_url).await;
            assert_eq!(msgs.len(), 1, "one transfer message");
            let resp = transfer.handle(emulator::sqs_event(&msgs)).await;
            assert!(resp.batch_item_failures.is_empty());
            emulator::delete_processed(&sqs, &transfer_url, &msgs, &resp).await;
            let msgs = receive(&sqs, &push_url).await;
            assert_eq!(msgs.len(), 1, "one push message");
            let resp = push.handle(emulator::sqs_event(&msgs)).await;
            assert!(resp.batch_item_failures.is_empty());
            emulator::delete_processed(&sqs, &push_url, &msgs, &resp).await;
        }
    };

    // The push function with the node key: alice's socket gets the 2001 frame.
    let good =
        Push::new(dyn_store.clone(), Env::system(), Arc::new(pusher(&config, SECRET_KEY)), Arc::new(LogOfflinePush));
    send_and_push("e2e-1", "hello across front doors", good).await;
    let frame = next_envelope(&mut alice, Duration::from_secs(15))
        .await
        .unwrap_or_else(|| panic!("no push reached alice:\n{}", server.log()));
    assert_eq!((frame.req_identifier, frame.err_code), (2001, 0));
    let pushed = PushMessages::decode(frame.data.as_slice()).expect("PushMessages");
    let msgs = &pushed.msgs["si_alice_bob"].msgs;
    assert_eq!(msgs.len(), 1);
    assert_eq!((msgs[0].send_id.as_str(), msgs[0].seq), ("bob", 1));
    assert_eq!(msgs[0].content, br#"{"content":"hello across front doors"}"#.to_vec());

    // A wrong key: the endpoint refuses (403) and nothing reaches alice.
    let bad = pusher(&config, "not-the-node-secret");
    let probe = ServerFrame { req_identifier: 2001, operation_id: "op-probe".into(), data: pushed.encode_to_vec() };
    let err = bad.post(&t, &alice_rec, &probe).await.expect_err("a wrong key is refused");
    assert!(err.dlt.contains("403") || err.msg.contains("403") || err.dlt.contains("Forbidden"), "{err:?}");
    let wrong = Push::new(dyn_store.clone(), Env::system(), Arc::new(bad), Arc::new(LogOfflinePush));
    send_and_push("e2e-2", "never delivered", wrong).await;
    assert!(
        next_envelope(&mut alice, Duration::from_millis(1500)).await.is_none(),
        "a refused post delivered something"
    );
    assert_eq!(registry.list(&t, "alice").await.unwrap().len(), 1, "a refused post does not drop the record");

    // bob leaves through the function; alice's record stays.
    assert_eq!(ws.handle(on_connection("ws-disconnect.json", bob_conn, None)).await.status_code, 200);
    assert!(registry.find(bob_conn).await.unwrap().is_none());
    assert!(registry.list(&t, "bob").await.unwrap().is_empty());
}
