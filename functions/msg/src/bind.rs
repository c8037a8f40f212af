//! gin's `BindJSON` quirk (reference §1.9, client-visible): OpenIM binds the admin send bodies
//! with `BindJSON`, which writes **HTTP 400** before the JSON error envelope, so a body that is
//! malformed, mistyped or misses a `binding:"required"` field answers status 400 with errCode 1001.
//!
//! This middleware wraps those routes: it runs the same binding rules on the body, lets the
//! endpoint answer as usual, and turns a 1001 answer into status 400 when the binding failed.
//! The permission check stays first for bodies that decode (a non-admin gets 1002 with 200, as
//! the permission matrix requires; OpenIM would answer 400 when such a body also lacks a field).

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use im_domain::{ErrCode, ImError, ImResult};
use im_http::app::DEFAULT_BODY_LIMIT;
use im_http::decode::decode_json;
use im_http::{Endpoint, envelope};
use im_msg::admin_send;
use im_wire::pb::msg::api::SendBusinessNotificationReq;

use crate::api::send::{BatchSendMsg, BatchSendMsgBody, SendBusinessNotification, SendMsg, SendMsgBody};
use crate::handlers::send::{SEND_NS, check_batch_binding};

/// Largest error envelope read back.
const ENVELOPE_LIMIT: usize = 64 * 1024;

/// Whether `body` fails binding on `path` (`None`: the path binds nothing).
pub fn binding_fails(path: &str, body: &[u8]) -> Option<bool> {
    let result: ImResult<()> = match path {
        SendMsg::PATH => decode_json::<SendMsgBody>(body).and_then(|b| admin_send::check_binding(&b.0, SEND_NS, true)),
        BatchSendMsg::PATH => decode_json::<BatchSendMsgBody>(body).and_then(|b| check_batch_binding(&b)),
        SendBusinessNotification::PATH => {
            decode_json::<SendBusinessNotificationReq>(body).and_then(|b| admin_send::check_business_binding(&b))
        }
        _ => return None,
    };
    Some(result.is_err())
}

/// The middleware (see the module docs).
pub async fn status_400(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, DEFAULT_BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            return envelope::error(&ImError::args(format!("request body: {e} (limit {DEFAULT_BODY_LIMIT} bytes)")));
        }
    };
    let fails = binding_fails(&path, &bytes).unwrap_or(false);
    let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if !fails || resp.status() != StatusCode::OK {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, ENVELOPE_LIMIT).await else {
        return envelope::error(&ImError::internal("reading the response envelope"));
    };
    let code = serde_json::from_slice::<serde_json::Value>(&bytes).ok().and_then(|v| v["errCode"].as_i64());
    if code == Some(i64::from(ErrCode::Args.code())) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_rules_by_path() {
        let ok = br#"{"sendID":"a","recvID":"b","content":{"content":"x"},"contentType":101,"sessionType":1}"#;
        assert_eq!(binding_fails("/msg/send_msg", ok), Some(false));
        assert_eq!(binding_fails("/msg/send_msg", b"{bad"), Some(true));
        assert_eq!(binding_fails("/msg/send_msg", br#"{"sendID":"a"}"#), Some(true));
        assert_eq!(binding_fails("/msg/send_msg", br#"{"sendID":7}"#), Some(true));
        let batch = br#"{"sendID":"a","content":{},"contentType":101,"sessionType":1,"recvIDs":[]}"#;
        assert_eq!(binding_fails("/msg/batch_send_msg", batch), Some(false));
        let no_ids = br#"{"sendID":"a","content":{},"contentType":101,"sessionType":1}"#;
        assert_eq!(binding_fails("/msg/batch_send_msg", no_ids), Some(true));
        assert_eq!(
            binding_fails("/msg/send_business_notification", br#"{"sendUserID":"a","recvUserID":"b"}"#),
            Some(false)
        );
        assert_eq!(binding_fails("/msg/send_business_notification", br#"{"sendUserID":"a"}"#), Some(true));
        assert_eq!(binding_fails("/msg/newest_seq", b"{bad"), None);
    }
}
