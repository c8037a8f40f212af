//! Incremental sync (reference §6.9): joined groups (`LogKind::JoinedGroup`, one log per
//! user) and group members (`LogKind::GroupMember`, one log per group), plus the full ID lists
//! with `idHash`.
//!
//! As OpenIM: a client without a valid `(versionID, version > 0)` gets `full`; more than 200
//! changed elements is `full`; the member log's special elements (`""` group info, the sort
//! marker) are not returned as members but make the response carry `group` (and
//! `sortVersion`); the batch skips dismissed groups and stops adding groups once 500 changes
//! have been returned.

use im_domain::{ErrCode, ImError, ImResult};
use im_repo::version::{Changes, LogKind, OWNER_ELEMENT_ID, SORT_ELEMENT_ID};
use im_wire::pb::group::{
    BatchGetIncrementalGroupMemberReq, BatchGetIncrementalGroupMemberResp, GetFullGroupMemberUserIdsReq,
    GetFullGroupMemberUserIdsResp, GetFullJoinGroupIdsReq, GetFullJoinGroupIdsResp, GetIncrementalGroupMemberReq,
    GetIncrementalGroupMemberResp, GetIncrementalJoinGroupReq, GetIncrementalJoinGroupResp,
};

use super::{Actor, GroupService};
use crate::hash::id_hash;

/// Most changed elements returned before answering `full`.
pub const SYNC_LIMIT: usize = 200;
/// The batch stops adding groups once this many changes were returned.
pub const BATCH_LIMIT: usize = 500;

impl GroupService {
    /// Changes of a log since the client's version (`full` for version 0).
    async fn changes(
        &self,
        actor: &Actor,
        kind: LogKind,
        owner: &str,
        version_id: &str,
        version: u64,
    ) -> ImResult<Changes> {
        let log = self.log();
        if version == 0 {
            let head = log.head(&actor.tenant, kind, owner).await?;
            return Ok(Changes { head, full: true, ..Changes::default() });
        }
        Ok(log.since(&actor.tenant, kind, owner, version_id, version, SYNC_LIMIT).await?)
    }

    /// `get_incremental_join_groups` (self or app admin, checked by the route).
    pub async fn get_incremental_join_groups(
        &self,
        actor: &Actor,
        req: GetIncrementalJoinGroupReq,
    ) -> ImResult<GetIncrementalJoinGroupResp> {
        if req.user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        let c = self.changes(actor, LogKind::JoinedGroup, &req.user_id, &req.version_id, req.version).await?;
        let t = &actor.tenant;
        let insert = self.repo.groups(t, &c.insert).await?.iter().map(|g| g.to_pb()).collect();
        let update = self.repo.groups(t, &c.update).await?.iter().map(|g| g.to_pb()).collect();
        Ok(GetIncrementalJoinGroupResp {
            version: c.head.version,
            version_id: c.head.version_id,
            full: c.full,
            delete: c.delete,
            insert,
            update,
            sort_version: 0,
        })
    }

    /// `get_incremental_group_members` (members and app admins; 1204 for a dismissed group).
    pub async fn get_incremental_group_members(
        &self,
        actor: &Actor,
        req: GetIncrementalGroupMemberReq,
    ) -> ImResult<GetIncrementalGroupMemberResp> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        self.require_member(actor, &req.group_id).await?;
        let t = &actor.tenant;
        let group = self.repo.group_or_404(t, &req.group_id).await?;
        if group.is_dismissed() {
            return Err(ImError::new(ErrCode::DismissedAlready, "group dismissed"));
        }
        let c = self.changes(actor, LogKind::GroupMember, &req.group_id, &req.version_id, req.version).await?;
        let special = |e: &String| e == OWNER_ELEMENT_ID || e == SORT_ELEMENT_ID;
        let changed = c.full || !(c.insert.is_empty() && c.update.is_empty() && c.delete.is_empty());
        let sort_version = if !c.full && c.head.sort_version > req.version { c.head.sort_version } else { 0 };
        let inserted: Vec<String> = c.insert.iter().filter(|e| !special(e)).cloned().collect();
        let updated: Vec<String> = c.update.iter().filter(|e| !special(e)).cloned().collect();
        let insert = self.repo.members_of(t, &req.group_id, &inserted).await?;
        let update = self.repo.members_of(t, &req.group_id, &updated).await?;
        Ok(GetIncrementalGroupMemberResp {
            version: c.head.version,
            version_id: c.head.version_id,
            full: c.full,
            delete: c.delete.into_iter().filter(|e| !special(e)).collect(),
            insert: self.populate(t, &insert).await?,
            update: self.populate(t, &update).await?,
            group: changed.then(|| group.to_pb()),
            sort_version,
        })
    }

    /// `get_incremental_group_members_batch`: one response per group, dismissed groups skipped,
    /// no more groups once 500 changes were collected.
    pub async fn get_incremental_group_members_batch(
        &self,
        actor: &Actor,
        req: BatchGetIncrementalGroupMemberReq,
    ) -> ImResult<BatchGetIncrementalGroupMemberResp> {
        let mut out = BatchGetIncrementalGroupMemberResp::default();
        let mut count = 0usize;
        for one in req.req_list {
            if out.resp_list.contains_key(&one.group_id) {
                continue;
            }
            let group_id = one.group_id.clone();
            let resp = match self.get_incremental_group_members(actor, one).await {
                Ok(r) => r,
                Err(e) if e.is(ErrCode::DismissedAlready) => continue,
                Err(e) => return Err(e),
            };
            count += resp.insert.len() + resp.update.len() + resp.delete.len();
            out.resp_list.insert(group_id, resp);
            if count >= BATCH_LIMIT {
                break;
            }
        }
        Ok(out)
    }

    /// `get_full_group_member_user_ids` (members and app admins): every member ID unless the
    /// client's `idHash` matches (`equal`).
    pub async fn get_full_group_member_user_ids(
        &self,
        actor: &Actor,
        req: GetFullGroupMemberUserIdsReq,
    ) -> ImResult<GetFullGroupMemberUserIdsResp> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let ids = self.repo.member_ids(&actor.tenant, &req.group_id).await?;
        if !actor.is_admin && !ids.contains(&actor.user_id) {
            return Err(ImError::no_permission("op user not in group"));
        }
        let head = self.log().head(&actor.tenant, LogKind::GroupMember, &req.group_id).await?;
        let equal = req.id_hash == id_hash(&ids);
        Ok(GetFullGroupMemberUserIdsResp {
            version: head.version,
            version_id: head.version_id,
            equal,
            user_ids: if equal { Vec::new() } else { ids },
        })
    }

    /// `get_full_join_group_ids` (self or app admin, checked by the route).
    pub async fn get_full_join_group_ids(
        &self,
        actor: &Actor,
        req: GetFullJoinGroupIdsReq,
    ) -> ImResult<GetFullJoinGroupIdsResp> {
        if req.user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        let head = self.log().head(&actor.tenant, LogKind::JoinedGroup, &req.user_id).await?;
        let ids: Vec<String> =
            self.repo.joined(&actor.tenant, &req.user_id).await?.into_iter().map(|m| m.group_id).collect();
        let equal = req.id_hash == id_hash(&ids);
        Ok(GetFullJoinGroupIdsResp {
            version: head.version,
            version_id: head.version_id,
            equal,
            group_ids: if equal { Vec::new() } else { ids },
        })
    }
}
