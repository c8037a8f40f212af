//! Black-box tests of im-server's WebSocket gateway with real WebSocket clients: handshake
//! (both error modes), envelopes in every mode, heartbeat, 2003/2004/2005, kicks, timeouts.
//! Each test runs on the embedded store and on DynamoDB.

mod support;
mod ws_support;

use std::time::Duration;

use base64::Engine;
use im_wire::pb::push::DelUserPushTokenReq;
use im_wire::pb::sdkws::{SetAppBackgroundStatusReq, SubUserOnlineStatus, SubUserOnlineStatusTips};
use im_wire::ws::{self, Encoding, WsReq};
use prost::Message;
use serde_json::{Value, json};
use support::*;
use ws_support::*;

const IOS: i32 = 1;
const ANDROID: i32 = 2;
const WEB: i32 = 5;
const SECS: fn(u64) -> Duration = Duration::from_secs;

fn json_body(f: &Failed) -> Value {
    assert_eq!(f.status, 200, "{f:?}");
    serde_json::from_str(&f.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", f.body))
}

fn tips(data: &[u8]) -> Vec<(String, Vec<i32>)> {
    let t = SubUserOnlineStatusTips::decode(data).expect("tips");
    t.subscribers.into_iter().map(|s| (s.user_id, s.online_platform_ids)).collect()
}

on_both_backends! {
    /// Handshake errors come back as HTTP 200 JSON, or (token errors with isMsgResp) as one
    /// text frame before a close; success with isMsgResp starts with the success text frame.
    async fn handshake_errors_and_success(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let token = g.token("alice", WEB).await;
        let base = &g.ws;

        let f = Client::open(&format!("{base}/?sendID=alice&platformID=5&operationID=o&isBackground=false"), "alice", Mode::GOB)
            .await.expect_err("refused");
        let v = json_body(&f);
        assert_eq!(v, json!({"errCode": 1602, "errMsg": "args err, need token, sendID, platformID", "errDlt": "token is empty"}));
        assert_eq!(f.body, r#"{"errCode":1602,"errMsg":"args err, need token, sendID, platformID","errDlt":"token is empty"}"#);

        // isBackground is mandatory: a plain 500 [quirk]; argument errors ignore isMsgResp.
        let url = format!("{base}/any/path?sendID=alice&token={token}&platformID=5&operationID=o&isMsgResp=true");
        let v = json_body(&Client::open(&url, "alice", Mode::JS).await.expect_err("refused"));
        assert_eq!(v["errCode"], 500);
        assert_eq!(v["errMsg"], "strconv.ParseBool: parsing \"\": invalid syntax");
        let v = json_body(&Client::open(&g.url("alice", &token, 5, "&sdkType=rust"), "alice", Mode::GOB).await.expect_err("refused"));
        assert_eq!((v["errCode"].clone(), v["errDlt"].clone()), (json!(1602), json!("sdkType is not go or js")));
        let v = json_body(&Client::open(&g.url("alice", &token, 13, ""), "alice", Mode::GOB).await.expect_err("refused"));
        assert_eq!(v["errCode"], 1602);

        // Token errors: HTTP without isMsgResp, in-socket text + close with it.
        let v = json_body(&Client::open(&g.url("alice", "garbage", 5, ""), "alice", Mode::GOB).await.expect_err("refused"));
        assert_eq!((v["errCode"].clone(), v["errMsg"].clone()), (json!(1503), json!("TokenMalformedError")));
        let url = g.url("alice", "garbage", 5, "&isMsgResp=true");
        let (mut sock, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("upgraded");
        use futures_util::StreamExt;
        let first = sock.next().await.expect("frame").expect("ok");
        let text = first.into_text().expect("text").to_string();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["errCode"], 1503);
        assert!(matches!(sock.next().await, Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_))) | None | Some(Err(_))));

        // Someone else's token or platform: 1502 over HTTP even with isMsgResp.
        let v = json_body(&Client::open(&g.url("bob", &token, 5, "&isMsgResp=true"), "bob", Mode::GOB).await.expect_err("refused"));
        assert_eq!((v["errCode"].clone(), v["errMsg"].clone()), (json!(1502), json!("TokenInvalidError")));
        let v = json_body(&Client::open(&g.url("alice", &token, 1, ""), "alice", Mode::GOB).await.expect_err("refused"));
        assert_eq!(v["errCode"], 1502);

        // Success with isMsgResp: the first frame is the success envelope (text).
        let c = g.connect_with("alice", &token, WEB, Mode::GO).await;
        assert_eq!(c.hello.as_deref(), Some(r#"{"errCode":0,"errMsg":"","errDlt":""}"#));
        drop(c);

        // The base64url `v` form.
        let v = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            json!({"token": token, "userID": "alice", "platformID": 5, "operationID": "o", "sdkType": "js", "sendResponse": true}).to_string());
        let mut c = Client::open(&format!("{base}/msg_gateway?v={v}"), "alice", Mode::JS).await.expect("v handshake");
        assert_eq!(c.hello.as_deref(), Some(r#"{"errCode":0,"errMsg":"","errDlt":""}"#));
        let r = c.request(2004, SetAppBackgroundStatusReq { user_id: "alice".into(), is_background: false }.encode_to_vec()).await;
        assert_eq!(r.err_code, 0);
    }

    /// Every envelope mode round-trips a request (echoing reqIdentifier, msgIncr and
    /// operationID); JSON-mode replies carry all six keys.
    async fn envelope_modes(backend) {
        let g = Gw::start(backend, &["alice"], &[]).await;
        for (i, mode) in [Mode::GOB, Mode::GO, Mode::JS, Mode { gzip: true, ..Mode::JS }, Mode::PY].into_iter().enumerate() {
            let platform = [IOS, ANDROID, WEB, 3, 4][i];
            let mut c = g.connect("alice", platform, mode).await;
            let data = SubUserOnlineStatus { subscribe_user_id: vec!["alice".into()], ..Default::default() }.encode_to_vec();
            let incr = c.send_req(2005, data).await;
            let r = c.response(&incr).await;
            assert_eq!((r.req_identifier, r.msg_incr.as_str(), r.err_code), (2005, incr.as_str(), 0), "{mode:?}");
            assert_eq!(r.operation_id, format!("op-{incr}"));
            let online = tips(&r.data);
            assert_eq!(online.len(), 1);
            assert!(online[0].1.contains(&platform), "{mode:?} {online:?}");
        }
        // Raw JSON reply shape.
        let token = g.token("alice", 7).await;
        let url = g.url("alice", &token, 7, "&sdkType=js");
        let (mut sock, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("connect");
        use futures_util::{SinkExt, StreamExt};
        let req = WsReq { req_identifier: 2004, send_id: "alice".into(), operation_id: "op9".into(), msg_incr: "m9".into(), data: vec![] , ..Default::default()};
        sock.send(tokio_tungstenite::tungstenite::Message::Binary(ws::encode_req(&req, Encoding::Json, false).into())).await.unwrap();
        let reply = sock.next().await.unwrap().unwrap().into_data();
        assert_eq!(std::str::from_utf8(&reply).unwrap(),
            r#"{"reqIdentifier":2004,"msgIncr":"m9","operationID":"op9","errCode":0,"errMsg":"","data":null}"#);
    }

    /// Text heartbeat, WebSocket ping → pong, and what closes a connection.
    async fn heartbeat_and_closing_frames(backend) {
        let g = Gw::start(backend, &["alice"], &[]).await;
        let mut c = g.connect("alice", WEB, Mode::JS).await;
        assert!(c.send_text(r#"{"type":"ping","body":{"n": 1}}"#).await);
        assert_eq!(c.next(SECS(5)).await, Some(Frame::Text(r#"{"type":"pong","body":{"n":1}}"#.into())));
        assert!(c.send_text(r#"{"type":"ping"}"#).await);
        assert_eq!(c.next(SECS(5)).await, Some(Frame::Text(r#"{"type":"pong","body":null}"#.into())));
        assert!(c.send_text(r#"{"type":"pong"}"#).await);
        assert!(c.ping(b"op-ping").await);
        assert_eq!(c.next(SECS(5)).await, Some(Frame::Pong(b"op-ping".to_vec())));
        // Still alive after all that.
        assert_eq!(c.request(2004, vec![]).await.err_code, 0);
        // Another text type closes.
        assert!(c.send_text(r#"{"type":"hello"}"#).await);
        assert!(c.closed(SECS(5)).await.is_some());

        // Unknown reqIdentifier closes without a reply.
        let mut c = g.connect("alice", WEB, Mode::GOB).await;
        c.send_req(1004, vec![]).await;
        assert_eq!(c.closed(SECS(5)).await, Some(vec![]));
        // SendID other than the connection's user closes.
        let mut c = g.connect("alice", WEB, Mode::GOB).await;
        let req = WsReq { req_identifier: 2004, send_id: "mallory".into(), msg_incr: "1".into(), ..Default::default() };
        c.send_binary(ws::encode_req(&req, Encoding::Gob, false)).await;
        assert_eq!(c.closed(SECS(5)).await, Some(vec![]));
        // A bad protobuf payload of a known request is an error reply; the connection stays.
        let mut c = g.connect("alice", WEB, Mode::GOB).await;
        let r = c.request(2004, vec![0xff, 0xff, 0xff]).await;
        assert_eq!((r.err_code, r.err_msg.as_str(), r.data.len()), (1001, "ArgsError", 0));
        assert_eq!(c.request(2004, vec![]).await.err_code, 0);
        // 2003 logout: a reply, then the server closes.
        let data = DelUserPushTokenReq { user_id: "alice".into(), platform_id: WEB }.encode_to_vec();
        let incr = c.send_req(2003, data).await;
        let frames = c.closed(SECS(5)).await.expect("closed after logout");
        assert!(matches!(&frames[..], [Frame::Resp(r)] if r.msg_incr == incr && r.err_code == 0 && r.req_identifier == 2003), "{frames:?}");
    }

    /// 2005: the current state on subscribe, then unsolicited frames when the watched user's
    /// platform set changes; 2004 updates the background flag.
    async fn online_status_subscription(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let mut a = g.connect("alice", WEB, Mode::GO).await;
        let sub = SubUserOnlineStatus { subscribe_user_id: vec!["bob".into()], ..Default::default() };
        let r = a.request(2005, sub.encode_to_vec()).await;
        assert_eq!(tips(&r.data), vec![("bob".to_string(), vec![])]);

        let mut b_web = g.connect("bob", WEB, Mode::JS).await;
        let p = a.push(2005, SECS(10)).await.expect("online push");
        assert_eq!((p.msg_incr.as_str(), tips(&p.data)), ("", vec![("bob".to_string(), vec![WEB])]));
        let b_ios = g.connect("bob", IOS, Mode::PY).await;
        assert_eq!(tips(&a.push(2005, SECS(10)).await.expect("second platform").data), vec![("bob".to_string(), vec![IOS, WEB])]);

        let r = b_web.request(2004, SetAppBackgroundStatusReq { user_id: "bob".into(), is_background: true }.encode_to_vec()).await;
        assert_eq!((r.req_identifier, r.err_code, r.data.len()), (2004, 0, 0));

        drop(b_ios);
        assert_eq!(tips(&a.push(2005, SECS(10)).await.expect("offline push").data), vec![("bob".to_string(), vec![WEB])]);
        // Unsubscribed: no more frames.
        let unsub = SubUserOnlineStatus { unsubscribe_user_id: vec!["bob".into()], ..Default::default() };
        assert_eq!(a.request(2005, unsub.encode_to_vec()).await.err_code, 0);
        drop(b_web);
        assert!(a.push(2005, Duration::from_millis(1500)).await.is_none());
    }

    /// force_logout kicks with a 2002 frame and a close; the token then answers 1506.
    /// Multi-login policy 1 kicks the older connection of the same platform.
    async fn kicks(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let token = g.token("bob", WEB).await;
        let mut b = g.connect_with("bob", &token, WEB, Mode::GO).await;
        let mut b_ios = g.connect("bob", IOS, Mode::GOB).await;
        let r = g.server.post("/auth/force_logout", Some(&g.admin), &json!({"userID": "bob", "platformID": WEB})).await;
        assert_eq!(r.code(), 0, "{}", r.text());
        let frames = b.closed(SECS(10)).await.expect("kicked");
        assert!(matches!(&frames[..], [Frame::Resp(r)] if r.req_identifier == 2002 && r.data.is_empty()), "{frames:?}");
        let v = json_body(&Client::open(&g.url("bob", &token, WEB, ""), "bob", Mode::GOB).await.expect_err("kicked token"));
        assert_eq!(v["errCode"], 1506);
        // The other platform is untouched.
        assert_eq!(b_ios.request(2004, vec![]).await.err_code, 0);

        // Policy 1: a new Web login closes the old Web connection.
        let mut a1 = g.connect("alice", WEB, Mode::JS).await;
        let mut a_android = g.connect("alice", ANDROID, Mode::GO).await;
        // (Tokens have one-second resolution: an identical token would be the same login.)
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let a2_token = g.token("alice", WEB).await;
        let mut a2 = g.connect_with("alice", &a2_token, WEB, Mode::JS).await;
        let frames = a1.closed(SECS(10)).await.expect("old web kicked");
        assert!(matches!(&frames[..], [Frame::Resp(r)] if r.req_identifier == 2002), "{frames:?}");
        assert_eq!(a2.request(2004, vec![]).await.err_code, 0);
        assert_eq!(a_android.request(2004, vec![]).await.err_code, 0);
    }

    /// The read deadline (30 s) is re-armed by any inbound frame: a client that only pings
    /// survives, a silent non-Web client is dropped, and a silent Web client survives because
    /// the server pings it and its pongs count.
    async fn idle_survival(backend) {
        let g = Gw::start(backend, &["alice", "bob", "carol"], &[]).await;
        let mut pinger = g.connect("alice", IOS, Mode::PY).await;
        let mut silent = g.connect("bob", ANDROID, Mode::GOB).await;
        let mut web = g.connect("carol", WEB, Mode::GO).await;
        let silent_task = tokio::spawn(async move {
            let started = std::time::Instant::now();
            let closed = silent.closed(SECS(45)).await;
            (closed.is_some(), started.elapsed())
        });
        let web_task = tokio::spawn(async move {
            // Reading answers the server's pings; nothing else arrives.
            let got = web.next(SECS(36)).await;
            (got, web)
        });
        for _ in 0..4 {
            tokio::time::sleep(SECS(9)).await;
            assert!(pinger.ping(b"keepalive").await);
        }
        let (silent_closed, after) = silent_task.await.unwrap();
        assert!(silent_closed, "a silent connection is dropped");
        assert!(after >= SECS(29) && after < SECS(40), "{after:?}");
        assert_eq!(pinger.request(2004, vec![]).await.err_code, 0, "the pinging client survived 36 s");
        let (got, mut web) = web_task.await.unwrap();
        assert_eq!(got, None, "the Web client saw nothing but pings");
        assert_eq!(web.request(2004, vec![]).await.err_code, 0, "the Web client survived 36 s");
    }
}
