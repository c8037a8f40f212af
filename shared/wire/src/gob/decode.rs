//! Bounded gob stream decoder.

use std::collections::HashMap;

use super::{FIRST_USER_TYPE_ID, GobError, GobFieldDecl, GobStruct, GobValue, MAX_DEPTH, type_ids};

/// Longest interface type name accepted (Go's decoder refuses names over 1024 bytes).
const MAX_INTERFACE_NAME: u64 = 1024;

/// A cursor over one message (or the whole stream, for message framing).
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    fn byte(&mut self) -> Result<u8, GobError> {
        let b = *self.buf.get(self.pos).ok_or(GobError::UnexpectedEof)?;
        self.pos += 1;
        Ok(b)
    }

    /// Takes `n` bytes, failing (without allocating) if fewer remain.
    fn take(&mut self, n: u64) -> Result<&'a [u8], GobError> {
        let remaining = self.remaining();
        let len = usize::try_from(n).ok().filter(|&len| len <= remaining);
        let len = len.ok_or(GobError::LengthTooLarge { len: n, remaining })?;
        let out = self.buf.get(self.pos..self.pos + len).ok_or(GobError::UnexpectedEof)?;
        self.pos += len;
        Ok(out)
    }

    /// An unsigned integer: one byte below 128, else a negated byte count and big-endian bytes.
    pub(super) fn uint(&mut self) -> Result<u64, GobError> {
        let first = self.byte()?;
        if first < 0x80 {
            return Ok(u64::from(first));
        }
        let count = first.wrapping_neg();
        if count > 8 {
            return Err(GobError::BadUint);
        }
        let bytes = self.take(u64::from(count)).map_err(|_| GobError::UnexpectedEof)?;
        Ok(bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// A zig-zag folded signed integer.
    pub(super) fn int(&mut self) -> Result<i64, GobError> {
        let u = self.uint()?;
        let magnitude = (u >> 1) as i64;
        Ok(if u & 1 == 1 { !magnitude } else { magnitude })
    }

    /// A length-prefixed byte string.
    fn counted(&mut self) -> Result<&'a [u8], GobError> {
        let n = self.uint()?;
        self.take(n)
    }

    /// An element count: every element takes at least one byte, so it cannot exceed the input left.
    fn count(&mut self) -> Result<u64, GobError> {
        let n = self.uint()?;
        let remaining = self.remaining();
        if n > remaining as u64 {
            return Err(GobError::LengthTooLarge { len: n, remaining });
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, GobError> {
        Ok(String::from_utf8_lossy(self.counted()?).into_owned())
    }
}

/// Reads a struct encoding: `(field delta, value)*` then a zero delta. `visit` is called with the
/// field number, which is checked against `num_fields` first.
fn read_fields<'a>(
    r: &mut Reader<'a>,
    num_fields: usize,
    mut visit: impl FnMut(&mut Reader<'a>, usize) -> Result<(), GobError>,
) -> Result<(), GobError> {
    // Number of the next field if the delta is 1 (field numbers start at 0, the "previous" at -1).
    let mut next: u64 = 0;
    loop {
        let delta = r.uint()?;
        if delta == 0 {
            return Ok(());
        }
        let field = next.checked_add(delta - 1).ok_or(GobError::FieldOutOfRange)?;
        let index = usize::try_from(field).ok().filter(|&i| i < num_fields).ok_or(GobError::FieldOutOfRange)?;
        visit(r, index)?;
        next = field + 1;
    }
}

/// A type defined in the stream.
#[derive(Debug, Clone)]
enum WireType {
    Array {
        elem: i64,
        len: i64,
    },
    Slice {
        elem: i64,
    },
    Struct {
        name: String,
        fields: Vec<GobFieldDecl>,
    },
    Map {
        key: i64,
        elem: i64,
    },
    /// GobEncoder / BinaryMarshaler / TextMarshaler: the value is a counted byte string.
    Opaque,
}

/// `CommonType{Name string; Id typeId}`; only the name is kept (the message's id is authoritative).
fn common_type(r: &mut Reader<'_>) -> Result<String, GobError> {
    let mut name = String::new();
    read_fields(r, 2, |r, field| {
        match field {
            0 => name = r.string()?,
            _ => {
                r.int()?;
            }
        }
        Ok(())
    })?;
    Ok(name)
}

/// `arrayType{CommonType; Elem typeId; Len int}`.
fn array_type(r: &mut Reader<'_>) -> Result<WireType, GobError> {
    let (mut elem, mut len) = (0, 0);
    read_fields(r, 3, |r, field| {
        match field {
            0 => {
                common_type(r)?;
            }
            1 => elem = r.int()?,
            _ => len = r.int()?,
        }
        Ok(())
    })?;
    Ok(WireType::Array { elem, len })
}

/// `sliceType{CommonType; Elem typeId}`.
fn slice_type(r: &mut Reader<'_>) -> Result<WireType, GobError> {
    let mut elem = 0;
    read_fields(r, 2, |r, field| {
        match field {
            0 => {
                common_type(r)?;
            }
            _ => elem = r.int()?,
        }
        Ok(())
    })?;
    Ok(WireType::Slice { elem })
}

/// `fieldType{Name string; Id typeId}`.
fn field_type(r: &mut Reader<'_>) -> Result<GobFieldDecl, GobError> {
    let mut decl = GobFieldDecl { name: String::new(), type_id: 0 };
    read_fields(r, 2, |r, field| {
        match field {
            0 => decl.name = r.string()?,
            _ => decl.type_id = r.int()?,
        }
        Ok(())
    })?;
    Ok(decl)
}

/// `structType{CommonType; Field []fieldType}`.
fn struct_type(r: &mut Reader<'_>) -> Result<WireType, GobError> {
    let mut name = String::new();
    let mut fields = Vec::new();
    read_fields(r, 2, |r, field| {
        match field {
            0 => name = common_type(r)?,
            _ => {
                let n = r.count()?;
                fields.clear();
                for _ in 0..n {
                    fields.push(field_type(r)?);
                }
            }
        }
        Ok(())
    })?;
    Ok(WireType::Struct { name, fields })
}

/// `mapType{CommonType; Key typeId; Elem typeId}`.
fn map_type(r: &mut Reader<'_>) -> Result<WireType, GobError> {
    let (mut key, mut elem) = (0, 0);
    read_fields(r, 3, |r, field| {
        match field {
            0 => {
                common_type(r)?;
            }
            1 => key = r.int()?,
            _ => elem = r.int()?,
        }
        Ok(())
    })?;
    Ok(WireType::Map { key, elem })
}

/// `wireType{ArrayT; SliceT; StructT; MapT; GobEncoderT; BinaryMarshalerT; TextMarshalerT}`, each a
/// pointer of which exactly one is normally set. Like Go, the first kind set (in that order) wins.
fn wire_type(r: &mut Reader<'_>) -> Result<WireType, GobError> {
    let mut kinds: [Option<WireType>; 7] = Default::default();
    read_fields(r, 7, |r, field| {
        let parsed = match field {
            0 => array_type(r)?,
            1 => slice_type(r)?,
            2 => struct_type(r)?,
            3 => map_type(r)?,
            _ => {
                // gobEncoderType{CommonType}
                read_fields(r, 1, |r, _| common_type(r).map(drop))?;
                WireType::Opaque
            }
        };
        if let Some(slot) = kinds.get_mut(field) {
            *slot = Some(parsed);
        }
        Ok(())
    })?;
    kinds.into_iter().flatten().next().ok_or(GobError::BadTypeDefinition("no kind set"))
}

/// Types defined so far in the stream.
struct Types {
    defs: HashMap<i64, WireType>,
}

impl Types {
    fn define(&mut self, id: i64, def: WireType) -> Result<(), GobError> {
        if id < i64::from(FIRST_USER_TYPE_ID) || id > i64::from(i32::MAX) {
            return Err(GobError::InvalidTypeId(id));
        }
        if self.defs.contains_key(&id) {
            return Err(GobError::DuplicateType(id));
        }
        self.defs.insert(id, def);
        Ok(())
    }

    fn get(&self, id: i64) -> Result<&WireType, GobError> {
        self.defs.get(&id).ok_or(GobError::UndefinedType(id))
    }

    /// Reads and discards one value of type `id`.
    fn skip(&self, id: i64, r: &mut Reader<'_>, depth: usize) -> Result<(), GobError> {
        if depth > MAX_DEPTH {
            return Err(GobError::TooDeep);
        }
        match id {
            type_ids::BOOL | type_ids::INT | type_ids::UINT | type_ids::FLOAT => r.uint().map(drop),
            type_ids::COMPLEX => r.uint().and_then(|_| r.uint()).map(drop),
            type_ids::BYTES | type_ids::STRING => r.counted().map(drop),
            type_ids::INTERFACE => skip_interface(r),
            _ => match self.get(id)? {
                WireType::Struct { fields, .. } => read_fields(r, fields.len(), |r, index| {
                    let elem = fields.get(index).map_or(0, |f| f.type_id);
                    self.skip(elem, r, depth + 1)
                }),
                WireType::Slice { elem } => {
                    let n = r.count()?;
                    (0..n).try_for_each(|_| self.skip(*elem, r, depth + 1))
                }
                WireType::Array { elem, len } => {
                    let n = r.count()?;
                    if i64::try_from(n).ok() != Some(*len) {
                        return Err(GobError::ArrayLength);
                    }
                    (0..n).try_for_each(|_| self.skip(*elem, r, depth + 1))
                }
                WireType::Map { key, elem } => {
                    let n = r.count()?;
                    (0..n).try_for_each(|_| {
                        self.skip(*key, r, depth + 1)?;
                        self.skip(*elem, r, depth + 1)
                    })
                }
                WireType::Opaque => r.counted().map(drop),
            },
        }
    }
}

/// An interface value: type name (empty = nil), then the concrete type id and a counted value.
fn skip_interface(r: &mut Reader<'_>) -> Result<(), GobError> {
    let name_len = r.uint()?;
    if name_len == 0 {
        return Ok(());
    }
    if name_len > MAX_INTERFACE_NAME {
        return Err(GobError::Unsupported("interface type name longer than 1024 bytes"));
    }
    r.take(name_len)?;
    // Definitions of the concrete type are sent as separate messages before the value message,
    // except for interfaces nested in interface values, which embed them here.
    if r.int()? < 0 {
        return Err(GobError::Unsupported("type definition embedded in an interface value"));
    }
    r.counted().map(drop)
}

/// Decodes a gob stream holding type definitions followed by one struct value.
///
/// Definitions may arrive in any order and refer to types defined later; the value message must
/// come after the definitions it needs. Messages after the first value are ignored (a Go decoder
/// reading one value does the same).
///
/// # Errors
/// Any malformed, truncated or unsupported input returns a [`GobError`]; lengths are bounded by the
/// remaining input and nesting by [`MAX_DEPTH`].
pub fn decode_struct(stream: &[u8]) -> Result<GobStruct, GobError> {
    let mut types = Types { defs: HashMap::new() };
    let mut framing = Reader::new(stream);
    while !framing.is_empty() {
        let message = framing.counted()?;
        let mut r = Reader::new(message);
        let id = r.int()?;
        if id < 0 {
            let def = wire_type(&mut r)?;
            if !r.is_empty() {
                return Err(GobError::ExtraData);
            }
            types.define(id.checked_neg().ok_or(GobError::InvalidTypeId(id))?, def)?;
            continue;
        }
        if id == 0 {
            return Err(GobError::ZeroTypeId);
        }
        return decode_value(&types, id, &mut r);
    }
    Err(GobError::NoValue)
}

/// Decodes the top-level struct value of type `id`.
fn decode_value(types: &Types, id: i64, r: &mut Reader<'_>) -> Result<GobStruct, GobError> {
    let WireType::Struct { name, fields: declared } = types.get(id)? else {
        return Err(GobError::NotAStruct(id));
    };
    let mut out = GobStruct {
        name: name.clone(),
        type_id: u32::try_from(id).map_err(|_| GobError::InvalidTypeId(id))?,
        declared: declared.clone(),
        fields: Default::default(),
    };
    let fields = &mut out.fields;
    read_fields(r, declared.len(), |r, index| {
        let Some(decl) = declared.get(index) else {
            return Err(GobError::FieldOutOfRange);
        };
        let value = match decl.type_id {
            type_ids::BOOL => GobValue::Bool(r.uint()? != 0),
            type_ids::INT => GobValue::Int(r.int()?),
            type_ids::UINT => GobValue::Uint(r.uint()?),
            type_ids::STRING => GobValue::String(r.string()?),
            type_ids::BYTES => GobValue::Bytes(r.counted()?.to_vec()),
            other => return types.skip(other, r, 1),
        };
        fields.insert(decl.name.clone(), value);
        Ok(())
    })?;
    Ok(out)
}
