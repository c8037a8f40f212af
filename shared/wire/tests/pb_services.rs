//! `pb::relation`, `pb::group`, `pb::msg`, `pb::push`: Go key quirks, optional scalars, empty messages,
//! proto names, the plain-JSON send bodies.

use std::collections::BTreeMap;

use im_wire::pb::WireMessage;
use im_wire::pb::group::{
    BatchGetIncrementalGroupMemberResp, CreateGroupReq, GetIncrementalGroupMemberResp, SetGroupInfoExReq,
    SetGroupMemberInfo,
};
use im_wire::pb::msg::api::{BatchSendMsgResp, SendMsgReq, SingleReturnResult};
use im_wire::pb::msg::{
    ClearConversationsMsgReq, DeleteSyncOpt, GetConversationsHasReadAndMaxSeqResp, GetMaxAndMinSeqReq,
    GetSeqMessageReq, SendMsgResp, Seqs,
};
use im_wire::pb::push::DelUserPushTokenReq;
use im_wire::pb::relation::{GetPaginationFriendsApplyFromResp, GetPaginationFriendsApplyToResp, UpdateFriendsReq};
use im_wire::pb::sdkws::{FriendRequest, GroupInfo, PullOrder};
use prost::{Message, Name};
use serde_json::json;

fn roundtrip<T: WireMessage + std::fmt::Debug>(m: &T) {
    let bytes = m.encode_to_vec();
    assert_eq!(&T::decode(bytes.as_slice()).unwrap(), m, "protobuf round trip");
    let text = serde_json::to_string(m).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), m, "JSON round trip: {text}");
}

#[test]
fn friend_apply_lists_key_spelling() {
    let to = GetPaginationFriendsApplyToResp { friend_requests: vec![FriendRequest::default()], total: 1 };
    roundtrip(&to);
    let v = serde_json::to_value(&to).unwrap();
    assert!(v.get("FriendRequests").is_some() && v.get("friendRequests").is_none());
    let from = GetPaginationFriendsApplyFromResp { friend_requests: vec![], total: 0 };
    assert_eq!(serde_json::to_value(&from).unwrap(), json!({"friendRequests": [], "total": 0}));
    assert_eq!(GetPaginationFriendsApplyToResp::full_name(), "openim.relation.getPaginationFriendsApplyToResp");
}

#[test]
fn update_friends_wrappers() {
    let r: UpdateFriendsReq =
        serde_json::from_value(json!({"ownerUserID": "o", "friendUserIDs": ["f"], "isPinned": true})).unwrap();
    assert_eq!(r.is_pinned, Some(true));
    assert_eq!(r.remark, None);
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"ownerUserID": "o", "friendUserIDs": ["f"], "isPinned": true, "remark": null, "ex": null})
    );
    assert_eq!(r.encode_to_vec(), [0x0a, 0x01, b'o', 0x12, 0x01, b'f', 0x1a, 0x02, 0x08, 0x01]);
}

#[test]
fn create_group_optional_scalar() {
    let mut r = CreateGroupReq {
        member_user_ids: vec!["m".into()],
        group_info: Some(GroupInfo { group_type: 2, ..Default::default() }),
        owner_user_id: "o".into(),
        ..Default::default()
    };
    roundtrip(&r);
    assert_eq!(serde_json::to_value(&r).unwrap()["sendMessage"], json!(null));
    r.send_message = Some(false);
    roundtrip(&r);
    assert_eq!(serde_json::to_value(&r).unwrap()["sendMessage"], json!(false));
    // proto3 optional: present on the wire even when false.
    assert!(r.encode_to_vec().ends_with(&[0x28, 0x00]));
}

#[test]
fn group_wrappers_and_maps() {
    let r: SetGroupInfoExReq =
        serde_json::from_value(json!({"groupID": "g", "groupName": "n", "needVerification": 0})).unwrap();
    assert_eq!((r.group_name.as_deref(), r.need_verification, r.notification.as_deref()), (Some("n"), Some(0), None));
    let m = SetGroupMemberInfo { group_id: "g".into(), role_level: Some(60), ..Default::default() };
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        json!({"groupID": "g", "userID": "", "nickname": null, "faceURL": null, "roleLevel": 60, "ex": null})
    );
    let batch = BatchGetIncrementalGroupMemberResp {
        resp_list: BTreeMap::from([(
            "g".to_owned(),
            GetIncrementalGroupMemberResp { full: true, version: 3, ..Default::default() },
        )]),
    };
    roundtrip(&batch);
    assert_eq!(
        serde_json::to_value(&batch).unwrap(),
        json!({"respList": {"g": {"version": 3, "versionID": "", "full": true, "delete": [], "insert": [],
                                  "update": [], "group": null, "sortVersion": 0}}})
    );
}

#[test]
fn msg_capitalised_keys() {
    let opt = ClearConversationsMsgReq {
        conversation_ids: vec!["c".into()],
        user_id: "u".into(),
        delete_sync_opt: Some(DeleteSyncOpt { is_sync_self: true, is_sync_other: false }),
    };
    roundtrip(&opt);
    assert_eq!(
        serde_json::to_value(&opt).unwrap(),
        json!({"conversationIDs": ["c"], "userID": "u", "deleteSyncOpt": {"IsSyncSelf": true, "IsSyncOther": false}})
    );
    // DeleteSyncOpt uses field numbers 3 and 4.
    assert_eq!(DeleteSyncOpt { is_sync_self: true, is_sync_other: true }.encode_to_vec(), [0x18, 0x01, 0x20, 0x01]);
    assert_eq!(serde_json::to_value(GetMaxAndMinSeqReq { user_id: "u".into() }).unwrap(), json!({"UserID": "u"}));
}

#[test]
fn msg_ws_payloads() {
    let req = GetSeqMessageReq {
        user_id: "u".into(),
        conversations: vec![im_wire::pb::msg::ConversationSeqs { conversation_id: "c".into(), seqs: vec![1, 2] }],
        order: PullOrder::Asc as i32,
    };
    roundtrip(&req);
    // ConversationSeqs uses field numbers 2 (conversationID) and 3 (packed seqs).
    assert_eq!(req.encode_to_vec(), [0x0a, 0x01, b'u', 0x12, 0x07, 0x12, 0x01, b'c', 0x1a, 0x02, 0x01, 0x02]);

    let seqs = GetConversationsHasReadAndMaxSeqResp {
        seqs: BTreeMap::from([("c".to_owned(), Seqs { max_seq: 3, has_read_seq: 1, max_seq_time: 9 })]),
        pinned_conversation_ids: vec![],
    };
    roundtrip(&seqs);
    assert_eq!(
        serde_json::to_string(&seqs).unwrap(),
        r#"{"seqs":{"c":{"maxSeq":3,"hasReadSeq":1,"maxSeqTime":9}},"pinnedConversationIDs":[]}"#
    );

    let sent = SendMsgResp { server_msg_id: "s".into(), client_msg_id: "c".into(), send_time: 1, modify: None };
    assert_eq!(
        serde_json::to_value(&sent).unwrap(),
        json!({"serverMsgID": "s", "clientMsgID": "c", "sendTime": 1, "modify": null})
    );
    // The SDK decodes the 1003 reply as sdkws.UserSendMsgResp: same field numbers.
    let user_view = im_wire::pb::sdkws::UserSendMsgResp::decode(sent.encode_to_vec().as_slice()).unwrap();
    assert_eq!(user_view.server_msg_id, "s");

    let logout = DelUserPushTokenReq { user_id: "u".into(), platform_id: 5 };
    assert_eq!(logout.encode_to_vec(), [0x0a, 0x01, b'u', 0x10, 0x05]);
}

#[test]
fn empty_messages() {
    use im_wire::pb::conversation::SetConversationsResp;
    assert!(SetConversationsResp::is_empty_message());
    assert!(!GetMaxAndMinSeqReq::is_empty_message());
    assert_eq!(serde_json::to_string(&SetConversationsResp {}).unwrap(), "{}");
    assert_eq!(serde_json::from_str::<SetConversationsResp>(r#"{"x":1}"#).unwrap(), SetConversationsResp {});
    assert!(SetConversationsResp {}.encode_to_vec().is_empty());
}

#[test]
fn send_msg_api_bodies() {
    let body: SendMsgReq = serde_json::from_value(json!({
        "sendID": "admin", "recvID": "u", "content": {"content": "hi"}, "contentType": 101, "sessionType": 1,
        "offlinePushInfo": {"title": "t"}, "isOnlineOnly": true, "unknown": 1
    }))
    .unwrap();
    assert_eq!(body.content.as_ref().unwrap()["content"], json!("hi"));
    assert_eq!(body.offline_push_info.as_ref().unwrap().title, "t");
    assert!(body.is_online_only);
    assert!(serde_json::from_value::<SendMsgReq>(json!({"sendID": "a"})).unwrap().content.is_none());

    let resp = BatchSendMsgResp {
        results: vec![SingleReturnResult {
            server_msg_id: "s".into(),
            client_msg_id: "c".into(),
            send_time: 1,
            recv_id: "u".into(),
        }],
        failed_user_ids: vec![],
    };
    assert_eq!(
        serde_json::to_value(&resp).unwrap(),
        json!({"results": [{"serverMsgID": "s", "clientMsgID": "c", "sendTime": 1, "recvID": "u"}],
               "failedUserIDs": []})
    );
}
