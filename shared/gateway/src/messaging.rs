//! The messaging operations the gateway dispatches to (reference §5.3), as a port. im-server and
//! the WebSocket Lambda wire the messaging domain (im-msg) behind it.

use async_trait::async_trait;
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::msg::{
    GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetLastMessageReq, GetLastMessageResp,
    GetSeqMessageReq, GetSeqMessageResp, SendMsgResp,
};
use im_wire::pb::sdkws::{GetMaxSeqReq, GetMaxSeqResp, MsgData, PullMessageBySeqsReq, PullMessageBySeqsResp};

/// Who is asking, per request (OpenIM's per-request context: opUserID = the connection user,
/// platform = the connection's, operationID = the request's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestCtx {
    /// Tenant.
    pub tenant: TenantId,
    /// The connection's user (`Req.SendID`, checked equal).
    pub user_id: String,
    /// The connection's platform.
    pub platform_id: i32,
    /// Whether the user is an app admin.
    pub is_admin: bool,
    /// The request's operationID.
    pub operation_id: String,
    /// The connection ID.
    pub conn_id: String,
}

/// Messaging operations behind reqIdentifiers 1001–1007. Ownership checks (a request's
/// `userID` must be the caller unless admin) are done by the gateway before calling.
#[async_trait]
pub trait MessageService: Send + Sync {
    /// 1001: max (and min) seq of every conversation of `req.user_id`.
    async fn newest_seq(&self, ctx: &RequestCtx, req: GetMaxSeqReq) -> ImResult<GetMaxSeqResp>;
    /// 1002: range pull.
    async fn pull_by_range(&self, ctx: &RequestCtx, req: PullMessageBySeqsReq) -> ImResult<PullMessageBySeqsResp>;
    /// 1003: send.
    async fn send(&self, ctx: &RequestCtx, msg: MsgData) -> ImResult<SendMsgResp>;
    /// 1005: explicit-seq pull.
    async fn pull_by_seqs(&self, ctx: &RequestCtx, req: GetSeqMessageReq) -> ImResult<GetSeqMessageResp>;
    /// 1006: read seq and max seq per conversation.
    async fn has_read_and_max_seq(
        &self,
        ctx: &RequestCtx,
        req: GetConversationsHasReadAndMaxSeqReq,
    ) -> ImResult<GetConversationsHasReadAndMaxSeqResp>;
    /// 1007: last message of each conversation.
    async fn last_messages(&self, ctx: &RequestCtx, req: GetLastMessageReq) -> ImResult<GetLastMessageResp>;
}

/// A message service for deployments without messaging: every call fails with 500.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoMessaging;

fn unavailable<T>() -> ImResult<T> {
    Err(ImError::internal("messaging is not available on this gateway"))
}

#[async_trait]
impl MessageService for NoMessaging {
    async fn newest_seq(&self, _: &RequestCtx, _: GetMaxSeqReq) -> ImResult<GetMaxSeqResp> {
        unavailable()
    }
    async fn pull_by_range(&self, _: &RequestCtx, _: PullMessageBySeqsReq) -> ImResult<PullMessageBySeqsResp> {
        unavailable()
    }
    async fn send(&self, _: &RequestCtx, _: MsgData) -> ImResult<SendMsgResp> {
        unavailable()
    }
    async fn pull_by_seqs(&self, _: &RequestCtx, _: GetSeqMessageReq) -> ImResult<GetSeqMessageResp> {
        unavailable()
    }
    async fn has_read_and_max_seq(
        &self,
        _: &RequestCtx,
        _: GetConversationsHasReadAndMaxSeqReq,
    ) -> ImResult<GetConversationsHasReadAndMaxSeqResp> {
        unavailable()
    }
    async fn last_messages(&self, _: &RequestCtx, _: GetLastMessageReq) -> ImResult<GetLastMessageResp> {
        unavailable()
    }
}
