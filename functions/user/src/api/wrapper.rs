//! Wrapper fields (`openim.protobuf.StringValue`, `Int32Value`): on input the bare value, with
//! `null`/absent meaning "not set" (reference §2). Seed 000 documents `{"value": …}` objects
//! for the same fields; they are accepted as an alias. A quoted number is an error.

use serde::Deserialize;
use serde::de::{Deserializer, Error};
use serde_json::Value;

fn unwrap_value(v: Value) -> Value {
    match v {
        Value::Object(mut m) if m.len() == 1 && m.contains_key("value") => m.remove("value").unwrap_or(Value::Null),
        other => other,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `StringValue`: `"x"`, `{"value":"x"}`, or `null`/absent.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match unwrap_value(Value::deserialize(d)?) {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(D::Error::custom(format!("invalid type: {}, expected a string", kind(&other)))),
    }
}

/// `Int32Value`: a bare number, `{"value":n}`, or `null`/absent.
pub fn int32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    match unwrap_value(Value::deserialize(d)?) {
        Value::Null => Ok(None),
        Value::Number(n) => match n.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Ok(Some(n)),
            None => Err(D::Error::custom(format!("invalid value: {n}, expected an int32"))),
        },
        other => Err(D::Error::custom(format!("invalid type: {}, expected an int32 number", kind(&other)))),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct W {
        #[serde(deserialize_with = "super::string")]
        s: Option<String>,
        #[serde(deserialize_with = "super::int32")]
        n: Option<i32>,
    }

    fn de(json: &str) -> Result<W, String> {
        im_http::decode::decode_json::<W>(json.as_bytes()).map_err(|e| e.dlt)
    }

    #[test]
    fn bare_object_null_and_errors() {
        assert_eq!(de(r#"{"s":"a","n":2}"#).unwrap(), W { s: Some("a".into()), n: Some(2) });
        assert_eq!(de(r#"{"s":{"value":""},"n":{"value":0}}"#).unwrap(), W { s: Some("".into()), n: Some(0) });
        assert_eq!(de(r#"{"s":null}"#).unwrap(), W::default());
        assert_eq!(de("{}").unwrap(), W::default());
        assert!(de(r#"{"n":"2"}"#).unwrap_err().starts_with("n: invalid type"));
        assert!(de(r#"{"s":5}"#).unwrap_err().starts_with("s: invalid type"));
        assert!(de(r#"{"n":3000000000}"#).unwrap_err().starts_with("n: invalid value"));
    }
}
