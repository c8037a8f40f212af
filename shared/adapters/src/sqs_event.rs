//! The consumer side of the SQS queue: an SQS-triggered Lambda event becomes [`QueueMessage`]s
//! for a batch handler (`im_msg::transfer::handle`, `im_msg::push::handle`), and the IDs the
//! handler reports as failed become the event source mapping's partial batch response
//! (`ReportBatchItemFailures`): SQS redelivers only those records, and after the queue's
//! `maxReceiveCount` moves them to its dead-letter queue.
//!
//! A record that cannot be decoded (no body, bad encoding) is reported failed without reaching
//! the handler. Records carrying the same queue-message ID (a duplicate send) are all reported
//! when that ID fails.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use im_domain::ports::QueueMessage;

use crate::sqs::{ENCODING_ATTRIBUTE, ID_ATTRIBUTE, decode};

/// The queue messages of an event, and which SQS records each ID came from.
#[derive(Debug, Default)]
pub struct Decoded {
    /// Messages for the handler (one per distinct queue-message ID).
    pub messages: Vec<QueueMessage>,
    /// SQS message IDs by queue-message ID.
    pub records: HashMap<String, Vec<String>>,
    /// SQS message IDs of records that could not be decoded.
    pub undecodable: Vec<String>,
}

fn attr<'a>(record: &'a SqsMessage, name: &str) -> Option<&'a str> {
    record.message_attributes.get(name).and_then(|a| a.string_value.as_deref())
}

/// Decodes an event's records. Within one event, records with the same queue-message ID are
/// handled once.
pub fn decode_event(event: &SqsEvent) -> Decoded {
    let mut out = Decoded::default();
    for record in &event.records {
        let sqs_id = record.message_id.clone().unwrap_or_default();
        let decoded = match &record.body {
            Some(body) => decode(&sqs_id, body, attr(record, ID_ATTRIBUTE), attr(record, ENCODING_ATTRIBUTE)),
            None => Err(im_domain::ImError::internal(format!("SQS message {sqs_id}: no body"))),
        };
        match decoded {
            Ok(m) => {
                let seen = out.records.entry(m.id.clone()).or_default();
                if seen.is_empty() {
                    out.messages.push(m);
                }
                seen.push(sqs_id);
            }
            Err(e) => {
                tracing::warn!(error = %e, "undecodable SQS record");
                out.undecodable.push(sqs_id);
            }
        }
    }
    out
}

/// Runs `handler` (which returns the IDs of the messages that failed) on an event's messages and
/// answers the partial batch response.
pub async fn consume<F, Fut>(event: SqsEvent, handler: F) -> SqsBatchResponse
where
    F: FnOnce(Vec<QueueMessage>) -> Fut,
    Fut: Future<Output = Vec<String>>,
{
    let Decoded { messages, records, undecodable } = decode_event(&event);
    let failed: HashSet<String> =
        if messages.is_empty() { HashSet::new() } else { handler(messages).await.into_iter().collect() };
    let mut ids = undecodable;
    for id in failed {
        match records.get(&id) {
            Some(sqs_ids) => ids.extend(sqs_ids.iter().cloned()),
            None => tracing::error!(id = %id, "handler reported an ID that is not in the batch"),
        }
    }
    ids.sort();
    ids.dedup();
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = ids
        .into_iter()
        .map(|item_identifier| {
            let mut f = BatchItemFailure::default();
            f.item_identifier = item_identifier;
            f
        })
        .collect();
    response
}

#[cfg(test)]
mod tests {
    use aws_lambda_events::event::sqs::SqsMessageAttribute;

    use super::*;

    fn record(sqs_id: &str, body: Option<&str>, id: Option<&str>) -> SqsMessage {
        let mut r = SqsMessage::default();
        r.message_id = Some(sqs_id.into());
        r.body = body.map(str::to_string);
        if let Some(id) = id {
            let mut a = SqsMessageAttribute::default();
            a.string_value = Some(id.into());
            a.data_type = Some("String".into());
            r.message_attributes.insert(ID_ATTRIBUTE.into(), a);
        }
        r
    }

    #[tokio::test]
    async fn failures_map_back_to_every_record_of_the_id() {
        let mut event = SqsEvent::default();
        event.records = vec![
            record("s1", Some("a"), Some("A")),
            record("s2", Some("a"), Some("A")),
            record("s3", Some("b"), Some("B")),
            record("s4", None, Some("C")),
            record("s5", Some("d"), None),
        ];
        let mut seen = Vec::new();
        let resp = consume(event, |msgs| {
            seen = msgs.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
            async { vec!["A".to_string()] }
        })
        .await;
        assert_eq!(seen, vec!["A", "B", "s5"]);
        let ids: Vec<&str> = resp.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
        assert_eq!(ids, vec!["s1", "s2", "s4"]);
    }

    #[tokio::test]
    async fn an_all_good_batch_reports_nothing() {
        let mut event = SqsEvent::default();
        event.records = vec![record("s1", Some("a"), Some("A"))];
        let resp = consume(event, |_| async { Vec::new() }).await;
        assert!(resp.batch_item_failures.is_empty());
    }
}
