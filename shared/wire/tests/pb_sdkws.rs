//! `pb::sdkws`: protobuf bytes and OpenIM JSON of the core message types.

use std::collections::BTreeMap;

use im_wire::pb::WireMessage;
use im_wire::pb::sdkws::{
    FriendRequest, GetMaxSeqReq, GetMaxSeqResp, GroupInfo, GroupMemberFullInfo, MemberKickedTips, MsgData,
    NotificationElem, OfflinePushInfo, PullMessageBySeqsReq, PullMsgs, PullOrder, PushMessages, SeqRange,
};
use prost::{Message, Name};
use serde_json::json;

fn roundtrip<T: WireMessage + std::fmt::Debug>(m: &T) {
    let bytes = m.encode_to_vec();
    assert_eq!(&T::decode(bytes.as_slice()).unwrap(), m, "protobuf round trip");
    let text = serde_json::to_string(m).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), m, "JSON round trip: {text}");
}

fn sample_msg() -> MsgData {
    MsgData {
        send_id: "u1".into(),
        recv_id: "u2".into(),
        client_msg_id: "c1".into(),
        server_msg_id: "s1".into(),
        sender_platform_id: 5,
        session_type: 1,
        msg_from: 100,
        content_type: 101,
        content: br#"{"content":"hi"}"#.to_vec(),
        seq: 7,
        send_time: 1_700_000_000_123,
        create_time: 1_700_000_000_000,
        status: 2,
        options: BTreeMap::from([("history".to_owned(), true), ("unreadCount".to_owned(), false)]),
        offline_push_info: Some(OfflinePushInfo { title: "t".into(), ios_badge_count: true, ..Default::default() }),
        at_user_id_list: vec!["u3".into()],
        ex: "x".into(),
        ..Default::default()
    }
}

#[test]
fn msg_data_roundtrip() {
    roundtrip(&sample_msg());
    roundtrip(&MsgData::default());
}

#[test]
fn msg_data_protobuf_bytes() {
    let m = MsgData {
        send_id: "a".into(),
        content_type: 101,
        content: b"hi".to_vec(),
        seq: 5,
        options: BTreeMap::from([("history".to_owned(), true)]),
        offline_push_info: Some(OfflinePushInfo { title: "t".into(), ..Default::default() }),
        at_user_id_list: vec!["u".into()],
        ..Default::default()
    };
    #[rustfmt::skip]
    let expected: Vec<u8> = [
        &[0x0a, 0x01, b'a'][..],                    // 1 sendID
        &[0x58, 0x65],                              // 11 contentType = 101
        &[0x62, 0x02, b'h', b'i'],                  // 12 content
        &[0x70, 0x05],                              // 14 seq
        &[0x9a, 0x01, 0x0b, 0x0a, 0x07], b"history", &[0x10, 0x01], // 19 options entry {1: key, 2: true}
        &[0xa2, 0x01, 0x03, 0x0a, 0x01, b't'],      // 20 offlinePushInfo{title}
        &[0xaa, 0x01, 0x01, b'u'],                  // 21 atUserIDList
    ]
    .concat();
    assert_eq!(m.encode_to_vec(), expected);
    assert_eq!(MsgData::decode(expected.as_slice()).unwrap(), m);
}

#[test]
fn msg_data_json_output() {
    let v = serde_json::to_value(sample_msg()).unwrap();
    assert_eq!(
        v,
        json!({
            "sendID": "u1", "recvID": "u2", "groupID": "", "clientMsgID": "c1", "serverMsgID": "s1",
            "senderPlatformID": 5, "senderNickname": "", "senderFaceURL": "", "sessionType": 1,
            "msgFrom": 100, "contentType": 101, "content": "eyJjb250ZW50IjoiaGkifQ==", "seq": 7,
            "sendTime": 1_700_000_000_123_i64, "createTime": 1_700_000_000_000_i64, "status": 2,
            "isRead": false, "options": {"history": true, "unreadCount": false},
            "offlinePushInfo": {"title": "t", "desc": "", "ex": "", "iOSPushSound": "", "iOSBadgeCount": true,
                                "signalInfo": ""},
            "atUserIDList": ["u3"], "attachedInfo": "", "ex": "x"
        })
    );
    // Keys appear in field order (checked on a message without nested objects).
    let text = serde_json::to_string(&MsgData::default()).unwrap();
    let mut last = 0;
    for key in MsgData::JSON_KEYS {
        let at = text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} missing"));
        assert!(at >= last, "{key} out of order");
        last = at;
    }
}

#[test]
fn msg_data_json_defaults_are_explicit() {
    let v = serde_json::to_value(MsgData::default()).unwrap();
    assert_eq!(v["offlinePushInfo"], json!(null));
    assert_eq!(v["options"], json!({}));
    assert_eq!(v["atUserIDList"], json!([]));
    assert_eq!(v["content"], json!(""));
    assert_eq!(v["seq"], json!(0));
    assert_eq!(v.as_object().unwrap().len(), MsgData::JSON_KEYS.len());
}

#[test]
fn bytes_are_standard_base64_with_padding() {
    let m = MsgData { content: vec![0, 1, 2, 0xfb, 0xff], ..Default::default() };
    assert_eq!(serde_json::to_value(&m).unwrap()["content"], json!("AAEC+/8="));
    let back: MsgData = serde_json::from_value(json!({"content": "AAEC+/8="})).unwrap();
    assert_eq!(back.content, m.content);
    // Lenient: missing padding accepted; garbage rejected.
    let unpadded: MsgData = serde_json::from_value(json!({"content": "AAEC+/8"})).unwrap();
    assert_eq!(unpadded.content, m.content);
    assert!(serde_json::from_value::<MsgData>(json!({"content": "!!"})).is_err());
}

#[test]
fn msg_data_json_input_is_lenient() {
    // Missing keys, unknown keys (any shape), nulls everywhere, case-insensitive keys.
    let m: MsgData = serde_json::from_str(
        r#"{"SENDID":"u1","recvid":"u2","unknown":{"a":[1,{"b":null}]},"options":null,"atUserIDList":null,
            "content":null,"offlinePushInfo":null,"seq":null,"groupID":null,"Status":3}"#,
    )
    .unwrap();
    assert_eq!(m, MsgData { send_id: "u1".into(), recv_id: "u2".into(), status: 3, ..Default::default() });
    assert_eq!(serde_json::from_str::<MsgData>("{}").unwrap(), MsgData::default());
    assert_eq!(serde_json::from_str::<MsgData>("null").unwrap(), MsgData::default());
    // Numbers must be numbers (as in Go).
    assert!(serde_json::from_str::<MsgData>(r#"{"seq":"7"}"#).is_err());
    assert!(serde_json::from_str::<MsgData>(r#"{"seq":1.5}"#).is_err());
    assert!(serde_json::from_str::<MsgData>("[]").is_err());
}

#[test]
fn pull_msgs_uses_capital_msgs_key() {
    let p = PullMsgs { msgs: vec![MsgData::default()], is_end: true, end_seq: 9 };
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v.as_object().unwrap().keys().collect::<Vec<_>>(), ["Msgs", "endSeq", "isEnd"]);
    let back: PullMsgs = serde_json::from_value(json!({"msgs": [{"seq": 1}], "isEnd": true})).unwrap();
    assert_eq!(back.msgs[0].seq, 1);
}

#[test]
fn push_messages() {
    let m = PushMessages {
        msgs: BTreeMap::from([(
            "si_a_b".to_owned(),
            PullMsgs { msgs: vec![MsgData { seq: 1, ..Default::default() }], ..Default::default() },
        )]),
        notification_msgs: BTreeMap::new(),
    };
    roundtrip(&m);
    #[rustfmt::skip]
    let expected: Vec<u8> = [
        &[0x0a, 0x0e][..],                           // 1 msgs entry, 14 bytes
        &[0x0a, 0x06], b"si_a_b",                    //   key
        &[0x12, 0x04, 0x0a, 0x02, 0x70, 0x01],       //   value PullMsgs{Msgs:[{seq:1}]}
    ]
    .concat();
    assert_eq!(m.encode_to_vec(), expected);
    let v = serde_json::to_value(&m).unwrap();
    let msg = serde_json::to_value(MsgData { seq: 1, ..Default::default() }).unwrap();
    assert_eq!(v, json!({"msgs": {"si_a_b": {"Msgs": [msg], "isEnd": false, "endSeq": 0}}, "notificationMsgs": {}}));
    // A null map value decodes as an empty PullMsgs (Go: nil pointer), a null map as empty.
    let back: PushMessages = serde_json::from_str(r#"{"msgs":{"x":null},"notificationMsgs":null}"#).unwrap();
    assert_eq!(back.msgs["x"], PullMsgs::default());
}

#[test]
fn get_max_seq() {
    let resp = GetMaxSeqResp { max_seqs: BTreeMap::from([("c".to_owned(), 300)]), min_seqs: BTreeMap::new() };
    roundtrip(&resp);
    assert_eq!(resp.encode_to_vec(), [0x0a, 0x06, 0x0a, 0x01, b'c', 0x10, 0xac, 0x02]);
    assert_eq!(serde_json::to_string(&resp).unwrap(), r#"{"maxSeqs":{"c":300},"minSeqs":{}}"#);
    // Go's `"minSeqs":null` decodes.
    let back: GetMaxSeqResp = serde_json::from_str(r#"{"maxSeqs":{"c":300},"minSeqs":null}"#).unwrap();
    assert_eq!(back, resp);

    let req = GetMaxSeqReq { user_id: "u1".into() };
    assert_eq!(req.encode_to_vec(), [0x0a, 0x02, b'u', b'1']);
    assert_eq!(serde_json::to_value(&req).unwrap(), json!({"userID": "u1"}));
}

#[test]
fn pull_message_by_seqs_req_enum_order() {
    let req = PullMessageBySeqsReq {
        user_id: "u".into(),
        seq_ranges: vec![SeqRange { conversation_id: "c".into(), begin: 1, end: 2, num: 3 }],
        order: PullOrder::Desc as i32,
    };
    roundtrip(&req);
    #[rustfmt::skip]
    assert_eq!(
        req.encode_to_vec(),
        [0x0a, 0x01, b'u', 0x12, 0x09, 0x0a, 0x01, b'c', 0x10, 0x01, 0x18, 0x02, 0x20, 0x03, 0x18, 0x01]
    );
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        json!({"userID": "u", "seqRanges": [{"conversationID": "c", "begin": 1, "end": 2, "num": 3}], "order": 1})
    );
    assert_eq!(req.order(), PullOrder::Desc);
}

#[test]
fn group_info() {
    let g = GroupInfo {
        group_id: "g".into(),
        group_name: "name".into(),
        member_count: 3,
        status: 0,
        group_type: 2,
        notification_user_id: "n".into(),
        ..Default::default()
    };
    roundtrip(&g);
    #[rustfmt::skip]
    let expected: Vec<u8> = [
        &[0x0a, 0x01, b'g'][..],           // 1 groupID
        &[0x12, 0x04], b"name",            // 2 groupName
        &[0x40, 0x03],                     // 8 memberCount (uint32)
        &[0x60, 0x02],                     // 12 groupType
        &[0x8a, 0x01, 0x01, b'n'],         // 17 notificationUserID
    ]
    .concat();
    assert_eq!(g.encode_to_vec(), expected);
    assert_eq!(
        serde_json::to_value(&g).unwrap(),
        json!({
            "groupID": "g", "groupName": "name", "notification": "", "introduction": "", "faceURL": "",
            "ownerUserID": "", "createTime": 0, "memberCount": 3, "ex": "", "status": 0, "creatorUserID": "",
            "groupType": 2, "needVerification": 0, "lookMemberInfo": 0, "applyMemberFriend": 0,
            "notificationUpdateTime": 0, "notificationUserID": "n"
        })
    );
}

#[test]
fn friend_request() {
    let r = FriendRequest {
        from_user_id: "a".into(),
        to_user_id: "b".into(),
        handle_result: -1,
        create_time: 1,
        ex: "x".into(),
        ..Default::default()
    };
    roundtrip(&r);
    #[rustfmt::skip]
    let expected: Vec<u8> = [
        &[0x0a, 0x01, b'a'][..],                                               // 1 fromUserID
        &[0x22, 0x01, b'b'],                                                   // 4 toUserID
        &[0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],   // 7 handleResult = -1
        &[0x48, 0x01],                                                         // 9 createTime
        &[0x6a, 0x01, b'x'],                                                   // 13 ex
    ]
    .concat();
    assert_eq!(r.encode_to_vec(), expected);
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({
            "fromUserID": "a", "fromNickname": "", "fromFaceURL": "", "toUserID": "b", "toNickname": "",
            "toFaceURL": "", "handleResult": -1, "reqMsg": "", "createTime": 1, "handlerUserID": "",
            "handleMsg": "", "handleTime": 0, "ex": "x"
        })
    );
}

#[test]
fn tips_in_notification_elem() {
    let tips = MemberKickedTips {
        group: Some(GroupInfo { group_id: "g".into(), ..Default::default() }),
        kicked_user_list: vec![GroupMemberFullInfo { user_id: "u".into(), ..Default::default() }],
        operation_time: 10,
        group_member_version: 3,
        ..Default::default()
    };
    roundtrip(&tips);
    assert_eq!(
        tips.encode_to_vec(),
        [0x0a, 0x03, 0x0a, 0x01, b'g', 0x1a, 0x03, 0x12, 0x01, b'u', 0x20, 0x0a, 0x28, 0x03]
    );
    let group = serde_json::to_value(GroupInfo { group_id: "g".into(), ..Default::default() }).unwrap();
    let kicked = serde_json::to_value(GroupMemberFullInfo { user_id: "u".into(), ..Default::default() }).unwrap();
    assert_eq!(kicked["muteEndTime"], json!(0));
    assert_eq!(
        serde_json::to_value(&tips).unwrap(),
        json!({
            "group": group, "opUser": null, "kickedUserList": [kicked], "operationTime": 10,
            "groupMemberVersion": 3, "groupMemberVersionID": ""
        })
    );

    // Notification content = JSON of NotificationElem whose detail is the tips JSON string.
    let elem = NotificationElem { detail: serde_json::to_string(&tips).unwrap() };
    let content = serde_json::to_vec(&elem).unwrap();
    let back: NotificationElem = serde_json::from_slice(&content).unwrap();
    assert_eq!(serde_json::from_str::<MemberKickedTips>(&back.detail).unwrap(), tips);
    assert_eq!(MemberKickedTips::full_name(), "openim.sdkws.MemberKickedTips");
}
