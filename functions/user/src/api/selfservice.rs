//! The self-service routes of seed 004 (whitelisted; the tenant comes from `X-Tenant-ID`).

use im_http::AuthRule;
use serde::{Deserialize, Serialize};

im_http::declare_endpoints!(
    /// `POST /user/self_register` (W): creates an ordinary user with a password.
    SelfRegister, "/user/self_register", AuthRule::Whitelist, SelfRegisterReq, SelfRegisterResp
);
im_http::declare_endpoints!(
    /// `POST /user/self_login` (W): a user token for the right password.
    SelfLogin, "/user/self_login", AuthRule::Whitelist, SelfLoginReq, SelfLoginResp
);

/// `SelfRegisterReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SelfRegisterReq {
    /// New user ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Nickname (required).
    pub nickname: String,
    /// Avatar URL.
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// Extension.
    pub ex: String,
    /// Password (required).
    pub password: String,
}

/// `SelfRegisterResp`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfRegisterResp {
    /// The new user ID.
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// `SelfLoginReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SelfLoginReq {
    /// User ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Platform of the token.
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    /// Password.
    pub password: String,
}

/// `SelfLoginResp` (as get_user_token's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfLoginResp {
    /// The JWT.
    pub token: String,
    /// Lifetime in seconds.
    #[serde(rename = "expireTimeSeconds")]
    pub expire_time_seconds: i64,
}
