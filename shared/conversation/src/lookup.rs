//! Profiles shown next to conversations: users (`im_repo::UserRepo`), friend rows
//! (`FRIEND#<owner>/<friend>`, relation module) and groups (the [`GroupQuery`] port).

use std::collections::HashMap;

use async_trait::async_trait;
use im_domain::ports::{GroupQuery, GroupSummary, MemberSummary};
use im_domain::store::{Consistency, Store};
use im_domain::{ImResult, TenantId};
use im_repo::UserRecord;
use im_wire::pb::relation::FriendInfoOnly;
use im_wire::pb::sdkws::{GroupInfo, UserInfo};

use crate::keys;

/// Group answers for deployments without the group module: no group exists.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoGroups;

#[async_trait]
impl GroupQuery for NoGroups {
    async fn group(&self, _: &TenantId, _: &str) -> ImResult<Option<GroupSummary>> {
        Ok(None)
    }
    async fn member(&self, _: &TenantId, _: &str, _: &str) -> ImResult<Option<MemberSummary>> {
        Ok(None)
    }
    async fn member_ids(&self, _: &TenantId, _: &str) -> ImResult<Vec<String>> {
        Ok(Vec::new())
    }
}

/// The wire form of a user record.
pub fn user_info(u: &UserRecord) -> UserInfo {
    UserInfo {
        user_id: u.user_id.clone(),
        nickname: u.nickname.clone(),
        face_url: u.face_url.clone(),
        ex: u.ex.clone(),
        create_time: u.create_time,
        app_manger_level: u.app_manger_level,
        global_recv_msg_opt: u.global_recv_msg_opt,
    }
}

/// The wire form of a group summary (the fields the group port exposes).
pub fn group_info(g: &GroupSummary) -> GroupInfo {
    GroupInfo {
        group_id: g.group_id.clone(),
        group_name: g.group_name.clone(),
        face_url: g.face_url.clone(),
        status: g.status,
        group_type: g.group_type,
        member_count: g.member_count,
        ..GroupInfo::default()
    }
}

/// `owner`'s friend rows for `friend_ids` (friends only; others are absent).
pub async fn friends(
    store: &dyn Store,
    t: &TenantId,
    owner: &str,
    friend_ids: &[&str],
) -> ImResult<HashMap<String, FriendInfoOnly>> {
    let mut out = HashMap::new();
    for chunk in friend_ids.chunks(100) {
        let ks: Vec<_> = chunk.iter().map(|f| keys::friend(t, owner, f)).collect();
        let items = store.batch_get(&ks, Consistency::Strong).await?;
        for (friend, item) in chunk.iter().zip(items) {
            let Some(item) = item else { continue };
            let s = |n: &str| item.s(n).unwrap_or_default().to_string();
            out.insert(
                friend.to_string(),
                FriendInfoOnly {
                    owner_user_id: owner.to_string(),
                    friend_user_id: friend.to_string(),
                    remark: s("remark"),
                    create_time: item.n("createTime").unwrap_or_default(),
                    add_source: i32::try_from(item.n("addSource").unwrap_or_default()).unwrap_or_default(),
                    operator_user_id: s("operatorUserID"),
                    ex: s("ex"),
                    is_pinned: item.bool("isPinned").unwrap_or_default(),
                },
            );
        }
    }
    Ok(out)
}

/// The groups among `group_ids` that exist.
pub async fn groups(
    port: &dyn GroupQuery,
    t: &TenantId,
    group_ids: &[&str],
) -> ImResult<HashMap<String, GroupSummary>> {
    let mut out = HashMap::new();
    for id in group_ids {
        if out.contains_key(*id) {
            continue;
        }
        if let Some(g) = port.group(t, id).await? {
            out.insert(id.to_string(), g);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use im_domain::store::Item;
    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn friend_rows_and_missing_groups() {
        let store = MemStore::new();
        let t = TenantId::default_tenant();
        let row =
            Item::new(keys::friend(&t, "a", "b")).with("remark", "bee").with("addSource", 2).with("isPinned", true);
        store.put(row, None).await.unwrap();
        let f = friends(&store, &t, "a", &["b", "c"]).await.unwrap();
        assert_eq!(f.len(), 1);
        let b = &f["b"];
        assert_eq!((b.owner_user_id.as_str(), b.remark.as_str(), b.add_source, b.is_pinned), ("a", "bee", 2, true));
        assert!(groups(&NoGroups, &t, &["g"]).await.unwrap().is_empty());
        let g = group_info(&GroupSummary { group_id: "g".into(), member_count: 3, ..Default::default() });
        assert_eq!((g.group_id.as_str(), g.member_count), ("g", 3));
    }
}
