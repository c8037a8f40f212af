//! `create_group`: a working group with its owner, admins and members.

use im_domain::constants::{group_role, group_type, join_source, notification as nt};
use im_domain::{ErrCode, ImError, ImResult};
use im_repo::version::ChangeState;
use im_wire::pb::group::{CreateGroupReq, CreateGroupResp};
use im_wire::pb::sdkws::{GroupCreatedTips, GroupInfoSetAnnouncementTips};

use super::{Actor, GroupService, MAX_IDS, check_distinct};
use crate::ids;
use crate::records::{GroupRecord, MemberRecord};

/// Attempts at finding a free generated group ID.
const ID_ATTEMPTS: usize = 10;

impl GroupService {
    /// Creates a group (reference §1.4): `groupType` must be 2 (else 1001); the caller must be
    /// the owner or an app admin (1002); at most 1000 members; duplicate users 1001; unknown users
    /// 1101; a given group ID that exists 1202. Emits 1501 (and 1519 with an announcement).
    pub async fn create_group(&self, actor: &Actor, req: CreateGroupReq) -> ImResult<CreateGroupResp> {
        let t = &actor.tenant;
        let info = req.group_info.ok_or_else(|| ImError::args("groupInfo is empty"))?;
        if !(0..=2).contains(&info.group_type) {
            return Err(ImError::args("GroupType is invalid"));
        }
        if info.group_type != group_type::WORKING {
            return Err(ImError::args(format!("group type only supports {}", group_type::WORKING)));
        }
        if req.owner_user_id.is_empty() {
            return Err(ImError::args("ownerUserID is empty"));
        }
        if req.member_user_ids.len() > MAX_IDS {
            return Err(ImError::args("too many MemberUserIDs, need to be less than 1000"));
        }
        if !actor.is_admin && actor.user_id != req.owner_user_id {
            return Err(ImError::no_permission(format!(
                "user {} may not create a group owned by {}",
                actor.user_id, req.owner_user_id
            )));
        }
        let mut user_ids: Vec<String> = vec![req.owner_user_id.clone()];
        user_ids.extend(req.admin_user_ids.iter().cloned());
        user_ids.extend(req.member_user_ids.iter().cloned());
        if user_ids.iter().any(String::is_empty) {
            return Err(ImError::args("empty userID in the member list"));
        }
        check_distinct(&user_ids, "group member")?;
        let users = self.require_users(t, &user_ids).await?;

        let group_id = self.choose_group_id(actor, &info.group_id).await?;
        let now = self.now();
        let member = |user_id: &String, role_level| MemberRecord {
            group_id: group_id.clone(),
            user_id: user_id.clone(),
            role_level,
            join_time: now,
            join_source: join_source::INVITATION,
            operator_user_id: actor.user_id.clone(),
            inviter_user_id: actor.user_id.clone(),
            ..MemberRecord::default()
        };
        let owner = member(&req.owner_user_id, group_role::OWNER);
        let mut others: Vec<MemberRecord> = req.admin_user_ids.iter().map(|u| member(u, group_role::ADMIN)).collect();
        others.extend(req.member_user_ids.iter().map(|u| member(u, group_role::ORDINARY)));
        let group = GroupRecord {
            group_id: group_id.clone(),
            group_name: info.group_name,
            notification: info.notification,
            introduction: info.introduction,
            face_url: info.face_url,
            ex: info.ex,
            status: 0,
            creator_user_id: if info.creator_user_id.is_empty() { actor.user_id.clone() } else { info.creator_user_id },
            group_type: info.group_type,
            need_verification: info.need_verification,
            look_member_info: info.look_member_info,
            apply_member_friend: info.apply_member_friend,
            notification_update_time: info.notification_update_time,
            notification_user_id: info.notification_user_id,
            create_time: now,
            member_count: u32::try_from(user_ids.len()).unwrap_or(u32::MAX),
            owner_user_id: req.owner_user_id.clone(),
        };
        if !self.repo.create_group(t, &group, &owner, &others).await? {
            return Err(ImError::new(ErrCode::GroupIdExisted, format!("group id existed {group_id}")));
        }
        self.repo.conversation_rows_on_join(t, &group_id, &user_ids, true, now).await?;
        let changes: Vec<(&str, ChangeState)> = user_ids.iter().map(|u| (u.as_str(), ChangeState::Insert)).collect();
        let head = self.log_members(t, &group_id, &changes).await?;
        self.log_each(t, im_repo::version::LogKind::JoinedGroup, &user_ids, &group_id, ChangeState::Insert).await?;

        // Tips as OpenIM builds them: the member list stops at the operator.
        let mut all = vec![owner];
        all.extend(others);
        let upto = all.iter().position(|m| m.user_id == actor.user_id).map_or(all.len(), |i| i + 1);
        let member_list: Vec<_> = all[..upto]
            .iter()
            .map(|m| {
                let mut info = m.to_pb();
                if let Some(u) = users.get(&m.user_id) {
                    info.nickname = u.nickname.clone();
                    info.face_url = u.face_url.clone();
                    info.app_manger_level = u.app_manger_level;
                }
                info
            })
            .collect();
        let op_user = match member_list.last().filter(|m| m.user_id == actor.user_id) {
            Some(u) => u.clone(),
            None => self.op_user(actor, &group_id, None).await?,
        };
        let group_pb = group.to_pb();
        let tips = GroupCreatedTips {
            group: Some(group_pb.clone()),
            op_user: Some(op_user.clone()),
            group_owner_user: member_list.first().cloned(),
            member_list,
            operation_time: now,
            group_member_version: head.version,
            group_member_version_id: head.version_id,
        };
        self.notify(actor, &group_id, nt::GROUP_CREATED, &tips, req.send_message).await;
        if !group.notification.is_empty() {
            let tips = GroupInfoSetAnnouncementTips {
                group: Some(group_pb.clone()),
                op_user: Some(op_user),
                ..Default::default()
            };
            self.notify(actor, &group_id, nt::GROUP_INFO_SET_ANNOUNCEMENT, &tips, Some(true)).await;
        }
        Ok(CreateGroupResp { group_info: Some(group_pb) })
    }

    /// The requested group ID if free (1202 otherwise), or a generated free one.
    async fn choose_group_id(&self, actor: &Actor, requested: &str) -> ImResult<String> {
        if !requested.is_empty() {
            if self.repo.group(&actor.tenant, requested).await?.is_some() {
                return Err(ImError::new(ErrCode::GroupIdExisted, format!("group id existed {requested}")));
            }
            return Ok(requested.to_string());
        }
        for _ in 0..ID_ATTEMPTS {
            let id = ids::generate(&self.env);
            if self.repo.group(&actor.tenant, &id).await?.is_none() {
                return Ok(id);
            }
        }
        Err(ImError::new(ErrCode::Data, "group id gen error"))
    }
}
