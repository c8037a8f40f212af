//! Version-log sync of joined groups and members after create, invite, kick, role and info
//! changes; full ID lists with idHash; the batch's dismissed-skip and 500 cap.

mod common;

use common::World;
use im_group::hash::id_hash;
use im_wire::pb::group::*;
use im_wire::pb::sdkws::GroupInfoForSet;

fn ids(members: &[im_wire::pb::sdkws::GroupMemberFullInfo]) -> Vec<String> {
    let mut v: Vec<String> = members.iter().map(|m| m.user_id.clone()).collect();
    v.sort();
    v
}

fn inc(gid: &str, vid: &str, version: u64) -> GetIncrementalGroupMemberReq {
    GetIncrementalGroupMemberReq { group_id: gid.into(), version_id: vid.into(), version }
}

#[tokio::test]
async fn member_log_follows_create_invite_kick() {
    let w = World::new(&["o", "m1", "m2", "n1", "n2", "out"]).await;
    let gid = w.group("500", "o", &[], &["m1", "m2"]).await;
    let o = w.user("o");

    // A client without a version gets `full` with the group, right after the create.
    let full = w.svc.get_incremental_group_members(&o, inc(&gid, "", 0)).await.expect("full");
    assert!(full.full && full.insert.is_empty());
    assert_eq!(full.group.as_ref().map(|g| g.member_count), Some(3));
    let (vid, v1) = (full.version_id.clone(), full.version);
    assert_eq!(v1, 1, "create logs all founding members as one version");
    let same = w.svc.get_incremental_group_members(&o, inc(&gid, &vid, v1)).await.expect("same");
    assert!(!same.full && same.insert.is_empty() && same.delete.is_empty() && same.group.is_none());

    // Invite: the two appear as inserts with their full info; the group rides along.
    let invite = InviteUserToGroupReq {
        group_id: gid.clone(),
        invited_user_ids: vec!["n1".into(), "n2".into()],
        ..Default::default()
    };
    w.svc.invite_user_to_group(&o, invite).await.expect("invite");
    let d = w.svc.get_incremental_group_members(&o, inc(&gid, &vid, v1)).await.expect("after invite");
    assert!(!d.full);
    assert_eq!(ids(&d.insert), ["n1", "n2"]);
    assert_eq!(d.insert[0].nickname, "nick-n1", "members are populated from the profile");
    assert_eq!(d.insert[0].inviter_user_id, "o");
    assert_eq!(d.group.as_ref().map(|g| g.member_count), Some(5));
    let v2 = d.version;

    // Kick: a delete; the kicked member's sync ends with 1002.
    let kick = KickGroupMemberReq {
        group_id: gid.clone(),
        kicked_user_ids: vec!["m1".into()],
        reason: String::new(),
        send_message: None,
    };
    w.svc.kick_group(&o, kick).await.expect("kick");
    let d = w.svc.get_incremental_group_members(&o, inc(&gid, &vid, v2)).await.expect("after kick");
    assert_eq!((d.delete.clone(), d.insert.len()), (vec!["m1".to_string()], 0));
    let gone = w.svc.get_incremental_group_members(&w.user("m1"), inc(&gid, &vid, v2)).await;
    assert_eq!(gone.expect_err("kicked").code, 1002);
    // From the create version: n1, n2 inserted, m1 deleted.
    let all = w.svc.get_incremental_group_members(&o, inc(&gid, &vid, v1)).await.expect("since create");
    assert_eq!((ids(&all.insert), all.delete.clone()), (vec!["n1".to_string(), "n2".into()], vec!["m1".to_string()]));

    // Role change: an update plus a sort version; group info change: only the group.
    let v3 = d.version;
    let role =
        SetGroupMemberInfo { group_id: gid.clone(), user_id: "n1".into(), role_level: Some(60), ..Default::default() };
    w.svc.set_group_member_info(&o, SetGroupMemberInfoReq { members: vec![role] }).await.expect("role");
    let d = w.svc.get_incremental_group_members(&o, inc(&gid, &vid, v3)).await.expect("after role");
    assert_eq!(ids(&d.update), ["n1"]);
    assert_eq!(d.update[0].role_level, 60);
    assert!(d.sort_version > v3);
    let v4 = d.version;
    let set = SetGroupInfoReq {
        group_info_for_set: Some(GroupInfoForSet {
            group_id: gid.clone(),
            introduction: "i".into(),
            ..Default::default()
        }),
    };
    w.svc.set_group_info(&o, set).await.expect("info");
    let d = w.svc.get_incremental_group_members(&o, inc(&gid, &vid, v4)).await.expect("after info");
    assert!(d.update.is_empty() && d.insert.is_empty() && d.delete.is_empty(), "the group element is not a member");
    assert_eq!(d.group.as_ref().map(|g| g.introduction.as_str()), Some("i"));
    assert_eq!(d.sort_version, 0);

    // An unknown versionID is full.
    assert!(w.svc.get_incremental_group_members(&o, inc(&gid, "ffffffffffffffffffffffff", 1)).await.expect("x").full);

    // Full member IDs, with idHash.
    let req = GetFullGroupMemberUserIdsReq { id_hash: 0, group_id: gid.clone() };
    let f = w.svc.get_full_group_member_user_ids(&o, req).await.expect("full ids");
    assert_eq!(f.user_ids, ["m2", "n1", "n2", "o"]);
    assert!(!f.equal);
    let req = GetFullGroupMemberUserIdsReq { id_hash: id_hash(&f.user_ids), group_id: gid.clone() };
    let same = w.svc.get_full_group_member_user_ids(&o, req).await.expect("full ids");
    assert!(same.equal && same.user_ids.is_empty());
    assert_eq!(same.version, d.version);
    let outsider = GetFullGroupMemberUserIdsReq { id_hash: 0, group_id: gid.clone() };
    assert_eq!(w.svc.get_full_group_member_user_ids(&w.user("out"), outsider).await.expect_err("outsider").code, 1002);
}

#[tokio::test]
async fn joined_group_log_follows_the_user() {
    let w = World::new(&["o", "u"]).await;
    let u = w.user("u");
    let req = |vid: &str, version| GetIncrementalJoinGroupReq { user_id: "u".into(), version_id: vid.into(), version };
    // Before anything: the log exists with version 0 and answers full.
    let start = w.svc.get_incremental_join_groups(&u, req("", 0)).await.expect("start");
    assert!(start.full);
    let g1 = w.group("601", "o", &[], &["u"]).await;
    let g2 = w.group("602", "o", &[], &[]).await;
    let full = w.svc.get_incremental_join_groups(&u, req("", 0)).await.expect("full");
    assert!(full.full);
    let (vid, v) = (full.version_id.clone(), full.version);
    let invite =
        InviteUserToGroupReq { group_id: g2.clone(), invited_user_ids: vec!["u".into()], ..Default::default() };
    w.svc.invite_user_to_group(&w.user("o"), invite).await.expect("invite");
    let d = w.svc.get_incremental_join_groups(&u, req(&vid, v)).await.expect("after invite");
    assert!(!d.full);
    assert_eq!(d.insert.iter().map(|g| g.group_id.as_str()).collect::<Vec<_>>(), [g2.as_str()]);
    assert_eq!(d.insert[0].member_count, 2);
    w.svc.quit_group(&u, QuitGroupReq { group_id: g1.clone(), user_id: String::new() }).await.expect("quit");
    let d = w.svc.get_incremental_join_groups(&u, req(&vid, v)).await.expect("after quit");
    assert_eq!(d.delete, vec![g1.clone()]);
    assert_eq!(d.insert.len(), 1);

    let f = w
        .svc
        .get_full_join_group_ids(&u, GetFullJoinGroupIdsReq { id_hash: 0, user_id: "u".into() })
        .await
        .expect("ids");
    assert_eq!(f.group_ids, vec![g2.clone()]);
    let again = GetFullJoinGroupIdsReq { id_hash: id_hash(&f.group_ids), user_id: "u".into() };
    assert!(w.svc.get_full_join_group_ids(&u, again).await.expect("ids").equal);
}

#[tokio::test]
async fn batch_skips_dismissed_groups_and_stops_at_500_changes() {
    let mut users: Vec<String> = (0..150).map(|i| format!("u{i:03}")).collect();
    users.push("o".into());
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let w = World::new(&refs).await;
    let o = w.user("o");
    let mut reqs = Vec::new();
    for g in ["701", "702", "703", "704", "705"] {
        let gid = w.group(g, "o", &[], &[]).await;
        let head = w.svc.get_incremental_group_members(&o, inc(&gid, "", 0)).await.expect("head");
        let invite = InviteUserToGroupReq {
            group_id: gid.clone(),
            invited_user_ids: users[..150].to_vec(),
            ..Default::default()
        };
        w.svc.invite_user_to_group(&o, invite).await.expect("invite");
        reqs.push(inc(&gid, &head.version_id, head.version));
    }
    let dismissed = w.group("700", "o", &[], &[]).await;
    w.svc
        .dismiss_group(&o, DismissGroupReq { group_id: dismissed.clone(), delete_member: false, send_message: None })
        .await
        .expect("dismiss");
    reqs.insert(0, inc(&dismissed, "", 0));
    let resp = w
        .svc
        .get_incremental_group_members_batch(
            &o,
            BatchGetIncrementalGroupMemberReq { user_id: "o".into(), req_list: reqs },
        )
        .await
        .expect("batch");
    assert!(!resp.resp_list.contains_key(&dismissed), "dismissed groups are skipped");
    // 150 inserts per group: the 4th group brings the total to 600 ≥ 500, the 5th is not added.
    let mut got: Vec<&String> = resp.resp_list.keys().collect();
    got.sort();
    assert_eq!(got, ["701", "702", "703", "704"]);
    assert!(resp.resp_list.values().all(|r| r.insert.len() == 150 && !r.full));
    let single = w.svc.get_incremental_group_members(&o, inc(&dismissed, "", 0)).await;
    assert_eq!(single.expect_err("dismissed").code, 1204);
}

#[tokio::test]
async fn more_than_200_changes_is_full() {
    let users: Vec<String> = (0..201).map(|i| format!("p{i:03}")).collect();
    let mut refs: Vec<&str> = users.iter().map(String::as_str).collect();
    refs.push("o");
    let w = World::new(&refs).await;
    let o = w.user("o");
    let gid = w.group("800", "o", &[], &[]).await;
    let head = w.svc.get_incremental_group_members(&o, inc(&gid, "", 0)).await.expect("head");
    let invite = InviteUserToGroupReq { group_id: gid.clone(), invited_user_ids: users.clone(), ..Default::default() };
    w.svc.invite_user_to_group(&o, invite).await.expect("invite");
    let d = w.svc.get_incremental_group_members(&o, inc(&gid, &head.version_id, head.version)).await.expect("sync");
    assert!(d.full && d.insert.is_empty());
    assert_eq!(d.group.as_ref().map(|g| g.member_count), Some(202));
}
