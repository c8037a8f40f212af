//! Handlers, one module per route family (mirroring `crate::api`): thin translations between the
//! wire types and the messaging domain (`im_msg`).

pub(crate) mod ops;
pub(crate) mod send;
pub(crate) mod sync;
