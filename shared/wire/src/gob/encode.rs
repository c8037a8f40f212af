//! Gob encoder for flat structs of primitive fields, byte-compatible with a fresh Go encoder.

use super::GobValueRef;

/// Field numbers inside gob's bootstrap types.
const WIRE_TYPE_STRUCT_T: u64 = 2; // wireType.StructT
const STRUCT_TYPE_COMMON: u64 = 0; // structType.CommonType
const STRUCT_TYPE_FIELD: u64 = 1; // structType.Field
const COMMON_TYPE_NAME: u64 = 0; // CommonType.Name
const COMMON_TYPE_ID: u64 = 1; // CommonType.Id
const FIELD_TYPE_NAME: u64 = 0; // fieldType.Name
const FIELD_TYPE_ID: u64 = 1; // fieldType.Id

/// Appends a gob unsigned integer.
pub(super) fn put_uint(out: &mut Vec<u8>, x: u64) {
    if x < 0x80 {
        out.push(x as u8);
        return;
    }
    let bytes = x.to_be_bytes();
    let skip = (x.leading_zeros() / 8) as usize;
    let significant = bytes.get(skip..).unwrap_or(&bytes);
    out.push((significant.len() as u8).wrapping_neg());
    out.extend_from_slice(significant);
}

/// Appends a gob signed integer (zig-zag folded).
pub(super) fn put_int(out: &mut Vec<u8>, i: i64) {
    let folded = if i < 0 { ((!(i as u64)) << 1) | 1 } else { (i as u64) << 1 };
    put_uint(out, folded);
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_uint(out, b.len() as u64);
    out.extend_from_slice(b);
}

/// Writes struct fields as `(delta, value)` pairs, tracking the previous field number.
struct Fields<'o> {
    out: &'o mut Vec<u8>,
    /// Number of the next field when the delta is 1.
    next: u64,
}

impl<'o> Fields<'o> {
    fn new(out: &'o mut Vec<u8>) -> Self {
        Fields { out, next: 0 }
    }

    /// Emits the delta for field `n` (fields must be visited in increasing order) and returns the
    /// buffer for its value.
    fn field(&mut self, n: u64) -> &mut Vec<u8> {
        put_uint(self.out, (n + 1).saturating_sub(self.next));
        self.next = n + 1;
        self.out
    }

    fn end(self) {
        self.out.push(0);
    }
}

/// Appends `body` as one length-prefixed message.
fn put_message(out: &mut Vec<u8>, body: &[u8]) {
    put_bytes(out, body);
}

/// Encodes a struct the way a fresh Go `gob.Encoder` does: the type definition message for type
/// `type_id` (a `structType` named `name` with one field per entry of `fields`, in order), then the
/// value message, in which zero-valued fields are omitted.
///
/// `type_id` must be a user type id ([`FIRST_USER_TYPE_ID`](super::FIRST_USER_TYPE_ID) or more,
/// within `i32`); Go 1.19 encoders use 65 for the first type, newer ones 64.
pub fn encode_struct(name: &str, type_id: u32, fields: &[(&str, GobValueRef<'_>)]) -> Vec<u8> {
    let id = i64::from(type_id);
    let mut out = Vec::with_capacity(64 + fields.iter().map(|(n, v)| n.len() + value_len(v)).sum::<usize>() * 2);

    // Definition: -id, wireType{StructT: &structType{CommonType{name, id}, Field: [...]}}.
    let mut def = Vec::with_capacity(32 + fields.iter().map(|(n, _)| n.len() + 6).sum::<usize>());
    put_int(&mut def, -id);
    let mut wire = Fields::new(&mut def);
    {
        let mut st = Fields::new(wire.field(WIRE_TYPE_STRUCT_T));
        {
            let mut common = Fields::new(st.field(STRUCT_TYPE_COMMON));
            if !name.is_empty() {
                put_bytes(common.field(COMMON_TYPE_NAME), name.as_bytes());
            }
            put_int(common.field(COMMON_TYPE_ID), id);
            common.end();
        }
        if !fields.is_empty() {
            let list = st.field(STRUCT_TYPE_FIELD);
            put_uint(list, fields.len() as u64);
            for (field_name, value) in fields {
                let mut ft = Fields::new(list);
                if !field_name.is_empty() {
                    put_bytes(ft.field(FIELD_TYPE_NAME), field_name.as_bytes());
                }
                put_int(ft.field(FIELD_TYPE_ID), value.type_id());
                ft.end();
            }
        }
        st.end();
    }
    wire.end();
    put_message(&mut out, &def);

    // Value: id, then the non-zero fields.
    let mut val = Vec::with_capacity(16 + fields.iter().map(|(_, v)| value_len(v)).sum::<usize>());
    put_int(&mut val, id);
    let mut st = Fields::new(&mut val);
    for (n, (_, value)) in fields.iter().enumerate() {
        if value.is_zero() {
            continue;
        }
        let buf = st.field(n as u64);
        match value {
            GobValueRef::Bool(b) => put_uint(buf, u64::from(*b)),
            GobValueRef::Int(i) => put_int(buf, *i),
            GobValueRef::Uint(u) => put_uint(buf, *u),
            GobValueRef::String(s) => put_bytes(buf, s.as_bytes()),
            GobValueRef::Bytes(b) => put_bytes(buf, b),
        }
    }
    st.end();
    put_message(&mut out, &val);
    out
}

/// Upper bound of a value's encoded size, for preallocation.
fn value_len(v: &GobValueRef<'_>) -> usize {
    match v {
        GobValueRef::String(s) => s.len() + 9,
        GobValueRef::Bytes(b) => b.len() + 9,
        _ => 9,
    }
}
