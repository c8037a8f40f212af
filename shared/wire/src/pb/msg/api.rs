//! Plain-JSON bodies of the admin-only send routes (reference §1.5, §1.9). These are gin-bound Go structs,
//! not protobuf messages; they follow the same JSON rules as the protobuf types (every field written,
//! lenient case-insensitive input). Validation (`binding:"required"`, content-type rules) is the handler's
//! job.

use crate::pb::json_structs;
use crate::pb::sdkws::OfflinePushInfo;

json_structs! {
    /// `/msg/send_msg` body. `content` is the JSON object of the message content (`None` if absent or
    /// `null`, which the handler rejects as "required").
    SendMsgReq {
        recv_id "recvID": String,
        send_id "sendID": String,
        group_id "groupID": String,
        sender_nickname "senderNickname": String,
        sender_face_url "senderFaceURL": String,
        sender_platform_id "senderPlatformID": i32,
        content "content": Option<serde_json::Map<String, serde_json::Value>>,
        content_type "contentType": i32,
        session_type "sessionType": i32,
        is_online_only "isOnlineOnly": bool,
        not_offline_push "notOfflinePush": bool,
        send_time "sendTime": i64,
        offline_push_info "offlinePushInfo": Option<OfflinePushInfo>,
        ex "ex": String,
    }

    /// `/msg/batch_send_msg` body: the send_msg fields (without `recvID`) plus the recipients.
    BatchSendMsgReq {
        send_id "sendID": String,
        group_id "groupID": String,
        sender_nickname "senderNickname": String,
        sender_face_url "senderFaceURL": String,
        sender_platform_id "senderPlatformID": i32,
        content "content": Option<serde_json::Map<String, serde_json::Value>>,
        content_type "contentType": i32,
        session_type "sessionType": i32,
        is_online_only "isOnlineOnly": bool,
        not_offline_push "notOfflinePush": bool,
        send_time "sendTime": i64,
        offline_push_info "offlinePushInfo": Option<OfflinePushInfo>,
        ex "ex": String,
        is_send_all "isSendAll": bool,
        recv_ids "recvIDs": Vec<String>,
    }

    /// One entry of [`BatchSendMsgResp`].
    SingleReturnResult {
        server_msg_id "serverMsgID": String,
        client_msg_id "clientMsgID": String,
        send_time "sendTime": i64,
        recv_id "recvID": String,
    }

    /// `/msg/batch_send_msg` response.
    BatchSendMsgResp {
        results "results": Vec<SingleReturnResult>,
        failed_user_ids "failedUserIDs": Vec<String>,
    }

    /// `/msg/send_business_notification` body (both user IDs required).
    SendBusinessNotificationReq {
        key "key": String,
        data "data": String,
        send_user_id "sendUserID": String,
        recv_user_id "recvUserID": String,
    }
}
