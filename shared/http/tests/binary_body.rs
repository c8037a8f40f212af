//! Endpoints with a binary request codec (`Endpoint::decode_binary`): the body is decoded by its
//! content type, the response `data` is base64 of the encoded response, errors stay JSON
//! envelopes, and endpoints without a codec keep decoding every body as JSON.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::Request;
use base64::Engine as _;
use im_domain::{ImError, ImResult};
use im_http::testing::{ADMIN_TOKEN, StaticVerifier, USER_TOKEN};
use im_http::{App, AuthRule, Caller, Endpoint, HttpOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower::ServiceExt;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Req {
    n: i64,
    #[serde(rename = "userID")]
    user_id: String,
}

#[derive(Debug, Serialize)]
struct Resp {
    doubled: i64,
    who: String,
}

/// A toy binary format: the body is the decimal number as ASCII; the response is `<doubled>:<who>`.
fn decode_toy(content_type: &str, body: &[u8]) -> Option<ImResult<Req>> {
    if content_type.is_empty() || content_type.contains("application/json") {
        return None;
    }
    if !content_type.contains("application/x-toy") {
        return Some(Err(ImError::args("unsupported content type")));
    }
    Some(
        std::str::from_utf8(body)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .map(|n| Req { n, user_id: String::new() })
            .ok_or_else(|| ImError::args("bad toy body")),
    )
}

struct Toy;
impl Endpoint for Toy {
    const PATH: &'static str = "/t/toy";
    const AUTH: AuthRule = AuthRule::Token;
    type Req = Req;
    type Resp = Resp;

    fn decode_binary(content_type: &str, body: &[u8]) -> Option<ImResult<Req>> {
        decode_toy(content_type, body)
    }

    fn encode_binary(resp: &Resp) -> ImResult<Vec<u8>> {
        Ok(format!("{}:{}", resp.doubled, resp.who).into_bytes())
    }
}

struct ToySelf;
impl Endpoint for ToySelf {
    const PATH: &'static str = "/t/toy_self";
    const AUTH: AuthRule = AuthRule::SelfOrAdmin("userID");
    type Req = Req;
    type Resp = Resp;

    fn decode_binary(content_type: &str, body: &[u8]) -> Option<ImResult<Req>> {
        decode_toy(content_type, body)
    }

    fn encode_binary(resp: &Resp) -> ImResult<Vec<u8>> {
        Ok(format!("{}:{}", resp.doubled, resp.who).into_bytes())
    }
}

struct Plain;
impl Endpoint for Plain {
    const PATH: &'static str = "/t/plain";
    const AUTH: AuthRule = AuthRule::Token;
    type Req = Req;
    type Resp = Resp;
}

async fn double(_: (), caller: Caller, req: Req) -> ImResult<Resp> {
    if req.n < 0 {
        return Err(ImError::args("negative"));
    }
    Ok(Resp { doubled: req.n * 2, who: caller.user_id })
}

im_http::endpoints! {
    group: "toy",
    state: (),
    routes: {
        Toy => double,
        ToySelf => double,
        Plain => double,
    }
}

fn router() -> Router {
    App::new().mount(group(), ()).into_router(Arc::new(StaticVerifier::matrix()), HttpOptions::default())
}

async fn post(path: &str, token: &str, content_type: Option<&str>, body: &'static [u8]) -> Value {
    let mut req = Request::builder().method("POST").uri(path).header("operationID", "op").header("token", token);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = router().oneshot(req.body(Body::from(body)).expect("request")).await.expect("infallible");
    assert_eq!(resp.status(), 200);
    let bytes = to_bytes(resp.into_body(), 1 << 20).await.expect("body");
    serde_json::from_slice(&bytes).expect("json envelope")
}

fn b64(v: &Value) -> String {
    let s = v["data"].as_str().unwrap_or_else(|| panic!("data is not a string: {v}"));
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(s).expect("base64")).expect("utf8")
}

#[tokio::test]
async fn binary_bodies_answer_base64_data() {
    let v = post("/t/toy", USER_TOKEN, Some("application/x-toy"), b"21").await;
    assert_eq!(v["errCode"], 0, "{v}");
    assert_eq!(b64(&v), "42:matrix-user");
    // JSON (explicit or without a content type) still answers a JSON object.
    let v = post("/t/toy", USER_TOKEN, Some("application/json; charset=utf-8"), br#"{"n":4}"#).await;
    assert_eq!(v["data"], serde_json::json!({"doubled": 8, "who": "matrix-user"}));
    let v = post("/t/toy", USER_TOKEN, None, br#"{"n":5}"#).await;
    assert_eq!(v["data"]["doubled"], 10);
}

#[tokio::test]
async fn binary_errors_are_json_envelopes() {
    let v = post("/t/toy", USER_TOKEN, Some("application/x-toy"), b"nope").await;
    assert_eq!((v["errCode"].as_i64(), v["errDlt"].as_str()), (Some(1001), Some("bad toy body")));
    assert!(v.get("data").is_none());
    let v = post("/t/toy", USER_TOKEN, Some("text/plain"), b"1").await;
    assert_eq!((v["errCode"].as_i64(), v["errDlt"].as_str()), (Some(1001), Some("unsupported content type")));
    let v = post("/t/toy", USER_TOKEN, Some("application/x-toy"), b"-1").await;
    assert_eq!((v["errCode"].as_i64(), v["errDlt"].as_str()), (Some(1001), Some("negative")));
}

#[tokio::test]
async fn self_rules_only_pass_admins_on_binary_bodies() {
    let v = post("/t/toy_self", USER_TOKEN, Some("application/x-toy"), b"1").await;
    assert_eq!(v["errCode"], 1002, "{v}");
    let v = post("/t/toy_self", ADMIN_TOKEN, Some("application/x-toy"), b"1").await;
    assert_eq!(b64(&v), "2:matrix-admin");
    let v = post("/t/toy_self", USER_TOKEN, Some("application/json"), br#"{"n":1,"userID":"matrix-user"}"#).await;
    assert_eq!(v["data"]["doubled"], 2, "{v}");
}

#[tokio::test]
async fn endpoints_without_a_codec_ignore_the_content_type() {
    let v = post("/t/plain", USER_TOKEN, Some("application/x-toy"), br#"{"n":3}"#).await;
    assert_eq!(v["data"]["doubled"], 6, "{v}");
    let v = post("/t/plain", USER_TOKEN, Some("application/x-toy"), b"3").await;
    assert_eq!(v["errCode"], 1001, "{v}");
}
