//! The transfer stage of the send pipeline (`im_msg::transfer`) as an SQS-triggered Lambda
//! function: the event's records become queue messages, `im_msg::transfer::handle` processes
//! them (once per message ID), and the records of the messages that failed are answered as
//! `batchItemFailures` (the event source mapping has `ReportBatchItemFailures`).
//!
//! The handler is [`Transfer::handle`], a plain function of the event so tests call it directly;
//! `main.rs` only builds a [`Transfer`] once at init and runs it under `lambda_runtime`.

use std::sync::Arc;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use im_adapters::sqs_event;
use im_domain::clock::Env;
use im_domain::ports::Queue;
use im_domain::store::DynStore;
use im_msg::{Messaging, MsgConfig, MsgDeps, transfer};

/// The transfer consumer with its dependencies, built once per execution environment.
#[derive(Clone)]
pub struct Transfer {
    messaging: Messaging,
}

impl Transfer {
    /// A consumer on `store`, enqueueing pushes on `queue`; group membership and relations come
    /// from the group and friend repositories on the same store.
    pub fn new(store: DynStore, env: Env, queue: Arc<dyn Queue>) -> Self {
        let messaging = Messaging::new(MsgDeps {
            store: store.clone(),
            env,
            queue,
            relations: Arc::new(im_friend::RelationRepo::new(store.clone())),
            groups: Arc::new(im_group::GroupRepo::new(store)),
            config: MsgConfig::default(),
        });
        Transfer { messaging }
    }

    /// The messaging module the consumer runs on.
    pub fn messaging(&self) -> &Messaging {
        &self.messaging
    }

    /// Handles one SQS event; the response lists the records to redeliver.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_event::consume(event, |msgs| transfer::handle(&self.messaging, msgs)).await
    }
}
