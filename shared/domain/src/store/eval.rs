//! Reference semantics of conditions and updates, used by in-process adapters and tests.
//! The DynamoDB adapter translates the same types into expressions; the conformance suite
//! checks that both agree.

use std::cmp::Ordering;

use super::{AttrValue, Condition, Item, Key, StoreError, Update, UpdateAction};

/// Evaluates `condition` against the current item (`None` when absent).
pub fn condition_holds(condition: &Condition, item: Option<&Item>) -> bool {
    let attr = |name: &str| item.and_then(|i| i.attrs.get(name));
    match condition {
        Condition::ItemExists => item.is_some(),
        Condition::ItemNotExists => item.is_none(),
        Condition::Exists(a) => attr(a).is_some(),
        Condition::NotExists(a) => attr(a).is_none(),
        Condition::Equals(a, v) => attr(a) == Some(v),
        Condition::LessThan(a, v) => attr(a).and_then(|x| compare(x, v)) == Some(Ordering::Less),
        Condition::And(cs) => cs.iter().all(|c| condition_holds(c, item)),
        Condition::Or(cs) => cs.iter().any(|c| condition_holds(c, item)),
        Condition::Not(c) => !condition_holds(c, item),
    }
}

/// Orders two values of the same scalar type (N, S, B); other pairs are incomparable.
pub fn compare(a: &AttrValue, b: &AttrValue) -> Option<Ordering> {
    match (a, b) {
        (AttrValue::N(x), AttrValue::N(y)) => Some(x.cmp(y)),
        (AttrValue::S(x), AttrValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttrValue::B(x), AttrValue::B(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Applies `update` to the current item (or a new empty one) and returns the result.
pub fn apply_update(key: &Key, current: Option<&Item>, update: &Update) -> Result<Item, StoreError> {
    apply_update_to(key, current.cloned(), update)
}

/// [`apply_update`] on an item the caller owns (a store's writer that has just loaded it):
/// the item is changed in place instead of copied.
pub fn apply_update_to(key: &Key, current: Option<Item>, update: &Update) -> Result<Item, StoreError> {
    // `SET a = b + n` reads b as it was before the update: those values are taken first.
    let mut sums = update
        .actions
        .iter()
        .filter_map(|a| match a {
            UpdateAction::SetSum { target, source, delta } => {
                Some(sum_before(current.as_ref(), target, source, *delta))
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .into_iter();
    let mut item = current.unwrap_or_else(|| Item::new(key.clone()));
    for action in &update.actions {
        match action {
            UpdateAction::Set(a, v) => {
                item.attrs.insert(a.clone(), v.clone());
            }
            UpdateAction::SetIfNotExists(a, v) => {
                item.attrs.entry(a.clone()).or_insert_with(|| v.clone());
            }
            UpdateAction::Remove(a) => {
                item.attrs.remove(a);
            }
            UpdateAction::Add(a, delta) => {
                let old = match item.attrs.get(a) {
                    None => 0,
                    Some(AttrValue::N(n)) => *n,
                    Some(_) => {
                        return Err(StoreError::Validation(format!(
                            "ADD on attribute {a}: an operand in the update expression has an incorrect data type"
                        )));
                    }
                };
                let new = old
                    .checked_add(*delta)
                    .ok_or_else(|| StoreError::Validation(format!("ADD on attribute {a}: number overflow")))?;
                item.attrs.insert(a.clone(), AttrValue::N(new));
            }
            UpdateAction::SetSum { target, .. } => {
                let new = sums.next().unwrap_or_else(|| Err(StoreError::Internal("SET sum not evaluated".into())))?;
                item.attrs.insert(target.clone(), AttrValue::N(new));
            }
            UpdateAction::SetIndex(ik) => item.index = Some(ik.clone()),
            UpdateAction::RemoveIndex => item.index = None,
        }
    }
    Ok(item)
}

/// The value of `SET target = source + delta` on the item before the update.
fn sum_before(current: Option<&Item>, target: &str, source: &str, delta: i64) -> Result<i64, StoreError> {
    let old = match current.and_then(|c| c.attrs.get(source)) {
        None => 0,
        Some(AttrValue::N(n)) => *n,
        Some(_) => {
            return Err(StoreError::Validation(format!(
                "SET {target} = {source} + n: an operand in the update expression has an incorrect data type"
            )));
        }
    };
    old.checked_add(delta).ok_or_else(|| StoreError::Validation(format!("SET {target}: number overflow")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TenantId;

    fn item() -> Item {
        Item::new(Key::new(&TenantId::default(), "p", "s")).with("n", 5i64).with("s", "abc")
    }

    #[test]
    fn conditions() {
        let i = item();
        assert!(condition_holds(&Condition::ItemExists, Some(&i)));
        assert!(condition_holds(&Condition::ItemNotExists, None));
        assert!(condition_holds(&Condition::lt("n", 6i64), Some(&i)));
        assert!(!condition_holds(&Condition::lt("n", 5i64), Some(&i)));
        assert!(!condition_holds(&Condition::lt("n", "z"), Some(&i)));
        assert!(!condition_holds(&Condition::lt("missing", 1i64), Some(&i)));
        assert!(condition_holds(&Condition::eq("s", "abc").and(Condition::NotExists("x".into())), Some(&i)));
        assert!(condition_holds(&Condition::eq("s", "x").or(Condition::Exists("n".into())), Some(&i)));
        assert!(condition_holds(&Condition::eq("s", "x").negate(), Some(&i)));
        assert!(!condition_holds(&Condition::Exists("n".into()), None));
    }

    #[test]
    fn updates() {
        let i = item();
        let u = Update::new().add("n", 2).add("c", 1).set_if_not_exists("s", "zzz").set("t", true).remove("x");
        let out = apply_update(&i.key, Some(&i), &u).unwrap();
        assert_eq!(out.n("n"), Some(7));
        assert_eq!(out.n("c"), Some(1));
        assert_eq!(out.s("s"), Some("abc"));
        assert_eq!(out.bool("t"), Some(true));
        let seq = apply_update(&i.key, Some(&i), &Update::new().set_sum("n", "n", 1).set_sum("r", "n", 1)).unwrap();
        assert_eq!((seq.n("n"), seq.n("r")), (Some(6), Some(6)));
        let fresh = apply_update(&i.key, None, &Update::new().set_sum("n", "n", 1).set_sum("r", "n", 1)).unwrap();
        assert_eq!((fresh.n("n"), fresh.n("r")), (Some(1), Some(1)));
        let bad = apply_update(&i.key, Some(&i), &Update::new().add("s", 1));
        assert!(matches!(bad, Err(StoreError::Validation(_))));
        let bad_sum = apply_update_to(&i.key, Some(i.clone()), &Update::new().set("n", "text").set_sum("r", "s", 1));
        assert!(matches!(bad_sum, Err(StoreError::Validation(m)) if m.contains("SET r = s + n")));
        let overflow =
            apply_update_to(&i.key, Some(i.clone().with("big", i64::MAX)), &Update::new().set_sum("r", "big", 1));
        assert!(matches!(overflow, Err(StoreError::Validation(m)) if m.contains("overflow")));
        // In place on an owned item, the same result as on a borrowed one.
        let u = Update::new().set("n", "moved").set_sum("r", "n", 10).set_sum("n2", "n", 1).remove("s");
        let owned = apply_update_to(&i.key, Some(i.clone()), &u).unwrap();
        assert_eq!(owned, apply_update(&i.key, Some(&i), &u).unwrap());
        assert_eq!((owned.s("n"), owned.n("r"), owned.n("n2"), owned.s("s")), (Some("moved"), Some(15), Some(6), None));
    }
}
