//! Cross-module ports: how messaging, relations and delivery reach each other without
//! depending on each other's crates. Implementations are wired by the Lambda mains and im-server.

use async_trait::async_trait;

use crate::{ImResult, TenantId};

/// How a notification is kept (notification.yml `reliabilityLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reliability {
    /// Pushed online only (no seq, not stored): OpenIM's default level 1.
    #[default]
    OnlineOnly,
    /// Stored with a seq in the notification conversation (level 2).
    Stored,
}

/// A server-generated notification message (reference §6.6), before it becomes a `MsgData`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notification {
    /// Tenant.
    pub tenant: TenantId,
    /// Operator (sendID).
    pub send_id: String,
    /// Target user (single) or group ID (group).
    pub recv_id: String,
    /// Group ID for session type 3, else empty.
    pub group_id: String,
    /// Session type (1 single, 3 group).
    pub session_type: i32,
    /// Notification content type (1201…, 1501…, 2101…).
    pub content_type: i32,
    /// The Tips message encoded as OpenIM JSON; the content becomes `{"detail": <this>}`.
    pub detail: String,
    /// Online only or stored.
    pub reliability: Reliability,
    /// Also store a copy in the chat conversation (`isSendMsg`).
    pub is_send_msg: bool,
    /// `unreadCount` option of the chat-conversation copy.
    pub unread_count: bool,
    /// `offlinePush` option.
    pub offline_push: bool,
    /// Sender nickname shown by clients.
    pub sender_nickname: String,
    /// Sender face URL shown by clients.
    pub sender_face_url: String,
}

/// Sends notifications as messages (implemented by the messaging module).
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Sends one notification; errors are reported, callers usually log and continue.
    async fn notify(&self, n: Notification) -> ImResult<()>;
}

/// A notifier that drops everything (for functions deployed without messaging, and tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoopNotifier;

#[async_trait]
impl Notifier for NoopNotifier {
    async fn notify(&self, _n: Notification) -> ImResult<()> {
        Ok(())
    }
}

/// What the send path needs to know about two users' relation (implemented by the friend module).
#[async_trait]
pub trait RelationQuery: Send + Sync {
    /// Whether `owner` has `target` in their blacklist.
    async fn is_blocked(&self, tenant: &TenantId, owner: &str, target: &str) -> ImResult<bool>;
    /// Whether `target` is in `owner`'s friend list.
    async fn is_friend(&self, tenant: &TenantId, owner: &str, target: &str) -> ImResult<bool>;
}

/// A group as the send path sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupSummary {
    /// Group ID.
    pub group_id: String,
    /// Name.
    pub group_name: String,
    /// Face URL.
    pub face_url: String,
    /// Status (0 ok, 2 dismissed, 3 muted).
    pub status: i32,
    /// Group type.
    pub group_type: i32,
    /// Member count.
    pub member_count: u32,
}

/// A group member as the send path sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberSummary {
    /// Role level (100 owner, 60 admin, 20 ordinary).
    pub role_level: i32,
    /// Muted until (ms); 0 when not muted.
    pub mute_end_time: i64,
}

/// What messaging needs to know about groups (implemented by the group module).
#[async_trait]
pub trait GroupQuery: Send + Sync {
    /// The group, if it exists.
    async fn group(&self, tenant: &TenantId, group_id: &str) -> ImResult<Option<GroupSummary>>;
    /// A member of the group, if `user_id` is one.
    async fn member(&self, tenant: &TenantId, group_id: &str, user_id: &str) -> ImResult<Option<MemberSummary>>;
    /// Every member's user ID.
    async fn member_ids(&self, tenant: &TenantId, group_id: &str) -> ImResult<Vec<String>>;
}

/// Relation answers for deployments without the friend module: nobody is blocked or a friend.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoRelations;

#[async_trait]
impl RelationQuery for NoRelations {
    async fn is_blocked(&self, _: &TenantId, _: &str, _: &str) -> ImResult<bool> {
        Ok(false)
    }
    async fn is_friend(&self, _: &TenantId, _: &str, _: &str) -> ImResult<bool> {
        Ok(false)
    }
}

/// Queues between the pipeline stages (SQS on AWS, in-process channels in im-server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Post-store work (conversation rows, notification clones, statistics) → `transfer`.
    Transfer,
    /// Online delivery and offline push → `push`.
    Push,
}

/// One queue message: an idempotency ID (consumers deliver once per ID) and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    /// Stable ID; a redelivered message carries the same ID.
    pub id: String,
    /// Encoded payload.
    pub body: Vec<u8>,
}

/// Publishes to a topic.
#[async_trait]
pub trait Queue: Send + Sync {
    /// Enqueues messages; `Ok` means every message is durably accepted.
    async fn send(&self, topic: Topic, messages: Vec<QueueMessage>) -> ImResult<()>;
}
