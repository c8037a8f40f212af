//! Reads of friend relations on the storage port (writes live with the operations that make them).

use std::collections::HashMap;

use im_domain::store::{Consistency, DynStore, Item, Key, Query};
use im_domain::{ImResult, TenantId};

use crate::keys;
use crate::records::{BlackRow, FriendRow, RequestRow};

/// Most keys per batch get (DynamoDB's limit).
const BATCH: usize = 100;

/// Store-backed reads of friends, applications and blacklists.
#[derive(Clone)]
pub struct RelationRepo {
    store: DynStore,
}

impl RelationRepo {
    /// Reads on `store`.
    pub fn new(store: DynStore) -> Self {
        RelationRepo { store }
    }

    /// The underlying store.
    pub fn store(&self) -> &DynStore {
        &self.store
    }

    /// Every item of a query, following cursors.
    pub async fn query_all(&self, query: Query) -> ImResult<Vec<Item>> {
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.store.query(&query.clone().after(cursor)).await?;
            out.extend(page.items);
            cursor = page.cursor;
            if cursor.is_none() {
                return Ok(out);
            }
        }
    }

    /// The items under `keys` (strongly consistent), in chunks of 100; missing keys are `None`.
    pub async fn get_many(&self, keys: &[Key]) -> ImResult<Vec<Option<Item>>> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BATCH) {
            out.extend(self.store.batch_get(chunk, Consistency::Strong).await?);
        }
        Ok(out)
    }

    /// One item, strongly consistent.
    pub async fn get(&self, key: &Key) -> ImResult<Option<Item>> {
        Ok(self.store.get(key, Consistency::Strong).await?)
    }

    /// All of `owner`'s friends, in sort-key order.
    pub async fn friends_of(&self, t: &TenantId, owner: &str) -> ImResult<Vec<FriendRow>> {
        let items = self.query_all(Query::partition(t, keys::friend_pk(owner))).await?;
        Ok(items.iter().map(FriendRow::from_item).collect())
    }

    /// `owner`'s friend rows for `ids` that exist, by friend ID.
    pub async fn friend_rows(&self, t: &TenantId, owner: &str, ids: &[String]) -> ImResult<HashMap<String, FriendRow>> {
        let ks: Vec<Key> = ids.iter().map(|id| keys::friend(t, owner, id)).collect();
        let items = self.get_many(&ks).await?;
        Ok(items.iter().flatten().map(FriendRow::from_item).map(|r| (r.friend.clone(), r)).collect())
    }

    /// Whether `friend` is in `owner`'s friend list.
    pub async fn is_friend(&self, t: &TenantId, owner: &str, friend: &str) -> ImResult<bool> {
        Ok(self.get(&keys::friend(t, owner, friend)).await?.is_some())
    }

    /// The applications `to` received.
    pub async fn requests_to(&self, t: &TenantId, to: &str) -> ImResult<Vec<RequestRow>> {
        let items = self.query_all(Query::partition(t, keys::request_pk(to))).await?;
        Ok(items.iter().map(RequestRow::from_item).collect())
    }

    /// The applications `from` sent (secondary index, eventually consistent).
    pub async fn requests_from(&self, t: &TenantId, from: &str) -> ImResult<Vec<RequestRow>> {
        let items = self.query_all(Query::partition(t, keys::request_out_pk(from)).on_index()).await?;
        Ok(items.iter().map(RequestRow::from_item).collect())
    }

    /// The application from `from` to `to`, if any.
    pub async fn request(&self, t: &TenantId, from: &str, to: &str) -> ImResult<Option<RequestRow>> {
        Ok(self.get(&keys::request(t, from, to)).await?.as_ref().map(RequestRow::from_item))
    }

    /// All of `owner`'s blacklist entries.
    pub async fn blacks_of(&self, t: &TenantId, owner: &str) -> ImResult<Vec<BlackRow>> {
        let items = self.query_all(Query::partition(t, keys::black_pk(owner))).await?;
        Ok(items.iter().map(BlackRow::from_item).collect())
    }

    /// `owner`'s blacklist entries for `ids` that exist, by blocked user ID.
    pub async fn black_rows(&self, t: &TenantId, owner: &str, ids: &[String]) -> ImResult<HashMap<String, BlackRow>> {
        let ks: Vec<Key> = ids.iter().map(|id| keys::black(t, owner, id)).collect();
        let items = self.get_many(&ks).await?;
        Ok(items.iter().flatten().map(BlackRow::from_item).map(|r| (r.blocked.clone(), r)).collect())
    }

    /// Whether `owner` has blocked `target`.
    pub async fn is_blocked(&self, t: &TenantId, owner: &str, target: &str) -> ImResult<bool> {
        Ok(self.get(&keys::black(t, owner, target)).await?.is_some())
    }
}
