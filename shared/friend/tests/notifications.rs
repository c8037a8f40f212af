//! Notifications each operation sends (reference §6.6, A.11): content type, sender and
//! recipient, session type 1, options, and the keys of the tips JSON in `detail`.

mod common;

use common::*;
use im_domain::ports::{Notification, Reliability};
use im_friend::{FriendPatch, PageSel};
use serde_json::json;

fn one(notes: Vec<Notification>) -> Notification {
    assert_eq!(notes.len(), 1, "{notes:#?}");
    notes.into_iter().next().expect("one notification")
}

fn check(n: &Notification, content_type: i32, send: &str, recv: &str) {
    assert_eq!((n.content_type, n.send_id.as_str(), n.recv_id.as_str()), (content_type, send, recv), "{n:#?}");
    assert_eq!((n.session_type, n.group_id.as_str()), (1, ""));
    assert_eq!(n.reliability, Reliability::OnlineOnly);
    assert!(!n.unread_count);
    assert_eq!(n.is_send_msg, content_type == 1201, "isSendMsg only for 1201");
    assert_eq!(n.offline_push, (1201..=1203).contains(&content_type), "offline push only for 1201-1203");
}

const REQUEST_KEYS: [&str; 13] = [
    "createTime",
    "ex",
    "fromFaceURL",
    "fromNickname",
    "fromUserID",
    "handleMsg",
    "handleResult",
    "handleTime",
    "handlerUserID",
    "reqMsg",
    "toFaceURL",
    "toNickname",
    "toUserID",
];

#[tokio::test]
async fn application_and_answers() {
    let f = Fixture::new(&["alice", "bob", "carol"]).await;
    f.svc.apply(&f.t, "alice", "bob", "hi bob", "x").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1203, "alice", "bob");
    assert_eq!(n.sender_nickname, "ALICE");
    let d = detail(&n);
    assert_eq!(keys(&d), ["fromToUserID", "request"]);
    assert_eq!(d["fromToUserID"], json!({"fromUserID": "alice", "toUserID": "bob"}));
    assert_eq!(keys(&d["request"]), REQUEST_KEYS);
    assert_eq!((d["request"]["reqMsg"].clone(), d["request"]["toNickname"].clone()), (json!("hi bob"), json!("BOB")));
    assert_eq!(d["request"]["createTime"], json!(T0));

    f.clock.advance(1000);
    f.svc.respond(&f.t, "bob", "alice", "bob", 1, "welcome").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1201, "bob", "alice");
    let d = detail(&n);
    assert_eq!(keys(&d), ["friendVersion", "friendVersionID", "fromToUserID", "handleMsg", "request"]);
    assert_eq!(d["handleMsg"], "welcome");
    assert_eq!(d["friendVersion"], 1, "alice's friend log gained bob");
    assert_eq!(d["friendVersionID"].as_str().map(str::len), Some(24));
    assert_eq!((d["request"]["handleResult"].clone(), d["request"]["handlerUserID"].clone()), (json!(1), json!("bob")));
    assert_eq!(d["request"]["handleTime"], json!(T0 + 1000));

    f.svc.apply(&f.t, "carol", "bob", "", "").await.unwrap();
    f.notes.take();
    f.svc.respond(&f.t, "bob", "carol", "bob", -1, "no").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1202, "bob", "carol");
    let d = detail(&n);
    assert_eq!(keys(&d), ["fromToUserID", "handleMsg", "request"]);
    assert_eq!(d["request"]["handleResult"], -1);
}

#[tokio::test]
async fn list_changes() {
    let f = Fixture::new(&["o", "a", "b", "adm"]).await;
    f.svc.import(&f.t, "adm", "o", &ids(&["a", "b"])).await.unwrap();
    let notes = f.notes.take();
    assert_eq!(notes.len(), 2);
    for (n, to) in notes.iter().zip(["a", "b"]) {
        check(n, 1204, "o", to);
        let d = detail(n);
        assert_eq!(keys(&d), ["friend", "friendVersion", "friendVersionID", "opUser", "operationTime"]);
        assert_eq!(d["opUser"]["userID"], "adm");
        assert_eq!(d["friend"]["friendUser"]["userID"], to);
        assert_eq!(d["friend"]["addSource"], 1);
        assert_eq!(d["friendVersion"], 1, "one version for the whole import");
    }

    f.svc.set_remark(&f.t, "o", "a", "Andy").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1206, "o", "a");
    let d = detail(&n);
    assert_eq!(keys(&d), ["friendSortVersion", "friendVersion", "friendVersionID", "fromToUserID"]);
    assert_eq!(d["friendVersion"], 2);

    let pin = FriendPatch { is_pinned: Some(true), ..FriendPatch::default() };
    f.svc.update_friends(&f.t, "o", &ids(&["a", "b"]), &pin).await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1210, "o", "o");
    let d = detail(&n);
    assert_eq!(keys(&d), ["friendIDs", "friendVersion", "friendVersionID", "fromToUserID"]);
    assert_eq!(d["friendIDs"], json!(["a", "b"]));
    assert_eq!(d["fromToUserID"]["toUserID"], "o");

    let remark = FriendPatch { remark: Some("r".into()), ..FriendPatch::default() };
    f.svc.update_friends(&f.t, "o", &ids(&["b"]), &remark).await.unwrap();
    let notes = f.notes.take();
    let types: Vec<i32> = notes.iter().map(|n| n.content_type).collect();
    assert_eq!(types, [1210, 1206], "a remark change also sends 1206 per friend");
    check(&notes[1], 1206, "o", "b");

    f.svc.delete(&f.t, "o", "b").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1205, "o", "b");
    let d = detail(&n);
    assert_eq!(keys(&d), ["friendVersion", "friendVersionID", "fromToUserID"]);
    assert_eq!(d["fromToUserID"], json!({"fromUserID": "o", "toUserID": "b"}));

    f.svc.user_info_changed(&f.t, "a").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1209, "a", "o");
    assert_eq!(detail(&n), json!({"userID": "a"}));
}

#[tokio::test]
async fn blacklist_changes() {
    let f = Fixture::new(&["o", "x"]).await;
    f.svc.add_black(&f.t, "o", "o", "x", "why").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1207, "o", "x");
    assert_eq!(detail(&n), json!({"fromToUserID": {"fromUserID": "o", "toUserID": "x"}}));
    // Blocking again changes nothing and says nothing.
    f.svc.add_black(&f.t, "o", "o", "x", "").await.unwrap();
    assert!(f.notes.take().is_empty());
    let (page, total) = f.svc.black_page(&f.t, "o", PageSel { number: 1, show: 10 }).await.unwrap();
    assert_eq!((page.len(), total, page[0].ex.as_str()), (1, 1, "why"));

    f.svc.remove_black(&f.t, "o", "x").await.unwrap();
    let n = one(f.notes.take());
    check(&n, 1208, "o", "x");
    assert_eq!(keys(&detail(&n)), ["fromToUserID"]);
    f.svc.remove_black(&f.t, "o", "x").await.unwrap();
    assert!(f.notes.take().is_empty(), "nothing removed, nothing sent");
}

#[tokio::test]
async fn failures_send_nothing() {
    let f = Fixture::new(&["a", "b"]).await;
    assert_eq!(f.svc.apply(&f.t, "a", "a", "", "").await.unwrap_err().code, 1301);
    assert_eq!(f.svc.respond(&f.t, "b", "a", "b", 1, "").await.unwrap_err().code, 1004);
    assert_eq!(f.svc.delete(&f.t, "a", "b").await.unwrap_err().code, 1004);
    assert_eq!(f.svc.set_remark(&f.t, "a", "b", "r").await.unwrap_err().code, 1004);
    assert!(f.notes.take().is_empty());
}
