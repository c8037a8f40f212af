//! An in-memory reference store: a test double, not a backend.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use im_domain::store::eval::{apply_update, condition_holds};
use im_domain::store::{
    BatchWrite, Condition, Consistency, Cursor, Index, Item, Key, Page, Query, Store, StoreError, StoreResult, Update,
    WriteOp, limits,
};

/// A trivial in-memory [`Store`] built on the reference semantics of [`im_domain::store::eval`]
/// and the checks of [`im_domain::store::limits`].
///
/// **A test double, not a backend**: nothing is persisted, every call takes one global lock, and
/// the 1 MB query page cap is not modelled. It validates the conformance suite itself and serves
/// fast unit tests of domain logic. Like DynamoDB, a query page that reaches its `limit` carries a
/// cursor even when no item follows, so callers must accept a final empty page.
#[derive(Debug, Default)]
pub struct MemStore {
    items: Mutex<BTreeMap<Key, Item>>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> Self {
        MemStore::default()
    }

    /// Number of items stored, over all tenants (for tests).
    pub fn len(&self) -> usize {
        self.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether no item is stored (for tests).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> StoreResult<MutexGuard<'_, BTreeMap<Key, Item>>> {
        self.items.lock().map_err(|_| StoreError::Internal("in-memory store lock poisoned".into()))
    }
}

fn check_opt_condition(condition: Option<&Condition>) -> StoreResult<()> {
    condition.map_or(Ok(()), limits::check_condition)
}

fn holds(condition: Option<&Condition>, current: Option<&Item>) -> bool {
    condition.is_none_or(|c| condition_holds(c, current))
}

/// Applies an update like [`Store::update`] does (result size included), without storing it.
fn updated(key: &Key, current: Option<&Item>, update: &Update) -> StoreResult<Item> {
    let item = apply_update(key, current, update)?;
    limits::check_item_size(&item)?;
    Ok(item)
}

/// The position of an item in an index-ordered query: (index sk, pk, sk), byte-wise.
fn index_position(item: &Item) -> (&str, &str, &str) {
    let isk = item.index.as_ref().map_or("", |ix| ix.sk.as_str());
    (isk, item.key.pk.as_str(), item.key.sk.as_str())
}

#[async_trait]
impl Store for MemStore {
    async fn get(&self, key: &Key, _consistency: Consistency) -> StoreResult<Option<Item>> {
        limits::check_key(key)?;
        Ok(self.lock()?.get(key).cloned())
    }

    async fn batch_get(&self, keys: &[Key], _consistency: Consistency) -> StoreResult<Vec<Option<Item>>> {
        limits::check_batch_get(keys)?;
        let map = self.lock()?;
        Ok(keys.iter().map(|k| map.get(k).cloned()).collect())
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()> {
        limits::check_item(&item)?;
        check_opt_condition(condition.as_ref())?;
        let mut map = self.lock()?;
        if !holds(condition.as_ref(), map.get(&item.key)) {
            return Err(StoreError::ConditionFailed);
        }
        map.insert(item.key.clone(), item);
        Ok(())
    }

    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item> {
        limits::check_update(key, update)?;
        check_opt_condition(condition.as_ref())?;
        let mut map = self.lock()?;
        let current = map.get(key);
        if !holds(condition.as_ref(), current) {
            return Err(StoreError::ConditionFailed);
        }
        let item = updated(key, current, update)?;
        map.insert(key.clone(), item.clone());
        Ok(update.returned(item))
    }

    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>> {
        limits::check_key(key)?;
        check_opt_condition(condition.as_ref())?;
        let mut map = self.lock()?;
        if !holds(condition.as_ref(), map.get(key)) {
            return Err(StoreError::ConditionFailed);
        }
        Ok(map.remove(key))
    }

    async fn query(&self, q: &Query) -> StoreResult<Page> {
        limits::check_query(q)?;
        let bad_cursor = || StoreError::Validation("invalid pagination cursor".into());
        let cursor = q.cursor.as_ref().map(Cursor::parts).transpose()?;
        let map = self.lock()?;
        let mut hits: Vec<&Item> = match q.index {
            Index::Primary => {
                let start = Key::new(&q.tenant, q.pk.clone(), String::new());
                map.range(start..)
                    .map(|(_, item)| item)
                    .take_while(|i| i.key.tenant == q.tenant && i.key.pk == q.pk)
                    .filter(|i| q.sort.matches(&i.key.sk))
                    .collect()
            }
            Index::Gsi1 => {
                let mut v: Vec<&Item> = map
                    .values()
                    .filter(|i| i.key.tenant == q.tenant)
                    .filter(|i| i.index.as_ref().is_some_and(|ix| ix.pk == q.pk && q.sort.matches(&ix.sk)))
                    .collect();
                v.sort_by(|a, b| index_position(a).cmp(&index_position(b)));
                v
            }
        };
        if !q.forward {
            hits.reverse();
        }
        if let Some(parts) = cursor {
            // The item is after the cursor when it orders strictly past it in the query's direction.
            let wanted = if q.forward { Ordering::Greater } else { Ordering::Less };
            hits = match (q.index, parts.as_slice()) {
                (Index::Primary, [pk, sk]) if *pk == q.pk => {
                    hits.into_iter().filter(|i| i.key.sk.as_str().cmp(sk.as_str()) == wanted).collect()
                }
                (Index::Gsi1, [pk, sk, ipk, isk]) if *ipk == q.pk => {
                    let at = (isk.as_str(), pk.as_str(), sk.as_str());
                    hits.into_iter().filter(|i| index_position(i).cmp(&at) == wanted).collect()
                }
                _ => return Err(bad_cursor()),
            };
        }
        let limit = q.limit.map_or(usize::MAX, |n| n as usize);
        hits.truncate(limit);
        let cursor = match hits.last() {
            Some(last) if hits.len() == limit => Some(match (q.index, &last.index) {
                (Index::Gsi1, Some(ix)) => {
                    Cursor::from_parts(&[&last.key.pk, &last.key.sk, ix.pk.as_str(), ix.sk.as_str()])
                }
                _ => Cursor::from_parts(&[&last.key.pk, &last.key.sk]),
            }),
            _ => None,
        };
        Ok(Page { items: hits.into_iter().cloned().collect(), cursor })
    }

    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()> {
        limits::check_batch_write(&writes)?;
        let mut map = self.lock()?;
        for w in writes {
            match w {
                BatchWrite::Put(item) => {
                    map.insert(item.key.clone(), item);
                }
                BatchWrite::Delete(key) => {
                    map.remove(&key);
                }
            }
        }
        Ok(())
    }

    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        limits::check_transaction(&ops)?;
        let mut map = self.lock()?;
        let failed: Vec<usize> = ops
            .iter()
            .enumerate()
            .filter(|(_, op)| !holds(op.condition(), map.get(op.key())))
            .map(|(i, _)| i)
            .collect();
        if !failed.is_empty() {
            return Err(StoreError::TransactionCanceled { failed });
        }
        // Compute every new state first so that an invalid update writes nothing.
        let mut writes: Vec<(Key, Option<Item>)> = Vec::with_capacity(ops.len());
        for op in ops {
            match op {
                WriteOp::Put { item, .. } => writes.push((item.key.clone(), Some(item))),
                WriteOp::Update { key, update, .. } => {
                    let item = updated(&key, map.get(&key), &update)?;
                    writes.push((key, Some(item)));
                }
                WriteOp::Delete { key, .. } => writes.push((key, None)),
                WriteOp::Check { .. } => {}
            }
        }
        for (key, item) in writes {
            match item {
                Some(item) => map.insert(key, item),
                None => map.remove(&key),
            };
        }
        Ok(())
    }
}
