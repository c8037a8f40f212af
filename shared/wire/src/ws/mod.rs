//! WebSocket request/response envelopes of OpenIM's message gateway.
//!
//! Binary frames carry one envelope, encoded either as a self-describing Go gob stream (the Go SDK
//! and most clients, `sdkType=go`) or as JSON (`sdkType=js`), and optionally gzip-compressed as a
//! whole (`compression=gzip`). Text frames carry only the application heartbeat
//! ([`text_heartbeat_reply`]).
//!
//! Decoding is lenient in the ways Go's decoders are (gob fields are matched by name and the type
//! name/id are irrelevant; JSON keys match case-insensitively and unknown keys are ignored; missing
//! fields are zero) and strict where Go is (wrong field types, `int32` overflow). Nothing here
//! panics on untrusted input, and decompression is bounded by [`MAX_DECOMPRESSED_LEN`].

use std::io::{Read, Write};

use crate::gob::{self, GobError, GobStruct, GobValue, GobValueRef, type_ids};

mod json;

/// Largest WebSocket frame the gateway reads (hard-coded in OpenIM; larger frames close the socket).
pub const MAX_FRAME_LEN: usize = 51_200;

/// Largest envelope accepted after gunzip; a larger decompressed frame is an error.
pub const MAX_DECOMPRESSED_LEN: usize = 1 << 20;

/// Gob type name and id a Go server assigns to the request envelope in the reference vectors.
pub const REQ_GOB_TYPE: GobTypeName<'static> = GobTypeName { name: "Req", type_id: 65 };

/// Gob type name and id for the response envelope written by a process that encodes only `Resp`
/// (Go 1.19 numbering; Go 1.21+ would use 64 — clients ignore both).
pub const RESP_GOB_TYPE: GobTypeName<'static> = GobTypeName { name: "Resp", type_id: 65 };

/// Envelope encoding, chosen per connection by the `sdkType` handshake parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Go `encoding/gob`, one fresh encoder per frame (`sdkType=go` or empty).
    #[default]
    Gob,
    /// Go `encoding/json`, `data` as standard base64 (`sdkType=js`).
    Json,
}

impl Encoding {
    /// Maps the handshake's `sdkType` value: empty or `go` → gob, `js` → JSON, anything else → `None`
    /// (the gateway answers 1602).
    pub fn from_sdk_type(sdk_type: &str) -> Option<Encoding> {
        match sdk_type {
            "" | "go" => Some(Encoding::Gob),
            "js" => Some(Encoding::Json),
            _ => None,
        }
    }
}

/// The struct name and type id used when writing a gob envelope (decoders ignore both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GobTypeName<'a> {
    /// Go type name written in the definition (`Req`, `Resp`, `GeneralWsReq` …).
    pub name: &'a str,
    /// Type id (64 or more).
    pub type_id: u32,
}

/// Client → server envelope (`Req` in the gateway, `GeneralWsReq` in the Go SDK).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsReq {
    /// Request kind (1001 GetNewestSeq, 1003 SendMsg, …).
    pub req_identifier: i32,
    /// Unused by the gateway; sent empty by clients.
    pub token: String,
    /// Sender user ID; must equal the connection's user.
    pub send_id: String,
    /// Trace id for the request.
    pub operation_id: String,
    /// Client correlation id, echoed in the response.
    pub msg_incr: String,
    /// Protobuf payload.
    pub data: Vec<u8>,
}

/// Server → client envelope (`Resp` in the gateway, `GeneralWsResp` in the Go SDK); also pushes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WsResp {
    /// Request kind being answered, or 2001/2002/2005 for pushes.
    pub req_identifier: i32,
    /// Correlation id copied from the request (empty for pushes).
    pub msg_incr: String,
    /// Trace id copied from the request.
    pub operation_id: String,
    /// 0 on success, else an OpenIM error code.
    pub err_code: i32,
    /// Error name/message; empty on success.
    pub err_msg: String,
    /// Protobuf payload; empty on error.
    pub data: Vec<u8>,
}

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The frame is not a valid gzip stream.
    #[error("gzip: {0}")]
    Gzip(String),
    /// The decompressed frame exceeds the limit.
    #[error("decompressed frame larger than {limit} bytes")]
    TooLarge {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The gob stream is malformed.
    #[error(transparent)]
    Gob(#[from] GobError),
    /// The JSON text is malformed or not an object.
    #[error("json: {0}")]
    Json(String),
    /// A known field has the wrong type or an out-of-range value.
    #[error("field {field}: {problem}")]
    Field {
        /// The Go field name.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// The gob struct shares no field name with the envelope (Go: "no fields matched").
    #[error("gob: no fields matched the envelope")]
    NoFieldsMatched,
    /// A text frame that is neither `ping` nor `pong`.
    #[error("unsupported text message type {0:?}")]
    UnsupportedText(String),
}

/// Gzip-compresses `bytes` at the fastest level (frames are small and per-message; the default
/// level costs several times the CPU for a few percent smaller frames). Any level decodes alike.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 2 + 32), flate2::Compression::fast());
    // Writing into a Vec cannot fail.
    if enc.write_all(bytes).is_err() {
        return Vec::new();
    }
    enc.finish().unwrap_or_default()
}

/// Decompresses a gzip stream (concatenated members allowed, as in Go), failing with
/// [`FrameError::TooLarge`] once the output would exceed `limit` bytes.
pub fn gunzip_bounded(frame: &[u8], limit: usize) -> Result<Vec<u8>, FrameError> {
    let decoder = flate2::read::MultiGzDecoder::new(frame);
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut out = Vec::with_capacity(frame.len().saturating_mul(4).min(limit));
    decoder.take(cap).read_to_end(&mut out).map_err(|e| FrameError::Gzip(e.to_string()))?;
    if out.len() > limit {
        return Err(FrameError::TooLarge { limit });
    }
    Ok(out)
}

fn maybe_gunzip(frame: &[u8], gzip: bool) -> Result<std::borrow::Cow<'_, [u8]>, FrameError> {
    if gzip { gunzip_bounded(frame, MAX_DECOMPRESSED_LEN).map(Into::into) } else { Ok(frame.into()) }
}

fn maybe_gzip(bytes: Vec<u8>, compress: bool) -> Vec<u8> {
    if compress { gzip(&bytes) } else { bytes }
}

// ---------------------------------------------------------------------------------------------
// Field tables shared by both encodings.

/// Gob field names of the request envelope, in Go struct order.
const REQ_FIELDS: [&str; 6] = ["ReqIdentifier", "Token", "SendID", "OperationID", "MsgIncr", "Data"];
/// JSON keys of the request envelope, in Go struct order.
const REQ_KEYS: [&str; 6] = ["reqIdentifier", "token", "sendID", "operationID", "msgIncr", "data"];
/// Gob field names of the response envelope, in Go struct order.
const RESP_FIELDS: [&str; 6] = ["ReqIdentifier", "MsgIncr", "OperationID", "ErrCode", "ErrMsg", "Data"];
/// JSON keys of the response envelope, in Go struct order.
const RESP_KEYS: [&str; 6] = ["reqIdentifier", "msgIncr", "operationID", "errCode", "errMsg", "data"];

/// A field's Go type, shared by the gob and JSON paths.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int32,
    Str,
    Bytes,
}

const REQ_KINDS: [Kind; 6] = [Kind::Int32, Kind::Str, Kind::Str, Kind::Str, Kind::Str, Kind::Bytes];
const RESP_KINDS: [Kind; 6] = [Kind::Int32, Kind::Str, Kind::Str, Kind::Int32, Kind::Str, Kind::Bytes];

/// A field value in transit between an envelope struct and an encoding.
enum Slot<'a> {
    Int32(&'a mut i32),
    Str(&'a mut String),
    Bytes(&'a mut Vec<u8>),
}

fn req_slots(r: &mut WsReq) -> [Slot<'_>; 6] {
    [
        Slot::Int32(&mut r.req_identifier),
        Slot::Str(&mut r.token),
        Slot::Str(&mut r.send_id),
        Slot::Str(&mut r.operation_id),
        Slot::Str(&mut r.msg_incr),
        Slot::Bytes(&mut r.data),
    ]
}

fn resp_slots(r: &mut WsResp) -> [Slot<'_>; 6] {
    [
        Slot::Int32(&mut r.req_identifier),
        Slot::Str(&mut r.msg_incr),
        Slot::Str(&mut r.operation_id),
        Slot::Int32(&mut r.err_code),
        Slot::Str(&mut r.err_msg),
        Slot::Bytes(&mut r.data),
    ]
}

fn req_values(r: &WsReq) -> [GobValueRef<'_>; 6] {
    [
        GobValueRef::Int(i64::from(r.req_identifier)),
        GobValueRef::String(&r.token),
        GobValueRef::String(&r.send_id),
        GobValueRef::String(&r.operation_id),
        GobValueRef::String(&r.msg_incr),
        GobValueRef::Bytes(&r.data),
    ]
}

fn resp_values(r: &WsResp) -> [GobValueRef<'_>; 6] {
    [
        GobValueRef::Int(i64::from(r.req_identifier)),
        GobValueRef::String(&r.msg_incr),
        GobValueRef::String(&r.operation_id),
        GobValueRef::Int(i64::from(r.err_code)),
        GobValueRef::String(&r.err_msg),
        GobValueRef::Bytes(&r.data),
    ]
}

// ---------------------------------------------------------------------------------------------
// Gob.

/// Copies the fields of a decoded gob struct into the envelope slots, with Go's type rules.
fn fill_from_gob(
    s: GobStruct,
    names: &[&'static str; 6],
    kinds: &[Kind; 6],
    slots: [Slot<'_>; 6],
) -> Result<(), FrameError> {
    // Go refuses a wire struct that has fields but none in common with the target.
    if !s.declared.is_empty() && !s.declared.iter().any(|d| names.contains(&d.name.as_str())) {
        return Err(FrameError::NoFieldsMatched);
    }
    let mut fields = s.fields;
    for ((&name, &kind), slot) in names.iter().zip(kinds).zip(slots) {
        let Some(wire_type) = s.declared.iter().rev().find(|d| d.name == name).map(|d| d.type_id) else {
            continue;
        };
        let expected = match kind {
            Kind::Int32 => type_ids::INT,
            Kind::Str => type_ids::STRING,
            Kind::Bytes => type_ids::BYTES,
        };
        if wire_type != expected {
            return Err(FrameError::Field { field: name, problem: "wrong gob type" });
        }
        match (fields.remove(name), slot) {
            (None, _) => {}
            (Some(GobValue::Int(v)), Slot::Int32(dst)) => {
                *dst = i32::try_from(v)
                    .map_err(|_| FrameError::Field { field: name, problem: "value out of int32 range" })?;
            }
            (Some(GobValue::String(v)), Slot::Str(dst)) => *dst = v,
            (Some(GobValue::Bytes(v)), Slot::Bytes(dst)) => *dst = v,
            (Some(_), _) => return Err(FrameError::Field { field: name, problem: "wrong gob type" }),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON.

fn fill_from_json(input: &[u8], keys: &[&'static str; 6], slots: [Slot<'_>; 6]) -> Result<(), FrameError> {
    // Go's decoder replaces invalid UTF-8 with U+FFFD (inside strings; elsewhere it is a syntax
    // error either way).
    let text = String::from_utf8_lossy(input);
    let Some(entries) = json::object_entries(text.as_bytes())? else {
        return Ok(());
    };
    let mut slots = slots;
    for (key, span) in entries {
        // Go prefers an exact match, then the first case-insensitive one; names here are distinct.
        let Some(i) =
            keys.iter().position(|k| *k == key).or_else(|| keys.iter().position(|k| json::key_matches(&key, k)))
        else {
            continue;
        };
        let (Some(&field), Some(slot)) = (keys.get(i), slots.get_mut(i)) else { continue };
        match slot {
            Slot::Int32(dst) => {
                if let Some(v) = json::int32(span, field)? {
                    **dst = v;
                }
            }
            Slot::Str(dst) => {
                if let Some(v) = json::string(span, field)? {
                    **dst = v;
                }
            }
            Slot::Bytes(dst) => {
                if let Some(v) = json::bytes(span, field)? {
                    **dst = v;
                }
            }
        }
    }
    Ok(())
}

fn to_json(keys: &[&str; 6], values: &[GobValueRef<'_>; 6]) -> Vec<u8> {
    let mut out = String::with_capacity(
        128 + values
            .iter()
            .map(|v| match v {
                GobValueRef::String(s) => s.len(),
                GobValueRef::Bytes(b) => b.len() * 4 / 3 + 4,
                _ => 12,
            })
            .sum::<usize>(),
    );
    out.push('{');
    for (i, (key, value)) in keys.iter().zip(values).enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::push_str(&mut out, key);
        out.push(':');
        match value {
            GobValueRef::Int(v) => out.push_str(&v.to_string()),
            GobValueRef::Uint(v) => out.push_str(&v.to_string()),
            GobValueRef::Bool(v) => out.push_str(if *v { "true" } else { "false" }),
            GobValueRef::String(s) => json::push_str(&mut out, s),
            GobValueRef::Bytes(b) => json::push_bytes(&mut out, b),
        }
    }
    out.push('}');
    out.into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Public codec.

/// Decodes a client request frame (binary WebSocket payload).
///
/// # Errors
/// [`FrameError`] for bad gzip, oversize decompressed data, malformed gob/JSON, or a field of the
/// wrong type or out of `int32` range.
pub fn decode_req(frame: &[u8], encoding: Encoding, gzip: bool) -> Result<WsReq, FrameError> {
    let bytes = maybe_gunzip(frame, gzip)?;
    let mut req = WsReq::default();
    match encoding {
        Encoding::Gob => fill_from_gob(gob::decode_struct(&bytes)?, &REQ_FIELDS, &REQ_KINDS, req_slots(&mut req))?,
        Encoding::Json => fill_from_json(&bytes, &REQ_KEYS, req_slots(&mut req))?,
    }
    Ok(req)
}

/// Decodes a server response/push frame (used by load generators and tests).
///
/// # Errors
/// As [`decode_req`].
pub fn decode_resp(frame: &[u8], encoding: Encoding, gzip: bool) -> Result<WsResp, FrameError> {
    let bytes = maybe_gunzip(frame, gzip)?;
    let mut resp = WsResp::default();
    match encoding {
        Encoding::Gob => fill_from_gob(gob::decode_struct(&bytes)?, &RESP_FIELDS, &RESP_KINDS, resp_slots(&mut resp))?,
        Encoding::Json => fill_from_json(&bytes, &RESP_KEYS, resp_slots(&mut resp))?,
    }
    Ok(resp)
}

/// Encodes a response/push frame; gob frames use [`RESP_GOB_TYPE`].
///
/// JSON frames always carry all six keys (`data` is `null` when empty), as Go's `encoding/json`.
pub fn encode_resp(resp: &WsResp, encoding: Encoding, gzip: bool) -> Vec<u8> {
    encode_resp_with(resp, encoding, gzip, RESP_GOB_TYPE)
}

/// [`encode_resp`] with an explicit gob type name and id.
pub fn encode_resp_with(resp: &WsResp, encoding: Encoding, gzip: bool, gob_type: GobTypeName<'_>) -> Vec<u8> {
    let values = resp_values(resp);
    let bytes = match encoding {
        Encoding::Gob => encode_gob(gob_type, &RESP_FIELDS, &values),
        Encoding::Json => to_json(&RESP_KEYS, &values),
    };
    maybe_gzip(bytes, gzip)
}

/// Encodes a request frame (for load generators and tests); gob frames use [`REQ_GOB_TYPE`].
///
/// JSON frames carry all six keys in Go struct order (`data` is `null` when empty).
pub fn encode_req(req: &WsReq, encoding: Encoding, gzip: bool) -> Vec<u8> {
    encode_req_with(req, encoding, gzip, REQ_GOB_TYPE)
}

/// [`encode_req`] with an explicit gob type name and id (the Go SDK writes `GeneralWsReq`).
pub fn encode_req_with(req: &WsReq, encoding: Encoding, gzip: bool, gob_type: GobTypeName<'_>) -> Vec<u8> {
    let values = req_values(req);
    let bytes = match encoding {
        Encoding::Gob => encode_gob(gob_type, &REQ_FIELDS, &values),
        Encoding::Json => to_json(&REQ_KEYS, &values),
    };
    maybe_gzip(bytes, gzip)
}

fn encode_gob(gob_type: GobTypeName<'_>, names: &[&str; 6], values: &[GobValueRef<'_>; 6]) -> Vec<u8> {
    let mut fields = [("", GobValueRef::Int(0)); 6];
    for (slot, (name, value)) in fields.iter_mut().zip(names.iter().zip(values)) {
        *slot = (name, *value);
    }
    gob::encode_struct(gob_type.name, gob_type.type_id, &fields)
}

// ---------------------------------------------------------------------------------------------
// Text heartbeat.

/// Handles an application heartbeat text frame `{"type":"ping"|"pong","body":<any JSON>}`.
///
/// Returns `Ok(Some(reply))` for a ping — the text frame to send back,
/// `{"type":"pong","body":<same body, compacted>}` (`null` when absent), as the Go gateway writes
/// it — and `Ok(None)` for a pong.
///
/// # Errors
/// Malformed JSON, or any other `type` ([`FrameError::UnsupportedText`]); the gateway closes the
/// connection in both cases.
pub fn text_heartbeat_reply(text: &[u8]) -> Result<Option<String>, FrameError> {
    let mut kind = String::new();
    let mut body: Option<&[u8]> = None;
    let text = String::from_utf8_lossy(text);
    if let Some(entries) = json::object_entries(text.as_bytes())? {
        for (key, span) in entries {
            if json::key_matches(&key, "type") {
                if let Some(v) = json::string(span, "type")? {
                    kind = v;
                }
            } else if json::key_matches(&key, "body") {
                body = Some(span);
            }
        }
    }
    match kind.as_str() {
        "pong" => Ok(None),
        "ping" => {
            let body = body.map_or_else(|| "null".to_owned(), json::compact);
            Ok(Some(format!("{{\"type\":\"pong\",\"body\":{body}}}")))
        }
        _ => Err(FrameError::UnsupportedText(kind)),
    }
}
