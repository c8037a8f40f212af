//! The composite conversation views of the pure-JS SDK (`/jssdk/*`, reference §1.8, A.10):
//! each row with its last message, seq state and the peer's user/friend record or the group.

use std::collections::HashMap;

use im_domain::{ImResult, TenantId};
use im_repo::UserRecord;
use im_wire::pb::jssdk::{
    ConversationMsg, GetActiveConversationsReq, GetActiveConversationsResp, GetConversationsReq, GetConversationsResp,
};

use super::overview::Overview;
use super::{Actor, ConversationService};
use crate::lookup;

/// Default and largest `count` of `/jssdk/get_active_conversations`.
pub const DEFAULT_ACTIVE_COUNT: i64 = 100;
/// Counts above this fall back to [`DEFAULT_ACTIVE_COUNT`] (as OpenIM).
pub const MAX_ACTIVE_COUNT: i64 = 500;

impl ConversationService {
    /// `/jssdk/get_active_conversations` for the token user (`ownerUserID` is ignored): the
    /// conversations with a visible message, pinned first, then by last-message time, at most
    /// `count` (≤ 0 or > 500 → 100); `unreadCount` sums every active conversation.
    pub async fn jssdk_active_conversations(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetActiveConversationsReq,
    ) -> ImResult<GetActiveConversationsResp> {
        let count = if req.count <= 0 || req.count > MAX_ACTIVE_COUNT { DEFAULT_ACTIVE_COUNT } else { req.count };
        let user = actor.user_id.as_str();
        let rows = self.repo.list(t, user).await?;
        let mut active: Vec<Overview> =
            self.overviews(t, user, rows).await?.into_iter().filter(|o| o.state.has_messages()).collect();
        let unread_count = active.iter().map(|o| o.state.unread).sum();
        active.sort_by(|a, b| {
            b.row
                .is_pinned
                .cmp(&a.row.is_pinned)
                .then_with(|| b.state.last_time.cmp(&a.state.last_time))
                .then_with(|| a.cid().cmp(b.cid()))
        });
        active.truncate(usize::try_from(count).unwrap_or(0));
        let conversations = self.composites(t, user, &active).await?;
        Ok(GetActiveConversationsResp { unread_count, conversations })
    }

    /// `/jssdk/get_conversations` for the token user (`ownerUserID` is ignored): the user's rows
    /// among `conversationIDs` in request order; `unreadCount` sums them.
    pub async fn jssdk_conversations(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetConversationsReq,
    ) -> ImResult<GetConversationsResp> {
        let user = actor.user_id.as_str();
        let rows = self.repo.get_many(t, user, &req.conversation_ids).await?;
        let overviews = self.overviews(t, user, rows).await?;
        let unread_count = overviews.iter().map(|o| o.state.unread).sum();
        let conversations = self.composites(t, user, &overviews).await?;
        Ok(GetConversationsResp { unread_count, conversations })
    }

    /// The composite of each overview, in order.
    async fn composites(&self, t: &TenantId, user: &str, overviews: &[Overview]) -> ImResult<Vec<ConversationMsg>> {
        let mut last = self.last_messages(t, user, overviews).await?;
        let peers: Vec<String> = overviews
            .iter()
            .filter(|o| o.row.group_id.is_empty() && !o.row.user_id.is_empty())
            .map(|o| o.row.user_id.clone())
            .collect();
        let peer_refs: Vec<&str> = peers.iter().map(String::as_str).collect();
        let group_ids: Vec<&str> =
            overviews.iter().filter(|o| !o.row.group_id.is_empty()).map(|o| o.row.group_id.as_str()).collect();
        let users: HashMap<String, UserRecord> =
            self.users.get_many(t, &peers).await?.into_iter().map(|u| (u.user_id.clone(), u)).collect();
        let friends = lookup::friends(self.repo.store().as_ref(), t, user, &peer_refs).await?;
        let groups = lookup::groups(self.groups.as_ref(), t, &group_ids).await?;
        Ok(overviews
            .iter()
            .map(|o| {
                let (peer, group) = (&o.row.user_id, &o.row.group_id);
                ConversationMsg {
                    conversation: Some(o.row.to_pb()),
                    last_msg: last.remove(o.cid()),
                    user: if group.is_empty() { users.get(peer).map(lookup::user_info) } else { None },
                    friend: if group.is_empty() { friends.get(peer).cloned() } else { None },
                    group: groups.get(group).map(lookup::group_info),
                    max_seq: o.state.max_seq,
                    read_seq: o.state.read_seq,
                }
            })
            .collect())
    }
}
