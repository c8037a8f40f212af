//! Sync APIs (reference §6.9): the full ID list with its `idHash`, changes since a version, and
//! the paged owner list.

use im_domain::{ImResult, TenantId};
use im_repo::version::{self, LogKind};
use im_wire::pb::conversation::*;

use super::sorted::paginate;
use super::{Actor, ConversationService};

impl ConversationService {
    /// `/conversation/get_full_conversation_ids`: the current version and every conversation ID
    /// (ordered), or `equal: true` and no IDs when the client's `idHash` matches.
    pub async fn get_full_conversation_ids(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetFullOwnerConversationIdsReq,
    ) -> ImResult<GetFullOwnerConversationIdsResp> {
        actor.check_self(&req.user_id)?;
        let head = self.repo.versions().head(t, LogKind::Conversation, &req.user_id).await?;
        let ids = self.repo.ids(t, &req.user_id).await?;
        let equal = req.id_hash == version::id_hash(&ids);
        Ok(GetFullOwnerConversationIdsResp {
            version: head.version,
            version_id: head.version_id,
            equal,
            conversation_ids: if equal { Vec::new() } else { ids },
        })
    }

    /// `/conversation/get_incremental_conversations`: the rows inserted and updated and the IDs
    /// deleted since (`versionID`, `version`); `full: true` when the client must refetch (unknown
    /// or empty versionID, version 0, truncated log, or more than 200 changes).
    pub async fn get_incremental_conversations(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetIncrementalConversationReq,
    ) -> ImResult<GetIncrementalConversationResp> {
        actor.check_self(&req.user_id)?;
        let user = req.user_id.as_str();
        let version_id = if req.version == 0 { "" } else { req.version_id.as_str() };
        let changes = self
            .repo
            .versions()
            .since(t, LogKind::Conversation, user, version_id, req.version, version::DEFAULT_LIMIT)
            .await?;
        let insert = self.repo.get_many(t, user, &changes.insert).await?;
        let update = self.repo.get_many(t, user, &changes.update).await?;
        Ok(GetIncrementalConversationResp {
            version: changes.head.version,
            version_id: changes.head.version_id,
            full: changes.full,
            delete: changes.delete,
            insert: insert.iter().map(|r| r.to_pb()).collect(),
            update: update.iter().map(|r| r.to_pb()).collect(),
        })
    }

    /// `/conversation/get_owner_conversation`: one page of the owner's rows (ordered by
    /// conversation ID) and the total; no pagination → an empty page (as OpenIM).
    pub async fn get_owner_conversation(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetOwnerConversationReq,
    ) -> ImResult<GetOwnerConversationResp> {
        actor.check_self(&req.user_id)?;
        let rows = self.repo.list(t, &req.user_id).await?;
        let total = rows.len() as i64;
        let (page, show) = req.pagination.as_ref().map_or((0, 0), |p| (p.page_number, p.show_number));
        let conversations = paginate(rows, page, show).iter().map(|r| r.to_pb()).collect();
        Ok(GetOwnerConversationResp { total, conversations })
    }
}
