//! Group repositories on the storage port: groups ([`groups`]), members ([`members`]), join
//! requests ([`requests`]) and the group conversation rows of joining and leaving members
//! ([`convs`]). Every operation is written once on [`Store`], so all backends behave alike.

pub mod convs;
pub mod groups;
pub mod members;
pub mod requests;

use futures_util::future::BoxFuture;
use futures_util::{StreamExt, TryStreamExt, stream};
use im_domain::store::{BatchWrite, Consistency, DynStore, Item, Key, Query, Store, StoreResult};

/// Most ops per transaction (DynamoDB's limit is 100; one is kept for the group counter).
pub(crate) const TX_CHUNK: usize = 99;

/// Single-item requests run at once by [`bounded`].
pub(crate) const PARALLEL: usize = 16;

/// One boxed store task (boxing keeps the futures `Send` for any caller).
pub(crate) type Task<'a, T> = BoxFuture<'a, StoreResult<T>>;

/// Runs `tasks` with at most [`PARALLEL`] in flight; the first error wins.
pub(crate) async fn bounded<T: Send>(tasks: Vec<Task<'_, T>>) -> StoreResult<Vec<T>> {
    stream::iter(tasks).buffer_unordered(PARALLEL).try_collect().await
}

/// Every item a query matches, across pages.
pub(crate) async fn query_all(store: &dyn Store, query: Query) -> StoreResult<Vec<Item>> {
    let mut out = Vec::new();
    let mut q = query;
    loop {
        let page = store.query(&q).await?;
        out.extend(page.items);
        match page.cursor {
            Some(c) => q = q.after(Some(c)),
            None => return Ok(out),
        }
    }
}

/// Items of `keys` that exist, in key order (batch gets of 100).
pub(crate) async fn get_existing(store: &dyn Store, keys: &[Key], consistency: Consistency) -> StoreResult<Vec<Item>> {
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(100) {
        out.extend(store.batch_get(chunk, consistency).await?.into_iter().flatten());
    }
    Ok(out)
}

/// Writes `writes` (puts and deletes) with one batch call; nothing when empty.
pub(crate) async fn batch(store: &dyn Store, writes: Vec<BatchWrite>) -> StoreResult<()> {
    if writes.is_empty() { Ok(()) } else { store.batch_write(writes).await }
}

/// The repositories over one store.
#[derive(Clone)]
pub struct GroupRepo {
    store: DynStore,
}

impl GroupRepo {
    /// Repositories on `store`.
    pub fn new(store: DynStore) -> Self {
        GroupRepo { store }
    }

    /// The underlying store.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// A shared handle to the underlying store.
    pub fn shared_store(&self) -> DynStore {
        self.store.clone()
    }
}
