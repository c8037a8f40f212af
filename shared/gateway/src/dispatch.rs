//! Request dispatch (reference §5.2, §5.3): one request envelope in, exactly one response
//! envelope out (echoing reqIdentifier, msgIncr and operationID), or the connection is closed.
//!
//! Closes: an undecodable envelope, `SendID` other than the connection's user, an unknown
//! reqIdentifier, and after answering 2003 (logout). Errors of a known request are answered
//! with ErrCode/ErrMsg and empty Data.
//!
//! Ownership (beyond OpenIM, see docs/security.md): a payload's `userID` must be the
//! connection's user unless the user is an app admin (empty means the connection's user), and
//! a 1003 message's `sendID` must be the connection's user unless admin.

use im_domain::{ErrCode, ImError, ImResult};
use im_wire::pb::msg::{GetConversationsHasReadAndMaxSeqReq, GetLastMessageReq, GetSeqMessageReq};
use im_wire::pb::push::DelUserPushTokenReq;
use im_wire::pb::sdkws::{
    GetMaxSeqReq, MsgData, PullMessageBySeqsReq, SetAppBackgroundStatusReq, SubUserOnlineStatus,
    SubUserOnlineStatusElem, SubUserOnlineStatusTips,
};
use im_wire::ws::{self, Encoding, WsReq, WsResp};
use prost::Message;

use crate::frames;
use crate::gateway::{FrameOutcome, Gateway};
use crate::messaging::RequestCtx;
use crate::presence::{self, Subscriber};
use crate::session::Session;

/// reqIdentifier values (reference §5.3).
pub mod ident {
    /// Newest seqs.
    pub const GET_NEWEST_SEQ: i32 = 1001;
    /// Range pull.
    pub const PULL_MSG_BY_RANGE: i32 = 1002;
    /// Send.
    pub const SEND_MSG: i32 = 1003;
    /// Explicit-seq pull.
    pub const PULL_MSG_BY_SEQS: i32 = 1005;
    /// Read seqs and max seqs.
    pub const GET_CONV_MAX_READ_SEQ: i32 = 1006;
    /// Last message per conversation.
    pub const PULL_CONV_LAST_MESSAGE: i32 = 1007;
    /// Message push (server → client).
    pub const PUSH_MSG: i32 = 2001;
    /// Kick (server → client).
    pub const KICK_ONLINE_MSG: i32 = 2002;
    /// Logout: reply, then close.
    pub const LOGOUT_MSG: i32 = 2003;
    /// App background flag.
    pub const SET_BACKGROUND_STATUS: i32 = 2004;
    /// Online-status subscription.
    pub const SUB_USER_ONLINE_STATUS: i32 = 2005;
}

/// Most users one 2005 request may (un)subscribe.
pub const MAX_SUBSCRIBE_PER_REQUEST: usize = 1000;

fn decode<M: Message + Default>(data: &[u8], what: &str) -> ImResult<M> {
    M::decode(data).map_err(|e| ImError::args(format!("unmarshal {what}: {e}")))
}

/// `userID` of a payload: empty means the caller; anyone else needs an admin.
fn own_user(session: &Session, user_id: &mut String) -> ImResult<()> {
    if user_id.is_empty() {
        user_id.clone_from(&session.user_id);
        return Ok(());
    }
    if *user_id != session.user_id && !session.is_admin {
        return Err(ImError::no_permission(format!("user {} may not act for user {user_id}", session.user_id)));
    }
    Ok(())
}

impl Gateway {
    /// Decodes and dispatches one request envelope.
    pub(crate) async fn handle_request_bytes(
        &self,
        session: &Session,
        bytes: &[u8],
        encoding: Encoding,
        gzip: bool,
    ) -> FrameOutcome {
        let req = match ws::decode_req(bytes, encoding, gzip) {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(conn = %session.conn_id, error = %e, "undecodable frame");
                return FrameOutcome::close();
            }
        };
        if req.send_id != session.user_id {
            tracing::debug!(conn = %session.conn_id, send_id = %req.send_id, "SendID is not the connection's user");
            return FrameOutcome::close();
        }
        let close_after = req.req_identifier == ident::LOGOUT_MSG;
        let result = match self.dispatch(session, &req).await {
            Some(r) => r,
            None => {
                tracing::debug!(conn = %session.conn_id, ident = req.req_identifier, "unknown reqIdentifier");
                return FrameOutcome::close();
            }
        };
        let mut resp = WsResp {
            req_identifier: req.req_identifier,
            msg_incr: req.msg_incr,
            operation_id: req.operation_id,
            ..WsResp::default()
        };
        match result {
            Ok(data) => resp.data = data,
            Err(e) => {
                resp.err_code = e.code;
                resp.err_msg = e.msg;
            }
        }
        FrameOutcome { replies: vec![frames::encode_for(session, &resp)], close: close_after }
    }

    /// The payload of the answer to `req`, or `None` for an unknown reqIdentifier.
    async fn dispatch(&self, s: &Session, req: &WsReq) -> Option<ImResult<Vec<u8>>> {
        let ctx = RequestCtx {
            tenant: s.tenant.clone(),
            user_id: s.user_id.clone(),
            platform_id: s.platform_id,
            is_admin: s.is_admin,
            operation_id: req.operation_id.clone(),
            conn_id: s.conn_id.clone(),
        };
        let m = self.messaging.as_ref();
        let data = req.data.as_slice();
        Some(match req.req_identifier {
            ident::GET_NEWEST_SEQ => {
                async {
                    let mut r: GetMaxSeqReq = decode(data, "GetMaxSeqReq")?;
                    own_user(s, &mut r.user_id)?;
                    Ok(m.newest_seq(&ctx, r).await?.encode_to_vec())
                }
                .await
            }
            ident::PULL_MSG_BY_RANGE => {
                async {
                    let mut r: PullMessageBySeqsReq = decode(data, "PullMessageBySeqsReq")?;
                    own_user(s, &mut r.user_id)?;
                    Ok(m.pull_by_range(&ctx, r).await?.encode_to_vec())
                }
                .await
            }
            ident::SEND_MSG => {
                async {
                    let msg: MsgData = decode(data, "MsgData")?;
                    if msg.send_id != s.user_id && !s.is_admin {
                        return Err(ImError::no_permission(format!(
                            "sendID {} is not the connection's user",
                            msg.send_id
                        )));
                    }
                    Ok(m.send(&ctx, msg).await?.encode_to_vec())
                }
                .await
            }
            ident::PULL_MSG_BY_SEQS => {
                async {
                    let mut r: GetSeqMessageReq = decode(data, "GetSeqMessageReq")?;
                    own_user(s, &mut r.user_id)?;
                    Ok(m.pull_by_seqs(&ctx, r).await?.encode_to_vec())
                }
                .await
            }
            ident::GET_CONV_MAX_READ_SEQ => {
                async {
                    let mut r: GetConversationsHasReadAndMaxSeqReq =
                        decode(data, "GetConversationsHasReadAndMaxSeqReq")?;
                    own_user(s, &mut r.user_id)?;
                    Ok(m.has_read_and_max_seq(&ctx, r).await?.encode_to_vec())
                }
                .await
            }
            ident::PULL_CONV_LAST_MESSAGE => {
                async {
                    let mut r: GetLastMessageReq = decode(data, "GetLastMessageReq")?;
                    own_user(s, &mut r.user_id)?;
                    Ok(m.last_messages(&ctx, r).await?.encode_to_vec())
                }
                .await
            }
            ident::LOGOUT_MSG => {
                async {
                    let mut r: DelUserPushTokenReq = decode(data, "DelUserPushTokenReq")?;
                    own_user(s, &mut r.user_id)?;
                    // No offline-push tokens are stored: nothing to delete.
                    Ok(Vec::new())
                }
                .await
            }
            ident::SET_BACKGROUND_STATUS => self.set_background(s, data).await,
            ident::SUB_USER_ONLINE_STATUS => self.subscribe(s, data).await,
            _ => return None,
        })
    }

    async fn set_background(&self, s: &Session, data: &[u8]) -> ImResult<Vec<u8>> {
        let r: SetAppBackgroundStatusReq = decode(data, "SetAppBackgroundStatusReq")?;
        s.set_background(r.is_background);
        self.registry.set_background(&s.tenant, &s.user_id, &s.conn_id, r.is_background).await?;
        Ok(Vec::new())
    }

    async fn subscribe(&self, s: &Session, data: &[u8]) -> ImResult<Vec<u8>> {
        let r: SubUserOnlineStatus = decode(data, "SubUserOnlineStatus")?;
        if r.subscribe_user_id.len() > MAX_SUBSCRIBE_PER_REQUEST
            || r.unsubscribe_user_id.len() > MAX_SUBSCRIBE_PER_REQUEST
        {
            return Err(ImError::new(ErrCode::Args, format!("at most {MAX_SUBSCRIBE_PER_REQUEST} users per request")));
        }
        let sub = Subscriber { tenant: s.tenant.clone(), record: s.record(0) };
        let added = self.presence.update(&sub, &r.subscribe_user_id, &r.unsubscribe_user_id);
        let mut tips = SubUserOnlineStatusTips::default();
        for user_id in added {
            let records = self.registry.list(&s.tenant, &user_id).await?;
            tips.subscribers
                .push(SubUserOnlineStatusElem { online_platform_ids: presence::online_platforms(&records), user_id });
        }
        Ok(tips.encode_to_vec())
    }
}
