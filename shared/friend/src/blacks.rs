//! Blacklists: add (1207), remove (1208), reads.

use im_domain::store::{Condition, StoreError};
use im_domain::{ImError, ImResult, TenantId};
use im_wire::pb::sdkws::{BlackAddedTips, BlackDeletedTips, BlackInfo, FromToUserID};

use crate::convert::black_info;
use crate::keys;
use crate::notify;
use crate::page::{PageSel, total};
use crate::records::BlackRow;
use crate::service::{FriendService, distinct, required};

fn pair(from: &str, to: &str) -> Option<FromToUserID> {
    Some(FromToUserID { from_user_id: from.to_string(), to_user_id: to.to_string() })
}

impl FriendService {
    /// `/friend/add_black`: `owner` (acting as `op`) blocks `black`. 1101 for unknown users, 1001
    /// for oneself; blocking someone already blocked changes nothing.
    pub async fn add_black(&self, t: &TenantId, op: &str, owner: &str, black: &str, ex: &str) -> ImResult<()> {
        required(owner, "ownerUserID")?;
        required(black, "blackUserID")?;
        if owner == black {
            return Err(ImError::args("can not block yourself"));
        }
        let users = self.require_users(t, &[owner, black]).await?;
        let row = BlackRow {
            owner: owner.to_string(),
            blocked: black.to_string(),
            create_time: self.now(),
            add_source: 0,
            operator_user_id: op.to_string(),
            ex: ex.to_string(),
        };
        match self.repo.store().put(row.to_item(t), Some(Condition::ItemNotExists)).await {
            Ok(()) => {}
            Err(StoreError::ConditionFailed) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        let tips = BlackAddedTips { from_to_user_id: pair(owner, black) };
        self.emit(notify::build(t, notify::BLACK_ADDED, owner, black, &tips, users.get(owner))).await;
        Ok(())
    }

    /// `/friend/remove_black`: `owner` unblocks `black` (nothing to remove is not an error).
    pub async fn remove_black(&self, t: &TenantId, owner: &str, black: &str) -> ImResult<()> {
        required(owner, "ownerUserID")?;
        required(black, "blackUserID")?;
        if self.repo.store().delete(&keys::black(t, owner, black), None).await?.is_none() {
            return Ok(());
        }
        let tips = BlackDeletedTips { from_to_user_id: pair(owner, black) };
        let sender = self.profiles(t, &[owner]).await?;
        self.emit(notify::build(t, notify::BLACK_DELETED, owner, black, &tips, sender.get(owner))).await;
        Ok(())
    }

    /// `/friend/get_black_list`: one page of `owner`'s blacklist (oldest first) and the total.
    pub async fn black_page(&self, t: &TenantId, owner: &str, page: PageSel) -> ImResult<(Vec<BlackInfo>, i32)> {
        required(owner, "userID")?;
        let mut rows = self.repo.blacks_of(t, owner).await?;
        rows.sort_by(|a, b| a.create_time.cmp(&b.create_time).then_with(|| a.blocked.cmp(&b.blocked)));
        let count = total(rows.len());
        let rows = page.apply(rows);
        let ids: Vec<&str> = rows.iter().map(|r| r.blocked.as_str()).collect();
        let users = self.profiles(t, &ids).await?;
        Ok((rows.iter().filter_map(|r| black_info(r, &users, false)).collect(), count))
    }

    /// `/friend/get_specified_blacks`: the listed users that `owner` blocked, in request order.
    pub async fn specified_blacks(&self, t: &TenantId, owner: &str, ids: &[String]) -> ImResult<Vec<BlackInfo>> {
        required(owner, "ownerUserID")?;
        if ids.is_empty() {
            return Err(ImError::args("userIDList is empty"));
        }
        distinct(ids, "userIDList")?;
        let rows = self.repo.black_rows(t, owner, ids).await?;
        let refs: Vec<&str> = ids.iter().filter(|id| rows.contains_key(*id)).map(String::as_str).collect();
        let users = self.profiles(t, &refs).await?;
        Ok(ids.iter().filter_map(|id| black_info(rows.get(id)?, &users, true)).collect())
    }
}
