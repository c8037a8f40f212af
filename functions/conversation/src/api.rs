//! Endpoint declarations of `/conversation` (reference §1.6, A.6); the wire types are
//! `im_wire::pb::conversation`.
//!
//! OpenIM checks no ownership on these routes; here every route acts only for the caller unless
//! the caller is an app admin (see `docs/security.md`).

use im_http::{AuthRule, Empty};
use im_wire::pb::conversation::*;

/// Rule of the routes whose `userIDs` list must hold only the caller (unless admin).
pub const USER_IDS_RULE: AuthRule = AuthRule::Handler("userIDs must be the caller unless admin");

im_http::declare_endpoints!(
    /// `POST /conversation/get_sorted_conversation_list` (S(userID)).
    GetSortedConversationList,
    "/conversation/get_sorted_conversation_list",
    AuthRule::SelfOrAdmin("userID"),
    GetSortedConversationListReq,
    GetSortedConversationListResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_all_conversations` (S(ownerUserID)).
    GetAllConversations,
    "/conversation/get_all_conversations",
    AuthRule::SelfOrAdmin("ownerUserID"),
    GetAllConversationsReq,
    GetAllConversationsResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_conversation` (S(ownerUserID)).
    GetConversation,
    "/conversation/get_conversation",
    AuthRule::SelfOrAdmin("ownerUserID"),
    GetConversationReq,
    GetConversationResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_conversations` (S(ownerUserID)).
    GetConversations,
    "/conversation/get_conversations",
    AuthRule::SelfOrAdmin("ownerUserID"),
    GetConversationsReq,
    GetConversationsResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/set_conversations` (userIDs = caller unless admin).
    SetConversations,
    "/conversation/set_conversations",
    USER_IDS_RULE,
    SetConversationsReq,
    Empty
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_conversation_offline_push_user_ids` (userIDs = caller unless admin).
    GetConversationOfflinePushUserIds,
    "/conversation/get_conversation_offline_push_user_ids",
    USER_IDS_RULE,
    GetConversationOfflinePushUserIdsReq,
    GetConversationOfflinePushUserIdsResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_full_conversation_ids` (S(userID)).
    GetFullConversationIds,
    "/conversation/get_full_conversation_ids",
    AuthRule::SelfOrAdmin("userID"),
    GetFullOwnerConversationIdsReq,
    GetFullOwnerConversationIdsResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_incremental_conversations` (S(userID)).
    GetIncrementalConversations,
    "/conversation/get_incremental_conversations",
    AuthRule::SelfOrAdmin("userID"),
    GetIncrementalConversationReq,
    GetIncrementalConversationResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_owner_conversation` (S(userID)).
    GetOwnerConversation,
    "/conversation/get_owner_conversation",
    AuthRule::SelfOrAdmin("userID"),
    GetOwnerConversationReq,
    GetOwnerConversationResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_not_notify_conversation_ids` (S(userID)).
    GetNotNotifyConversationIds,
    "/conversation/get_not_notify_conversation_ids",
    AuthRule::SelfOrAdmin("userID"),
    GetNotNotifyConversationIdsReq,
    GetNotNotifyConversationIdsResp
);
im_http::declare_endpoints!(
    /// `POST /conversation/get_pinned_conversation_ids` (S(userID)).
    GetPinnedConversationIds,
    "/conversation/get_pinned_conversation_ids",
    AuthRule::SelfOrAdmin("userID"),
    GetPinnedConversationIdsReq,
    GetPinnedConversationIdsResp
);
