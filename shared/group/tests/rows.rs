//! The members' `sg_` conversation rows (§6.3): created on join, `maxSeq` set to the group's
//! current max seq on leave (deleted when there is no message yet), reset to 0 on rejoin; and
//! the GroupQuery port the send path uses.

mod common;

use common::World;
use im_domain::ports::GroupQuery;
use im_domain::store::{Consistency, Item, Update};
use im_group::{GroupRepo, keys};
use im_wire::pb::group::*;

async fn row(w: &World, user: &str, gid: &str) -> Option<Item> {
    let key = keys::conversation(&w.t, user, &format!("sg_{gid}"));
    w.store.get(&key, Consistency::Strong).await.expect("get row")
}

#[tokio::test]
async fn rows_follow_joins_and_leaves() {
    let w = World::new(&["o", "m", "k", "n"]).await;
    let gid = w.group("900", "o", &[], &["m", "k"]).await;
    for u in ["o", "m", "k"] {
        let r = row(&w, u, &gid).await.expect("row created with the group");
        assert_eq!((r.n("conversationType"), r.s("groupID")), (Some(3), Some(gid.as_str())));
        assert_eq!(r.n("maxSeq").unwrap_or(0), 0);
    }
    // No message yet: leaving deletes the row (maxSeq 0 would mean "unlimited").
    w.svc.quit_group(&w.user("k"), QuitGroupReq { group_id: gid.clone(), user_id: String::new() }).await.expect("quit");
    assert!(row(&w, "k", &gid).await.is_none());

    // Seven messages later, m leaves: the row keeps m's last visible seq.
    let head = keys::seq_head(&w.t, &format!("sg_{gid}"));
    w.store.update(&head, &Update::new().set("max", 7i64), None).await.expect("seq head");
    w.svc.quit_group(&w.user("m"), QuitGroupReq { group_id: gid.clone(), user_id: String::new() }).await.expect("quit");
    assert_eq!(row(&w, "m", &gid).await.and_then(|r| r.n("maxSeq")), Some(7));
    let changed: Vec<i32> = w.rec.take().iter().map(|n| n.content_type).collect();
    assert!(changed.contains(&1300), "the leaver hears of the conversation change: {changed:?}");

    // Rejoining resets it to 0 (unlimited); a newcomer gets a row.
    let invite = InviteUserToGroupReq {
        group_id: gid.clone(),
        invited_user_ids: vec!["m".into(), "n".into()],
        ..Default::default()
    };
    w.svc.invite_user_to_group(&w.user("o"), invite).await.expect("invite");
    assert_eq!(row(&w, "m", &gid).await.and_then(|r| r.n("maxSeq")), Some(0));
    assert!(row(&w, "n", &gid).await.is_some());

    // Kicked: same as leaving.
    let kick = KickGroupMemberReq { group_id: gid.clone(), kicked_user_ids: vec!["n".into()], ..Default::default() };
    w.svc.kick_group(&w.user("o"), kick).await.expect("kick");
    assert_eq!(row(&w, "n", &gid).await.and_then(|r| r.n("maxSeq")), Some(7));
}

#[tokio::test]
async fn group_query_port() {
    let w = World::new(&["o", "a", "m"]).await;
    let gid = w.group("901", "o", &["a"], &["m"]).await;
    let q = GroupRepo::new(w.store.clone());
    let g = q.group(&w.t, &gid).await.expect("group").expect("exists");
    assert_eq!((g.group_id.as_str(), g.member_count, g.status, g.group_type), (gid.as_str(), 3, 0, 2));
    assert!(GroupQuery::group(&q, &w.t, "nope").await.expect("query").is_none());
    let owner = GroupQuery::member(&q, &w.t, &gid, "o").await.expect("member").expect("is one");
    assert_eq!((owner.role_level, owner.mute_end_time), (100, 0));
    assert!(GroupQuery::member(&q, &w.t, &gid, "x").await.expect("member").is_none());
    let mute = MuteGroupMemberReq { group_id: gid.clone(), user_id: "m".into(), muted_seconds: 10 };
    w.svc.mute_group_member(&w.user("a"), mute).await.expect("mute");
    let m = GroupQuery::member(&q, &w.t, &gid, "m").await.expect("member").expect("is one");
    assert_eq!(m.mute_end_time, w.clock_now() + 10_000);
    assert_eq!(GroupQuery::member_ids(&q, &w.t, &gid).await.expect("ids"), ["a", "m", "o"]);
    w.svc.mute_group(&w.user("o"), MuteGroupReq { group_id: gid.clone() }).await.expect("mute group");
    assert_eq!(GroupQuery::group(&q, &w.t, &gid).await.expect("group").map(|g| g.status), Some(3));
}
