//! Deletes (reference §1.5): per-user soft deletes (`/msg/delete_msgs`: the user joins the
//! message's `del` list), per-user clears (`/msg/clear_conversation_msg`,
//! `/msg/user_clear_all_msg`: the user's row `minSeq` becomes max + 1) and the admin physical
//! deletes (`/msg/delete_msg_phsical_by_seq`, `/msg/delete_msg_physical`).

use im_conversation::record::attr as conv_attr;
use im_domain::constants::{notification, session_type};
use im_domain::ports::Reliability;
use im_domain::store::{AttrValue, Condition, Consistency, Query, StoreError, Update};
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::sdkws::{ClearConversationTips, DeleteMsgsTips};

use crate::record::attr;
use crate::seq::{self, attr as seq_attr};
use crate::{Messaging, keys};

/// Attempts of an optimistic read-modify-write of a `del` list.
const ATTEMPTS: usize = 4;

impl Messaging {
    /// `/msg/delete_msgs`: hides `seqs` of `cid` from `user` only; a 2102 notification to the
    /// user when `sync_self`.
    pub async fn delete_msgs(
        &self,
        t: &TenantId,
        user: &str,
        cid: &str,
        seqs: &[i64],
        sync_self: bool,
    ) -> ImResult<()> {
        if seqs.is_empty() {
            return Err(ImError::args("seqs is empty"));
        }
        let vis = self.visible_or_404(t, user, cid).await?;
        for s in seqs.iter().filter(|s| **s >= vis.min() && **s <= vis.max()) {
            self.add_deleter(t, cid, *s, user).await?;
        }
        if sync_self {
            let tips =
                DeleteMsgsTips { user_id: user.to_string(), conversation_id: cid.to_string(), seqs: seqs.to_vec() };
            let n = super::notification(
                t,
                notification::DELETE_MSGS,
                (user, user, ""),
                session_type::SINGLE,
                &tips,
                Reliability::Stored,
            );
            self.emit(n).await;
        }
        Ok(())
    }

    /// Appends `user` to the `del` list of message `seq` (no-op when absent or already there).
    async fn add_deleter(&self, t: &TenantId, cid: &str, seq: i64, user: &str) -> ImResult<()> {
        let key = keys::message(t, cid, seq);
        for _ in 0..ATTEMPTS {
            let Some(item) = self.store().get(&key, Consistency::Strong).await? else { return Ok(()) };
            let old = item.attrs.get(attr::DEL).and_then(AttrValue::as_l).map(<[AttrValue]>::to_vec);
            let mut list = old.clone().unwrap_or_default();
            if list.iter().any(|v| v.as_s() == Some(user)) {
                return Ok(());
            }
            list.push(AttrValue::S(user.to_string()));
            let cond = match old {
                Some(o) => Condition::eq(attr::DEL, AttrValue::L(o)),
                None => Condition::ItemExists.and(Condition::NotExists(attr::DEL.to_string())),
            };
            match self.store().update(&key, &Update::new().set(attr::DEL, AttrValue::L(list)), Some(cond)).await {
                Ok(_) => return Ok(()),
                Err(StoreError::ConditionFailed) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ImError::new(im_domain::ErrCode::Database, format!("message {seq} of {cid} kept changing")))
    }

    /// `/msg/clear_conversation_msg`: every message of `cids` now is hidden from `user` (their
    /// row's `minSeq` becomes max + 1); a 1703 notification to the user when `sync_self`. A
    /// conversation the user may not read answers 1004.
    pub async fn clear_conversations(
        &self,
        t: &TenantId,
        user: &str,
        cids: &[String],
        sync_self: bool,
    ) -> ImResult<()> {
        let mut cleared = Vec::with_capacity(cids.len());
        for cid in cids {
            self.visible_or_404(t, user, cid).await?;
        }
        for cid in cids {
            let min = seq::max_seq(self.store().as_ref(), t, cid).await? + 1;
            let cond = Condition::ItemExists
                .and(Condition::lt(conv_attr::MIN_SEQ, min).or(Condition::NotExists(conv_attr::MIN_SEQ.to_string())));
            let update = Update::new().set(conv_attr::MIN_SEQ, min);
            match self.store().update(&keys::conversation(t, user, cid), &update, Some(cond)).await {
                Ok(_) | Err(StoreError::ConditionFailed) => cleared.push(cid.clone()),
                Err(e) => return Err(e.into()),
            }
        }
        if sync_self && !cleared.is_empty() {
            let tips = ClearConversationTips { user_id: user.to_string(), conversation_ids: cleared };
            let n = super::notification(
                t,
                notification::CLEAR_CONVERSATION,
                (user, user, ""),
                session_type::SINGLE,
                &tips,
                Reliability::OnlineOnly,
            );
            self.emit(n).await;
        }
        Ok(())
    }

    /// `/msg/user_clear_all_msg`: clears every conversation `user` has a row of.
    pub async fn clear_all(&self, t: &TenantId, user: &str, sync_self: bool) -> ImResult<()> {
        let cids = self.conversations().ids(t, user).await?;
        self.clear_conversations(t, user, &cids, sync_self).await
    }

    /// `/msg/delete_msg_phsical_by_seq` (admin): removes the messages at `seqs` of `cid` (and
    /// their search-log entries); pulls then return status-4 placeholders for them.
    pub async fn delete_physical_by_seq(&self, t: &TenantId, cid: &str, seqs: &[i64]) -> ImResult<()> {
        if cid.is_empty() {
            return Err(ImError::args("conversationID is empty"));
        }
        for s in seqs {
            if let Some(old) = self.store().delete(&keys::message(t, cid, *s), None).await? {
                crate::search::forget(self.store().as_ref(), t, cid, &old).await?;
            }
        }
        Ok(())
    }

    /// `/msg/delete_msg_physical` (admin): removes the messages of `cids` sent before
    /// `timestamp` (Unix seconds) and raises the conversation's `min` seq past them.
    pub async fn delete_physical_before(&self, t: &TenantId, cids: &[String], timestamp: i64) -> ImResult<()> {
        let cutoff_ms = timestamp.saturating_mul(1000);
        for cid in cids {
            let mut last_deleted = 0;
            let mut cursor = None;
            loop {
                let q = Query::partition(t, keys::message_pk(cid)).limit(200).after(cursor);
                let page = self.store().query(&q).await?;
                let mut done = false;
                for item in page.items {
                    if item.n(attr::SEND_TIME).unwrap_or_default() >= cutoff_ms {
                        done = true;
                        break;
                    }
                    self.store().delete(&item.key, None).await?;
                    crate::search::forget(self.store().as_ref(), t, cid, &item).await?;
                    last_deleted = item.key.sk.parse::<i64>().unwrap_or(last_deleted);
                }
                cursor = page.cursor;
                if done || cursor.is_none() {
                    break;
                }
            }
            if last_deleted > 0 {
                let min = last_deleted + 1;
                let cond = Condition::lt(seq_attr::MIN, min).or(Condition::NotExists(seq_attr::MIN.to_string()));
                let update = Update::new().set(seq_attr::MIN, min);
                match self.store().update(&keys::seq_head(t, cid), &update, Some(cond)).await {
                    Ok(_) | Err(StoreError::ConditionFailed) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }
}
