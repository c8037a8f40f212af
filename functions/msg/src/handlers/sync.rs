//! Handlers of the seq and pull routes.

use im_domain::{ImError, ImResult};
use im_http::Caller;
use im_msg::status;
use im_wire::pb::msg::{
    GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetSendMsgStatusReq,
    GetSendMsgStatusResp, GetServerTimeReq, GetServerTimeResp,
};
use im_wire::pb::sdkws::{GetMaxSeqReq, GetMaxSeqResp, PullMessageBySeqsReq, PullMessageBySeqsResp};

use crate::MsgState;

pub(crate) async fn newest_seq(s: MsgState, caller: Caller, req: GetMaxSeqReq) -> ImResult<GetMaxSeqResp> {
    s.messaging.newest_seq(&caller.tenant, &req.user_id).await
}

pub(crate) async fn pull_msg_by_seq(
    s: MsgState,
    caller: Caller,
    req: PullMessageBySeqsReq,
) -> ImResult<PullMessageBySeqsResp> {
    s.messaging.pull_by_range(&caller.tenant, &req.user_id, &req).await
}

pub(crate) async fn get_conversations_has_read_and_max_seq(
    s: MsgState,
    caller: Caller,
    req: GetConversationsHasReadAndMaxSeqReq,
) -> ImResult<GetConversationsHasReadAndMaxSeqResp> {
    if req.user_id.is_empty() {
        return Err(ImError::args("userID is empty"));
    }
    s.messaging.has_read_and_max_seq(&caller.tenant, &req.user_id, &req).await
}

pub(crate) async fn get_server_time(s: MsgState, _: Caller, _: GetServerTimeReq) -> ImResult<GetServerTimeResp> {
    Ok(GetServerTimeResp { server_time: s.messaging.now_ms() })
}

pub(crate) async fn check_msg_is_send_success(
    s: MsgState,
    caller: Caller,
    _: GetSendMsgStatusReq,
) -> ImResult<GetSendMsgStatusResp> {
    let m = &s.messaging;
    let status = status::get(m.store().as_ref(), &caller.tenant, &caller.operation_id, m.now_ms()).await?;
    Ok(GetSendMsgStatusResp { status })
}
