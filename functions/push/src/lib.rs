//! The push stage of the send pipeline (`im_msg::push`) as an SQS-triggered Lambda function:
//! online delivery to the recipients' live connections through a [`ConnectionPusher`] (the API
//! Gateway management API on AWS) and offline push; the records of the messages that failed are
//! answered as `batchItemFailures`.
//!
//! The handler is [`Push::handle`], a plain function of the event so tests call it directly;
//! `main.rs` only builds a [`Push`] once at init and runs it under `lambda_runtime`.
//!
//! Offline push goes to the provider [`offline_from_env`] picks: the HTTP webhook of
//! [`webhook`] when `IM_OFFLINE_PUSH_WEBHOOK_URL` is set, otherwise a log line.

pub mod webhook;

use std::sync::Arc;

use async_trait::async_trait;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use im_adapters::sqs_event;
use im_domain::clock::Env;
use im_domain::ports::{Queue, QueueMessage, Topic};
use im_domain::store::DynStore;
use im_domain::{ErrCode, ImError, ImResult};
use im_msg::push::{self, OfflinePusher, Pushers};
use im_msg::{Messaging, MsgConfig, MsgDeps};
use im_repo::connection::{ConnectionPusher, ConnectionRegistry};

/// The push consumer with its dependencies, built once per execution environment.
#[derive(Clone)]
pub struct Push {
    messaging: Messaging,
    pushers: Pushers,
}

/// The push stage sends to no queue; a send through this one fails.
struct NoQueue;

#[async_trait]
impl Queue for NoQueue {
    async fn send(&self, _: Topic, _: Vec<QueueMessage>) -> ImResult<()> {
        Err(ImError::new(ErrCode::ServerInternal, "the push stage has no outgoing queue"))
    }
}

impl Push {
    /// A consumer on `store` delivering online through `online` and offline through `offline`.
    pub fn new(store: DynStore, env: Env, online: Arc<dyn ConnectionPusher>, offline: Arc<dyn OfflinePusher>) -> Self {
        let registry = ConnectionRegistry::new(store.clone(), env.clock.clone());
        let messaging = Messaging::new(MsgDeps {
            store: store.clone(),
            env,
            queue: Arc::new(NoQueue),
            relations: Arc::new(im_friend::RelationRepo::new(store.clone())),
            groups: Arc::new(im_group::GroupRepo::new(store)),
            config: MsgConfig::default(),
        });
        Push { messaging, pushers: Pushers { registry, online, offline } }
    }

    /// The messaging module the consumer runs on.
    pub fn messaging(&self) -> &Messaging {
        &self.messaging
    }

    /// Handles one SQS event; the response lists the records to redeliver.
    pub async fn handle(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_event::consume(event, |msgs| push::handle(&self.messaging, &self.pushers, msgs)).await
    }
}

/// The offline-push provider of this deployment: the webhook when
/// [`webhook::WEBHOOK_URL_VAR`] is set, otherwise [`im_msg::push::LogOfflinePush`].
pub fn offline_from_env() -> ImResult<Arc<dyn OfflinePusher>> {
    Ok(match webhook::WebhookOfflinePush::from_env()? {
        Some(w) => Arc::new(w),
        None => Arc::new(im_msg::push::LogOfflinePush),
    })
}
