//! Handlers: translate wire types to the user service and back. No rules live here beyond
//! the protocol's "field required" checks.

pub(crate) mod commands;
pub(crate) mod listing;
pub(crate) mod notification;
pub(crate) mod online;
pub(crate) mod profile;
pub(crate) mod selfservice;

use im_domain::{ImError, ImResult};

/// A required list (`null`/absent → 1001 naming it; an empty list is fine).
pub(crate) fn required<T>(v: Option<Vec<T>>, name: &str) -> ImResult<Vec<T>> {
    v.ok_or_else(|| ImError::args(format!("{name} is empty")))
}
