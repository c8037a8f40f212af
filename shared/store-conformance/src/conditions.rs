//! Conditional put/update/delete with every condition kind, holding and failing.

use std::collections::BTreeMap;

use im_domain::store::eval::condition_holds;
use im_domain::store::{AttrValue, Condition, Item, Key, Store, Update};

use crate::support::{assert_absent, assert_stored, expect_condition_failed, fresh_pk, fresh_tenant, ok};

#[derive(Clone, Copy, Debug)]
enum Op {
    Put,
    Update,
    Delete,
}

fn list() -> AttrValue {
    AttrValue::L(vec![AttrValue::N(1), AttrValue::S("x".into())])
}

fn map(v: &str) -> AttrValue {
    AttrValue::M(BTreeMap::from([("k".to_string(), AttrValue::S(v.into()))]))
}

fn base(key: Key) -> Item {
    Item::new(key)
        .with("n", 5i64)
        .with("neg", -5i64)
        .with("s", "abc")
        .with("b", vec![1u8, 2])
        .with("t", true)
        .with("l", list())
        .with("m", map("v"))
        .with("status", "open")
}

fn exists(a: &str) -> Condition {
    Condition::Exists(a.into())
}

fn not_exists(a: &str) -> Condition {
    Condition::NotExists(a.into())
}

/// Conditions with whether they hold on the base item.
fn on_existing() -> Vec<(&'static str, Condition, bool)> {
    vec![
        ("ItemExists", Condition::ItemExists, true),
        ("ItemNotExists", Condition::ItemNotExists, false),
        ("Exists(n)", exists("n"), true),
        ("Exists(zz)", exists("zz"), false),
        ("NotExists(zz)", not_exists("zz"), true),
        ("NotExists(n)", not_exists("n"), false),
        ("n = 5", Condition::eq("n", 5i64), true),
        ("n = 6", Condition::eq("n", 6i64), false),
        ("n = \"5\" (type differs)", Condition::eq("n", "5"), false),
        ("s = abc", Condition::eq("s", "abc"), true),
        ("s = abd", Condition::eq("s", "abd"), false),
        ("s = \"\"", Condition::eq("s", ""), false),
        ("b = [1,2]", Condition::eq("b", vec![1u8, 2]), true),
        ("b = [1]", Condition::eq("b", vec![1u8]), false),
        ("t = true", Condition::eq("t", true), true),
        ("t = false", Condition::eq("t", false), false),
        ("l = [1,x]", Condition::Equals("l".into(), list()), true),
        (
            "l = [x,1]",
            Condition::Equals("l".into(), AttrValue::L(vec![AttrValue::S("x".into()), AttrValue::N(1)])),
            false,
        ),
        ("m = {k:v}", Condition::Equals("m".into(), map("v")), true),
        ("m = {k:w}", Condition::Equals("m".into(), map("w")), false),
        ("zz = 1 (missing)", Condition::eq("zz", 1i64), false),
        ("status = open (reserved word)", Condition::eq("status", "open"), true),
        ("n < 6", Condition::lt("n", 6i64), true),
        ("n < 5", Condition::lt("n", 5i64), false),
        ("n < 4", Condition::lt("n", 4i64), false),
        ("neg < 0", Condition::lt("neg", 0i64), true),
        ("neg < -6", Condition::lt("neg", -6i64), false),
        ("n < \"9\" (type differs)", Condition::lt("n", "9"), false),
        ("s < abd", Condition::lt("s", "abd"), true),
        ("s < abc", Condition::lt("s", "abc"), false),
        ("s < ab (prefix is smaller)", Condition::lt("s", "ab"), false),
        ("s < abcd", Condition::lt("s", "abcd"), true),
        ("s < B (ASCII: lowercase is greater)", Condition::lt("s", "B"), false),
        ("s < é (byte order)", Condition::lt("s", "é"), true),
        ("b < [1,3]", Condition::lt("b", vec![1u8, 3]), true),
        ("b < [1,2]", Condition::lt("b", vec![1u8, 2]), false),
        ("b < [1,2,0]", Condition::lt("b", vec![1u8, 2, 0]), true),
        ("b < [0x80] (unsigned bytes)", Condition::lt("b", vec![0x80u8]), true),
        ("zz < 1 (missing)", Condition::lt("zz", 1i64), false),
        ("And(holds, holds)", Condition::And(vec![exists("n"), Condition::eq("s", "abc")]), true),
        ("And(holds, fails)", Condition::And(vec![exists("n"), Condition::eq("s", "x")]), false),
        ("And(single holds)", Condition::And(vec![exists("n")]), true),
        ("Or(fails, holds)", Condition::Or(vec![Condition::eq("s", "x"), exists("n")]), true),
        ("Or(fails, fails)", Condition::Or(vec![Condition::eq("s", "x"), not_exists("n")]), false),
        ("Not(fails)", Condition::eq("s", "x").negate(), true),
        ("Not(holds)", exists("n").negate(), false),
        ("Not(ItemNotExists)", Condition::ItemNotExists.negate(), true),
        ("Not(zz = 1) (missing attribute)", Condition::eq("zz", 1i64).negate(), true),
        (
            "And(Or(n = 1, n < 10), Not(Exists(zz)))",
            Condition::And(vec![Condition::eq("n", 1i64).or(Condition::lt("n", 10i64)), exists("zz").negate()]),
            true,
        ),
        (
            "Or(And(Exists(n), NotExists(n)), Not(Not(ItemNotExists)))",
            Condition::Or(vec![exists("n").and(not_exists("n")), Condition::ItemNotExists.negate().negate()]),
            false,
        ),
    ]
}

/// Conditions with whether they hold when the item is absent.
fn on_missing() -> Vec<(&'static str, Condition, bool)> {
    vec![
        ("ItemExists", Condition::ItemExists, false),
        ("ItemNotExists", Condition::ItemNotExists, true),
        ("Exists(n)", exists("n"), false),
        ("NotExists(n)", not_exists("n"), true),
        ("n = 5", Condition::eq("n", 5i64), false),
        ("n < 6", Condition::lt("n", 6i64), false),
        ("Not(Exists(n))", exists("n").negate(), true),
        ("Not(n = 5)", Condition::eq("n", 5i64).negate(), true),
        ("Or(ItemNotExists, n = 5)", Condition::ItemNotExists.or(Condition::eq("n", 5i64)), true),
        ("And(ItemNotExists, NotExists(n))", Condition::ItemNotExists.and(not_exists("n")), true),
        ("And(ItemNotExists, n = 5)", Condition::ItemNotExists.and(Condition::eq("n", 5i64)), false),
    ]
}

async fn run_matrix(store: &dyn Store, op: Op) {
    let t = fresh_tenant();
    let pk = fresh_pk("cond");
    for (existing, cases) in [(true, on_existing()), (false, on_missing())] {
        for (i, (label, condition, holds)) in cases.into_iter().enumerate() {
            let what =
                format!("{op:?} with condition {label} on {} item", if existing { "an existing" } else { "a missing" });
            let key = Key::new(&t, &pk, format!("{op:?}#{existing}#{i:03}"));
            let before = existing.then(|| base(key.clone()));
            // Guard the suite itself: the expectation must agree with the reference semantics.
            assert_eq!(
                condition_holds(&condition, before.as_ref()),
                holds,
                "conformance suite bug: expectation for {what} disagrees with im_domain::store::eval"
            );
            if let Some(item) = &before {
                ok(store.put(item.clone(), None).await, &format!("{what}: setup put"));
            }
            match op {
                Op::Put => {
                    let new = base(key.clone()).with("written", "put").with("n", 6i64);
                    let r = store.put(new.clone(), Some(condition)).await;
                    if holds {
                        ok(r, &what);
                        assert_stored(store, &new, &what).await;
                    } else {
                        expect_condition_failed(r, &what);
                    }
                }
                Op::Update => {
                    let update = Update::new().set("written", "update").add("n", 1);
                    let r = store.update(&key, &update, Some(condition)).await;
                    if holds {
                        let got = ok(r, &what);
                        let expected = match &before {
                            Some(item) => item.clone().with("written", "update").with("n", 6i64),
                            None => Item::new(key.clone()).with("written", "update").with("n", 1i64),
                        };
                        assert_eq!(got, expected, "{what}: returned item");
                        assert_stored(store, &expected, &what).await;
                    } else {
                        expect_condition_failed(r, &what);
                    }
                }
                Op::Delete => {
                    let r = store.delete(&key, Some(condition)).await;
                    if holds {
                        assert_eq!(ok(r, &what), before, "{what}: returned old item");
                        assert_absent(store, &key, &what).await;
                    } else {
                        expect_condition_failed(r, &what);
                    }
                }
            }
            if !holds {
                match &before {
                    Some(item) => {
                        assert_stored(store, item, &format!("{what}: failed write must leave the item")).await
                    }
                    None => assert_absent(store, &key, &format!("{what}: failed write must create nothing")).await,
                }
            }
        }
    }
}

/// Conditional puts with ItemExists/ItemNotExists/Exists/NotExists/Equals (all value types)/
/// LessThan (numbers, strings in byte order, unsigned binaries, type mismatch)/And/Or/Not, on an
/// existing and on a missing item: a holding condition writes, a failing one is `ConditionFailed`
/// and leaves the item unchanged.
pub async fn put_conditions(store: &dyn Store) {
    run_matrix(store, Op::Put).await;
}

/// The condition matrix of [`put_conditions`] applied to updates (which create missing items).
pub async fn update_conditions(store: &dyn Store) {
    run_matrix(store, Op::Update).await;
}

/// The condition matrix of [`put_conditions`] applied to deletes.
pub async fn delete_conditions(store: &dyn Store) {
    run_matrix(store, Op::Delete).await;
}
