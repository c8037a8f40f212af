//! `/msg/revoke_msg` (reference §6.7).
//!
//! Rules for a non-admin revoker: single chat → only the sender; group → the sender, the owner
//! (any message), an admin (only ordinary members' messages); other session types → nobody.
//! The item gets `rv` under the condition that it has none (a concurrent second revoke → 1404),
//! and a reliable 2101 notification with `RevokeMsgTips` goes out in the message's session type.

use im_domain::constants::{group_role, msg_status, notification, session_type};
use im_domain::ports::Reliability;
use im_domain::store::{Condition, Consistency, StoreError, Update};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_wire::pb::msg::RevokeMsgReq;
use im_wire::pb::sdkws::{MsgData, RevokeMsgTips};

use crate::record::{self, RevokeInfo, attr};
use crate::{Messaging, keys};

/// Whether `revoker` (not an app admin) may revoke `msg`, given their and the sender's group
/// role levels (`None`: not a member / not a group).
pub fn may_revoke(msg: &MsgData, revoker: &str, revoker_role: Option<i32>, sender_role: Option<i32>) -> bool {
    if msg.send_id == revoker {
        return matches!(msg.session_type, session_type::SINGLE | session_type::READ_GROUP);
    }
    match (msg.session_type, revoker_role) {
        (session_type::READ_GROUP, Some(group_role::OWNER)) => true,
        (session_type::READ_GROUP, Some(group_role::ADMIN)) => {
            sender_role.is_none_or(|r| r != group_role::OWNER && r != group_role::ADMIN)
        }
        _ => false,
    }
}

impl Messaging {
    /// Revokes message `req.seq` of `req.conversationID` as `req.userID` (`is_admin`: the caller
    /// is an app admin, who may revoke anything they can read).
    pub async fn revoke(&self, t: &TenantId, req: &RevokeMsgReq, is_admin: bool) -> ImResult<()> {
        if req.seq < 1 {
            return Err(ImError::args("seq must be at least 1"));
        }
        if req.user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        let cid = req.conversation_id.as_str();
        let vis = self.visible_or_404(t, &req.user_id, cid).await?;
        let not_found = || ImError::not_found(format!("message {} of {cid} not found", req.seq));
        if req.seq < vis.min() || req.seq > vis.max() {
            return Err(not_found());
        }
        let key = keys::message(t, cid, req.seq);
        let item = self.store().get(&key, Consistency::Strong).await?.ok_or_else(not_found)?;
        let seen = record::view(&item, &req.user_id).ok_or_else(not_found)?;
        if seen.status == msg_status::DELETED {
            return Err(not_found());
        }
        if RevokeInfo::of(&item).is_some() {
            return Err(ImError::new(ErrCode::MsgAlreadyRevoke, "message already revoked"));
        }
        let msg = record::stored_msg(&item).ok_or_else(not_found)?;
        let is_group = msg.session_type == session_type::READ_GROUP;
        let revoker_role = if is_group { self.role(t, &msg.group_id, &req.user_id).await? } else { None };
        if !is_admin {
            let sender_role = if is_group && msg.send_id != req.user_id {
                self.role(t, &msg.group_id, &msg.send_id).await?
            } else {
                None
            };
            if !may_revoke(&msg, &req.user_id, revoker_role, sender_role) {
                return Err(ImError::no_permission("not allowed to revoke this message"));
            }
        }
        let nickname = self.users().get(t, &req.user_id).await?.map(|u| u.nickname).unwrap_or_default();
        let info = RevokeInfo {
            role: revoker_role.unwrap_or_default(),
            user_id: req.user_id.clone(),
            nickname,
            time: self.now_ms(),
        };
        let update = Update::new().set(attr::RV, info.to_attr());
        match self.store().update(&key, &update, Some(Condition::NotExists(attr::RV.to_string()))).await {
            Ok(_) => {}
            Err(StoreError::ConditionFailed) => {
                return Err(ImError::new(ErrCode::MsgAlreadyRevoke, "message already revoked"));
            }
            Err(e) => return Err(e.into()),
        }
        let tips = RevokeMsgTips {
            revoker_user_id: req.user_id.clone(),
            client_msg_id: msg.client_msg_id.clone(),
            revoke_time: info.time,
            sesstion_type: msg.session_type,
            seq: req.seq,
            conversation_id: cid.to_string(),
            is_admin_revoke: is_admin && msg.send_id != req.user_id,
        };
        let (recv, group) =
            if is_group { (msg.group_id.as_str(), msg.group_id.as_str()) } else { (msg.recv_id.as_str(), "") };
        let n = super::notification(
            t,
            notification::MSG_REVOKE,
            (&req.user_id, recv, group),
            msg.session_type,
            &tips,
            Reliability::Stored,
        );
        self.emit(n).await;
        Ok(())
    }

    async fn role(&self, t: &TenantId, group: &str, user: &str) -> ImResult<Option<i32>> {
        Ok(self.groups().member(t, group, user).await?.map(|m| m.role_level))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(session: i32, sender: &str) -> MsgData {
        MsgData { send_id: sender.into(), session_type: session, ..MsgData::default() }
    }

    #[test]
    fn revoke_rules() {
        let single = msg(session_type::SINGLE, "a");
        assert!(may_revoke(&single, "a", None, None));
        assert!(!may_revoke(&single, "b", None, None));
        let group = msg(session_type::READ_GROUP, "m");
        assert!(may_revoke(&group, "m", Some(group_role::ORDINARY), None));
        assert!(may_revoke(&group, "o", Some(group_role::OWNER), Some(group_role::ADMIN)));
        assert!(may_revoke(&group, "ad", Some(group_role::ADMIN), Some(group_role::ORDINARY)));
        assert!(!may_revoke(&group, "ad", Some(group_role::ADMIN), Some(group_role::ADMIN)));
        assert!(!may_revoke(&group, "ad", Some(group_role::ADMIN), Some(group_role::OWNER)));
        assert!(!may_revoke(&group, "x", Some(group_role::ORDINARY), Some(group_role::ORDINARY)));
        assert!(!may_revoke(&msg(session_type::NOTIFICATION, "a"), "a", None, None));
    }
}
