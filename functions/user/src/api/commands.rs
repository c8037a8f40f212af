//! User-command endpoints (S(userID): self or admin).

use im_http::{AuthRule, Empty};
use serde::{Deserialize, Serialize};

use super::wrapper;

im_http::declare_endpoints!(
    /// `POST /user/process_user_command_add`.
    ProcessUserCommandAdd, "/user/process_user_command_add", AuthRule::SelfOrAdmin("userID"), CommandWriteReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/process_user_command_delete`.
    ProcessUserCommandDelete,
    "/user/process_user_command_delete",
    AuthRule::SelfOrAdmin("userID"),
    CommandKeyReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/process_user_command_update`.
    ProcessUserCommandUpdate,
    "/user/process_user_command_update",
    AuthRule::SelfOrAdmin("userID"),
    CommandWriteReq, Empty
);
im_http::declare_endpoints!(
    /// `POST /user/process_user_command_get`: one type's commands.
    ProcessUserCommandGet, "/user/process_user_command_get", AuthRule::SelfOrAdmin("userID"), CommandGetReq, CommandsResp
);
im_http::declare_endpoints!(
    /// `POST /user/process_user_command_get_all`: every command of the user.
    ProcessUserCommandGetAll,
    "/user/process_user_command_get_all",
    AuthRule::SelfOrAdmin("userID"),
    CommandGetAllReq, CommandsResp
);

/// `processUserCommandAddReq` / `processUserCommandUpdateReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommandWriteReq {
    /// Owner.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Command type (non-zero).
    #[serde(rename = "type")]
    pub kind: i32,
    /// Command UUID.
    pub uuid: String,
    /// Value (`StringValue`).
    #[serde(deserialize_with = "wrapper::string")]
    pub value: Option<String>,
    /// Extension (`StringValue`).
    #[serde(deserialize_with = "wrapper::string")]
    pub ex: Option<String>,
}

/// `processUserCommandDeleteReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommandKeyReq {
    /// Owner.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Command type.
    #[serde(rename = "type")]
    pub kind: i32,
    /// Command UUID.
    pub uuid: String,
}

/// `processUserCommandGetReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommandGetReq {
    /// Owner.
    #[serde(rename = "userID")]
    pub user_id: String,
    /// Command type (non-zero).
    #[serde(rename = "type")]
    pub kind: i32,
}

/// `processUserCommandGetAllReq`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommandGetAllReq {
    /// Owner.
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// `CommandInfoResp` / `AllCommandInfoResp`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandInfo {
    /// Command type.
    #[serde(rename = "type")]
    pub kind: i32,
    /// Creation time, Unix seconds.
    #[serde(rename = "createTime")]
    pub create_time: i64,
    /// UUID.
    pub uuid: String,
    /// Value.
    pub value: String,
    /// Extension.
    pub ex: String,
}

/// `processUserCommandGetResp` / `processUserCommandGetAllResp` (key `CommandResp`, capital C).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommandsResp {
    /// The commands.
    #[serde(rename = "CommandResp")]
    pub command_resp: Vec<CommandInfo>,
}
