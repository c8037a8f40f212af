//! `openim.push`: the push service; WS 2003 logout payload (reference §5.3, A.9).

use super::messages;
use super::sdkws::MsgData;

messages! {
    package = "openim.push";

    /// Internal: push one message to users of a conversation.
    PushMsgReq {
        msg_data "msgData" = 1: MsgData,
        conversation_id "conversationID" = 2: string,
        user_ids "userIDs" = 3: repeated string,
    }

    /// Internal: response to [`PushMsgReq`] (empty).
    PushMsgResp {}

    /// WS 2003 request: log out this platform (the server replies, then closes the connection).
    DelUserPushTokenReq {
        user_id "userID" = 1: string,
        platform_id "platformID" = 2: int32,
    }

    /// Response to [`DelUserPushTokenReq`] (empty).
    DelUserPushTokenResp {}
}
