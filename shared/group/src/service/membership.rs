//! Joining and leaving: `join_group`, `invite_user_to_group`, `group_application_response`,
//! `quit_group`, `kick_group`.

use im_domain::constants::{group_role, group_verification, handle_result, join_source, notification as nt};
use im_domain::ports::{Notification, Reliability};
use im_domain::{ErrCode, ImError, ImResult};
use im_repo::version::{ChangeState, Head, LogKind};
use im_wire::pb::group::{
    GroupApplicationResponseReq, InviteUserToGroupReq, JoinGroupReq, KickGroupMemberReq, QuitGroupReq,
};
use im_wire::pb::sdkws::{
    ConversationUpdateTips, GroupApplicationAcceptedTips, GroupApplicationRejectedTips, GroupInfo, GroupMemberFullInfo,
    JoinGroupApplicationTips, MemberEnterTips, MemberInvitedTips, MemberKickedTips, MemberQuitTips,
};

use super::{Actor, GroupService, MAX_IDS, check_distinct, uuid};
use crate::hash::go_json;
use crate::keys;
use crate::records::{MemberRecord, RequestRecord};
use crate::repo::requests::Handling;
use crate::rules::{self, Standing};

/// Members invited per 1509 notification (OpenIM inserts and notifies in batches of 50).
const INVITE_BATCH: usize = 50;

/// `receiverAs` of the application tips.
const RECEIVER_APPLICANT: i32 = 0;
const RECEIVER_ADMIN: i32 = 1;

impl GroupService {
    /// Adds members to a live group with everything that goes with it: conversation rows,
    /// member log, joined-group logs. Returns the members added and the member-log head.
    async fn admit(
        &self,
        actor: &Actor,
        group_id: &str,
        members: &[MemberRecord],
    ) -> ImResult<(Vec<MemberRecord>, Head)> {
        let t = &actor.tenant;
        let added = self.repo.add_members(t, group_id, members).await?;
        let ids: Vec<String> = added.iter().map(|m| m.user_id.clone()).collect();
        let rows = self.repo.conversation_rows_on_join(t, group_id, &ids, false, self.now()).await?;
        let changes: Vec<(&str, ChangeState)> = ids.iter().map(|u| (u.as_str(), ChangeState::Insert)).collect();
        let head = if changes.is_empty() {
            self.log().head(t, LogKind::GroupMember, group_id).await?
        } else {
            self.log_members(t, group_id, &changes).await?
        };
        self.log_each(t, LogKind::JoinedGroup, &ids, group_id, ChangeState::Insert).await?;
        let cid = keys::group_conversation_id(group_id);
        self.log_each(t, LogKind::Conversation, &rows.reset, &cid, ChangeState::Update).await?;
        Ok((added, head))
    }

    /// Removes members with everything that goes with it (member and joined-group logs, the
    /// leavers' conversation rows and their conversation-change notification). Returns the
    /// members removed and the member-log head.
    async fn depart(
        &self,
        actor: &Actor,
        group_id: &str,
        members: &[MemberRecord],
    ) -> ImResult<(Vec<MemberRecord>, Head)> {
        let t = &actor.tenant;
        let removed = self.repo.remove_members(t, group_id, members).await?;
        let ids: Vec<String> = removed.iter().map(|m| m.user_id.clone()).collect();
        let changes: Vec<(&str, ChangeState)> = ids.iter().map(|u| (u.as_str(), ChangeState::Delete)).collect();
        let head = if changes.is_empty() {
            self.log().head(t, LogKind::GroupMember, group_id).await?
        } else {
            self.log_members(t, group_id, &changes).await?
        };
        self.log_each(t, LogKind::JoinedGroup, &ids, group_id, ChangeState::Delete).await?;
        let rows = self.repo.conversation_rows_on_leave(t, group_id, &ids, self.now()).await?;
        let cid = keys::group_conversation_id(group_id);
        self.log_each(t, LogKind::Conversation, &rows.updated, &cid, ChangeState::Update).await?;
        self.log_each(t, LogKind::Conversation, &rows.deleted, &cid, ChangeState::Delete).await?;
        for user in rows.updated.iter().chain(&rows.deleted) {
            let tips = ConversationUpdateTips { user_id: user.clone(), conversation_id_list: vec![cid.clone()] };
            self.emit(Notification {
                tenant: t.clone(),
                send_id: user.clone(),
                recv_id: user.clone(),
                session_type: im_domain::constants::session_type::SINGLE,
                content_type: nt::CONVERSATION_CHANGE,
                detail: go_json(&tips),
                reliability: Reliability::OnlineOnly,
                ..Notification::default()
            })
            .await;
        }
        Ok((removed, head))
    }

    /// The group in wire form as it is now (after a change).
    async fn group_now(&self, actor: &Actor, group_id: &str) -> ImResult<GroupInfo> {
        Ok(self.repo.group_or_404(&actor.tenant, group_id).await?.to_pb())
    }

    /// Owner and admins of a group.
    async fn manager_ids(&self, actor: &Actor, group_id: &str) -> ImResult<Vec<String>> {
        Ok(self.repo.managers(&actor.tenant, group_id).await?.into_iter().map(|(u, _)| u).collect())
    }

    /// 1503 to the owner, the admins, the applicant and the operator.
    async fn notify_application(&self, actor: &Actor, group: &GroupInfo, req: &RequestRecord) -> ImResult<()> {
        let t = &actor.tenant;
        let users = self.public_users(t, std::slice::from_ref(&req.user_id)).await?;
        let applicant = users.get(&req.user_id).cloned();
        let tips = JoinGroupApplicationTips {
            group: Some(group.clone()),
            applicant: applicant.clone(),
            req_msg: req.req_msg.clone(),
            uuid: uuid(&self.env),
            request: Some(req.to_pb(applicant, None)),
        };
        let mut recipients = self.manager_ids(actor, &req.group_id).await?;
        recipients.push(req.user_id.clone());
        recipients.push(actor.user_id.clone());
        let mut seen = std::collections::HashSet::new();
        for r in recipients.iter().filter(|r| seen.insert(r.as_str())) {
            self.notify(actor, r, nt::JOIN_GROUP_APPLICATION, &tips, None).await;
        }
        Ok(())
    }

    /// 1510 for one entrant.
    async fn notify_enter(&self, actor: &Actor, group_id: &str, entrant: &MemberRecord, head: &Head) -> ImResult<()> {
        let tips = MemberEnterTips {
            group: Some(self.group_now(actor, group_id).await?),
            entrant_user: Some(self.populate_one(&actor.tenant, entrant).await?),
            operation_time: self.now(),
            group_member_version: head.version,
            group_member_version_id: head.version_id.clone(),
        };
        self.notify(actor, group_id, nt::MEMBER_ENTER, &tips, None).await;
        Ok(())
    }

    /// 1509 for invited members (one notification per 50), with the inviter.
    async fn notify_invited(
        &self,
        actor: &Actor,
        group_id: &str,
        invited: &[MemberRecord],
        inviter: GroupMemberFullInfo,
        head: &Head,
        send_message: Option<bool>,
    ) -> ImResult<()> {
        let group = self.group_now(actor, group_id).await?;
        let me = self.repo.member(&actor.tenant, group_id, &actor.user_id).await?;
        let op = self.op_user(actor, group_id, me.as_ref()).await?;
        for batch in invited.chunks(INVITE_BATCH) {
            let tips = MemberInvitedTips {
                group: Some(group.clone()),
                op_user: Some(op.clone()),
                invited_user_list: self.populate(&actor.tenant, batch).await?,
                operation_time: self.now(),
                group_member_version: head.version,
                group_member_version_id: head.version_id.clone(),
                inviter_user: Some(inviter.clone()),
            };
            self.notify(actor, group_id, nt::MEMBER_INVITED, &tips, send_message).await;
        }
        Ok(())
    }

    /// `join_group`. **[quirk]** the applicant is `inviterUserID` (the SDK sends its own ID);
    /// the hole is closed: a non-admin may only apply for themselves (empty = the caller).
    /// needVerification 2 joins at once (1510); otherwise an application is stored (1503).
    pub async fn join_group(&self, actor: &Actor, req: JoinGroupReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        if !(join_source::ADMIN..=join_source::QR_CODE).contains(&req.join_source) {
            return Err(ImError::args("joinSource is invalid"));
        }
        if req.join_source == join_source::INVITATION && req.inviter_user_id.is_empty() {
            return Err(ImError::args("inviterUserID is empty"));
        }
        let applicant =
            if req.inviter_user_id.is_empty() { actor.user_id.clone() } else { req.inviter_user_id.clone() };
        if applicant != actor.user_id && !actor.is_admin {
            return Err(ImError::no_permission(format!("user {} may not apply for {applicant}", actor.user_id)));
        }
        let t = &actor.tenant;
        self.require_users(t, std::slice::from_ref(&applicant)).await?;
        let group = self.live_group(t, &req.group_id).await?;
        if self.repo.member(t, &req.group_id, &applicant).await?.is_some() {
            return Err(ImError::args(format!("user {applicant} is already in the group")));
        }
        let now = self.now();
        if group.need_verification == group_verification::DIRECT {
            let member = MemberRecord {
                group_id: req.group_id.clone(),
                user_id: applicant.clone(),
                role_level: group_role::ORDINARY,
                join_time: now,
                join_source: req.join_source,
                operator_user_id: actor.user_id.clone(),
                inviter_user_id: req.inviter_user_id.clone(),
                ..MemberRecord::default()
            };
            let (added, head) = self.admit(actor, &req.group_id, std::slice::from_ref(&member)).await?;
            if let Some(m) = added.first() {
                self.notify_enter(actor, &req.group_id, m, &head).await?;
            }
            return Ok(());
        }
        let request = RequestRecord {
            group_id: req.group_id.clone(),
            user_id: applicant,
            req_msg: req.req_message,
            req_time: now,
            ex: req.ex,
            join_source: req.join_source,
            ..RequestRecord::default()
        };
        self.repo.put_requests(t, std::slice::from_ref(&request)).await?;
        self.notify_application(actor, &group.to_pb(), &request).await
    }

    /// `invite_user_to_group` (members and app admins): with needVerification 1 an ordinary
    /// member's invitations become applications (1503); otherwise the users join (1509).
    /// Users who are members already are skipped.
    pub async fn invite_user_to_group(&self, actor: &Actor, req: InviteUserToGroupReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        if req.invited_user_ids.is_empty() {
            return Err(ImError::args("invitedUserIDs is empty"));
        }
        if req.invited_user_ids.len() > MAX_IDS {
            return Err(ImError::args("too many InvitedUserIDs, need to be less than 1000"));
        }
        check_distinct(&req.invited_user_ids, "userID")?;
        let t = &actor.tenant;
        let group = self.live_group(t, &req.group_id).await?;
        self.require_users(t, &req.invited_user_ids).await?;
        let (standing, me) = self.standing(actor, &req.group_id).await?;
        rules::check_member(standing)?;
        let now = self.now();
        if group.need_verification == group_verification::ALL_NEED
            && matches!(standing, Standing::Member(r) if !rules::is_manager(r))
        {
            let requests: Vec<RequestRecord> = req
                .invited_user_ids
                .iter()
                .map(|u| RequestRecord {
                    group_id: req.group_id.clone(),
                    user_id: u.clone(),
                    req_msg: req.reason.clone(),
                    req_time: now,
                    join_source: join_source::INVITATION,
                    inviter_user_id: actor.user_id.clone(),
                    ..RequestRecord::default()
                })
                .collect();
            self.repo.put_requests(t, &requests).await?;
            let group = group.to_pb();
            for r in &requests {
                self.notify_application(actor, &group, r).await?;
            }
            return Ok(());
        }
        let members: Vec<MemberRecord> = req
            .invited_user_ids
            .iter()
            .map(|u| MemberRecord {
                group_id: req.group_id.clone(),
                user_id: u.clone(),
                role_level: group_role::ORDINARY,
                join_time: now,
                join_source: join_source::INVITATION,
                operator_user_id: actor.user_id.clone(),
                inviter_user_id: actor.user_id.clone(),
                ..MemberRecord::default()
            })
            .collect();
        let (added, head) = self.admit(actor, &req.group_id, &members).await?;
        if !added.is_empty() {
            let inviter = self.op_user(actor, &req.group_id, me.as_ref()).await?;
            self.notify_invited(actor, &req.group_id, &added, inviter, &head, req.send_message).await?;
        }
        Ok(())
    }

    /// `group_application_response` (owner/admin): 1 accepts (the applicant joins unless a
    /// member already; 1510, or 1509 for an invitation), -1 refuses; 1505/1506 to the owner,
    /// the admins and the applicant. A handled application is 1206.
    pub async fn group_application_response(&self, actor: &Actor, req: GroupApplicationResponseReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        if req.from_user_id.is_empty() {
            return Err(ImError::args("fromUserID is empty"));
        }
        if req.handle_result != handle_result::AGREE && req.handle_result != handle_result::REFUSE {
            return Err(ImError::args("HandleResult unknown"));
        }
        let t = &actor.tenant;
        let (standing, me) = self.standing(actor, &req.group_id).await?;
        rules::check_manage(standing)?;
        let group = self.repo.group_or_404(t, &req.group_id).await?;
        let accept = req.handle_result == handle_result::AGREE;
        if accept && group.is_dismissed() {
            return Err(ImError::new(ErrCode::DismissedAlready, "group dismissed"));
        }
        self.require_users(t, std::slice::from_ref(&req.from_user_id)).await?;
        let in_group = self.repo.member(t, &req.group_id, &req.from_user_id).await?.is_some();
        let handling = Handling {
            result: req.handle_result,
            message: &req.handled_msg,
            handler: &actor.user_id,
            time: self.now(),
        };
        let request = self.repo.handle_request(t, &req.group_id, &req.from_user_id, &handling).await?;
        let mut entered = None;
        if accept && !in_group {
            let member = MemberRecord {
                group_id: req.group_id.clone(),
                user_id: req.from_user_id.clone(),
                role_level: group_role::ORDINARY,
                join_time: self.now(),
                join_source: request.join_source,
                operator_user_id: actor.user_id.clone(),
                inviter_user_id: request.inviter_user_id.clone(),
                ..MemberRecord::default()
            };
            let (added, head) = self.admit(actor, &req.group_id, std::slice::from_ref(&member)).await?;
            entered = added.into_iter().next().map(|m| (m, head));
        }
        let group_pb = self.group_now(actor, &req.group_id).await?;
        let op = self.op_user(actor, &req.group_id, me.as_ref()).await?;
        let users = self.public_users(t, std::slice::from_ref(&req.from_user_id)).await?;
        let request_pb = request.to_pb(users.get(&req.from_user_id).cloned(), None);
        let id = uuid(&self.env);
        let mut recipients: Vec<(String, i32)> =
            self.manager_ids(actor, &req.group_id).await?.into_iter().map(|u| (u, RECEIVER_ADMIN)).collect();
        recipients.push((req.from_user_id.clone(), RECEIVER_APPLICANT));
        for (user, receiver_as) in recipients {
            if accept {
                let tips = GroupApplicationAcceptedTips {
                    group: Some(group_pb.clone()),
                    op_user: Some(op.clone()),
                    handle_msg: req.handled_msg.clone(),
                    receiver_as,
                    uuid: id.clone(),
                    request: Some(request_pb.clone()),
                };
                self.notify(actor, &user, nt::GROUP_APPLICATION_ACCEPTED, &tips, None).await;
            } else {
                let tips = GroupApplicationRejectedTips {
                    group: Some(group_pb.clone()),
                    op_user: Some(op.clone()),
                    handle_msg: req.handled_msg.clone(),
                    receiver_as,
                    uuid: id.clone(),
                    request: Some(request_pb.clone()),
                };
                self.notify(actor, &user, nt::GROUP_APPLICATION_REJECTED, &tips, None).await;
            }
        }
        if let Some((member, head)) = entered {
            if request.inviter_user_id.is_empty() {
                self.notify_enter(actor, &req.group_id, &member, &head).await?;
            } else {
                let inviter_record = self.repo.member(t, &req.group_id, &request.inviter_user_id).await?;
                let inviter = match inviter_record {
                    Some(m) => self.populate_one(t, &m).await?,
                    None => {
                        let who =
                            Actor { user_id: request.inviter_user_id.clone(), is_admin: false, tenant: t.clone() };
                        self.op_user(&who, &req.group_id, None).await?
                    }
                };
                self.notify_invited(actor, &req.group_id, std::slice::from_ref(&member), inviter, &head, None).await?;
            }
        }
        Ok(())
    }

    /// `quit_group`: the caller (empty `userID`) or, for app admins, anyone; the owner cannot
    /// quit (1002); a non-member is 1004. Sets the leaver's `sg_` row `maxSeq` (§6.3); 1504.
    pub async fn quit_group(&self, actor: &Actor, req: QuitGroupReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let user = if req.user_id.is_empty() { actor.user_id.clone() } else { req.user_id.clone() };
        if user != actor.user_id && !actor.is_admin {
            return Err(ImError::no_permission(format!("user {} may not act for user {user:?}", actor.user_id)));
        }
        let t = &actor.tenant;
        let member = self
            .repo
            .member(t, &req.group_id, &user)
            .await?
            .ok_or_else(|| ImError::not_found(format!("user {user} is not in group {}", req.group_id)))?;
        if member.role_level == group_role::OWNER {
            return Err(ImError::no_permission("group owner can't quit"));
        }
        let quit_user = self.populate_one(t, &member).await?;
        let (removed, head) = self.depart(actor, &req.group_id, std::slice::from_ref(&member)).await?;
        if removed.is_empty() {
            return Ok(());
        }
        let tips = MemberQuitTips {
            group: Some(self.group_now(actor, &req.group_id).await?),
            quit_user: Some(quit_user),
            operation_time: self.now(),
            group_member_version: head.version,
            group_member_version_id: head.version_id,
        };
        self.notify(actor, &req.group_id, nt::MEMBER_QUIT, &tips, None).await;
        Ok(())
    }

    /// `kick_group`: the owner kicks anyone, an admin ordinary members (1002 otherwise);
    /// nobody kicks themselves or the owner (1001); non-members are 1101. Sets the kicked
    /// members' `sg_` rows `maxSeq` (§6.3); 1508.
    pub async fn kick_group(&self, actor: &Actor, req: KickGroupMemberReq) -> ImResult<()> {
        if req.group_id.is_empty() {
            return Err(ImError::args("groupID is empty"));
        }
        let t = &actor.tenant;
        let group = self.repo.group_or_404(t, &req.group_id).await?;
        if req.kicked_user_ids.is_empty() {
            return Err(ImError::args("KickedUserIDs empty"));
        }
        if req.kicked_user_ids.len() > MAX_IDS {
            return Err(ImError::args("too many KickedUserIDs, need to be less than 1000"));
        }
        check_distinct(&req.kicked_user_ids, "KickedUserIDs")?;
        if req.kicked_user_ids.contains(&actor.user_id) {
            return Err(ImError::args("opUserID in KickedUserIDs"));
        }
        if req.kicked_user_ids.contains(&group.owner_user_id) {
            return Err(ImError::args("ownerUID can not Kick"));
        }
        let found = crate::repo::members::by_user(self.repo.members_of(t, &req.group_id, &req.kicked_user_ids).await?);
        let (standing, me) = self.standing(actor, &req.group_id).await?;
        let mut targets = Vec::with_capacity(req.kicked_user_ids.len());
        for user in &req.kicked_user_ids {
            let m = found.get(user).ok_or_else(|| ImError::new(ErrCode::UserIdNotFound, user.clone()))?;
            rules::check_kick(standing, m.role_level)?;
            targets.push(m.clone());
        }
        let kicked = self.populate(t, &targets).await?;
        let (removed, head) = self.depart(actor, &req.group_id, &targets).await?;
        if removed.is_empty() {
            return Ok(());
        }
        let tips = MemberKickedTips {
            group: Some(self.group_now(actor, &req.group_id).await?),
            op_user: Some(self.op_user(actor, &req.group_id, me.as_ref()).await?),
            kicked_user_list: kicked.into_iter().filter(|k| removed.iter().any(|r| r.user_id == k.user_id)).collect(),
            operation_time: self.now(),
            group_member_version: head.version,
            group_member_version_id: head.version_id,
        };
        self.notify(actor, &req.group_id, nt::MEMBER_KICKED, &tips, req.send_message).await;
        Ok(())
    }
}
