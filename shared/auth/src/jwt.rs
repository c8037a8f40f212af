//! OpenIM tokens: HS256 JWTs with claims `UserID`, `PlatformID`, `exp`, `iat` (reference §3).
//!
//! Parsing classifies failures like OpenIM (golang-jwt v4): malformed → 1503, expired → 1501
//! (checked before the signature, so a forged but expired token also reads 1501), not yet
//! valid → 1504, anything else (bad signature, foreign algorithm, `iat` in the future) → 1505.
//! Times come from the caller (the clock port), never from the system clock.
//!
//! Tenancy: the default tenant signs with the configured secret itself (tokens stay
//! interchangeable with OpenIM's); every other tenant signs with `<secret>#<tenant>`, so a token
//! minted for one tenant fails the signature check in any other.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};

/// Seconds `iat` is set before the issue time (OpenIM's clock-skew allowance).
pub const IAT_SKEW_SECONDS: i64 = 5;

/// The claims OpenIM puts in a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject user.
    #[serde(rename = "UserID", default)]
    pub user_id: String,
    /// Platform the token was issued for.
    #[serde(rename = "PlatformID", default)]
    pub platform_id: i32,
    /// Expiry, Unix seconds.
    #[serde(default, deserialize_with = "numeric_date")]
    pub exp: Option<i64>,
    /// Issue time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "numeric_date")]
    pub iat: Option<i64>,
    /// Not-before, Unix seconds (older 3.x tokens carried it; never issued now).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "numeric_date")]
    pub nbf: Option<i64>,
}

/// JWT NumericDate: an integer or fractional number of seconds (fraction dropped), or null.
fn numeric_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v: Option<f64> = Option::deserialize(d)?;
    Ok(v.map(|f| f.trunc() as i64))
}

#[derive(Deserialize)]
struct JwtHeader {
    #[serde(default)]
    alg: String,
}

/// Signs and checks tokens with the configured secret.
#[derive(Clone)]
pub struct TokenCodec {
    secret: String,
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCodec { secret: <redacted> }")
    }
}

impl TokenCodec {
    /// A codec for `secret`.
    pub fn new(secret: impl Into<String>) -> Self {
        TokenCodec { secret: secret.into() }
    }

    fn key(&self, tenant: &TenantId) -> Vec<u8> {
        if tenant.as_str() == im_domain::tenant::DEFAULT_TENANT {
            self.secret.as_bytes().to_vec()
        } else {
            format!("{}#{}", self.secret, tenant.as_str()).into_bytes()
        }
    }

    /// Signs a token for `user_id`/`platform_id` issued at `now_s`, valid for `expire_seconds`.
    pub fn issue(
        &self,
        tenant: &TenantId,
        user_id: &str,
        platform_id: i32,
        now_s: i64,
        expire_seconds: i64,
    ) -> ImResult<(String, Claims)> {
        let claims = Claims {
            user_id: user_id.to_string(),
            platform_id,
            exp: Some(now_s.saturating_add(expire_seconds)),
            iat: Some(now_s - IAT_SKEW_SECONDS),
            nbf: None,
        };
        let token = self.sign(tenant, &claims)?;
        Ok((token, claims))
    }

    /// Signs arbitrary claims (HS256).
    pub fn sign(&self, tenant: &TenantId, claims: &Claims) -> ImResult<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(&self.key(tenant)))
            .map_err(|e| ImError::internal(format!("token signing: {e}")))
    }

    /// Checks a token at time `now_s` and returns its claims (codes in the module docs).
    pub fn parse(&self, tenant: &TenantId, token: &str, now_s: i64) -> ImResult<Claims> {
        let malformed = |what: &str| ImError::new(ErrCode::TokenMalformed, what.to_string());
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(malformed("token contains an invalid number of segments"));
        };
        let header: JwtHeader = decode_segment(h).ok_or_else(|| malformed("invalid token header"))?;
        let claims: Claims = decode_segment(c).ok_or_else(|| malformed("invalid token claims"))?;

        if claims.exp.is_some_and(|exp| now_s >= exp) {
            return Err(ImError::new(ErrCode::TokenExpired, "token is expired"));
        }
        if claims.nbf.is_some_and(|nbf| now_s < nbf) {
            return Err(ImError::new(ErrCode::TokenNotValidYet, "token is not valid yet"));
        }
        if claims.iat.is_some_and(|iat| now_s < iat) {
            return Err(ImError::new(ErrCode::TokenUnknown, "token used before issued"));
        }
        let alg = match header.alg.as_str() {
            "HS256" => Algorithm::HS256,
            "HS384" => Algorithm::HS384,
            "HS512" => Algorithm::HS512,
            other => return Err(ImError::new(ErrCode::TokenUnknown, format!("unexpected signing method {other:?}"))),
        };
        let message = &token[..h.len() + 1 + c.len()];
        let key = DecodingKey::from_secret(&self.key(tenant));
        match jsonwebtoken::crypto::verify(sig, message.as_bytes(), &key, alg) {
            Ok(true) => Ok(claims),
            _ => Err(ImError::new(ErrCode::TokenUnknown, "signature is invalid")),
        }
    }
}

fn decode_segment<T: for<'de> Deserialize<'de>>(seg: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(seg.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The signature segment of a token. Empty for a token without three segments.
pub fn signature(token: &str) -> &str {
    match token.rsplit_once('.') {
        Some((head, sig)) if head.contains('.') => sig,
        _ => "",
    }
}

/// What token state and connection records are keyed by: the lowercase hex SHA-256 of the
/// token's signature segment (64 characters). Neither the token nor its signature is stored, so
/// a copy of the table cannot be turned back into live tokens (the header and claims of issued
/// tokens are predictable, the signature is not, and the hash does not reveal it).
pub fn token_key(token: &str) -> String {
    hex::encode(Sha256::digest(signature(token).as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn t() -> TenantId {
        TenantId::default_tenant()
    }

    fn code(r: ImResult<Claims>) -> i32 {
        r.map(|_| 0).unwrap_or_else(|e| e.code)
    }

    #[test]
    fn issue_then_parse() {
        let c = TokenCodec::new("openIM123");
        let (tok, claims) = c.issue(&t(), "u1", 2, NOW, 90 * 86_400).unwrap();
        assert_eq!(claims.iat, Some(NOW - 5));
        assert_eq!(claims.exp, Some(NOW + 90 * 86_400));
        assert_eq!(c.parse(&t(), &tok, NOW).unwrap(), claims);
        let payload: serde_json::Value = decode_segment(tok.split('.').nth(1).unwrap()).unwrap();
        assert_eq!(
            payload,
            serde_json::json!({"UserID": "u1", "PlatformID": 2, "exp": NOW + 90 * 86_400, "iat": NOW - 5})
        );
        assert_eq!(signature(&tok).len(), 43);
    }

    #[test]
    fn error_classification() {
        let c = TokenCodec::new("s");
        let (tok, _) = c.issue(&t(), "u1", 1, NOW, 100).unwrap();
        assert_eq!(code(c.parse(&t(), &tok, NOW + 100)), 1501);
        assert_eq!(code(c.parse(&t(), &tok, NOW + 99)), 0);
        assert_eq!(code(c.parse(&t(), "abc", NOW)), 1503);
        assert_eq!(code(c.parse(&t(), "a.b.c", NOW)), 1503);
        assert_eq!(code(c.parse(&t(), "", NOW)), 1503);
        // Wrong secret: unknown; expired with wrong secret: expired first (as golang-jwt v4).
        let other = TokenCodec::new("other");
        assert_eq!(code(other.parse(&t(), &tok, NOW)), 1505);
        assert_eq!(code(other.parse(&t(), &tok, NOW + 500)), 1501);
        // Another tenant's token fails the signature.
        assert_eq!(code(c.parse(&TenantId::parse("acme").unwrap(), &tok, NOW)), 1505);
        // iat in the future, nbf in the future.
        assert_eq!(code(c.parse(&t(), &tok, NOW - 10)), 1505);
        let nbf = Claims { user_id: "u".into(), platform_id: 1, exp: Some(NOW + 10), iat: None, nbf: Some(NOW + 5) };
        assert_eq!(code(c.parse(&t(), &c.sign(&t(), &nbf).unwrap(), NOW)), 1504);
        // alg none.
        let mut parts: Vec<&str> = tok.split('.').collect();
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        parts[0] = &none;
        parts[2] = "";
        assert_eq!(code(c.parse(&t(), &parts.join("."), NOW)), 1505);
        // A wrongly typed claim is malformed.
        let bad = URL_SAFE_NO_PAD.encode(br#"{"UserID":1,"PlatformID":1,"exp":1}"#);
        assert_eq!(code(c.parse(&t(), &format!("{}.{bad}.x", tok.split('.').next().unwrap()), NOW)), 1503);
    }

    #[test]
    fn signature_segment() {
        assert_eq!(signature("a.b.c"), "c");
        assert_eq!(signature("a.b"), "");
        assert_eq!(signature("abc"), "");
    }

    #[test]
    fn token_key_is_the_sha256_of_the_signature() {
        // SHA-256("c") and SHA-256("") (FIPS 180-2 style test vectors).
        assert_eq!(token_key("a.b.c"), "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6");
        assert_eq!(token_key("abc"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let c = TokenCodec::new("s");
        let (tok, _) = c.issue(&t(), "u1", 1, NOW, 100).unwrap();
        let key = token_key(&tok);
        assert_eq!(key.len(), 64);
        assert!(!key.contains(signature(&tok)) && !tok.contains(&key));
        // Same signature, same key; another token, another key.
        assert_eq!(token_key(&format!("x.y.{}", signature(&tok))), key);
        let (other, _) = c.issue(&t(), "u1", 1, NOW + 1, 100).unwrap();
        assert_ne!(token_key(&other), key);
    }
}
