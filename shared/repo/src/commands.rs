//! User commands (`/user/process_user_command_*`): free-form per-user records keyed by type and
//! UUID, stored as `U#<userID>` / `CMD#<type>#<uuid>`.

use im_domain::store::{Condition, Consistency, DynStore, Item, Query, SortCondition, StoreError, Update};
use im_domain::{ImResult, TenantId};

use crate::keys;

/// One user command (OpenIM `CommandInfoResp`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserCommand {
    /// Command type (`type`).
    pub kind: i32,
    /// Command UUID.
    pub uuid: String,
    /// Value.
    pub value: String,
    /// Extension.
    pub ex: String,
    /// Creation time, Unix **seconds** (as OpenIM stores it).
    pub create_time: i64,
}

mod attr {
    pub const KIND: &str = "type";
    pub const UUID: &str = "uuid";
    pub const VALUE: &str = "value";
    pub const EX: &str = "ex";
    pub const CREATE_TIME: &str = "createTime";
}

impl UserCommand {
    fn to_item(&self, tenant: &TenantId, user_id: &str) -> Item {
        Item::new(keys::user_command(tenant, user_id, self.kind, &self.uuid))
            .with(attr::KIND, self.kind)
            .with(attr::UUID, self.uuid.as_str())
            .with(attr::VALUE, self.value.as_str())
            .with(attr::EX, self.ex.as_str())
            .with(attr::CREATE_TIME, self.create_time)
    }

    fn from_item(item: &Item) -> Self {
        let s = |n: &str| item.s(n).unwrap_or_default().to_string();
        UserCommand {
            kind: i32::try_from(item.n(attr::KIND).unwrap_or_default()).unwrap_or_default(),
            uuid: s(attr::UUID),
            value: s(attr::VALUE),
            ex: s(attr::EX),
            create_time: item.n(attr::CREATE_TIME).unwrap_or_default(),
        }
    }
}

/// Store-backed user-command repository.
#[derive(Clone)]
pub struct CommandRepo {
    store: DynStore,
}

impl CommandRepo {
    /// A repository on `store`.
    pub fn new(store: DynStore) -> Self {
        CommandRepo { store }
    }

    /// Stores a command, replacing one with the same type and UUID.
    pub async fn put(&self, tenant: &TenantId, user_id: &str, cmd: &UserCommand) -> ImResult<()> {
        Ok(self.store.put(cmd.to_item(tenant, user_id), None).await?)
    }

    /// Sets the value and/or extension of an existing command; `Ok(false)` when there is none.
    /// Nothing to set is a successful no-op.
    pub async fn update(
        &self,
        tenant: &TenantId,
        user_id: &str,
        kind: i32,
        uuid: &str,
        value: Option<&str>,
        ex: Option<&str>,
    ) -> ImResult<bool> {
        let mut up = Update::new();
        if let Some(v) = value {
            up = up.set(attr::VALUE, v);
        }
        if let Some(v) = ex {
            up = up.set(attr::EX, v);
        }
        if up.actions.is_empty() {
            return Ok(true);
        }
        let key = keys::user_command(tenant, user_id, kind, uuid);
        match self.store.update(&key, &up, Some(Condition::ItemExists)).await {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes a command; `Ok(false)` when there was none.
    pub async fn delete(&self, tenant: &TenantId, user_id: &str, kind: i32, uuid: &str) -> ImResult<bool> {
        let key = keys::user_command(tenant, user_id, kind, uuid);
        match self.store.delete(&key, Some(Condition::ItemExists)).await {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// A user's commands, of one type or of all types (ordered by type, then UUID).
    pub async fn list(&self, tenant: &TenantId, user_id: &str, kind: Option<i32>) -> ImResult<Vec<UserCommand>> {
        let prefix = kind.map_or_else(|| keys::COMMAND_SK_PREFIX.to_string(), keys::user_command_prefix);
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let q = Query::partition(tenant, keys::user_pk(user_id))
                .sort(SortCondition::BeginsWith(prefix.clone()))
                .after(cursor);
            let page = self.store.query(&q).await?;
            out.extend(page.items.iter().map(UserCommand::from_item));
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        if kind.is_none() {
            out.sort_by(|a, b| (a.kind, &a.uuid).cmp(&(b.kind, &b.uuid)));
        }
        Ok(out)
    }

    /// Whether a command exists (strongly consistent).
    pub async fn exists(&self, tenant: &TenantId, user_id: &str, kind: i32, uuid: &str) -> ImResult<bool> {
        let key = keys::user_command(tenant, user_id, kind, uuid);
        Ok(self.store.get(&key, Consistency::Strong).await?.is_some())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use im_store_conformance::MemStore;

    use super::*;

    #[tokio::test]
    async fn put_update_delete_list() {
        let repo = CommandRepo::new(Arc::new(MemStore::new()));
        let t = TenantId::default_tenant();
        let c = |kind, uuid: &str| UserCommand {
            kind,
            uuid: uuid.into(),
            value: "v".into(),
            create_time: 9,
            ..Default::default()
        };
        for cmd in [c(2, "b"), c(2, "a"), c(12, "z"), c(-1, "n")] {
            repo.put(&t, "u1", &cmd).await.unwrap();
        }
        let of2: Vec<String> = repo.list(&t, "u1", Some(2)).await.unwrap().into_iter().map(|c| c.uuid).collect();
        assert_eq!(of2, ["a", "b"]);
        let all: Vec<i32> = repo.list(&t, "u1", None).await.unwrap().into_iter().map(|c| c.kind).collect();
        assert_eq!(all, [-1, 2, 2, 12]);
        assert!(repo.update(&t, "u1", 2, "a", None, Some("e")).await.unwrap());
        let a = &repo.list(&t, "u1", Some(2)).await.unwrap()[0];
        assert_eq!((a.value.as_str(), a.ex.as_str(), a.create_time), ("v", "e", 9));
        assert!(!repo.update(&t, "u1", 2, "nope", Some("x"), None).await.unwrap());
        assert!(repo.update(&t, "u1", 2, "nope", None, None).await.unwrap());
        assert!(repo.delete(&t, "u1", 2, "a").await.unwrap());
        assert!(!repo.delete(&t, "u1", 2, "a").await.unwrap());
        assert!(!repo.exists(&t, "u1", 2, "a").await.unwrap());
        assert!(repo.list(&t, "u2", None).await.unwrap().is_empty());
    }
}
