//! Verification of AWS Signature Version 4 (header form), as API Gateway's management API does,
//! so the stock `aws-sdk-apigatewaymanagement` client can call an im-server node.
//!
//! The canonical request is rebuilt from what arrived: method, the path as sent encoded once
//! more (non-S3 services sign a doubly-encoded path), the sorted query, the headers named in
//! `SignedHeaders`, and the payload hash (`x-amz-content-sha256` when sent, else computed).
//! The access key must be the configured one and `x-amz-date` within 15 minutes of now.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Accepted clock skew between signer and verifier, seconds.
pub const MAX_SKEW_SECS: i64 = 15 * 60;

/// The key pair callers must sign with.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Access key ID.
    pub access_key: String,
    /// Secret access key.
    pub secret_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials {{ access_key: {:?}, secret_key: <redacted> }}", self.access_key)
    }
}

/// The parts of a request the signature covers.
pub struct SignedRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path as received (percent-encoded as sent).
    pub path: &'a str,
    /// Raw query string (without `?`).
    pub query: &'a str,
    /// Header lookup by lowercase name (all values, in order).
    pub headers: &'a dyn Fn(&str) -> Vec<String>,
    /// Body.
    pub body: &'a [u8],
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// RFC 3986 encoding as SigV4 wants it (unreserved characters kept; `/` kept when `keep_slash`).
fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |x: &str| crate::handshake::percent_decode(&x.replace('+', "%2B"));
            (uri_encode(&dec(k), false), uri_encode(&dec(v), false))
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

struct AuthHeader {
    access_key: String,
    scope: String,
    date: String,
    region: String,
    service: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn parse_authorization(h: &str) -> Option<AuthHeader> {
    let rest = h.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
    let (mut cred, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => cred = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => sig = Some(v),
            _ => {}
        }
    }
    let cred = cred?;
    let (access_key, scope) = cred.split_once('/')?;
    let mut parts = scope.split('/');
    let (date, region, service, term) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if term != "aws4_request" || parts.next().is_some() {
        return None;
    }
    Some(AuthHeader {
        access_key: access_key.to_string(),
        scope: scope.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: signed?.split(';').map(str::to_string).collect(),
        signature: sig?.to_string(),
    })
}

/// Unix seconds of an `x-amz-date` (`YYYYMMDDTHHMMSSZ`).
fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, se) = (n(0..4)?, n(4..6)?, n(6..8)?, n(9..11)?, n(11..13)?, n(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(super::time::days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the request's signature; `Err` names why it is refused.
pub fn verify(creds: &Credentials, req: &SignedRequest<'_>, now_s: i64) -> Result<(), &'static str> {
    if creds.access_key.is_empty() || creds.secret_key.is_empty() {
        return Err("no credentials are configured");
    }
    let auth = (req.headers)("authorization");
    let auth = auth.first().ok_or("missing Authorization")?;
    let a = parse_authorization(auth).ok_or("malformed Authorization")?;
    if !constant_time_eq(a.access_key.as_bytes(), creds.access_key.as_bytes()) {
        return Err("unknown access key");
    }
    let amz_date = (req.headers)("x-amz-date").into_iter().next().ok_or("missing x-amz-date")?;
    let t = parse_amz_date(&amz_date).ok_or("malformed x-amz-date")?;
    if (now_s - t).abs() > MAX_SKEW_SECS || !amz_date.starts_with(&a.date) {
        return Err("request time out of range");
    }
    if !a.signed_headers.iter().any(|h| h == "host") {
        return Err("host is not signed");
    }
    let mut canonical_headers = String::new();
    for name in &a.signed_headers {
        let values = (req.headers)(name);
        let joined =
            values.iter().map(|v| v.split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(",");
        canonical_headers.push_str(&format!("{name}:{joined}\n"));
    }
    let payload_hash = match (req.headers)("x-amz-content-sha256").into_iter().next() {
        Some(h) if h != "UNSIGNED-PAYLOAD" => {
            if h != sha256_hex(req.body) {
                return Err("payload hash mismatch");
            }
            h
        }
        Some(h) => h,
        None => sha256_hex(req.body),
    };
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        uri_encode(if req.path.is_empty() { "/" } else { req.path }, true),
        canonical_query(req.query),
        canonical_headers,
        a.signed_headers.join(";"),
        payload_hash
    );
    let string_to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}", a.scope, sha256_hex(canonical.as_bytes()));
    let k_date = hmac(format!("AWS4{}", creds.secret_key).as_bytes(), a.date.as_bytes());
    let k_region = hmac(&k_date, a.region.as_bytes());
    let k_service = hmac(&k_region, a.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let expected = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));
    if constant_time_eq(expected.as_bytes(), a.signature.as_bytes()) { Ok(()) } else { Err("signature mismatch") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's documented example ("GET https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
    /// secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`), signature from the SigV4 docs.
    #[test]
    fn aws_documented_example() {
        let creds = Credentials {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        };
        let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
                    SignedHeaders=content-type;host;x-amz-date, \
                    Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
        let headers = move |name: &str| -> Vec<String> {
            match name {
                "authorization" => vec![auth.to_string()],
                "content-type" => vec!["application/x-www-form-urlencoded; charset=utf-8".into()],
                "host" => vec!["iam.amazonaws.com".into()],
                "x-amz-date" => vec!["20150830T123600Z".into()],
                _ => vec![],
            }
        };
        let req = SignedRequest {
            method: "GET",
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: &headers,
            body: b"",
        };
        let now = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(verify(&creds, &req, now), Ok(()));
        assert_eq!(verify(&creds, &req, now + 3600), Err("request time out of range"));
        let wrong = Credentials { secret_key: "x".into(), ..creds.clone() };
        assert_eq!(verify(&wrong, &req, now), Err("signature mismatch"));
        let other = Credentials { access_key: "AKIDOTHER".into(), ..creds.clone() };
        assert_eq!(verify(&other, &req, now), Err("unknown access key"));
        let tampered = SignedRequest { query: "Action=DeleteUsers&Version=2010-05-08", ..req };
        assert_eq!(verify(&creds, &tampered, now), Err("signature mismatch"));
        let none = |_: &str| -> Vec<String> { vec![] };
        let unsigned = SignedRequest { headers: &none, ..tampered };
        assert_eq!(verify(&creds, &unsigned, now), Err("missing Authorization"));
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
    }
}
