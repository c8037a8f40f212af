//! The pipeline over SQS on the local AWS emulator (`IM_TEST_DYNAMODB_ENDPOINT`, which also
//! serves SQS; `tests/run.sh` starts it). There is no SQS→Lambda trigger locally, so the tests
//! poll the queues and call the function handlers themselves, deleting what a handler did not
//! report failed (what the event source mapping does).
//!
//! * A send through the SQS adapter reaches the recipient's connection once, although the push
//!   message is received twice.
//! * An undecodable message is the only batch item failure of its batch and, with a redrive
//!   policy of `maxReceiveCount` 2, ends in the dead-letter queue.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::QueueAttributeName;
use common::{RecordingPusher, connect};
use im_adapters::emulator;
use im_adapters::sqs::SqsQueue;
use im_domain::TenantId;
use im_domain::clock::Env;
use im_domain::ports::{NoRelations, Queue, QueueMessage, Topic};
use im_domain::store::DynStore;
use im_fn_push::Push;
use im_fn_transfer::Transfer;
use im_msg::push::LogOfflinePush;
use im_msg::{Messaging, MsgConfig, MsgDeps, NoGroups, SendCtx};
use im_repo::connection::PUSH_MSG;
use im_repo::user::{UserRecord, UserRepo};
use im_wire::pb::sdkws::MsgData;

async fn client() -> Client {
    Client::new(&emulator::sdk_config().await)
}

async fn create_queue(c: &Client, name: &str, redrive: Option<String>) -> String {
    let mut req = c.create_queue().queue_name(name);
    if let Some(policy) = redrive {
        req = req.attributes(QueueAttributeName::RedrivePolicy, policy);
    }
    req.send().await.expect("create queue").queue_url().expect("queue URL").to_string()
}

async fn arn(c: &Client, url: &str) -> String {
    let out = c
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .expect("queue attributes");
    out.attributes().and_then(|a| a.get(&QueueAttributeName::QueueArn)).expect("queue ARN").clone()
}

fn text(send: &str, recv: &str, cmid: &str) -> MsgData {
    MsgData {
        send_id: send.into(),
        recv_id: recv.into(),
        client_msg_id: cmid.into(),
        sender_platform_id: 5,
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: br#"{"content":"over SQS"}"#.to_vec(),
        status: 1,
        ..MsgData::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_send_over_sqs_is_pushed_once_although_received_twice() {
    let c = client().await;
    let transfer_url = create_queue(&c, &emulator::unique("im-transfer"), None).await;
    let push_url = create_queue(&c, &emulator::unique("im-push"), None).await;
    let queue = Arc::new(SqsQueue::new(c.clone(), &transfer_url, &push_url));
    let store: DynStore = Arc::new(im_store_conformance::MemStore::new());
    let t = TenantId::parse("sqs").unwrap();
    let users = UserRepo::new(store.clone());
    for id in ["alice", "bob"] {
        let u = UserRecord { user_id: id.into(), nickname: id.into(), ..UserRecord::default() };
        users.create(&t, &u).await.unwrap();
    }
    connect(&store, &t, "bob", "bob-1").await;
    let sender = Messaging::new(MsgDeps {
        store: store.clone(),
        env: Env::system(),
        queue: queue.clone(),
        relations: Arc::new(NoRelations),
        groups: Arc::new(NoGroups),
        config: MsgConfig::default(),
    });
    let sent = sender.send(&t, &SendCtx::default(), text("alice", "bob", "c-1")).await.unwrap();
    let transfer = Transfer::new(store.clone(), Env::system(), queue.clone());
    let pusher = Arc::new(RecordingPusher::default());
    let push = Push::new(store.clone(), Env::system(), pusher.clone(), Arc::new(LogOfflinePush));

    let msgs = emulator::receive(&c, &transfer_url, 30, 1).await;
    assert_eq!(msgs.len(), 1, "the send enqueued one transfer message");
    let resp = transfer.handle(emulator::sqs_event(&msgs)).await;
    assert!(resp.batch_item_failures.is_empty());
    emulator::delete_processed(&c, &transfer_url, &msgs, &resp).await;

    // First receipt: handled, but "the function times out" before SQS deletes it.
    let first = emulator::receive(&c, &push_url, 1, 1).await;
    assert_eq!(first.len(), 1);
    assert!(push.handle(emulator::sqs_event(&first)).await.batch_item_failures.is_empty());
    assert_eq!(pusher.to("bob").len(), 1);
    // Second receipt of the same message after its visibility timeout.
    let deadline = Instant::now() + Duration::from_secs(15);
    let second = loop {
        let again = emulator::receive(&c, &push_url, 30, 1).await;
        if !again.is_empty() || Instant::now() > deadline {
            break again;
        }
    };
    assert_eq!(second.len(), 1, "the push message comes back");
    assert_eq!(second[0].message_id(), first[0].message_id());
    let resp = push.handle(emulator::sqs_event(&second)).await;
    assert!(resp.batch_item_failures.is_empty());
    emulator::delete_processed(&c, &push_url, &second, &resp).await;
    let frames = pusher.to("bob");
    assert_eq!(frames.len(), 1, "delivered once");
    assert_eq!(frames[0].req_identifier, PUSH_MSG);
    assert!(!sent.server_msg_id.is_empty());
    assert!(emulator::receive(&c, &push_url, 30, 1).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_poison_message_fails_alone_and_ends_in_the_dead_letter_queue() {
    let c = client().await;
    let dlq_url = create_queue(&c, &emulator::unique("im-transfer-dlq"), None).await;
    let policy = format!(r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":"2"}}"#, arn(&c, &dlq_url).await);
    let transfer_url = create_queue(&c, &emulator::unique("im-transfer"), Some(policy)).await;
    let push_url = create_queue(&c, &emulator::unique("im-push"), None).await;
    let queue = Arc::new(SqsQueue::new(c.clone(), &transfer_url, &push_url));
    let store: DynStore = Arc::new(im_store_conformance::MemStore::new());
    let t = TenantId::parse("sqs").unwrap();
    let mut good = text("alice", "bob", "c-2");
    good.seq = 1;
    good.server_msg_id = "s-2".into();
    let good = im_msg::pipeline::PipelineMsg::new(t.clone(), "si_alice_bob", good).encode().unwrap();
    let poison = QueueMessage { id: "poison".into(), body: b"not a pipeline message".to_vec() };
    queue.send(Topic::Transfer, vec![good.clone(), poison]).await.unwrap();
    let transfer = Transfer::new(store, Env::system(), queue.clone());

    // First batch: both messages; only the poison one fails.
    let mut batch = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while batch.len() < 2 && Instant::now() < deadline {
        batch.extend(emulator::receive(&c, &transfer_url, 1, 1).await);
    }
    assert_eq!(batch.len(), 2);
    let resp = transfer.handle(emulator::sqs_event(&batch)).await;
    let poison_sqs_id = batch
        .iter()
        .find(|m| m.body() == Some("not a pipeline message"))
        .and_then(|m| m.message_id())
        .expect("poison received")
        .to_string();
    let failed: Vec<&str> = resp.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(failed, vec![poison_sqs_id.as_str()]);
    emulator::delete_processed(&c, &transfer_url, &batch, &resp).await;
    let pushes = emulator::receive(&c, &push_url, 30, 1).await;
    assert_eq!(pushes.len(), 1, "the good message went on to push");

    // Retries: the poison message comes back and fails until SQS moves it to the DLQ.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut receipts = 1;
    let dead = loop {
        assert!(Instant::now() < deadline, "the poison message never reached the DLQ");
        for m in emulator::receive(&c, &transfer_url, 1, 1).await {
            assert_eq!(m.message_id(), Some(poison_sqs_id.as_str()), "only the poison message is redelivered");
            receipts += 1;
            let resp = transfer.handle(emulator::sqs_event(std::slice::from_ref(&m))).await;
            assert_eq!(resp.batch_item_failures.len(), 1);
        }
        let dead = emulator::receive(&c, &dlq_url, 30, 1).await;
        if !dead.is_empty() {
            break dead;
        }
    };
    assert_eq!(receipts, 2, "maxReceiveCount 2: two deliveries, then the DLQ");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body(), Some("not a pipeline message"));
    let id =
        dead[0].message_attributes().and_then(|a| a.get(im_adapters::sqs::ID_ATTRIBUTE)).and_then(|v| v.string_value());
    assert_eq!(id, Some("poison"));
    assert!(emulator::receive(&c, &transfer_url, 1, 1).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_adapter_sends_more_than_ten_messages_with_their_ids_and_bodies() {
    let c = client().await;
    let transfer_url = create_queue(&c, &emulator::unique("im-transfer"), None).await;
    let push_url = create_queue(&c, &emulator::unique("im-push"), None).await;
    let queue = SqsQueue::new(c.clone(), &transfer_url, &push_url);
    let mut sent: Vec<QueueMessage> =
        (0..23).map(|i| QueueMessage { id: format!("id-{i:02}"), body: format!("body {i}").into_bytes() }).collect();
    sent.push(QueueMessage { id: "binary".into(), body: vec![0, 159, 146, 150] });
    queue.send(Topic::Push, sent.clone()).await.unwrap();
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while got.len() < sent.len() && Instant::now() < deadline {
        got.extend(
            im_adapters::sqs_event::decode_event(&emulator::sqs_event(&emulator::receive(&c, &push_url, 30, 1).await))
                .messages,
        );
    }
    got.sort_by(|a, b| a.id.cmp(&b.id));
    sent.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, sent);
    assert!(emulator::receive(&c, &transfer_url, 1, 1).await.is_empty(), "nothing went to the other topic");
}
