//! `pb::conversation` and `pb::jssdk`: conversations, wrapper fields, the `/jssdk` composite responses.

use im_wire::pb::WireMessage;
use im_wire::pb::conversation::{Conversation, ConversationElem, ConversationReq, MsgInfo, SetConversationsReq};
use im_wire::pb::jssdk::{ConversationMsg, GetActiveConversationsReq, GetActiveConversationsResp};
use im_wire::pb::relation::FriendInfoOnly;
use im_wire::pb::sdkws::MsgData;
use prost::Message;
use serde_json::json;

fn roundtrip<T: WireMessage + std::fmt::Debug>(m: &T) {
    let bytes = m.encode_to_vec();
    assert_eq!(&T::decode(bytes.as_slice()).unwrap(), m, "protobuf round trip");
    let text = serde_json::to_string(m).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), m, "JSON round trip: {text}");
}

fn sample_conversation() -> Conversation {
    Conversation {
        owner_user_id: "u1".into(),
        conversation_id: "si_u1_u2".into(),
        recv_msg_opt: 2,
        conversation_type: 1,
        user_id: "u2".into(),
        is_pinned: true,
        burn_duration: 30,
        max_seq: 12,
        is_msg_destruct: true,
        ..Default::default()
    }
}

#[test]
fn conversation() {
    let c = sample_conversation();
    roundtrip(&c);
    #[rustfmt::skip]
    let expected: Vec<u8> = [
        &[0x0a, 0x02][..], b"u1",              // 1 ownerUserID
        &[0x12, 0x08], b"si_u1_u2",            // 2 conversationID
        &[0x18, 0x02],                         // 3 recvMsgOpt
        &[0x20, 0x01],                         // 4 conversationType
        &[0x2a, 0x02], b"u2",                  // 5 userID
        &[0x38, 0x01],                         // 7 isPinned
        &[0x60, 0x1e],                         // 12 burnDuration
        &[0x70, 0x0c],                         // 14 maxSeq
        &[0x88, 0x01, 0x01],                   // 17 isMsgDestruct
    ]
    .concat();
    assert_eq!(c.encode_to_vec(), expected);
    assert_eq!(
        serde_json::to_value(&c).unwrap(),
        json!({
            "ownerUserID": "u1", "conversationID": "si_u1_u2", "recvMsgOpt": 2, "conversationType": 1,
            "userID": "u2", "groupID": "", "isPinned": true, "attachedInfo": "", "isPrivateChat": false,
            "groupAtType": 0, "ex": "", "burnDuration": 30, "minSeq": 0, "maxSeq": 12, "msgDestructTime": 0,
            "latestMsgDestructTime": 0, "isMsgDestruct": true
        })
    );
}

#[test]
fn conversation_req_wrappers_protobuf() {
    let r = ConversationReq {
        conversation_id: "c".into(),
        recv_msg_opt: Some(2),
        is_pinned: Some(true),
        ex: Some(String::new()),
        msg_destruct_time: Some(1),
        is_msg_destruct: Some(false),
        ..Default::default()
    };
    roundtrip(&r);
    // Wrappers are length-delimited sub-messages {value = 1}; a set default value is an empty sub-message.
    #[rustfmt::skip]
    let expected: Vec<u8> = vec![
        0x0a, 0x01, b'c',              // 1 conversationID
        0x2a, 0x02, 0x08, 0x02,        // 5 recvMsgOpt = Int32Value{2}
        0x32, 0x02, 0x08, 0x01,        // 6 isPinned = BoolValue{true}
        0x4a, 0x00,                    // 9 ex = StringValue{""}
        0x72, 0x02, 0x08, 0x01,        // 14 msgDestructTime = Int64Value{1}
        0x7a, 0x00,                    // 15 isMsgDestruct = BoolValue{false}
    ];
    assert_eq!(r.encode_to_vec(), expected);
    let decoded = ConversationReq::decode(expected.as_slice()).unwrap();
    assert_eq!(decoded.is_msg_destruct, Some(false));
    assert_eq!(decoded.attached_info, None);
}

#[test]
fn conversation_req_wrappers_json() {
    let r = ConversationReq {
        conversation_id: "c".into(),
        recv_msg_opt: Some(2),
        is_pinned: Some(true),
        attached_info: Some("a".into()),
        min_seq: Some(0),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({
            "conversationID": "c", "conversationType": 0, "userID": "", "groupID": "", "recvMsgOpt": 2,
            "isPinned": true, "attachedInfo": "a", "isPrivateChat": null, "ex": null, "burnDuration": null,
            "minSeq": 0, "maxSeq": null, "groupAtType": null, "msgDestructTime": null, "isMsgDestruct": null
        })
    );

    // Input: bare values set, null and absent mean "not set".
    let req: SetConversationsReq = serde_json::from_value(json!({
        "userIDs": ["u1", "u2"],
        "conversation": {"conversationID": "c", "isPinned": false, "recvMsgOpt": null, "ex": "", "maxSeq": 5,
                         "extra": 1}
    }))
    .unwrap();
    let c = req.conversation.unwrap();
    assert_eq!(c.is_pinned, Some(false));
    assert_eq!(c.recv_msg_opt, None);
    assert_eq!(c.ex, Some(String::new()));
    assert_eq!(c.max_seq, Some(5));
    assert_eq!(c.group_at_type, None);
    assert_eq!(req.user_ids, ["u1", "u2"]);

    // Numeric wrappers must be bare numbers; bools bare booleans.
    assert!(serde_json::from_value::<ConversationReq>(json!({"recvMsgOpt": "2"})).is_err());
    assert!(serde_json::from_value::<ConversationReq>(json!({"isPinned": "true"})).is_err());
    assert!(serde_json::from_value::<ConversationReq>(json!({"isPinned": {"value": true}})).is_err());
}

#[test]
fn conversation_elem_capitalised_keys() {
    let e = ConversationElem {
        conversation_id: "c".into(),
        is_pinned: true,
        msg_info: Some(MsgInfo { latest_msg_recv_time: 5, ..Default::default() }),
        ..Default::default()
    };
    roundtrip(&e);
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["IsPinned"], json!(true));
    assert_eq!(v["msgInfo"]["LatestMsgRecvTime"], json!(5));
    assert!(v.get("isPinned").is_none());
    // Go's case-insensitive matching accepts the lower-case spelling on input.
    let back: ConversationElem = serde_json::from_value(json!({"isPinned": true})).unwrap();
    assert!(back.is_pinned);
}

fn sample_active_resp() -> GetActiveConversationsResp {
    GetActiveConversationsResp {
        unread_count: 2,
        conversations: vec![ConversationMsg {
            conversation: Some(Conversation { conversation_id: "c".into(), ..Default::default() }),
            max_seq: 5,
            ..Default::default()
        }],
    }
}

#[test]
fn jssdk_get_active_conversations() {
    let resp = sample_active_resp();
    roundtrip(&resp);
    #[rustfmt::skip]
    assert_eq!(
        resp.encode_to_vec(),
        [
            0x08, 0x02,                                  // 1 unreadCount
            0x12, 0x07,                                  // 2 conversations[0], 7 bytes
            0x0a, 0x03, 0x12, 0x01, b'c',                //   1 conversation{2 conversationID}
            0x30, 0x05,                                  //   6 maxSeq
        ]
    );
    let conversation =
        serde_json::to_value(Conversation { conversation_id: "c".into(), ..Default::default() }).unwrap();
    assert_eq!(
        serde_json::to_value(&resp).unwrap(),
        json!({
            "unreadCount": 2,
            "conversations": [{
                "conversation": conversation, "lastMsg": null, "user": null, "friend": null, "group": null,
                "maxSeq": 5, "readSeq": 0
            }]
        })
    );

    // The request as the JS SDK sends it (protobuf body `{ownerUserID, count:20}`).
    let req_bytes = [0x0a, 0x02, b'u', b'1', 0x10, 0x14];
    let req = GetActiveConversationsReq::decode(req_bytes.as_slice()).unwrap();
    assert_eq!(req, GetActiveConversationsReq { owner_user_id: "u1".into(), count: 20 });
    assert_eq!(serde_json::to_value(&req).unwrap(), json!({"ownerUserID": "u1", "count": 20}));
}

#[test]
fn jssdk_conversation_msg_full() {
    let m = ConversationMsg {
        conversation: Some(sample_conversation()),
        last_msg: Some(MsgData { seq: 12, content: b"{}".to_vec(), ..Default::default() }),
        friend: Some(FriendInfoOnly { owner_user_id: "u1".into(), friend_user_id: "u2".into(), ..Default::default() }),
        max_seq: 12,
        read_seq: 10,
        ..Default::default()
    };
    roundtrip(&m);
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(v["lastMsg"]["content"], json!("e30="));
    assert_eq!(
        v["friend"],
        json!({
            "ownerUserID": "u1", "friendUserID": "u2", "remark": "", "createTime": 0, "addSource": 0,
            "operatorUserID": "", "ex": "", "isPinned": false
        })
    );
    assert_eq!(v["user"], json!(null));
}
