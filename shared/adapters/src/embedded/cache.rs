//! A read-through cache of single-item reads (`get`), in front of redb's read transactions.
//!
//! Hot request paths read the same small items again and again (a sender's user profile, the
//! recipient's conversation row, a blacklist entry that does not exist); each read used to open
//! a read transaction, walk the B-tree and decode the item. The cache keeps decoded items (and
//! "no such item") by key: items of at most [`MAX_ITEM_BYTES`] encoded, up to [`CAPACITY`]
//! entries and [`BUDGET_BYTES`] of encoded size (a bound on memory whatever the items are).
//!
//! Coherence (a read never returns a value older than an acknowledged write):
//! - the writer, after a group commits and **before** it acknowledges any request of the group,
//!   removes every key the group wrote and bumps the generation of the key's shard;
//! - a read that misses notes the shard's generation **before** it opens its read transaction,
//!   and stores what it read only if the generation is unchanged. A read whose snapshot may
//!   predate a commit therefore never stores its (possibly old) value after that commit's
//!   removal ran, and a value it stored before the removal is removed by it.
//!
//! A failed commit changes nothing on disk, so it changes nothing here either.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use im_domain::store::{Item, Key};

/// Entries kept at most (over all shards).
pub(crate) const CAPACITY: usize = 65_536;
/// Largest encoded item kept (larger ones, e.g. messages with big contents, are read each time).
pub(crate) const MAX_ITEM_BYTES: usize = 4 * 1024;
/// Encoded bytes kept at most (over all shards; decoded items take a small multiple of this).
pub(crate) const BUDGET_BYTES: usize = 16 * 1024 * 1024;
/// Independently locked shards.
const SHARDS: usize = 64;

/// What a read found for a key.
type Cached = Option<Arc<Item>>;

#[derive(Default)]
struct Shard {
    /// Bumped by every removal in this shard.
    generation: u64,
    /// Encoded size of the items held.
    bytes: usize,
    /// By key hash: the key (hashes may collide), what it holds and its encoded size.
    entries: HashMap<u64, (Key, Cached, usize)>,
}

impl Shard {
    /// Removes the entry under `hash`, if any.
    fn take(&mut self, hash: u64) {
        if let Some((_, _, len)) = self.entries.remove(&hash) {
            self.bytes -= len;
        }
    }
}

/// The cache; shared by the store (reads) and its writer thread (removals).
pub(crate) struct ReadCache {
    hasher: std::collections::hash_map::RandomState,
    shards: Box<[Mutex<Shard>]>,
}

/// Proof of a miss: where and at which generation the read started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    hash: u64,
    generation: u64,
}

/// What a lookup found.
pub(crate) enum Lookup {
    /// The item, or `None` when it is known not to exist.
    Hit(Option<Item>),
    /// Not cached: read it, then [`ReadCache::fill`] with this ticket.
    Miss(Ticket),
}

impl ReadCache {
    /// An empty cache.
    pub(crate) fn new() -> Self {
        ReadCache {
            hasher: std::collections::hash_map::RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    /// The hash the cache files `key` under (what the writer records for [`ReadCache::remove`]).
    pub(crate) fn hash(&self, key: &Key) -> u64 {
        self.hasher.hash_one(key)
    }

    fn shard(&self, hash: u64) -> MutexGuard<'_, Shard> {
        self.shards[(hash % SHARDS as u64) as usize].lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Looks `key` up; call before opening the read transaction.
    pub(crate) fn lookup(&self, key: &Key) -> Lookup {
        self.lookup_with(key, |found| found.cloned())
    }

    /// [`ReadCache::lookup`] answering with `view` of what is cached (e.g. a few attributes,
    /// rather than a copy of the whole item).
    pub(crate) fn lookup_with(&self, key: &Key, view: impl FnOnce(Option<&Item>) -> Option<Item>) -> Lookup {
        let hash = self.hash(key);
        let shard = self.shard(hash);
        match shard.entries.get(&hash) {
            Some((k, cached, _)) if k == key => Lookup::Hit(view(cached.as_deref())),
            _ => Lookup::Miss(Ticket { hash, generation: shard.generation }),
        }
    }

    /// Stores what a read after `ticket` found (`encoded_len`: the item's stored size), unless
    /// the key's shard saw a removal since.
    pub(crate) fn fill(&self, key: &Key, ticket: Ticket, found: Option<&Item>, encoded_len: usize) {
        if encoded_len > MAX_ITEM_BYTES {
            return;
        }
        let mut shard = self.shard(ticket.hash);
        if shard.generation != ticket.generation {
            return;
        }
        shard.take(ticket.hash);
        // Room for one more entry and its bytes: evict arbitrary entries (hash order).
        while shard.entries.len() >= CAPACITY / SHARDS || shard.bytes + encoded_len > BUDGET_BYTES / SHARDS {
            let Some(evict) = shard.entries.keys().next().copied() else { break };
            shard.take(evict);
        }
        shard.bytes += encoded_len;
        shard.entries.insert(ticket.hash, (key.clone(), found.cloned().map(Arc::new), encoded_len));
    }

    /// Forgets the keys of `hashes` (a committed group's writes).
    pub(crate) fn remove(&self, hashes: &[u64]) {
        for &hash in hashes {
            let mut shard = self.shard(hash);
            shard.generation += 1;
            shard.take(hash);
        }
    }

    /// Entries and encoded bytes held (tests).
    #[cfg(test)]
    pub(crate) fn size(&self) -> (usize, usize) {
        self.shards.iter().fold((0, 0), |(n, b), s| {
            let s = s.lock().unwrap_or_else(PoisonError::into_inner);
            (n + s.entries.len(), b + s.bytes)
        })
    }
}

#[cfg(test)]
mod tests {
    use im_domain::TenantId;

    use super::*;

    fn key(sk: &str) -> Key {
        Key::new(&TenantId::default_tenant(), "p", sk)
    }

    /// Caches `found` under `k` as a read that missed would.
    fn fill_missing(c: &ReadCache, k: &Key, found: Option<&Item>, len: usize) {
        if let Lookup::Miss(t) = c.lookup(k) {
            c.fill(k, t, found, len);
        }
    }

    #[test]
    fn hits_after_fill_and_misses_after_remove() {
        let c = ReadCache::new();
        let (a, item) = (key("a"), Item::new(key("a")).with("n", 1i64));
        let Lookup::Miss(t) = c.lookup(&a) else { panic!("empty cache hit") };
        c.fill(&a, t, Some(&item), 10);
        assert!(matches!(c.lookup(&a), Lookup::Hit(Some(ref i)) if *i == item));
        c.remove(&[c.hash(&a)]);
        assert!(matches!(c.lookup(&a), Lookup::Miss(_)));
        // Known absence is cached too.
        let Lookup::Miss(t) = c.lookup(&a) else { unreachable!() };
        c.fill(&a, t, None, 0);
        assert!(matches!(c.lookup(&a), Lookup::Hit(None)));
    }

    #[test]
    fn a_read_overtaken_by_a_removal_is_not_stored() {
        let c = ReadCache::new();
        let a = key("a");
        let Lookup::Miss(t) = c.lookup(&a) else { unreachable!() };
        // A commit wrote `a` while the read ran: the read's value may be the old one.
        c.remove(&[c.hash(&a)]);
        c.fill(&a, t, Some(&Item::new(a.clone())), 10);
        assert!(matches!(c.lookup(&a), Lookup::Miss(_)));
    }

    #[test]
    fn large_items_are_not_kept_and_capacity_is_bounded() {
        let c = ReadCache::new();
        let a = key("a");
        let Lookup::Miss(t) = c.lookup(&a) else { unreachable!() };
        c.fill(&a, t, Some(&Item::new(a.clone())), MAX_ITEM_BYTES + 1);
        assert!(matches!(c.lookup(&a), Lookup::Miss(_)));
        for i in 0..CAPACITY * 2 {
            fill_missing(&c, &key(&i.to_string()), None, 0);
        }
        assert!(c.size().0 <= CAPACITY, "{:?} held", c.size());
        // Large items: the byte budget binds first, and removals give their bytes back.
        let c = ReadCache::new();
        let big: Vec<Key> = (0..BUDGET_BYTES / MAX_ITEM_BYTES * 2).map(|i| key(&format!("big{i}"))).collect();
        for k in &big {
            fill_missing(&c, k, Some(&Item::new(k.clone())), MAX_ITEM_BYTES);
        }
        let (n, bytes) = c.size();
        assert!(bytes <= BUDGET_BYTES && bytes > BUDGET_BYTES / 2, "{n} entries, {bytes} bytes");
        c.remove(&big.iter().map(|k| c.hash(k)).collect::<Vec<_>>());
        assert_eq!(c.size().1, 0, "every cached big item was removed");
    }
}
