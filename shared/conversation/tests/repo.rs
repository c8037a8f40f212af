//! The conversation-row repository: creation on first message, settings writes, read pointers,
//! and the version log every change lands in.

mod support;

use im_conversation::{ConversationPatch, ConversationRecord, ConversationRepo, RowChange};
use im_domain::TenantId;
use im_repo::version::{LogKind, VersionLog};
use support::Fixture;

fn repo(f: &Fixture) -> ConversationRepo {
    ConversationRepo::new(f.store.clone(), f.env.clone())
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

async fn changes_since(f: &Fixture, owner: &str, vid: &str, version: u64) -> im_repo::version::Changes {
    VersionLog::new(f.store.as_ref(), &f.env)
        .since(&f.t, LogKind::Conversation, owner, vid, version, 200)
        .await
        .unwrap()
}

#[tokio::test]
async fn ensure_rows_creates_only_missing_rows_and_logs_inserts() {
    let f = Fixture::new();
    let r = repo(&f);
    let head0 = VersionLog::new(f.store.as_ref(), &f.env).head(&f.t, LogKind::Conversation, "a").await.unwrap();

    // "a" already has settings on the row: they survive.
    let mut pinned = ConversationRecord::new("sg_g1", 3).with_group("g1").for_owner("a", 1);
    pinned.is_pinned = true;
    f.store.put(pinned.to_item(&f.t), None).await.unwrap();

    let template = ConversationRecord::new("sg_g1", 3).with_group("g1");
    let created = r.ensure_rows(&f.t, &ids(&["a", "b", "c", "b"]), &template).await.unwrap();
    assert_eq!(created, ids(&["b", "c"]));
    assert!(r.get(&f.t, "a", "sg_g1").await.unwrap().unwrap().is_pinned);
    let b = r.get(&f.t, "b", "sg_g1").await.unwrap().unwrap();
    assert_eq!((b.owner_user_id.as_str(), b.group_id.as_str(), b.conversation_type), ("b", "g1", 3));
    assert_eq!(b.create_time, 1_700_000_000_000);

    // Again: nothing to create, nothing logged.
    assert!(r.ensure_rows(&f.t, &ids(&["a", "b", "c"]), &template).await.unwrap().is_empty());
    let vb = VersionLog::new(f.store.as_ref(), &f.env).head(&f.t, LogKind::Conversation, "b").await.unwrap();
    assert_eq!(vb.version, 1);
    let since = changes_since(&f, "b", &vb.version_id, 0).await;
    assert_eq!(since.insert, ids(&["sg_g1"]));
    // "a" logged nothing (its row existed).
    let ca = changes_since(&f, "a", &head0.version_id, head0.version).await;
    assert!(!ca.full && ca.insert.is_empty());
}

#[tokio::test]
async fn ensure_pair_names_the_peer_on_each_side() {
    let f = Fixture::new();
    let r = repo(&f);
    let created = r.ensure_pair(&f.t, "si_a_b", 1, "a", "b").await.unwrap();
    assert_eq!(created, ids(&["a", "b"]));
    assert_eq!(r.get(&f.t, "a", "si_a_b").await.unwrap().unwrap().user_id, "b");
    assert_eq!(r.get(&f.t, "b", "si_a_b").await.unwrap().unwrap().user_id, "a");
    assert!(r.ensure_pair(&f.t, "si_a_b", 1, "b", "a").await.unwrap().is_empty());
    // Self chat: one row.
    assert_eq!(r.ensure_pair(&f.t, "si_a_a", 1, "a", "a").await.unwrap(), ids(&["a"]));
    // Rows are per tenant.
    assert!(r.get(&TenantId::parse("other").unwrap(), "a", "si_a_b").await.unwrap().is_none());
}

#[tokio::test]
async fn set_fields_creates_updates_or_leaves_rows_and_versions_follow() {
    let f = Fixture::new();
    let r = repo(&f);
    let log = VersionLog::new(f.store.as_ref(), &f.env);
    let h0 = log.head(&f.t, LogKind::Conversation, "a").await.unwrap();
    let template = ConversationRecord::new("si_a_b", 1).with_user("b");
    let pin = ConversationPatch { is_pinned: Some(true), ..Default::default() };

    let c = r.set_fields(&f.t, "a", &template, &pin).await.unwrap();
    assert!(matches!(&c, RowChange::Created(row) if row.is_pinned && row.user_id == "b"));
    f.clock.advance(5);
    let same = r.set_fields(&f.t, "a", &template, &pin).await.unwrap();
    assert!(!same.changed());
    let mute = ConversationPatch { recv_msg_opt: Some(2), ex: Some("x".into()), ..Default::default() };
    let u = r.set_fields(&f.t, "a", &template, &mute).await.unwrap();
    let row = u.row().clone();
    assert!(matches!(u, RowChange::Updated(_)));
    assert_eq!((row.recv_msg_opt, row.ex.as_str(), row.is_pinned), (2, "x", true));
    assert_eq!(row.update_time, row.create_time + 5);

    let c = log.since(&f.t, LogKind::Conversation, "a", &h0.version_id, h0.version, 200).await.unwrap();
    assert_eq!((c.insert.clone(), c.update.clone()), (ids(&["si_a_b"]), vec![]), "insert then update folds to insert");
    let h1 = log.head(&f.t, LogKind::Conversation, "a").await.unwrap();
    assert_eq!(h1.version, h0.version + 2, "unchanged writes are not logged");
    let unpin = ConversationPatch { is_pinned: Some(false), ..Default::default() };
    r.set_fields(&f.t, "a", &template, &unpin).await.unwrap();
    let c = log.since(&f.t, LogKind::Conversation, "a", &h1.version_id, h1.version, 200).await.unwrap();
    assert_eq!(c.update, ids(&["si_a_b"]));
}

#[tokio::test]
async fn update_existing_read_pointer_and_delete() {
    let f = Fixture::new();
    let r = repo(&f);
    r.ensure_rows(&f.t, &ids(&["a", "b"]), &ConversationRecord::new("sg_g", 3).with_group("g")).await.unwrap();
    let cap = ConversationPatch { max_seq: Some(7), ..Default::default() };
    let written = r.update_existing(&f.t, &ids(&["a", "zz"]), "sg_g", &cap).await.unwrap();
    assert_eq!(written, ids(&["a"]));
    assert_eq!(r.get(&f.t, "a", "sg_g").await.unwrap().unwrap().max_seq, 7);
    assert!(r.get(&f.t, "zz", "sg_g").await.unwrap().is_none(), "missing rows are not created");

    assert!(r.advance_has_read_seq(&f.t, "a", "sg_g", 5).await.unwrap());
    assert!(!r.advance_has_read_seq(&f.t, "a", "sg_g", 3).await.unwrap(), "never backwards");
    assert!(r.advance_has_read_seq(&f.t, "a", "sg_g", 6).await.unwrap());
    assert_eq!(r.get(&f.t, "a", "sg_g").await.unwrap().unwrap().has_read_seq, 6);
    assert!(!r.advance_has_read_seq(&f.t, "nobody", "sg_g", 3).await.unwrap());
    assert!(r.get(&f.t, "nobody", "sg_g").await.unwrap().is_none());

    let log = VersionLog::new(f.store.as_ref(), &f.env);
    let h = log.head(&f.t, LogKind::Conversation, "b").await.unwrap();
    assert!(r.delete(&f.t, "b", "sg_g").await.unwrap());
    assert!(!r.delete(&f.t, "b", "sg_g").await.unwrap());
    let c = log.since(&f.t, LogKind::Conversation, "b", &h.version_id, h.version, 200).await.unwrap();
    assert_eq!(c.delete, ids(&["sg_g"]));
}

#[tokio::test]
async fn reads_keep_request_order_and_skip_missing_rows() {
    let f = Fixture::new();
    let r = repo(&f);
    for cid in ["si_a_c", "si_a_b", "sg_g"] {
        r.ensure_rows(&f.t, &ids(&["a"]), &ConversationRecord::new(cid, 1)).await.unwrap();
    }
    let got = r.get_many(&f.t, "a", &ids(&["sg_g", "nope", "si_a_b", "sg_g"])).await.unwrap();
    let got: Vec<_> = got.iter().map(|r| r.conversation_id.as_str()).collect();
    assert_eq!(got, ["sg_g", "si_a_b"]);
    assert_eq!(r.ids(&f.t, "a").await.unwrap(), ids(&["sg_g", "si_a_b", "si_a_c"]));
    let of = r.rows_of(&f.t, "sg_g", &ids(&["x", "a"])).await.unwrap();
    assert_eq!(of.len(), 1);
    assert_eq!(of[0].owner_user_id, "a");
}
