//! Go `encoding/json` compatible helpers for the envelopes and the text heartbeat.
//!
//! Decoding follows Go's rules for a struct target: keys match field names case-insensitively,
//! unknown keys are ignored, `null` leaves a field unchanged, later duplicate keys win, and a value
//! of the wrong JSON type is an error. Encoding follows Go's string escaping (HTML-safe).

use std::fmt::Write as _;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::FrameError;

/// Go's `base64.StdEncoding`: padding required, non-zero trailing bits tolerated.
const GO_STD_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

fn json_error(e: serde_json::Error) -> FrameError {
    FrameError::Json(e.to_string())
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(input: &[u8], mut i: usize) -> usize {
    while input.get(i).copied().is_some_and(is_ws) {
        i += 1;
    }
    i
}

fn malformed() -> FrameError {
    FrameError::Json("malformed JSON".to_owned())
}

/// End (exclusive) of the string literal starting at `i`.
fn scan_string(input: &[u8], i: usize) -> Result<usize, FrameError> {
    if input.get(i) != Some(&b'"') {
        return Err(malformed());
    }
    let mut j = i + 1;
    loop {
        match input.get(j) {
            None => return Err(malformed()),
            Some(b'\\') => j += 2,
            Some(b'"') => return Ok(j + 1),
            Some(_) => j += 1,
        }
    }
}

/// End (exclusive) of the JSON value starting at `i`.
fn scan_value(input: &[u8], i: usize) -> Result<usize, FrameError> {
    match input.get(i) {
        None => Err(malformed()),
        Some(b'"') => scan_string(input, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match input.get(j) {
                    None => return Err(malformed()),
                    Some(b'"') => {
                        j = scan_string(input, j)?;
                        continue;
                    }
                    Some(b'{' | b'[') => depth += 1,
                    Some(b'}' | b']') => {
                        depth = depth.checked_sub(1).ok_or_else(malformed)?;
                        if depth == 0 {
                            return Ok(j + 1);
                        }
                    }
                    Some(_) => {}
                }
                j += 1;
            }
        }
        Some(_) => {
            let mut j = i;
            while input.get(j).is_some_and(|&b| !is_ws(b) && !matches!(b, b',' | b'}' | b']')) {
                j += 1;
            }
            if j == i { Err(malformed()) } else { Ok(j) }
        }
    }
}

/// A top-level JSON object's entries in document order: decoded key and raw value text.
/// `Ok(None)` for a top-level `null` (which Go decodes into a zero struct without error).
pub(super) type Entries<'a> = Option<Vec<(String, &'a [u8])>>;

/// Validates `input` and splits the top-level object into its entries.
pub(super) fn object_entries(input: &[u8]) -> Result<Entries<'_>, FrameError> {
    serde_json::from_slice::<serde::de::IgnoredAny>(input).map_err(json_error)?;
    let mut i = skip_ws(input, 0);
    match input.get(i) {
        Some(b'{') => {}
        Some(b'n') => return Ok(None),
        _ => return Err(FrameError::Json("expected a JSON object".to_owned())),
    }
    let mut entries = Vec::new();
    i = skip_ws(input, i + 1);
    if input.get(i) == Some(&b'}') {
        return Ok(Some(entries));
    }
    loop {
        let key_end = scan_string(input, i)?;
        let key = serde_json::from_slice::<String>(input.get(i..key_end).ok_or_else(malformed)?).map_err(json_error)?;
        i = skip_ws(input, key_end);
        if input.get(i) != Some(&b':') {
            return Err(malformed());
        }
        let start = skip_ws(input, i + 1);
        let end = scan_value(input, start)?;
        entries.push((key, input.get(start..end).ok_or_else(malformed)?));
        i = skip_ws(input, end);
        match input.get(i) {
            Some(b',') => i = skip_ws(input, i + 1),
            Some(b'}') => return Ok(Some(entries)),
            _ => return Err(malformed()),
        }
    }
}

/// Go's key folding for case-insensitive matching: ASCII letters and simple Unicode case folds.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut lower = c.to_lowercase();
    let (Some(l), None) = (lower.next(), lower.next()) else { return c };
    let mut upper = l.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => l,
    }
}

/// Whether JSON key `key` selects the field tagged `name` (Go: exact, else case-insensitive).
pub(super) fn key_matches(key: &str, name: &str) -> bool {
    key == name || (key.chars().count() == name.chars().count() && key.chars().map(fold).eq(name.chars().map(fold)))
}

fn type_error(field: &'static str, expected: &'static str) -> FrameError {
    FrameError::Field { field, problem: expected }
}

/// An `int32` field: a JSON integer literal in range; `None` for `null`.
pub(super) fn int32(span: &[u8], field: &'static str) -> Result<Option<i32>, FrameError> {
    match span.first() {
        Some(b'n') => Ok(None),
        Some(b'-' | b'0'..=b'9') => std::str::from_utf8(span)
            .ok()
            .and_then(|s| s.parse::<i32>().ok())
            .map(Some)
            .ok_or_else(|| type_error(field, "expected an integer within int32")),
        _ => Err(type_error(field, "expected a number")),
    }
}

/// A `string` field; `None` for `null`.
pub(super) fn string(span: &[u8], field: &'static str) -> Result<Option<String>, FrameError> {
    match span.first() {
        Some(b'n') => Ok(None),
        Some(b'"') => serde_json::from_slice(span).map(Some).map_err(json_error),
        _ => Err(type_error(field, "expected a string")),
    }
}

/// A `[]byte` field: a standard-base64 string (Go skips `\r` and `\n` in it) or an array of byte
/// values; `None` for `null`.
pub(super) fn bytes(span: &[u8], field: &'static str) -> Result<Option<Vec<u8>>, FrameError> {
    match span.first() {
        Some(b'n') => Ok(None),
        Some(b'"') => {
            let text: String = serde_json::from_slice(span).map_err(json_error)?;
            let cleaned: Vec<u8> = text.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
            GO_STD_BASE64.decode(cleaned).map(Some).map_err(|_| type_error(field, "invalid base64"))
        }
        Some(b'[') => {
            let items: Vec<serde_json::Value> = serde_json::from_slice(span).map_err(json_error)?;
            items
                .iter()
                .map(|v| match v {
                    serde_json::Value::Null => Ok(0),
                    other => other
                        .as_u64()
                        .and_then(|n| u8::try_from(n).ok())
                        .ok_or_else(|| type_error(field, "expected byte values")),
                })
                .collect::<Result<Vec<u8>, _>>()
                .map(Some)
        }
        _ => Err(type_error(field, "expected a base64 string")),
    }
}

/// Appends `s` as a JSON string literal escaped like Go's `encoding/json` (HTML-safe: `<`, `>`,
/// `&`, U+2028 and U+2029 as `\u` escapes; `\b` and `\f` short forms as in Go 1.22+).
pub(super) fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a `[]byte` value: `null` when empty, else a standard base64 string.
pub(super) fn push_bytes(out: &mut String, b: &[u8]) {
    if b.is_empty() {
        out.push_str("null");
    } else {
        out.push('"');
        GO_STD_BASE64.encode_string(b, out);
        out.push('"');
    }
}

/// Go's `json.Compact` with HTML escaping, applied to a validated JSON value: drops insignificant
/// whitespace and escapes `<`, `>`, `&`, U+2028 and U+2029 (what `json.Marshal` does to a
/// `json.RawMessage`).
pub(super) fn compact(span: &[u8]) -> String {
    let text = String::from_utf8_lossy(span);
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => {
                    escaped = false;
                    out.push(c);
                }
                '\\' => {
                    escaped = true;
                    out.push(c);
                }
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        } else {
            match c {
                ' ' | '\t' | '\n' | '\r' => {}
                '"' => {
                    in_string = true;
                    out.push(c);
                }
                c => out.push(c),
            }
        }
    }
    out
}
