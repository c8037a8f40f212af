//! Online-status endpoints (A.8 shapes; `data` of the first two is a JSON array) and the
//! subscription stubs.

use im_http::AuthRule;
use serde::{Deserialize, Serialize};

im_http::declare_endpoints!(
    /// `POST /user/get_users_online_status` (A): one entry per requested user.
    GetUsersOnlineStatus, "/user/get_users_online_status", AuthRule::Admin, UserIDsReq, Vec<OnlineStatusResult>
);
im_http::declare_endpoints!(
    /// `POST /user/get_users_online_token_detail`: online users' tokens per platform; callers
    /// that are not admins get an empty list (OpenIM swallows the gateway's refusal).
    GetUsersOnlineTokenDetail,
    "/user/get_users_online_token_detail",
    AuthRule::Handler("admins; other callers get an empty list, as OpenIM"),
    UserIDsReq, Vec<SingleDetail>
);
im_http::declare_endpoints!(
    /// `POST /user/subscribe_users_status` (T): a stub, as OpenIM (subscriptions are WS 2005).
    SubscribeUsersStatus, "/user/subscribe_users_status", AuthRule::Token, SubscribeUsersStatusReq, StatusListResp
);
im_http::declare_endpoints!(
    /// `POST /user/get_users_status` (T): online platforms of the given users.
    GetUsersStatus, "/user/get_users_status", AuthRule::Token, GetUsersStatusReq, StatusListResp
);
im_http::declare_endpoints!(
    /// `POST /user/get_subscribe_users_status` (T): a stub, as OpenIM.
    GetSubscribeUsersStatus,
    "/user/get_subscribe_users_status",
    AuthRule::Token,
    GetSubscribeUsersStatusReq, StatusListResp
);

/// `msggateway.GetUsersOnlineStatusReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserIDsReq {
    /// Users to look up.
    #[serde(rename = "userIDs")]
    pub user_ids: Option<Vec<String>>,
}

/// `GetUsersOnlineStatusResp.SuccessDetail`: one connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformDetail {
    /// Platform.
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    /// Connection ID.
    #[serde(rename = "connID")]
    pub conn_id: String,
    /// App in background.
    #[serde(rename = "isBackground")]
    pub is_background: bool,
    /// The connection's token, as stored: hex SHA-256 of its signature segment (tokens and
    /// signatures are never stored).
    pub token: String,
}

/// `GetUsersOnlineStatusResp.SuccessResult`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineStatusResult {
    /// User.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// 1 online, 0 offline.
    pub status: i32,
    /// The user's connections.
    #[serde(rename = "detailPlatformStatus")]
    pub detail_platform_status: Vec<PlatformDetail>,
}

/// `msggateway.SinglePlatformToken`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinglePlatformToken {
    /// Platform.
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    /// Number of tokens.
    pub total: i32,
    /// The tokens (hex SHA-256 of their signature segments).
    pub token: Vec<String>,
}

/// `msggateway.SingleDetail`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SingleDetail {
    /// User.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// 1 (only online users are listed).
    pub status: i32,
    /// Tokens per platform.
    #[serde(rename = "singlePlatformToken")]
    pub single_platform_token: Vec<SinglePlatformToken>,
}

/// `subscribeOrCancelUsersStatusReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SubscribeUsersStatusReq {
    /// Subscriber.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Users to (un)subscribe.
    #[serde(rename = "userIDs")]
    pub user_ids: Option<Vec<String>>,
    /// 1 subscribe, 2 cancel.
    pub genre: i32,
}

/// `getUserStatusReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GetUsersStatusReq {
    /// Caller (unused, as OpenIM).
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Users to look up (at least one).
    #[serde(rename = "userIDs")]
    pub user_ids: Option<Vec<String>>,
}

/// `getSubscribeUsersStatusReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GetSubscribeUsersStatusReq {
    /// Subscriber.
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// `onlineStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineStatus {
    /// User.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// 1 online, 0 offline.
    pub status: i32,
    /// Online platforms.
    #[serde(rename = "platformIDs")]
    pub platform_ids: Vec<i32>,
}

/// `getUserStatusResp` / `subscribeOrCancelUsersStatusResp` / `getSubscribeUsersStatusResp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatusListResp {
    /// Statuses.
    #[serde(rename = "statusList")]
    pub status_list: Vec<OnlineStatus>,
}
