//! The response envelope `{errCode, errMsg, errDlt, data}` (reference §2).
//!
//! Business errors travel with HTTP 200. `data` is omitted when the endpoint's response type is
//! [`Empty`], so an empty success is exactly `{"errCode":0,"errMsg":"","errDlt":""}`.

use std::any::TypeId;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use im_domain::{ImError, ImResult};
use serde::{Deserialize, Serialize};

/// The request or response of an endpoint without fields (`data` is omitted from the envelope).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    #[serde(rename = "errCode")]
    err_code: i32,
    #[serde(rename = "errMsg")]
    err_msg: &'a str,
    #[serde(rename = "errDlt")]
    err_dlt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a T>,
}

/// A JSON response with `status` and `body`.
pub fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn encode<T: Serialize>(status: StatusCode, env: &Envelope<'_, T>) -> Response {
    match serde_json::to_vec(env) {
        Ok(bytes) => json_response(status, bytes),
        Err(e) => error(&ImError::internal(format!("encoding the response: {e}"))),
    }
}

/// The success envelope of `data` (omitted when `T` is [`Empty`]).
pub fn success<T: Serialize + 'static>(data: &T) -> Response {
    let data = (TypeId::of::<T>() != TypeId::of::<Empty>()).then_some(data);
    encode(StatusCode::OK, &Envelope { err_code: 0, err_msg: "", err_dlt: "", data })
}

/// The error envelope of `e` (HTTP 200).
pub fn error(e: &ImError) -> Response {
    error_with_status(StatusCode::OK, e)
}

/// The error envelope of `e` with another HTTP status (panics: 500).
pub fn error_with_status(status: StatusCode, e: &ImError) -> Response {
    encode::<Empty>(status, &Envelope { err_code: e.code, err_msg: &e.msg, err_dlt: &e.dlt, data: None })
}

/// The envelope of a handler result.
pub fn respond<T: Serialize + 'static>(result: &ImResult<T>) -> Response {
    match result {
        Ok(data) => success(data),
        Err(e) => error(e),
    }
}

#[cfg(test)]
mod tests {
    use axum::body::to_bytes;

    use super::*;

    async fn body(r: Response) -> String {
        String::from_utf8(to_bytes(r.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap()
    }

    #[derive(Serialize)]
    struct Resp {
        token: String,
    }

    #[tokio::test]
    async fn shapes() {
        assert_eq!(body(success(&Empty {})).await, r#"{"errCode":0,"errMsg":"","errDlt":""}"#);
        assert_eq!(
            body(success(&Resp { token: "t".into() })).await,
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"t"}}"#
        );
        let e = error(&ImError::args("header must have token"));
        assert_eq!(e.status(), StatusCode::OK);
        assert_eq!(body(e).await, r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":"header must have token"}"#);
    }
}
