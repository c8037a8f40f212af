//! Endpoint declarations and wire types of `/auth` (JSON keys as reference A.1).

use im_http::{AuthRule, Empty, Endpoint};
use serde::{Deserialize, Serialize};

/// `POST /auth/get_admin_token` (W).
pub struct GetAdminToken;
impl Endpoint for GetAdminToken {
    const PATH: &'static str = "/auth/get_admin_token";
    const AUTH: AuthRule = AuthRule::Whitelist;
    type Req = GetAdminTokenReq;
    type Resp = TokenResp;
}

/// `POST /auth/get_user_token` (A).
pub struct GetUserToken;
impl Endpoint for GetUserToken {
    const PATH: &'static str = "/auth/get_user_token";
    const AUTH: AuthRule = AuthRule::Admin;
    type Req = GetUserTokenReq;
    type Resp = TokenResp;
}

/// `POST /auth/parse_token` (W).
pub struct ParseToken;
impl Endpoint for ParseToken {
    const PATH: &'static str = "/auth/parse_token";
    const AUTH: AuthRule = AuthRule::Whitelist;
    type Req = ParseTokenReq;
    type Resp = ParseTokenResp;
}

/// `POST /auth/force_logout` (A).
pub struct ForceLogout;
impl Endpoint for ForceLogout {
    const PATH: &'static str = "/auth/force_logout";
    const AUTH: AuthRule = AuthRule::Admin;
    type Req = ForceLogoutReq;
    type Resp = Empty;
}

/// `getAdminTokenReq`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetAdminTokenReq {
    /// Must equal the configured secret.
    pub secret: String,
    /// An admin user ID.
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// `getUserTokenReq`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GetUserTokenReq {
    /// Platform of the token.
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    /// User of the token.
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// `getAdminTokenResp` / `getUserTokenResp`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResp {
    /// The JWT.
    pub token: String,
    /// Lifetime in seconds.
    #[serde(rename = "expireTimeSeconds")]
    pub expire_time_seconds: i64,
}

/// `parseTokenReq`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParseTokenReq {
    /// The JWT.
    pub token: String,
}

/// `parseTokenResp`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseTokenResp {
    /// Token user.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Token platform.
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    /// **[quirk]** absolute expiry (Unix seconds), not a duration.
    #[serde(rename = "expireTimeSeconds")]
    pub expire_time_seconds: i64,
}

/// `forceLogoutReq`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForceLogoutReq {
    /// Platform to log out.
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    /// User to log out.
    #[serde(rename = "userID")]
    pub user_id: String,
}
