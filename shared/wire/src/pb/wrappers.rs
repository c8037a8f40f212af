//! `openim.protobuf` wrapper types (reference A.12).
//!
//! Each wrapper is a message with a single field `value = 1`, which is exactly the wire format prost
//! implements for the corresponding Rust standard type (prost's `impl Message for bool`, `String`, …,
//! the well-known `google.protobuf.*Value` mapping). The wrappers are therefore plain type aliases, and a
//! wrapper field is declared as `Option<BoolValue>` = `Option<bool>`:
//!
//! * protobuf: `None` = field absent; `Some(v)` = the length-delimited sub-message `{value = v}` (a set
//!   default value is an empty sub-message, as Go encodes it);
//! * JSON: `None` = `null`, `Some(v)` = the **bare** value (`"isPinned":true`, `"recvMsgOpt":2`,
//!   `"ex":"abc"`); on input `null`/absent = not set, numbers must be bare JSON numbers;
//!   `BytesValue` is a base64 string.

/// `openim.protobuf.DoubleValue`.
pub type DoubleValue = f64;
/// `openim.protobuf.FloatValue`.
pub type FloatValue = f32;
/// `openim.protobuf.Int64Value`.
pub type Int64Value = i64;
/// `openim.protobuf.UInt64Value`.
pub type UInt64Value = u64;
/// `openim.protobuf.Int32Value`.
pub type Int32Value = i32;
/// `openim.protobuf.UInt32Value`.
pub type UInt32Value = u32;
/// `openim.protobuf.BoolValue`.
pub type BoolValue = bool;
/// `openim.protobuf.StringValue`.
pub type StringValue = String;
/// `openim.protobuf.BytesValue` (base64 in JSON, like every bytes value).
pub type BytesValue = Vec<u8>;
