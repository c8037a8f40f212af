//! The single writer thread: drains pending writes into one redb transaction, commits with
//! fsync, then acknowledges each request (group commit).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::mpsc;

use im_domain::store::eval::{apply_update_to, condition_holds};
use im_domain::store::{
    BatchWrite, Condition, IndexKey, Item, Key, PutAfter, StoreError, StoreResult, Update, WriteOp, limits, physical_pk,
};
use redb::{Database, Durability, ReadableTable, Table, WriteTransaction};
use tokio::sync::oneshot;

use super::cache::ReadCache;
use super::{GSI1, ITEMS, codec};

/// Most requests folded into one commit.
const MAX_GROUP: usize = 4096;

/// Most items [`Hot`] keeps.
const HOT_ITEMS: usize = 8192;

/// Decoded items the writer updated for callers that asked for only part of the result
/// ([`Update::returning`], e.g. a conversation's seq head on every send): the next update of
/// the same key takes the item from here instead of reading and decoding it again, and the
/// caller gets the few attributes it asked for instead of a copy to drop. An entry is always
/// the key's latest written state: every other write of the key removes it, and a group whose
/// commit fails clears them all.
#[derive(Default)]
struct Hot(HashMap<Key, Item>);

impl Hot {
    fn take(&mut self, key: &Key) -> Option<Item> {
        self.0.remove(key)
    }

    fn keep(&mut self, item: Item) {
        if self.0.len() >= HOT_ITEMS
            && let Some(evict) = self.0.keys().next().cloned()
        {
            self.0.remove(&evict);
        }
        self.0.insert(item.key.clone(), item);
    }

    fn forget(&mut self, key: &Key) {
        if !self.0.is_empty() {
            self.0.remove(key);
        }
    }
}

/// A write command.
pub(crate) enum WriteCmd {
    Put(Item, Option<Condition>),
    Update(Key, Update, Option<Condition>),
    Delete(Key, Option<Condition>),
    Batch(Vec<BatchWrite>),
    Transact(Vec<WriteOp>),
    /// An update, then a put of the item `then` (taken when applied) builds from its result.
    UpdateThenPut {
        key: Key,
        update: Update,
        condition: Option<Condition>,
        then: Option<PutAfter>,
        put: Option<Condition>,
    },
}

/// What a write command returns.
pub(crate) enum WriteOut {
    Unit,
    Item(Item),
    Old(Option<Item>),
    Pair(Item, StoreResult<()>),
}

/// A queued command and where to send its outcome.
pub(crate) struct Request {
    pub cmd: WriteCmd,
    pub reply: oneshot::Sender<StoreResult<WriteOut>>,
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// Runs until every sender is dropped. The group and outcome buffers live as long as the
/// thread: grown afresh per commit they were the writer's largest allocations (hundreds of KiB
/// under load, fresh pages each time).
pub(crate) fn run(db: &Database, cache: &ReadCache, rx: &mpsc::Receiver<Request>) {
    let mut group = Vec::new();
    let mut outcomes = Vec::new();
    let mut written = Vec::new();
    let mut hot = Hot::default();
    while let Ok(first) = rx.recv() {
        group.push(first);
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(r) => group.push(r),
                Err(_) => break,
            }
        }
        commit_group(db, cache, &mut hot, &mut group, &mut outcomes, &mut written);
    }
}

/// Applies and commits `group` in one transaction, then answers (and drains) every request.
/// `written` collects the cache hashes of the keys the group writes: once committed, they leave
/// the read cache before anyone hears of the commit.
fn commit_group(
    db: &Database,
    cache: &ReadCache,
    hot: &mut Hot,
    group: &mut Vec<Request>,
    outcomes: &mut Vec<StoreResult<WriteOut>>,
    written: &mut Vec<u64>,
) {
    outcomes.clear();
    written.clear();
    let result = (|| -> StoreResult<()> {
        let mut wtx = db.begin_write().map_err(internal)?;
        wtx.set_durability(Durability::Immediate).map_err(internal)?;
        {
            let mut tables = Tables::open(&wtx, cache, hot, written)?;
            for req in group.iter_mut() {
                outcomes.push(tables.apply(&mut req.cmd)?);
            }
        }
        wtx.commit().map_err(internal)
    })();
    match result {
        Ok(()) => {
            cache.remove(written);
            for (req, out) in group.drain(..).zip(outcomes.drain(..)) {
                let _ = req.reply.send(out);
            }
        }
        Err(e) => {
            // Nothing of this group was committed: every request fails and may be retried, and
            // the hot items may hold the group's writes.
            hot.0.clear();
            let e = StoreError::Unavailable(format!("commit failed: {e}"));
            outcomes.clear();
            for req in group.drain(..) {
                let _ = req.reply.send(Err(e.clone()));
            }
        }
    }
}

/// Open tables of one write transaction, the writer's hot items, and the cache hashes of the
/// keys it wrote.
struct Tables<'t> {
    items: Table<'t, (&'static str, &'static [u8]), &'static [u8]>,
    gsi: Table<'t, super::GsiKey<'static>, ()>,
    cache: &'t ReadCache,
    hot: &'t mut Hot,
    written: &'t mut Vec<u64>,
}

impl<'t> Tables<'t> {
    fn open(
        wtx: &'t WriteTransaction,
        cache: &'t ReadCache,
        hot: &'t mut Hot,
        written: &'t mut Vec<u64>,
    ) -> StoreResult<Self> {
        Ok(Tables {
            items: wtx.open_table(ITEMS).map_err(internal)?,
            gsi: wtx.open_table(GSI1).map_err(internal)?,
            cache,
            hot,
            written,
        })
    }

    /// Applies one command. `Err` means a storage failure (the whole group aborts); business
    /// outcomes (condition failures, validation) are the inner result.
    fn apply(&mut self, cmd: &mut WriteCmd) -> StoreResult<StoreResult<WriteOut>> {
        Ok(match cmd {
            WriteCmd::Put(item, cond) => self.put(item, cond.as_ref())?.map(|()| WriteOut::Unit),
            WriteCmd::Update(key, update, cond) => self.update(key, update, cond.as_ref())?.map(WriteOut::Item),
            WriteCmd::UpdateThenPut { key, update, condition, then, put } => {
                let new = match self.update(key, update, condition.as_ref())? {
                    Ok(n) => n,
                    Err(e) => return Ok(Err(e)),
                };
                let Some(then) = then.take() else { return Err(internal("update-then-put applied twice")) };
                // The builder is the caller's code running on this thread: a panic in it fails
                // the put, not the writer.
                let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| then(&new)))
                    .unwrap_or_else(|_| Err(StoreError::Internal("the put's builder panicked".into())));
                // Checked here, after the update, as a put of its own would be: a refused put
                // leaves the update standing.
                let checked = built.and_then(|next| {
                    limits::check_item(&next)?;
                    put.as_ref().map(limits::check_condition).transpose()?;
                    Ok(next)
                });
                let outcome = match checked {
                    Ok(next) => self.put(&next, put.as_ref())?,
                    Err(e) => Err(e),
                };
                Ok(WriteOut::Pair(new, outcome))
            }
            WriteCmd::Delete(key, cond) => {
                let old = self.load(key)?;
                if !holds(cond.as_ref(), old.as_ref()) {
                    return Ok(Err(StoreError::ConditionFailed));
                }
                if let Some(old) = &old {
                    self.erase(old)?;
                }
                Ok(WriteOut::Old(old))
            }
            WriteCmd::Batch(writes) => {
                for w in writes {
                    match w {
                        BatchWrite::Put(item) => {
                            let old = self.load(&item.key)?;
                            self.save(index_of(&old), item)?;
                        }
                        BatchWrite::Delete(key) => {
                            if let Some(old) = self.load(key)? {
                                self.erase(&old)?;
                            }
                        }
                    }
                }
                Ok(WriteOut::Unit)
            }
            WriteCmd::Transact(ops) => self.transact(ops)?,
        })
    }

    /// A conditional put.
    fn put(&mut self, item: &Item, cond: Option<&Condition>) -> StoreResult<StoreResult<()>> {
        let old = self.load(&item.key)?;
        if !holds(cond, old.as_ref()) {
            return Ok(Err(StoreError::ConditionFailed));
        }
        self.save(index_of(&old), item)?;
        Ok(Ok(()))
    }

    /// A conditional update; the new item as the update returns it ([`Update::returned`]).
    fn update(&mut self, key: &Key, update: &Update, cond: Option<&Condition>) -> StoreResult<StoreResult<Item>> {
        let old = match self.hot.take(key) {
            Some(item) => Some(item),
            None => self.load(key)?,
        };
        if !holds(cond, old.as_ref()) {
            if let Some(old) = old.filter(|_| update.returning.is_some()) {
                self.hot.keep(old);
            }
            return Ok(Err(StoreError::ConditionFailed));
        }
        let old_index = index_of(&old).cloned();
        let new = match updated(key, old, update) {
            Ok(n) => n,
            Err(e) => return Ok(Err(e)),
        };
        self.save(old_index.as_ref(), &new)?;
        if update.returning.is_none() {
            return Ok(Ok(new));
        }
        let returned = update.returned_copy(&new);
        self.hot.keep(new);
        Ok(Ok(returned))
    }

    fn transact(&mut self, ops: &[WriteOp]) -> StoreResult<StoreResult<WriteOut>> {
        // Decide everything first; write only when every condition holds.
        let mut olds = Vec::with_capacity(ops.len());
        let mut failed = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let old = self.load(op.key())?;
            if !holds(op.condition(), old.as_ref()) {
                failed.push(i);
            }
            olds.push(old);
        }
        if !failed.is_empty() {
            return Ok(Err(StoreError::TransactionCanceled { failed }));
        }
        // What each operation writes: the loaded items move into their updates (no copies).
        let mut plans = Vec::with_capacity(ops.len());
        for (op, old) in ops.iter().zip(olds) {
            plans.push(match op {
                WriteOp::Put { item, .. } => Plan::Save(index_of(&old).cloned(), Cow::Borrowed(item)),
                WriteOp::Update { key, update, .. } => {
                    let old_index = index_of(&old).cloned();
                    match updated(key, old, update) {
                        Ok(n) => Plan::Save(old_index, Cow::Owned(n)),
                        Err(e) => return Ok(Err(e)),
                    }
                }
                WriteOp::Delete { .. } => Plan::Erase(old),
                WriteOp::Check { .. } => Plan::Erase(None),
            });
        }
        for plan in plans {
            match plan {
                Plan::Save(old_index, new) => self.save(old_index.as_ref(), &new)?,
                Plan::Erase(Some(old)) => self.erase(&old)?,
                Plan::Erase(None) => {}
            }
        }
        Ok(Ok(WriteOut::Unit))
    }

    fn load(&self, key: &Key) -> StoreResult<Option<Item>> {
        let ppk = key.physical_pk();
        let found = self.items.get((ppk.as_str(), key.sk.as_bytes())).map_err(internal)?;
        found.map(|v| codec::decode(key.clone(), v.value())).transpose()
    }

    /// Writes `new` over an item whose index key was `old_ix`.
    fn save(&mut self, old_ix: Option<&IndexKey>, new: &Item) -> StoreResult<()> {
        self.written.push(self.cache.hash(&new.key));
        self.hot.forget(&new.key);
        let ppk = new.key.physical_pk();
        let bytes = codec::encode(new)?;
        self.items.insert((ppk.as_str(), new.key.sk.as_bytes()), bytes.as_slice()).map_err(internal)?;
        if old_ix != new.index.as_ref() {
            if let Some(ix) = old_ix {
                let gpk = physical_pk(&new.key.tenant, &ix.pk);
                self.gsi
                    .remove((gpk.as_str(), ix.sk.as_bytes(), ppk.as_str(), new.key.sk.as_bytes()))
                    .map_err(internal)?;
            }
            if let Some(ix) = &new.index {
                let gpk = physical_pk(&new.key.tenant, &ix.pk);
                self.gsi
                    .insert((gpk.as_str(), ix.sk.as_bytes(), ppk.as_str(), new.key.sk.as_bytes()), ())
                    .map_err(internal)?;
            }
        }
        Ok(())
    }

    fn erase(&mut self, old: &Item) -> StoreResult<()> {
        self.written.push(self.cache.hash(&old.key));
        self.hot.forget(&old.key);
        let ppk = old.key.physical_pk();
        self.items.remove((ppk.as_str(), old.key.sk.as_bytes())).map_err(internal)?;
        if let Some(ix) = &old.index {
            let gpk = physical_pk(&old.key.tenant, &ix.pk);
            self.gsi.remove((gpk.as_str(), ix.sk.as_bytes(), ppk.as_str(), old.key.sk.as_bytes())).map_err(internal)?;
        }
        Ok(())
    }
}

/// One operation of a transaction, decided.
enum Plan<'a> {
    /// Write the item over one whose index key was this.
    Save(Option<IndexKey>, Cow<'a, Item>),
    /// Delete the item if there is one.
    Erase(Option<Item>),
}

/// The index key of a loaded item.
fn index_of(item: &Option<Item>) -> Option<&IndexKey> {
    item.as_ref().and_then(|i| i.index.as_ref())
}

/// `update` applied to the loaded item, within the item-size limit.
fn updated(key: &Key, old: Option<Item>, update: &Update) -> StoreResult<Item> {
    let new = apply_update_to(key, old, update)?;
    limits::check_item_size(&new)?;
    Ok(new)
}

fn holds(cond: Option<&Condition>, item: Option<&Item>) -> bool {
    cond.is_none_or(|c| condition_holds(c, item))
}
