//! Handlers: the caller becomes the domain actor; everything else is the conversation service.

use im_conversation::Actor;
use im_domain::ImResult;
use im_http::{Caller, Empty};
use im_wire::pb::conversation::*;

use crate::ConversationState;

fn actor(c: &Caller) -> Actor {
    Actor::new(&c.user_id, c.is_admin)
}

pub(crate) async fn get_sorted_conversation_list(
    s: ConversationState,
    c: Caller,
    req: GetSortedConversationListReq,
) -> ImResult<GetSortedConversationListResp> {
    s.get_sorted_conversation_list(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_all_conversations(
    s: ConversationState,
    c: Caller,
    req: GetAllConversationsReq,
) -> ImResult<GetAllConversationsResp> {
    s.get_all_conversations(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_conversation(
    s: ConversationState,
    c: Caller,
    req: GetConversationReq,
) -> ImResult<GetConversationResp> {
    s.get_conversation(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_conversations(
    s: ConversationState,
    c: Caller,
    req: GetConversationsReq,
) -> ImResult<GetConversationsResp> {
    s.get_conversations(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn set_conversations(s: ConversationState, c: Caller, req: SetConversationsReq) -> ImResult<Empty> {
    s.set_conversations(&actor(&c), &c.tenant, &req).await.map(|()| Empty {})
}

pub(crate) async fn get_conversation_offline_push_user_ids(
    s: ConversationState,
    c: Caller,
    req: GetConversationOfflinePushUserIdsReq,
) -> ImResult<GetConversationOfflinePushUserIdsResp> {
    s.get_conversation_offline_push_user_ids(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_full_conversation_ids(
    s: ConversationState,
    c: Caller,
    req: GetFullOwnerConversationIdsReq,
) -> ImResult<GetFullOwnerConversationIdsResp> {
    s.get_full_conversation_ids(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_incremental_conversations(
    s: ConversationState,
    c: Caller,
    req: GetIncrementalConversationReq,
) -> ImResult<GetIncrementalConversationResp> {
    s.get_incremental_conversations(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_owner_conversation(
    s: ConversationState,
    c: Caller,
    req: GetOwnerConversationReq,
) -> ImResult<GetOwnerConversationResp> {
    s.get_owner_conversation(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_not_notify_conversation_ids(
    s: ConversationState,
    c: Caller,
    req: GetNotNotifyConversationIdsReq,
) -> ImResult<GetNotNotifyConversationIdsResp> {
    s.get_not_notify_conversation_ids(&actor(&c), &c.tenant, &req).await
}

pub(crate) async fn get_pinned_conversation_ids(
    s: ConversationState,
    c: Caller,
    req: GetPinnedConversationIdsReq,
) -> ImResult<GetPinnedConversationIdsResp> {
    s.get_pinned_conversation_ids(&actor(&c), &c.tenant, &req).await
}
