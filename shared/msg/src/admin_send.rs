//! The admin send routes' own body (reference §1.9): `/msg/send_msg`, `/msg/batch_send_msg` and
//! `/msg/send_business_notification` build the `MsgData` on the server from a plain-JSON body.
//!
//! * [`check_binding`]: gin's `binding:"required"` rules (failures are HTTP 400 + 1001 on the wire).
//! * [`validate_content`]: the per-content-type rules (101 text, 102 picture, 103 voice, 104 video,
//!   105 file, 106 @text, 110 custom, 1400 OA notification; anything else 1001).
//! * [`build`]: the `MsgData` (system `msgFrom`, fresh clientMsgID, content = the JSON of
//!   `content`, online-only and no-offline-push switches as options).

use im_domain::constants::{app_manager_level, content_type, msg_from, notification, session_type};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_wire::pb::msg::api::{BatchSendMsgReq, SendBusinessNotificationReq, SendMsgReq};
use im_wire::pb::sdkws::{MsgData, NotificationElem};
use serde_json::{Map, Value};

use crate::Messaging;
use crate::options::{self, key};

/// gin's message for a failed `binding` tag (`namespace` empty for an anonymous struct).
fn binding_error(namespace: &str, field: &str, tag: &str) -> ImError {
    let key = if namespace.is_empty() { field.to_string() } else { format!("{namespace}.{field}") };
    ImError::args(format!("Key: '{key}' Error:Field validation for '{field}' failed on the '{tag}' tag"))
}

/// The `binding:"required"` rules of the send body: sendID, content, contentType and sessionType
/// are required; groupID for session types 2 and 3; recvID for 1 and 4 (`/msg/send_msg` only,
/// `needs_recv`).
pub fn check_binding(req: &SendMsgReq, namespace: &str, needs_recv: bool) -> ImResult<()> {
    if needs_recv
        && req.recv_id.is_empty()
        && matches!(req.session_type, session_type::SINGLE | session_type::NOTIFICATION)
    {
        return Err(binding_error(namespace, "RecvID", "required_if"));
    }
    let ns = format!("{namespace}.SendMsg");
    if req.send_id.is_empty() {
        return Err(binding_error(&ns, "SendID", "required"));
    }
    if req.group_id.is_empty() && matches!(req.session_type, session_type::WRITE_GROUP | session_type::READ_GROUP) {
        return Err(binding_error(&ns, "GroupID", "required_if"));
    }
    if req.content.is_none() {
        return Err(binding_error(&ns, "Content", "required"));
    }
    if req.content_type == 0 {
        return Err(binding_error(&ns, "ContentType", "required"));
    }
    if req.session_type == 0 {
        return Err(binding_error(&ns, "SessionType", "required"));
    }
    Ok(())
}

/// The send fields of a batch body (everything but the recipients).
pub fn batch_fields(req: &BatchSendMsgReq) -> SendMsgReq {
    SendMsgReq {
        recv_id: String::new(),
        send_id: req.send_id.clone(),
        group_id: req.group_id.clone(),
        sender_nickname: req.sender_nickname.clone(),
        sender_face_url: req.sender_face_url.clone(),
        sender_platform_id: req.sender_platform_id,
        content: req.content.clone(),
        content_type: req.content_type,
        session_type: req.session_type,
        is_online_only: req.is_online_only,
        not_offline_push: req.not_offline_push,
        send_time: req.send_time,
        offline_push_info: req.offline_push_info.clone(),
        ex: req.ex.clone(),
    }
}

/// The `binding:"required"` rules of `/msg/send_business_notification`.
pub fn check_business_binding(req: &SendBusinessNotificationReq) -> ImResult<()> {
    if req.send_user_id.is_empty() {
        return Err(binding_error("", "SendUserID", "required"));
    }
    if req.recv_user_id.is_empty() {
        return Err(binding_error("", "RecvUserID", "required"));
    }
    Ok(())
}

/// A content rule: field name and what it must hold.
enum Rule {
    /// A non-empty string (numbers and booleans convert, as mapstructure's weak decoding does).
    Str(&'static str),
    /// A non-zero number.
    Num(&'static str),
    /// A number ≥ 1.
    AtLeastOne(&'static str),
    /// An object that satisfies the picture rules.
    Picture(&'static str),
    /// A present (non-null) list of at most this many entries.
    List(&'static str, usize),
    /// Absent, or a number in the range.
    Range(&'static str, i64, i64),
}

const PICTURE: &[Rule] = &[Rule::Str("type"), Rule::Num("width"), Rule::Num("height"), Rule::Str("url")];

fn rules(ct: i32) -> Option<&'static [Rule]> {
    Some(match ct {
        content_type::TEXT => &[Rule::Str("content")],
        content_type::PICTURE => {
            &[Rule::Picture("sourcePicture"), Rule::Picture("bigPicture"), Rule::Picture("snapshotPicture")]
        }
        content_type::VOICE => &[Rule::Str("sourceUrl"), Rule::AtLeastOne("duration")],
        content_type::VIDEO => &[
            Rule::Str("videoUrl"),
            Rule::Str("videoType"),
            Rule::Num("videoSize"),
            Rule::Num("duration"),
            Rule::Str("snapshotUrl"),
            Rule::Num("snapshotWidth"),
            Rule::Num("snapshotHeight"),
        ],
        content_type::FILE => &[Rule::Str("sourceUrl"), Rule::Str("fileName"), Rule::Num("fileSize")],
        content_type::AT_TEXT => &[Rule::List("atUserList", 1000)],
        content_type::CUSTOM => &[Rule::Str("data")],
        content_type::OA_NOTIFICATION => &[
            Rule::Str("notificationName"),
            Rule::Num("notificationType"),
            Rule::Str("text"),
            Rule::Range("mixType", 0, 5),
        ],
        _ => return None,
    })
}

/// A field of a content object, matched case-insensitively (mapstructure's rule).
fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

fn as_number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.is_empty() => Some(0.0),
        Value::String(s) => s.parse().ok(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

fn check_rules(obj: &Map<String, Value>, rules: &[Rule], path: &str) -> ImResult<()> {
    let invalid = |name: &str, what: &str| ImError::args(format!("validation error: {path}{name} {what}"));
    for rule in rules {
        match rule {
            Rule::Str(name) => match field(obj, name) {
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(Value::Number(_)) | Some(Value::Bool(true)) => {}
                _ => return Err(invalid(name, "is required")),
            },
            Rule::Num(name) => {
                if as_number(field(obj, name)).unwrap_or(0.0) == 0.0 {
                    return Err(invalid(name, "is required"));
                }
            }
            Rule::AtLeastOne(name) => {
                if as_number(field(obj, name)).unwrap_or(0.0) < 1.0 {
                    return Err(invalid(name, "must be at least 1"));
                }
            }
            Rule::Picture(name) => match field(obj, name) {
                Some(Value::Object(p)) => check_rules(p, PICTURE, &format!("{path}{name}."))?,
                _ => check_rules(&Map::new(), PICTURE, &format!("{path}{name}."))?,
            },
            Rule::List(name, max) => match field(obj, name) {
                Some(Value::Array(l)) if l.len() <= *max => {}
                Some(Value::Array(_)) => return Err(invalid(name, &format!("must have at most {max} entries"))),
                _ => return Err(invalid(name, "is required")),
            },
            Rule::Range(name, lo, hi) => {
                if let Some(n) = field(obj, name).filter(|v| !v.is_null()) {
                    let n = as_number(Some(n)).ok_or_else(|| invalid(name, "must be a number"))?;
                    if n < *lo as f64 || n > *hi as f64 {
                        return Err(invalid(name, &format!("must be between {lo} and {hi}")));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The per-content-type rules of the send body's `content`.
pub fn validate_content(ct: i32, content: &Map<String, Value>) -> ImResult<()> {
    let rules = rules(ct).ok_or_else(|| ImError::args(format!("unsupported content type {ct}")))?;
    check_rules(content, rules, "")
}

/// The message `/msg/send_msg` sends to `recv_id` (the body's recvID for `/msg/send_msg`, each
/// recipient for `/msg/batch_send_msg`), with `client_msg_id`. Checks the content and, for OA
/// notifications, that the sender is a notification account (1101 unknown, 1002 not one).
pub async fn build(
    m: &Messaging,
    t: &TenantId,
    req: &SendMsgReq,
    recv_id: &str,
    client_msg_id: &str,
) -> ImResult<MsgData> {
    let content = req.content.as_ref().ok_or_else(|| ImError::args("content is required"))?;
    validate_content(req.content_type, content)?;
    let mut session = req.session_type;
    let json = serde_json::to_string(content).map_err(|e| ImError::internal(format!("encoding content: {e}")))?;
    let content = if req.content_type == content_type::OA_NOTIFICATION {
        session = session_type::NOTIFICATION;
        let sender = m.users().get(t, &req.send_id).await?.ok_or(ErrCode::UserIdNotFound)?;
        let level = sender.app_manger_level;
        if level != app_manager_level::APP_ADMIN && level < app_manager_level::NOTIFICATION_ADMIN {
            return Err(ImError::no_permission("notification messages cannot be sent for this ID"));
        }
        serde_json::to_vec(&NotificationElem { detail: json }).map_err(|e| ImError::internal(e.to_string()))?
    } else {
        json.into_bytes()
    };
    let mut opts = options::Options::new();
    if req.is_online_only {
        for name in [key::HISTORY, key::PERSISTENT, key::SENDER_SYNC, key::CONVERSATION_UPDATE] {
            options::set(&mut opts, name, false);
        }
    }
    if req.not_offline_push {
        options::set(&mut opts, key::OFFLINE_PUSH, false);
    }
    Ok(MsgData {
        send_id: req.send_id.clone(),
        recv_id: recv_id.to_string(),
        group_id: req.group_id.clone(),
        client_msg_id: client_msg_id.to_string(),
        sender_platform_id: req.sender_platform_id,
        sender_nickname: req.sender_nickname.clone(),
        sender_face_url: req.sender_face_url.clone(),
        session_type: session,
        msg_from: msg_from::SYSTEM,
        content_type: req.content_type,
        content,
        create_time: m.now_ms(),
        send_time: req.send_time,
        options: opts,
        offline_push_info: req.offline_push_info.clone(),
        ex: req.ex.clone(),
        ..MsgData::default()
    })
}

/// The message `/msg/send_business_notification` sends: content type 2001 in a single chat,
/// content `{"detail":"{\"key\":…,\"data\":…}"}`, online only (reliability level 1).
pub fn business_notification(
    m: &Messaging,
    req: &SendBusinessNotificationReq,
    client_msg_id: &str,
) -> ImResult<MsgData> {
    let detail = serde_json::json!({ "key": req.key, "data": req.data }).to_string();
    let content = serde_json::to_vec(&NotificationElem { detail }).map_err(|e| ImError::internal(e.to_string()))?;
    Ok(MsgData {
        send_id: req.send_user_id.clone(),
        recv_id: req.recv_user_id.clone(),
        client_msg_id: client_msg_id.to_string(),
        session_type: session_type::SINGLE,
        msg_from: msg_from::SYSTEM,
        content_type: notification::BUSINESS,
        content,
        create_time: m.now_ms(),
        // Reliability level 1: online only, no seq; no chat copy, no unread count, no offline push.
        options: options::for_notification(false, false, false, false),
        ..MsgData::default()
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn content_rules() {
        assert!(validate_content(101, &obj(json!({"content": "hi"}))).is_ok());
        assert!(validate_content(101, &obj(json!({"Content": "hi"}))).is_ok());
        assert_eq!(validate_content(101, &obj(json!({"text": "hi"}))).unwrap_err().code, 1001);
        let pic = json!({"type": "png", "width": 1, "height": 2, "url": "u"});
        assert!(
            validate_content(102, &obj(json!({"sourcePicture": pic, "bigPicture": pic, "snapshotPicture": pic})))
                .is_ok()
        );
        let e = validate_content(102, &obj(json!({"sourcePicture": pic, "bigPicture": pic}))).unwrap_err();
        assert!(e.dlt.contains("snapshotPicture.type"), "{}", e.dlt);
        assert!(validate_content(103, &obj(json!({"sourceUrl": "u", "duration": 1}))).is_ok());
        assert!(validate_content(103, &obj(json!({"sourceUrl": "u", "duration": 0}))).is_err());
        let video = json!({"videoUrl": "u", "videoType": "mp4", "videoSize": 3, "duration": 4,
            "snapshotUrl": "s", "snapshotWidth": 5, "snapshotHeight": 6});
        assert!(validate_content(104, &obj(video)).is_ok());
        assert!(validate_content(104, &obj(json!({"videoUrl": "u"}))).is_err());
        assert!(validate_content(105, &obj(json!({"sourceUrl": "u", "fileName": "f", "fileSize": 9}))).is_ok());
        assert!(validate_content(105, &obj(json!({"sourceUrl": "u", "fileName": "f"}))).is_err());
        assert!(validate_content(106, &obj(json!({"text": "@x", "atUserList": ["x"]}))).is_ok());
        assert!(validate_content(106, &obj(json!({"text": "@x"}))).is_err());
        let many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
        assert!(validate_content(106, &obj(json!({"atUserList": many}))).is_err());
        assert!(validate_content(110, &obj(json!({"data": "d"}))).is_ok());
        assert!(validate_content(110, &obj(json!({"description": "d"}))).is_err());
        let oa = json!({"notificationName": "n", "notificationType": 1, "text": "t", "mixType": 5});
        assert!(validate_content(1400, &obj(oa)).is_ok());
        let oa = json!({"notificationName": "n", "notificationType": 1, "text": "t", "mixType": 6});
        assert!(validate_content(1400, &obj(oa)).is_err());
        let e = validate_content(114, &obj(json!({}))).unwrap_err();
        assert_eq!((e.code, e.dlt.as_str()), (1001, "unsupported content type 114"));
    }

    #[test]
    fn binding_rules() {
        let ok = SendMsgReq {
            recv_id: "b".into(),
            send_id: "a".into(),
            content: Some(Map::new()),
            content_type: 101,
            session_type: 1,
            ..SendMsgReq::default()
        };
        assert!(check_binding(&ok, "SendMsgReq", true).is_ok());
        let e = check_binding(&SendMsgReq { send_id: String::new(), ..ok.clone() }, "SendMsgReq", true).unwrap_err();
        assert_eq!(
            e.dlt,
            "Key: 'SendMsgReq.SendMsg.SendID' Error:Field validation for 'SendID' failed on the 'required' tag"
        );
        assert!(check_binding(&SendMsgReq { recv_id: String::new(), ..ok.clone() }, "SendMsgReq", true).is_err());
        assert!(check_binding(&SendMsgReq { recv_id: String::new(), ..ok.clone() }, "B", false).is_ok());
        assert!(check_binding(&SendMsgReq { content: None, ..ok.clone() }, "S", true).is_err());
        assert!(check_binding(&SendMsgReq { content_type: 0, ..ok.clone() }, "S", true).is_err());
        assert!(check_binding(&SendMsgReq { session_type: 0, ..ok.clone() }, "S", true).is_err());
        assert!(check_binding(&SendMsgReq { session_type: 3, ..ok.clone() }, "S", true).is_err());
        assert!(check_binding(&SendMsgReq { session_type: 3, group_id: "g".into(), ..ok }, "S", true).is_ok());
        let b = SendBusinessNotificationReq { send_user_id: "a".into(), ..SendBusinessNotificationReq::default() };
        let e = check_business_binding(&b).unwrap_err();
        assert_eq!(e.dlt, "Key: 'RecvUserID' Error:Field validation for 'RecvUserID' failed on the 'required' tag");
    }
}
