//! Read receipts (reference §6.8): `/msg/mark_msgs_as_read`, `/msg/mark_conversation_as_read`,
//! `/msg/set_conversation_has_read_seq`.
//!
//! The read seq lives in the user's conversation row (`hasReadSeq`). The first two routes never
//! move it backwards and flag single-chat messages `read`; the third sets it as given. Each
//! emits a 2200 `MarkAsReadTips`: to the peer (reliable) for single chats, to the user themselves
//! (session type 1, online only) otherwise and for `set_conversation_has_read_seq`.

use im_conversation::record::attr as conv_attr;
use im_domain::constants::{notification, session_type};
use im_domain::ports::Reliability;
use im_domain::store::{Condition, StoreError, Update};
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::sdkws::MarkAsReadTips;

use crate::pull::Visible;
use crate::record::attr;
use crate::{Messaging, keys};

/// The other party of single chat `cid` for `user` (`si_<a>_<b>`), if it is one.
pub fn single_peer(cid: &str, user: &str) -> Option<String> {
    let pair = cid.strip_prefix("si_")?;
    if let Some(peer) = pair.strip_prefix(user).and_then(|r| r.strip_prefix('_')) {
        return Some(peer.to_string());
    }
    pair.strip_suffix(user).and_then(|r| r.strip_suffix('_')).map(str::to_string)
}

impl Messaging {
    /// `/msg/mark_msgs_as_read`: `seqs` (non-empty, no 0, the last ≤ max seq) are read.
    pub async fn mark_msgs_as_read(&self, t: &TenantId, user: &str, cid: &str, seqs: &[i64]) -> ImResult<()> {
        if seqs.is_empty() || seqs.contains(&0) {
            return Err(ImError::args("seqs must be non-empty and contain no 0"));
        }
        let vis = self.visible_or_404(t, user, cid).await?;
        let last = seqs.iter().copied().max().unwrap_or_default();
        if last > vis.max() {
            return Err(ImError::args(format!("seq {last} is beyond the conversation's max seq {}", vis.max())));
        }
        self.conversations().advance_has_read_seq(t, user, cid, last).await?;
        self.flag_read(t, cid, seqs).await?;
        self.receipt(t, user, cid, &vis, seqs, last, false).await;
        Ok(())
    }

    /// `/msg/mark_conversation_as_read`: the read seq moves forward to `has_read_seq` (≥ 1, ≤ max
    /// seq) and `seqs` are flagged read.
    pub async fn mark_conversation_as_read(
        &self,
        t: &TenantId,
        user: &str,
        cid: &str,
        has_read_seq: i64,
        seqs: &[i64],
    ) -> ImResult<()> {
        let vis = self.checked_read_seq(t, user, cid, has_read_seq).await?;
        self.conversations().advance_has_read_seq(t, user, cid, has_read_seq).await?;
        let seqs: Vec<i64> = seqs.iter().copied().filter(|s| *s > 0 && *s <= vis.max()).collect();
        self.flag_read(t, cid, &seqs).await?;
        self.receipt(t, user, cid, &vis, &seqs, has_read_seq, false).await;
        Ok(())
    }

    /// `/msg/set_conversation_has_read_seq`: the read seq becomes `has_read_seq` (≥ 1, ≤ max seq).
    pub async fn set_has_read_seq(
        &self,
        t: &TenantId,
        user: &str,
        cid: &str,
        has_read_seq: i64,
        no_notification: bool,
    ) -> ImResult<()> {
        let vis = self.checked_read_seq(t, user, cid, has_read_seq).await?;
        let update = Update::new().set(conv_attr::HAS_READ_SEQ, has_read_seq);
        let key = keys::conversation(t, user, cid);
        match self.store().update(&key, &update, Some(Condition::ItemExists)).await {
            Ok(_) | Err(StoreError::ConditionFailed) => {}
            Err(e) => return Err(e.into()),
        }
        if !no_notification {
            self.receipt(t, user, cid, &vis, &[], has_read_seq, true).await;
        }
        Ok(())
    }

    async fn checked_read_seq(&self, t: &TenantId, user: &str, cid: &str, has_read_seq: i64) -> ImResult<Visible> {
        if has_read_seq < 1 {
            return Err(ImError::args("hasReadSeq must be at least 1"));
        }
        let vis = self.visible_or_404(t, user, cid).await?;
        if has_read_seq > vis.max() {
            return Err(ImError::args(format!("hasReadSeq {has_read_seq} > maxSeq {}", vis.max())));
        }
        Ok(vis)
    }

    /// Sets the `read` flag of single-chat messages at `seqs` (messages that do not exist are
    /// skipped).
    async fn flag_read(&self, t: &TenantId, cid: &str, seqs: &[i64]) -> ImResult<()> {
        if !cid.starts_with("si_") {
            return Ok(());
        }
        for seq in seqs {
            let update = Update::new().set(attr::READ, true);
            match self.store().update(&keys::message(t, cid, *seq), &update, Some(Condition::ItemExists)).await {
                Ok(_) | Err(StoreError::ConditionFailed) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn receipt(
        &self,
        t: &TenantId,
        user: &str,
        cid: &str,
        vis: &Visible,
        seqs: &[i64],
        has_read_seq: i64,
        to_self: bool,
    ) {
        let tips = MarkAsReadTips {
            mark_as_read_user_id: user.to_string(),
            conversation_id: cid.to_string(),
            seqs: seqs.to_vec(),
            has_read_seq,
        };
        let peer = vis.row.as_ref().map(|r| r.user_id.clone()).filter(|p| !p.is_empty() && cid.starts_with("si_"));
        let peer = peer.or_else(|| single_peer(cid, user));
        let (recv, reliability) = match peer {
            Some(p) if !to_self && p != user => (p, Reliability::Stored),
            _ => (user.to_string(), Reliability::OnlineOnly),
        };
        let n = super::notification(
            t,
            notification::HAS_READ_RECEIPT,
            (user, &recv, ""),
            session_type::SINGLE,
            &tips,
            reliability,
        );
        self.emit(n).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers() {
        assert_eq!(single_peer("si_a_b", "a").as_deref(), Some("b"));
        assert_eq!(single_peer("si_a_b", "b").as_deref(), Some("a"));
        assert_eq!(single_peer("sg_g", "a"), None);
        assert_eq!(single_peer("si_a_b", "c"), None);
    }
}
