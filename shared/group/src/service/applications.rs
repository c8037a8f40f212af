//! Join-request lists, newest first.
//!
//! Closed holes (see `docs/security.md`): the received list's `fromUserID` must be the caller
//! unless an app admin asks; the sent list is the caller's own unless an app admin asks (the
//! route checks `userID`); `get_group_users_req_application_list` shows other users'
//! applications to the group's owner/admins and app admins only.

use std::collections::HashMap;

use im_domain::constants::handle_result;
use im_domain::{ImError, ImResult};
use im_wire::pb::group::{
    GetGroupApplicationListReq, GetGroupApplicationListResp, GetGroupApplicationUnhandledCountReq,
    GetGroupApplicationUnhandledCountResp, GetGroupUsersReqApplicationListReq, GetGroupUsersReqApplicationListResp,
    GetSpecifiedUserGroupRequestInfoReq, GetSpecifiedUserGroupRequestInfoResp, GetUserReqApplicationListReq,
    GetUserReqApplicationListResp,
};
use im_wire::pb::sdkws::GroupRequest;

use super::{Actor, GroupService, MAX_IDS, page_bounds, paginate};
use crate::records::RequestRecord;
use crate::rules;

impl GroupService {
    /// Requests in wire form with the applicants' profiles and the groups.
    async fn requests_pb(&self, actor: &Actor, requests: &[RequestRecord]) -> ImResult<Vec<GroupRequest>> {
        let t = &actor.tenant;
        let users: Vec<String> = requests.iter().map(|r| r.user_id.clone()).collect();
        let users = self.public_users(t, &users).await?;
        let group_ids: Vec<String> = requests.iter().map(|r| r.group_id.clone()).collect();
        let groups: HashMap<String, _> =
            self.repo.groups(t, &group_ids).await?.into_iter().map(|g| (g.group_id.clone(), g.to_pb())).collect();
        Ok(requests.iter().map(|r| r.to_pb(users.get(&r.user_id).cloned(), groups.get(&r.group_id).cloned())).collect())
    }

    /// Groups `user_id` owns or administers.
    async fn managed_group_ids(&self, actor: &Actor, user_id: &str) -> ImResult<Vec<String>> {
        Ok(self
            .repo
            .joined(&actor.tenant, user_id)
            .await?
            .into_iter()
            .filter(|m| m.is_manager())
            .map(|m| m.group_id)
            .collect())
    }

    /// Sorts newest first and keeps the wanted results.
    fn select(mut requests: Vec<RequestRecord>, results: &[i32]) -> Vec<RequestRecord> {
        requests.retain(|r| results.is_empty() || results.contains(&r.handle_result));
        requests.sort_by(|a, b| b.req_time.cmp(&a.req_time).then_with(|| a.group_id.cmp(&b.group_id)));
        requests
    }

    /// `get_recv_group_applicationList`: applications to the groups `fromUserID` (the caller;
    /// empty = the caller) manages, or to the listed groups (owner/admin of each).
    pub async fn get_recv_group_application_list(
        &self,
        actor: &Actor,
        req: GetGroupApplicationListReq,
    ) -> ImResult<GetGroupApplicationListResp> {
        let bounds = page_bounds(req.pagination.as_ref())?;
        let from = if req.from_user_id.is_empty() { actor.user_id.clone() } else { req.from_user_id.clone() };
        if from != actor.user_id && !actor.is_admin {
            return Err(ImError::no_permission(format!(
                "user {} may not read the applications of {from}",
                actor.user_id
            )));
        }
        let group_ids = if req.group_ids.is_empty() {
            self.managed_group_ids(actor, &from).await?
        } else {
            let mut ids = req.group_ids.clone();
            ids.sort();
            ids.dedup();
            for g in &ids {
                let (standing, _) = self.standing(actor, g).await?;
                rules::check_manage(standing)?;
            }
            ids
        };
        let mut all = Vec::new();
        for g in &group_ids {
            all.extend(self.repo.group_requests(&actor.tenant, g).await?);
        }
        let all = Self::select(all, &req.handle_results);
        let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
        let page = paginate(all, bounds);
        Ok(GetGroupApplicationListResp { total, group_requests: self.requests_pb(actor, &page).await? })
    }

    /// `get_user_req_group_applicationList`: the applications `userID` sent (self or app admin,
    /// checked by the route); 1101 for an unknown user.
    pub async fn get_user_req_group_application_list(
        &self,
        actor: &Actor,
        req: GetUserReqApplicationListReq,
    ) -> ImResult<GetUserReqApplicationListResp> {
        if req.user_id.is_empty() {
            return Err(ImError::args("UserID is empty"));
        }
        let bounds = page_bounds(req.pagination.as_ref())?;
        self.require_users(&actor.tenant, std::slice::from_ref(&req.user_id)).await?;
        let mut all = self.repo.user_requests(&actor.tenant, &req.user_id).await?;
        if !req.group_ids.is_empty() {
            all.retain(|r| req.group_ids.contains(&r.group_id));
        }
        let all = Self::select(all, &req.handle_results);
        let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
        let page = paginate(all, bounds);
        Ok(GetUserReqApplicationListResp { total, group_requests: self.requests_pb(actor, &page).await? })
    }

    /// `get_group_users_req_application_list`: the applications of `userIDs` to one group.
    pub async fn get_group_users_req_application_list(
        &self,
        actor: &Actor,
        req: GetGroupUsersReqApplicationListReq,
    ) -> ImResult<GetGroupUsersReqApplicationListResp> {
        if req.group_id.is_empty() {
            return Err(ImError::args("GroupID is empty"));
        }
        if req.user_ids.is_empty() {
            return Err(ImError::args("UserID is empty"));
        }
        if req.user_ids.len() > MAX_IDS {
            return Err(ImError::args("too many UserIDs, need to be less than 1000"));
        }
        let only_self = req.user_ids.iter().all(|u| *u == actor.user_id);
        if !only_self {
            let (standing, _) = self.standing(actor, &req.group_id).await?;
            rules::check_manage(standing)?;
        }
        let requests = self.repo.requests_of(&actor.tenant, &req.group_id, &req.user_ids).await?;
        let total = i64::try_from(requests.len()).unwrap_or(i64::MAX);
        Ok(GetGroupUsersReqApplicationListResp { total, group_requests: self.requests_pb(actor, &requests).await? })
    }

    /// `get_specified_user_group_request_info`: one user's application to one group (the user
    /// themselves, the group's owner/admins, app admins).
    pub async fn get_specified_user_group_request_info(
        &self,
        actor: &Actor,
        req: GetSpecifiedUserGroupRequestInfoReq,
    ) -> ImResult<GetSpecifiedUserGroupRequestInfoResp> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        if req.user_id != actor.user_id {
            let (standing, _) = self.standing(actor, &req.group_id).await?;
            rules::check_manage(standing).map_err(|_| ImError::no_permission("opUser no permission"))?;
        }
        let requests: Vec<RequestRecord> =
            self.repo.request(&actor.tenant, &req.group_id, &req.user_id).await?.into_iter().collect();
        let total = u32::try_from(requests.len()).unwrap_or(u32::MAX);
        Ok(GetSpecifiedUserGroupRequestInfoResp { total, group_requests: self.requests_pb(actor, &requests).await? })
    }

    /// `get_group_application_unhandled_count` (self or app admin, checked by the route): pending
    /// applications to the groups `userID` manages, sent after `time` (ms; 0 = any time).
    pub async fn get_group_application_unhandled_count(
        &self,
        actor: &Actor,
        req: GetGroupApplicationUnhandledCountReq,
    ) -> ImResult<GetGroupApplicationUnhandledCountResp> {
        let mut count = 0i64;
        for g in self.managed_group_ids(actor, &req.user_id).await? {
            count += self
                .repo
                .group_requests(&actor.tenant, &g)
                .await?
                .iter()
                .filter(|r| r.handle_result == handle_result::PENDING && (req.time == 0 || r.req_time > req.time))
                .count() as i64;
        }
        Ok(GetGroupApplicationUnhandledCountResp { count })
    }
}
