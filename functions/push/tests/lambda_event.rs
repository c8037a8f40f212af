//! `events/push-sqs.json` through the push handler on an in-memory store: the recipient's live
//! connection gets one 2001 frame, the undecodable record is the only batch item failure, and a
//! redelivered event pushes nothing twice.

mod common;

use std::sync::Arc;

use aws_lambda_events::event::sqs::SqsEvent;
use common::{RecordingPusher, connect};
use im_domain::TenantId;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_fn_push::Push;
use im_msg::push::LogOfflinePush;
use im_repo::connection::PUSH_MSG;

fn event() -> SqsEvent {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/push-sqs.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("event file")).expect("SQS event")
}

#[tokio::test]
async fn sample_event_pushes_once_and_reports_the_poison_record() {
    let store: DynStore = Arc::new(im_store_conformance::MemStore::new());
    let t = TenantId::parse("acme").unwrap();
    connect(&store, &t, "bob", "bob-desktop").await;
    connect(&store, &TenantId::default_tenant(), "bob", "other-tenant-bob").await;
    let pusher = Arc::new(RecordingPusher::default());
    let push = Push::new(store, Env::system(), pusher.clone(), Arc::new(LogOfflinePush));

    let resp = push.handle(event()).await;
    let failed: Vec<&str> = resp.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, vec!["push-0002"]);
    let frames = pusher.to("bob");
    assert_eq!(frames.len(), 1, "one frame, to the acme tenant's connection only");
    assert_eq!(frames[0].req_identifier, PUSH_MSG);
    assert_eq!(pusher.0.lock().unwrap()[0].1, "bob-desktop");

    let resp = push.handle(event()).await;
    assert_eq!(resp.batch_item_failures.len(), 1);
    assert_eq!(pusher.to("bob").len(), 1, "a redelivered message is not pushed again");
}
