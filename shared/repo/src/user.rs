//! User records (`UserInfo`, reference A.2) on the store.
//!
//! Besides the profile item (listed on the `USERS` index in creation order) every registration
//! moves a sharded counter (`USERS#N`, so `total` is a 16-item read, not a scan) and, for system
//! accounts (appMangerLevel ≥ 2), writes a marker under `SYSUSERS` (so notification accounts and
//! the number of non-ordinary users are known without a scan). Both move in the same
//! transaction as the profile. See [`crate::keys`] for the layout.

use im_domain::constants::app_manager_level;
use im_domain::store::limits::item_size;
use im_domain::store::{
    BatchWrite, Condition, Consistency, Cursor, DynStore, Item, Key, Query, StoreError, Update, WriteOp,
};
use im_domain::{ErrCode, ImError, ImResult, TenantId};

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
    /// Counter attribute of a `USERS#N` shard.
    pub const COUNT: &str = "n";
}

/// Largest number of writes in one registration transaction (the port's limit).
const TX_MAX_OPS: usize = im_domain::store::limits::MAX_TRANSACT_ITEMS;
/// Largest summed item size of one registration transaction (DynamoDB allows 4 MB).
const TX_MAX_BYTES: usize = 3 << 20;
/// Attempts of a registration chunk that hits a transient failure (e.g. a transaction conflict).
const TX_ATTEMPTS: u32 = 4;
/// Attempts of a profile update that races another level change.
const UPDATE_ATTEMPTS: usize = 5;

impl UserRecord {
    /// Whether this is a system account (app admin, notification or robot account): not an
    /// ordinary user (levels 0 and 1).
    pub fn is_system(&self) -> bool {
        self.app_manger_level >= app_manager_level::APP_ADMIN
    }

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

/// Fields to change on a profile; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfilePatch {
    /// New nickname.
    pub nickname: Option<String>,
    /// New avatar URL.
    pub face_url: Option<String>,
    /// New extension.
    pub ex: Option<String>,
    /// New appMangerLevel.
    pub app_manger_level: Option<i32>,
    /// New globalRecvMsgOpt.
    pub global_recv_msg_opt: Option<i32>,
}

impl ProfilePatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == ProfilePatch::default()
    }

    /// `user` with the patch applied.
    pub fn apply(&self, user: &UserRecord) -> UserRecord {
        let mut u = user.clone();
        if let Some(v) = &self.nickname {
            u.nickname.clone_from(v);
        }
        if let Some(v) = &self.face_url {
            u.face_url.clone_from(v);
        }
        if let Some(v) = &self.ex {
            u.ex.clone_from(v);
        }
        if let Some(v) = self.app_manger_level {
            u.app_manger_level = v;
        }
        if let Some(v) = self.global_recv_msg_opt {
            u.global_recv_msg_opt = v;
        }
        u
    }

    fn to_update(&self) -> Update {
        let mut up = Update::new();
        for (name, v) in [(attr::NICKNAME, &self.nickname), (attr::FACE_URL, &self.face_url), (attr::EX, &self.ex)] {
            if let Some(v) = v {
                up = up.set(name, v.as_str());
            }
        }
        for (name, v) in
            [(attr::APP_MANGER_LEVEL, self.app_manger_level), (attr::GLOBAL_RECV_MSG_OPT, self.global_recv_msg_opt)]
        {
            if let Some(v) = v {
                up = up.set(name, v);
            }
        }
        up
    }
}

/// Result of [`UserRepo::create_many`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// Every user was stored.
    All,
    /// Nothing was stored: these user IDs are already registered.
    Existing(Vec<String>),
}

/// One committed registration transaction, kept for rollback.
struct Committed {
    keys: Vec<Key>,
    shard: u32,
    users: i64,
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

    /// A registered user's `globalRecvMsgOpt` (`None`: no such user), reading only that
    /// attribute (the send path's check).
    pub async fn global_recv_msg_opt(&self, tenant: &TenantId, user_id: &str) -> ImResult<Option<i32>> {
        let key = keys::user_profile(tenant, user_id);
        let item = self.store.get_projected(&key, &[attr::GLOBAL_RECV_MSG_OPT], Consistency::Strong).await?;
        Ok(item.map(|i| i32::try_from(i.n(attr::GLOBAL_RECV_MSG_OPT).unwrap_or_default()).unwrap_or_default()))
    }

    /// Whether a user is registered.
    pub async fn exists(&self, tenant: &TenantId, user_id: &str) -> ImResult<bool> {
        let key = keys::user_profile(tenant, user_id);
        Ok(self.store.get_projected(&key, &[], Consistency::Strong).await?.is_some())
    }

    /// Registered users among `user_ids`, in request order, each once (unknown IDs are skipped).
    pub async fn get_many(&self, tenant: &TenantId, user_ids: &[String]) -> ImResult<Vec<UserRecord>> {
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<&String> = user_ids.iter().filter(|id| seen.insert(id.as_str())).collect();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(im_domain::store::limits::MAX_BATCH_GET_KEYS) {
            let ks: Vec<Key> = chunk.iter().map(|id| keys::user_profile(tenant, id)).collect();
            let items = self.store.batch_get(&ks, Consistency::Strong).await?;
            out.extend(items.iter().flatten().map(UserRecord::from_item));
        }
        Ok(out)
    }

    /// Stores a new user; `Ok(false)` when the user ID is already registered (nothing written).
    pub async fn create(&self, tenant: &TenantId, user: &UserRecord) -> ImResult<bool> {
        Ok(self.create_many(tenant, std::slice::from_ref(user), Vec::new()).await? == Created::All)
    }

    /// Stores new users (distinct IDs) all-or-nothing, plus `extra` new items (e.g. credentials,
    /// written with the first users and rolled back with them).
    ///
    /// Up to ~99 users go in one transaction (with the counter shard). Larger batches run as
    /// several transactions after a pre-check read; should a later one fail (an ID registered
    /// concurrently, a store error) the earlier ones are undone, so the result is still
    /// all-or-nothing for callers that do not read concurrently.
    pub async fn create_many(&self, tenant: &TenantId, users: &[UserRecord], extra: Vec<Item>) -> ImResult<Created> {
        if users.is_empty() {
            return Ok(Created::All);
        }
        let ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
        let chunks = pack(tenant, users, extra);
        // One transaction detects taken IDs itself; several are pre-checked to avoid undoing.
        if chunks.len() > 1 {
            let existing: Vec<String> = self.get_many(tenant, &ids).await?.into_iter().map(|u| u.user_id).collect();
            if !existing.is_empty() {
                return Ok(Created::Existing(existing));
            }
        }
        let base = shard_of(&users[0].user_id);
        let mut done: Vec<Committed> = Vec::with_capacity(chunks.len());
        for (ops, count) in chunks {
            match self.commit_chunk(tenant, ops, count, base).await {
                Ok(c) => done.push(c),
                Err(e) => {
                    self.rollback(tenant, &done).await?;
                    return match e {
                        StoreError::TransactionCanceled { .. } | StoreError::ConditionFailed => {
                            let now: Vec<String> =
                                self.get_many(tenant, &ids).await?.into_iter().map(|u| u.user_id).collect();
                            Ok(Created::Existing(now))
                        }
                        other => Err(other.into()),
                    };
                }
            }
        }
        Ok(Created::All)
    }

    /// Runs one packed transaction with a counter shard, retrying transient failures on
    /// another shard.
    async fn commit_chunk(
        &self,
        tenant: &TenantId,
        ops: Vec<WriteOp>,
        users: i64,
        base: u32,
    ) -> Result<Committed, StoreError> {
        let keys: Vec<Key> = ops.iter().map(|op| op.key().clone()).collect();
        let mut attempt = 0;
        loop {
            let shard = (base + attempt) % keys::USERS_COUNT_SHARDS;
            let mut tx = ops.clone();
            let counter = keys::users_count_shard(tenant, shard);
            tx.push(WriteOp::Update { key: counter, update: Update::new().add(attr::COUNT, users), condition: None });
            match self.store.transact_write(tx).await {
                Ok(()) => return Ok(Committed { keys, shard, users }),
                Err(StoreError::Unavailable(_)) if attempt + 1 < TX_ATTEMPTS => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Undoes committed registration transactions (deletes their items, moves the counters back).
    async fn rollback(&self, tenant: &TenantId, done: &[Committed]) -> ImResult<()> {
        for c in done {
            let deletes = c.keys.iter().cloned().map(BatchWrite::Delete).collect();
            let undone = match self.store.batch_write(deletes).await {
                Ok(()) => self.store.add(&keys::users_count_shard(tenant, c.shard), attr::COUNT, -c.users).await,
                Err(e) => Err(e),
            };
            if let Err(e) = undone {
                return Err(ImError::new(
                    ErrCode::Database,
                    format!("registration partly applied; rollback failed: {e}"),
                ));
            }
        }
        Ok(())
    }

    /// Applies `patch` to a registered user; `None` when the user does not exist. Returns the
    /// record before and after. A level change that crosses the system-account boundary moves
    /// the marker in the same transaction, conditional on the level read.
    pub async fn update(
        &self,
        tenant: &TenantId,
        user_id: &str,
        patch: &ProfilePatch,
    ) -> ImResult<Option<(UserRecord, UserRecord)>> {
        let key = keys::user_profile(tenant, user_id);
        for _ in 0..UPDATE_ATTEMPTS {
            let Some(old) = self.get(tenant, user_id).await? else { return Ok(None) };
            let new = patch.apply(&old);
            if new == old {
                return Ok(Some((old, new)));
            }
            let update = patch.to_update();
            if new.app_manger_level == old.app_manger_level {
                return match self.store.update(&key, &update, Some(Condition::ItemExists)).await {
                    Ok(item) => Ok(Some((old, UserRecord::from_item(&item)))),
                    Err(StoreError::ConditionFailed) => Ok(None),
                    Err(e) => Err(e.into()),
                };
            }
            let same_level = Condition::eq(attr::APP_MANGER_LEVEL, old.app_manger_level);
            let result = if new.is_system() == old.is_system() {
                self.store.update(&key, &update, Some(same_level)).await.map(|_| ())
            } else {
                let marker = keys::sys_user(tenant, user_id);
                let marker_op = if new.is_system() {
                    WriteOp::Put { item: sys_marker(marker, user_id), condition: None }
                } else {
                    WriteOp::Delete { key: marker, condition: None }
                };
                let profile_op = WriteOp::Update { key: key.clone(), update, condition: Some(same_level) };
                self.store.transact_write(vec![profile_op, marker_op]).await
            };
            match result {
                Ok(()) => return Ok(Some((old, new))),
                Err(StoreError::ConditionFailed | StoreError::TransactionCanceled { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ImError::new(ErrCode::Database, "user profile: too many concurrent updates"))
    }

    /// Number of registered users of the tenant: the sum of the counter shards, read with one
    /// partition query (billed on their total size, not per item as a batch get would be).
    pub async fn count(&self, tenant: &TenantId) -> ImResult<i64> {
        let mut total = 0i64;
        let mut cursor = None;
        loop {
            let page = self.store.query(&Query::partition(tenant, keys::USERS_COUNT_PK).after(cursor)).await?;
            total += page.items.iter().filter_map(|i| i.n(attr::COUNT)).sum::<i64>();
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => return Ok(total.max(0)),
            }
        }
    }

    /// User IDs of the tenant's system accounts (appMangerLevel ≥ 2), in user-ID order.
    pub async fn system_user_ids(&self, tenant: &TenantId) -> ImResult<Vec<String>> {
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let q = Query::partition(tenant, keys::SYS_USERS_PK).after(cursor);
            let page = self.store.query(&q).await?;
            out.extend(page.items.into_iter().map(|i| i.key.sk));
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// One page of the `USERS` index (creation order), at most `limit` users, and the cursor of
    /// the next page. The index is eventually consistent.
    pub async fn index_page(
        &self,
        tenant: &TenantId,
        cursor: Option<Cursor>,
        limit: u32,
    ) -> ImResult<(Vec<UserRecord>, Option<Cursor>)> {
        let q = Query::partition(tenant, keys::USERS_INDEX_PK).on_index().limit(limit.max(1)).after(cursor);
        let page = self.store.query(&q).await?;
        Ok((page.items.iter().map(UserRecord::from_item).collect(), page.cursor))
    }
}

/// The marker item of a system account.
fn sys_marker(key: Key, user_id: &str) -> Item {
    Item::new(key).with(attr::USER_ID, user_id)
}

/// Splits a registration into transactions of at most [`TX_MAX_OPS`] writes (one kept for the
/// counter shard) and [`TX_MAX_BYTES`]; `extra` items go first. Returns (ops, users) per chunk.
fn pack(tenant: &TenantId, users: &[UserRecord], extra: Vec<Item>) -> Vec<(Vec<WriteOp>, i64)> {
    let put = |item: Item| WriteOp::Put { item, condition: Some(Condition::ItemNotExists) };
    let mut chunks = Vec::new();
    let (mut ops, mut bytes, mut count) = (Vec::new(), 0usize, 0i64);
    for item in extra {
        bytes += item_size(&item);
        ops.push(put(item));
    }
    for u in users {
        let mut group = vec![u.to_item(tenant)];
        if u.is_system() {
            group.push(sys_marker(keys::sys_user(tenant, &u.user_id), &u.user_id));
        }
        let size: usize = group.iter().map(item_size).sum();
        if count > 0 && (ops.len() + group.len() + 1 > TX_MAX_OPS || bytes + size > TX_MAX_BYTES) {
            chunks.push((std::mem::take(&mut ops), count));
            (bytes, count) = (0, 0);
        }
        bytes += size;
        count += 1;
        ops.extend(group.into_iter().map(put));
    }
    if !ops.is_empty() {
        chunks.push((ops, count));
    }
    chunks
}

/// Counter shard of a registration: a hash of its first user ID (FNV-1a).
fn shard_of(user_id: &str) -> u32 {
    let h = user_id.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    h % keys::USERS_COUNT_SHARDS
}

#[cfg(test)]
#[path = "user_tests.rs"]
mod tests;
