//! The `@connections` management API of an im-server node, driven by the stock
//! `aws-sdk-apigatewaymanagement` client (SigV4) and by the Lambda-side pusher of im-adapters.
//! Each test runs on the embedded store and on DynamoDB.

mod support;
mod ws_support;

use std::time::Duration;

use aws_sdk_apigatewaymanagement::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_apigatewaymanagement::primitives::Blob;
use im_adapters::apigw::ApiGatewayPusher;
use im_domain::TenantId;
use im_repo::connection::{ConnectionPusher, ConnectionRecord, EndpointKind, PostOutcome, ServerFrame};
use im_wire::pb::sdkws::{MsgData, PullMsgs, PushMessages, SubUserOnlineStatusElem, SubUserOnlineStatusTips};
use prost::Message;
use support::*;
use ws_support::*;

const WEB: i32 = 5;
const IOS: i32 = 1;

fn client(endpoint: &str, access: &str, secret: &str) -> aws_sdk_apigatewaymanagement::Client {
    let conf = aws_sdk_apigatewaymanagement::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(access, secret, None, None, "test"))
        .endpoint_url(endpoint)
        .build();
    aws_sdk_apigatewaymanagement::Client::from_conf(conf)
}

fn push_of(text: &str) -> PushMessages {
    let msg = MsgData {
        send_id: "bob".into(),
        recv_id: "alice".into(),
        client_msg_id: "cm1".into(),
        session_type: 1,
        content_type: 101,
        content: format!("{{\"content\":\"{text}\"}}").into_bytes(),
        seq: 7,
        ..MsgData::default()
    };
    let mut p = PushMessages::default();
    p.msgs.insert("si_alice_bob".into(), PullMsgs { msgs: vec![msg], ..Default::default() });
    p
}

fn sdk_status(
    e: &aws_sdk_apigatewaymanagement::error::SdkError<
        impl std::fmt::Debug,
        aws_sdk_apigatewaymanagement::config::http::HttpResponse,
    >,
) -> u16 {
    e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0)
}

on_both_backends! {
    /// Signed calls with the real SDK: POST delivers a push in the connection's own envelope,
    /// GET describes the connection, DELETE closes it, unknown IDs are 410 Gone.
    async fn sdk_post_get_delete(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let mut gob = g.connect("alice", WEB, Mode::GO).await;
        let mut js = g.connect("alice", IOS, Mode::JS).await;
        assert_eq!(gob.conn_id.len(), 32);
        let api = client(&g.connections, ACCESS_KEY, SECRET_KEY);

        let payload = push_of("hello").encode_to_vec();
        api.post_to_connection().connection_id(&gob.conn_id).data(Blob::new(payload.clone())).send().await.expect("post");
        let p = gob.push(2001, Duration::from_secs(10)).await.expect("push on the gob socket");
        assert_eq!((p.msg_incr.as_str(), p.err_code), ("", 0));
        assert_eq!(PushMessages::decode(p.data.as_slice()).unwrap(), push_of("hello"));
        api.post_to_connection().connection_id(&js.conn_id).data(Blob::new(payload)).send().await.expect("post");
        let p = js.push(2001, Duration::from_secs(10)).await.expect("push on the JSON socket");
        assert_eq!(PushMessages::decode(p.data.as_slice()).unwrap().msgs["si_alice_bob"].msgs[0].seq, 7);

        let info = api.get_connection().connection_id(&gob.conn_id).send().await.expect("get");
        assert!(info.connected_at().is_some() && info.last_active_at().is_some());
        assert_eq!(info.identity().and_then(|i| i.source_ip()), Some("127.0.0.1"));

        api.delete_connection().connection_id(&js.conn_id).send().await.expect("delete");
        assert!(js.closed(Duration::from_secs(10)).await.is_some());

        for id in ["0123456789abcdef0123456789abcdef", js.conn_id.as_str()] {
            let e = api.post_to_connection().connection_id(id).data(Blob::new(vec![1])).send().await.expect_err("gone");
            assert_eq!(sdk_status(&e), 410, "{e:?}");
            assert_eq!(e.as_service_error().map(|s| s.is_gone_exception()), Some(true));
            let e = api.get_connection().connection_id(id).send().await.expect_err("gone");
            assert_eq!(sdk_status(&e), 410);
        }
        // The gob socket is still fine.
        assert_eq!(gob.request(2004, vec![]).await.err_code, 0);
    }

    /// Unsigned calls, a wrong secret and an unknown access key are refused with 403 and reach
    /// no connection.
    async fn refuses_unsigned_and_wrong_keys(backend) {
        let g = Gw::start(backend, &["alice"], &[]).await;
        let mut c = g.connect("alice", WEB, Mode::GOB).await;
        let url = format!("{}/@connections/{}", g.connections, c.conn_id);
        for req in [g.server.http.post(&url).body(push_of("x").encode_to_vec()), g.server.http.get(&url), g.server.http.delete(&url)] {
            let r = g.server.send(req).await;
            assert_eq!(r.status, 403, "{}", r.text());
            assert_eq!(r.header("x-amzn-errortype"), "ForbiddenException");
        }
        for (access, secret) in [(ACCESS_KEY, "wrong-secret"), ("AKIDSOMEONEELSE", SECRET_KEY)] {
            let api = client(&g.connections, access, secret);
            let e = api.post_to_connection().connection_id(&c.conn_id).data(Blob::new(vec![])).send().await.expect_err("403");
            assert_eq!(sdk_status(&e), 403, "{e:?}");
            let e = api.delete_connection().connection_id(&c.conn_id).send().await.expect_err("403");
            assert_eq!(sdk_status(&e), 403);
        }
        assert!(c.push(2001, Duration::from_millis(500)).await.is_none(), "nothing was delivered");
        assert_eq!(c.request(2004, vec![]).await.err_code, 0, "and nothing was closed");
    }

    /// A client that stops reading is closed once its 256-frame outbound queue is full; later
    /// posts answer 410.
    async fn full_queue_closes(backend) {
        let g = Gw::start(backend, &["alice"], &[]).await;
        let mut c = g.connect("alice", WEB, Mode::GOB).await;
        let api = client(&g.connections, ACCESS_KEY, SECRET_KEY);
        let big = vec![7u8; 120 * 1024];
        let mut delivered = 0;
        let mut gone = false;
        for _ in 0..3000 {
            match api.post_to_connection().connection_id(&c.conn_id).data(Blob::new(big.clone())).send().await {
                Ok(_) => delivered += 1,
                Err(e) => {
                    assert_eq!(sdk_status(&e), 410, "{e:?}");
                    gone = true;
                    break;
                }
            }
        }
        assert!(gone, "still open after {delivered} unread frames");
        assert!(delivered >= 256, "{delivered}");
        // What the client finally reads ends with a close (and never more than was accepted).
        let frames = c.closed(Duration::from_secs(30)).await.expect("closed");
        assert!(frames.len() <= delivered, "{} > {delivered}", frames.len());
    }

    /// The Lambda-side pusher (im-adapters) reaches a node through the same API: pushes, other
    /// frame kinds via its headers, skipped iOS-background pushes, kicks, and Gone.
    async fn adapter_pusher_to_node(backend) {
        let g = Gw::start(backend, &["alice", "bob"], &[]).await;
        let mut c = g.connect("alice", WEB, Mode::PY).await;
        // The function's own credentials (here: a key the node does not accept) sign API
        // Gateway calls; the node key signs calls to nodes.
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_apigatewaymanagement::config::SharedCredentialsProvider::new(
                Credentials::new("AKIDROLE", "role-secret", None, None, "test"),
            ))
            .build();
        let unsigned_for_nodes = ApiGatewayPusher::new(sdk.clone());
        let pusher = ApiGatewayPusher::new(sdk).with_node_key(ACCESS_KEY, SECRET_KEY);
        let t = TenantId::default_tenant();
        let rec = ConnectionRecord {
            user_id: "alice".into(),
            conn_id: c.conn_id.clone(),
            platform_id: WEB,
            endpoint: g.connections.clone(),
            kind: EndpointKind::Node,
            ..ConnectionRecord::default()
        };
        let push = ServerFrame { req_identifier: 2001, operation_id: "op-push".into(), data: push_of("via lambda").encode_to_vec() };
        assert!(unsigned_for_nodes.post(&t, &rec, &push).await.is_err(), "the node refuses other keys (403)");
        assert_eq!(pusher.post(&t, &rec, &push).await.unwrap(), PostOutcome::Delivered);
        let p = c.push(2001, Duration::from_secs(10)).await.expect("push");
        assert_eq!(p.operation_id, "op-push");
        assert_eq!(PushMessages::decode(p.data.as_slice()).unwrap(), push_of("via lambda"));

        let tips = SubUserOnlineStatusTips { subscribers: vec![SubUserOnlineStatusElem { user_id: "bob".into(), online_platform_ids: vec![2] }] };
        let status = ServerFrame { req_identifier: 2005, operation_id: String::new(), data: tips.encode_to_vec() };
        assert_eq!(pusher.post(&t, &rec, &status).await.unwrap(), PostOutcome::Delivered);
        let p = c.push(2005, Duration::from_secs(10)).await.expect("2005 frame");
        assert_eq!(SubUserOnlineStatusTips::decode(p.data.as_slice()).unwrap(), tips);

        // iOS in the background: not posted at all.
        let ios_bg = ConnectionRecord { platform_id: IOS, background: true, ..rec.clone() };
        assert_eq!(pusher.post(&t, &ios_bg, &push).await.unwrap(), PostOutcome::Delivered);
        assert!(c.push(2001, Duration::from_millis(500)).await.is_none());

        // A kick: the 2002 frame, then the node closes the connection.
        let kick = ServerFrame { req_identifier: 2002, operation_id: "op-kick".into(), data: vec![] };
        assert_eq!(pusher.post(&t, &rec, &kick).await.unwrap(), PostOutcome::Delivered);
        let frames = c.closed(Duration::from_secs(10)).await.expect("closed");
        assert!(matches!(&frames[..], [Frame::Resp(r)] if r.req_identifier == 2002), "{frames:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(pusher.post(&t, &rec, &push).await.unwrap(), PostOutcome::Gone);
        assert_eq!(pusher.close(&t, &rec).await.unwrap(), PostOutcome::Gone);
    }
}
