//! Request-body decoding with Go `encoding/json` leniency (reference §2): unknown keys are
//! ignored, missing keys take zero values (request types use `#[serde(default)]`), a `null`
//! body is an empty object. Failures are 1001 ArgsError whose `errDlt` names the field.

use im_domain::{ImError, ImResult};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a JSON request body into `T`.
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> ImResult<T> {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return Err(ImError::args("EOF: request body is empty"));
    }
    let src: &[u8] = if trimmed == b"null" { b"{}" } else { trimmed };
    let mut de = serde_json::Deserializer::from_slice(src);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let cause = shorten(&e.inner().to_string());
        if path == "." || path.is_empty() { ImError::args(cause) } else { ImError::args(format!("{path}: {cause}")) }
    })
}

/// Most characters of a decoder message kept in `errDlt` (serde echoes offending values, which
/// may be megabytes long).
const MAX_DETAIL_CHARS: usize = 512;

/// Cuts a message to [`MAX_DETAIL_CHARS`], marking the cut.
fn shorten(msg: &str) -> String {
    match msg.char_indices().nth(MAX_DETAIL_CHARS) {
        Some((at, _)) => format!("{}…", &msg[..at]),
        None => msg.to_string(),
    }
}

/// The value at a dotted path (`"userInfo.userID"`) of a JSON object.
pub fn json_path<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.as_object()?.get(key))
}

/// Every value a lenient (ASCII case-insensitive) decoder could bind to a dotted path: at each
/// level all keys equal to the segment ignoring ASCII case. Ownership checks must hold for all of
/// them, or `{"userID":"me","UserID":"victim"}` would pass the check and decode as `victim`.
pub fn json_path_all<'a>(value: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![value];
    for key in path.split('.') {
        current = current
            .into_iter()
            .filter_map(Value::as_object)
            .flat_map(|m| m.iter().filter(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
            .collect();
    }
    current
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Inner {
        #[serde(rename = "userID")]
        user_id: String,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Req {
        #[serde(rename = "platformID")]
        platform_id: i32,
        #[serde(rename = "userInfo")]
        user_info: Inner,
    }

    #[test]
    fn lenient_and_named_errors() {
        let r: Req = decode_json(br#"{"extra":1,"userInfo":{"userID":"u"}}"#).unwrap();
        assert_eq!(r, Req { platform_id: 0, user_info: Inner { user_id: "u".into() } });
        assert_eq!(decode_json::<Req>(b" null ").unwrap(), Req::default());
        let e = decode_json::<Req>(br#"{"platformID":"5"}"#).unwrap_err();
        assert_eq!(e.code, 1001);
        assert!(e.dlt.starts_with("platformID: invalid type: string"), "{}", e.dlt);
        let e = decode_json::<Req>(br#"{"userInfo":{"userID":7}}"#).unwrap_err();
        assert!(e.dlt.starts_with("userInfo.userID: invalid type"), "{}", e.dlt);
        assert_eq!(decode_json::<Req>(b"{bad").unwrap_err().code, 1001);
        assert_eq!(decode_json::<Req>(b"").unwrap_err().code, 1001);
    }

    #[test]
    fn case_variants_are_all_found() {
        let v: Value = serde_json::from_str(r#"{"a":{"userID":"me","UserID":"victim"},"A":{"USERID":"x"}}"#).unwrap();
        let mut got: Vec<_> = json_path_all(&v, "a.userID").into_iter().filter_map(Value::as_str).collect();
        got.sort_unstable();
        assert_eq!(got, vec!["me", "victim", "x"]);
        assert!(json_path_all(&v, "b.userID").is_empty());
    }

    #[test]
    fn long_values_are_not_echoed_whole() {
        let body = format!(r#"{{"userInfo": {{"userID": ["{}"]}}}}"#, "y".repeat(100_000));
        let e = decode_json::<Req>(body.as_bytes()).err().map(|e| e.dlt).unwrap_or_default();
        assert!(e.chars().count() <= MAX_DETAIL_CHARS + 40, "{} chars", e.len());
        let e = decode_json::<Inner>(format!(r#"{{"userID": "{}"#, "z".repeat(100_000)).as_bytes());
        assert!(e.err().map(|e| e.dlt.len()).unwrap_or(0) < 2_000);
    }

    #[test]
    fn paths() {
        let v: Value = serde_json::from_str(r#"{"userInfo":{"userID":"u"},"userID":"x"}"#).unwrap();
        assert_eq!(json_path(&v, "userInfo.userID"), Some(&Value::from("u")));
        assert_eq!(json_path(&v, "userID"), Some(&Value::from("x")));
        assert_eq!(json_path(&v, "userInfo.nope"), None);
        assert_eq!(json_path(&v, "userID.deeper"), None);
    }
}
