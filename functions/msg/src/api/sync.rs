//! Seqs, pulls, server time and send status (reference §1.5, A.5).
//!
//! OpenIM checks no ownership on `/msg/pull_msg_by_seq` and
//! `/msg/get_conversations_has_read_and_max_seq` (any token may read any user's conversations);
//! here both are S(`userID`) like `/msg/newest_seq` (`docs/security.md`).

use im_http::{AuthRule, Endpoint};
use im_wire::pb::msg::{
    GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetSendMsgStatusReq,
    GetSendMsgStatusResp, GetServerTimeReq, GetServerTimeResp,
};
use im_wire::pb::sdkws::{GetMaxSeqReq, GetMaxSeqResp, PullMessageBySeqsReq, PullMessageBySeqsResp};

/// `POST /msg/newest_seq` (S(userID)).
pub struct NewestSeq;
impl Endpoint for NewestSeq {
    const PATH: &'static str = "/msg/newest_seq";
    const AUTH: AuthRule = AuthRule::SelfOrAdmin("userID");
    type Req = GetMaxSeqReq;
    type Resp = GetMaxSeqResp;
}

/// `POST /msg/pull_msg_by_seq` (S(userID); T in OpenIM).
pub struct PullMsgBySeq;
impl Endpoint for PullMsgBySeq {
    const PATH: &'static str = "/msg/pull_msg_by_seq";
    const AUTH: AuthRule = AuthRule::SelfOrAdmin("userID");
    type Req = PullMessageBySeqsReq;
    type Resp = PullMessageBySeqsResp;
}

/// `POST /msg/get_conversations_has_read_and_max_seq` (S(userID); T in OpenIM).
pub struct GetConversationsHasReadAndMaxSeq;
impl Endpoint for GetConversationsHasReadAndMaxSeq {
    const PATH: &'static str = "/msg/get_conversations_has_read_and_max_seq";
    const AUTH: AuthRule = AuthRule::SelfOrAdmin("userID");
    type Req = GetConversationsHasReadAndMaxSeqReq;
    type Resp = GetConversationsHasReadAndMaxSeqResp;
}

/// `POST /msg/get_server_time` (T).
pub struct GetServerTime;
impl Endpoint for GetServerTime {
    const PATH: &'static str = "/msg/get_server_time";
    const AUTH: AuthRule = AuthRule::Token;
    type Req = GetServerTimeReq;
    type Resp = GetServerTimeResp;
}

/// `POST /msg/check_msg_is_send_success` (T): the status `/msg/send_msg` recorded under this
/// request's `operationID` (0 when none).
pub struct CheckMsgIsSendSuccess;
impl Endpoint for CheckMsgIsSendSuccess {
    const PATH: &'static str = "/msg/check_msg_is_send_success";
    const AUTH: AuthRule = AuthRule::Token;
    type Req = GetSendMsgStatusReq;
    type Resp = GetSendMsgStatusResp;
}
