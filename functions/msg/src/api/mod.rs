//! Endpoint declarations and wire types of `/msg`, one module per route family.
//!
//! * [`send`]: the admin send routes with their own JSON bodies (reference §1.9; malformed or
//!   incomplete bodies answer HTTP 400, see `crate::bind`).
//! * [`ops`]: revoke, read receipts, deletes and clears.
//! * [`sync`]: seqs, pulls, server time and send status.
//!
//! A new family adds a module here, its handlers under `crate::handlers`, and one line each in
//! `crate::families`, [`crate::ROUTES`] and [`crate::mount`].

pub mod ops;
pub mod send;
pub mod sync;
