//! Session-type rules of a send (reference §6.5 step 3).

use im_domain::constants::{
    content_type, group_role, group_status, group_type, notification, recv_msg_opt, session_type,
};
use im_domain::ids;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;

use crate::Messaging;
use crate::options::{self, key};

/// What the rules decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Verdict {
    /// The recipient does not receive it: drop silently (the sender still gets an answer).
    pub drop: bool,
    /// The sender was checked and is a member of the group (group sends).
    pub sender_is_member: bool,
}

/// Applies the rules of `msg`'s session type; may turn `offlinePush` off.
pub(crate) async fn verify(m: &Messaging, t: &TenantId, msg: &mut MsgData) -> ImResult<Verdict> {
    match msg.session_type {
        session_type::SINGLE => single(m, t, msg).await,
        session_type::READ_GROUP => group(m, t, msg).await,
        session_type::NOTIFICATION => {
            if msg.recv_id.is_empty() {
                return Err(ImError::args("recvID is empty"));
            }
            Ok(Verdict::default())
        }
        _ => Err(ImError::args("unknown sessionType")),
    }
}

/// Admins and notification content types skip the relation and membership checks.
fn skips_checks(m: &Messaging, msg: &MsgData) -> bool {
    m.config().is_admin(&msg.send_id) || content_type::is_notification(msg.content_type)
}

async fn single(m: &Messaging, t: &TenantId, msg: &mut MsgData) -> ImResult<Verdict> {
    if msg.recv_id.is_empty() {
        return Err(ImError::args("recvID is empty"));
    }
    if !skips_checks(m, msg) {
        if m.relations().is_blocked(t, &msg.recv_id, &msg.send_id).await? {
            return Err(ErrCode::BlockedByPeer.into());
        }
        if m.config().friend_verify && !m.relations().is_friend(t, &msg.recv_id, &msg.send_id).await? {
            return Err(ErrCode::NotPeersFriend.into());
        }
    }
    if options::is_notification(&msg.options) {
        return Ok(Verdict::default());
    }
    // The recipient's receive options: global first, then the conversation's.
    let global = m.users().global_recv_msg_opt(t, &msg.recv_id).await?;
    match global.ok_or_else(|| ImError::not_found("userID not found"))? {
        recv_msg_opt::NOT_RECEIVE => return Ok(Verdict { drop: true, ..Verdict::default() }),
        recv_msg_opt::NOT_NOTIFY => {
            options::set(&mut msg.options, key::OFFLINE_PUSH, false);
            return Ok(Verdict::default());
        }
        _ => {}
    }
    let cid = ids::chat_conversation_id(session_type::SINGLE, &msg.send_id, &msg.recv_id, "").unwrap_or_default();
    match m.conversations().recv_msg_opt(t, &msg.recv_id, &cid).await? {
        Some(recv_msg_opt::NOT_RECEIVE) if msg.content_type != notification::HAS_READ_RECEIPT => {
            Ok(Verdict { drop: true, ..Verdict::default() })
        }
        Some(recv_msg_opt::NOT_NOTIFY) => {
            options::set(&mut msg.options, key::OFFLINE_PUSH, false);
            Ok(Verdict::default())
        }
        _ => Ok(Verdict::default()),
    }
}

async fn group(m: &Messaging, t: &TenantId, msg: &MsgData) -> ImResult<Verdict> {
    if msg.group_id.is_empty() {
        return Err(ImError::args("groupID is empty"));
    }
    let g = m.groups().group(t, &msg.group_id).await?.ok_or_else(|| ImError::not_found("group not found"))?;
    if g.status == group_status::DISMISSED && msg.content_type != notification::GROUP_DISMISSED {
        return Err(ErrCode::DismissedAlready.into());
    }
    if g.group_type == group_type::SUPER || skips_checks(m, msg) {
        return Ok(Verdict::default());
    }
    let member = m.groups().member(t, &msg.group_id, &msg.send_id).await?.ok_or(ErrCode::NotInGroupYet)?;
    let member_verdict = Verdict { drop: false, sender_is_member: true };
    if member.role_level == group_role::OWNER {
        return Ok(member_verdict);
    }
    if member.mute_end_time >= m.now_ms() {
        return Err(ErrCode::MutedInGroup.into());
    }
    if g.status == group_status::MUTED && member.role_level != group_role::ADMIN {
        return Err(ErrCode::MutedGroup.into());
    }
    Ok(member_verdict)
}
