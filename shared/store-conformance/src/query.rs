//! Partition queries: order, sort-key conditions, pagination, cursors.

use std::collections::HashSet;

use im_domain::TenantId;
use im_domain::store::{BatchWrite, Cursor, Item, Key, Query, SortCondition, Store};

use crate::support::{expect_validation, fresh_pk, fresh_tenant, ok, query_all, query_pages, sort_keys};

/// Sort keys of mixed lengths, case, punctuation and non-ASCII characters. Sorted byte-wise
/// (UTF-8), "😀" (F0 9F ..) comes after "～" (EF BD 9E), unlike in UTF-16 order.
pub const MIXED_SORT_KEYS: &[&str] = &[
    "0",
    "9",
    "A",
    "B",
    "Z",
    "a",
    "a b",
    "a#1",
    "a#10",
    "a#2",
    "aa",
    "ab",
    "abc",
    "b",
    "z",
    "~",
    "\u{7f}",
    "é",
    "ü",
    "\u{ff5e}",
    "日本",
    "日本語",
    "😀",
];

/// `MIXED_SORT_KEYS` in byte order.
fn sorted_keys() -> Vec<String> {
    let mut v: Vec<String> = MIXED_SORT_KEYS.iter().map(|s| s.to_string()).collect();
    v.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert!(
        v.iter().position(|s| s == "😀") > v.iter().position(|s| s == "\u{ff5e}"),
        "conformance suite bug: byte order"
    );
    v
}

/// Writes one item per sort key in `pk`, plus decoy items in neighbouring partitions whose
/// names share a prefix with `pk`, and returns the items of `pk` in byte order.
async fn seed(store: &dyn Store, t: &TenantId, pk: &str, sks: &[String]) -> Vec<Item> {
    let items: Vec<Item> =
        sks.iter().map(|sk| Item::new(Key::new(t, pk, sk.as_str())).with("sk_copy", sk.as_str())).collect();
    let mut writes: Vec<BatchWrite> = items.iter().cloned().map(BatchWrite::Put).collect();
    let shorter = &pk[..pk.len() - 1];
    for decoy in [format!("{pk}#"), format!("{pk}0"), format!("{pk}~"), shorter.to_string()] {
        for sk in ["", "a", "zz"] {
            writes.push(BatchWrite::Put(
                Item::new(Key::new(t, decoy.as_str(), format!("{sk}decoy"))).with("decoy", true),
            ));
        }
    }
    ok(store.batch_write(writes).await, "seed partition");
    let mut sorted = items;
    sorted.sort_by(|a, b| a.key.sk.as_bytes().cmp(b.key.sk.as_bytes()));
    sorted
}

/// A query returns every item of the partition (and only of it — not of partitions whose names
/// share a prefix) in byte order of the sort keys, mixed lengths and non-ASCII included; backward
/// returns the reverse.
pub async fn query_order_forward_backward(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("order");
    let expected = seed(store, &t, &pk, &sorted_keys()).await;
    let forward = query_all(store, &Query::partition(&t, &pk), "forward query").await;
    assert_eq!(sort_keys(&forward), sort_keys(&expected), "forward query order");
    assert_eq!(forward, expected, "forward query items");
    let backward = query_all(store, &Query::partition(&t, &pk).backward(), "backward query").await;
    let mut reversed = expected.clone();
    reversed.reverse();
    assert_eq!(sort_keys(&backward), sort_keys(&reversed), "backward query order");
    assert!(query_all(store, &Query::partition(&t, fresh_pk("empty")), "empty partition").await.is_empty());
}

fn sort_conditions() -> Vec<SortCondition> {
    use SortCondition::*;
    let s = |x: &str| x.to_string();
    vec![
        All,
        Eq(s("a#1")),
        Eq(s("日本")),
        Eq(s("missing")),
        Lt(s("a")),
        Lt(s("0")),
        Le(s("a")),
        Le(s("a#")),
        Gt(s("z")),
        Gt(s("😀")),
        Ge(s("z")),
        Ge(s("é")),
        BeginsWith(s("a")),
        BeginsWith(s("a#")),
        BeginsWith(s("a#1")),
        BeginsWith(s("日")),
        BeginsWith(s("é")),
        BeginsWith(s("nothing")),
        Between(s("B"), s("a#2")),
        Between(s("a"), s("a")),
        Between(s("aa"), s("ab")),
        Between(s("é"), s("😀")),
        Between(s("{"), s("~")),
    ]
}

/// Every sort-key condition (Eq, Lt, Le, Gt, Ge, BeginsWith, Between), forward and backward,
/// returns exactly the matching items in byte order.
pub async fn query_sort_conditions(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("sortc");
    let all = seed(store, &t, &pk, &sorted_keys()).await;
    for cond in sort_conditions() {
        let mut expected: Vec<String> =
            all.iter().filter(|i| cond.matches(&i.key.sk)).map(|i| i.key.sk.clone()).collect();
        let q = Query::partition(&t, &pk).sort(cond.clone());
        let got = query_all(store, &q, &format!("forward {cond:?}")).await;
        assert_eq!(sort_keys(&got), expected, "forward query with {cond:?}");
        expected.reverse();
        let got = query_all(store, &q.backward(), &format!("backward {cond:?}")).await;
        assert_eq!(sort_keys(&got), expected, "backward query with {cond:?}");
    }
}

/// Limit + cursor pagination (limits 1, 4, 7 and more than the partition; both directions; with
/// and without a sort condition) collects exactly every matching item, in order, without
/// duplicates, in no more pages than needed (one trailing empty page is tolerated).
pub async fn query_pagination(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("page");
    let mut sks = sorted_keys();
    sks.extend((0..30).map(|i| format!("m{i:03}")));
    let all = seed(store, &t, &pk, &sks).await;
    let conditions = [
        SortCondition::All,
        SortCondition::Between("a".into(), "m020".into()),
        SortCondition::BeginsWith("m0".into()),
        SortCondition::Gt("m028".into()),
    ];
    for cond in conditions {
        for forward in [true, false] {
            let mut expected: Vec<String> =
                all.iter().filter(|i| cond.matches(&i.key.sk)).map(|i| i.key.sk.clone()).collect();
            if !forward {
                expected.reverse();
            }
            for limit in [1u32, 4, 7, 100] {
                let mut q = Query::partition(&t, &pk).sort(cond.clone()).limit(limit);
                if !forward {
                    q = q.backward();
                }
                let what = format!("pagination {cond:?} forward={forward} limit={limit}");
                let pages = query_pages(store, &q, &what).await;
                let got: Vec<String> = pages.iter().flat_map(|p| sort_keys(p)).collect();
                let unique: HashSet<&String> = got.iter().collect();
                assert_eq!(unique.len(), got.len(), "{what}: duplicates across pages: {got:?}");
                assert_eq!(got, expected, "{what}: collected items");
                let needed = expected.len().div_ceil(limit as usize).max(1);
                assert!(
                    pages.len() <= needed + 1,
                    "{what}: {} pages for {} items (at most {} expected)",
                    pages.len(),
                    expected.len(),
                    needed + 1
                );
                for (n, page) in pages.iter().enumerate().take(pages.len().saturating_sub(1)) {
                    assert_eq!(page.len(), limit as usize, "{what}: page {} is not full but has a cursor", n + 1);
                }
            }
        }
    }
}

/// A tampered or malformed cursor is a `Validation` error.
pub async fn query_tampered_cursor_is_validation(store: &dyn Store) {
    let t = fresh_tenant();
    let pk = fresh_pk("cursor");
    seed(store, &t, &pk, &["a".to_string(), "b".to_string(), "c".to_string()]).await;
    let first = ok(store.query(&Query::partition(&t, &pk).limit(1)).await, "first page");
    assert!(first.cursor.is_some(), "a page that stops at its limit before the end must carry a cursor");
    let bad = [
        ("not base64", Cursor::from_string("!!not*base64!!")),
        ("base64 of non-JSON", Cursor::from_string("bm90IGpzb24")),
        ("three parts", Cursor::from_parts(&[&pk, "a", "x"])),
        ("one part", Cursor::from_parts(&[&pk])),
        ("empty", Cursor::from_string("")),
    ];
    for (label, cursor) in bad {
        for forward in [true, false] {
            let mut q = Query::partition(&t, &pk).limit(1).after(Some(cursor.clone()));
            if !forward {
                q = q.backward();
            }
            expect_validation(store.query(&q).await, &format!("query with a {label} cursor (forward={forward})"));
            expect_validation(
                store.query(&q.clone().on_index()).await,
                &format!("index query with a {label} cursor (forward={forward})"),
            );
        }
    }
}
