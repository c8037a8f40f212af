//! WebSocket handshake parameters (reference §5.1).
//!
//! Parameters come from the query string (`sendID`, `token`, `platformID`, `operationID`,
//! `isBackground`, `compression`, `sdkType`, `isMsgResp`, `sdkVersion`) or from one `v`
//! parameter holding base64url JSON `{"token","userID","platformID","operationID",
//! "compression","sdkType","sendResponse","background"}`. Argument errors are 1602 (or a plain
//! errCode 500 for an `isBackground` that is not a Go bool, a [quirk] clients see); they are
//! always answered over HTTP. `compression` is also read from the request header of that name,
//! and the tenant from `X-Tenant-ID` (header) or `tenantID` (parameter), as browsers cannot set
//! headers on a WebSocket.

use std::collections::HashMap;

use base64::Engine;
use im_domain::constants::platform;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_wire::ws::Encoding;

/// Query/`v` parameter names.
pub mod keys {
    /// User ID.
    pub const SEND_ID: &str = "sendID";
    /// Token.
    pub const TOKEN: &str = "token";
    /// Platform ID.
    pub const PLATFORM_ID: &str = "platformID";
    /// Trace ID.
    pub const OPERATION_ID: &str = "operationID";
    /// `gzip` enables per-frame compression (also a request header).
    pub const COMPRESSION: &str = "compression";
    /// `go` (gob) or `js` (JSON).
    pub const SDK_TYPE: &str = "sdkType";
    /// Handshake result inside the socket.
    pub const IS_MSG_RESP: &str = "isMsgResp";
    /// Mandatory background flag.
    pub const IS_BACKGROUND: &str = "isBackground";
    /// SDK version (informational).
    pub const SDK_VERSION: &str = "sdkVersion";
    /// The base64url JSON alternative to the query parameters.
    pub const V: &str = "v";
    /// Tenant (this project's extension; header `X-Tenant-ID` works too).
    pub const TENANT_ID: &str = "tenantID";
    /// Header carrying the tenant.
    pub const TENANT_HEADER: &str = "x-tenant-id";
}

/// Decoded handshake parameters: first value of each name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Parameters from a raw query string (`a=1&b=x%20y`; `+` is a space, as Go's parser).
    pub fn from_query(raw: &str) -> Self {
        let mut map = HashMap::new();
        for pair in raw.split(['&', ';']).filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.entry(percent_decode(k)).or_insert_with(|| percent_decode(v));
        }
        Params(map)
    }

    /// Parameters from an already-decoded map (API Gateway's `queryStringParameters`).
    pub fn from_map(map: HashMap<String, String>) -> Self {
        Params(map)
    }

    /// A parameter's value; empty when absent.
    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map(String::as_str).unwrap_or_default()
    }

    fn present(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// Decodes `%XX` escapes and `+` (invalid escapes stay as they are; bytes that are not UTF-8
/// become U+FFFD).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// What a client asked for, after argument validation (the token is not verified yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handshake {
    /// Tenant.
    pub tenant: TenantId,
    /// `sendID`: the user the client claims to be.
    pub user_id: String,
    /// The token (verified by the gateway next).
    pub token: String,
    /// Platform claimed.
    pub platform_id: i32,
    /// Trace ID of the connection.
    pub operation_id: String,
    /// Envelope encoding.
    pub encoding: Encoding,
    /// Per-frame gzip.
    pub gzip: bool,
    /// App-in-background flag.
    pub background: bool,
    /// Report the handshake result inside the socket.
    pub msg_resp: bool,
    /// SDK version (informational).
    pub sdk_version: String,
}

fn conn_args(dlt: &str) -> ImError {
    ImError::new(ErrCode::ConnArgs, dlt)
}

/// The `v` JSON, with the fields the official SDKs put there.
fn params_from_v(v: &str) -> ImResult<Params> {
    let trimmed = v.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
        .map_err(|_| conn_args("v is not base64url"))?;
    let obj: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| conn_args("v is not a JSON object"))?;
    let mut map = HashMap::new();
    let mut put = |from: &str, to: &str| {
        let Some(val) = obj.get(from) else { return };
        let s = match val {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return,
        };
        map.insert(to.to_string(), s);
    };
    put("token", keys::TOKEN);
    put("userID", keys::SEND_ID);
    put("platformID", keys::PLATFORM_ID);
    put("operationID", keys::OPERATION_ID);
    put("compression", keys::COMPRESSION);
    put("sdkType", keys::SDK_TYPE);
    put("sendResponse", keys::IS_MSG_RESP);
    put("background", keys::IS_BACKGROUND);
    put("sdkVersion", keys::SDK_VERSION);
    put("tenantID", keys::TENANT_ID);
    // The JSON form has no mandatory background flag: absent means false.
    map.entry(keys::IS_BACKGROUND.to_string()).or_insert_with(|| "false".into());
    Ok(Params(map))
}

/// Validates the handshake arguments in OpenIM's order (the connection-count check comes
/// before, token verification after). `header` looks up a request header (lowercase name).
pub fn parse(params: &Params, header: &dyn Fn(&str) -> Option<String>) -> ImResult<Handshake> {
    let decoded;
    let p = match params.present(keys::V).filter(|v| !v.is_empty()) {
        Some(v) => {
            decoded = params_from_v(v)?;
            &decoded
        }
        None => params,
    };
    let token = p.get(keys::TOKEN);
    if token.is_empty() {
        return Err(conn_args("token is empty"));
    }
    let user_id = p.get(keys::SEND_ID);
    if user_id.is_empty() {
        return Err(conn_args("sendID is empty"));
    }
    let platform_raw = p.get(keys::PLATFORM_ID);
    if platform_raw.is_empty() {
        return Err(conn_args("platformID is empty"));
    }
    let platform_id: i32 = platform_raw.parse().map_err(|_| conn_args("platformID is not int"))?;
    if !platform::is_known(platform_id) {
        return Err(conn_args("platformID is invalid"));
    }
    let encoding =
        Encoding::from_sdk_type(p.get(keys::SDK_TYPE)).ok_or_else(|| conn_args("sdkType is not go or js"))?;
    let operation_id = p.get(keys::OPERATION_ID);
    if operation_id.is_empty() {
        return Err(conn_args("operationID is empty"));
    }
    let bg_raw = p.get(keys::IS_BACKGROUND);
    let background = parse_go_bool(bg_raw).ok_or_else(|| {
        ImError::raw(ErrCode::ServerInternal.code(), format!("strconv.ParseBool: parsing {bg_raw:?}: invalid syntax"))
    })?;
    let gzip = p.get(keys::COMPRESSION) == "gzip"
        || (p.get(keys::COMPRESSION).is_empty() && header(keys::COMPRESSION).as_deref() == Some("gzip"));
    let tenant_raw = match p.get(keys::TENANT_ID) {
        "" => header(keys::TENANT_HEADER).unwrap_or_default(),
        t => t.to_string(),
    };
    let tenant = if tenant_raw.is_empty() {
        TenantId::default_tenant()
    } else {
        TenantId::parse(&tenant_raw).map_err(|e| conn_args(&format!("tenantID: {e}")))?
    };
    Ok(Handshake {
        tenant,
        user_id: user_id.to_string(),
        token: token.to_string(),
        platform_id,
        operation_id: operation_id.to_string(),
        encoding,
        gzip,
        background,
        msg_resp: parse_go_bool(p.get(keys::IS_MSG_RESP)).unwrap_or(false),
        sdk_version: p.get(keys::SDK_VERSION).to_string(),
    })
}

/// Whether the parameters ask for the handshake result inside the socket (`isMsgResp`, or
/// `sendResponse` in `v`).
pub fn wants_msg_resp(params: &Params) -> bool {
    match params.present(keys::V).filter(|v| !v.is_empty()) {
        Some(v) => params_from_v(v).map(|p| parse_go_bool(p.get(keys::IS_MSG_RESP)).unwrap_or(false)).unwrap_or(false),
        None => parse_go_bool(params.get(keys::IS_MSG_RESP)).unwrap_or(false),
    }
}

/// The JSON envelope of a handshake result: `{"errCode":..,"errMsg":..,"errDlt":..}`.
pub fn result_body(e: Option<&ImError>) -> String {
    let (code, msg, dlt) = e.map_or((0, "", ""), |e| (e.code, e.msg.as_str(), e.dlt.as_str()));
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    format!("{{\"errCode\":{code},\"errMsg\":{},\"errDlt\":{}}}", q(msg), q(dlt))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_headers(_: &str) -> Option<String> {
        None
    }

    const OK: &str = "sendID=u1&token=t.k.n&platformID=5&operationID=op&isBackground=false";

    #[test]
    fn query_parameters() {
        let h = parse(&Params::from_query(OK), &no_headers).unwrap();
        assert_eq!((h.user_id.as_str(), h.platform_id, h.encoding), ("u1", 5, Encoding::Gob));
        assert!(!h.gzip && !h.background && !h.msg_resp);
        assert_eq!(h.tenant, TenantId::default_tenant());
        let q = format!("{OK}&sdkType=js&compression=gzip&isMsgResp=true&tenantID=acme");
        let h = parse(&Params::from_query(&q), &no_headers).unwrap();
        assert_eq!((h.encoding, h.gzip, h.msg_resp, h.tenant.as_str()), (Encoding::Json, true, true, "acme"));
        // compression from the header when the query has none.
        let h = parse(&Params::from_query(OK), &|k| (k == "compression").then(|| "gzip".to_string())).unwrap();
        assert!(h.gzip);
        assert_eq!(Params::from_query("a=x%20y+z&a=2&b").get("a"), "x y z");
    }

    #[test]
    fn argument_errors_in_order() {
        let err = |q: &str| parse(&Params::from_query(q), &no_headers).unwrap_err();
        let e = err("sendID=u1");
        assert_eq!((e.code, e.dlt.as_str()), (1602, "token is empty"));
        assert_eq!(e.msg, "args err, need token, sendID, platformID");
        assert_eq!(err("token=t").dlt, "sendID is empty");
        assert_eq!(err("token=t&sendID=u").dlt, "platformID is empty");
        assert_eq!(err("token=t&sendID=u&platformID=x").dlt, "platformID is not int");
        assert_eq!(err("token=t&sendID=u&platformID=12").dlt, "platformID is invalid");
        assert_eq!(err(&format!("{OK}&sdkType=rust")).dlt, "sdkType is not go or js");
        let e = err("sendID=u1&token=t&platformID=5&operationID=op");
        assert_eq!((e.code, e.msg.as_str()), (500, "strconv.ParseBool: parsing \"\": invalid syntax"));
        assert_eq!(err("sendID=u1&token=t&platformID=5&isBackground=0").dlt, "operationID is empty");
        assert_eq!(err(&format!("{OK}&tenantID=a%23b")).code, 1602);
    }

    #[test]
    fn v_parameter() {
        let json = r#"{"token":"t.k.n","userID":"u2","platformID":3,"operationID":"o","compression":"gzip","sdkType":"js","sendResponse":true,"background":true}"#;
        let v = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let p = Params::from_query(&format!("v={v}"));
        let h = parse(&p, &no_headers).unwrap();
        assert_eq!((h.user_id.as_str(), h.platform_id, h.encoding, h.gzip), ("u2", 3, Encoding::Json, true));
        assert!(h.background && h.msg_resp && wants_msg_resp(&p));
        assert_eq!(parse(&Params::from_query("v=%%%"), &no_headers).unwrap_err().code, 1602);
    }

    #[test]
    fn bodies() {
        assert_eq!(result_body(None), r#"{"errCode":0,"errMsg":"","errDlt":""}"#);
        let e = ImError::new(ErrCode::TokenKicked, "k\"");
        assert_eq!(result_body(Some(&e)), r#"{"errCode":1506,"errMsg":"TokenKickedError","errDlt":"k\""}"#);
        assert_eq!(parse_go_bool("T"), Some(true));
        assert_eq!(parse_go_bool("yes"), None);
    }
}
