//! The admin send routes (reference §1.5, §1.9): plain-JSON bodies bound like gin's `BindJSON`.
//!
//! Bodies are flat (Go embeds `SendMsg`): `{"recvID":…, "sendID":…, "content":{…}, …}`. Seed
//! 002's nested form `{"recvID":…, "sendMsg":{"sendID":…, …}}` (and `{"sendMsg":{…}, "recvIDs":…}`
//! for the batch route) is accepted as an alias: the `sendMsg` object's keys are read as if they
//! were top-level, top-level keys filling in what it lacks.

use im_http::AuthRule;
use im_wire::pb::msg::SendMsgResp;
use im_wire::pb::msg::api::{BatchSendMsgReq, BatchSendMsgResp, SendBusinessNotificationReq, SendMsgReq};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

im_http::declare_endpoints! {
/// `POST /msg/send_msg` (A).
SendMsg, "/msg/send_msg", AuthRule::Admin, SendMsgBody, SendMsgResp;
}

im_http::declare_endpoints! {
/// `POST /msg/batch_send_msg` (A).
BatchSendMsg, "/msg/batch_send_msg", AuthRule::Admin, BatchSendMsgBody, BatchSendMsgResp;
}

im_http::declare_endpoints! {
/// `POST /msg/send_business_notification` (A).
SendBusinessNotification, "/msg/send_business_notification", AuthRule::Admin, SendBusinessNotificationReq, SendMsgResp;
}

/// The value of `key` in `obj`, matched like Go's decoder (exact first, then case-insensitive).
fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<(&'a String, &'a Value)> {
    obj.get_key_value(key).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
}

/// Reads seed 002's nested `sendMsg` object as top-level keys.
pub fn flatten_send_msg(body: Value) -> Value {
    let Value::Object(top) = body else { return body };
    let nested = match get_ci(&top, "sendMsg") {
        Some((_, Value::Object(inner))) => inner.clone(),
        _ => return Value::Object(top),
    };
    let mut merged = nested;
    for (k, v) in top {
        if k.eq_ignore_ascii_case("sendMsg") {
            continue;
        }
        if get_ci(&merged, &k).is_none() {
            merged.insert(k, v);
        }
    }
    Value::Object(merged)
}

/// The `/msg/send_msg` body (flat, or seed 002's nested alias).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SendMsgBody(pub SendMsgReq);

impl<'de> Deserialize<'de> for SendMsgBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let body = flatten_send_msg(Value::deserialize(d)?);
        SendMsgReq::deserialize(body).map(SendMsgBody).map_err(D::Error::custom)
    }
}

/// The `/msg/batch_send_msg` body (flat, or with a nested `sendMsg`), and whether `recvIDs` was
/// given (gin's `binding:"required"` on a slice: absent or `null` fails, `[]` passes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchSendMsgBody {
    /// The body.
    pub req: BatchSendMsgReq,
    /// `recvIDs` was present and not `null`.
    pub has_recv_ids: bool,
}

impl<'de> Deserialize<'de> for BatchSendMsgBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let body = flatten_send_msg(Value::deserialize(d)?);
        let has_recv_ids = body.as_object().and_then(|o| get_ci(o, "recvIDs")).is_some_and(|(_, v)| !v.is_null());
        let req = BatchSendMsgReq::deserialize(body).map_err(D::Error::custom)?;
        Ok(BatchSendMsgBody { req, has_recv_ids })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn flat_and_nested_bodies() {
        let flat: SendMsgBody = serde_json::from_value(json!({
            "recvID": "b", "sendID": "a", "content": {"content": "hi"}, "contentType": 101, "sessionType": 1
        }))
        .unwrap();
        let nested: SendMsgBody = serde_json::from_value(json!({
            "recvID": "b", "sendMsg": {"sendID": "a", "content": {"content": "hi"}, "contentType": 101, "sessionType": 1}
        }))
        .unwrap();
        assert_eq!(flat, nested);
        assert_eq!((flat.0.send_id.as_str(), flat.0.recv_id.as_str()), ("a", "b"));
        // Case-insensitive keys, as Go decodes them.
        let odd: SendMsgBody = serde_json::from_value(json!({"SENDMSG": {"SendID": "a"}, "RecvId": "b"})).unwrap();
        assert_eq!((odd.0.send_id.as_str(), odd.0.recv_id.as_str()), ("a", "b"));
        assert!(serde_json::from_value::<SendMsgBody>(json!({"sendID": 5})).is_err());
        assert!(serde_json::from_value::<SendMsgBody>(json!({"content": "not an object"})).is_err());
    }

    #[test]
    fn batch_recv_ids_presence() {
        let b: BatchSendMsgBody = serde_json::from_value(json!({"sendMsg": {"sendID": "a"}, "recvIDs": []})).unwrap();
        assert!(b.has_recv_ids);
        assert_eq!(b.req.send_id, "a");
        let b: BatchSendMsgBody = serde_json::from_value(json!({"sendID": "a", "recvIDs": null})).unwrap();
        assert!(!b.has_recv_ids);
        let b: BatchSendMsgBody = serde_json::from_value(json!({"sendID": "a", "isSendAll": true})).unwrap();
        assert!(!b.has_recv_ids && b.req.is_send_all);
    }
}
