//! Seqs, pulls, server time and send status (reference §1.5, A.5).
//!
//! OpenIM checks no ownership on `/msg/pull_msg_by_seq` and
//! `/msg/get_conversations_has_read_and_max_seq` (any token may read any user's conversations);
//! here both are S(`userID`) like `/msg/newest_seq` (`docs/security.md`).

use im_http::AuthRule;
use im_wire::pb::msg::{
    GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetSendMsgStatusReq,
    GetSendMsgStatusResp, GetServerTimeReq, GetServerTimeResp,
};
use im_wire::pb::sdkws::{GetMaxSeqReq, GetMaxSeqResp, PullMessageBySeqsReq, PullMessageBySeqsResp};

im_http::declare_endpoints! {
/// `POST /msg/newest_seq` (S(userID)).
NewestSeq, "/msg/newest_seq", AuthRule::SelfOrAdmin("userID"), GetMaxSeqReq, GetMaxSeqResp;
}

im_http::declare_endpoints! {
/// `POST /msg/pull_msg_by_seq` (S(userID); T in OpenIM).
PullMsgBySeq, "/msg/pull_msg_by_seq", AuthRule::SelfOrAdmin("userID"), PullMessageBySeqsReq, PullMessageBySeqsResp;
}

im_http::declare_endpoints! {
/// `POST /msg/get_conversations_has_read_and_max_seq` (S(userID); T in OpenIM).
GetConversationsHasReadAndMaxSeq, "/msg/get_conversations_has_read_and_max_seq", AuthRule::SelfOrAdmin("userID"), GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp;
}

im_http::declare_endpoints! {
/// `POST /msg/get_server_time` (T).
GetServerTime, "/msg/get_server_time", AuthRule::Token, GetServerTimeReq, GetServerTimeResp;
}

im_http::declare_endpoints! {
/// `POST /msg/check_msg_is_send_success` (T): the status `/msg/send_msg` recorded under this
/// request's `operationID` (0 when none).
CheckMsgIsSendSuccess, "/msg/check_msg_is_send_success", AuthRule::Token, GetSendMsgStatusReq, GetSendMsgStatusResp;
}
