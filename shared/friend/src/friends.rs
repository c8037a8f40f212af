//! Friend lists: delete (1205), remark (1206), update (1210), reads.

use std::cmp::Ordering;

use im_domain::store::{Condition, StoreError, Update};
use im_domain::{ImError, ImResult, TenantId};
use im_repo::version::{ChangeState, SORT_ELEMENT_ID};
use im_wire::pb::relation::GetSpecifiedFriendsInfoInfo;
use im_wire::pb::sdkws::{FriendDeletedTips, FriendInfo, FriendInfoChangedTips, FriendsInfoUpdateTips, FromToUserID};

use crate::convert::{black_info, friend_info, friend_info_bare, user_info};
use crate::keys;
use crate::notify;
use crate::page::{PageSel, total};
use crate::records::{FriendRow, attr};
use crate::service::{FriendService, distinct, required};

/// Changes of `/friend/update_friends` (wrapper fields: `None` = unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FriendPatch {
    /// New pinned flag.
    pub is_pinned: Option<bool>,
    /// New remark.
    pub remark: Option<String>,
    /// New extension.
    pub ex: Option<String>,
}

impl FriendPatch {
    fn is_empty(&self) -> bool {
        self.is_pinned.is_none() && self.remark.is_none() && self.ex.is_none()
    }

    fn update(&self) -> Update {
        let mut u = Update::new();
        if let Some(p) = self.is_pinned {
            u = u.set(attr::IS_PINNED, p);
        }
        if let Some(r) = &self.remark {
            u = u.set(attr::REMARK, r.as_str());
        }
        if let Some(e) = &self.ex {
            u = u.set(attr::EX, e.as_str());
        }
        u
    }
}

/// Friend-list order, as OpenIM pages it: pinned first, then by creation, then by user ID.
pub fn list_order(a: &FriendRow, b: &FriendRow) -> Ordering {
    b.is_pinned.cmp(&a.is_pinned).then(a.create_time.cmp(&b.create_time)).then_with(|| a.friend.cmp(&b.friend))
}

fn not_friend(owner: &str, friend: &str) -> ImError {
    ImError::not_found(format!("{friend} is not in {owner}'s friend list"))
}

impl FriendService {
    /// `/friend/delete_friend`: removes `friend` from `owner`'s list only (1004 when absent).
    pub async fn delete(&self, t: &TenantId, owner: &str, friend: &str) -> ImResult<()> {
        required(owner, "ownerUserID")?;
        required(friend, "friendUserID")?;
        match self.repo.store().delete(&keys::friend(t, owner, friend), Some(Condition::ItemExists)).await {
            Ok(_) => {}
            Err(StoreError::ConditionFailed) => return Err(not_friend(owner, friend)),
            Err(e) => return Err(e.into()),
        }
        let head = self.append(t, owner, &[(friend, ChangeState::Delete)]).await?;
        let tips = FriendDeletedTips {
            from_to_user_id: Some(FromToUserID { from_user_id: owner.into(), to_user_id: friend.into() }),
            friend_version: head.version,
            friend_version_id: head.version_id,
        };
        let sender = self.profiles(t, &[owner]).await?;
        self.emit(notify::build(t, notify::DELETED, owner, friend, &tips, sender.get(owner))).await;
        Ok(())
    }

    /// `/friend/set_friend_remark`: sets `owner`'s remark for `friend` (1004 when not a friend).
    pub async fn set_remark(&self, t: &TenantId, owner: &str, friend: &str, remark: &str) -> ImResult<()> {
        required(owner, "ownerUserID")?;
        required(friend, "friendUserID")?;
        let update = Update::new().set(attr::REMARK, remark);
        match self.repo.store().update(&keys::friend(t, owner, friend), &update, Some(Condition::ItemExists)).await {
            Ok(_) => {}
            Err(StoreError::ConditionFailed) => return Err(not_friend(owner, friend)),
            Err(e) => return Err(e.into()),
        }
        let head = self.append(t, owner, &[(friend, ChangeState::Update)]).await?;
        self.remark_set_notification(t, owner, friend, &head).await
    }

    async fn remark_set_notification(
        &self,
        t: &TenantId,
        owner: &str,
        friend: &str,
        head: &im_repo::version::Head,
    ) -> ImResult<()> {
        let tips = FriendInfoChangedTips {
            from_to_user_id: Some(FromToUserID { from_user_id: owner.into(), to_user_id: friend.into() }),
            friend_version: head.version,
            friend_version_id: head.version_id.clone(),
            friend_sort_version: head.sort_version,
        };
        let sender = self.profiles(t, &[owner]).await?;
        self.emit(notify::build(t, notify::REMARK_SET, owner, friend, &tips, sender.get(owner))).await;
        Ok(())
    }

    /// `/friend/update_friends`: applies `patch` to several of `owner`'s friends (every one must
    /// be a friend: 1004). One version for the whole change (plus a sort change when `isPinned`
    /// is set); 1210 to the owner, and 1206 per friend when the remark is set.
    pub async fn update_friends(&self, t: &TenantId, owner: &str, ids: &[String], patch: &FriendPatch) -> ImResult<()> {
        required(owner, "ownerUserID")?;
        if ids.is_empty() {
            return Err(ImError::args("friendIDList is empty"));
        }
        distinct(ids, "friendIDList")?;
        let rows = self.repo.friend_rows(t, owner, ids).await?;
        if let Some(missing) = ids.iter().find(|id| !rows.contains_key(*id)) {
            return Err(not_friend(owner, missing));
        }
        let head = if patch.is_empty() {
            self.head(t, owner).await?
        } else {
            let update = patch.update();
            let mut changed: Vec<(&str, ChangeState)> = Vec::with_capacity(ids.len() + 1);
            for id in ids {
                let key = keys::friend(t, owner, id);
                match self.repo.store().update(&key, &update, Some(Condition::ItemExists)).await {
                    Ok(_) => changed.push((id.as_str(), ChangeState::Update)),
                    // Deleted meanwhile: nothing to update.
                    Err(StoreError::ConditionFailed) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if patch.is_pinned.is_some() {
                changed.push((SORT_ELEMENT_ID, ChangeState::Update));
            }
            self.append(t, owner, &changed).await?
        };
        let tips = FriendsInfoUpdateTips {
            from_to_user_id: Some(FromToUserID { from_user_id: String::new(), to_user_id: owner.into() }),
            friend_ids: ids.to_vec(),
            friend_version: head.version,
            friend_version_id: head.version_id.clone(),
        };
        let sender = self.profiles(t, &[owner]).await?;
        self.emit(notify::build(t, notify::FRIENDS_INFO_UPDATE, owner, owner, &tips, sender.get(owner))).await;
        if patch.remark.is_some() {
            for id in ids {
                self.remark_set_notification(t, owner, id, &head).await?;
            }
        }
        Ok(())
    }

    /// `owner`'s friend rows in list order.
    pub(crate) async fn ordered_friends(&self, t: &TenantId, owner: &str) -> ImResult<Vec<FriendRow>> {
        let mut rows = self.repo.friends_of(t, owner).await?;
        rows.sort_by(list_order);
        Ok(rows)
    }

    /// Rows with their friends' profiles (rows whose profile is missing are skipped).
    pub(crate) async fn with_profiles(&self, t: &TenantId, rows: &[FriendRow]) -> ImResult<Vec<FriendInfo>> {
        let ids: Vec<&str> = rows.iter().map(|r| r.friend.as_str()).collect();
        let users = self.profiles(t, &ids).await?;
        Ok(rows.iter().filter_map(|r| friend_info(r, &users)).collect())
    }

    /// `/friend/get_friend_list`: one page of `owner`'s friends (pinned first, then in the order
    /// they were added) and the total.
    pub async fn friend_page(&self, t: &TenantId, owner: &str, page: PageSel) -> ImResult<(Vec<FriendInfo>, i32)> {
        required(owner, "userID")?;
        let rows = self.ordered_friends(t, owner).await?;
        let count = total(rows.len());
        let rows = page.apply(rows);
        Ok((self.with_profiles(t, &rows).await?, count))
    }

    /// `/friend/get_designated_friends`: the listed users that are `owner`'s friends, in request order.
    pub async fn designated_friends(&self, t: &TenantId, owner: &str, ids: &[String]) -> ImResult<Vec<FriendInfo>> {
        required(owner, "ownerUserID")?;
        distinct(ids, "friend userID")?;
        let mut rows = self.repo.friend_rows(t, owner, ids).await?;
        let rows: Vec<FriendRow> = ids.iter().filter_map(|id| rows.remove(id)).collect();
        self.with_profiles(t, &rows).await
    }

    /// `/friend/get_friend_id`: every friend's user ID, in list order.
    pub async fn friend_ids(&self, t: &TenantId, owner: &str) -> ImResult<Vec<String>> {
        required(owner, "userID")?;
        Ok(self.ordered_friends(t, owner).await?.into_iter().map(|r| r.friend).collect())
    }

    /// `/friend/get_specified_friends_info`: for each listed registered user, the profile and
    /// `owner`'s friend and blacklist entries for them (`null` when absent).
    pub async fn specified_info(
        &self,
        t: &TenantId,
        owner: &str,
        ids: &[String],
    ) -> ImResult<Vec<GetSpecifiedFriendsInfoInfo>> {
        required(owner, "ownerUserID")?;
        if ids.is_empty() {
            return Err(ImError::args("userIDList is empty"));
        }
        distinct(ids, "userIDList")?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let users = self.profiles(t, &refs).await?;
        let friends = self.repo.friend_rows(t, owner, ids).await?;
        let blacks = self.repo.black_rows(t, owner, ids).await?;
        Ok(ids
            .iter()
            .filter_map(|id| {
                let user = users.get(id)?;
                Some(GetSpecifiedFriendsInfoInfo {
                    user_info: Some(user_info(user)),
                    friend_info: friends.get(id).map(friend_info_bare),
                    // OpenIM leaves blackUserInfo out here.
                    black_info: blacks.get(id).and_then(|b| black_info(b, &users, true)).map(|mut b| {
                        b.black_user_info = None;
                        b
                    }),
                })
            })
            .collect())
    }

    /// `/friend/is_friend`: whether `b` is in `a`'s list and whether `a` is in `b`'s.
    pub async fn is_friend(&self, t: &TenantId, a: &str, b: &str) -> ImResult<(bool, bool)> {
        required(a, "userID1")?;
        required(b, "userID2")?;
        let items = self.repo.get_many(&[keys::friend(t, a, b), keys::friend(t, b, a)]).await?;
        Ok((items.first().is_some_and(Option::is_some), items.get(1).is_some_and(Option::is_some)))
    }
}
