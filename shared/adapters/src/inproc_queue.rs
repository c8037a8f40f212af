//! The queue port ([`Queue`]) on bounded in-process channels, for im-server.
//!
//! Each topic has one bounded tokio channel (senders wait when it is full: back-pressure instead
//! of unbounded memory) and a pool of workers that take batches and hand them to the topic's
//! consumer — the same batch handler an SQS-triggered Lambda runs. A handler returns the IDs of
//! the messages that failed; those are redelivered after a delay, up to a number of attempts,
//! then dropped with an error log (SQS would move them to a dead-letter queue).
//!
//! A message is redelivered only after its handler reported it failed — never while it runs,
//! never after it succeeded — so consumers need no idempotency records here
//! (`im_msg::Delivery::RetryOnFailure`). Messages live in memory only: ones still queued when the
//! process stops are lost (the stored messages are not; their pushes are repaired by client
//! sync, a conversation's rows by its next message, and their statistics and search-log entries
//! are missing).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use im_domain::ports::{Queue, QueueMessage, Topic};
use im_domain::{ErrCode, ImError, ImResult};
use tokio::sync::{Mutex, Notify, mpsc};

/// A batch consumer: processes messages and returns the IDs of those that failed.
pub type BatchHandler =
    Arc<dyn Fn(Vec<QueueMessage>) -> Pin<Box<dyn Future<Output = Vec<String>> + Send>> + Send + Sync>;

/// Wraps an async closure as a [`BatchHandler`].
pub fn handler<F, Fut>(f: F) -> BatchHandler
where
    F: Fn(Vec<QueueMessage>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Vec<String>> + Send + 'static,
{
    Arc::new(move |msgs| Box::pin(f(msgs)))
}

/// Tuning of an [`InProcQueue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueOptions {
    /// Messages a topic's channel holds before senders wait.
    pub capacity: usize,
    /// Most messages handed to a consumer at once.
    pub batch: usize,
    /// Concurrent consumer workers per topic.
    pub workers: usize,
    /// Deliveries of a message before it is dropped.
    pub max_attempts: u32,
    /// Delay before the first redelivery (doubling, at most 30 s).
    pub retry_delay: Duration,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            capacity: 10_000,
            batch: 10,
            workers: 8,
            max_attempts: 8,
            retry_delay: Duration::from_millis(100),
        }
    }
}

struct Envelope {
    msg: QueueMessage,
    attempt: u32,
}

struct Channel {
    tx: mpsc::Sender<Envelope>,
    rx: std::sync::Mutex<Option<mpsc::Receiver<Envelope>>>,
}

/// Messages queued or being processed, with a wake-up when the count reaches zero.
#[derive(Default)]
struct InFlight {
    count: AtomicUsize,
    zero: Notify,
}

impl InFlight {
    fn add(&self, n: usize) {
        self.count.fetch_add(n, Ordering::SeqCst);
    }
    fn done(&self) {
        if self.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.zero.notify_waiters();
        }
    }
}

/// The in-process queue. Cheap to clone; clones share the channels.
#[derive(Clone)]
pub struct InProcQueue {
    channels: Arc<HashMap<Topic, Channel>>,
    in_flight: Arc<InFlight>,
    options: QueueOptions,
}

fn topic_name(topic: Topic) -> &'static str {
    match topic {
        Topic::Transfer => "transfer",
        Topic::Push => "push",
    }
}

impl InProcQueue {
    /// A queue with one channel per topic and no consumers yet.
    pub fn new(options: QueueOptions) -> Self {
        let channels = [Topic::Transfer, Topic::Push]
            .into_iter()
            .map(|topic| {
                let (tx, rx) = mpsc::channel(options.capacity.max(1));
                (topic, Channel { tx, rx: std::sync::Mutex::new(Some(rx)) })
            })
            .collect();
        InProcQueue { channels: Arc::new(channels), in_flight: Arc::new(InFlight::default()), options }
    }

    /// Starts the workers that feed `topic`'s messages to `handler` (once per topic; must run
    /// inside a tokio runtime).
    pub fn consume(&self, topic: Topic, handler: BatchHandler) -> ImResult<()> {
        let channel = self.channel(topic)?;
        let rx = channel
            .rx
            .lock()
            .map_err(|_| ImError::internal("queue lock poisoned"))?
            .take()
            .ok_or_else(|| ImError::internal(format!("topic {} already has a consumer", topic_name(topic))))?;
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..self.options.workers.max(1) {
            let (rx, handler, queue) = (rx.clone(), handler.clone(), self.clone());
            tokio::spawn(async move { queue.work(topic, rx, handler).await });
        }
        Ok(())
    }

    /// Waits until no message is queued or being processed (messages waiting for a redelivery
    /// count as queued).
    pub async fn idle(&self) {
        loop {
            let zero = self.in_flight.zero.notified();
            tokio::pin!(zero);
            zero.as_mut().enable();
            if self.in_flight.count.load(Ordering::SeqCst) == 0 {
                return;
            }
            zero.await;
        }
    }

    fn channel(&self, topic: Topic) -> ImResult<&Channel> {
        self.channels.get(&topic).ok_or_else(|| ImError::internal(format!("no channel for {}", topic_name(topic))))
    }

    async fn work(&self, topic: Topic, rx: Arc<Mutex<mpsc::Receiver<Envelope>>>, handler: BatchHandler) {
        let mut batch = Vec::with_capacity(self.options.batch.max(1));
        loop {
            {
                let mut rx = rx.lock().await;
                if rx.recv_many(&mut batch, self.options.batch.max(1)).await == 0 {
                    return;
                }
            }
            let msgs: Vec<QueueMessage> = batch.iter().map(|e| e.msg.clone()).collect();
            let failed: HashSet<String> = handler(msgs).await.into_iter().collect();
            for env in batch.drain(..) {
                if failed.contains(&env.msg.id) {
                    self.retry(topic, env);
                } else {
                    self.in_flight.done();
                }
            }
        }
    }

    fn retry(&self, topic: Topic, env: Envelope) {
        let attempt = env.attempt + 1;
        if attempt >= self.options.max_attempts {
            tracing::error!(topic = topic_name(topic), id = %env.msg.id, attempts = attempt, "queue message dropped after its last attempt");
            self.in_flight.done();
            return;
        }
        let delay = self.options.retry_delay.saturating_mul(1 << (attempt - 1).min(8)).min(Duration::from_secs(30));
        let queue = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let sent = match queue.channel(topic) {
                Ok(ch) => ch.tx.send(Envelope { msg: env.msg, attempt }).await.is_ok(),
                Err(_) => false,
            };
            if !sent {
                queue.in_flight.done();
            }
        });
    }
}

#[async_trait]
impl Queue for InProcQueue {
    /// Waits for room for each message in turn. Cancellation-safe: a message counts as queued
    /// only once its slot is reserved, so a send dropped while it waits (a caller that gave up)
    /// leaves [`InProcQueue::idle`] accurate.
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()> {
        let channel = self.channel(topic)?;
        for msg in messages {
            let Ok(permit) = channel.tx.reserve().await else {
                return Err(ImError::new(ErrCode::ServerInternal, format!("queue {} is closed", topic_name(topic))));
            };
            self.in_flight.add(1);
            permit.send(Envelope { msg, attempt: 0 });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex as StdMutex;

    use super::*;

    fn msg(id: &str) -> QueueMessage {
        QueueMessage { id: id.to_string(), body: id.as_bytes().to_vec() }
    }

    #[tokio::test]
    async fn delivers_batches_and_retries_failures() {
        let q = InProcQueue::new(QueueOptions {
            capacity: 4,
            batch: 3,
            workers: 2,
            max_attempts: 3,
            retry_delay: Duration::from_millis(1),
        });
        let seen: Arc<StdMutex<Vec<String>>> = Arc::default();
        let s = seen.clone();
        q.consume(
            Topic::Transfer,
            handler(move |msgs: Vec<QueueMessage>| {
                let s = s.clone();
                async move {
                    let mut failed = Vec::new();
                    let mut seen = s.lock().unwrap();
                    for m in msgs {
                        // "flaky" fails on its first delivery; "bad" always fails.
                        let tries = seen.iter().filter(|x| **x == m.id).count();
                        if m.id == "bad" || (m.id == "flaky" && tries == 0) {
                            failed.push(m.id.clone());
                        }
                        seen.push(m.id);
                    }
                    failed
                }
            }),
        )
        .unwrap();
        assert!(q.consume(Topic::Transfer, handler(|_| async { Vec::new() })).is_err());
        // More messages than the channel holds: senders wait for the workers.
        let ids: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
        q.send(Topic::Transfer, ids.iter().map(|i| msg(i)).collect()).await.unwrap();
        q.send(Topic::Transfer, vec![msg("flaky"), msg("bad")]).await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), q.idle()).await.unwrap();
        let seen = seen.lock().unwrap().clone();
        for id in &ids {
            assert_eq!(seen.iter().filter(|x| *x == id).count(), 1, "{id}");
        }
        assert_eq!(seen.iter().filter(|x| *x == "flaky").count(), 2);
        assert_eq!(seen.iter().filter(|x| *x == "bad").count(), 3);
    }

    #[tokio::test]
    async fn a_send_given_up_while_waiting_for_room_is_not_counted() {
        let q = InProcQueue::new(QueueOptions { capacity: 1, ..QueueOptions::default() });
        q.send(Topic::Push, vec![msg("a")]).await.unwrap();
        // The channel is full: this send waits, and is dropped by the timeout.
        let waiting = tokio::time::timeout(Duration::from_millis(50), q.send(Topic::Push, vec![msg("b")])).await;
        assert!(waiting.is_err(), "the second send waits for room");
        let seen: Arc<StdMutex<Vec<String>>> = Arc::default();
        let s = seen.clone();
        q.consume(
            Topic::Push,
            handler(move |msgs: Vec<QueueMessage>| {
                let s = s.clone();
                async move {
                    s.lock().unwrap().extend(msgs.into_iter().map(|m| m.id));
                    Vec::new()
                }
            }),
        )
        .unwrap();
        tokio::time::timeout(Duration::from_secs(1), q.idle()).await.expect("idle once the queued message is done");
        assert_eq!(*seen.lock().unwrap(), ["a"]);
    }

    #[tokio::test]
    async fn idle_without_messages_and_unconsumed_topics_buffer() {
        let q = InProcQueue::new(QueueOptions::default());
        tokio::time::timeout(Duration::from_secs(1), q.idle()).await.unwrap();
        q.send(Topic::Push, vec![msg("x")]).await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(50), q.idle()).await.is_err());
        q.consume(Topic::Push, handler(|_| async { Vec::new() })).unwrap();
        tokio::time::timeout(Duration::from_secs(1), q.idle()).await.unwrap();
    }
}
