//! im-server with `--transfer-queue-url` / `--push-queue-url` (env `IM_TRANSFER_QUEUE_URL` /
//! `IM_PUSH_QUEUE_URL`) publishes the send pipeline on SQS instead of running it in process, so a
//! gateway node shares the pipeline with the Lambdas: on the local AWS emulator (DynamoDB and
//! SQS), a send ends up as one message on the transfer queue, carrying the queue-message ID
//! `<tenant>|<conversationID>|<seq>` and the stored message, and nothing runs the transfer stage
//! in process (the push queue stays empty).

// AWS only by nature: the harness's both-backends macro is not used here.
#[allow(unused_macros, unused_imports)]
mod support;

use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_sqs::Client;
use aws_sdk_sqs::config::Credentials;
use aws_sdk_sqs::types::Message;
use base64::Engine as _;
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;
use serde_json::json;
use support::*;

async fn sqs() -> Client {
    let endpoint = std::env::var(DYNAMODB_ENDPOINT_VAR).ok().filter(|e| !e.is_empty()).unwrap_or_else(|| {
        panic!("{DYNAMODB_ENDPOINT_VAR} is not set: run tests/run.sh, which starts the local AWS emulator")
    });
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .load()
        .await;
    Client::new(&config)
}

async fn create_queue(c: &Client, name: &str) -> String {
    let unique = format!("{name}-{}-{}", std::process::id(), rand_suffix());
    let out = c.create_queue().queue_name(unique).send().await.expect("create queue");
    out.queue_url().expect("queue url").to_string()
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
}

async fn receive(c: &Client, url: &str, wait: i32) -> Vec<Message> {
    let out = c
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .wait_time_seconds(wait)
        .message_attribute_names("All")
        .send()
        .await
        .expect("receive");
    out.messages().to_vec()
}

#[tokio::test]
async fn a_send_is_published_on_the_transfer_queue() {
    let c = sqs().await;
    let transfer = create_queue(&c, "im-test-transfer").await;
    let push = create_queue(&c, "im-test-push").await;
    let s = Server::start_with(
        Backend::Aws,
        &["alice", "bob"],
        &["--transfer-queue-url", &transfer, "--push-queue-url", &push],
    )
    .await;
    let admin = s.admin_token().await;
    let body = json!({"sendID": "alice", "recvID": "bob", "content": {"content": "over SQS"},
        "contentType": 101, "sessionType": 1});
    let sent = s.post("/msg/send_msg", Some(&admin), &body).await.ok();
    let client_msg_id = sent["clientMsgID"].as_str().expect("clientMsgID").to_string();

    let mut got = Vec::new();
    for _ in 0..10 {
        got.extend(receive(&c, &transfer, 1).await);
        if !got.is_empty() {
            break;
        }
    }
    assert_eq!(got.len(), 1, "one transfer message per send:\n{}", s.log());
    let m = &got[0];
    let id = m.message_attributes().and_then(|a| a.get("im-id")).and_then(|v| v.string_value()).expect("im-id");
    assert_eq!(id, "default|si_alice_bob|1");
    let body: serde_json::Value = serde_json::from_str(m.body().expect("body")).expect("pipeline JSON");
    assert_eq!(
        (body["tenant"].as_str(), body["cid"].as_str(), body["seq"].as_i64()),
        (Some("default"), Some("si_alice_bob"), Some(1))
    );
    let raw = base64::engine::general_purpose::STANDARD.decode(body["msg"].as_str().expect("msg")).expect("base64");
    let msg = MsgData::decode(raw.as_slice()).expect("protobuf MsgData");
    assert_eq!(
        (msg.client_msg_id.as_str(), msg.seq, msg.content.as_slice()),
        (client_msg_id.as_str(), 1, br#"{"content":"over SQS"}"#.as_slice())
    );

    // The message is stored (the reply came after the store), and no in-process consumer ran:
    // the push stage's queue gets nothing within a few seconds.
    let bob = s.user_token(&admin, "bob", 1).await;
    let pull =
        json!({"userID": "bob", "seqRanges": [{"conversationID": "si_alice_bob", "begin": 1, "end": 1, "num": 1}]});
    let r = s.post("/msg/pull_msg_by_seq", Some(&bob), &pull).await.ok();
    assert_eq!(r["msgs"]["si_alice_bob"]["Msgs"][0]["clientMsgID"], client_msg_id.as_str());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(receive(&c, &push, 1).await.is_empty(), "the push stage runs in the push Lambda, not here");
}
