//! `/friend/import_friend`: an admin makes users mutual friends directly (1204 per friend).

use im_domain::constants::add_source;
use im_domain::store::{Condition, StoreError, WriteOp};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::version::ChangeState;
use im_wire::pb::sdkws::FriendAddedTips;

use crate::convert::{friend_info, public_user};
use crate::keys;
use crate::notify;
use crate::records::FriendRow;
use crate::service::{FriendService, distinct, required};

/// Writes per transaction (DynamoDB's limit).
const TRANSACTION: usize = 100;

impl FriendService {
    /// Makes `owner` and each of `friends` mutual friends (acting as `op`): existing rows are
    /// kept, missing ones created (add source 1). 1101 for unknown users, 1301 when `owner` is
    /// listed, 1001 for an empty or repeating list.
    pub async fn import(&self, t: &TenantId, op: &str, owner: &str, friends: &[String]) -> ImResult<()> {
        required(owner, "ownerUserID")?;
        if friends.is_empty() {
            return Err(ImError::args("friendUserIDs is empty"));
        }
        let mut ids: Vec<&str> = vec![owner];
        ids.extend(friends.iter().map(String::as_str));
        let mut users = self.require_users(t, &ids).await?;
        if friends.iter().any(|f| f == owner) {
            return Err(ImError::new(ErrCode::CanNotAddYourself, "can not add yourself"));
        }
        distinct(friends, "friend userID")?;

        let now = self.now();
        let mine = self.repo.friend_rows(t, owner, friends).await?;
        let reverse_keys: Vec<_> = friends.iter().map(|f| keys::friend(t, f, owner)).collect();
        let theirs = self.repo.get_many(&reverse_keys).await?;
        let mut missing: Vec<FriendRow> = Vec::new();
        for (f, their_row) in friends.iter().zip(&theirs) {
            let row = |o: &str, fr: &str| FriendRow {
                owner: o.to_string(),
                friend: fr.to_string(),
                create_time: now,
                add_source: add_source::IMPORT,
                operator_user_id: op.to_string(),
                ..FriendRow::default()
            };
            if !mine.contains_key(f) {
                missing.push(row(owner, f));
            }
            if their_row.is_none() {
                missing.push(row(f, owner));
            }
        }
        let created = self.create_rows(t, missing).await?;

        let mine_new: Vec<(&str, ChangeState)> =
            created.iter().filter(|r| r.owner == owner).map(|r| (r.friend.as_str(), ChangeState::Insert)).collect();
        let head =
            if mine_new.is_empty() { self.head(t, owner).await? } else { self.append(t, owner, &mine_new).await? };
        for r in created.iter().filter(|r| r.owner != owner) {
            self.append(t, &r.owner, &[(owner, ChangeState::Insert)]).await?;
        }

        if !users.contains_key(op) {
            users.extend(self.profiles(t, &[op]).await?);
        }
        let mine = self.repo.friend_rows(t, owner, friends).await?;
        for f in friends {
            let tips = FriendAddedTips {
                friend: mine.get(f).and_then(|row| friend_info(row, &users)),
                operation_time: now,
                op_user: users.get(op).map(public_user),
                friend_version: head.version,
                friend_version_id: head.version_id.clone(),
            };
            self.emit(notify::build(t, notify::ADDED, owner, f, &tips, users.get(owner))).await;
        }
        Ok(())
    }

    /// Creates rows that must not exist yet, in transactions of up to 100; a row created
    /// concurrently by someone else is left alone. Returns the rows this call created.
    async fn create_rows(&self, t: &TenantId, rows: Vec<FriendRow>) -> ImResult<Vec<FriendRow>> {
        let mut created = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(TRANSACTION) {
            let mut pending: Vec<&FriendRow> = chunk.iter().collect();
            while !pending.is_empty() {
                let ops = pending
                    .iter()
                    .map(|r| WriteOp::Put { item: r.to_item(t), condition: Some(Condition::ItemNotExists) })
                    .collect();
                match self.repo.store().transact_write(ops).await {
                    Ok(()) => {
                        created.extend(pending.into_iter().cloned());
                        break;
                    }
                    Err(StoreError::TransactionCanceled { failed }) if !failed.is_empty() => {
                        pending = pending
                            .into_iter()
                            .enumerate()
                            .filter(|(i, _)| !failed.contains(i))
                            .map(|(_, r)| r)
                            .collect();
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(created)
    }
}
