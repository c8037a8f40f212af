//! Operations on stored messages (reference §1.5, §6.7, §6.8).
//!
//! OpenIM checks no ownership on the read-receipt routes (T) and no admin on
//! `/msg/delete_msg_phsical_by_seq` and `/msg/search_msg`; here the former are S(`userID`) and
//! the latter A (`docs/security.md`).

use im_http::AuthRule;
use im_wire::pb::msg::{
    ClearConversationsMsgReq, ClearConversationsMsgResp, DeleteMsgPhysicalBySeqReq, DeleteMsgPhysicalBySeqResp,
    DeleteMsgPhysicalReq, DeleteMsgPhysicalResp, DeleteMsgsReq, DeleteMsgsResp, MarkConversationAsReadReq,
    MarkConversationAsReadResp, MarkMsgsAsReadReq, MarkMsgsAsReadResp, RevokeMsgReq, RevokeMsgResp, SearchMessageReq,
    SearchMessageResp, SetConversationHasReadSeqReq, SetConversationHasReadSeqResp, UserClearAllMsgReq,
    UserClearAllMsgResp,
};

im_http::declare_endpoints!(
    /// `POST /msg/revoke_msg` (S(userID) + role rules, §6.7).
    RevokeMsg, "/msg/revoke_msg", AuthRule::SelfOrAdmin("userID"), RevokeMsgReq, RevokeMsgResp
);
im_http::declare_endpoints!(
    /// `POST /msg/mark_msgs_as_read` (S(userID); T in OpenIM).
    MarkMsgsAsRead, "/msg/mark_msgs_as_read", AuthRule::SelfOrAdmin("userID"), MarkMsgsAsReadReq, MarkMsgsAsReadResp
);
im_http::declare_endpoints!(
    /// `POST /msg/mark_conversation_as_read` (S(userID); T in OpenIM).
    MarkConversationAsRead,
    "/msg/mark_conversation_as_read",
    AuthRule::SelfOrAdmin("userID"),
    MarkConversationAsReadReq,
    MarkConversationAsReadResp
);
im_http::declare_endpoints!(
    /// `POST /msg/set_conversation_has_read_seq` (S(userID); T in OpenIM).
    SetConversationHasReadSeq,
    "/msg/set_conversation_has_read_seq",
    AuthRule::SelfOrAdmin("userID"),
    SetConversationHasReadSeqReq,
    SetConversationHasReadSeqResp
);
im_http::declare_endpoints!(
    /// `POST /msg/delete_msgs` (S(userID)): per-user soft delete.
    DeleteMsgs, "/msg/delete_msgs", AuthRule::SelfOrAdmin("userID"), DeleteMsgsReq, DeleteMsgsResp
);
im_http::declare_endpoints!(
    /// `POST /msg/clear_conversation_msg` (S(userID)).
    ClearConversationMsg,
    "/msg/clear_conversation_msg",
    AuthRule::SelfOrAdmin("userID"),
    ClearConversationsMsgReq,
    ClearConversationsMsgResp
);
im_http::declare_endpoints!(
    /// `POST /msg/user_clear_all_msg` (S(userID)).
    UserClearAllMsg, "/msg/user_clear_all_msg", AuthRule::SelfOrAdmin("userID"), UserClearAllMsgReq, UserClearAllMsgResp
);
im_http::declare_endpoints!(
    /// `POST /msg/delete_msg_phsical_by_seq` (A; T in OpenIM; the path's typo is kept).
    DeleteMsgPhysicalBySeq,
    "/msg/delete_msg_phsical_by_seq",
    AuthRule::Admin,
    DeleteMsgPhysicalBySeqReq,
    DeleteMsgPhysicalBySeqResp
);
im_http::declare_endpoints!(
    /// `POST /msg/delete_msg_physical` (A).
    DeleteMsgPhysical, "/msg/delete_msg_physical", AuthRule::Admin, DeleteMsgPhysicalReq, DeleteMsgPhysicalResp
);
im_http::declare_endpoints!(
    /// `POST /msg/search_msg` (A; T in OpenIM, which checks no admin): the message search.
    SearchMsg, "/msg/search_msg", AuthRule::Admin, SearchMessageReq, SearchMessageResp
);
