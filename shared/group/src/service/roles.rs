//! Member-level changes: `transfer_group`, `set_group_member_info`, member mute.

use im_domain::constants::{group_role, notification as nt};
use im_domain::store::Update;
use im_domain::{ImError, ImResult};
use im_repo::version::{ChangeState, SORT_ELEMENT_ID};
use im_wire::pb::group::{CancelMuteGroupMemberReq, MuteGroupMemberReq, SetGroupMemberInfoReq, TransferGroupOwnerReq};
use im_wire::pb::sdkws::{
    GroupMemberCancelMutedTips, GroupMemberInfoSetTips, GroupMemberMutedTips, GroupOwnerTransferredTips,
};

use super::{Actor, GroupService, MAX_IDS, check_distinct};
use crate::records::{MemberRecord, member_attr};
use crate::repo::members::{RoleChange, by_user};
use crate::rules::{self, MemberChange};

impl GroupService {
    /// `transfer_group`: the owner (or an app admin) hands the group to another member; the
    /// old owner takes the new owner's former role. An empty `oldOwnerUserID` (older clients)
    /// means the current owner. 1507.
    pub async fn transfer_group(&self, actor: &Actor, req: TransferGroupOwnerReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        if req.new_owner_user_id.is_empty() {
            return Err(ImError::args("newOwnerUserID is empty"));
        }
        let t = &actor.tenant;
        let group = self.live_group(t, &req.group_id).await?;
        let old_id =
            if req.old_owner_user_id.is_empty() { group.owner_user_id.clone() } else { req.old_owner_user_id.clone() };
        if old_id == req.new_owner_user_id {
            return Err(ImError::args("OldOwnerUserID == NewOwnerUserID"));
        }
        let found =
            by_user(self.repo.members_of(t, &req.group_id, &[old_id.clone(), req.new_owner_user_id.clone()]).await?);
        let (Some(old), Some(new)) = (found.get(&old_id), found.get(&req.new_owner_user_id)) else {
            return Err(ImError::args(format!("user not in group {old_id},{}", req.new_owner_user_id)));
        };
        let (standing, _) = self.standing(actor, &req.group_id).await?;
        rules::check_transfer(standing, &actor.user_id, &old_id, old.role_level)?;
        if new.mute_end_time > self.now() {
            self.repo
                .update_member(t, &req.group_id, &new.user_id, Update::new().remove(member_attr::MUTE_END))
                .await?;
        }
        let changes = [
            RoleChange { member: old.clone(), role: new.role_level },
            RoleChange { member: new.clone(), role: group_role::OWNER },
        ];
        self.repo.set_roles(t, &req.group_id, &changes, Some(&new.user_id)).await?;
        let head = self
            .log_members(
                t,
                &req.group_id,
                &[
                    (SORT_ELEMENT_ID, ChangeState::Update),
                    (&old_id, ChangeState::Update),
                    (&new.user_id, ChangeState::Update),
                ],
            )
            .await?;
        let after = by_user(
            self.repo
                .members_of(t, &req.group_id, &[old_id.clone(), new.user_id.clone(), actor.user_id.clone()])
                .await?,
        );
        let populated = |m: Option<&MemberRecord>| {
            let m = m.cloned();
            async move {
                match m {
                    Some(m) => self.populate_one(t, &m).await.map(Some),
                    None => Ok(None),
                }
            }
        };
        let tips = GroupOwnerTransferredTips {
            group: Some(self.repo.group_or_404(t, &req.group_id).await?.to_pb()),
            op_user: Some(self.op_user(actor, &req.group_id, after.get(&actor.user_id)).await?),
            new_group_owner: populated(after.get(&new.user_id)).await?,
            old_group_owner: old_id.clone(),
            operation_time: self.now(),
            old_group_owner_info: populated(after.get(&old_id)).await?,
            group_member_version: head.version,
            group_member_version_id: head.version_id,
        };
        self.notify(actor, &req.group_id, nt::GROUP_OWNER_TRANSFERRED, &tips, None).await;
        Ok(())
    }

    /// `set_group_member_info` (≤1000 members): ordinary members change only themselves,
    /// admins themselves and ordinary members, the owner anyone; roles only 60/20; nobody raises
    /// their own role; the owner's role changes only by transfer. 1517/1518 for roles, 1516 for
    /// nickname/faceURL/ex.
    pub async fn set_group_member_info(&self, actor: &Actor, req: SetGroupMemberInfoReq) -> ImResult<()> {
        if req.members.is_empty() {
            return Err(ImError::args("members is empty"));
        }
        if req.members.len() > MAX_IDS {
            return Err(ImError::args("too many Members, need to be less than 1000"));
        }
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, m) in req.members.iter().enumerate() {
            if m.group_id.is_empty() {
                return Err(ImError::args("GroupID is empty"));
            }
            if m.user_id.is_empty() {
                return Err(ImError::args("userID is empty"));
            }
            match groups.iter_mut().find(|(g, _)| *g == m.group_id) {
                Some((_, idx)) => idx.push(i),
                None => groups.push((m.group_id.clone(), vec![i])),
            }
        }
        let t = &actor.tenant;
        let mut loaded = Vec::with_capacity(groups.len());
        for (group_id, idx) in &groups {
            let targets: Vec<String> = idx.iter().map(|&i| req.members[i].user_id.clone()).collect();
            check_distinct(&targets, "group member")?;
            let mut wanted = targets.clone();
            wanted.push(actor.user_id.clone());
            let found = by_user(self.repo.members_of(t, group_id, &wanted).await?);
            if let Some(missing) = targets.iter().find(|u| !found.contains_key(*u)) {
                return Err(ImError::args(format!("user {missing} not in group")));
            }
            let standing = rules::Standing::of(actor.is_admin, found.get(&actor.user_id).map(|m| m.role_level));
            let changes: Vec<MemberChange<'_>> = idx
                .iter()
                .map(|&i| {
                    let m = &req.members[i];
                    let role = found.get(&m.user_id).map(|r| r.role_level).unwrap_or_default();
                    MemberChange { user_id: &m.user_id, role, new_role: m.role_level }
                })
                .collect();
            rules::check_member_info(standing, &actor.user_id, &changes)?;
            loaded.push(found);
        }
        for ((group_id, idx), found) in groups.iter().zip(&loaded) {
            let mut role_changes = Vec::new();
            for &i in idx {
                let m = &req.members[i];
                let mut update = Update::new();
                let mut touched = false;
                for (attr, value) in [
                    (member_attr::NICKNAME, &m.nickname),
                    (member_attr::FACE_URL, &m.face_url),
                    (member_attr::EX, &m.ex),
                ] {
                    if let Some(v) = value {
                        update = if v.is_empty() { update.remove(attr) } else { update.set(attr, v.as_str()) };
                        touched = true;
                    }
                }
                if touched {
                    self.repo.update_member(t, group_id, &m.user_id, update).await?;
                }
                if let (Some(role), Some(member)) = (m.role_level, found.get(&m.user_id)) {
                    role_changes.push(RoleChange { member: member.clone(), role });
                }
            }
            self.repo.set_roles(t, group_id, &role_changes, None).await?;
            let mut log: Vec<(&str, ChangeState)> = Vec::new();
            if !role_changes.is_empty() {
                log.push((SORT_ELEMENT_ID, ChangeState::Update));
            }
            log.extend(idx.iter().map(|&i| (req.members[i].user_id.as_str(), ChangeState::Update)));
            let head = self.log_members(t, group_id, &log).await?;
            let sort_version = if role_changes.is_empty() { 0 } else { head.sort_version };
            let group = self.repo.group_or_404(t, group_id).await?.to_pb();
            let me = self.repo.member(t, group_id, &actor.user_id).await?;
            let op = self.op_user(actor, group_id, me.as_ref()).await?;
            for &i in idx {
                let m = &req.members[i];
                let Some(changed) = self.repo.member(t, group_id, &m.user_id).await? else { continue };
                let tips = GroupMemberInfoSetTips {
                    group: Some(group.clone()),
                    op_user: Some(op.clone()),
                    operation_time: self.now(),
                    changed_user: Some(self.populate_one(t, &changed).await?),
                    group_member_version: head.version,
                    group_member_version_id: head.version_id.clone(),
                    group_sort_version: sort_version,
                };
                match m.role_level {
                    Some(group_role::ADMIN) => {
                        self.notify(actor, group_id, nt::GROUP_MEMBER_SET_TO_ADMIN, &tips, None).await
                    }
                    Some(_) => self.notify(actor, group_id, nt::GROUP_MEMBER_SET_TO_ORDINARY_USER, &tips, None).await,
                    None => {}
                }
                if m.nickname.is_some() || m.face_url.is_some() || m.ex.is_some() {
                    self.notify(actor, group_id, nt::GROUP_MEMBER_INFO_SET, &tips, None).await;
                }
            }
        }
        Ok(())
    }

    /// Sets or clears a member's mute and notifies.
    async fn mute_member(&self, actor: &Actor, group_id: &str, user_id: &str, seconds: u32) -> ImResult<()> {
        if group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        let t = &actor.tenant;
        let target = self
            .repo
            .member(t, group_id, user_id)
            .await?
            .ok_or_else(|| ImError::not_found(format!("user {user_id} is not in group {group_id}")))?;
        let (standing, me) = self.standing(actor, group_id).await?;
        rules::check_mute(standing, target.role_level)?;
        let update = if seconds > 0 {
            Update::new().set(member_attr::MUTE_END, self.now() + i64::from(seconds) * 1000)
        } else {
            Update::new().remove(member_attr::MUTE_END)
        };
        let Some(muted) = self.repo.update_member(t, group_id, user_id, update).await? else {
            return Err(ImError::not_found(format!("user {user_id} is not in group {group_id}")));
        };
        let head = self.log_members(t, group_id, &[(user_id, ChangeState::Update)]).await?;
        let group = Some(self.repo.group_or_404(t, group_id).await?.to_pb());
        let op_user = Some(self.op_user(actor, group_id, me.as_ref()).await?);
        let muted_user = Some(self.populate_one(t, &muted).await?);
        if seconds > 0 {
            let tips = GroupMemberMutedTips {
                group,
                op_user,
                operation_time: self.now(),
                muted_user,
                muted_seconds: seconds,
                group_member_version: head.version,
                group_member_version_id: head.version_id,
            };
            self.notify(actor, group_id, nt::GROUP_MEMBER_MUTED, &tips, None).await;
        } else {
            let tips = GroupMemberCancelMutedTips {
                group,
                op_user,
                operation_time: self.now(),
                muted_user,
                group_member_version: head.version,
                group_member_version_id: head.version_id,
            };
            self.notify(actor, group_id, nt::GROUP_MEMBER_CANCEL_MUTED, &tips, None).await;
        }
        Ok(())
    }

    /// `mute_group_member` (`mutedSeconds` > 0): 1512.
    pub async fn mute_group_member(&self, actor: &Actor, req: MuteGroupMemberReq) -> ImResult<()> {
        if req.muted_seconds == 0 {
            return Err(ImError::args("mutedSeconds is empty"));
        }
        self.mute_member(actor, &req.group_id, &req.user_id, req.muted_seconds).await
    }

    /// `cancel_mute_group_member`: 1513.
    pub async fn cancel_mute_group_member(&self, actor: &Actor, req: CancelMuteGroupMemberReq) -> ImResult<()> {
        self.mute_member(actor, &req.group_id, &req.user_id, 0).await
    }
}
