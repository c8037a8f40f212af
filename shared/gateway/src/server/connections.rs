//! API Gateway's WebSocket management API on an im-server node: `POST`, `GET` and `DELETE`
//! `/@connections/{connectionId}`, so a push Lambda reaches gateway nodes with the stock
//! `aws-sdk-apigatewaymanagement` client. Every request must carry a valid SigV4 signature by
//! the configured key (403 otherwise).
//!
//! * `POST` body = the frame's protobuf payload (`PushMessages` for a push); the node wraps it
//!   in the connection's envelope (gob or JSON, gzip as negotiated). The envelope's
//!   reqIdentifier is 2001 unless the `x-openim-req-identifier` header says otherwise (2002
//!   kicks: the frame, then the connection closes; 2005 online-status tips), its operationID
//!   comes from `x-openim-operation-id`. 200 on delivery; bodies over 128 KiB answer 413.
//! * `GET` → `{"connectedAt","identity":{"sourceIp","userAgent"},"lastActiveAt"}`.
//! * `DELETE` closes the connection (204).
//! * An unknown connection answers 410 (`GoneException`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use im_domain::clock::Clock;
use im_repo::connection::{PUSH_MSG, PostOutcome, ServerFrame};

use super::hub::{Hub, stamp};
use super::sigv4::{self, Credentials, SignedRequest};
use super::time::rfc3339_ms;
use crate::handshake::percent_decode;

/// Largest POST body (API Gateway's limit).
pub const MAX_POST_BYTES: usize = 128 * 1024;
/// Header naming the envelope's reqIdentifier of a POST (default 2001).
pub const REQ_IDENTIFIER_HEADER: &str = "x-openim-req-identifier";
/// Header naming the envelope's operationID of a POST.
pub const OPERATION_ID_HEADER: &str = "x-openim-operation-id";

/// Shared state of the management API.
pub(crate) struct ConnState {
    pub hub: Arc<Hub>,
    pub creds: Credentials,
    pub clock: Arc<dyn Clock>,
}

fn error(status: StatusCode, kind: &'static str, message: &str) -> Response {
    let body = serde_json::json!({ "message": message }).to_string();
    let mut r = (status, body).into_response();
    r.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    r.headers_mut().insert("x-amzn-errortype", HeaderValue::from_static(kind));
    r
}

fn gone(id: &str) -> Response {
    error(StatusCode::GONE, "GoneException", &format!("connection {id} is gone"))
}

/// The connection ID of a management path (`[/<stage>]/@connections/<id>`).
fn connection_id(path: &str) -> Option<String> {
    let decoded = percent_decode(path);
    let (_, id) = decoded.split_once("@connections/")?;
    (!id.is_empty() && !id.contains('/')).then(|| id.to_string())
}

/// The handler for every path of the management listener.
pub(crate) async fn entry(
    State(st): State<Arc<ConnState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lookup = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
    };
    let req = SignedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        headers: &lookup,
        body: &body,
    };
    if let Err(why) = sigv4::verify(&st.creds, &req, st.clock.now_s()) {
        tracing::debug!(why, "refused a management call");
        return error(StatusCode::FORBIDDEN, "ForbiddenException", "Forbidden");
    }
    let Some(id) = connection_id(uri.path()) else {
        return error(StatusCode::NOT_FOUND, "NotFoundException", "no such resource");
    };
    match method {
        Method::POST => post(&st, &id, &lookup, body),
        Method::GET => get(&st, &id),
        Method::DELETE => match st.hub.close_conn(&id) {
            PostOutcome::Delivered => StatusCode::NO_CONTENT.into_response(),
            PostOutcome::Gone => gone(&id),
        },
        _ => error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowedException", "method not allowed"),
    }
}

fn post(st: &ConnState, id: &str, lookup: &dyn Fn(&str) -> Vec<String>, body: Bytes) -> Response {
    if body.len() > MAX_POST_BYTES {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "PayloadTooLargeException", "payload too large");
    }
    let first = |name: &str| lookup(name).into_iter().next().unwrap_or_default();
    let req_identifier = match first(REQ_IDENTIFIER_HEADER).as_str() {
        "" => PUSH_MSG,
        v => match v.parse() {
            Ok(n) => n,
            Err(_) => return error(StatusCode::BAD_REQUEST, "BadRequestException", "bad reqIdentifier"),
        },
    };
    let frame = ServerFrame { req_identifier, operation_id: first(OPERATION_ID_HEADER), data: body.to_vec() };
    match st.hub.deliver(id, &frame) {
        PostOutcome::Delivered => StatusCode::OK.into_response(),
        PostOutcome::Gone => gone(id),
    }
}

fn get(st: &ConnState, id: &str) -> Response {
    let Some(conn) = st.hub.get(id) else { return gone(id) };
    let s = &conn.session;
    let addr = s.remote_addr.split('_').next().unwrap_or_default();
    let ip = addr.rsplit_once(':').map_or(addr, |(ip, _)| ip);
    let body = serde_json::json!({
        "connectedAt": rfc3339_ms(s.connected_at),
        "identity": { "sourceIp": ip.trim_start_matches('[').trim_end_matches(']'), "userAgent": s.user_agent },
        "lastActiveAt": rfc3339_ms(stamp(&conn.last_active)),
    });
    let mut r = (StatusCode::OK, body.to_string()).into_response();
    r.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(connection_id("/@connections/abc").as_deref(), Some("abc"));
        assert_eq!(connection_id("/prod/%40connections/a%3Db").as_deref(), Some("a=b"));
        assert_eq!(connection_id("/@connections/"), None);
        assert_eq!(connection_id("/other"), None);
    }
}
