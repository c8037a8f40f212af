//! Handlers of the message operations: thin calls into `im_msg::ops`.

use im_domain::ImResult;
use im_http::Caller;
use im_wire::pb::msg::{
    ClearConversationsMsgReq, ClearConversationsMsgResp, DeleteMsgPhysicalBySeqReq, DeleteMsgPhysicalBySeqResp,
    DeleteMsgPhysicalReq, DeleteMsgPhysicalResp, DeleteMsgsReq, DeleteMsgsResp, MarkConversationAsReadReq,
    MarkConversationAsReadResp, MarkMsgsAsReadReq, MarkMsgsAsReadResp, RevokeMsgReq, RevokeMsgResp, SearchMessageReq,
    SearchMessageResp, SetConversationHasReadSeqReq, SetConversationHasReadSeqResp, UserClearAllMsgReq,
    UserClearAllMsgResp,
};

use crate::MsgState;

pub(crate) async fn revoke_msg(s: MsgState, c: Caller, req: RevokeMsgReq) -> ImResult<RevokeMsgResp> {
    s.messaging.revoke(&c.tenant, &req, c.is_admin).await.map(|()| RevokeMsgResp {})
}

pub(crate) async fn mark_msgs_as_read(s: MsgState, c: Caller, req: MarkMsgsAsReadReq) -> ImResult<MarkMsgsAsReadResp> {
    s.messaging.mark_msgs_as_read(&c.tenant, &req.user_id, &req.conversation_id, &req.seqs).await?;
    Ok(MarkMsgsAsReadResp {})
}

pub(crate) async fn mark_conversation_as_read(
    s: MsgState,
    c: Caller,
    req: MarkConversationAsReadReq,
) -> ImResult<MarkConversationAsReadResp> {
    let m = &s.messaging;
    m.mark_conversation_as_read(&c.tenant, &req.user_id, &req.conversation_id, req.has_read_seq, &req.seqs).await?;
    Ok(MarkConversationAsReadResp {})
}

pub(crate) async fn set_conversation_has_read_seq(
    s: MsgState,
    c: Caller,
    req: SetConversationHasReadSeqReq,
) -> ImResult<SetConversationHasReadSeqResp> {
    let m = &s.messaging;
    m.set_has_read_seq(&c.tenant, &req.user_id, &req.conversation_id, req.has_read_seq, req.no_notification).await?;
    Ok(SetConversationHasReadSeqResp {})
}

pub(crate) async fn delete_msgs(s: MsgState, c: Caller, req: DeleteMsgsReq) -> ImResult<DeleteMsgsResp> {
    let sync_self = req.delete_sync_opt.as_ref().is_some_and(|o| o.is_sync_self);
    s.messaging.delete_msgs(&c.tenant, &req.user_id, &req.conversation_id, &req.seqs, sync_self).await?;
    Ok(DeleteMsgsResp {})
}

pub(crate) async fn clear_conversation_msg(
    s: MsgState,
    c: Caller,
    req: ClearConversationsMsgReq,
) -> ImResult<ClearConversationsMsgResp> {
    let sync_self = req.delete_sync_opt.as_ref().is_some_and(|o| o.is_sync_self);
    s.messaging.clear_conversations(&c.tenant, &req.user_id, &req.conversation_ids, sync_self).await?;
    Ok(ClearConversationsMsgResp {})
}

pub(crate) async fn user_clear_all_msg(
    s: MsgState,
    c: Caller,
    req: UserClearAllMsgReq,
) -> ImResult<UserClearAllMsgResp> {
    let sync_self = req.delete_sync_opt.as_ref().is_some_and(|o| o.is_sync_self);
    s.messaging.clear_all(&c.tenant, &req.user_id, sync_self).await?;
    Ok(UserClearAllMsgResp {})
}

pub(crate) async fn delete_msg_physical_by_seq(
    s: MsgState,
    c: Caller,
    req: DeleteMsgPhysicalBySeqReq,
) -> ImResult<DeleteMsgPhysicalBySeqResp> {
    s.messaging.delete_physical_by_seq(&c.tenant, &req.conversation_id, &req.seqs).await?;
    Ok(DeleteMsgPhysicalBySeqResp {})
}

pub(crate) async fn delete_msg_physical(
    s: MsgState,
    c: Caller,
    req: DeleteMsgPhysicalReq,
) -> ImResult<DeleteMsgPhysicalResp> {
    s.messaging.delete_physical_before(&c.tenant, &req.conversation_ids, req.timestamp).await?;
    Ok(DeleteMsgPhysicalResp {})
}

pub(crate) async fn search_msg(s: MsgState, c: Caller, req: SearchMessageReq) -> ImResult<SearchMessageResp> {
    s.messaging.search(&c.tenant, &req).await
}
