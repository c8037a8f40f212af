//! Version logs for incremental sync (reference §6.9), one mechanism for friends, joined groups,
//! group members and conversations.
//!
//! Per owner (`VLOG#<kind>#<ownerID>`): a head item (`head`: `vid` versionID, `ver` current
//! version, `low` oldest version still logged, `sver` sort version) and one entry per change
//! (`<version:020>#<elementID>`: `eid`, `state`). A change costs two writes (head, entry).
//! A client holding (versionID, version) gets the element IDs changed since, or `full` when its
//! versionID is unknown, its version has been truncated away, or more than `limit` elements changed.

use std::collections::BTreeMap;

use im_domain::TenantId;
use im_domain::clock::Env;
use im_domain::store::{
    BatchWrite, Condition, Consistency, Item, Key, Query, SortCondition, Store, StoreError, StoreResult, Update,
};

/// What a version log tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// A user's friends.
    Friend,
    /// A user's joined groups.
    JoinedGroup,
    /// A group's members.
    GroupMember,
    /// A user's conversations.
    Conversation,
}

impl LogKind {
    fn tag(self) -> &'static str {
        match self {
            LogKind::Friend => "F",
            LogKind::JoinedGroup => "JG",
            LogKind::GroupMember => "GM",
            LogKind::Conversation => "C",
        }
    }
}

/// Element-ID marking a change of the owner itself (e.g. group info), as in OpenIM.
pub const OWNER_ELEMENT_ID: &str = "";
/// Element-ID marking a change of sort order, as in OpenIM.
pub const SORT_ELEMENT_ID: &str = "____S_O_R_T_I_D____";
/// Most changed elements returned incrementally before answering `full`.
pub const DEFAULT_LIMIT: usize = 200;
/// Entries kept per owner before the oldest are truncated.
const KEEP: i64 = 2000;

/// Kind of change of one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeState {
    /// Added.
    Insert = 1,
    /// Removed.
    Delete = 2,
    /// Changed.
    Update = 3,
}

impl ChangeState {
    fn from_n(n: i64) -> Option<Self> {
        match n {
            1 => Some(ChangeState::Insert),
            2 => Some(ChangeState::Delete),
            3 => Some(ChangeState::Update),
            _ => None,
        }
    }
}

/// The current version of a log.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Head {
    /// versionID (24 hex digits, like a Mongo ObjectID).
    pub version_id: String,
    /// Current version.
    pub version: u64,
    /// Version of the last sort change.
    pub sort_version: u64,
}

/// Changes since a client's version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// The log's head now.
    pub head: Head,
    /// The client must refetch everything.
    pub full: bool,
    /// Elements added since (in change order).
    pub insert: Vec<String>,
    /// Elements changed since.
    pub update: Vec<String>,
    /// Elements removed since.
    pub delete: Vec<String>,
}

/// Version logs on the storage port.
pub struct VersionLog<'a> {
    store: &'a dyn Store,
    env: &'a Env,
}

fn pk(kind: LogKind, owner: &str) -> String {
    format!("VLOG#{}#{owner}", kind.tag())
}

fn head_key(t: &TenantId, kind: LogKind, owner: &str) -> Key {
    Key::new(t, pk(kind, owner), "head")
}

fn head_of(item: &Item) -> Head {
    Head {
        version_id: item.s("vid").unwrap_or_default().to_string(),
        version: item.n("ver").unwrap_or(0).max(0) as u64,
        sort_version: item.n("sver").unwrap_or(0).max(0) as u64,
    }
}

impl<'a> VersionLog<'a> {
    /// Logs on `store`, with IDs from `env`.
    pub fn new(store: &'a dyn Store, env: &'a Env) -> Self {
        VersionLog { store, env }
    }

    fn new_version_id(&self) -> String {
        format!("{:024x}", self.env.ids.next_u128() & ((1u128 << 96) - 1))
    }

    /// Records changes of several elements as one new version; returns the new head.
    pub async fn append(
        &self,
        t: &TenantId,
        kind: LogKind,
        owner: &str,
        changes: &[(&str, ChangeState)],
    ) -> StoreResult<Head> {
        let mut update = Update::new().set_sum("ver", "ver", 1).set_if_not_exists("vid", self.new_version_id());
        if changes.iter().any(|(e, _)| *e == SORT_ELEMENT_ID) {
            update = update.set_sum("sver", "ver", 1);
        }
        let item = self.store.update(&head_key(t, kind, owner), &update, None).await?;
        let head = head_of(&item);
        let v = head.version;
        let writes: Vec<BatchWrite> = changes
            .iter()
            .map(|(eid, state)| {
                BatchWrite::Put(
                    Item::new(Key::new(t, pk(kind, owner), format!("{v:020}#{eid}")))
                        .with("eid", *eid)
                        .with("state", *state as i64),
                )
            })
            .collect();
        if !writes.is_empty() {
            self.store.batch_write(writes).await?;
        }
        let low = item.n("low").unwrap_or(0);
        if v as i64 - low > 2 * KEEP {
            self.truncate(t, kind, owner, v as i64 - KEEP).await?;
        }
        Ok(head)
    }

    /// Drops entries older than `below` and records the new low-water mark.
    async fn truncate(&self, t: &TenantId, kind: LogKind, owner: &str, below: i64) -> StoreResult<()> {
        self.store
            .update(
                &head_key(t, kind, owner),
                &Update::new().set("low", below),
                Some(Condition::lt("low", below).or(Condition::NotExists("low".into()))),
            )
            .await
            .map(|_| ())
            .or_else(|e| if e == StoreError::ConditionFailed { Ok(()) } else { Err(e) })?;
        let mut cursor = None;
        loop {
            let q = Query::partition(t, pk(kind, owner))
                .sort(SortCondition::Lt(format!("{below:020}")))
                .limit(500)
                .after(cursor);
            let page = self.store.query(&q).await?;
            let deletes: Vec<_> = page.items.into_iter().map(|i| BatchWrite::Delete(i.key)).collect();
            if !deletes.is_empty() {
                self.store.batch_write(deletes).await?;
            }
            cursor = page.cursor;
            if cursor.is_none() {
                return Ok(());
            }
        }
    }

    /// The current head, creating the log (version 0) if it does not exist yet.
    pub async fn head(&self, t: &TenantId, kind: LogKind, owner: &str) -> StoreResult<Head> {
        let key = head_key(t, kind, owner);
        if let Some(item) = self.store.get(&key, Consistency::Strong).await? {
            return Ok(head_of(&item));
        }
        let item = self
            .store
            .update(
                &key,
                &Update::new().set_if_not_exists("vid", self.new_version_id()).set_if_not_exists("ver", 1i64),
                None,
            )
            .await?;
        Ok(head_of(&item))
    }

    /// Changes since (`version_id`, `version`), at most `limit` elements before answering `full`.
    pub async fn since(
        &self,
        t: &TenantId,
        kind: LogKind,
        owner: &str,
        version_id: &str,
        version: u64,
        limit: usize,
    ) -> StoreResult<Changes> {
        let head = self.head(t, kind, owner).await?;
        let full = |head: Head| Changes { head, full: true, ..Changes::default() };
        if version_id.is_empty() || version_id != head.version_id || version > head.version {
            return Ok(full(head));
        }
        if version == head.version {
            return Ok(Changes { head, ..Changes::default() });
        }
        let low =
            self.store.get(&head_key(t, kind, owner), Consistency::Strong).await?.and_then(|i| i.n("low")).unwrap_or(0);
        if (version as i64) < low {
            return Ok(full(head));
        }
        // Fold the entries after `version`: the latest state of each element wins, except that
        // an element inserted and then updated in the window is still an insert.
        let mut order: Vec<String> = Vec::new();
        let mut state: BTreeMap<String, ChangeState> = BTreeMap::new();
        let mut cursor = None;
        loop {
            let q = Query::partition(t, pk(kind, owner))
                .sort(SortCondition::Between(format!("{:020}", version + 1), format!("{:020}~", head.version)))
                .limit(1000)
                .after(cursor);
            let page = self.store.query(&q).await?;
            for item in &page.items {
                let (Some(eid), Some(s)) = (item.s("eid"), item.n("state").and_then(ChangeState::from_n)) else {
                    continue;
                };
                match state.get(eid).copied() {
                    None => {
                        order.push(eid.to_string());
                        state.insert(eid.to_string(), s);
                    }
                    Some(ChangeState::Insert) if s == ChangeState::Update => {}
                    Some(_) => {
                        state.insert(eid.to_string(), s);
                    }
                }
                if state.len() > limit {
                    return Ok(full(head));
                }
            }
            cursor = page.cursor;
            if cursor.is_none() {
                break;
            }
        }
        let mut out = Changes { head, ..Changes::default() };
        for eid in order {
            match state.get(&eid) {
                Some(ChangeState::Insert) => out.insert.push(eid),
                Some(ChangeState::Update) => out.update.push(eid),
                Some(ChangeState::Delete) => out.delete.push(eid),
                None => {}
            }
        }
        Ok(out)
    }
}

/// OpenIM's ID-list hash: MD5 of the JSON array of IDs (in server order), first 8 bytes as a
/// big-endian u64; 0 for an empty list (as OpenIM answers it).
pub fn id_hash(ids: &[String]) -> u64 {
    use md5::{Digest, Md5};
    if ids.is_empty() {
        return 0;
    }
    let json = serde_json::to_vec(ids).unwrap_or_default();
    let digest = Md5::digest(&json);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use im_domain::clock::{ManualClock, SequentialIdGen};
    use im_store_conformance::MemStore;
    use std::collections::BTreeSet;
    use std::sync::Arc;

    fn env() -> Env {
        Env { clock: Arc::new(ManualClock::new(0)), ids: Arc::new(SequentialIdGen::default()) }
    }

    #[tokio::test]
    async fn replaying_from_every_version_reproduces_the_set() {
        let store = MemStore::new();
        let env = env();
        let log = VersionLog::new(&store, &env);
        let t = TenantId::default();
        // 300 changes: adds, removals and updates of 60 elements.
        let mut truth: BTreeSet<String> = BTreeSet::new();
        let mut snapshots = vec![(1u64, truth.clone())];
        let mut head = log.head(&t, LogKind::Friend, "u").await.unwrap();
        for i in 0..300u64 {
            let eid = format!("f{}", (i * 7) % 60);
            let state = if truth.contains(&eid) {
                if i % 3 == 0 { ChangeState::Update } else { ChangeState::Delete }
            } else {
                ChangeState::Insert
            };
            match state {
                ChangeState::Insert => {
                    truth.insert(eid.clone());
                }
                ChangeState::Delete => {
                    truth.remove(&eid);
                }
                ChangeState::Update => {}
            }
            head = log.append(&t, LogKind::Friend, "u", &[(&eid, state)]).await.unwrap();
            snapshots.push((head.version, truth.clone()));
        }
        assert_eq!(head.version, 301, "the log starts at version 1, as OpenIM");
        for (version, mut set) in snapshots {
            let c = log.since(&t, LogKind::Friend, "u", &head.version_id, version, 200).await.unwrap();
            assert!(!c.full, "from {version}");
            for d in &c.delete {
                set.remove(d);
            }
            set.extend(c.insert.iter().cloned());
            assert!(c.update.iter().all(|u| set.contains(u)), "from {version}: update of a missing element");
            assert_eq!(set, truth, "replay from version {version}");
        }
        let unknown = log.since(&t, LogKind::Friend, "u", "ffff", 3, 200).await.unwrap();
        assert!(unknown.full);
        let empty = log.since(&t, LogKind::Friend, "u", "", 0, 200).await.unwrap();
        assert!(empty.full);
        let capped = log.since(&t, LogKind::Friend, "u", &head.version_id, 0, 10).await.unwrap();
        assert!(capped.full, "more changes than the limit");
    }

    #[test]
    fn id_hash_matches_openim() {
        assert_eq!(id_hash(&[]), 0);
        // MD5("[\"a\",\"b\"]") first 8 bytes
        let h = id_hash(&["a".to_string(), "b".to_string()]);
        assert_ne!(h, 0);
    }
}
