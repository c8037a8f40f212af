//! Types shared by several `/user` endpoints: `UserInfo` and `RequestPagination`.

use im_user::{Pagination, UserRecord};
use serde::{Deserialize, Serialize};

/// `sdkws.UserInfo` as returned (every field always present).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    /// User ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Nickname.
    pub nickname: String,
    /// Avatar URL.
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// Extension.
    pub ex: String,
    /// Creation time, Unix milliseconds.
    #[serde(rename = "createTime")]
    pub create_time: i64,
    /// App manager level (misspelling is the protocol's).
    #[serde(rename = "appMangerLevel")]
    pub app_manger_level: i32,
    /// Global receive option.
    #[serde(rename = "globalRecvMsgOpt")]
    pub global_recv_msg_opt: i32,
}

impl From<UserRecord> for UserInfo {
    fn from(u: UserRecord) -> Self {
        UserInfo {
            user_id: u.user_id,
            nickname: u.nickname,
            face_url: u.face_url,
            ex: u.ex,
            create_time: u.create_time,
            app_manger_level: u.app_manger_level,
            global_recv_msg_opt: u.global_recv_msg_opt,
        }
    }
}

/// `sdkws.UserInfo` as received (missing keys are zero values; `createTime` is ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserInfoIn {
    /// User ID.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Nickname.
    pub nickname: String,
    /// Avatar URL.
    #[serde(rename = "faceURL")]
    pub face_url: String,
    /// Extension.
    pub ex: String,
    /// Ignored on input.
    #[serde(rename = "createTime")]
    pub create_time: i64,
    /// App manager level.
    #[serde(rename = "appMangerLevel")]
    pub app_manger_level: i32,
    /// Global receive option.
    #[serde(rename = "globalRecvMsgOpt")]
    pub global_recv_msg_opt: i32,
}

/// `sdkws.RequestPagination`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestPagination {
    /// 1-based page number.
    #[serde(rename = "pageNumber")]
    pub page_number: i32,
    /// Page size.
    #[serde(rename = "showNumber")]
    pub show_number: i32,
}

impl From<RequestPagination> for Pagination {
    fn from(p: RequestPagination) -> Self {
        Pagination { page_number: p.page_number, show_number: p.show_number }
    }
}

/// A `total` of an `int32` field (saturating).
pub fn total_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
