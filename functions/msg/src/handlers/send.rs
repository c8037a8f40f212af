//! Handlers of the admin send routes (reference §1.9): the server builds each `MsgData` from
//! the body and sends it as its `sendID`.

use im_domain::store::Query;
use im_domain::{ImResult, TenantId};
use im_http::Caller;
use im_msg::{Messaging, SendCtx, admin_send, status};
use im_repo::{UserRecord, keys};
use im_wire::pb::msg::SendMsgResp;
use im_wire::pb::msg::api::{BatchSendMsgResp, SendBusinessNotificationReq, SingleReturnResult};
use tokio::task::JoinSet;

use crate::MsgState;
use crate::api::send::{BatchSendMsgBody, SendMsgBody};

/// Recipients of a batch sent concurrently.
const BATCH_CONCURRENCY: usize = 16;

/// Namespace of the send body in binding errors (gin's `Key: '<struct>.<field>'`).
pub(crate) const SEND_NS: &str = "SendMsgReq";
/// Namespace of the batch body in binding errors.
pub(crate) const BATCH_NS: &str = "BatchSendMsgReq";

/// The `binding` rules of the batch body (shared with the HTTP-400 check).
pub(crate) fn check_batch_binding(body: &BatchSendMsgBody) -> ImResult<()> {
    admin_send::check_binding(&admin_send::batch_fields(&body.req), BATCH_NS, false)?;
    if !body.has_recv_ids {
        return Err(im_domain::ImError::args(format!(
            "Key: '{BATCH_NS}.RecvIDs' Error:Field validation for 'RecvIDs' failed on the 'required' tag"
        )));
    }
    Ok(())
}

pub(crate) async fn send_msg(s: MsgState, caller: Caller, body: SendMsgBody) -> ImResult<SendMsgResp> {
    let req = body.0;
    admin_send::check_binding(&req, SEND_NS, true)?;
    let m = &s.messaging;
    let t = &caller.tenant;
    let client_msg_id = m.env().ids.next_hex();
    let msg = admin_send::build(m, t, &req, &req.recv_id, &client_msg_id).await?;
    let out = m.send(t, &SendCtx::op(caller.operation_id.clone()), msg).await?;
    status::set(m.store().as_ref(), t, &caller.operation_id, status::SUCCEEDED, m.now_ms()).await?;
    Ok(out.to_resp())
}

pub(crate) async fn batch_send_msg(s: MsgState, caller: Caller, body: BatchSendMsgBody) -> ImResult<BatchSendMsgResp> {
    check_batch_binding(&body)?;
    let m = &s.messaging;
    let t = &caller.tenant;
    let recipients = if body.req.is_send_all { all_user_ids(m, t).await? } else { body.req.recv_ids.clone() };
    // One message template (and clientMsgID) for every recipient, as OpenIM builds it once.
    let fields = admin_send::batch_fields(&body.req);
    let template = admin_send::build(m, t, &fields, "", &m.env().ids.next_hex()).await?;
    let mut outcomes: Vec<(usize, String, ImResult<SendMsgResp>)> = Vec::with_capacity(recipients.len());
    for (chunk_no, chunk) in recipients.chunks(BATCH_CONCURRENCY).enumerate() {
        let mut tasks = JoinSet::new();
        for (i, recv) in chunk.iter().enumerate() {
            let (m, t, op) = (m.clone(), t.clone(), caller.operation_id.clone());
            let mut msg = template.clone();
            msg.recv_id = recv.clone();
            let index = chunk_no * BATCH_CONCURRENCY + i;
            tasks.spawn(async move { (index, m.send(&t, &SendCtx::op(op), msg).await.map(|o| o.to_resp())) });
        }
        while let Some(joined) = tasks.join_next().await {
            if let Ok((index, r)) = joined {
                outcomes.push((index, recipients[index].clone(), r));
            }
        }
    }
    outcomes.sort_by_key(|(i, _, _)| *i);
    let mut resp = BatchSendMsgResp::default();
    for (_, recv_id, r) in outcomes {
        match r {
            Ok(out) => resp.results.push(SingleReturnResult {
                server_msg_id: out.server_msg_id,
                client_msg_id: out.client_msg_id,
                send_time: out.send_time,
                recv_id,
            }),
            Err(e) => {
                tracing::info!(recv_id = %recv_id, error = %e, "batch_send_msg: send failed");
                resp.failed_user_ids.push(recv_id);
            }
        }
    }
    Ok(resp)
}

pub(crate) async fn send_business_notification(
    s: MsgState,
    caller: Caller,
    req: SendBusinessNotificationReq,
) -> ImResult<SendMsgResp> {
    admin_send::check_business_binding(&req)?;
    let m = &s.messaging;
    let msg = admin_send::business_notification(m, &req, &m.env().ids.next_hex())?;
    let out = m.send(&caller.tenant, &SendCtx::op(caller.operation_id.clone()), msg).await?;
    Ok(out.to_resp())
}

/// Every user of the tenant (the `USERS` index, creation order).
async fn all_user_ids(m: &Messaging, t: &TenantId) -> ImResult<Vec<String>> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let q = Query::partition(t, keys::USERS_INDEX_PK).on_index().limit(500).after(cursor);
        let page = m.store().query(&q).await?;
        out.extend(page.items.iter().map(|i| UserRecord::from_item(i).user_id));
        cursor = page.cursor;
        if cursor.is_none() {
            return Ok(out);
        }
    }
}
