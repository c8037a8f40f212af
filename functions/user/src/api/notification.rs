//! Notification-account endpoints (A).

use im_http::{AuthRule, Empty};
use serde::{Deserialize, Serialize};

use super::types::RequestPagination;

im_http::declare_endpoints!(
    /// `POST /user/add_notification_account`: creates a level 3/4 account.
    AddNotificationAccount,
    "/user/add_notification_account",
    AuthRule::Admin,
    AddNotificationAccountReq, AddNotificationAccountResp
);
im_http::declare_endpoints!(
    /// `POST /user/update_notification_account`: sets nickname and/or faceURL.
    UpdateNotificationAccount,
    "/user/update_notification_account",
    AuthRule::Admin,
    UpdateNotificationAccountReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/search_notification_account`: finds accounts by ID or nickname.
    SearchNotificationAccount,
    "/user/search_notification_account",
    AuthRule::Admin,
    SearchNotificationAccountReq, SearchNotificationAccountResp
);

/// `addNotificationAccountReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AddNotificationAccountReq {
    /// Account ID (generated when empty).
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Nickname (required).
    #[serde(rename = "nickName")]
    pub nick_name: String,
    /// Avatar URL.
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// 3 notification or 4 robot.
    #[serde(rename = "appMangerLevel")]
    pub app_manger_level: i32,
}

/// `addNotificationAccountResp`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddNotificationAccountResp {
    /// Account ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Avatar URL.
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// Nickname.
    #[serde(rename = "nickName")]
    pub nick_name: String,
    /// Level.
    #[serde(rename = "appMangerLevel")]
    pub app_manger_level: i32,
}

/// `updateNotificationAccountInfoReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateNotificationAccountReq {
    /// Account ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// New avatar URL (empty: unchanged).
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// New nickname (empty: unchanged).
    #[serde(rename = "nickName")]
    pub nick_name: String,
}

/// `searchNotificationAccountReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SearchNotificationAccountReq {
    /// Exact user ID, else exact nickname; empty lists accounts by level.
    pub keyword: String,
    /// Level filter (`optional int32`; note the spelling differs from `appMangerLevel`).
    #[serde(rename = "appManagerLevel")]
    pub app_manager_level: Option<i32>,
    /// Page (required).
    pub pagination: Option<RequestPagination>,
}

/// `notificationAccountInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationAccountInfo {
    /// Account ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Avatar URL.
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// Nickname.
    #[serde(rename = "nickName")]
    pub nick_name: String,
    /// Level.
    #[serde(rename = "appMangerLevel")]
    pub app_manger_level: i32,
}

/// `searchNotificationAccountResp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchNotificationAccountResp {
    /// Number of matches.
    pub total: i64,
    /// This page.
    #[serde(rename = "notificationAccounts")]
    pub notification_accounts: Vec<NotificationAccountInfo>,
}
