//! Token state on the store: one item per user and platform (`U#<userID>` / `TOK#<platformID>`,
//! OpenIM's Redis hash `UID_PID_TOKEN_STATUS:<userID>:<platform>`), mapping each token's key
//! (the SHA-256 of its signature, [`crate::jwt::token_key`]) to its state (0 normal, 2 kicked,
//! …), expiry and issue time. Neither tokens nor signatures are stored.
//!
//! Writes are optimistic: every item carries a version `ver`, and a write is conditional on the
//! version it read; a lost race returns `Ok(false)` and the caller re-reads and retries.

use std::collections::BTreeMap;

use im_domain::store::{AttrValue, Condition, Consistency, DynStore, Item, Query, SortCondition, StoreError, WriteOp};
use im_domain::{ImResult, TenantId};
use im_repo::keys;

/// One token's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenEntry {
    /// The token's key: hex SHA-256 of its signature segment ([`crate::jwt::token_key`]).
    pub sig: String,
    /// State (see `constants::token_state`).
    pub state: i32,
    /// Expiry, Unix seconds.
    pub exp: i64,
    /// Issue time, Unix seconds.
    pub iat: i64,
}

/// The tokens of one user on one platform, as read (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformTokens {
    /// Platform ID.
    pub platform_id: i32,
    /// Version read (`None`: no item stored).
    pub version: Option<i64>,
    /// Entries ordered by issue time, then key.
    pub tokens: Vec<TokenEntry>,
}

impl PlatformTokens {
    /// An empty, not-yet-stored set.
    pub fn empty(platform_id: i32) -> Self {
        PlatformTokens { platform_id, version: None, tokens: Vec::new() }
    }

    /// The entry of a token key ([`crate::jwt::token_key`]).
    pub fn find(&self, sig: &str) -> Option<&TokenEntry> {
        self.tokens.iter().find(|t| t.sig == sig)
    }

    fn sort(&mut self) {
        self.tokens.sort_by(|a, b| (a.iat, &a.sig).cmp(&(b.iat, &b.sig)));
    }
}

mod attr {
    pub const TOKENS: &str = "toks";
    pub const VERSION: &str = "ver";
    pub const STATE: &str = "s";
    pub const EXP: &str = "e";
    pub const IAT: &str = "i";
}

fn decode(platform_id: i32, item: &Item) -> PlatformTokens {
    let mut out = PlatformTokens { platform_id, version: Some(item.n(attr::VERSION).unwrap_or(0)), tokens: vec![] };
    if let Some(map) = item.attrs.get(attr::TOKENS).and_then(AttrValue::as_m) {
        for (sig, v) in map {
            let Some(m) = v.as_m() else { continue };
            let n = |k: &str| m.get(k).and_then(AttrValue::as_n).unwrap_or(0);
            out.tokens.push(TokenEntry {
                sig: sig.clone(),
                state: i32::try_from(n(attr::STATE)).unwrap_or(-1),
                exp: n(attr::EXP),
                iat: n(attr::IAT),
            });
        }
    }
    out.sort();
    out
}

fn encode(tenant: &TenantId, user_id: &str, set: &PlatformTokens, version: i64) -> Item {
    let map: BTreeMap<String, AttrValue> = set
        .tokens
        .iter()
        .map(|t| {
            let m = BTreeMap::from([
                (attr::STATE.to_string(), AttrValue::from(t.state)),
                (attr::EXP.to_string(), AttrValue::from(t.exp)),
                (attr::IAT.to_string(), AttrValue::from(t.iat)),
            ]);
            (t.sig.clone(), AttrValue::M(m))
        })
        .collect();
    let ttl = set.tokens.iter().map(|t| t.exp).max().unwrap_or(0);
    Item::new(keys::token_state(tenant, user_id, set.platform_id))
        .with(attr::TOKENS, AttrValue::M(map))
        .with(attr::VERSION, version)
        .with(im_domain::store::TTL_ATTR, ttl)
}

fn version_condition(read: Option<i64>) -> Condition {
    match read {
        Some(v) => Condition::eq(attr::VERSION, v),
        None => Condition::ItemNotExists,
    }
}

/// Store-backed token-state repository.
#[derive(Clone)]
pub struct TokenStateRepo {
    store: DynStore,
}

impl TokenStateRepo {
    /// A repository on `store`.
    pub fn new(store: DynStore) -> Self {
        TokenStateRepo { store }
    }

    /// The tokens of one user and platform (empty when none).
    pub async fn load(&self, tenant: &TenantId, user_id: &str, platform_id: i32) -> ImResult<PlatformTokens> {
        let key = keys::token_state(tenant, user_id, platform_id);
        Ok(match self.store.get(&key, Consistency::Strong).await? {
            Some(item) => decode(platform_id, &item),
            None => PlatformTokens::empty(platform_id),
        })
    }

    /// The tokens of every platform of a user (platforms without an item are absent).
    pub async fn load_all(&self, tenant: &TenantId, user_id: &str) -> ImResult<Vec<PlatformTokens>> {
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let q = Query::partition(tenant, keys::user_pk(user_id))
                .sort(SortCondition::BeginsWith(keys::TOKEN_SK_PREFIX.into()))
                .after(cursor);
            let page = self.store.query(&q).await?;
            for item in &page.items {
                if let Some(pid) = keys::token_state_platform(&item.key.sk) {
                    out.push(decode(pid, item));
                }
            }
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// Writes new contents for the given platforms, each conditional on the version it was read
    /// at (an emptied set deletes its item). All-or-nothing; `Ok(false)` when another writer won.
    pub async fn save(&self, tenant: &TenantId, user_id: &str, sets: &[PlatformTokens]) -> ImResult<bool> {
        let mut ops: Vec<WriteOp> = Vec::with_capacity(sets.len());
        for set in sets {
            let condition = Some(version_condition(set.version));
            if set.tokens.is_empty() {
                if set.version.is_some() {
                    ops.push(WriteOp::Delete { key: keys::token_state(tenant, user_id, set.platform_id), condition });
                }
            } else {
                let item = encode(tenant, user_id, set, set.version.unwrap_or(0) + 1);
                ops.push(WriteOp::Put { item, condition });
            }
        }
        let result = match ops.len() {
            0 => return Ok(true),
            1 => match ops.remove(0) {
                WriteOp::Put { item, condition } => self.store.put(item, condition).await,
                WriteOp::Delete { key, condition } => self.store.delete(&key, condition).await.map(|_| ()),
                op => self.store.transact_write(vec![op]).await,
            },
            _ => self.store.transact_write(ops).await,
        };
        match result {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed | StoreError::TransactionCanceled { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use im_store_conformance::MemStore;

    use super::*;

    fn entry(sig: &str, iat: i64) -> TokenEntry {
        TokenEntry { sig: sig.into(), state: 0, exp: iat + 100, iat }
    }

    #[tokio::test]
    async fn round_trip_versions_and_conflicts() {
        let repo = TokenStateRepo::new(Arc::new(MemStore::new()));
        let t = TenantId::default_tenant();
        let mut web = repo.load(&t, "u", 5).await.unwrap();
        assert_eq!(web, PlatformTokens::empty(5));
        web.tokens = vec![entry("b", 2), entry("a", 1)];
        let mut ios = PlatformTokens::empty(1);
        ios.tokens = vec![entry("c", 3)];
        assert!(repo.save(&t, "u", &[web.clone(), ios]).await.unwrap());
        // A stale version loses.
        assert!(!repo.save(&t, "u", std::slice::from_ref(&web)).await.unwrap());
        let all = repo.load_all(&t, "u").await.unwrap();
        assert_eq!(all.len(), 2);
        let web = all.iter().find(|p| p.platform_id == 5).unwrap();
        assert_eq!(web.version, Some(1));
        assert_eq!(web.tokens.iter().map(|e| e.sig.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        // Emptying deletes the item.
        let mut cleared = web.clone();
        cleared.tokens.clear();
        assert!(repo.save(&t, "u", &[cleared]).await.unwrap());
        assert_eq!(repo.load(&t, "u", 5).await.unwrap(), PlatformTokens::empty(5));
    }
}
