//! The `sg_<groupID>` conversation rows of joining and leaving members (reference §6.3).
//!
//! A row's `maxSeq` is the member's last visible seq (0 = unlimited): joining creates the row
//! when missing (a member can only pull a group conversation it has a row for, §6.4) and resets
//! `maxSeq` to 0 on an existing one; leaving sets it to the conversation's current max seq
//! (`SEQ#sg_<groupID>` / `head` `max`), so a former member sees nothing sent afterwards.
//! Attribute names follow `docs/data-model.md` (conversation JSON keys).

use futures_util::FutureExt;
use im_domain::ImResult;
use im_domain::TenantId;
use im_domain::constants::session_type;
use im_domain::store::{BatchWrite, Condition, Consistency, Item, StoreError, Update};

use super::{GroupRepo, Task, batch, bounded, get_existing};
use crate::keys;

/// Conversation-row attribute names used here.
mod attr {
    pub const CONVERSATION_TYPE: &str = "conversationType";
    pub const GROUP_ID: &str = "groupID";
    pub const MAX_SEQ: &str = "maxSeq";
    pub const CREATE_TIME: &str = "createTime";
    pub const UPDATE_TIME: &str = "updateTime";
}

/// Rows touched by a leave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeaveRows {
    /// The conversation's max seq when they left.
    pub max_seq: i64,
    /// Owners whose row got `maxSeq` = `max_seq`.
    pub updated: Vec<String>,
    /// Owners whose row was deleted (no message yet).
    pub deleted: Vec<String>,
}

/// Rows touched by a join.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinRows {
    /// Owners whose row was created.
    pub created: Vec<String>,
    /// Owners whose existing row got `maxSeq` 0 back.
    pub reset: Vec<String>,
}

impl GroupRepo {
    /// The group conversation's current max seq (0 before the first message).
    pub async fn group_max_seq(&self, t: &TenantId, group_id: &str) -> ImResult<i64> {
        let key = keys::seq_head(t, &keys::group_conversation_id(group_id));
        Ok(self.store().get(&key, Consistency::Strong).await?.and_then(|i| i.n("max")).unwrap_or(0))
    }

    async fn set_max_seq(
        &self,
        t: &TenantId,
        cid: &str,
        owners: Vec<String>,
        max_seq: i64,
        now: i64,
    ) -> ImResult<Vec<String>> {
        let update = Update::new().set(attr::MAX_SEQ, max_seq).set(attr::UPDATE_TIME, now);
        let tasks: Vec<Task<'_, Option<String>>> = owners
            .into_iter()
            .map(|owner| {
                let update = update.clone();
                async move {
                    let key = keys::conversation(t, &owner, cid);
                    match self.store().update(&key, &update, Some(Condition::ItemExists)).await {
                        Ok(_) => Ok(Some(owner)),
                        Err(StoreError::ConditionFailed) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
                .boxed()
            })
            .collect();
        let results = bounded(tasks).await?;
        Ok(results.into_iter().flatten().collect())
    }

    /// Members joined: creates their missing rows and resets `maxSeq` on rows that have one.
    /// With `new_group`, no row can exist yet and the lookup is skipped.
    pub async fn conversation_rows_on_join(
        &self,
        t: &TenantId,
        group_id: &str,
        user_ids: &[String],
        new_group: bool,
        now: i64,
    ) -> ImResult<JoinRows> {
        let cid = keys::group_conversation_id(group_id);
        let existing: Vec<Item> = if new_group {
            Vec::new()
        } else {
            let ks: Vec<_> = user_ids.iter().map(|u| keys::conversation(t, u, &cid)).collect();
            get_existing(self.store(), &ks, Consistency::Strong).await?
        };
        let mut rows = JoinRows::default();
        let mut to_reset = Vec::new();
        for u in user_ids {
            let pk = format!("CONV#{u}");
            match existing.iter().find(|i| i.key.pk == pk) {
                Some(item) if item.n(attr::MAX_SEQ).unwrap_or(0) != 0 => to_reset.push(u.clone()),
                Some(_) => {}
                None => rows.created.push(u.clone()),
            }
        }
        let puts = rows
            .created
            .iter()
            .map(|u| {
                BatchWrite::Put(
                    Item::new(keys::conversation(t, u, &cid))
                        .with(attr::CONVERSATION_TYPE, session_type::READ_GROUP)
                        .with(attr::GROUP_ID, group_id)
                        .with(attr::CREATE_TIME, now)
                        .with(attr::UPDATE_TIME, now),
                )
            })
            .collect();
        batch(self.store(), puts).await?;
        rows.reset = self.set_max_seq(t, &cid, to_reset, 0, now).await?;
        Ok(rows)
    }

    /// Members left: their existing rows get `maxSeq` = the conversation's max seq, so they see
    /// nothing sent afterwards. Before the first message that would be 0 (= unlimited), so the
    /// rows are deleted instead (there is no history to keep).
    pub async fn conversation_rows_on_leave(
        &self,
        t: &TenantId,
        group_id: &str,
        user_ids: &[String],
        now: i64,
    ) -> ImResult<LeaveRows> {
        let max_seq = self.group_max_seq(t, group_id).await?;
        let cid = keys::group_conversation_id(group_id);
        if max_seq > 0 {
            let updated = self.set_max_seq(t, &cid, user_ids.to_vec(), max_seq, now).await?;
            return Ok(LeaveRows { max_seq, updated, deleted: Vec::new() });
        }
        let ks: Vec<_> = user_ids.iter().map(|u| keys::conversation(t, u, &cid)).collect();
        let existing = get_existing(self.store(), &ks, Consistency::Strong).await?;
        let deleted: Vec<String> =
            existing.iter().filter_map(|i| i.key.pk.strip_prefix("CONV#").map(str::to_string)).collect();
        batch(self.store(), existing.into_iter().map(|i| BatchWrite::Delete(i.key)).collect()).await?;
        Ok(LeaveRows { max_seq, updated: Vec::new(), deleted })
    }
}
