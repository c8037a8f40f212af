//! Listing endpoints (pagination over every user in creation order).

use im_http::AuthRule;
use serde::{Deserialize, Serialize};

use super::types::{RequestPagination, UserInfo};

im_http::declare_endpoints!(
    /// `POST /user/get_all_users_uid` (T, as OpenIM): every user ID, paginated.
    GetAllUsersUid, "/user/get_all_users_uid", AuthRule::Token, GetAllUsersUidReq, GetAllUsersUidResp
);
im_http::declare_endpoints!(
    /// `POST /user/get_users` (T): ordinary users, paginated, optionally filtered.
    GetUsers, "/user/get_users", AuthRule::Token, GetUsersReq, GetUsersResp
);

/// `getAllUserIDReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GetAllUsersUidReq {
    /// Page (required).
    pub pagination: Option<RequestPagination>,
}

/// `getAllUserIDResp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GetAllUsersUidResp {
    /// Number of users.
    pub total: i32,
    /// This page's user IDs.
    #[serde(rename = "userIDs")]
    pub user_ids: Vec<String>,
}

/// `getPaginationUsersReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GetUsersReq {
    /// Page (required).
    pub pagination: Option<RequestPagination>,
    /// User-ID keyword (case-insensitive substring).
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Nickname keyword (case-insensitive substring).
    #[serde(rename = "nickName")]
    pub nick_name: String,
}

/// `getPaginationUsersResp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GetUsersResp {
    /// Number of matching users.
    pub total: i32,
    /// This page.
    pub users: Vec<UserInfo>,
}
