//! Member items and manager markers: membership reads, joins and leaves (transactions that
//! also move the group's member count), role changes.

use std::collections::HashMap;

use im_domain::TenantId;
use im_domain::store::{BatchWrite, Condition, Consistency, Item, Query, SortCondition, StoreError, Update, WriteOp};
use im_domain::{ErrCode, ImError, ImResult};

use super::groups::{live_group, manager_item};
use super::{GroupRepo, TX_CHUNK, batch, get_existing, query_all};
use crate::keys;
use crate::records::{MemberRecord, group_attr, member_attr};

/// A role change: the member as stored and the role it gets.
#[derive(Debug, Clone)]
pub struct RoleChange {
    /// The member before the change.
    pub member: MemberRecord,
    /// The new role level.
    pub role: i32,
}

fn members_query(t: &TenantId, group_id: &str) -> Query {
    Query::partition(t, keys::group_pk(group_id)).sort(SortCondition::BeginsWith(keys::MEMBER_SK_PREFIX.into()))
}

fn member_ops(t: &TenantId, m: &MemberRecord, joining: bool) -> Vec<WriteOp> {
    let mut ops = Vec::with_capacity(2);
    if joining {
        ops.push(WriteOp::Put { item: m.to_item(t), condition: Some(Condition::ItemNotExists) });
        if m.is_manager() {
            ops.push(WriteOp::Put { item: manager_item(t, m), condition: None });
        }
    } else {
        let key = keys::member(t, &m.group_id, &m.user_id);
        ops.push(WriteOp::Delete { key, condition: Some(Condition::ItemExists) });
        if m.is_manager() {
            ops.push(WriteOp::Delete { key: keys::manager(t, &m.group_id, &m.user_id), condition: None });
        }
    }
    ops
}

/// Splits members into transaction-sized chunks (each member takes one or two ops).
fn chunks(members: &[MemberRecord]) -> Vec<&[MemberRecord]> {
    let mut out = Vec::new();
    let (mut start, mut ops) = (0, 0);
    for (i, m) in members.iter().enumerate() {
        let n = if m.is_manager() { 2 } else { 1 };
        if ops + n > TX_CHUNK {
            out.push(&members[start..i]);
            start = i;
            ops = 0;
        }
        ops += n;
    }
    if start < members.len() {
        out.push(&members[start..]);
    }
    out
}

impl GroupRepo {
    /// One member, strongly consistent.
    pub async fn member(&self, t: &TenantId, group_id: &str, user_id: &str) -> ImResult<Option<MemberRecord>> {
        if group_id.is_empty() || user_id.is_empty() {
            return Ok(None);
        }
        let item = self.store().get(&keys::member(t, group_id, user_id), Consistency::Strong).await?;
        Ok(item.as_ref().map(MemberRecord::from_item))
    }

    /// The members among `user_ids`, in request order (duplicates once).
    pub async fn members_of(&self, t: &TenantId, group_id: &str, user_ids: &[String]) -> ImResult<Vec<MemberRecord>> {
        let mut seen = std::collections::HashSet::new();
        let ks: Vec<_> = user_ids
            .iter()
            .filter(|u| !u.is_empty() && seen.insert(u.as_str()))
            .map(|u| keys::member(t, group_id, u))
            .collect();
        let items = get_existing(self.store(), &ks, Consistency::Strong).await?;
        Ok(items.iter().map(MemberRecord::from_item).collect())
    }

    /// Every member, in user-ID order.
    pub async fn all_members(&self, t: &TenantId, group_id: &str) -> ImResult<Vec<MemberRecord>> {
        let items = query_all(self.store(), members_query(t, group_id)).await?;
        Ok(items.iter().map(MemberRecord::from_item).collect())
    }

    /// `take` members after skipping `skip`, in user-ID order.
    pub async fn member_page(
        &self,
        t: &TenantId,
        group_id: &str,
        skip: usize,
        take: usize,
    ) -> ImResult<Vec<MemberRecord>> {
        let want = skip.saturating_add(take);
        let mut got: Vec<Item> = Vec::new();
        let mut q = members_query(t, group_id).limit(u32::try_from(want.clamp(1, 1000)).unwrap_or(1000));
        while got.len() < want {
            let page = self.store().query(&q).await?;
            got.extend(page.items);
            match page.cursor {
                Some(c) => q = q.after(Some(c)),
                None => break,
            }
        }
        Ok(got.iter().skip(skip).take(take).map(MemberRecord::from_item).collect())
    }

    /// Every member's user ID, in user-ID order.
    pub async fn member_ids(&self, t: &TenantId, group_id: &str) -> ImResult<Vec<String>> {
        Ok(self.all_members(t, group_id).await?.into_iter().map(|m| m.user_id).collect())
    }

    /// The owner and admins: `(userID, roleLevel)` from the manager markers.
    pub async fn managers(&self, t: &TenantId, group_id: &str) -> ImResult<Vec<(String, i32)>> {
        let q = Query::partition(t, keys::group_pk(group_id))
            .sort(SortCondition::BeginsWith(keys::MANAGER_SK_PREFIX.into()));
        let items = query_all(self.store(), q).await?;
        Ok(items
            .iter()
            .filter_map(|i| {
                let uid = i.key.sk.strip_prefix(keys::MANAGER_SK_PREFIX)?;
                Some((uid.to_string(), i32::try_from(i.n(member_attr::ROLE)?).ok()?))
            })
            .collect())
    }

    /// A user's memberships, in group-ID order (the joined-groups index; eventually consistent).
    pub async fn joined(&self, t: &TenantId, user_id: &str) -> ImResult<Vec<MemberRecord>> {
        let items = query_all(self.store(), Query::partition(t, keys::joined_index_pk(user_id)).on_index()).await?;
        Ok(items.iter().map(MemberRecord::from_item).collect())
    }

    /// Adds members to a live group (transactions of up to 99 members plus the member count).
    /// Users who are members already are skipped; returns the members added. 1204 when the group
    /// is dismissed, 1201 when it does not exist.
    pub async fn add_members(
        &self,
        t: &TenantId,
        group_id: &str,
        members: &[MemberRecord],
    ) -> ImResult<Vec<MemberRecord>> {
        let mut added = Vec::with_capacity(members.len());
        for chunk in chunks(members) {
            let mut pending: Vec<MemberRecord> = chunk.to_vec();
            while !pending.is_empty() {
                let mut ops = Vec::with_capacity(pending.len() + 1);
                let mut owner_of_op = Vec::with_capacity(pending.len() + 1);
                for (i, m) in pending.iter().enumerate() {
                    for op in member_ops(t, m, true) {
                        ops.push(op);
                        owner_of_op.push(Some(i));
                    }
                }
                let n = i64::try_from(pending.len()).unwrap_or(i64::MAX);
                ops.push(WriteOp::Update {
                    key: keys::group_info(t, group_id),
                    update: Update::new().add(group_attr::MEMBER_COUNT, n),
                    condition: Some(live_group()),
                });
                owner_of_op.push(None);
                match self.store().transact_write(ops).await {
                    Ok(()) => {
                        added.append(&mut pending);
                    }
                    Err(StoreError::TransactionCanceled { failed }) => {
                        if failed.iter().any(|&i| owner_of_op.get(i) == Some(&None)) {
                            return Err(self.why_not_live(t, group_id).await);
                        }
                        let taken: Vec<usize> =
                            failed.iter().filter_map(|&i| owner_of_op.get(i).copied().flatten()).collect();
                        if taken.is_empty() {
                            return Err(ImError::new(ErrCode::Database, "transaction cancelled without a reason"));
                        }
                        pending = pending
                            .into_iter()
                            .enumerate()
                            .filter(|(i, _)| !taken.contains(i))
                            .map(|(_, m)| m)
                            .collect();
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(added)
    }

    async fn why_not_live(&self, t: &TenantId, group_id: &str) -> ImError {
        match self.group(t, group_id).await {
            Ok(Some(_)) => ImError::new(ErrCode::DismissedAlready, "group dismissed"),
            Ok(None) => ImError::new(ErrCode::GroupIdNotFound, format!("group {group_id} not found")),
            Err(e) => e,
        }
    }

    /// Removes members (transactions of up to 99 plus the member count); members already gone
    /// are skipped. Returns the members removed.
    pub async fn remove_members(
        &self,
        t: &TenantId,
        group_id: &str,
        members: &[MemberRecord],
    ) -> ImResult<Vec<MemberRecord>> {
        let mut removed = Vec::with_capacity(members.len());
        for chunk in chunks(members) {
            let mut pending: Vec<MemberRecord> = chunk.to_vec();
            while !pending.is_empty() {
                let mut ops = Vec::new();
                let mut owner_of_op = Vec::new();
                for (i, m) in pending.iter().enumerate() {
                    for op in member_ops(t, m, false) {
                        ops.push(op);
                        owner_of_op.push(Some(i));
                    }
                }
                let n = i64::try_from(pending.len()).unwrap_or(i64::MAX);
                ops.push(WriteOp::Update {
                    key: keys::group_info(t, group_id),
                    update: Update::new().add(group_attr::MEMBER_COUNT, -n),
                    condition: Some(Condition::ItemExists),
                });
                owner_of_op.push(None);
                match self.store().transact_write(ops).await {
                    Ok(()) => removed.append(&mut pending),
                    Err(StoreError::TransactionCanceled { failed }) => {
                        let gone: Vec<usize> =
                            failed.iter().filter_map(|&i| owner_of_op.get(i).copied().flatten()).collect();
                        if gone.is_empty() {
                            return Err(self.why_not_live(t, group_id).await);
                        }
                        pending = pending
                            .into_iter()
                            .enumerate()
                            .filter(|(i, _)| !gone.contains(i))
                            .map(|(_, m)| m)
                            .collect();
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(removed)
    }

    /// Deletes every listed member of a dismissed group and zeroes its count (batch writes).
    pub async fn delete_all_members(&self, t: &TenantId, group_id: &str, members: &[MemberRecord]) -> ImResult<()> {
        let mut writes = Vec::with_capacity(members.len() + 4);
        for m in members {
            writes.push(BatchWrite::Delete(keys::member(t, group_id, &m.user_id)));
            if m.is_manager() {
                writes.push(BatchWrite::Delete(keys::manager(t, group_id, &m.user_id)));
            }
        }
        batch(self.store(), writes).await?;
        let set = Update::new().set(group_attr::MEMBER_COUNT, 0i64);
        self.store().update(&keys::group_info(t, group_id), &set, Some(Condition::ItemExists)).await?;
        Ok(())
    }

    /// Applies `update` to a member; `None` when the user is not a member.
    pub async fn update_member(
        &self,
        t: &TenantId,
        group_id: &str,
        user_id: &str,
        update: Update,
    ) -> ImResult<Option<MemberRecord>> {
        let key = keys::member(t, group_id, user_id);
        match self.store().update(&key, &update, Some(Condition::ItemExists)).await {
            Ok(item) => Ok(Some(MemberRecord::from_item(&item))),
            Err(StoreError::ConditionFailed) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Changes roles (member item and manager marker together, in transactions of up to 49
    /// changes); with `new_owner`, also the group's owner in the same transaction (transfer).
    pub async fn set_roles(
        &self,
        t: &TenantId,
        group_id: &str,
        changes: &[RoleChange],
        new_owner: Option<&str>,
    ) -> ImResult<()> {
        let per_tx = if new_owner.is_some() { changes.len().max(1) } else { TX_CHUNK / 2 };
        for chunk in changes.chunks(per_tx.max(1)) {
            let mut ops = Vec::with_capacity(chunk.len() * 2 + 1);
            for c in chunk {
                let key = keys::member(t, group_id, &c.member.user_id);
                let update = Update::new().set(member_attr::ROLE, c.role);
                ops.push(WriteOp::Update { key, update, condition: Some(Condition::ItemExists) });
                let marker = MemberRecord { role_level: c.role, ..c.member.clone() };
                if marker.is_manager() {
                    ops.push(WriteOp::Put { item: manager_item(t, &marker), condition: None });
                } else {
                    ops.push(WriteOp::Delete { key: keys::manager(t, group_id, &c.member.user_id), condition: None });
                }
            }
            if let Some(owner) = new_owner {
                let update = Update::new().set(group_attr::OWNER, owner);
                ops.push(WriteOp::Update { key: keys::group_info(t, group_id), update, condition: Some(live_group()) });
            }
            match self.store().transact_write(ops).await {
                Ok(()) => {}
                Err(StoreError::TransactionCanceled { .. }) => {
                    return Err(ImError::args("a member left the group or the group was dismissed meanwhile"));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

/// Members by user ID.
pub fn by_user(members: Vec<MemberRecord>) -> HashMap<String, MemberRecord> {
    members.into_iter().map(|m| (m.user_id.clone(), m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_respect_the_op_limit() {
        let m = |role| MemberRecord { role_level: role, ..MemberRecord::default() };
        let list: Vec<_> = (0..150).map(|i| m(if i % 3 == 0 { 60 } else { 20 })).collect();
        let parts = chunks(&list);
        assert_eq!(parts.iter().map(|c| c.len()).sum::<usize>(), 150);
        for c in parts {
            let ops: usize = c.iter().map(|m| if m.is_manager() { 2 } else { 1 }).sum();
            assert!(ops <= TX_CHUNK, "{ops}");
        }
        assert!(chunks(&[]).is_empty());
    }
}
