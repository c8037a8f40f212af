//! OpenIM wire formats.
//!
//! * [`pb`]: protobuf message types (prost) that also serialise to OpenIM's JSON (Go
//!   `encoding/json` of the protoc structs: verbatim field names, every field present).
//! * [`gob`]: the subset of Go's `encoding/gob` the WebSocket envelope needs.
//! * [`ws`]: WebSocket request/response envelopes in gob and JSON, with optional gzip.

pub mod gob;
pub mod pb;
pub mod ws;
