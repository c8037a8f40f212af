//! DynamoDB's data-model limits, checked identically by every adapter before any write.

use std::collections::HashSet;

use super::{
    AttrValue, BatchWrite, Condition, IndexKey, Item, Key, Query, RESERVED_ATTRS, SortCondition, StoreError, Update,
    UpdateAction, WriteOp,
};

/// Largest item, in bytes (400 KB).
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// Largest physical partition-key value, in bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// Largest sort-key value, in bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;
/// Most ops in one transaction.
pub const MAX_TRANSACT_ITEMS: usize = 100;
/// Most keys in one batch get.
pub const MAX_BATCH_GET_KEYS: usize = 100;
/// Largest query page, in bytes (1 MB).
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;

fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::Validation(msg.into())
}

/// DynamoDB's size of a value, in bytes.
pub fn value_size(v: &AttrValue) -> usize {
    match v {
        AttrValue::S(s) => s.len(),
        AttrValue::N(n) => {
            // Significant digits: trailing zeros do not count.
            let mut m = n.unsigned_abs();
            while m != 0 && m % 10 == 0 {
                m /= 10;
            }
            let digits = if m == 0 { 1 } else { m.ilog10() as usize + 1 };
            digits.div_ceil(2) + 1
        }
        AttrValue::B(b) => b.len(),
        AttrValue::Bool(_) | AttrValue::Null => 1,
        AttrValue::L(l) => 3 + l.iter().map(|x| value_size(x) + 1).sum::<usize>(),
        AttrValue::M(m) => 3 + m.iter().map(|(k, x)| k.len() + value_size(x) + 1).sum::<usize>(),
    }
}

/// DynamoDB's size of a stored item (key attributes included), in bytes.
pub fn item_size(item: &Item) -> usize {
    let mut n = 2 + item.key.physical_pk_len() + 2 + item.key.sk.len();
    if let Some(ix) = &item.index {
        n += 6 + item.key.tenant.as_str().len() + 1 + ix.pk.len() + 6 + ix.sk.len();
    }
    n + item.attrs.iter().map(|(k, v)| k.len() + value_size(v)).sum::<usize>()
}

/// Checks a primary key: non-empty parts, physical partition key ≤ 2 KB, sort key ≤ 1 KB.
pub fn check_key(key: &Key) -> Result<(), StoreError> {
    if key.pk.is_empty() {
        return Err(invalid("partition key must not be empty"));
    }
    if key.sk.is_empty() {
        return Err(invalid("sort key must not be empty"));
    }
    let pk_len = key.physical_pk_len();
    if pk_len > MAX_PARTITION_KEY_BYTES {
        return Err(invalid(format!("partition key is {pk_len} bytes; the limit is {MAX_PARTITION_KEY_BYTES}")));
    }
    if key.sk.len() > MAX_SORT_KEY_BYTES {
        return Err(invalid(format!("sort key is {} bytes; the limit is {MAX_SORT_KEY_BYTES}", key.sk.len())));
    }
    Ok(())
}

fn check_index_key(tenant_len: usize, ix: &IndexKey) -> Result<(), StoreError> {
    if ix.pk.is_empty() || ix.sk.is_empty() {
        return Err(invalid("index key parts must not be empty"));
    }
    if tenant_len + 1 + ix.pk.len() > MAX_PARTITION_KEY_BYTES {
        return Err(invalid(format!("index partition key exceeds {MAX_PARTITION_KEY_BYTES} bytes")));
    }
    if ix.sk.len() > MAX_SORT_KEY_BYTES {
        return Err(invalid(format!("index sort key exceeds {MAX_SORT_KEY_BYTES} bytes")));
    }
    Ok(())
}

fn check_attr_name(name: &str) -> Result<(), StoreError> {
    if name.is_empty() {
        return Err(invalid("attribute names must not be empty"));
    }
    if RESERVED_ATTRS.contains(&name) {
        return Err(invalid(format!("attribute name {name} is reserved for keys")));
    }
    Ok(())
}

/// Checks a whole item before a put.
pub fn check_item(item: &Item) -> Result<(), StoreError> {
    check_key(&item.key)?;
    if let Some(ix) = &item.index {
        check_index_key(item.key.tenant.as_str().len(), ix)?;
    }
    for name in item.attrs.keys() {
        check_attr_name(name)?;
    }
    check_item_size(item)
}

/// Checks the 400 KB item limit (also applied to the result of an update).
pub fn check_item_size(item: &Item) -> Result<(), StoreError> {
    let size = item_size(item);
    if size > MAX_ITEM_BYTES {
        return Err(invalid(format!("item size {size} bytes exceeds the limit of {MAX_ITEM_BYTES}")));
    }
    Ok(())
}

/// Checks a condition's attribute names and value types.
pub fn check_condition(c: &Condition) -> Result<(), StoreError> {
    match c {
        Condition::ItemExists | Condition::ItemNotExists => Ok(()),
        Condition::Exists(a) | Condition::NotExists(a) | Condition::Equals(a, _) => check_attr_name(a),
        Condition::LessThan(a, v) => {
            check_attr_name(a)?;
            match v {
                AttrValue::N(_) | AttrValue::S(_) | AttrValue::B(_) => Ok(()),
                _ => Err(invalid("less-than compares only numbers, strings or binaries")),
            }
        }
        Condition::And(cs) | Condition::Or(cs) => {
            if cs.is_empty() {
                return Err(invalid("AND/OR needs at least one condition"));
            }
            cs.iter().try_for_each(check_condition)
        }
        Condition::Not(c) => check_condition(c),
    }
}

/// Checks an update: at least one action, distinct attributes, no reserved names, value sizes.
pub fn check_update(key: &Key, update: &Update) -> Result<(), StoreError> {
    check_key(key)?;
    if update.actions.is_empty() {
        return Err(invalid("update has no actions"));
    }
    let mut seen = HashSet::new();
    let mut bytes = 0usize;
    for a in &update.actions {
        let name = match a {
            UpdateAction::Set(n, v) | UpdateAction::SetIfNotExists(n, v) => {
                bytes += n.len() + value_size(v);
                n.as_str()
            }
            UpdateAction::Remove(n) | UpdateAction::Add(n, _) => n.as_str(),
            UpdateAction::SetSum { target, source, .. } => {
                check_attr_name(source)?;
                target.as_str()
            }
            UpdateAction::SetIndex(ix) => {
                check_index_key(key.tenant.as_str().len(), ix)?;
                "\u{0}index"
            }
            UpdateAction::RemoveIndex => "\u{0}index",
        };
        if !name.starts_with('\u{0}') {
            check_attr_name(name)?;
        }
        if !seen.insert(name) {
            return Err(invalid(format!("two update actions touch the same attribute {name}")));
        }
    }
    if bytes > MAX_ITEM_BYTES {
        return Err(invalid(format!("update values of {bytes} bytes exceed the item limit of {MAX_ITEM_BYTES}")));
    }
    Ok(())
}

/// Checks a query's key condition.
pub fn check_query(q: &Query) -> Result<(), StoreError> {
    if q.pk.is_empty() {
        return Err(invalid("query partition key must not be empty"));
    }
    if q.limit == Some(0) {
        return Err(invalid("query limit must be at least 1"));
    }
    let non_empty = |v: &str| {
        if v.is_empty() { Err(invalid("sort-key condition values must not be empty")) } else { Ok(()) }
    };
    match &q.sort {
        SortCondition::All => Ok(()),
        SortCondition::Eq(v)
        | SortCondition::Lt(v)
        | SortCondition::Le(v)
        | SortCondition::Gt(v)
        | SortCondition::Ge(v)
        | SortCondition::BeginsWith(v) => non_empty(v),
        SortCondition::Between(lo, hi) => {
            non_empty(lo)?;
            non_empty(hi)?;
            if lo.as_bytes() > hi.as_bytes() {
                return Err(invalid("BETWEEN bounds are in the wrong order"));
            }
            Ok(())
        }
    }
}

/// Checks a batch get: 1–100 keys, each valid.
pub fn check_batch_get(keys: &[Key]) -> Result<(), StoreError> {
    if keys.len() > MAX_BATCH_GET_KEYS {
        return Err(invalid(format!("batch get takes at most {MAX_BATCH_GET_KEYS} keys")));
    }
    keys.iter().try_for_each(check_key)
}

/// Checks a batch write: every item and key valid, no key twice.
pub fn check_batch_write(writes: &[BatchWrite]) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    for w in writes {
        let key = match w {
            BatchWrite::Put(item) => {
                check_item(item)?;
                &item.key
            }
            BatchWrite::Delete(key) => {
                check_key(key)?;
                key
            }
        };
        if !seen.insert(key) {
            return Err(invalid("batch write names the same key twice"));
        }
    }
    Ok(())
}

/// Checks a transaction: 1–100 ops on distinct keys, each valid.
pub fn check_transaction(ops: &[WriteOp]) -> Result<(), StoreError> {
    if ops.is_empty() || ops.len() > MAX_TRANSACT_ITEMS {
        return Err(invalid(format!("a transaction takes 1 to {MAX_TRANSACT_ITEMS} ops")));
    }
    let mut seen = HashSet::new();
    for op in ops {
        match op {
            WriteOp::Put { item, .. } => check_item(item)?,
            WriteOp::Update { key, update, .. } => check_update(key, update)?,
            WriteOp::Delete { key, .. } | WriteOp::Check { key, .. } => check_key(key)?,
        }
        if let Some(c) = op.condition() {
            check_condition(c)?;
        }
        if !seen.insert(op.key()) {
            return Err(invalid("transaction names the same key twice"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TenantId;

    #[test]
    fn key_limits() {
        let t = TenantId::default();
        assert!(check_key(&Key::new(&t, "p", "s")).is_ok());
        assert!(check_key(&Key::new(&t, "", "s")).is_err());
        assert!(check_key(&Key::new(&t, "p", "")).is_err());
        assert!(check_key(&Key::new(&t, "p".repeat(2048), "s")).is_err());
        assert!(check_key(&Key::new(&t, "p", "s".repeat(1024))).is_ok());
        assert!(check_key(&Key::new(&t, "p", "s".repeat(1025))).is_err());
    }

    #[test]
    fn item_limits() {
        let t = TenantId::default();
        let big = Item::new(Key::new(&t, "p", "s")).with("v", "x".repeat(MAX_ITEM_BYTES));
        assert!(check_item(&big).is_err());
        let ok = Item::new(Key::new(&t, "p", "s")).with("v", "x".repeat(MAX_ITEM_BYTES - 100));
        assert!(check_item(&ok).is_ok());
        let reserved = Item::new(Key::new(&t, "p", "s")).with("pk", "x");
        assert!(check_item(&reserved).is_err());
    }

    #[test]
    fn number_sizes() {
        assert_eq!(value_size(&AttrValue::N(0)), 2);
        assert_eq!(value_size(&AttrValue::N(12345)), 4);
        assert_eq!(value_size(&AttrValue::N(1000)), 2);
        assert_eq!(value_size(&AttrValue::N(-1_700_000_000_123)), 8);
        // Significant decimal digits, as the string of the number would count them.
        let by_string = |n: i64| n.unsigned_abs().to_string().trim_end_matches('0').len().max(1).div_ceil(2) + 1;
        let mut samples = vec![i64::MIN, i64::MAX, -1, 1, 9, 10, 99, 100, 101];
        samples.extend((0..64).map(|b| 1i64 << b).chain((0..19).map(|e| 10i64.pow(e) + 7)));
        for n in samples {
            assert_eq!(value_size(&AttrValue::N(n)), by_string(n), "{n}");
        }
    }

    #[test]
    fn update_overlap_rejected() {
        let k = Key::new(&TenantId::default(), "p", "s");
        assert!(check_update(&k, &Update::new().set("a", 1i64).add("a", 1)).is_err());
        assert!(check_update(&k, &Update::new()).is_err());
        assert!(check_update(&k, &Update::new().set("a", 1i64).add("b", 1)).is_ok());
    }
}
