//! The read views built on seq heads and messages: the sorted list, the JS-SDK composites and the
//! simple ID queries, on conversations seeded the way the messaging module writes them.

mod support;

use im_conversation::{Actor, ConversationPatch, ConversationRecord};
use im_wire::pb::conversation::*;
use im_wire::pb::jssdk;
use serde_json::json;
use support::{Fixture, Groups, text};

/// a↔b (b sent 3, a read 1 of them by sending seq 1), a↔c (a sent last), group g (2 messages).
async fn seeded() -> Fixture {
    let f = Fixture::with_groups(Groups::default().with("g", "Gee", &["a", "b"]));
    for (id, nick) in [("a", "Ann"), ("b", "Bob"), ("c", "Cat")] {
        f.user(id, nick).await;
    }
    let r = f.svc.repo();
    r.ensure_pair(&f.t, "si_a_b", 1, "a", "b").await.unwrap();
    r.ensure_pair(&f.t, "si_a_c", 1, "a", "c").await.unwrap();
    r.ensure_rows(&f.t, &["a".into(), "b".into()], &ConversationRecord::new("sg_g", 3).with_group("g")).await.unwrap();
    f.message("si_a_b", 1, text("a", "b", 1, "", "hi b", 100)).await;
    f.message("si_a_b", 2, text("b", "a", 1, "", "hi a", 200)).await;
    f.message("si_a_b", 3, text("b", "a", 1, "", "again", 300)).await;
    f.message("si_a_c", 1, text("a", "c", 1, "", "yo c", 250)).await;
    f.message("sg_g", 1, text("b", "g", 3, "g", "hello group", 150)).await;
    f.message("sg_g", 2, text("b", "g", 3, "g", "ping", 400)).await;
    // A friend row of a for b (relation module layout).
    let friend = im_domain::store::Item::new(im_conversation::keys::friend(&f.t, "a", "b")).with("remark", "bobby");
    f.store.put(friend, None).await.unwrap();
    f
}

fn sorted_req(user: &str, page: i32, show: i32) -> GetSortedConversationListReq {
    serde_json::from_value(json!({"userID": user, "pagination": {"pageNumber": page, "showNumber": show}})).unwrap()
}

#[tokio::test]
async fn sorted_list_orders_pinned_then_latest_and_counts_unread() {
    let f = seeded().await;
    let a = Actor::new("a", false);
    let resp = f.svc.get_sorted_conversation_list(&a, &f.t, &sorted_req("a", 1, 10)).await.unwrap();
    let order: Vec<_> = resp.conversation_elems.iter().map(|e| e.conversation_id.as_str()).collect();
    assert_eq!(order, ["sg_g", "si_a_b", "si_a_c"]);
    let unread: Vec<_> = resp.conversation_elems.iter().map(|e| e.unread_count).collect();
    assert_eq!(unread, [2, 2, 0], "group: nothing read; a↔b: a's send read seq 1; a↔c: a sent last");
    assert_eq!((resp.conversation_total, resp.unread_total), (3, 4));

    let g = resp.conversation_elems[0].msg_info.as_ref().unwrap();
    assert_eq!((g.group_name.as_str(), g.group_member_count, g.sender_name.as_str()), ("Gee", 2, "Bob"));
    assert_eq!(
        (g.content.as_str(), g.latest_msg_recv_time, g.server_msg_id.as_str()),
        (r#"{"content":"ping"}"#, 400, "srv-sg_g-2")
    );
    let ab = resp.conversation_elems[1].msg_info.as_ref().unwrap();
    assert_eq!((ab.sender_name.as_str(), ab.face_url.as_str()), ("Bob", "https://face/b"));
    let ac = resp.conversation_elems[2].msg_info.as_ref().unwrap();
    assert_eq!(ac.sender_name, "Cat", "a sent it: the peer is shown");
    let v = serde_json::to_value(&resp.conversation_elems[0]).unwrap();
    assert!(v.get("IsPinned").is_some() && v["msgInfo"].get("LatestMsgRecvTime").is_some(), "{v}");

    // Pinning moves a↔c first; reading moves the pointer.
    let pin = ConversationPatch { is_pinned: Some(true), ..Default::default() };
    f.svc.repo().set_fields(&f.t, "a", &ConversationRecord::new("si_a_c", 1).with_user("c"), &pin).await.unwrap();
    f.svc.repo().advance_has_read_seq(&f.t, "a", "sg_g", 2).await.unwrap();
    let resp = f.svc.get_sorted_conversation_list(&a, &f.t, &sorted_req("a", 1, 10)).await.unwrap();
    let order: Vec<_> = resp.conversation_elems.iter().map(|e| (e.conversation_id.as_str(), e.is_pinned)).collect();
    assert_eq!(order, [("si_a_c", true), ("sg_g", false), ("si_a_b", false)]);
    assert_eq!(resp.unread_total, 2);
    // Pages.
    let p2 = f.svc.get_sorted_conversation_list(&a, &f.t, &sorted_req("a", 2, 2)).await.unwrap();
    assert_eq!(p2.conversation_elems.len(), 1);
    assert_eq!(p2.conversation_total, 3);
    // Only some IDs.
    let mut some = sorted_req("a", 1, 10);
    some.conversation_ids = vec!["si_a_b".into()];
    let one = f.svc.get_sorted_conversation_list(&a, &f.t, &some).await.unwrap();
    assert_eq!((one.conversation_total, one.unread_total), (1, 2));
}

#[tokio::test]
async fn sorted_list_errors_and_permissions() {
    let f = seeded().await;
    let a = Actor::new("a", false);
    let e = f.svc.get_sorted_conversation_list(&a, &f.t, &sorted_req("nobody", 1, 10)).await.unwrap_err();
    assert_eq!(e.code, 1002);
    let e = f.svc.get_sorted_conversation_list(&Actor::new("adm", true), &f.t, &sorted_req("nobody", 1, 10)).await;
    assert_eq!(e.unwrap_err().code, 1004);
    let e = f.svc.get_sorted_conversation_list(&a, &f.t, &sorted_req("a", 0, 10)).await.unwrap_err();
    assert_eq!((e.code, e.dlt.as_str()), (1001, "pageNumber is invalid"));
    let no_page: GetSortedConversationListReq = serde_json::from_value(json!({"userID": "a"})).unwrap();
    let e = f.svc.get_sorted_conversation_list(&a, &f.t, &no_page).await.unwrap_err();
    assert_eq!(e.dlt, "pagination is empty");
}

#[tokio::test]
async fn a_member_who_left_sees_nothing_after_leaving() {
    let f = seeded().await;
    let cap = ConversationPatch { max_seq: Some(1), ..Default::default() };
    f.svc.repo().update_existing(&f.t, &["a".to_string()], "sg_g", &cap).await.unwrap();
    let resp =
        f.svc.get_sorted_conversation_list(&Actor::new("a", false), &f.t, &sorted_req("a", 1, 10)).await.unwrap();
    let g = resp.conversation_elems.iter().find(|e| e.conversation_id == "sg_g").unwrap();
    assert_eq!(g.unread_count, 1);
    assert_eq!(g.msg_info.as_ref().unwrap().content, r#"{"content":"hello group"}"#);
}

#[tokio::test]
async fn jssdk_active_conversations_are_composites_for_the_token_user() {
    let f = seeded().await;
    let req = jssdk::GetActiveConversationsReq { owner_user_id: "b".into(), count: 2 };
    let resp = f.svc.jssdk_active_conversations(&Actor::new("a", false), &f.t, &req).await.unwrap();
    assert_eq!(resp.unread_count, 4, "every active conversation counts, not only the first `count`");
    let ids: Vec<_> =
        resp.conversations.iter().map(|c| c.conversation.as_ref().unwrap().conversation_id.as_str()).collect();
    assert_eq!(ids, ["sg_g", "si_a_b"], "token user a, by last-message time, 2 of 3");
    let g = &resp.conversations[0];
    assert_eq!((g.max_seq, g.read_seq), (2, 0));
    assert_eq!(g.group.as_ref().map(|g| g.group_name.as_str()), Some("Gee"));
    assert!(g.user.is_none() && g.friend.is_none());
    assert_eq!(g.last_msg.as_ref().map(|m| m.seq), Some(2));
    let ab = &resp.conversations[1];
    assert_eq!((ab.max_seq, ab.read_seq), (3, 1));
    assert_eq!(ab.user.as_ref().map(|u| u.nickname.as_str()), Some("Bob"));
    assert_eq!(ab.friend.as_ref().map(|f| (f.owner_user_id.as_str(), f.remark.as_str())), Some(("a", "bobby")));
    assert!(ab.group.is_none());

    // count ≤ 0 or > 500 → 100.
    for count in [0, -3, 501] {
        let req = jssdk::GetActiveConversationsReq { owner_user_id: String::new(), count };
        let resp = f.svc.jssdk_active_conversations(&Actor::new("a", false), &f.t, &req).await.unwrap();
        assert_eq!(resp.conversations.len(), 3, "count {count}");
    }
    // A user without conversations.
    let resp = f.svc.jssdk_active_conversations(&Actor::new("zed", false), &f.t, &Default::default()).await.unwrap();
    assert_eq!((resp.unread_count, resp.conversations.len()), (0, 0));
}

#[tokio::test]
async fn jssdk_get_conversations_in_request_order() {
    let f = seeded().await;
    let req = jssdk::GetConversationsReq {
        owner_user_id: "c".into(),
        conversation_ids: vec!["si_a_c".into(), "nope".into(), "si_a_b".into()],
    };
    let resp = f.svc.jssdk_conversations(&Actor::new("a", false), &f.t, &req).await.unwrap();
    let ids: Vec<_> =
        resp.conversations.iter().map(|c| c.conversation.as_ref().unwrap().conversation_id.as_str()).collect();
    assert_eq!(ids, ["si_a_c", "si_a_b"]);
    assert_eq!(resp.unread_count, 2);
    assert_eq!(resp.conversations[0].user.as_ref().map(|u| u.user_id.as_str()), Some("c"));
    assert!(resp.conversations[0].friend.is_none(), "not a friend");
}

#[tokio::test]
async fn id_queries_and_offline_push_filter() {
    let f = seeded().await;
    let a = Actor::new("a", false);
    let r = f.svc.repo();
    let mute = ConversationPatch { recv_msg_opt: Some(2), ..Default::default() };
    r.set_fields(&f.t, "a", &ConversationRecord::new("sg_g", 3).with_group("g"), &mute).await.unwrap();
    let off = ConversationPatch { recv_msg_opt: Some(1), is_pinned: Some(true), ..Default::default() };
    r.set_fields(&f.t, "b", &ConversationRecord::new("sg_g", 3).with_group("g"), &off).await.unwrap();

    let nn_req = GetNotNotifyConversationIdsReq { user_id: "a".into() };
    let nn = f.svc.get_not_notify_conversation_ids(&a, &f.t, &nn_req);
    assert_eq!(nn.await.unwrap().conversation_ids, ["sg_g"]);
    let b = Actor::new("b", false);
    let pinned_req = GetPinnedConversationIdsReq { user_id: "b".into() };
    let pinned = f.svc.get_pinned_conversation_ids(&b, &f.t, &pinned_req);
    assert_eq!(pinned.await.unwrap().conversation_ids, ["sg_g"]);
    let e = f.svc.get_pinned_conversation_ids(&a, &f.t, &GetPinnedConversationIdsReq { user_id: "b".into() }).await;
    assert_eq!(e.unwrap_err().code, 1002);

    let admin = Actor::new("adm", true);
    let req = GetConversationOfflinePushUserIdsReq {
        conversation_id: "sg_g".into(),
        user_ids: vec!["a".into(), "b".into(), "x".into(), "x".into()],
    };
    let push = f.svc.get_conversation_offline_push_user_ids(&admin, &f.t, &req).await.unwrap();
    assert_eq!(push.user_ids, ["x"], "a (2) and b (1) opted out; x has no row");
    let e = f.svc.get_conversation_offline_push_user_ids(&a, &f.t, &req).await.unwrap_err();
    assert_eq!(e.code, 1002);
    let mine = GetConversationOfflinePushUserIdsReq { conversation_id: "si_a_b".into(), user_ids: vec!["a".into()] };
    assert_eq!(f.svc.get_conversation_offline_push_user_ids(&a, &f.t, &mine).await.unwrap().user_ids, ["a"]);
    let e = f.svc.get_conversation_offline_push_user_ids(&admin, &f.t, &Default::default()).await.unwrap_err();
    assert_eq!(e.dlt, "conversationID is empty");

    let one = GetConversationReq { conversation_id: "si_a_b".into(), owner_user_id: "a".into() };
    assert_eq!(f.svc.get_conversation(&a, &f.t, &one).await.unwrap().conversation.unwrap().user_id, "b");
    let missing = GetConversationReq { conversation_id: "si_x".into(), owner_user_id: "a".into() };
    assert_eq!(f.svc.get_conversation(&a, &f.t, &missing).await.unwrap_err().code, 1004);
    let all_req = GetAllConversationsReq { owner_user_id: "a".into() };
    let all = f.svc.get_all_conversations(&a, &f.t, &all_req);
    assert_eq!(all.await.unwrap().conversations.len(), 3);
    let e = f.svc.get_all_conversations(&admin, &f.t, &GetAllConversationsReq::default()).await.unwrap_err();
    assert_eq!(e.dlt, "ownerUserID is empty");
}
