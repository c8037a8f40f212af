//! Settings of the messaging module (openim-rpc-msg.yml and the app-admin list of share.yml).

/// Messaging settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgConfig {
    /// `friendVerify`: single-chat senders must be the recipient's friends (1303 otherwise).
    pub friend_verify: bool,
    /// App-admin user IDs (`imAdminUserID`): their messages skip the relation and group checks.
    pub admin_user_ids: Vec<String>,
    /// Most messages returned per conversation by one pull (a range pull's `num` is capped to
    /// this; a notification-conversation range keeps its newest this many seqs).
    pub max_pull: i64,
    /// Days (UTC, today included) that `/msg/search_msg` reads when neither a day nor a
    /// conversation narrows it (`im_msg::search`).
    pub search_days: i64,
    /// What the transfer and push consumers may assume about repeated deliveries.
    pub delivery: Delivery,
}

/// How the queue between the pipeline stages delivers, and so how the consumers guard against
/// processing a message twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Delivery {
    /// At least once (SQS): a message may arrive again after it was processed, or twice at the
    /// same time on two consumers. Each consumer claims the message ID in the store before it
    /// works and marks it done after ([`crate::dedupe`]).
    #[default]
    AtLeastOnce,
    /// Again only after a failure (the in-process queue): a message is redelivered only when its
    /// handler reported it failed, never while it runs and never after it succeeded, and the
    /// queue dies with the process. No claims are written; instead nothing fails a message after
    /// the transfer stage has handed it to the push stage: its bookkeeping (statistics, search
    /// log) is one transaction guarded against a second application, retried on failure as a
    /// bookkeeping-only queue message, so a retry repeats no counted or delivered effect.
    RetryOnFailure,
}

/// Default [`MsgConfig::max_pull`].
pub const DEFAULT_MAX_PULL: i64 = 1000;
/// Default [`MsgConfig::search_days`].
pub const DEFAULT_SEARCH_DAYS: i64 = 31;

impl Default for MsgConfig {
    fn default() -> Self {
        MsgConfig {
            friend_verify: false,
            admin_user_ids: vec!["imAdmin".to_string()],
            max_pull: DEFAULT_MAX_PULL,
            search_days: DEFAULT_SEARCH_DAYS,
            delivery: Delivery::AtLeastOnce,
        }
    }
}

impl MsgConfig {
    /// Whether `user_id` is an app admin.
    pub fn is_admin(&self, user_id: &str) -> bool {
        !user_id.is_empty() && self.admin_user_ids.iter().any(|a| a == user_id)
    }
}
