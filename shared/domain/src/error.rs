//! OpenIM error codes (reference §4) and the domain error value carried to every envelope.

use std::fmt;

macro_rules! err_codes {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, $msg:literal; )*) => {
        /// An OpenIM error code with its canonical `errMsg`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrCode {
            $( $(#[$doc])* $name, )*
        }

        impl ErrCode {
            /// Every code, in table order.
            pub const ALL: &'static [ErrCode] = &[ $( ErrCode::$name, )* ];

            /// The numeric wire value.
            pub const fn code(self) -> i32 {
                match self { $( ErrCode::$name => $code, )* }
            }

            /// The canonical `errMsg` OpenIM sends for this code.
            pub const fn message(self) -> &'static str {
                match self { $( ErrCode::$name => $msg, )* }
            }

            /// The code for a numeric value, if it is in the table.
            pub fn from_code(code: i32) -> Option<ErrCode> {
                match code { $( $code => Some(ErrCode::$name), )* _ => None }
            }
        }
    };
}

err_codes! {
    /// Any non-coded error.
    ServerInternal = 500, "ServerInternalError";
    /// Code could not be parsed.
    Unknown = 1000, "UnknownCode";
    /// Bad argument, missing header or failed validation.
    Args = 1001, "ArgsError";
    /// Permission denied.
    NoPermission = 1002, "NoPermissionError";
    /// Duplicate key.
    DuplicateKey = 1003, "DuplicateKeyError";
    /// Record not found.
    RecordNotFound = 1004, "RecordNotFoundError";
    /// User ID not found.
    UserIdNotFound = 1101, "UserIDNotFoundError";
    /// User already registered.
    RegisteredAlready = 1102, "RegisteredAlreadyError";
    /// Group ID not found.
    GroupIdNotFound = 1201, "GroupIDNotFoundError";
    /// Group ID already exists.
    GroupIdExisted = 1202, "GroupIDExisted";
    /// Caller is not in the group.
    NotInGroupYet = 1203, "NotInGroupYetError";
    /// Group already dismissed.
    DismissedAlready = 1204, "DismissedAlreadyError";
    /// Group type not supported.
    GroupTypeNotSupport = 1205, "";
    /// Group application already handled.
    GroupRequestHandled = 1206, "GroupRequestHandled";
    /// Cannot add yourself.
    CanNotAddYourself = 1301, "CanNotAddYourselfError";
    /// Sender is in the recipient's blacklist.
    BlockedByPeer = 1302, "BlockedByPeer";
    /// Not the peer's friend (friend verification on).
    NotPeersFriend = 1303, "NotPeersFriend";
    /// Relationship already exists.
    RelationshipAlready = 1304, "RelationshipAlreadyError";
    /// Friend request already handled.
    FriendRequestHandled = 1305, "FriendRequestHandled";
    /// Read receipts disabled.
    MessageHasReadDisable = 1401, "MessageHasReadDisable";
    /// Sender muted in the group.
    MutedInGroup = 1402, "MutedInGroup";
    /// Group muted.
    MutedGroup = 1403, "MutedGroup";
    /// Message already revoked.
    MsgAlreadyRevoke = 1404, "MsgAlreadyRevoke";
    /// Token expired.
    TokenExpired = 1501, "TokenExpiredError";
    /// Token invalid.
    TokenInvalid = 1502, "TokenInvalidError";
    /// Token malformed.
    TokenMalformed = 1503, "TokenMalformedError";
    /// Token not valid yet.
    TokenNotValidYet = 1504, "TokenNotValidYetError";
    /// Token unknown.
    TokenUnknown = 1505, "TokenUnknownError";
    /// Token kicked.
    TokenKicked = 1506, "TokenKickedError";
    /// Token does not exist.
    TokenNotExist = 1507, "TokenNotExistError";
    /// Organisation user has no permission.
    OrgUserNoPermission = 1520, "OrgUserNoPermissionError";
    /// Gateway connection limit reached.
    ConnOverMaxNumLimit = 1601, "ConnOverMaxNumLimit";
    /// WebSocket handshake arguments missing.
    ConnArgs = 1602, "args err, need token, sendID, platformID";
    /// Push to a connection failed.
    PushMsg = 1603, "push msg err";
    /// iOS connection in background; not pushed online.
    IosBackgroundPush = 1604, "ios background push err";
    /// Uploaded file expired.
    FileUploadedExpired = 1701, "FileUploadedExpiredError";
    /// Webhook callback failed.
    Callback = 80000, "CallbackError";
    /// Database error.
    Database = 90002, "DatabaseError";
    /// Network error.
    Network = 90004, "NetworkError";
    /// Data error.
    Data = 90007, "DataError";
}

/// A domain error: an OpenIM code, a message and optional detail (`errDlt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImError {
    /// Numeric code (usually from [`ErrCode`], raw for pass-through codes such as 12).
    pub code: i32,
    /// `errMsg`.
    pub msg: String,
    /// `errDlt`: human detail (field name, cause).
    pub dlt: String,
}

/// Result alias for domain operations.
pub type ImResult<T> = Result<T, ImError>;

impl ImError {
    /// An error with the canonical message of `code` and the given detail.
    pub fn new(code: ErrCode, dlt: impl Into<String>) -> Self {
        ImError { code: code.code(), msg: code.message().to_string(), dlt: dlt.into() }
    }

    /// An error with a raw numeric code and message (e.g. gRPC-status pass-throughs).
    pub fn raw(code: i32, msg: impl Into<String>) -> Self {
        ImError { code, msg: msg.into(), dlt: String::new() }
    }

    /// 1001 ArgsError naming what is wrong.
    pub fn args(dlt: impl Into<String>) -> Self {
        Self::new(ErrCode::Args, dlt)
    }

    /// 1002 NoPermissionError.
    pub fn no_permission(dlt: impl Into<String>) -> Self {
        Self::new(ErrCode::NoPermission, dlt)
    }

    /// 1004 RecordNotFoundError.
    pub fn not_found(dlt: impl Into<String>) -> Self {
        Self::new(ErrCode::RecordNotFound, dlt)
    }

    /// 500 ServerInternalError.
    pub fn internal(dlt: impl Into<String>) -> Self {
        Self::new(ErrCode::ServerInternal, dlt)
    }

    /// Whether this error carries `code`.
    pub fn is(&self, code: ErrCode) -> bool {
        self.code == code.code()
    }
}

impl From<ErrCode> for ImError {
    fn from(code: ErrCode) -> Self {
        ImError::new(code, "")
    }
}

impl fmt::Display for ImError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dlt.is_empty() {
            write!(f, "{} {}", self.code, self.msg)
        } else {
            write!(f, "{} {}: {}", self.code, self.msg, self.dlt)
        }
    }
}

impl std::error::Error for ImError {}

impl From<crate::store::StoreError> for ImError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::Validation(m) => ImError::args(m),
            other => ImError::new(ErrCode::Database, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrCode::ALL {
            assert!(seen.insert(c.code()), "duplicate {}", c.code());
            assert_eq!(ErrCode::from_code(c.code()), Some(*c));
        }
        assert_eq!(ErrCode::TokenKicked.code(), 1506);
        assert_eq!(ErrCode::Args.message(), "ArgsError");
        assert_eq!(ErrCode::from_code(42), None);
    }

    #[test]
    fn error_display_includes_detail() {
        let e = ImError::args("userID is required");
        assert_eq!(e.code, 1001);
        assert_eq!(e.to_string(), "1001 ArgsError: userID is required");
    }
}
