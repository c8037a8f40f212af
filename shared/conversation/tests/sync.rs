//! Incremental sync of conversations (reference §6.9): full ID list with idHash, changes since a
//! version, the 200-change cap, and the owner page.

mod support;

use im_conversation::{Actor, ConversationPatch, ConversationRecord};
use im_repo::version::id_hash;
use im_wire::pb::conversation::*;
use im_wire::pb::sdkws::RequestPagination;
use support::Fixture;

fn incr(user: &str, version_id: &str, version: u64) -> GetIncrementalConversationReq {
    GetIncrementalConversationReq { user_id: user.into(), version_id: version_id.into(), version }
}

#[tokio::test]
async fn full_ids_short_circuit_on_matching_hash() {
    let f = Fixture::new();
    let a = Actor::new("a", false);
    f.svc.repo().ensure_pair(&f.t, "si_a_b", 1, "a", "b").await.unwrap();
    f.svc.repo().ensure_rows(&f.t, &["a".into()], &ConversationRecord::new("n_a_a", 4)).await.unwrap();
    let r_req = GetFullOwnerConversationIdsReq { id_hash: 0, user_id: "a".into() };
    let r = f.svc.get_full_conversation_ids(&a, &f.t, &r_req);
    let r = r.await.unwrap();
    assert_eq!(r.conversation_ids, ["n_a_a", "si_a_b"]);
    assert!(!r.equal);
    assert_eq!(r.version, 2);
    assert_eq!(r.version_id.len(), 24);
    let h = id_hash(&r.conversation_ids);
    let again_req = GetFullOwnerConversationIdsReq { id_hash: h, user_id: "a".into() };
    let again = f.svc.get_full_conversation_ids(&a, &f.t, &again_req);
    let again = again.await.unwrap();
    assert!(again.equal);
    assert!(again.conversation_ids.is_empty());
    let e_req = GetFullOwnerConversationIdsReq { id_hash: 0, user_id: "b".into() };
    let e = f.svc.get_full_conversation_ids(&a, &f.t, &e_req);
    assert_eq!(e.await.unwrap_err().code, 1002);
}

#[tokio::test]
async fn incremental_changes_since_a_version() {
    let f = Fixture::new();
    let a = Actor::new("a", false);
    let r = f.svc.repo();
    let first = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", "", 0)).await.unwrap();
    assert!(first.full);
    let (vid, v0) = (first.version_id.clone(), first.version);

    r.ensure_pair(&f.t, "si_a_b", 1, "a", "b").await.unwrap();
    r.ensure_pair(&f.t, "si_a_c", 1, "a", "c").await.unwrap();
    let got = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &vid, v0)).await;
    let got = got.unwrap();
    // A new log starts at version 1, as OpenIM's; version 0 means "never synced": full.
    assert_eq!(v0, 1);
    assert!(!got.full);
    assert_eq!(got.version_id, vid);
    assert_eq!(got.insert.len(), 2);
    let never = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &vid, 0)).await.unwrap();
    assert!(never.full, "version 0 → full");

    let v2 = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &vid, 2)).await.unwrap();
    assert!(!v2.full);
    assert_eq!(v2.version, 3);
    assert_eq!(v2.insert.iter().map(|c| c.conversation_id.as_str()).collect::<Vec<_>>(), ["si_a_c"]);

    let pin = ConversationPatch { is_pinned: Some(true), ..Default::default() };
    r.set_fields(&f.t, "a", &ConversationRecord::new("si_a_b", 1).with_user("b"), &pin).await.unwrap();
    r.delete(&f.t, "a", "si_a_c").await.unwrap();
    let d = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &vid, 3)).await.unwrap();
    assert!(!d.full);
    assert_eq!(d.version, 5);
    assert!(d.insert.is_empty());
    assert_eq!(d.update.len(), 1);
    assert!(d.update[0].is_pinned);
    assert_eq!(d.delete, ["si_a_c"]);

    let same = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &vid, 5)).await.unwrap();
    assert!(!same.full && same.insert.is_empty() && same.update.is_empty() && same.delete.is_empty());
    let stale = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", "ffffffffffffffffffffffff", 2)).await;
    assert!(stale.unwrap().full);
    assert_eq!(f.svc.get_incremental_conversations(&a, &f.t, &incr("b", &vid, 2)).await.unwrap_err().code, 1002);
}

#[tokio::test]
async fn more_than_200_changes_answer_full() {
    let f = Fixture::new();
    let a = Actor::new("a", false);
    let start = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", "", 0)).await.unwrap();
    let r = f.svc.repo();
    r.ensure_rows(&f.t, &["a".into()], &ConversationRecord::new("first", 1)).await.unwrap();
    for i in 0..201 {
        r.ensure_rows(&f.t, &["a".into()], &ConversationRecord::new(format!("c{i:03}"), 1)).await.unwrap();
    }
    let c = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &start.version_id, 1)).await.unwrap();
    assert!(c.full);
    assert_eq!(c.version, 203);
    let ok = f.svc.get_incremental_conversations(&a, &f.t, &incr("a", &start.version_id, 3)).await.unwrap();
    assert!(!ok.full);
    assert_eq!(ok.insert.len(), 200);
}

#[tokio::test]
async fn owner_pages() {
    let f = Fixture::new();
    let a = Actor::new("a", false);
    for cid in ["c1", "c2", "c3"] {
        f.svc.repo().ensure_rows(&f.t, &["a".into()], &ConversationRecord::new(cid, 1)).await.unwrap();
    }
    let page = |n, s| GetOwnerConversationReq {
        user_id: "a".into(),
        pagination: Some(RequestPagination { page_number: n, show_number: s }),
    };
    let p = f.svc.get_owner_conversation(&a, &f.t, &page(2, 2)).await.unwrap();
    assert_eq!(p.total, 3);
    assert_eq!(p.conversations.iter().map(|c| c.conversation_id.as_str()).collect::<Vec<_>>(), ["c3"]);
    let none = GetOwnerConversationReq { user_id: "a".into(), pagination: None };
    let p = f.svc.get_owner_conversation(&a, &f.t, &none).await.unwrap();
    assert_eq!((p.total, p.conversations.len()), (3, 0));
    assert_eq!(f.svc.get_owner_conversation(&Actor::new("b", false), &f.t, &none).await.unwrap_err().code, 1002);
}
