//! The group service: every `/group/*` operation as domain logic on the storage port, taking
//! and returning the OpenIM wire types. Handlers only translate the caller into an [`Actor`].
//!
//! Every membership change writes, besides the member items: the group's member-version log
//! (`LogKind::GroupMember`, owner = group ID), each affected user's joined-group log
//! (`LogKind::JoinedGroup`), and the members' `sg_` conversation rows; group-info changes log
//! the owner element `""` in the member log, role changes the sort element. Notifications go
//! through the [`Notifier`] port after the writes; a failed notification is logged, not
//! returned.

mod applications;
mod create;
mod info;
mod membership;
mod queries;
mod roles;
mod stats;
mod sync;

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::FutureExt;
use im_domain::clock::Env;
use im_domain::constants::{app_manager_level, group_role};
use im_domain::ports::{Notification, Notifier};
use im_domain::store::{Consistency, DynStore};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::version::{ChangeState, Head, LogKind, VersionLog};
use im_repo::{UserRecord, UserRepo};
use im_wire::pb::sdkws::{GroupMemberFullInfo, PublicUserInfo, RequestPagination};

use crate::hash::go_json;
use crate::notify;
use crate::records::{GroupRecord, MemberRecord};
use crate::repo::{GroupRepo, Task, bounded};
use crate::rules::Standing;

/// Most IDs accepted in one request (create, invite, kick, member info, abstract info).
pub const MAX_IDS: usize = 1000;

/// Who is acting: the token's user in the request's tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Tenant of the request.
    pub tenant: TenantId,
    /// Token user ID.
    pub user_id: String,
    /// Whether the user is an app admin.
    pub is_admin: bool,
}

/// The group domain service.
#[derive(Clone)]
pub struct GroupService {
    repo: GroupRepo,
    users: UserRepo,
    env: Env,
    notifier: Arc<dyn Notifier>,
}

/// `(skip, take)` of an OpenIM page: 1001 without pagination or with `pageNumber` < 1; an empty
/// page for `showNumber` < 1 (as OpenIM's `Paginate`).
pub fn page_bounds(p: Option<&RequestPagination>) -> ImResult<(usize, usize)> {
    let p = p.ok_or_else(|| ImError::args("pagination is empty"))?;
    if p.page_number < 1 {
        return Err(ImError::args("pageNumber is invalid"));
    }
    let show = usize::try_from(p.show_number).unwrap_or(0);
    let page = usize::try_from(p.page_number - 1).unwrap_or(0);
    Ok((page.saturating_mul(show), show))
}

/// One page of `items`.
pub fn paginate<T>(items: Vec<T>, (skip, take): (usize, usize)) -> Vec<T> {
    items.into_iter().skip(skip).take(take).collect()
}

/// 1001 when `ids` has a duplicate.
pub fn check_distinct(ids: &[String], what: &str) -> ImResult<()> {
    let mut seen = std::collections::HashSet::new();
    match ids.iter().find(|id| !seen.insert(id.as_str())) {
        Some(dup) => Err(ImError::args(format!("{what} duplicate: {dup}"))),
        None => Ok(()),
    }
}

/// A random UUID-shaped string (`uuid` of the application tips).
fn uuid(env: &Env) -> String {
    let h = env.ids.next_hex();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

impl GroupService {
    /// A service on `store`, with time and IDs from `env`, notifying through `notifier`.
    pub fn new(store: DynStore, env: Env, notifier: Arc<dyn Notifier>) -> Self {
        GroupService { repo: GroupRepo::new(store.clone()), users: UserRepo::new(store), env, notifier }
    }

    /// The repositories.
    pub fn repo(&self) -> &GroupRepo {
        &self.repo
    }

    fn now(&self) -> i64 {
        self.env.clock.now_ms()
    }

    fn log(&self) -> VersionLog<'_> {
        VersionLog::new(self.repo.store(), &self.env)
    }

    /// The caller's standing and membership in a group.
    async fn standing(&self, actor: &Actor, group_id: &str) -> ImResult<(Standing, Option<MemberRecord>)> {
        let me = self.repo.member(&actor.tenant, group_id, &actor.user_id).await?;
        Ok((Standing::of(actor.is_admin, me.as_ref().map(|m| m.role_level)), me))
    }

    /// Registered users among `ids` (strongly consistent); 1101 naming the first unknown one.
    async fn require_users(&self, t: &TenantId, ids: &[String]) -> ImResult<HashMap<String, UserRecord>> {
        let found = self.users.get_many(t, ids).await?;
        let map: HashMap<String, UserRecord> = found.into_iter().map(|u| (u.user_id.clone(), u)).collect();
        if let Some(missing) = ids.iter().find(|id| !map.contains_key(*id)) {
            return Err(ImError::new(ErrCode::UserIdNotFound, format!("user {missing} not found")));
        }
        Ok(map)
    }

    /// Profiles of `ids` for display (eventually consistent; unknown users are absent).
    async fn profiles(&self, t: &TenantId, ids: &[String]) -> ImResult<HashMap<String, UserRecord>> {
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<_> =
            ids.iter().filter(|u| seen.insert(u.as_str())).map(|u| im_repo::keys::user_profile(t, u)).collect();
        let mut out = HashMap::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            for item in self.repo.store().batch_get(chunk, Consistency::Eventual).await?.into_iter().flatten() {
                let u = UserRecord::from_item(&item);
                out.insert(u.user_id.clone(), u);
            }
        }
        Ok(out)
    }

    /// Members in wire form, with nickname and face URL taken from the profile where the member
    /// has none (OpenIM's `PopulateGroupMember`).
    async fn populate(&self, t: &TenantId, members: &[MemberRecord]) -> ImResult<Vec<GroupMemberFullInfo>> {
        let need: Vec<String> = members
            .iter()
            .filter(|m| m.nickname.is_empty() || m.face_url.is_empty())
            .map(|m| m.user_id.clone())
            .collect();
        let profiles = if need.is_empty() { HashMap::new() } else { self.profiles(t, &need).await? };
        Ok(members
            .iter()
            .map(|m| {
                let mut info = m.to_pb();
                if let Some(u) = profiles.get(&m.user_id) {
                    if info.nickname.is_empty() {
                        info.nickname = u.nickname.clone();
                    }
                    if info.face_url.is_empty() {
                        info.face_url = u.face_url.clone();
                    }
                }
                info
            })
            .collect())
    }

    /// One populated member.
    async fn populate_one(&self, t: &TenantId, m: &MemberRecord) -> ImResult<GroupMemberFullInfo> {
        Ok(self.populate(t, std::slice::from_ref(m)).await?.pop().unwrap_or_default())
    }

    /// Public profiles of `ids`, by user ID.
    async fn public_users(&self, t: &TenantId, ids: &[String]) -> ImResult<HashMap<String, PublicUserInfo>> {
        Ok(self
            .profiles(t, ids)
            .await?
            .into_values()
            .map(|u| {
                let info =
                    PublicUserInfo { user_id: u.user_id.clone(), nickname: u.nickname, face_url: u.face_url, ex: u.ex };
                (u.user_id, info)
            })
            .collect())
    }

    /// The operator as a group member (OpenIM's `fillOpUser`): app admins appear as group admins
    /// with `appMangerLevel` 2; non-members with their profile only.
    async fn op_user(&self, actor: &Actor, group_id: &str, me: Option<&MemberRecord>) -> ImResult<GroupMemberFullInfo> {
        if actor.is_admin {
            let p = self.profiles(&actor.tenant, std::slice::from_ref(&actor.user_id)).await?;
            let u = p.get(&actor.user_id);
            return Ok(GroupMemberFullInfo {
                group_id: group_id.to_string(),
                user_id: actor.user_id.clone(),
                role_level: group_role::ADMIN,
                app_manger_level: app_manager_level::APP_ADMIN,
                nickname: u.map(|u| u.nickname.clone()).unwrap_or_default(),
                face_url: u.map(|u| u.face_url.clone()).unwrap_or_default(),
                ..GroupMemberFullInfo::default()
            });
        }
        if let Some(m) = me {
            return self.populate_one(&actor.tenant, m).await;
        }
        let p = self.profiles(&actor.tenant, std::slice::from_ref(&actor.user_id)).await?;
        let u = p.get(&actor.user_id);
        Ok(GroupMemberFullInfo {
            group_id: group_id.to_string(),
            user_id: actor.user_id.clone(),
            nickname: u.map(|u| u.nickname.clone()).unwrap_or_default(),
            face_url: u.map(|u| u.face_url.clone()).unwrap_or_default(),
            operator_user_id: actor.user_id.clone(),
            ..GroupMemberFullInfo::default()
        })
    }

    /// Sends a notification; failures are logged.
    async fn emit(&self, n: Notification) {
        let content_type = n.content_type;
        if let Err(e) = self.notifier.notify(n).await {
            tracing::warn!(content_type, error = %e, "sending a group notification failed");
        }
    }

    /// Sends a group notification (session type per [`notify::kind`]) from the actor to `target`.
    async fn notify<T: serde::Serialize>(
        &self,
        actor: &Actor,
        target: &str,
        content_type: i32,
        tips: &T,
        send_message: Option<bool>,
    ) {
        let mut n = notify::build(&actor.tenant, &actor.user_id, target, content_type, go_json(tips), send_message);
        if notify::names_sender(content_type)
            && let Ok(p) = self.profiles(&actor.tenant, std::slice::from_ref(&actor.user_id)).await
            && let Some(u) = p.get(&actor.user_id)
        {
            n.sender_nickname = u.nickname.clone();
            n.sender_face_url = u.face_url.clone();
        }
        self.emit(n).await;
    }

    /// Appends member changes of a group to its member-version log.
    async fn log_members(&self, t: &TenantId, group_id: &str, changes: &[(&str, ChangeState)]) -> ImResult<Head> {
        Ok(self.log().append(t, LogKind::GroupMember, group_id, changes).await?)
    }

    /// Appends one element change to the logs of many owners (in parallel).
    async fn log_each(
        &self,
        t: &TenantId,
        kind: LogKind,
        owners: &[String],
        element: &str,
        state: ChangeState,
    ) -> ImResult<()> {
        let log = self.log();
        let log = &log;
        let tasks: Vec<Task<'_, ()>> = owners
            .iter()
            .map(|owner| async move { log.append(t, kind, owner, &[(element, state)]).await.map(|_| ()) }.boxed())
            .collect();
        bounded(tasks).await?;
        Ok(())
    }

    /// The group, refusing dismissed ones (1204).
    async fn live_group(&self, t: &TenantId, group_id: &str) -> ImResult<GroupRecord> {
        let g = self.repo.group_or_404(t, group_id).await?;
        if g.is_dismissed() {
            return Err(ImError::new(ErrCode::DismissedAlready, "group dismissed"));
        }
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let p = |n, s| Some(RequestPagination { page_number: n, show_number: s });
        assert_eq!(page_bounds(p(1, 10).as_ref()).unwrap(), (0, 10));
        assert_eq!(page_bounds(p(3, 10).as_ref()).unwrap(), (20, 10));
        assert_eq!(page_bounds(p(1, 0).as_ref()).unwrap(), (0, 0));
        assert_eq!(page_bounds(p(0, 10).as_ref()).unwrap_err().dlt, "pageNumber is invalid");
        assert_eq!(page_bounds(None).unwrap_err().code, 1001);
        assert_eq!(paginate(vec![1, 2, 3, 4, 5], (2, 2)), vec![3, 4]);
        assert!(check_distinct(&["a".into(), "a".into()], "ids").is_err());
    }
}
