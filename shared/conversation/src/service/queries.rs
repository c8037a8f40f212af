//! Plain reads of a user's rows: one, several, all, not-notify and pinned IDs, and the
//! offline-push filter.

use std::collections::HashSet;

use im_domain::constants::recv_msg_opt;
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::conversation::*;

use super::{Actor, ConversationService, require};

impl ConversationService {
    /// `/conversation/get_conversation`: one row; 1004 when it does not exist.
    pub async fn get_conversation(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetConversationReq,
    ) -> ImResult<GetConversationResp> {
        require(&req.owner_user_id, "ownerUserID")?;
        require(&req.conversation_id, "conversationID")?;
        actor.check_self(&req.owner_user_id)?;
        let row = self
            .repo
            .get(t, &req.owner_user_id, &req.conversation_id)
            .await?
            .ok_or_else(|| ImError::not_found("conversation not found"))?;
        Ok(GetConversationResp { conversation: Some(row.to_pb()) })
    }

    /// `/conversation/get_conversations`: the owner's rows among the IDs (missing ones skipped).
    pub async fn get_conversations(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetConversationsReq,
    ) -> ImResult<GetConversationsResp> {
        require(&req.owner_user_id, "ownerUserID")?;
        actor.check_self(&req.owner_user_id)?;
        let rows = self.repo.get_many(t, &req.owner_user_id, &req.conversation_ids).await?;
        Ok(GetConversationsResp { conversations: rows.iter().map(|r| r.to_pb()).collect() })
    }

    /// `/conversation/get_all_conversations`: every row of the owner.
    pub async fn get_all_conversations(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetAllConversationsReq,
    ) -> ImResult<GetAllConversationsResp> {
        require(&req.owner_user_id, "ownerUserID")?;
        actor.check_self(&req.owner_user_id)?;
        let rows = self.repo.list(t, &req.owner_user_id).await?;
        Ok(GetAllConversationsResp { conversations: rows.iter().map(|r| r.to_pb()).collect() })
    }

    /// `/conversation/get_not_notify_conversation_ids`: rows with `recvMsgOpt` 2.
    pub async fn get_not_notify_conversation_ids(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetNotNotifyConversationIdsReq,
    ) -> ImResult<GetNotNotifyConversationIdsResp> {
        actor.check_self(&req.user_id)?;
        let rows = self.repo.list(t, &req.user_id).await?;
        let ids = rows.into_iter().filter(|r| r.recv_msg_opt == recv_msg_opt::NOT_NOTIFY);
        Ok(GetNotNotifyConversationIdsResp { conversation_ids: ids.map(|r| r.conversation_id).collect() })
    }

    /// `/conversation/get_pinned_conversation_ids`: pinned rows.
    pub async fn get_pinned_conversation_ids(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetPinnedConversationIdsReq,
    ) -> ImResult<GetPinnedConversationIdsResp> {
        actor.check_self(&req.user_id)?;
        let rows = self.repo.list(t, &req.user_id).await?;
        let ids = rows.into_iter().filter(|r| r.is_pinned);
        Ok(GetPinnedConversationIdsResp { conversation_ids: ids.map(|r| r.conversation_id).collect() })
    }

    /// `/conversation/get_conversation_offline_push_user_ids`: the users among `userIDs` who
    /// have not turned the conversation's messages off (`recvMsgOpt` ≠ 0 excludes), in request
    /// order. Ordinary callers may only ask about themselves.
    pub async fn get_conversation_offline_push_user_ids(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetConversationOfflinePushUserIdsReq,
    ) -> ImResult<GetConversationOfflinePushUserIdsResp> {
        require(&req.conversation_id, "conversationID")?;
        for user in &req.user_ids {
            actor.check_self(user)?;
        }
        let rows = self.repo.rows_of(t, &req.conversation_id, &req.user_ids).await?;
        let muted: HashSet<String> =
            rows.into_iter().filter(|r| r.recv_msg_opt != recv_msg_opt::NORMAL).map(|r| r.owner_user_id).collect();
        let mut seen = HashSet::new();
        let user_ids =
            req.user_ids.iter().filter(|u| !muted.contains(*u) && seen.insert(u.as_str())).cloned().collect();
        Ok(GetConversationOfflinePushUserIdsResp { user_ids })
    }
}
