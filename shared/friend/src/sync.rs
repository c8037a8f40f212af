//! Incremental friend sync (reference §6.9) on the shared version log, and profile changes
//! fanned out to friends' logs (1209).

use im_domain::{ImResult, TenantId};
use im_repo::version::{ChangeState, DEFAULT_LIMIT, LogKind, SORT_ELEMENT_ID, id_hash};
use im_wire::pb::relation::{GetFullFriendUserIdsResp, GetIncrementalFriendsResp};
use im_wire::pb::sdkws::{FriendInfo, UserInfoUpdatedTips};

use crate::keys;
use crate::notify;
use crate::records::FriendRow;
use crate::service::{FriendService, required};

impl FriendService {
    /// `/friend/get_incremental_friends`: what changed in `owner`'s list since the client's
    /// (`version_id`, `version`): deleted IDs and inserted/updated friends (at most 200 changed
    /// elements; otherwise, or for an unknown `version_id`, `full: true` and nothing else).
    /// `sortVersion` is the version of the latest order change when one happened since.
    pub async fn incremental(
        &self,
        t: &TenantId,
        owner: &str,
        version_id: &str,
        version: u64,
    ) -> ImResult<GetIncrementalFriendsResp> {
        required(owner, "userID")?;
        let c = self.log().since(t, LogKind::Friend, owner, version_id, version, DEFAULT_LIMIT).await?;
        let mut sort_changed = false;
        let mut ids = |list: Vec<String>| -> Vec<String> {
            list.into_iter()
                .filter(|id| {
                    let sort = id == SORT_ELEMENT_ID;
                    sort_changed |= sort;
                    !sort
                })
                .collect()
        };
        let (insert, update, delete) = (ids(c.insert), ids(c.update), ids(c.delete));
        let insert = self.friends_by_id(t, owner, &insert).await?;
        let update = self.friends_by_id(t, owner, &update).await?;
        Ok(GetIncrementalFriendsResp {
            version: c.head.version,
            version_id: c.head.version_id,
            full: c.full,
            delete,
            insert,
            update,
            sort_version: if sort_changed { c.head.sort_version } else { 0 },
        })
    }

    /// The friends among `ids` (in that order), with profiles; IDs no longer friends are skipped.
    async fn friends_by_id(&self, t: &TenantId, owner: &str, ids: &[String]) -> ImResult<Vec<FriendInfo>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rows = self.repo.friend_rows(t, owner, ids).await?;
        let rows: Vec<FriendRow> = ids.iter().filter_map(|id| rows.remove(id)).collect();
        self.with_profiles(t, &rows).await
    }

    /// `/friend/get_full_friend_user_ids`: every friend ID in list order with the log's head, or
    /// `equal: true` and no IDs when `client_hash` equals their [`id_hash`].
    pub async fn full_ids(&self, t: &TenantId, owner: &str, client_hash: u64) -> ImResult<GetFullFriendUserIdsResp> {
        required(owner, "userID")?;
        // The head first: a change landing in between is then delivered again, never lost.
        let head = self.head(t, owner).await?;
        let ids = self.friend_ids(t, owner).await?;
        let equal = id_hash(&ids) == client_hash;
        Ok(GetFullFriendUserIdsResp {
            version: head.version,
            version_id: head.version_id,
            equal,
            user_ids: if equal { Vec::new() } else { ids },
        })
    }

    /// `user`'s profile changed: every friend who lists `user` gets an update entry in their
    /// friend log and a 1209 FriendInfoUpdated notification (for the user module to call).
    pub async fn user_info_changed(&self, t: &TenantId, user: &str) -> ImResult<()> {
        let friends: Vec<String> = self.repo.friends_of(t, user).await?.into_iter().map(|r| r.friend).collect();
        let reverse: Vec<_> = friends.iter().map(|f| keys::friend(t, f, user)).collect();
        let listed = self.repo.get_many(&reverse).await?;
        let sender = self.profiles(t, &[user]).await?;
        let tips = UserInfoUpdatedTips { user_id: user.to_string() };
        for (f, row) in friends.iter().zip(&listed) {
            if row.is_none() {
                continue;
            }
            self.append(t, f, &[(user, ChangeState::Update)]).await?;
            self.emit(notify::build(t, notify::INFO_UPDATED, user, f, &tips, sender.get(user))).await;
        }
        Ok(())
    }
}
