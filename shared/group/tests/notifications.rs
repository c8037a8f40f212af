//! Notification emission at domain level: content types, session types, recvID/groupID, the
//! tips' keys, and which ones are `isSendMsg`.

mod common;

use common::{World, tips};
use im_domain::ports::Reliability;
use im_wire::pb::group::*;
use im_wire::pb::sdkws::{GroupInfo, GroupInfoForSet};
use serde_json::Value;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    k.sort();
    k
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn create_group_sends_1501_and_1519_to_the_group() {
    let w = World::new(&["o", "a", "m1", "m2"]).await;
    let req = CreateGroupReq {
        member_user_ids: vec!["m1".into(), "m2".into()],
        admin_user_ids: vec!["a".into()],
        owner_user_id: "o".into(),
        group_info: Some(GroupInfo {
            group_name: "g".into(),
            notification: "hello".into(),
            group_type: 2,
            ..GroupInfo::default()
        }),
        send_message: None,
    };
    let resp = w.svc.create_group(&w.user("o"), req).await.expect("create");
    let gid = resp.group_info.expect("info").group_id;
    assert!(gid.len() <= 10 && gid.bytes().all(|b| b.is_ascii_digit()), "{gid}");
    let sent = w.rec.take();
    let types: Vec<i32> = sent.iter().map(|n| n.content_type).collect();
    assert_eq!(types, [1501, 1519]);
    for n in &sent {
        assert_eq!(
            (n.session_type, n.recv_id.as_str(), n.group_id.as_str(), n.send_id.as_str()),
            (3, gid.as_str(), gid.as_str(), "o")
        );
        assert_eq!(n.reliability, Reliability::OnlineOnly);
        assert!(n.is_send_msg && n.unread_count, "{}", n.content_type);
    }
    let created = tips(&sent[0]);
    assert_eq!(
        keys(&created),
        sorted(&[
            "group",
            "opUser",
            "memberList",
            "operationTime",
            "groupOwnerUser",
            "groupMemberVersion",
            "groupMemberVersionID"
        ])
    );
    assert_eq!(created["group"]["memberCount"], 4);
    assert_eq!(created["group"]["ownerUserID"], "o");
    assert_eq!(created["opUser"]["userID"], "o");
    assert_eq!(created["opUser"]["nickname"], "nick-o");
    // [quirk] OpenIM's member list stops at the operator (the owner comes first).
    assert_eq!(created["memberList"].as_array().map(Vec::len), Some(1));
    assert_eq!(created["groupMemberVersion"], 1);
    assert_eq!(created["groupMemberVersionID"].as_str().map(str::len), Some(24));
    assert_eq!(keys(&tips(&sent[1])), sorted(&["opUser", "group", "groupMemberVersion", "groupMemberVersionID"]));

    // sendMessage overrides isSendMsg.
    let req = CreateGroupReq {
        owner_user_id: "o".into(),
        group_info: Some(GroupInfo { group_type: 2, ..GroupInfo::default() }),
        send_message: Some(false),
        ..CreateGroupReq::default()
    };
    w.svc.create_group(&w.user("o"), req).await.expect("create");
    let sent = w.rec.take();
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].is_send_msg && !sent[0].unread_count);
}

#[tokio::test]
async fn applications_go_to_managers_and_the_applicant_one_by_one() {
    let w = World::new(&["o", "a", "m", "x"]).await;
    let gid = w.group("100", "o", &["a"], &["m"]).await;
    w.rec.take();
    // needVerification 0: an application; 1503 to owner, admin and applicant (= operator).
    let join = JoinGroupReq {
        group_id: gid.clone(),
        req_message: "let me in".into(),
        join_source: 3,
        ..JoinGroupReq::default()
    };
    w.svc.join_group(&w.user("x"), join).await.expect("apply");
    let sent = w.rec.take();
    let mut to: Vec<&str> = sent.iter().map(|n| n.recv_id.as_str()).collect();
    to.sort();
    assert_eq!(to, ["a", "o", "x"]);
    for n in &sent {
        assert_eq!((n.content_type, n.session_type, n.group_id.as_str(), n.send_id.as_str()), (1503, 1, "", "x"));
        assert!(!n.is_send_msg && n.offline_push);
        let t = tips(n);
        assert_eq!(keys(&t), sorted(&["group", "applicant", "reqMsg", "uuid", "request"]));
        assert_eq!(t["applicant"]["userID"], "x");
        assert_eq!(t["request"]["reqMsg"], "let me in");
        assert_eq!(t["request"]["groupInfo"], Value::Null);
    }
    // Accepting: 1505 to owner, admin (receiverAs 1) and applicant (0), then 1510 to the group.
    let accept = GroupApplicationResponseReq {
        group_id: gid.clone(),
        from_user_id: "x".into(),
        handled_msg: "ok".into(),
        handle_result: 1,
    };
    w.svc.group_application_response(&w.user("a"), accept).await.expect("accept");
    let sent = w.rec.take();
    let accepted: Vec<_> = sent.iter().filter(|n| n.content_type == 1505).collect();
    assert_eq!(accepted.len(), 3);
    for n in &accepted {
        assert_eq!(n.session_type, 1);
        let t = tips(n);
        assert_eq!(t["receiverAs"], if n.recv_id == "x" { 0 } else { 1 });
        assert_eq!(t["handleMsg"], "ok");
        assert_eq!(t["opUser"]["userID"], "a");
    }
    let entered: Vec<_> = sent.iter().filter(|n| n.content_type == 1510).collect();
    assert_eq!(entered.len(), 1);
    assert_eq!((entered[0].session_type, entered[0].recv_id.as_str()), (3, gid.as_str()));
    assert!(entered[0].is_send_msg);
    assert_eq!(tips(entered[0])["entrantUser"]["userID"], "x");
    // Refusing a second applicant: 1506 only.
    w.svc
        .join_group(&w.user("m"), JoinGroupReq { group_id: gid.clone(), join_source: 3, ..JoinGroupReq::default() })
        .await
        .expect_err("already member");
    let users = ["y"];
    let w2 = World::new(&["o", "y"]).await;
    let g2 = w2.group("200", "o", &[], &[]).await;
    w2.svc
        .join_group(
            &w2.user(users[0]),
            JoinGroupReq { group_id: g2.clone(), join_source: 3, ..JoinGroupReq::default() },
        )
        .await
        .expect("apply");
    w2.rec.take();
    let refuse = GroupApplicationResponseReq {
        group_id: g2,
        from_user_id: "y".into(),
        handled_msg: String::new(),
        handle_result: -1,
    };
    w2.svc.group_application_response(&w2.user("o"), refuse).await.expect("refuse");
    let types: Vec<i32> = w2.rec.take().iter().map(|n| n.content_type).collect();
    assert_eq!(types, [1506, 1506]);
}

#[tokio::test]
async fn membership_changes_notify_the_group() {
    let w = World::new(&["o", "a", "m", "n", "k"]).await;
    let gid = w.group("300", "o", &["a"], &["m"]).await;
    w.rec.take();
    let invite = InviteUserToGroupReq {
        group_id: gid.clone(),
        invited_user_ids: vec!["n".into(), "k".into()],
        ..Default::default()
    };
    w.svc.invite_user_to_group(&w.user("m"), invite).await.expect("invite");
    let sent = w.rec.take();
    assert_eq!(sent.len(), 1);
    let n = &sent[0];
    assert_eq!(
        (n.content_type, n.session_type, n.recv_id.as_str(), n.group_id.as_str()),
        (1509, 3, gid.as_str(), gid.as_str())
    );
    assert!(n.is_send_msg);
    let t = tips(n);
    assert_eq!(
        keys(&t),
        sorted(&[
            "group",
            "opUser",
            "invitedUserList",
            "operationTime",
            "groupMemberVersion",
            "groupMemberVersionID",
            "inviterUser"
        ])
    );
    assert_eq!(t["invitedUserList"].as_array().map(Vec::len), Some(2));
    assert_eq!(t["inviterUser"]["userID"], "m");
    assert_eq!(t["group"]["memberCount"], 5);

    let kick = KickGroupMemberReq {
        group_id: gid.clone(),
        kicked_user_ids: vec!["k".into()],
        reason: String::new(),
        send_message: None,
    };
    w.svc.kick_group(&w.user("a"), kick).await.expect("kick");
    let sent = w.rec.take();
    let types: Vec<i32> = sent.iter().map(|n| n.content_type).collect();
    assert_eq!(types, [1300, 1508], "the kicked member's conversation change, then the kick");
    assert_eq!((sent[0].session_type, sent[0].recv_id.as_str()), (1, "k"));
    assert_eq!(tips(&sent[0])["conversationIDList"][0], format!("sg_{gid}"));
    let t = tips(&sent[1]);
    assert_eq!(t["kickedUserList"][0]["userID"], "k");
    assert_eq!(t["opUser"]["userID"], "a");
    assert_eq!(t["group"]["memberCount"], 4);

    w.svc.quit_group(&w.user("n"), QuitGroupReq { group_id: gid.clone(), user_id: String::new() }).await.expect("quit");
    let sent = w.rec.take();
    let quit = sent.iter().find(|n| n.content_type == 1504).expect("1504");
    assert_eq!((quit.session_type, quit.recv_id.as_str(), quit.send_id.as_str()), (3, gid.as_str(), "n"));
    assert!(quit.is_send_msg);
    assert_eq!(tips(quit)["quitUser"]["userID"], "n");

    let transfer =
        TransferGroupOwnerReq { group_id: gid.clone(), old_owner_user_id: "o".into(), new_owner_user_id: "a".into() };
    w.svc.transfer_group(&w.user("o"), transfer).await.expect("transfer");
    let sent = w.rec.take();
    assert_eq!(sent.len(), 1);
    let t = tips(&sent[0]);
    assert_eq!(sent[0].content_type, 1507);
    assert!(sent[0].is_send_msg);
    assert_eq!(
        (t["newGroupOwner"]["roleLevel"].clone(), t["oldGroupOwner"].clone()),
        (Value::from(100), Value::from("o"))
    );
    assert_eq!(t["oldGroupOwnerInfo"]["roleLevel"], 60, "the old owner takes the new owner's former role");
    assert_eq!(t["group"]["ownerUserID"], "a");

    w.svc
        .dismiss_group(
            &w.user("a"),
            DismissGroupReq { group_id: gid.clone(), delete_member: false, send_message: None },
        )
        .await
        .expect("dismiss");
    let sent = w.rec.take();
    assert_eq!(sent.iter().map(|n| n.content_type).collect::<Vec<_>>(), [1511]);
    assert_eq!(keys(&tips(&sent[0])), sorted(&["group", "opUser", "operationTime"]));
    assert_eq!(tips(&sent[0])["group"]["status"], 2);
}

#[tokio::test]
async fn info_mute_and_member_info_notifications() {
    let w = World::new(&["o", "a", "m"]).await;
    let gid = w.group("400", "o", &["a"], &["m"]).await;
    w.rec.take();
    let set = SetGroupInfoReq {
        group_info_for_set: Some(GroupInfoForSet {
            group_id: gid.clone(),
            group_name: "new".into(),
            notification: "notice".into(),
            introduction: "intro".into(),
            ..GroupInfoForSet::default()
        }),
    };
    w.svc.set_group_info(&w.user("a"), set).await.expect("set info");
    let sent = w.rec.take();
    let types: Vec<i32> = sent.iter().map(|n| n.content_type).collect();
    assert_eq!(types, [1519, 1520, 1502]);
    let is_send: Vec<bool> = sent.iter().map(|n| n.is_send_msg).collect();
    assert_eq!(is_send, [true, true, false]);
    assert!(sent.iter().all(|n| n.session_type == 3 && n.recv_id == gid));
    assert_eq!(sent[0].sender_nickname, "nick-a", "1519 names the operator");
    assert_eq!(tips(&sent[2])["group"]["notification"], "notice");
    assert_eq!(tips(&sent[2])["group"]["notificationUserID"], "a");
    assert_eq!(
        keys(&tips(&sent[2])),
        sorted(&["opUser", "muteTime", "group", "groupMemberVersion", "groupMemberVersionID"])
    );

    let ex =
        SetGroupInfoExReq { group_id: gid.clone(), notification: Some(String::new()), ..SetGroupInfoExReq::default() };
    w.svc.set_group_info_ex(&w.user("o"), ex).await.expect("clear notice");
    let sent = w.rec.take();
    assert_eq!(sent.iter().map(|n| (n.content_type, n.is_send_msg)).collect::<Vec<_>>(), [(1519, false)]);

    w.svc
        .mute_group_member(
            &w.user("a"),
            MuteGroupMemberReq { group_id: gid.clone(), user_id: "m".into(), muted_seconds: 60 },
        )
        .await
        .expect("mute");
    w.svc
        .cancel_mute_group_member(&w.user("a"), CancelMuteGroupMemberReq { group_id: gid.clone(), user_id: "m".into() })
        .await
        .expect("unmute");
    w.svc.mute_group(&w.user("a"), MuteGroupReq { group_id: gid.clone() }).await.expect("mute group");
    w.svc.cancel_mute_group(&w.user("a"), CancelMuteGroupReq { group_id: gid.clone() }).await.expect("unmute group");
    let sent = w.rec.take();
    assert_eq!(sent.iter().map(|n| n.content_type).collect::<Vec<_>>(), [1512, 1513, 1514, 1515]);
    assert!(sent.iter().all(|n| n.is_send_msg && n.session_type == 3 && n.group_id == gid));
    let muted = tips(&sent[0]);
    assert_eq!(
        (muted["mutedSeconds"].clone(), muted["mutedUser"]["userID"].clone()),
        (Value::from(60), Value::from("m"))
    );
    assert_eq!(muted["mutedUser"]["muteEndTime"], 1_700_000_000_000i64 + 60_000);
    assert_eq!(tips(&sent[1])["mutedUser"]["muteEndTime"], 0);

    let info = SetGroupMemberInfo {
        group_id: gid.clone(),
        user_id: "m".into(),
        nickname: Some("group nick".into()),
        role_level: Some(60),
        ..SetGroupMemberInfo::default()
    };
    w.svc
        .set_group_member_info(&w.user("o"), SetGroupMemberInfoReq { members: vec![info] })
        .await
        .expect("member info");
    let sent = w.rec.take();
    assert_eq!(
        sent.iter().map(|n| (n.content_type, n.is_send_msg)).collect::<Vec<_>>(),
        [(1517, false), (1516, false)]
    );
    let t = tips(&sent[0]);
    assert_eq!(t["changedUser"]["nickname"], "group nick");
    assert_eq!(t["changedUser"]["roleLevel"], 60);
    assert!(t["groupSortVersion"].as_u64().unwrap_or(0) > 0, "a role change moves the sort version");
    let back = SetGroupMemberInfo {
        group_id: gid.clone(),
        user_id: "m".into(),
        role_level: Some(20),
        ..SetGroupMemberInfo::default()
    };
    w.svc.set_group_member_info(&w.user("o"), SetGroupMemberInfoReq { members: vec![back] }).await.expect("demote");
    assert_eq!(w.rec.take().iter().map(|n| n.content_type).collect::<Vec<_>>(), [1518]);
}
