//! Request units of typical friend operations, measured with the metering decorator
//! (DynamoDB on-demand billing; run with `--nocapture` to see the figures).

mod common;

use std::sync::Arc;

use common::*;
use im_domain::store::metering::{Meter, Metered, Usage};
use im_friend::PageSel;
use im_store_conformance::MemStore;

fn report(what: &str, u: &Usage) {
    let calls: Vec<String> = u.by_op.iter().map(|(op, o)| format!("{op}×{}", o.calls)).collect();
    println!("{what:<44} {:>5} WRU {:>7.1} RRU   ({})", u.write_units(), u.read_units(), calls.join(", "));
}

async fn measure<F: Future<Output = ()>>(meter: &Meter, what: &str, f: F) -> Usage {
    meter.reset();
    f.await;
    let u = meter.snapshot();
    report(what, &u);
    u
}

#[tokio::test]
async fn request_units_of_typical_operations() {
    let store = Arc::new(Metered::new(MemStore::new()));
    let meter = store.meter();
    let mut users = vec!["o".to_string(), "p".to_string(), "adm".to_string()];
    users.extend((0..200).map(|i| format!("f{i:03}")));
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let f = Fixture::on(store, &refs).await;
    let t = &f.t;

    let u = measure(&meter, "add_friend", async { f.svc.apply(t, "p", "o", "hello", "").await.unwrap() }).await;
    assert_eq!(u.write_units(), 1, "one application item");
    assert!(u.read_units() <= 5.0, "two profiles and three relation rows");

    let u = measure(&meter, "add_friend_response (agree)", async {
        f.svc.respond(t, "o", "p", "o", 1, "ok").await.unwrap();
    })
    .await;
    assert_eq!(u.by_op.get("transact_write").map(|o| o.calls), Some(1), "one transaction");
    assert!(u.write_units() <= 12, "{}", u.write_units());

    let friends: Vec<String> = users[3..].to_vec();
    f.svc.import(t, "adm", "o", &friends[..150]).await.unwrap();
    let u = measure(&meter, "get_friend_list (page of 100 of 151)", async {
        let (page, total) = f.svc.friend_page(t, "o", PageSel { number: 1, show: 100 }).await.unwrap();
        assert_eq!((page.len(), total), (100, 151));
    })
    .await;
    assert_eq!(u.write_units(), 0);
    assert_eq!(u.by_op.get("batch_get").map(|o| o.calls), Some(1), "one batch of 100 profiles");

    let base = f.svc.incremental(t, "o", "", 0).await.unwrap();
    for id in &friends[..150] {
        f.svc.set_remark(t, "o", id, "r").await.unwrap();
    }
    f.svc.import(t, "adm", "o", &friends[150..]).await.unwrap();
    let u = measure(&meter, "get_incremental_friends (200 changes)", async {
        let c = f.svc.incremental(t, "o", &base.version_id, base.version).await.unwrap();
        assert!(!c.full);
        assert_eq!((c.update.len(), c.insert.len()), (150, 50));
    })
    .await;
    assert_eq!(u.write_units(), 0);

    let u = measure(&meter, "get_full_friend_user_ids (201 friends)", async {
        assert_eq!(f.svc.full_ids(t, "o", 0).await.unwrap().user_ids.len(), 201);
    })
    .await;
    assert!(u.read_units() < 20.0, "one partition query, no per-friend reads");
}
