//! The subset of Go's `encoding/gob` that OpenIM's WebSocket envelope needs.
//!
//! A gob *stream* is a sequence of messages, each `uint(length) body`. A body starts with a signed
//! type id: a negative id `-N` means "the definition (a `wireType`) of type `N` follows", a positive
//! id means "a value of type `N` follows". OpenIM's Go code creates a fresh encoder for every
//! WebSocket frame, so each frame is self-describing: the struct definition, then one value.
//!
//! * [`decode_struct`] reads such a stream and returns the first value, which must be a struct whose
//!   fields are matched **by name**. Fields of type `int` (any signed width), `uint`, `bool`,
//!   `string` and `[]byte` are decoded; fields of any other type (floats, complex numbers,
//!   interfaces, nested structs, slices, arrays, maps, `GobEncoder` values) are skipped. Every length
//!   is checked against the remaining input and nesting is capped at [`MAX_DEPTH`], so untrusted
//!   input yields an error, never a panic or a large allocation.
//! * [`encode_struct`] writes what a fresh Go encoder writes for a struct made of those primitive
//!   types: the type definition message, then the value message with zero-valued fields omitted.
//!
//! Integers use gob's encoding: an unsigned value below 128 is one byte; a larger one is the negated
//! byte count followed by the big-endian bytes. Signed values are zig-zag folded first (bit 0 is the
//! sign, a negative `i` is sent as `!i << 1 | 1`).

use std::collections::BTreeMap;

mod decode;
mod encode;

pub use decode::decode_struct;
pub use encode::encode_struct;

/// Lowest type id Go hands out to user-defined types.
///
/// Go 1.19 and older pre-increment, so the first user type of an encoder gets id 65; Go 1.21 and
/// newer assign 64 first (the Python client's bootstrap definition uses 64). Decoders accept any
/// id from here up to `i32::MAX`.
pub const FIRST_USER_TYPE_ID: u32 = 64;

/// Deepest nesting (struct in slice in map …) the decoder follows while skipping a value.
pub const MAX_DEPTH: usize = 100;

/// Ids of gob's predefined types (wire type ids, as they appear in a field list).
pub mod type_ids {
    /// `bool`.
    pub const BOOL: i64 = 1;
    /// Every signed integer type (`int`, `int8` … `int64`).
    pub const INT: i64 = 2;
    /// Every unsigned integer type except `uint8` inside a byte slice.
    pub const UINT: i64 = 3;
    /// `float32` and `float64`.
    pub const FLOAT: i64 = 4;
    /// `[]byte`.
    pub const BYTES: i64 = 5;
    /// `string`.
    pub const STRING: i64 = 6;
    /// `complex64` and `complex128`.
    pub const COMPLEX: i64 = 7;
    /// `interface{}` values.
    pub const INTERFACE: i64 = 8;
}

/// A decoded (or to-be-encoded) primitive gob value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GobValue {
    /// A `bool`.
    Bool(bool),
    /// A signed integer of any width.
    Int(i64),
    /// An unsigned integer of any width.
    Uint(u64),
    /// A `string`. Gob strings are raw bytes; invalid UTF-8 is replaced with U+FFFD when decoding.
    String(String),
    /// A `[]byte`.
    Bytes(Vec<u8>),
}

impl GobValue {
    /// Gob's predefined type id for this value's type (see [`type_ids`]).
    pub fn type_id(&self) -> i64 {
        self.as_ref().type_id()
    }

    /// Whether this is the zero value of its type (such fields are omitted when encoding).
    pub fn is_zero(&self) -> bool {
        self.as_ref().is_zero()
    }

    /// A borrowed view, as taken by [`encode_struct`].
    pub fn as_ref(&self) -> GobValueRef<'_> {
        match self {
            GobValue::Bool(b) => GobValueRef::Bool(*b),
            GobValue::Int(i) => GobValueRef::Int(*i),
            GobValue::Uint(u) => GobValueRef::Uint(*u),
            GobValue::String(s) => GobValueRef::String(s),
            GobValue::Bytes(b) => GobValueRef::Bytes(b),
        }
    }
}

/// A borrowed primitive gob value, used for encoding without copying strings and byte slices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GobValueRef<'a> {
    /// A `bool`.
    Bool(bool),
    /// A signed integer of any width.
    Int(i64),
    /// An unsigned integer of any width.
    Uint(u64),
    /// A `string`.
    String(&'a str),
    /// A `[]byte`.
    Bytes(&'a [u8]),
}

impl GobValueRef<'_> {
    /// Gob's predefined type id for this value's type (see [`type_ids`]).
    pub fn type_id(&self) -> i64 {
        match self {
            GobValueRef::Bool(_) => type_ids::BOOL,
            GobValueRef::Int(_) => type_ids::INT,
            GobValueRef::Uint(_) => type_ids::UINT,
            GobValueRef::String(_) => type_ids::STRING,
            GobValueRef::Bytes(_) => type_ids::BYTES,
        }
    }

    /// Whether this is the zero value of its type.
    pub fn is_zero(&self) -> bool {
        match self {
            GobValueRef::Bool(b) => !b,
            GobValueRef::Int(i) => *i == 0,
            GobValueRef::Uint(u) => *u == 0,
            GobValueRef::String(s) => s.is_empty(),
            GobValueRef::Bytes(b) => b.is_empty(),
        }
    }
}

/// One field of a struct type definition as it appeared on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GobFieldDecl {
    /// The Go field name (matching is exact and case-sensitive, as in Go).
    pub name: String,
    /// The field's wire type id: one of [`type_ids`] or a type defined in the stream.
    pub type_id: i64,
}

/// A decoded struct value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GobStruct {
    /// The struct's type name from its definition (e.g. `Req`, `GeneralWsReq`); informational only.
    pub name: String,
    /// The type id the stream assigned to the struct; informational only.
    pub type_id: u32,
    /// The field list of the definition, in wire order (including fields that were skipped).
    pub declared: Vec<GobFieldDecl>,
    /// The fields present in the value whose type is primitive, by name. Zero-valued fields are not
    /// transmitted by Go and so are absent: treat a missing field as the zero value.
    pub fields: BTreeMap<String, GobValue>,
}

impl GobStruct {
    /// The decoded value of field `name`, if it was present.
    pub fn get(&self, name: &str) -> Option<&GobValue> {
        self.fields.get(name)
    }

    /// The declared wire type id of field `name`, if the definition has such a field.
    pub fn declared_type(&self, name: &str) -> Option<i64> {
        // A wire definition could repeat a name; like Go's decoder, the last one wins.
        self.declared.iter().rev().find(|d| d.name == name).map(|d| d.type_id)
    }
}

/// Why a gob stream could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GobError {
    /// The input ended in the middle of a message or value.
    #[error("gob: unexpected end of input")]
    UnexpectedEof,
    /// An unsigned integer announced more than 8 bytes.
    #[error("gob: invalid unsigned integer encoding")]
    BadUint,
    /// A length (message, string, byte slice, element count) exceeds the remaining input.
    #[error("gob: length {len} exceeds the {remaining} bytes remaining")]
    LengthTooLarge {
        /// The announced length.
        len: u64,
        /// Bytes left in the enclosing message.
        remaining: usize,
    },
    /// The stream holds type definitions but no value.
    #[error("gob: stream holds no value")]
    NoValue,
    /// A message's type id was zero.
    #[error("gob: type id 0 in message")]
    ZeroTypeId,
    /// A type id was redefined within the stream.
    #[error("gob: duplicate definition of type {0}")]
    DuplicateType(i64),
    /// A definition used a type id reserved for predefined types, or one that does not fit Go's int32.
    #[error("gob: type id {0} cannot be defined")]
    InvalidTypeId(i64),
    /// A field or value referred to a type that was never defined.
    #[error("gob: type {0} is not defined")]
    UndefinedType(i64),
    /// A `wireType` definition was malformed (e.g. defined no kind).
    #[error("gob: malformed type definition: {0}")]
    BadTypeDefinition(&'static str),
    /// A type definition message had bytes after its `wireType`.
    #[error("gob: extra data after type definition")]
    ExtraData,
    /// A field delta pointed past the struct's last field.
    #[error("gob: field number out of range")]
    FieldOutOfRange,
    /// The value message's type is not a struct.
    #[error("gob: value of type {0} is not a struct")]
    NotAStruct(i64),
    /// Nested values went deeper than [`MAX_DEPTH`].
    #[error("gob: values nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    /// An array value's element count differs from its type's length.
    #[error("gob: array length mismatch")]
    ArrayLength,
    /// A valid construct this decoder does not handle.
    #[error("gob: unsupported: {0}")]
    Unsupported(&'static str),
}
