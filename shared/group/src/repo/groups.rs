//! Group items: create (with the founding members), read, update, list.

use im_domain::TenantId;
use im_domain::constants::group_status;
use im_domain::store::{BatchWrite, Condition, Consistency, Query, StoreError, Update, WriteOp};
use im_domain::{ErrCode, ImError, ImResult};

use super::{GroupRepo, batch, get_existing, query_all};
use crate::keys;
use crate::records::{GroupRecord, MemberRecord, group_attr};

/// The condition "the group exists and is not dismissed" on the group item.
pub(crate) fn live_group() -> Condition {
    Condition::ItemExists.and(Condition::eq(group_attr::STATUS, group_status::DISMISSED).negate())
}

impl GroupRepo {
    /// One group, strongly consistent.
    pub async fn group(&self, t: &TenantId, group_id: &str) -> ImResult<Option<GroupRecord>> {
        if group_id.is_empty() {
            return Ok(None);
        }
        let item = self.store().get(&keys::group_info(t, group_id), Consistency::Strong).await?;
        Ok(item.as_ref().map(GroupRecord::from_item))
    }

    /// One group or 1201.
    pub async fn group_or_404(&self, t: &TenantId, group_id: &str) -> ImResult<GroupRecord> {
        self.group(t, group_id)
            .await?
            .ok_or_else(|| ImError::new(ErrCode::GroupIdNotFound, format!("group {group_id} not found")))
    }

    /// The groups among `group_ids` that exist, in request order (duplicates once).
    pub async fn groups(&self, t: &TenantId, group_ids: &[String]) -> ImResult<Vec<GroupRecord>> {
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<_> = group_ids
            .iter()
            .filter(|g| !g.is_empty() && seen.insert(g.as_str()))
            .map(|g| keys::group_info(t, g))
            .collect();
        let items = get_existing(self.store(), &keys, Consistency::Strong).await?;
        Ok(items.iter().map(GroupRecord::from_item).collect())
    }

    /// Creates a group with its owner (atomically with the group item, which must not exist)
    /// and its other founding members (batch writes). `Ok(false)`: the group ID is taken.
    pub async fn create_group(
        &self,
        t: &TenantId,
        group: &GroupRecord,
        owner: &MemberRecord,
        others: &[MemberRecord],
    ) -> ImResult<bool> {
        let tx = vec![
            WriteOp::Put { item: group.to_item(t), condition: Some(Condition::ItemNotExists) },
            WriteOp::Put { item: owner.to_item(t), condition: None },
            WriteOp::Put { item: manager_item(t, owner), condition: None },
        ];
        match self.store().transact_write(tx).await {
            Ok(()) => {}
            Err(StoreError::TransactionCanceled { failed }) if failed.contains(&0) => return Ok(false),
            Err(e) => return Err(e.into()),
        }
        let mut writes = Vec::with_capacity(others.len() + 8);
        for m in others {
            writes.push(BatchWrite::Put(m.to_item(t)));
            if m.is_manager() {
                writes.push(BatchWrite::Put(manager_item(t, m)));
            }
        }
        if let Err(e) = batch(self.store(), writes).await {
            // Undo the half-created group so the ID can be retried; report the first error.
            let mut undo: Vec<BatchWrite> =
                others.iter().map(|m| BatchWrite::Delete(keys::member(t, &m.group_id, &m.user_id))).collect();
            undo.extend(
                others
                    .iter()
                    .filter(|m| m.is_manager())
                    .map(|m| BatchWrite::Delete(keys::manager(t, &m.group_id, &m.user_id))),
            );
            undo.push(BatchWrite::Delete(keys::member(t, &owner.group_id, &owner.user_id)));
            undo.push(BatchWrite::Delete(keys::manager(t, &owner.group_id, &owner.user_id)));
            undo.push(BatchWrite::Delete(keys::group_info(t, &group.group_id)));
            if let Err(undo_err) = batch(self.store(), undo).await {
                tracing::error!(group_id = %group.group_id, error = %undo_err, "undoing a failed group creation");
            }
            return Err(e.into());
        }
        Ok(true)
    }

    /// Applies `update` to a group that exists (and, with `live`, is not dismissed); returns
    /// the group after the update. 1201 when missing, 1204 when dismissed and `live`.
    pub async fn update_group(
        &self,
        t: &TenantId,
        group_id: &str,
        update: Update,
        live: bool,
    ) -> ImResult<GroupRecord> {
        let condition = if live { live_group() } else { Condition::ItemExists };
        match self.store().update(&keys::group_info(t, group_id), &update, Some(condition)).await {
            Ok(item) => Ok(GroupRecord::from_item(&item)),
            Err(StoreError::ConditionFailed) => {
                let exists = self.group(t, group_id).await?.is_some();
                Err(if exists {
                    ImError::new(ErrCode::DismissedAlready, "group dismissed")
                } else {
                    ImError::new(ErrCode::GroupIdNotFound, format!("group {group_id} not found"))
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Every group of the tenant, newest first (the groups index; eventually consistent).
    pub async fn all_groups_newest_first(&self, t: &TenantId) -> ImResult<Vec<GroupRecord>> {
        let items = query_all(self.store(), Query::partition(t, keys::GROUPS_INDEX_PK).on_index().backward()).await?;
        Ok(items.iter().map(GroupRecord::from_item).collect())
    }
}

/// The manager marker of an owner or admin.
pub(crate) fn manager_item(t: &TenantId, m: &MemberRecord) -> im_domain::store::Item {
    im_domain::store::Item::new(keys::manager(t, &m.group_id, &m.user_id))
        .with(crate::records::member_attr::ROLE, m.role_level)
}
