//! Registration and profile endpoints.

use im_http::{AuthRule, Empty};
use serde::{Deserialize, Serialize};

use super::types::{UserInfo, UserInfoIn};
use super::wrapper;

im_http::declare_endpoints!(
    /// `POST /user/user_register` (A): creates users, all or none.
    UserRegister, "/user/user_register", AuthRule::Admin, UserRegisterReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/update_user_info` (S(userInfo.userID)): non-empty / non-zero fields are written.
    UpdateUserInfo, "/user/update_user_info", AuthRule::SelfOrAdmin("userInfo.userID"), UpdateUserInfoReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/update_user_info_ex` (S(userInfo.userID)): wrapper fields, null/absent = unchanged.
    UpdateUserInfoEx, "/user/update_user_info_ex", AuthRule::SelfOrAdmin("userInfo.userID"), UpdateUserInfoExReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/set_global_recv_msg_opt` (S(userID); OpenIM lets any token set anyone's option).
    SetGlobalRecvMsgOpt, "/user/set_global_recv_msg_opt", AuthRule::SelfOrAdmin("userID"), SetGlobalRecvMsgOptReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/set_global_msg_recv_opt`: the path seeds 000/002 document, an alias of
    /// [`SetGlobalRecvMsgOpt`].
    SetGlobalMsgRecvOpt, "/user/set_global_msg_recv_opt", AuthRule::SelfOrAdmin("userID"), SetGlobalRecvMsgOptReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/get_users_info` (T): profiles of the given users.
    GetUsersInfo, "/user/get_users_info", AuthRule::Token, GetUsersInfoReq, GetUsersInfoResp
);
im_http::declare_endpoints!(
    /// `POST /user/account_check` (A): which of the given users are registered.
    AccountCheck, "/user/account_check", AuthRule::Admin, AccountCheckReq, AccountCheckResp
);

/// `userRegisterReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserRegisterReq {
    /// Users to create (`null` entries are rejected).
    pub users: Option<Vec<Option<UserInfoIn>>>,
}

/// `updateUserInfoReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateUserInfoReq {
    /// The user and the fields to write.
    #[serde(rename = "userInfo")]
    pub user_info: Option<UserInfoIn>,
}

/// `sdkws.UserInfoWithEx`: wrapper fields, `null`/absent = unchanged.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserInfoWithEx {
    /// User to update.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// New nickname.
    #[serde(deserialize_with = "wrapper::string")]
    pub nickname: Option<String>,
    /// New avatar URL.
    #[serde(rename = "faceURL", deserialize_with = "wrapper::string")]
    pub face_url: Option<String>,
    /// New extension.
    #[serde(deserialize_with = "wrapper::string")]
    pub ex: Option<String>,
    /// New global receive option.
    #[serde(rename = "globalRecvMsgOpt", deserialize_with = "wrapper::int32")]
    pub global_recv_msg_opt: Option<i32>,
}

/// `updateUserInfoExReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateUserInfoExReq {
    /// The user and the fields to write.
    #[serde(rename = "userInfo")]
    pub user_info: Option<UserInfoWithEx>,
}

/// `setGlobalRecvMessageOptReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SetGlobalRecvMsgOptReq {
    /// User.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// 0 receive, 1 don't receive, 2 receive without notification.
    #[serde(rename = "globalRecvMsgOpt")]
    pub global_recv_msg_opt: i32,
}

/// `getDesignateUsersReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GetUsersInfoReq {
    /// Users to read (required; may be empty).
    #[serde(rename = "userIDs")]
    pub user_ids: Option<Vec<String>>,
}

/// `getDesignateUsersResp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GetUsersInfoResp {
    /// The registered ones, in request order.
    #[serde(rename = "usersInfo")]
    pub users_info: Vec<UserInfo>,
}

/// `accountCheckReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AccountCheckReq {
    /// Users to check (required; no repeats).
    #[serde(rename = "checkUserIDs")]
    pub check_user_ids: Option<Vec<String>>,
}

/// `accountCheckResp.singleUserStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatus {
    /// User.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// 1 registered, 0 not.
    #[serde(rename = "accountStatus")]
    pub account_status: i32,
}

/// `accountCheckResp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccountCheckResp {
    /// One result per requested user, in request order.
    pub results: Vec<AccountStatus>,
}
