//! Group-level changes: info (`set_group_info`, `set_group_info_ex`), group mute, dismissal.

use im_domain::constants::{group_status, notification as nt};
use im_domain::store::Update;
use im_domain::{ErrCode, ImError, ImResult};
use im_repo::version::{ChangeState, LogKind, OWNER_ELEMENT_ID};
use im_wire::pb::group::{CancelMuteGroupReq, DismissGroupReq, MuteGroupReq, SetGroupInfoExReq, SetGroupInfoReq};
use im_wire::pb::sdkws::{
    GroupCancelMutedTips, GroupDismissedTips, GroupInfoSetAnnouncementTips, GroupInfoSetNameTips, GroupInfoSetTips,
    GroupMutedTips,
};

use super::{Actor, GroupService};
use crate::records::{GroupRecord, group_attr as ga};
use crate::rules::{self, Standing};

/// Which notifications an info change triggers.
#[derive(Debug, Default)]
struct InfoChange {
    update: Option<Update>,
    name: bool,
    /// `Some(non-empty)` when the announcement changed.
    announcement: Option<bool>,
    other: bool,
}

impl InfoChange {
    fn set(&mut self, attr: &str, value: impl Into<im_domain::store::AttrValue>) {
        let u = self.update.take().unwrap_or_default();
        self.update = Some(u.set(attr, value));
    }
}

impl GroupService {
    /// Owner/admin (or app admin) check, then the live group.
    async fn managed_group(&self, actor: &Actor, group_id: &str) -> ImResult<(GroupRecord, Standing)> {
        if group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let (standing, _) = self.standing(actor, group_id).await?;
        rules::check_manage(standing)?;
        let group = self.live_group(&actor.tenant, group_id).await?;
        Ok((group, standing))
    }

    /// Applies an info change and sends 1519 (announcement), 1520 (name), 1502 (anything else).
    async fn apply_info(&self, actor: &Actor, group_id: &str, change: InfoChange) -> ImResult<()> {
        let Some(update) = change.update else { return Ok(()) };
        let t = &actor.tenant;
        let group = self.repo.update_group(t, group_id, update, true).await?.to_pb();
        let head = self.log_members(t, group_id, &[(OWNER_ELEMENT_ID, ChangeState::Update)]).await?;
        let me = self.repo.member(t, group_id, &actor.user_id).await?;
        let op = self.op_user(actor, group_id, me.as_ref()).await?;
        let (version, version_id) = (head.version, head.version_id);
        if let Some(non_empty) = change.announcement {
            let tips = GroupInfoSetAnnouncementTips {
                op_user: Some(op.clone()),
                group: Some(group.clone()),
                group_member_version: version,
                group_member_version_id: version_id.clone(),
            };
            self.notify(actor, group_id, nt::GROUP_INFO_SET_ANNOUNCEMENT, &tips, Some(non_empty)).await;
        }
        if change.name {
            let tips = GroupInfoSetNameTips {
                op_user: Some(op.clone()),
                group: Some(group.clone()),
                group_member_version: version,
                group_member_version_id: version_id.clone(),
            };
            self.notify(actor, group_id, nt::GROUP_INFO_SET_NAME, &tips, None).await;
        }
        if change.other {
            let tips = GroupInfoSetTips {
                op_user: Some(op),
                mute_time: 0,
                group: Some(group),
                group_member_version: version,
                group_member_version_id: version_id,
            };
            self.notify(actor, group_id, nt::GROUP_INFO_SET, &tips, None).await;
        }
        Ok(())
    }

    /// `set_group_info`: empty strings and absent wrappers leave fields unchanged.
    pub async fn set_group_info(&self, actor: &Actor, req: SetGroupInfoReq) -> ImResult<()> {
        let set = req.group_info_for_set.ok_or_else(|| ImError::args("GroupInfoForSets is empty"))?;
        if set.group_id.is_empty() {
            return Err(ImError::args("GroupID is empty"));
        }
        self.managed_group(actor, &set.group_id).await?;
        let mut c = InfoChange::default();
        if !set.group_name.is_empty() {
            c.set(ga::NAME, set.group_name.as_str());
            c.name = true;
        }
        if !set.notification.is_empty() {
            self.set_announcement(actor, &mut c, &set.notification);
        }
        for (attr, value) in [(ga::INTRODUCTION, &set.introduction), (ga::FACE_URL, &set.face_url)] {
            if !value.is_empty() {
                c.set(attr, value.as_str());
                c.other = true;
            }
        }
        self.set_common(&mut c, set.need_verification, set.look_member_info, set.apply_member_friend, set.ex);
        self.apply_info(actor, &set.group_id, c).await
    }

    /// `set_group_info_ex`: wrapper fields, `null` = unchanged; a blank name is 1001.
    pub async fn set_group_info_ex(&self, actor: &Actor, req: SetGroupInfoExReq) -> ImResult<()> {
        self.managed_group(actor, &req.group_id).await?;
        let mut c = InfoChange::default();
        if let Some(name) = &req.group_name {
            if name.trim().is_empty() {
                return Err(ImError::args("group name is empty"));
            }
            c.set(ga::NAME, name.as_str());
            c.name = true;
        }
        if let Some(n) = &req.notification {
            self.set_announcement(actor, &mut c, n.trim());
        }
        for (attr, value) in [(ga::INTRODUCTION, &req.introduction), (ga::FACE_URL, &req.face_url)] {
            if let Some(v) = value {
                c.set(attr, v.as_str());
                c.other = true;
            }
        }
        self.set_common(&mut c, req.need_verification, req.look_member_info, req.apply_member_friend, req.ex);
        self.apply_info(actor, &req.group_id, c).await
    }

    fn set_announcement(&self, actor: &Actor, c: &mut InfoChange, text: &str) {
        c.set(ga::NOTIFICATION, text);
        c.set(ga::NOTIFICATION_USER, actor.user_id.as_str());
        c.set(ga::NOTIFICATION_UPDATE_TIME, self.now());
        c.announcement = Some(!text.is_empty());
    }

    fn set_common(
        &self,
        c: &mut InfoChange,
        verification: Option<i32>,
        look: Option<i32>,
        apply: Option<i32>,
        ex: Option<String>,
    ) {
        for (attr, value) in
            [(ga::NEED_VERIFICATION, verification), (ga::LOOK_MEMBER_INFO, look), (ga::APPLY_MEMBER_FRIEND, apply)]
        {
            if let Some(v) = value {
                c.set(attr, v);
                c.other = true;
            }
        }
        if let Some(ex) = ex {
            c.set(ga::EX, ex);
            c.other = true;
        }
    }

    /// Sets the group status (mute/unmute) and notifies.
    async fn set_status(&self, actor: &Actor, group_id: &str, status: i32, content_type: i32) -> ImResult<()> {
        self.managed_group(actor, group_id).await?;
        let t = &actor.tenant;
        let update = Update::new().set(ga::STATUS, status);
        let group = self.repo.update_group(t, group_id, update, true).await?.to_pb();
        let head = self.log_members(t, group_id, &[(OWNER_ELEMENT_ID, ChangeState::Update)]).await?;
        let me = self.repo.member(t, group_id, &actor.user_id).await?;
        let op = Some(self.op_user(actor, group_id, me.as_ref()).await?);
        let (v, vid) = (head.version, head.version_id);
        if status == group_status::MUTED {
            let tips = GroupMutedTips {
                group: Some(group),
                op_user: op,
                operation_time: self.now(),
                group_member_version: v,
                group_member_version_id: vid,
            };
            self.notify(actor, group_id, content_type, &tips, None).await;
        } else {
            let tips = GroupCancelMutedTips {
                group: Some(group),
                op_user: op,
                operation_time: self.now(),
                group_member_version: v,
                group_member_version_id: vid,
            };
            self.notify(actor, group_id, content_type, &tips, None).await;
        }
        Ok(())
    }

    /// `mute_group`: status 3 (owner/admin); 1514. A dismissed group stays dismissed (1204).
    pub async fn mute_group(&self, actor: &Actor, req: MuteGroupReq) -> ImResult<()> {
        self.set_status(actor, &req.group_id, group_status::MUTED, nt::GROUP_MUTED).await
    }

    /// `cancel_mute_group`: status 0 (owner/admin); 1515.
    pub async fn cancel_mute_group(&self, actor: &Actor, req: CancelMuteGroupReq) -> ImResult<()> {
        self.set_status(actor, &req.group_id, group_status::OK, nt::GROUP_CANCEL_MUTED).await
    }

    /// `dismiss_group` (owner or app admin): status 2. With `deleteMember` every member is
    /// removed (joined-group logs get the deletion) and, as in OpenIM, no 1511 is sent; without
    /// it the members stay and 1511 goes to the group.
    pub async fn dismiss_group(&self, actor: &Actor, req: DismissGroupReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let t = &actor.tenant;
        let group = self.repo.group_or_404(t, &req.group_id).await?;
        let (standing, me) = self.standing(actor, &req.group_id).await?;
        rules::check_dismiss(standing)?;
        if !req.delete_member && group.is_dismissed() {
            return Err(ImError::new(ErrCode::DismissedAlready, "group status is dismissed"));
        }
        let update = Update::new().set(ga::STATUS, group_status::DISMISSED);
        let group = self.repo.update_group(t, &req.group_id, update, false).await?;
        if req.delete_member {
            let members = self.repo.all_members(t, &req.group_id).await?;
            self.repo.delete_all_members(t, &req.group_id, &members).await?;
            let ids: Vec<String> = members.into_iter().map(|m| m.user_id).collect();
            self.log_each(t, LogKind::JoinedGroup, &ids, &req.group_id, ChangeState::Delete).await?;
            return Ok(());
        }
        self.log_members(t, &req.group_id, &[(OWNER_ELEMENT_ID, ChangeState::Update)]).await?;
        let op = self.op_user(actor, &req.group_id, me.as_ref()).await?;
        let tips = GroupDismissedTips { group: Some(group.to_pb()), op_user: Some(op), operation_time: self.now() };
        self.notify(actor, &req.group_id, nt::GROUP_DISMISSED, &tips, req.send_message).await;
        Ok(())
    }
}
