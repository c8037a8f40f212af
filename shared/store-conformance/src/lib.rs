//! Conformance suite of the storage port [`im_domain::store::Store`].
//!
//! Every public `async fn` case takes a store (`&dyn Store`, or `Arc<dyn Store>` when it spawns
//! tasks) and panics with a message naming the failed expectation. The cases isolate themselves
//! with a fresh random tenant and random partition keys, so they can share one table (a
//! DynamoDB table, a redb file) and run in parallel.
//!
//! An adapter runs the whole suite with one line in an integration test:
//!
//! ```text
//! im_store_conformance::conformance_tests!(async { std::sync::Arc::new(MyStore::new()) });
//! ```
//!
//! The test crate needs `tokio` with the `macros` and `rt-multi-thread` features.
//!
//! [`MemStore`] is an in-memory reference implementation on [`im_domain::store::eval`]: the
//! suite is validated against it, and it doubles as a fast test store for domain logic (it is a
//! test double, not a backend).

#![warn(missing_docs)]

mod basic;
mod batch;
mod compose;
mod concurrency;
mod conditions;
mod index;
mod limits;
mod mem;
mod query;
pub mod support;
mod transact;

pub use basic::*;
pub use batch::*;
pub use compose::*;
pub use concurrency::*;
pub use conditions::*;
pub use index::*;
pub use limits::*;
pub use mem::MemStore;
pub use query::*;
pub use transact::*;

#[doc(hidden)]
pub use im_domain::store::Store as __Store;

/// Expands to one `#[tokio::test(flavor = "multi_thread", worker_threads = 4)]` per conformance
/// case. `$factory` is an expression evaluated once per test whose `.await` yields an
/// `Arc<S>` with `S: Store` (or an `Arc<dyn Store>`); it may refer to items of the calling module.
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::conformance_tests!(@by_ref $factory;
            put_get_round_trip_all_types,
            get_missing_is_none,
            get_projected_keeps_named_attributes,
            put_if_not_exists_twice,
            put_conditions,
            update_conditions,
            delete_conditions,
            update_creates_missing_item,
            update_set_if_not_exists_keeps_existing,
            update_remove,
            update_add_starts_from_zero,
            update_add_on_non_number_is_validation,
            update_set_sum_reads_old_values,
            update_returns_new_item,
            delete_returns_old_item,
            delete_missing_is_none,
            tenant_isolation,
            query_order_forward_backward,
            query_sort_conditions,
            query_pagination,
            query_tampered_cursor_is_validation,
            query_index,
            index_follows_writes,
            batch_get_keeps_order,
            batch_get_over_100_is_validation,
            batch_write_puts_then_deletes,
            transact_write_success,
            transact_write_cancellation,
            transact_write_same_key_twice_is_validation,
            transact_write_op_count_limits,
            update_then_put_allocates_then_stores,
            update_then_put_update_condition_fails,
            update_then_put_put_failures_keep_the_update,
            update_returning_cuts_the_result_not_the_item,
            limits_item_size,
            limits_key_sizes,
            limits_empty_keys,
            limits_reserved_names,
            limits_request_shapes
        );
        $crate::conformance_tests!(@by_arc $factory;
            concurrent_add,
            concurrent_conditional_put,
            concurrent_optimistic_updates
        );
    };
    (@by_ref $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let store: ::std::sync::Arc<dyn $crate::__Store> = $factory.await;
                $crate::$case(&*store).await;
            }
        )*
    };
    (@by_arc $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let store: ::std::sync::Arc<dyn $crate::__Store> = $factory.await;
                $crate::$case(store).await;
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    //! The suite run against the in-memory reference store, which validates the suite itself.

    use std::sync::Arc;

    crate::conformance_tests!(async { Arc::new(crate::MemStore::new()) });
}
