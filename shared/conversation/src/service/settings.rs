//! `/conversation/set_conversations`: write the non-null settings on several users' rows,
//! creating missing rows, logging each change in the owner's version log and notifying each
//! changed owner (1300); `isPrivateChat` is mirrored onto the peer's row with a 1701 notice.

use std::collections::HashSet;

use im_domain::constants::{notification, session_type};
use im_domain::ids::chat_conversation_id;
use im_domain::ports::{Notification, Reliability};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_wire::pb::conversation::SetConversationsReq;
use im_wire::pb::sdkws::{ConversationSetPrivateTips, ConversationUpdateTips};

use super::{Actor, ConversationService, require};
use crate::patch::ConversationPatch;
use crate::record::ConversationRecord;

impl ConversationService {
    /// `/conversation/set_conversations`. Ordinary callers may only name themselves in `userIDs`,
    /// may not move `minSeq`/`maxSeq` (ignored), and may only create a missing row for a
    /// conversation they take part in (its ID must match the type and peer/group; group rows need
    /// membership).
    pub async fn set_conversations(&self, actor: &Actor, t: &TenantId, req: &SetConversationsReq) -> ImResult<()> {
        if req.user_ids.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        let c = req.conversation.as_ref().ok_or_else(|| ImError::args("conversation is empty"))?;
        require(&c.conversation_id, "conversationID")?;
        if c.conversation_type == 0 {
            return Err(ImError::args("conversationType is invalid"));
        }
        if c.conversation_type == session_type::SINGLE {
            require(&c.user_id, "userID")?;
        }
        if c.conversation_type == session_type::READ_GROUP {
            require(&c.group_id, "groupID")?;
        }
        let mut seen = HashSet::new();
        let owners: Vec<&String> = req.user_ids.iter().filter(|u| seen.insert(u.as_str())).collect();
        for owner in &owners {
            actor.check_self(owner)?;
        }
        let mut patch = ConversationPatch::from_req(c);
        patch.validate()?;
        if !actor.is_admin {
            patch.min_seq = None;
            patch.max_seq = None;
        }
        let private = patch.is_private_chat.take();
        let template = ConversationRecord::new(&c.conversation_id, c.conversation_type)
            .with_user(&c.user_id)
            .with_group(&c.group_id);

        if !patch.is_empty() {
            for owner in &owners {
                if !actor.is_admin && self.repo.get(t, owner, &c.conversation_id).await?.is_none() {
                    self.check_may_create(t, owner, &template).await?;
                }
                if self.repo.set_fields(t, owner, &template, &patch).await?.changed() {
                    self.notify_change(t, owner, &c.conversation_id).await;
                }
            }
        }
        if let Some(private) = private {
            self.set_private(t, &owners, &template, private).await?;
        }
        Ok(())
    }

    /// Mirrors `isPrivateChat` onto both sides of a two-party conversation and tells the peer.
    /// Group conversations have no private mode (ignored, as OpenIM).
    async fn set_private(
        &self,
        t: &TenantId,
        owners: &[&String],
        template: &ConversationRecord,
        private: bool,
    ) -> ImResult<()> {
        let kind = template.conversation_type;
        if kind != session_type::SINGLE && kind != session_type::NOTIFICATION {
            return Ok(());
        }
        let patch = ConversationPatch { is_private_chat: Some(private), ..Default::default() };
        let cid = &template.conversation_id;
        for owner in owners {
            let peer = template.user_id.as_str();
            if peer.is_empty() || chat_conversation_id(kind, owner, peer, "").as_deref() != Some(cid.as_str()) {
                return Err(ImError::args("conversationID does not match the conversation's users"));
            }
            let mine = template.clone().with_user(peer);
            let theirs = template.clone().with_user(owner.as_str());
            self.repo.set_fields(t, owner, &mine, &patch).await?;
            if peer != owner.as_str() {
                self.repo.set_fields(t, peer, &theirs, &patch).await?;
            }
            let tips = ConversationSetPrivateTips {
                recv_id: peer.to_string(),
                send_id: owner.to_string(),
                is_private: private,
                conversation_id: cid.clone(),
            };
            self.notify(t, owner, peer, notification::CONVERSATION_PRIVATE_CHAT, &tips, true).await;
        }
        Ok(())
    }

    /// 1001/1203 unless `owner` takes part in the conversation `template` describes.
    async fn check_may_create(&self, t: &TenantId, owner: &str, template: &ConversationRecord) -> ImResult<()> {
        let kind = template.conversation_type;
        let expected = match kind {
            session_type::SINGLE | session_type::NOTIFICATION => {
                chat_conversation_id(kind, owner, &template.user_id, "")
            }
            session_type::WRITE_GROUP | session_type::READ_GROUP => {
                chat_conversation_id(kind, "", "", &template.group_id)
            }
            _ => return Err(ImError::args("conversationType is invalid")),
        };
        if expected.as_deref() != Some(template.conversation_id.as_str()) {
            return Err(ImError::args("conversationID does not match conversationType, userID and groupID"));
        }
        if (kind == session_type::WRITE_GROUP || kind == session_type::READ_GROUP)
            && self.groups.member(t, &template.group_id, owner).await?.is_none()
        {
            return Err(ImError::new(ErrCode::NotInGroupYet, format!("{owner} is not in group {}", template.group_id)));
        }
        Ok(())
    }

    /// Sends a 1300 ConversationChange notification to `owner` (failures are logged).
    async fn notify_change(&self, t: &TenantId, owner: &str, cid: &str) {
        let tips = ConversationUpdateTips { user_id: owner.to_string(), conversation_id_list: vec![cid.to_string()] };
        self.notify(t, owner, owner, notification::CONVERSATION_CHANGE, &tips, false).await;
    }

    /// Sends a single-chat notification from `send_id` to `recv_id` (failures are logged).
    async fn notify<T: im_wire::pb::WireMessage>(
        &self,
        t: &TenantId,
        send_id: &str,
        recv_id: &str,
        content_type: i32,
        tips: &T,
        is_send_msg: bool,
    ) {
        let detail = match serde_json::to_string(tips) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, content_type, "encoding notification tips");
                return;
            }
        };
        let sender = self.users.get(t, send_id).await.ok().flatten().unwrap_or_default();
        let n = Notification {
            tenant: t.clone(),
            send_id: send_id.to_string(),
            recv_id: recv_id.to_string(),
            group_id: String::new(),
            session_type: session_type::SINGLE,
            content_type,
            detail,
            reliability: Reliability::OnlineOnly,
            is_send_msg,
            unread_count: false,
            offline_push: false,
            sender_nickname: sender.nickname,
            sender_face_url: sender.face_url,
        };
        if let Err(e) = self.notifier.notify(n).await {
            tracing::warn!(error = %e, content_type, send_id, recv_id, "sending notification");
        }
    }
}
