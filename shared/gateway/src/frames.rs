//! Server frames: push payloads (reference §5.4), kicks, online-status tips, and their encoding
//! for one connection.

use im_domain::constants::platform;
use im_domain::ids;
use im_repo::connection::{KICK_ONLINE_MSG, PUSH_MSG, SUB_USER_ONLINE_STATUS, ServerFrame};
use im_wire::pb::sdkws::{MsgData, PullMsgs, PushMessages, SubUserOnlineStatusTips};
use im_wire::ws::{self, Encoding, WsResp};
use prost::Message;

use crate::session::Session;

/// A frame to write to a socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    /// A binary frame (responses and pushes).
    Binary(Vec<u8>),
    /// A text frame (handshake result, heartbeat replies; every envelope on API Gateway).
    Text(String),
}

/// The conversation a message is delivered in: its notification conversation (`n_…`) when the
/// `isNotNotification` option is present and false, else its chat conversation (§6.1).
pub fn conversation_id_of(msg: &MsgData) -> Option<String> {
    let to_notification = ids::goes_to_notification_conversation(msg.options.get("isNotNotification").copied());
    if to_notification {
        ids::notification_conversation_id(msg.session_type, &msg.send_id, &msg.recv_id, &msg.group_id)
    } else {
        ids::chat_conversation_id(msg.session_type, &msg.send_id, &msg.recv_id, &msg.group_id)
    }
}

/// `PushMessages` carrying one message: under `notificationMsgs` for `n_` conversations, else
/// under `msgs`.
pub fn push_messages(conversation_id: &str, msg: MsgData) -> PushMessages {
    let mut p = PushMessages::default();
    let entry = PullMsgs { msgs: vec![msg], ..PullMsgs::default() };
    if ids::is_notification_conversation(conversation_id) {
        p.notification_msgs.insert(conversation_id.to_string(), entry);
    } else {
        p.msgs.insert(conversation_id.to_string(), entry);
    }
    p
}

/// The 2001 push frame of one message in `conversation_id`.
pub fn push_frame(conversation_id: &str, msg: MsgData, operation_id: &str) -> ServerFrame {
    ServerFrame {
        req_identifier: PUSH_MSG,
        operation_id: operation_id.to_string(),
        data: push_messages(conversation_id, msg).encode_to_vec(),
    }
}

/// The 2001 push frame of a message, in the conversation computed from it; `None` for an
/// unknown session type.
pub fn push_frame_of(msg: MsgData, operation_id: &str) -> Option<ServerFrame> {
    let cid = conversation_id_of(&msg)?;
    Some(push_frame(&cid, msg, operation_id))
}

/// The 2002 kick frame.
pub fn kick_frame(operation_id: &str) -> ServerFrame {
    ServerFrame { req_identifier: KICK_ONLINE_MSG, operation_id: operation_id.to_string(), data: Vec::new() }
}

/// An unsolicited 2005 online-status frame.
pub fn status_frame(tips: &SubUserOnlineStatusTips, operation_id: &str) -> ServerFrame {
    ServerFrame {
        req_identifier: SUB_USER_ONLINE_STATUS,
        operation_id: operation_id.to_string(),
        data: tips.encode_to_vec(),
    }
}

/// Whether a 2001 push to a connection is skipped: iOS apps in the background get offline push
/// instead (OpenIM result 1604).
pub fn skips_push(platform_id: i32, background: bool) -> bool {
    platform_id == platform::IOS && background
}

/// The envelope of a server frame (no request to echo: `msgIncr` empty).
pub fn frame_resp(frame: &ServerFrame) -> WsResp {
    WsResp {
        req_identifier: frame.req_identifier,
        operation_id: frame.operation_id.clone(),
        data: frame.data.clone(),
        ..WsResp::default()
    }
}

/// Encodes an envelope for `session`: binary gob/JSON (+gzip), or JSON text for API Gateway.
pub fn encode_for(session: &Session, resp: &WsResp) -> Outbound {
    if session.text_envelopes() {
        Outbound::Text(api_gateway_text(resp))
    } else {
        Outbound::Binary(ws::encode_resp(resp, session.encoding, session.gzip))
    }
}

/// An envelope as API Gateway connections get it: uncompressed JSON, sent as a text frame.
pub fn api_gateway_text(resp: &WsResp) -> String {
    String::from_utf8_lossy(&ws::encode_resp(resp, Encoding::Json, false)).into_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn msg(session_type: i32, options: &[(&str, bool)]) -> MsgData {
        MsgData {
            send_id: "b".into(),
            recv_id: "a".into(),
            group_id: "g1".into(),
            session_type,
            options: options.iter().map(|(k, v)| (k.to_string(), *v)).collect::<HashMap<_, _>>().into_iter().collect(),
            ..MsgData::default()
        }
    }

    #[test]
    fn conversation_routing_and_push_shape() {
        assert_eq!(conversation_id_of(&msg(1, &[])).as_deref(), Some("si_a_b"));
        assert_eq!(conversation_id_of(&msg(1, &[("isNotNotification", false)])).as_deref(), Some("n_a_b"));
        assert_eq!(conversation_id_of(&msg(3, &[])).as_deref(), Some("sg_g1"));
        assert_eq!(conversation_id_of(&msg(9, &[])), None);
        let f = push_frame_of(msg(3, &[("isNotNotification", false)]), "op").unwrap();
        assert_eq!((f.req_identifier, f.operation_id.as_str()), (2001, "op"));
        let p = PushMessages::decode(f.data.as_slice()).unwrap();
        assert!(p.msgs.is_empty());
        assert_eq!(p.notification_msgs["n_g1"].msgs.len(), 1);
        let p = push_messages("si_a_b", msg(1, &[]));
        assert_eq!(p.msgs["si_a_b"].msgs[0].send_id, "b");
        assert!(p.notification_msgs.is_empty());
    }

    #[test]
    fn kicks_skips_and_text_envelopes() {
        assert_eq!(kick_frame("x").req_identifier, 2002);
        assert!(skips_push(1, true));
        assert!(!skips_push(1, false) && !skips_push(2, true));
        let text = api_gateway_text(&frame_resp(&kick_frame("o")));
        assert_eq!(
            text,
            r#"{"reqIdentifier":2002,"msgIncr":"","operationID":"o","errCode":0,"errMsg":"","data":null}"#
        );
    }
}
