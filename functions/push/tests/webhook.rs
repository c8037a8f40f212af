//! The offline-push webhook: `events/push-sqs.json` through the push handler with the recipient
//! offline posts one OpenIM-style `callbackOfflinePushCommand` to a real HTTP listener; refusals
//! (HTTP error or non-zero `errCode`) are errors of the provider but never fail the batch.

#[allow(dead_code)] // Shared helpers; this file uses some of them.
mod common;

use std::sync::{Arc, Mutex};

use aws_lambda_events::event::sqs::SqsEvent;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::RecordingPusher;
use im_domain::TenantId;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_fn_push::Push;
use im_fn_push::webhook::{COMMAND, WebhookOfflinePush};
use im_msg::push::OfflinePusher;
use im_wire::pb::sdkws::MsgData;
use serde_json::Value;

/// What the listener received: (path, operationID header, body).
type Calls = Arc<Mutex<Vec<(String, String, Value)>>>;

/// A webhook listener answering `status` with `reply`; returns its base URL and its calls.
async fn listener(status: StatusCode, reply: &'static str) -> (String, Calls) {
    let calls: Calls = Arc::default();
    let app = Router::new()
        .fallback(move |State(c): State<Calls>, uri: axum::http::Uri, h: HeaderMap, body: String| async move {
            let op = h.get("operationID").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            c.lock().unwrap().push((uri.path().to_string(), op, serde_json::from_str(&body).unwrap_or(Value::Null)));
            (status, reply)
        })
        .with_state(calls.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", l.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(l, app).await;
    });
    (url, calls)
}

fn event() -> SqsEvent {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/push-sqs.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("event file")).expect("SQS event")
}

#[tokio::test]
async fn an_offline_recipient_gets_one_webhook_call() {
    let (url, calls) = listener(StatusCode::OK, r#"{"errCode":0,"errMsg":"","actionCode":0}"#).await;
    let store: DynStore = Arc::new(im_store_conformance::MemStore::new());
    let online = Arc::new(RecordingPusher::default());
    let push = Push::new(store, Env::system(), online.clone(), Arc::new(WebhookOfflinePush::new(&url).unwrap()));

    push.handle(event()).await;
    assert!(online.to("bob").is_empty(), "bob has no connection");
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "one call for the one message: {got:?}");
    let (path, op, body) = &got[0];
    assert_eq!(path, &format!("/hooks/{COMMAND}"));
    assert!(op.starts_with("offline-"), "operationID header: {op}");
    assert_eq!(body["callbackCommand"], COMMAND);
    assert_eq!(body["tenantID"], "acme");
    assert_eq!(body["userIDList"], serde_json::json!(["bob"]));
    assert!(body["sendID"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
    assert!(body["offlinePushInfo"].is_object(), "{body}");

    // A redelivery does not notify again.
    push.handle(event()).await;
    assert_eq!(calls.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn refusals_are_errors_of_the_provider() {
    let tenant = TenantId::default_tenant();
    let msg = MsgData { send_id: "alice".into(), recv_id: "bob".into(), ..MsgData::default() };
    let users = vec!["bob".to_string()];

    let (url, calls) = listener(StatusCode::INTERNAL_SERVER_ERROR, "boom").await;
    let e = WebhookOfflinePush::new(&url).unwrap().push(&tenant, &users, &msg).await.unwrap_err();
    assert_eq!(e.code, 90004, "{e:?}");
    assert_eq!(calls.lock().unwrap().len(), 1);

    let (url, _) = listener(StatusCode::OK, r#"{"errCode":5001,"errMsg":"no device"}"#).await;
    let e = WebhookOfflinePush::new(&url).unwrap().push(&tenant, &users, &msg).await.unwrap_err();
    assert!(e.to_string().contains("5001"), "{e}");

    let (url, _) = listener(StatusCode::NO_CONTENT, "").await;
    WebhookOfflinePush::new(&url).unwrap().push(&tenant, &users, &msg).await.expect("an empty 2xx is success");

    // Nobody listening: an error, not a hang.
    let dead = WebhookOfflinePush::new("http://127.0.0.1:9").unwrap();
    assert!(dead.push(&tenant, &users, &msg).await.is_err());
}
