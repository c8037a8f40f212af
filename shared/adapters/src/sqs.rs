//! The queue port ([`Queue`]) on Amazon SQS standard queues, one queue per [`Topic`].
//!
//! * Sending: `SendMessageBatch` in chunks of ten (the SQS maximum); entries SQS refuses are
//!   retried a few times, then the send fails.
//! * The [`QueueMessage::id`] travels as the string message attribute [`ID_ATTRIBUTE`] (SQS's own
//!   message ID differs on every send; consumers deduplicate on ours).
//! * Bodies are text: a UTF-8 body (the pipeline's JSON) goes as is; any other body is base64
//!   with the attribute [`ENCODING_ATTRIBUTE`] = `base64`.
//!
//! The consumers are SQS-triggered Lambda functions (`functions/transfer`, `functions/push`);
//! [`decode`] turns a received record's body and attributes back into a [`QueueMessage`].

use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{MessageAttributeValue, SendMessageBatchRequestEntry};
use base64::Engine as _;
use im_domain::ports::{Queue, QueueMessage, Topic};
use im_domain::{ErrCode, ImError, ImResult};

/// Environment variable: URL of the transfer queue.
pub const TRANSFER_QUEUE_URL_VAR: &str = "IM_TRANSFER_QUEUE_URL";
/// Environment variable: URL of the push queue.
pub const PUSH_QUEUE_URL_VAR: &str = "IM_PUSH_QUEUE_URL";
/// Message attribute carrying the [`QueueMessage::id`].
pub const ID_ATTRIBUTE: &str = "im-id";
/// Message attribute marking a base64 body (value `base64`).
pub const ENCODING_ATTRIBUTE: &str = "im-encoding";

/// Most entries of one `SendMessageBatch`.
const BATCH: usize = 10;
/// Sends of entries SQS refused before the send fails.
const ATTEMPTS: usize = 3;

/// Publishes to SQS; cheap to clone (the client is shared).
#[derive(Clone, Debug)]
pub struct SqsQueue {
    client: Client,
    transfer_url: String,
    push_url: String,
}

impl SqsQueue {
    /// A queue publishing through `client` to the two queue URLs.
    pub fn new(client: Client, transfer_url: impl Into<String>, push_url: impl Into<String>) -> Self {
        SqsQueue { client, transfer_url: transfer_url.into(), push_url: push_url.into() }
    }

    /// From the standard AWS environment and [`TRANSFER_QUEUE_URL_VAR`] / [`PUSH_QUEUE_URL_VAR`];
    /// `None` when either URL is unset or empty.
    pub async fn from_env() -> Option<Self> {
        let transfer = std::env::var(TRANSFER_QUEUE_URL_VAR).ok().filter(|s| !s.is_empty())?;
        let push = std::env::var(PUSH_QUEUE_URL_VAR).ok().filter(|s| !s.is_empty())?;
        let config = crate::aws_env::sdk_config().await;
        Some(Self::new(Client::new(&config), transfer, push))
    }

    /// The SQS client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The URL of `topic`'s queue.
    pub fn url(&self, topic: Topic) -> &str {
        match topic {
            Topic::Transfer => &self.transfer_url,
            Topic::Push => &self.push_url,
        }
    }

    async fn send_chunk(&self, url: &str, chunk: &[QueueMessage]) -> ImResult<()> {
        let mut pending: Vec<(String, &QueueMessage)> =
            chunk.iter().enumerate().map(|(i, m)| (i.to_string(), m)).collect();
        for _ in 0..ATTEMPTS {
            let entries = pending.iter().map(|(entry_id, m)| entry(entry_id, m)).collect::<ImResult<Vec<_>>>()?;
            let out = self
                .client
                .send_message_batch()
                .queue_url(url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(|e| sqs_error("SendMessageBatch", e))?;
            let failed: Vec<&str> = out.failed().iter().map(|f| f.id()).collect();
            for f in out.failed() {
                tracing::warn!(
                    code = f.code(),
                    message = f.message(),
                    sender_fault = f.sender_fault(),
                    "SQS refused a message"
                );
            }
            pending.retain(|(entry_id, _)| failed.contains(&entry_id.as_str()));
            if pending.is_empty() {
                return Ok(());
            }
        }
        Err(ImError::new(ErrCode::ServerInternal, format!("SQS refused {} message(s)", pending.len())))
    }
}

fn sqs_error(op: &str, e: impl std::fmt::Display) -> ImError {
    ImError::new(ErrCode::ServerInternal, format!("SQS {op}: {e}"))
}

fn string_attr(value: &str) -> ImResult<MessageAttributeValue> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .map_err(|e| ImError::internal(format!("SQS attribute: {e}")))
}

fn entry(entry_id: &str, m: &QueueMessage) -> ImResult<SendMessageBatchRequestEntry> {
    let mut b =
        SendMessageBatchRequestEntry::builder().id(entry_id).message_attributes(ID_ATTRIBUTE, string_attr(&m.id)?);
    b = match std::str::from_utf8(&m.body) {
        Ok(text) => b.message_body(text),
        Err(_) => b
            .message_body(base64::engine::general_purpose::STANDARD.encode(&m.body))
            .message_attributes(ENCODING_ATTRIBUTE, string_attr("base64")?),
    };
    b.build().map_err(|e| ImError::internal(format!("SQS entry: {e}")))
}

/// Rebuilds a [`QueueMessage`] from a received SQS message: its body, the value of its
/// [`ID_ATTRIBUTE`] (SQS's `message_id` when absent) and of its [`ENCODING_ATTRIBUTE`].
pub fn decode(message_id: &str, body: &str, id_attr: Option<&str>, encoding: Option<&str>) -> ImResult<QueueMessage> {
    let body = match encoding {
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| ImError::internal(format!("SQS message {message_id}: bad base64 body: {e}")))?,
        Some(other) => return Err(ImError::internal(format!("SQS message {message_id}: unknown encoding {other}"))),
        None => body.as_bytes().to_vec(),
    };
    let id = id_attr.filter(|s| !s.is_empty()).unwrap_or(message_id).to_string();
    Ok(QueueMessage { id, body })
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()> {
        let url = self.url(topic).to_string();
        for chunk in messages.chunks(BATCH) {
            self.send_chunk(&url, chunk).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_uses_the_attribute_id_and_encoding() {
        let m = decode("sqs-1", "{\"a\":1}", Some("t|c|1"), None).unwrap();
        assert_eq!(m, QueueMessage { id: "t|c|1".into(), body: b"{\"a\":1}".to_vec() });
        let m = decode("sqs-2", "AP8=", None, Some("base64")).unwrap();
        assert_eq!(m, QueueMessage { id: "sqs-2".into(), body: vec![0, 255] });
        assert!(decode("sqs-3", "!!", None, Some("base64")).is_err());
        assert!(decode("sqs-4", "x", None, Some("zstd")).is_err());
    }

    #[test]
    fn entries_carry_the_id_and_encode_binary_bodies() {
        let e = entry("0", &QueueMessage { id: "m1".into(), body: b"text".to_vec() }).unwrap();
        assert_eq!(e.message_body(), "text");
        assert_eq!(e.message_attributes().and_then(|a| a.get(ID_ATTRIBUTE)).and_then(|v| v.string_value()), Some("m1"));
        assert!(e.message_attributes().is_some_and(|a| !a.contains_key(ENCODING_ATTRIBUTE)));
        let e = entry("1", &QueueMessage { id: "m2".into(), body: vec![0, 255] }).unwrap();
        assert_eq!(e.message_body(), "AP8=");
        let back = decode("x", e.message_body(), Some("m2"), Some("base64")).unwrap();
        assert_eq!(back.body, vec![0, 255]);
    }
}
