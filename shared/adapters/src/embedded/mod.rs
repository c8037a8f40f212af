//! Embedded storage backend on [redb](https://docs.rs/redb): one durable file, ACID, MVCC reads.
//!
//! Reads run directly on a read transaction (they see every acknowledged write); single-item
//! reads go through a small cache of decoded items that the writer keeps coherent (`cache`). Writes go to
//! one writer thread that drains every pending request into a single write transaction and
//! commits it with `Durability::Immediate` (fsync) before acknowledging any of them: group
//! commit, so throughput grows with concurrency while every acknowledged write survives a crash.
//!
//! Layout: table `items` maps `(physical pk, sk)` to the encoded item; table `gsi1` maps
//! `(physical index pk, index sk, physical pk, sk)` to nothing, for secondary-index queries.

mod cache;
mod codec;
mod writer;

use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use async_trait::async_trait;
use im_domain::store::{
    BatchWrite, Condition, Consistency, Cursor, Index, Item, Key, Page, PutAfter, Query, SortCondition, Store,
    StoreError, StoreResult, Update, WriteOp, limits, physical_pk,
};
use redb::{Database, ReadableDatabase, TableDefinition};
use tokio::sync::oneshot;

use writer::{WriteCmd, WriteOut};

/// Main table: `(physical pk, sk bytes)` → encoded item.
pub(crate) const ITEMS: TableDefinition<(&str, &[u8]), &[u8]> = TableDefinition::new("items");
/// Key of the index table: `(physical index pk, index sk, physical pk, sk)`.
pub(crate) type GsiKey<'a> = (&'a str, &'a [u8], &'a str, &'a [u8]);
/// Index table: [`GsiKey`] → nothing.
pub(crate) const GSI1: TableDefinition<GsiKey<'static>, ()> = TableDefinition::new("gsi1");

/// Greater than every valid UTF-8 sort key.
const SK_MAX: &[u8] = &[0xFF];

/// The embedded store. Cheap to share behind an `Arc`; one per database file.
pub struct EmbeddedStore {
    db: Arc<Database>,
    cache: Arc<cache::ReadCache>,
    tx: Option<mpsc::Sender<writer::Request>>,
    writer: Option<JoinHandle<()>>,
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

impl EmbeddedStore {
    /// Opens (or creates) the database file at `path` and starts the writer thread.
    pub fn open(path: impl AsRef<Path>) -> StoreResult<Self> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(internal)?;
        }
        let db = Database::create(path).map_err(internal)?;
        let tx = db.begin_write().map_err(internal)?;
        tx.open_table(ITEMS).map_err(internal)?;
        tx.open_table(GSI1).map_err(internal)?;
        tx.commit().map_err(internal)?;
        let db = Arc::new(db);
        let (sender, receiver) = mpsc::channel();
        let cache = Arc::new(cache::ReadCache::new());
        let (writer_db, writer_cache) = (db.clone(), cache.clone());
        let writer = std::thread::Builder::new()
            .name("im-store-writer".into())
            .spawn(move || writer::run(&writer_db, &writer_cache, &receiver))
            .map_err(internal)?;
        Ok(EmbeddedStore { db, cache, tx: Some(sender), writer: Some(writer) })
    }

    async fn write(&self, cmd: WriteCmd) -> StoreResult<WriteOut> {
        let (reply, rx) = oneshot::channel();
        let sender = self.tx.as_ref().ok_or_else(|| StoreError::Unavailable("store is closed".into()))?;
        sender
            .send(writer::Request { cmd, reply })
            .map_err(|_| StoreError::Unavailable("store writer stopped".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("store writer stopped".into()))?
    }

    fn read_item(&self, key: &Key) -> StoreResult<Option<Item>> {
        self.read_through(key, self.cache.lookup(key))
    }

    /// The item at `key` after a cache `lookup` made before any read transaction opened (see
    /// `cache`): what the cache answered, or what the read found (which is then cached).
    fn read_through(&self, key: &Key, lookup: cache::Lookup) -> StoreResult<Option<Item>> {
        let ticket = match lookup {
            cache::Lookup::Hit(found) => return Ok(found),
            cache::Lookup::Miss(ticket) => ticket,
        };
        let rtx = self.db.begin_read().map_err(internal)?;
        let table = rtx.open_table(ITEMS).map_err(internal)?;
        let ppk = key.physical_pk();
        let (item, len) = match table.get((ppk.as_str(), key.sk.as_bytes())).map_err(internal)? {
            Some(v) => {
                let bytes = v.value();
                (Some(codec::decode(key.clone(), bytes)?), bytes.len())
            }
            None => (None, 0),
        };
        self.cache.fill(key, ticket, item.as_ref(), len);
        Ok(item)
    }
}

impl Drop for EmbeddedStore {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(handle) = self.writer.take() {
            let _ = handle.join();
        }
    }
}

/// Sort-key bounds of a condition, as byte strings.
fn sort_bounds(sort: &SortCondition) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    use Bound::*;
    let b = |s: &String| s.as_bytes().to_vec();
    match sort {
        SortCondition::All => (Unbounded, Unbounded),
        SortCondition::Eq(v) => (Included(b(v)), Included(b(v))),
        SortCondition::Lt(v) => (Unbounded, Excluded(b(v))),
        SortCondition::Le(v) => (Unbounded, Included(b(v))),
        SortCondition::Gt(v) => (Excluded(b(v)), Unbounded),
        SortCondition::Ge(v) => (Included(b(v)), Unbounded),
        SortCondition::BeginsWith(p) => {
            // UTF-8 never contains 0xFF, so bumping the last byte gives the prefix's successor.
            let mut end = b(p);
            if let Some(last) = end.last_mut() {
                *last += 1;
            }
            (Included(b(p)), Excluded(end))
        }
        SortCondition::Between(lo, hi) => (Included(b(lo)), Included(b(hi))),
    }
}

/// The smallest byte string greater than `v`.
fn successor(v: &[u8]) -> Vec<u8> {
    let mut s = v.to_vec();
    s.push(0);
    s
}

type Bounds4<'a> = (Bound<GsiKey<'a>>, Bound<GsiKey<'a>>);

#[async_trait]
impl Store for EmbeddedStore {
    async fn get(&self, key: &Key, _consistency: Consistency) -> StoreResult<Option<Item>> {
        limits::check_key(key)?;
        self.read_item(key)
    }

    /// Copies only the named attributes out of a cached item.
    async fn get_projected(&self, key: &Key, attrs: &[&str], _consistency: Consistency) -> StoreResult<Option<Item>> {
        limits::check_key(key)?;
        match self.cache.lookup_with(key, |found| found.map(|item| item.projected(attrs))) {
            cache::Lookup::Hit(found) => Ok(found),
            miss => Ok(self.read_through(key, miss)?.map(|item| item.project(attrs))),
        }
    }

    async fn batch_get(&self, keys: &[Key], _consistency: Consistency) -> StoreResult<Vec<Option<Item>>> {
        limits::check_batch_get(keys)?;
        let rtx = self.db.begin_read().map_err(internal)?;
        let table = rtx.open_table(ITEMS).map_err(internal)?;
        keys.iter()
            .map(|key| {
                let ppk = key.physical_pk();
                let found = table.get((ppk.as_str(), key.sk.as_bytes())).map_err(internal)?;
                found.map(|v| codec::decode(key.clone(), v.value())).transpose()
            })
            .collect()
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()> {
        limits::check_item(&item)?;
        if let Some(c) = &condition {
            limits::check_condition(c)?;
        }
        self.write(WriteCmd::Put(item, condition)).await.map(|_| ())
    }

    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item> {
        limits::check_update(key, update)?;
        if let Some(c) = &condition {
            limits::check_condition(c)?;
        }
        match self.write(WriteCmd::Update(key.clone(), update.clone(), condition)).await? {
            WriteOut::Item(item) => Ok(item),
            _ => Err(internal("unexpected writer reply")),
        }
    }

    /// Both writes in one command of the writer, so in one commit: one wait instead of two.
    async fn update_then_put(
        &self,
        key: &Key,
        update: &Update,
        condition: Option<Condition>,
        then: PutAfter,
        put_condition: Option<Condition>,
    ) -> StoreResult<(Item, StoreResult<()>)> {
        limits::check_update(key, update)?;
        if let Some(c) = &condition {
            limits::check_condition(c)?;
        }
        let cmd = WriteCmd::UpdateThenPut {
            key: key.clone(),
            update: update.clone(),
            condition,
            then: Some(then),
            put: put_condition,
        };
        match self.write(cmd).await? {
            WriteOut::Pair(item, put) => Ok((item, put)),
            _ => Err(internal("unexpected writer reply")),
        }
    }

    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>> {
        limits::check_key(key)?;
        if let Some(c) = &condition {
            limits::check_condition(c)?;
        }
        match self.write(WriteCmd::Delete(key.clone(), condition)).await? {
            WriteOut::Old(old) => Ok(old),
            _ => Err(internal("unexpected writer reply")),
        }
    }

    async fn query(&self, q: &Query) -> StoreResult<Page> {
        limits::check_query(q)?;
        let limit = q.limit.map(|n| n as usize).unwrap_or(usize::MAX);
        let cursor = q.cursor.as_ref().map(Cursor::parts).transpose()?;
        let (lo, hi) = sort_bounds(&q.sort);
        let rtx = self.db.begin_read().map_err(internal)?;
        let items_table = rtx.open_table(ITEMS).map_err(internal)?;
        let mut page = Page::default();
        let mut bytes = 0usize;
        let mut more = false;
        let mut take = |item: Item, page: &mut Page| -> bool {
            if page.items.len() >= limit || bytes >= limits::MAX_PAGE_BYTES {
                more = true;
                return false;
            }
            bytes += limits::item_size(&item);
            page.items.push(item);
            true
        };
        match q.index {
            Index::Primary => {
                let ppk = physical_pk(&q.tenant, &q.pk);
                let (mut lo, mut hi) = (lo, hi);
                if let Some(parts) = &cursor {
                    if parts.len() != 2 || parts[0] != q.pk {
                        return Err(StoreError::Validation("invalid pagination cursor".into()));
                    }
                    let at = Bound::Excluded(parts[1].as_bytes().to_vec());
                    if q.forward { lo = at } else { hi = at }
                }
                let lower = match &lo {
                    Bound::Included(v) => Bound::Included((ppk.as_str(), v.as_slice())),
                    Bound::Excluded(v) => Bound::Excluded((ppk.as_str(), v.as_slice())),
                    Bound::Unbounded => Bound::Included((ppk.as_str(), &b""[..])),
                };
                let upper = match &hi {
                    Bound::Included(v) => Bound::Included((ppk.as_str(), v.as_slice())),
                    Bound::Excluded(v) => Bound::Excluded((ppk.as_str(), v.as_slice())),
                    Bound::Unbounded => Bound::Excluded((ppk.as_str(), SK_MAX)),
                };
                if bounds_empty(&lo, &hi) {
                    return Ok(page);
                }
                let range = items_table.range::<(&str, &[u8])>((lower, upper)).map_err(internal)?;
                let next = |it: Result<
                    (redb::AccessGuard<'_, (&str, &[u8])>, redb::AccessGuard<'_, &[u8]>),
                    redb::StorageError,
                >|
                 -> StoreResult<Item> {
                    let (k, v) = it.map_err(internal)?;
                    let sk = std::str::from_utf8(k.value().1).map_err(internal)?.to_string();
                    codec::decode(Key { tenant: q.tenant.clone(), pk: q.pk.clone(), sk }, v.value())
                };
                if q.forward {
                    for it in range {
                        if !take(next(it)?, &mut page) {
                            break;
                        }
                    }
                } else {
                    for it in range.rev() {
                        if !take(next(it)?, &mut page) {
                            break;
                        }
                    }
                }
            }
            Index::Gsi1 => {
                let gpk = physical_pk(&q.tenant, &q.pk);
                let gsi = rtx.open_table(GSI1).map_err(internal)?;
                let lo_s;
                let hi_s;
                let cur;
                let mut bounds: Bounds4<'_> = {
                    lo_s = match &lo {
                        Bound::Included(v) => v.clone(),
                        Bound::Excluded(v) => successor(v),
                        Bound::Unbounded => Vec::new(),
                    };
                    hi_s = match &hi {
                        Bound::Included(v) => successor(v),
                        Bound::Excluded(v) => v.clone(),
                        Bound::Unbounded => SK_MAX.to_vec(),
                    };
                    (
                        Bound::Included((gpk.as_str(), lo_s.as_slice(), "", &b""[..])),
                        Bound::Excluded((gpk.as_str(), hi_s.as_slice(), "", &b""[..])),
                    )
                };
                if let Some(parts) = &cursor {
                    if parts.len() != 4 || parts[2] != q.pk {
                        return Err(StoreError::Validation("invalid pagination cursor".into()));
                    }
                    cur = (physical_pk(&q.tenant, &parts[0]), parts[1].clone(), parts[3].clone());
                    let at = Bound::Excluded((gpk.as_str(), cur.2.as_bytes(), cur.0.as_str(), cur.1.as_bytes()));
                    if q.forward { bounds.0 = at } else { bounds.1 = at }
                }
                if lo_s >= hi_s {
                    return Ok(page);
                }
                let range = gsi.range::<GsiKey<'_>>(bounds).map_err(internal)?;
                let next = |it: Result<
                    (redb::AccessGuard<'_, GsiKey<'_>>, redb::AccessGuard<'_, ()>),
                    redb::StorageError,
                >|
                 -> StoreResult<Option<Item>> {
                    let (k, _) = it.map_err(internal)?;
                    let (_, _, ppk, sk) = k.value();
                    let found = items_table.get((ppk, sk)).map_err(internal)?;
                    let Some(v) = found else { return Ok(None) };
                    let (tenant, pk) =
                        im_domain::store::split_physical_pk(ppk).ok_or_else(|| internal("corrupt physical key"))?;
                    let sk = std::str::from_utf8(sk).map_err(internal)?.to_string();
                    codec::decode(Key { tenant, pk: pk.to_string(), sk }, v.value()).map(Some)
                };
                if q.forward {
                    for it in range {
                        if let Some(item) = next(it)?
                            && !take(item, &mut page)
                        {
                            break;
                        }
                    }
                } else {
                    for it in range.rev() {
                        if let Some(item) = next(it)?
                            && !take(item, &mut page)
                        {
                            break;
                        }
                    }
                }
            }
        }
        if more && let Some(last) = page.items.last() {
            page.cursor = Some(match (q.index, &last.index) {
                (Index::Gsi1, Some(ix)) => Cursor::from_parts(&[&last.key.pk, &last.key.sk, &ix.pk, &ix.sk]),
                _ => Cursor::from_parts(&[&last.key.pk, &last.key.sk]),
            });
        }
        Ok(page)
    }

    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()> {
        limits::check_batch_write(&writes)?;
        if writes.is_empty() {
            return Ok(());
        }
        self.write(WriteCmd::Batch(writes)).await.map(|_| ())
    }

    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        limits::check_transaction(&ops)?;
        self.write(WriteCmd::Transact(ops)).await.map(|_| ())
    }
}

/// Whether a sort-key range is empty (a reversed range would make redb panic).
fn bounds_empty(lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>) -> bool {
    use Bound::*;
    match (lo, hi) {
        (Included(a), Included(b)) => a > b,
        (Included(a), Excluded(b)) | (Excluded(a), Included(b)) | (Excluded(a), Excluded(b)) => a >= b,
        (Excluded(a), Unbounded) => a.as_slice() >= SK_MAX,
        _ => false,
    }
}
