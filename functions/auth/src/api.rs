//! Endpoint declarations and wire types of `/auth` (JSON keys as reference A.1).

use im_http::{AuthRule, Empty};
use serde::{Deserialize, Serialize};

im_http::declare_endpoints! {
/// `POST /auth/get_admin_token` (W).
GetAdminToken, "/auth/get_admin_token", AuthRule::Whitelist, GetAdminTokenReq, TokenResp;
}

im_http::declare_endpoints! {
/// `POST /auth/get_user_token` (A).
GetUserToken, "/auth/get_user_token", AuthRule::Admin, GetUserTokenReq, TokenResp;
}

im_http::declare_endpoints! {
/// `POST /auth/parse_token` (W).
ParseToken, "/auth/parse_token", AuthRule::Whitelist, ParseTokenReq, ParseTokenResp;
}

im_http::declare_endpoints! {
/// `POST /auth/force_logout` (A).
ForceLogout, "/auth/force_logout", AuthRule::Admin, ForceLogoutReq, Empty;
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
