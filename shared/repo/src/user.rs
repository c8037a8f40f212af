//! User records (`UserInfo`, reference A.2) on the store. The user function extends this.

use im_domain::store::{Condition, Consistency, DynStore, Item, StoreError};
use im_domain::{ImResult, TenantId};

use crate::keys;

/// One user's profile, as stored (OpenIM `UserInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserRecord {
    /// User ID.
    pub user_id: String,
    /// Nickname.
    pub nickname: String,
    /// Avatar URL.
    pub face_url: String,
    /// Free-form extension.
    pub ex: String,
    /// Creation time, Unix milliseconds.
    pub create_time: i64,
    /// `appMangerLevel` (see `constants::app_manager_level`).
    pub app_manger_level: i32,
    /// `globalRecvMsgOpt` (see `constants::recv_msg_opt`).
    pub global_recv_msg_opt: i32,
}

/// Attribute names of a stored user.
mod attr {
    pub const USER_ID: &str = "userID";
    pub const NICKNAME: &str = "nickname";
    pub const FACE_URL: &str = "faceURL";
    pub const EX: &str = "ex";
    pub const CREATE_TIME: &str = "createTime";
    pub const APP_MANGER_LEVEL: &str = "appMangerLevel";
    pub const GLOBAL_RECV_MSG_OPT: &str = "globalRecvMsgOpt";
}

impl UserRecord {
    /// The store item of this record (profile key, listed on the users index).
    pub fn to_item(&self, tenant: &TenantId) -> Item {
        Item::new(keys::user_profile(tenant, &self.user_id))
            .with_index(keys::USERS_INDEX_PK, keys::users_index_sk(self.create_time, &self.user_id))
            .with(attr::USER_ID, self.user_id.as_str())
            .with(attr::NICKNAME, self.nickname.as_str())
            .with(attr::FACE_URL, self.face_url.as_str())
            .with(attr::EX, self.ex.as_str())
            .with(attr::CREATE_TIME, self.create_time)
            .with(attr::APP_MANGER_LEVEL, self.app_manger_level)
            .with(attr::GLOBAL_RECV_MSG_OPT, self.global_recv_msg_opt)
    }

    /// Reads a record from a profile item (missing attributes are zero values).
    pub fn from_item(item: &Item) -> Self {
        let s = |n: &str| item.s(n).unwrap_or_default().to_string();
        let n = |n: &str| item.n(n).unwrap_or_default();
        let user_id = match item.s(attr::USER_ID) {
            Some(id) => id.to_string(),
            None => item.key.pk.strip_prefix("U#").unwrap_or_default().to_string(),
        };
        UserRecord {
            user_id,
            nickname: s(attr::NICKNAME),
            face_url: s(attr::FACE_URL),
            ex: s(attr::EX),
            create_time: n(attr::CREATE_TIME),
            app_manger_level: i32::try_from(n(attr::APP_MANGER_LEVEL)).unwrap_or_default(),
            global_recv_msg_opt: i32::try_from(n(attr::GLOBAL_RECV_MSG_OPT)).unwrap_or_default(),
        }
    }
}

/// Store-backed user repository.
#[derive(Clone)]
pub struct UserRepo {
    store: DynStore,
}

impl UserRepo {
    /// A repository on `store`.
    pub fn new(store: DynStore) -> Self {
        UserRepo { store }
    }

    /// One user, if registered.
    pub async fn get(&self, tenant: &TenantId, user_id: &str) -> ImResult<Option<UserRecord>> {
        let item = self.store.get(&keys::user_profile(tenant, user_id), Consistency::Strong).await?;
        Ok(item.as_ref().map(UserRecord::from_item))
    }

    /// Whether a user is registered.
    pub async fn exists(&self, tenant: &TenantId, user_id: &str) -> ImResult<bool> {
        Ok(self.get(tenant, user_id).await?.is_some())
    }

    /// Registered users among `user_ids`, in request order (unknown IDs are skipped).
    pub async fn get_many(&self, tenant: &TenantId, user_ids: &[String]) -> ImResult<Vec<UserRecord>> {
        let mut out = Vec::with_capacity(user_ids.len());
        for chunk in user_ids.chunks(100) {
            let ks: Vec<_> = chunk.iter().map(|id| keys::user_profile(tenant, id)).collect();
            let items = self.store.batch_get(&ks, Consistency::Strong).await?;
            out.extend(items.iter().flatten().map(UserRecord::from_item));
        }
        Ok(out)
    }

    /// Stores a new user; `Ok(false)` when the user ID is already registered (nothing written).
    pub async fn create(&self, tenant: &TenantId, user: &UserRecord) -> ImResult<bool> {
        match self.store.put(user.to_item(tenant), Some(Condition::ItemNotExists)).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn create_get_and_duplicate() {
        let repo = UserRepo::new(Arc::new(MemStore::new()));
        let t = TenantId::default_tenant();
        let u = UserRecord { user_id: "u1".into(), nickname: "n".into(), create_time: 7, ..Default::default() };
        assert!(repo.create(&t, &u).await.unwrap());
        assert!(!repo.create(&t, &u).await.unwrap());
        assert_eq!(repo.get(&t, "u1").await.unwrap(), Some(u.clone()));
        assert!(!repo.exists(&TenantId::parse("other").unwrap(), "u1").await.unwrap());
        let many = repo.get_many(&t, &["x".into(), "u1".into()]).await.unwrap();
        assert_eq!(many, vec![u]);
    }
}
