//! Request units (DynamoDB on-demand billing, `im_domain::store::metering`) of the heavy group
//! operations, printed as figures (run with `--nocapture` to see them):
//!
//! * `create_group` with 1,000 members,
//! * `invite_user_to_group` of 500 users,
//! * `get_group_member_list`, one page of 100,
//! * `get_incremental_group_members` returning 200 changes (200 inserted members, full info).
//!
//! The assertions pin the request shape (how many store calls of each kind), not timings.

mod common;

use std::sync::Arc;

use common::World;
use im_domain::store::metering::{Meter, Metered, Usage};
use im_domain::store::{DynStore, Store};
use im_store_conformance::MemStore;
use im_wire::pb::group::*;
use im_wire::pb::sdkws::{GroupInfo, RequestPagination};

fn report(what: &str, u: &Usage) {
    println!(
        "{what}: {} store calls, {} WRU, {} RRU ({})",
        u.calls(),
        u.write_units(),
        u.read_units(),
        u.by_op
            .iter()
            .map(|(op, x)| format!("{op} ×{} {}W {}R", x.calls, x.write_units, x.read_half_units as f64 / 2.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn calls(u: &Usage, op: &str) -> u64 {
    u.by_op.get(op).map(|x| x.calls).unwrap_or(0)
}

#[tokio::test]
async fn request_units_of_heavy_operations() {
    let metered = Metered::new(MemStore::new());
    let meter: Meter = metered.meter();
    let store: DynStore = Arc::new(metered) as Arc<dyn Store>;
    let users: Vec<String> = (0..1700).map(|i| format!("user_{i:05}")).collect();
    let mut refs: Vec<&str> = users.iter().map(String::as_str).collect();
    refs.push("owner");
    let w = World::on(store, &refs).await;
    let owner = w.user("owner");

    // create_group with 1,000 members (owner + 999).
    let before = meter.snapshot();
    let req = CreateGroupReq {
        member_user_ids: users[..999].to_vec(),
        owner_user_id: "owner".into(),
        group_info: Some(GroupInfo { group_name: "big".into(), group_type: 2, ..GroupInfo::default() }),
        ..CreateGroupReq::default()
    };
    let gid = w.svc.create_group(&owner, req).await.expect("create").group_info.expect("info").group_id;
    let create = meter.snapshot().since(&before);
    report("create_group (1,000 members)", &create);
    assert_eq!(calls(&create, "transact_write"), 1, "group item + owner in one transaction");
    // Per member: its item, its conversation row, a member-log entry, its joined-group log
    // (head + entry): about 5 WRU; the member items themselves go in one batch call.
    assert!((4_000..7_000).contains(&create.write_units()), "{}", create.write_units());
    assert_eq!(calls(&create, "batch_get"), 10, "users in batches of 100");

    // invite_user_to_group of 500.
    let before = meter.snapshot();
    let req = InviteUserToGroupReq {
        group_id: gid.clone(),
        invited_user_ids: users[1000..1500].to_vec(),
        ..Default::default()
    };
    w.svc.invite_user_to_group(&owner, req).await.expect("invite");
    let invite = meter.snapshot().since(&before);
    report("invite_user_to_group (500 users)", &invite);
    assert_eq!(calls(&invite, "transact_write"), 6, "members in transactions of 99 with the member count");

    // get_group_member_list, one page of 100.
    let before = meter.snapshot();
    let req = GetGroupMemberListReq {
        pagination: Some(RequestPagination { page_number: 1, show_number: 100 }),
        group_id: gid.clone(),
        ..Default::default()
    };
    let page = w.svc.get_group_member_list(&owner, req).await.expect("page");
    let list = meter.snapshot().since(&before);
    report("get_group_member_list (page of 100)", &list);
    assert_eq!((page.total, page.members.len()), (1500, 100));
    assert_eq!(calls(&list, "query"), 1);
    assert!(list.calls() <= 4, "{}", list.calls());

    // Incremental sync returning 200 changes.
    let head = w
        .svc
        .get_incremental_group_members(
            &owner,
            GetIncrementalGroupMemberReq { group_id: gid.clone(), ..Default::default() },
        )
        .await
        .expect("head");
    let more = InviteUserToGroupReq {
        group_id: gid.clone(),
        invited_user_ids: users[1500..1700].to_vec(),
        ..Default::default()
    };
    w.svc.invite_user_to_group(&owner, more).await.expect("invite 200");
    let before = meter.snapshot();
    let req =
        GetIncrementalGroupMemberReq { group_id: gid.clone(), version_id: head.version_id, version: head.version };
    let d = w.svc.get_incremental_group_members(&owner, req).await.expect("sync");
    let sync = meter.snapshot().since(&before);
    report("get_incremental_group_members (200 changes)", &sync);
    assert!(!d.full);
    assert_eq!(d.insert.len(), 200);
    assert!(sync.calls() <= 10, "{}", sync.calls());
}
