//! Reads: groups, members, joined groups, abstracts, the admin group search.
//!
//! Member lists are in user-ID order (the store's order; OpenIM orders by role, then join
//! time — clients sort locally). A keyword matches the member's displayed nickname (group
//! nickname, else profile nickname) or user ID as a substring.

use im_domain::{ErrCode, ImError, ImResult};
use im_wire::pb::group::{
    CmsGroup, GetGroupAbstractInfoReq, GetGroupAbstractInfoResp, GetGroupMemberListReq, GetGroupMemberListResp,
    GetGroupMemberUserIdsReq, GetGroupMemberUserIdsResp, GetGroupMembersInfoReq, GetGroupMembersInfoResp,
    GetGroupsInfoReq, GetGroupsInfoResp, GetGroupsReq, GetGroupsResp, GetJoinedGroupListReq, GetJoinedGroupListResp,
    GroupAbstractInfo,
};

use super::{Actor, GroupService, MAX_IDS, check_distinct, page_bounds, paginate};
use crate::hash::member_list_hash;
use crate::rules;

impl GroupService {
    /// Member (or app admin) of `group_id`, else 1002.
    pub(super) async fn require_member(&self, actor: &Actor, group_id: &str) -> ImResult<()> {
        let (standing, _) = self.standing(actor, group_id).await?;
        rules::check_member(standing)
    }

    /// `get_groups_info` (any token): the groups that exist, in request order.
    pub async fn get_groups_info(&self, actor: &Actor, req: GetGroupsInfoReq) -> ImResult<GetGroupsInfoResp> {
        if req.group_ids.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let groups = self.repo.groups(&actor.tenant, &req.group_ids).await?;
        Ok(GetGroupsInfoResp { group_infos: groups.iter().map(|g| g.to_pb()).collect() })
    }

    /// `get_group_members_info` (members and app admins).
    pub async fn get_group_members_info(
        &self,
        actor: &Actor,
        req: GetGroupMembersInfoReq,
    ) -> ImResult<GetGroupMembersInfoResp> {
        if req.user_ids.is_empty() {
            return Err(ImError::args("userIDs empty"));
        }
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID empty"));
        }
        self.require_member(actor, &req.group_id).await?;
        let members = self.repo.members_of(&actor.tenant, &req.group_id, &req.user_ids).await?;
        Ok(GetGroupMembersInfoResp { members: self.populate(&actor.tenant, &members).await? })
    }

    /// `get_group_member_list` (members and app admins): a page, optionally filtered by keyword.
    pub async fn get_group_member_list(
        &self,
        actor: &Actor,
        req: GetGroupMemberListReq,
    ) -> ImResult<GetGroupMemberListResp> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let bounds = page_bounds(req.pagination.as_ref())?;
        if !(0..=5).contains(&req.filter) {
            return Err(ImError::args("filter is invalid"));
        }
        self.require_member(actor, &req.group_id).await?;
        let t = &actor.tenant;
        if req.keyword.is_empty() {
            let group = self.repo.group_or_404(t, &req.group_id).await?;
            let page = if bounds.1 == 0 {
                Vec::new()
            } else {
                self.repo.member_page(t, &req.group_id, bounds.0, bounds.1).await?
            };
            return Ok(GetGroupMemberListResp { total: group.member_count, members: self.populate(t, &page).await? });
        }
        let all = self.repo.all_members(t, &req.group_id).await?;
        let matching: Vec<_> = self
            .populate(t, &all)
            .await?
            .into_iter()
            .filter(|m| m.nickname.contains(&req.keyword) || m.user_id.contains(&req.keyword))
            .collect();
        let total = u32::try_from(matching.len()).unwrap_or(u32::MAX);
        Ok(GetGroupMemberListResp { total, members: paginate(matching, bounds) })
    }

    /// `get_group_member_user_id` (members and app admins).
    pub async fn get_group_member_user_id(
        &self,
        actor: &Actor,
        req: GetGroupMemberUserIdsReq,
    ) -> ImResult<GetGroupMemberUserIdsResp> {
        if req.group_id.is_empty() {
            return Err(ImError::args("GroupID is empty"));
        }
        let ids = self.repo.member_ids(&actor.tenant, &req.group_id).await?;
        if !actor.is_admin && !ids.contains(&actor.user_id) {
            return Err(ImError::no_permission("opUser no permission"));
        }
        Ok(GetGroupMemberUserIdsResp { user_ids: ids })
    }

    /// `get_joined_group_list` (self or app admin; checked by the route): a page of the user's
    /// groups with their owner and member count.
    pub async fn get_joined_group_list(
        &self,
        actor: &Actor,
        req: GetJoinedGroupListReq,
    ) -> ImResult<GetJoinedGroupListResp> {
        let bounds = page_bounds(req.pagination.as_ref())?;
        if req.from_user_id.is_empty() {
            return Err(ImError::args("fromUserID is empty"));
        }
        let joined = self.repo.joined(&actor.tenant, &req.from_user_id).await?;
        let total = u32::try_from(joined.len()).unwrap_or(u32::MAX);
        let ids: Vec<String> = paginate(joined, bounds).into_iter().map(|m| m.group_id).collect();
        let groups = self.repo.groups(&actor.tenant, &ids).await?;
        Ok(GetJoinedGroupListResp { total, groups: groups.iter().map(|g| g.to_pb()).collect() })
    }

    /// `get_group_abstract_info` (member of each group, or app admin): member count and
    /// `groupMemberListHash` (see [`crate::hash`]).
    pub async fn get_group_abstract_info(
        &self,
        actor: &Actor,
        req: GetGroupAbstractInfoReq,
    ) -> ImResult<GetGroupAbstractInfoResp> {
        if req.group_ids.is_empty() {
            return Err(ImError::args("groupIDs empty"));
        }
        if req.group_ids.len() > MAX_IDS {
            return Err(ImError::args("too many GroupIDs, need to be less than 1000"));
        }
        check_distinct(&req.group_ids, "groupIDs")?;
        for g in &req.group_ids {
            self.require_member(actor, g).await?;
        }
        let t = &actor.tenant;
        let groups = self.repo.groups(t, &req.group_ids).await?;
        if let Some(missing) = req.group_ids.iter().find(|g| !groups.iter().any(|x| &x.group_id == *g)) {
            return Err(ImError::new(ErrCode::GroupIdNotFound, format!("not found group {missing}")));
        }
        let mut out = Vec::with_capacity(groups.len());
        for g in &groups {
            let members = self.repo.all_members(t, &g.group_id).await?;
            let populated = self.populate(t, &members).await?;
            out.push(GroupAbstractInfo {
                group_id: g.group_id.clone(),
                group_member_number: u32::try_from(members.len()).unwrap_or(u32::MAX),
                group_member_list_hash: member_list_hash(&populated),
            });
        }
        Ok(GetGroupAbstractInfoResp { group_abstract_infos: out })
    }

    /// `get_groups` (app admins; checked by the route): one group by ID, or a page of the
    /// groups whose name contains `groupName` (dismissed ones left out), newest first.
    pub async fn get_groups(&self, actor: &Actor, req: GetGroupsReq) -> ImResult<GetGroupsResp> {
        let bounds = page_bounds(req.pagination.as_ref())?;
        let t = &actor.tenant;
        let (total, groups) = if req.group_id.is_empty() {
            let all: Vec<_> = self
                .repo
                .all_groups_newest_first(t)
                .await?
                .into_iter()
                .filter(|g| !g.is_dismissed() && g.group_name.contains(&req.group_name))
                .collect();
            (all.len(), paginate(all, bounds))
        } else {
            let found = self.repo.groups(t, std::slice::from_ref(&req.group_id)).await?;
            (found.len(), found)
        };
        let owners: Vec<String> = groups.iter().map(|g| g.owner_user_id.clone()).collect();
        let names = self.profiles(t, &owners).await?;
        Ok(GetGroupsResp {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            groups: groups
                .iter()
                .map(|g| CmsGroup {
                    group_info: Some(g.to_pb()),
                    group_owner_user_name: names.get(&g.owner_user_id).map(|u| u.nickname.clone()).unwrap_or_default(),
                    group_owner_user_id: g.owner_user_id.clone(),
                })
                .collect(),
        })
    }
}
