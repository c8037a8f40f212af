//! `events/transfer-sqs.json` through the transfer handler on an in-memory store: the good
//! record creates both parties' conversation rows and enqueues its push, the undecodable one is
//! the only batch item failure; a redelivery of the event enqueues no second push.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_lambda_events::event::sqs::SqsEvent;
use im_domain::clock::Env;
use im_domain::ports::{Queue, QueueMessage, Topic};
use im_domain::{ImResult, TenantId};
use im_fn_transfer::Transfer;

/// Collects what the consumer sends.
#[derive(Default)]
struct Collect(Mutex<Vec<(Topic, QueueMessage)>>);

#[async_trait]
impl Queue for Collect {
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()> {
        self.0.lock().unwrap().extend(messages.into_iter().map(|m| (topic, m)));
        Ok(())
    }
}

fn event() -> SqsEvent {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../events/transfer-sqs.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("event file")).expect("SQS event")
}

fn failures(resp: &aws_lambda_events::event::sqs::SqsBatchResponse) -> Vec<String> {
    resp.batch_item_failures.iter().map(|f| f.item_identifier.clone()).collect()
}

#[tokio::test]
async fn sample_event_creates_rows_enqueues_the_push_and_reports_the_poison_record() {
    let store = Arc::new(im_store_conformance::MemStore::new());
    let queue = Arc::new(Collect::default());
    let transfer = Transfer::new(store, Env::system(), queue.clone());
    let t = TenantId::parse("acme").unwrap();

    let resp = transfer.handle(event()).await;
    assert_eq!(failures(&resp), vec!["transfer-0002"]);
    // The response serialises the way the Lambda runtime answers SQS.
    let json = serde_json::to_value(&resp).unwrap();
    assert_eq!(json["batchItemFailures"][0]["itemIdentifier"], "transfer-0002");

    let sent = queue.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, Topic::Push);
    assert_eq!(sent[0].1.id, "acme|si_alice_bob|1");
    for owner in ["alice", "bob"] {
        let row = transfer.messaging().conversations().get(&t, owner, "si_alice_bob").await.unwrap();
        assert!(row.is_some(), "{owner} has the conversation row");
    }
    assert!(
        transfer
            .messaging()
            .conversations()
            .get(&TenantId::default_tenant(), "alice", "si_alice_bob")
            .await
            .unwrap()
            .is_none()
    );

    // SQS redelivers the whole event (e.g. the function timed out): nothing is enqueued twice.
    let resp = transfer.handle(event()).await;
    assert_eq!(failures(&resp), vec!["transfer-0002"]);
    assert_eq!(queue.0.lock().unwrap().len(), 1);
}
