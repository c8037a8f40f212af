//! Friend operations on the in-memory reference store: documented errors, relation semantics,
//! ordering and pagination, the relation port.

mod common;

use common::*;
use im_domain::ports::RelationQuery;
use im_friend::{FriendPatch, PageSel};
use im_repo::version::id_hash;

fn page(number: i32, show: i32) -> PageSel {
    PageSel { number, show }
}

#[tokio::test]
async fn apply_errors_and_reapply() {
    let f = Fixture::new(&["a", "b", "c"]).await;
    let t = &f.t;
    assert_eq!(f.svc.apply(t, "a", "", "", "").await.unwrap_err().dlt, "toUserID is empty");
    assert_eq!(f.svc.apply(t, "a", "a", "", "").await.unwrap_err().code, 1301);
    assert_eq!(f.svc.apply(t, "a", "nobody", "", "").await.unwrap_err().code, 1101);
    f.svc.add_black(t, "b", "b", "a", "").await.unwrap();
    assert_eq!(f.svc.apply(t, "a", "b", "", "").await.unwrap_err().code, 1302, "b blocked a");
    // Blocking is directional: b may still apply to a.
    f.svc.apply(t, "b", "a", "first", "").await.unwrap();
    f.svc.remove_black(t, "b", "a").await.unwrap();

    f.svc.import(t, "adm", "a", &ids(&["c"])).await.unwrap();
    assert_eq!(f.svc.apply(t, "a", "c", "", "").await.unwrap_err().code, 1304);
    // One-directional friendship is not "already friends".
    f.svc.delete(t, "c", "a").await.unwrap();
    f.svc.apply(t, "a", "c", "again", "").await.unwrap();

    // A repeated application replaces the previous one and is pending again.
    f.svc.respond(t, "a", "b", "a", -1, "no").await.unwrap();
    f.clock.advance(5);
    f.svc.apply(t, "b", "a", "second", "e").await.unwrap();
    let (reqs, total) = f.svc.requests_to(t, "a", page(1, 10), &[]).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!((reqs[0].req_msg.as_str(), reqs[0].handle_result, reqs[0].ex.as_str()), ("second", 0, "e"));
    assert_eq!(reqs[0].create_time, T0 + 5);
}

#[tokio::test]
async fn respond_semantics() {
    let f = Fixture::new(&["a", "b"]).await;
    let t = &f.t;
    assert_eq!(f.svc.respond(t, "b", "a", "b", 1, "").await.unwrap_err().code, 1004, "no application");
    f.svc.apply(t, "a", "b", "", "").await.unwrap();
    f.svc.apply(t, "b", "a", "", "").await.unwrap();
    for bad in [0, 2, -2] {
        assert_eq!(f.svc.respond(t, "b", "a", "b", bad, "").await.unwrap_err().code, 1001, "{bad}");
    }
    f.svc.respond(t, "b", "a", "b", 1, "ok").await.unwrap();
    assert_eq!(f.svc.is_friend(t, "a", "b").await.unwrap(), (true, true));
    let rows = f.svc.repo().friend_rows(t, "a", &ids(&["b"])).await.unwrap();
    assert_eq!((rows["b"].add_source, rows["b"].operator_user_id.as_str()), (2, "a"));
    assert_eq!(f.svc.respond(t, "b", "a", "b", 1, "").await.unwrap_err().code, 1305);
    assert_eq!(f.svc.respond(t, "b", "a", "b", -1, "").await.unwrap_err().code, 1305);
    // b's own pending application to a was agreed with it.
    assert_eq!(f.svc.respond(t, "a", "b", "a", 1, "").await.unwrap_err().code, 1305);
    let mine = f.svc.designated_requests(t, "b", "a").await.unwrap();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|r| r.handle_result == 1 && r.handler_user_id == "b"));
}

#[tokio::test]
async fn delete_is_one_directional_and_rows_survive_reagreement() {
    let f = Fixture::new(&["a", "b", "adm"]).await;
    let t = &f.t;
    f.svc.import(t, "adm", "a", &ids(&["b"])).await.unwrap();
    f.svc.set_remark(t, "b", "a", "Alice!").await.unwrap();
    f.svc.delete(t, "a", "b").await.unwrap();
    assert_eq!(f.svc.is_friend(t, "a", "b").await.unwrap(), (false, true));
    assert_eq!(f.svc.delete(t, "a", "b").await.unwrap_err().code, 1004);
    f.svc.apply(t, "a", "b", "", "").await.unwrap();
    f.svc.respond(t, "b", "a", "b", 1, "").await.unwrap();
    assert_eq!(f.svc.is_friend(t, "a", "b").await.unwrap(), (true, true));
    let kept = f.svc.repo().friend_rows(t, "b", &ids(&["a"])).await.unwrap();
    assert_eq!((kept["a"].remark.as_str(), kept["a"].add_source), ("Alice!", 1), "b's row was kept");
    // Importing existing friends keeps their rows too.
    f.svc.import(t, "adm", "b", &ids(&["a"])).await.unwrap();
    let kept = f.svc.repo().friend_rows(t, "b", &ids(&["a"])).await.unwrap();
    assert_eq!(kept["a"].remark, "Alice!");
}

#[tokio::test]
async fn import_errors() {
    let f = Fixture::new(&["o", "a", "adm"]).await;
    let t = &f.t;
    assert_eq!(f.svc.import(t, "adm", "o", &[]).await.unwrap_err().code, 1001);
    assert_eq!(f.svc.import(t, "adm", "o", &ids(&["a", "ghost"])).await.unwrap_err().code, 1101);
    assert_eq!(f.svc.import(t, "adm", "o", &ids(&["a", "o"])).await.unwrap_err().code, 1301);
    assert_eq!(f.svc.import(t, "adm", "o", &ids(&["a", "a"])).await.unwrap_err().code, 1001);
    assert!(f.svc.friend_ids(t, "o").await.unwrap().is_empty(), "nothing written on errors");
}

#[tokio::test]
async fn friend_list_order_pages_and_lookups() {
    let users = ["o", "f1", "f2", "f3", "f4", "f5", "adm"];
    let f = Fixture::new(&users).await;
    let t = &f.t;
    for id in ["f3", "f1", "f5", "f2", "f4"] {
        f.clock.advance(1000);
        f.svc.import(t, "adm", "o", &ids(&[id])).await.unwrap();
    }
    f.svc
        .update_friends(t, "o", &ids(&["f2"]), &FriendPatch { is_pinned: Some(true), ..Default::default() })
        .await
        .unwrap();
    let order = f.svc.friend_ids(t, "o").await.unwrap();
    assert_eq!(order, ["f2", "f3", "f1", "f5", "f4"], "pinned first, then by creation");
    let (p2, total) = f.svc.friend_page(t, "o", page(2, 2)).await.unwrap();
    assert_eq!(total, 5);
    let got: Vec<&str> = p2.iter().filter_map(|i| i.friend_user.as_ref()).map(|u| u.user_id.as_str()).collect();
    assert_eq!(got, ["f1", "f5"]);
    assert_eq!(p2[0].create_time, (T0 + 2000) / 1000, "friend lists show seconds [quirk]");
    assert_eq!(p2[0].friend_user.as_ref().map(|u| u.nickname.as_str()), Some("F1"));
    let (all, _) = f.svc.friend_page(t, "o", page(1, 0)).await.unwrap();
    assert_eq!(all.len(), 5, "showNumber 0 = everything");

    let d = f.svc.designated_friends(t, "o", &ids(&["f4", "nobody", "f3"])).await.unwrap();
    assert_eq!(d.iter().map(|i| i.owner_user_id.as_str()).collect::<Vec<_>>(), ["o", "o"]);
    assert_eq!(d[0].friend_user.as_ref().map(|u| u.user_id.as_str()), Some("f4"));
    assert_eq!(f.svc.designated_friends(t, "o", &ids(&["f4", "f4"])).await.unwrap_err().code, 1001);

    f.svc.add_black(t, "adm", "o", "f5", "").await.unwrap();
    let info = f.svc.specified_info(t, "o", &ids(&["f5", "adm", "ghost"])).await.unwrap();
    assert_eq!(info.len(), 2, "unknown users are skipped");
    let f5 = &info[0];
    assert_eq!(f5.user_info.as_ref().map(|u| u.nickname.as_str()), Some("F5"));
    let fi = f5.friend_info.as_ref().expect("friend");
    assert_eq!((fi.create_time, fi.friend_user.is_none()), (T0 + 3000, true), "ms here, no friendUser [quirk]");
    let bi = f5.black_info.as_ref().expect("black");
    assert_eq!((bi.operator_user_id.as_str(), bi.black_user_info.is_none()), ("adm", true));
    assert!(info[1].friend_info.is_none() && info[1].black_info.is_none());
    assert_eq!(f.svc.specified_info(t, "o", &[]).await.unwrap_err().code, 1001);

    let full = f.svc.full_ids(t, "o", 0).await.unwrap();
    assert_eq!((full.equal, full.user_ids.clone()), (false, order.clone()));
    assert_eq!(full.version, 6);
    let same = f.svc.full_ids(t, "o", id_hash(&order)).await.unwrap();
    assert!(same.equal && same.user_ids.is_empty());
}

#[tokio::test]
async fn application_lists_and_counts() {
    let f = Fixture::new(&["a", "b", "c", "d"]).await;
    let t = &f.t;
    for from in ["b", "c", "d"] {
        f.clock.advance(2000);
        f.svc.apply(t, from, "a", from, "").await.unwrap();
    }
    f.svc.respond(t, "a", "c", "a", -1, "").await.unwrap();
    let (all, total) = f.svc.requests_to(t, "a", page(1, 2), &[]).await.unwrap();
    assert_eq!(total, 3);
    assert_eq!(all.iter().map(|r| r.from_user_id.as_str()).collect::<Vec<_>>(), ["d", "c"], "newest first");
    let (pending, total) = f.svc.requests_to(t, "a", page(1, 10), &[0]).await.unwrap();
    assert_eq!((total, pending.len()), (2, 2));
    let (sent, total) = f.svc.requests_from(t, "c", page(1, 10), &[]).await.unwrap();
    assert_eq!((total, sent[0].to_user_id.as_str(), sent[0].handle_result), (1, "a", -1));
    assert_eq!(f.svc.unhandled_count(t, "a", 0).await.unwrap(), 2);
    // [quirk] `time` is in seconds: only d's application (at T0+6s) is after T0+5s.
    assert_eq!(f.svc.unhandled_count(t, "a", (T0 + 5000) / 1000).await.unwrap(), 1);
    assert!(f.svc.requests_to(t, "a", page(1, 10), &[1]).await.unwrap().0.is_empty());
}

#[tokio::test]
async fn update_friends_errors() {
    let f = Fixture::new(&["o", "a", "adm"]).await;
    let t = &f.t;
    f.svc.import(t, "adm", "o", &ids(&["a"])).await.unwrap();
    let patch = FriendPatch { remark: Some("r".into()), ex: Some("e".into()), ..FriendPatch::default() };
    assert_eq!(f.svc.update_friends(t, "o", &[], &patch).await.unwrap_err().code, 1001);
    assert_eq!(f.svc.update_friends(t, "o", &ids(&["a", "a"]), &patch).await.unwrap_err().code, 1001);
    assert_eq!(f.svc.update_friends(t, "o", &ids(&["a", "adm"]), &patch).await.unwrap_err().code, 1004);
    f.svc.update_friends(t, "o", &ids(&["a"]), &patch).await.unwrap();
    let row = &f.svc.repo().friend_rows(t, "o", &ids(&["a"])).await.unwrap()["a"];
    assert_eq!((row.remark.as_str(), row.ex.as_str(), row.is_pinned), ("r", "e", false));
}

#[tokio::test]
async fn relation_port() {
    let f = Fixture::new(&["a", "b", "adm"]).await;
    let t = &f.t;
    let q: &dyn RelationQuery = f.svc.repo();
    assert!(!q.is_friend(t, "a", "b").await.unwrap());
    f.svc.import(t, "adm", "a", &ids(&["b"])).await.unwrap();
    f.svc.delete(t, "b", "a").await.unwrap();
    assert!(q.is_friend(t, "a", "b").await.unwrap());
    assert!(!q.is_friend(t, "b", "a").await.unwrap());
    f.svc.add_black(t, "b", "b", "a", "").await.unwrap();
    assert!(q.is_blocked(t, "b", "a").await.unwrap());
    assert!(!q.is_blocked(t, "a", "b").await.unwrap());
    let other = im_domain::TenantId::parse("other").unwrap();
    assert!(!q.is_blocked(&other, "b", "a").await.unwrap(), "tenants are separate");
}

#[tokio::test]
async fn incremental_sync_at_the_domain() {
    let f = Fixture::new(&["o", "a", "b", "adm"]).await;
    let t = &f.t;
    let start = f.svc.incremental(t, "o", "", 0).await.unwrap();
    assert!(start.full);
    f.svc.import(t, "adm", "o", &ids(&["a", "b"])).await.unwrap();
    let c = f.svc.incremental(t, "o", &start.version_id, start.version).await.unwrap();
    assert!(!c.full);
    assert_eq!(c.insert.len(), 2);
    f.svc
        .update_friends(t, "o", &ids(&["a"]), &FriendPatch { is_pinned: Some(true), ..Default::default() })
        .await
        .unwrap();
    f.svc.delete(t, "o", "b").await.unwrap();
    let d = f.svc.incremental(t, "o", &c.version_id, c.version).await.unwrap();
    assert_eq!(d.delete, ["b"]);
    assert_eq!(d.update.len(), 1, "the sort marker is not an element");
    assert_eq!(d.sort_version, start.version + 2, "the pin was the second change");
    let same = f.svc.incremental(t, "o", &d.version_id, d.version).await.unwrap();
    assert!(!same.full && same.insert.is_empty() && same.update.is_empty() && same.delete.is_empty());
    assert_eq!(same.sort_version, 0);
    assert!(f.svc.incremental(t, "o", "000000000000000000000000", 1).await.unwrap().full);
}
