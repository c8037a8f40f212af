//! Conversion between the domain's values and DynamoDB's attribute values, items and cursors.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use im_domain::TenantId;
use im_domain::store::{
    AttrValue, Attrs, Cursor, GSI1_PK_ATTR, GSI1_SK_ATTR, Index, IndexKey, Item, Key, PK_ATTR, SK_ATTR, StoreError,
    physical_pk, split_physical_pk,
};

/// A DynamoDB item as the SDK represents it.
pub(crate) type RawItem = HashMap<String, AttributeValue>;

fn internal(msg: impl Into<String>) -> StoreError {
    StoreError::Internal(msg.into())
}

/// Converts a domain value to a DynamoDB attribute value.
pub(crate) fn to_av(v: &AttrValue) -> AttributeValue {
    match v {
        AttrValue::S(s) => AttributeValue::S(s.clone()),
        AttrValue::N(n) => AttributeValue::N(n.to_string()),
        AttrValue::B(b) => AttributeValue::B(Blob::new(b.clone())),
        AttrValue::Bool(b) => AttributeValue::Bool(*b),
        AttrValue::Null => AttributeValue::Null(true),
        AttrValue::L(l) => AttributeValue::L(l.iter().map(to_av).collect()),
        AttrValue::M(m) => AttributeValue::M(m.iter().map(|(k, x)| (k.clone(), to_av(x))).collect()),
    }
}

/// Converts a DynamoDB attribute value back; `name` only labels error messages.
pub(crate) fn from_av(name: &str, v: &AttributeValue) -> Result<AttrValue, StoreError> {
    Ok(match v {
        AttributeValue::S(s) => AttrValue::S(s.clone()),
        AttributeValue::N(n) => AttrValue::N(
            n.parse::<i64>().map_err(|_| internal(format!("attribute {name}: number {n} is not a 64-bit integer")))?,
        ),
        AttributeValue::B(b) => AttrValue::B(b.clone().into_inner()),
        AttributeValue::Bool(b) => AttrValue::Bool(*b),
        AttributeValue::Null(_) => AttrValue::Null,
        AttributeValue::L(l) => AttrValue::L(l.iter().map(|x| from_av(name, x)).collect::<Result<_, _>>()?),
        AttributeValue::M(m) => {
            AttrValue::M(m.iter().map(|(k, x)| Ok((k.clone(), from_av(name, x)?))).collect::<Result<_, StoreError>>()?)
        }
        _ => return Err(internal(format!("attribute {name}: unsupported DynamoDB type"))),
    })
}

/// The physical primary key of `key` (`pk` = `<tenant>#<pk>`, `sk`).
pub(crate) fn key_to_raw(key: &Key) -> RawItem {
    HashMap::from([
        (PK_ATTR.to_string(), AttributeValue::S(key.physical_pk())),
        (SK_ATTR.to_string(), AttributeValue::S(key.sk.clone())),
    ])
}

/// The physical item: key attributes, index attributes (when indexed) and the other attributes.
pub(crate) fn item_to_raw(item: &Item) -> RawItem {
    let mut raw = key_to_raw(&item.key);
    if let Some(ix) = &item.index {
        raw.insert(GSI1_PK_ATTR.to_string(), AttributeValue::S(physical_pk(&item.key.tenant, &ix.pk)));
        raw.insert(GSI1_SK_ATTR.to_string(), AttributeValue::S(ix.sk.clone()));
    }
    for (name, v) in &item.attrs {
        raw.insert(name.clone(), to_av(v));
    }
    raw
}

fn string_attr<'a>(raw: &'a RawItem, name: &str) -> Result<&'a str, StoreError> {
    match raw.get(name) {
        Some(AttributeValue::S(s)) => Ok(s),
        Some(_) => Err(internal(format!("key attribute {name} is not a string"))),
        None => Err(internal(format!("key attribute {name} is missing"))),
    }
}

/// Splits a physical partition key, requiring a valid tenant prefix.
fn split(physical: &str) -> Result<(TenantId, &str), StoreError> {
    split_physical_pk(physical).ok_or_else(|| internal(format!("malformed physical partition key {physical:?}")))
}

/// Strips the tenant prefix of a physical index partition key, requiring it to be `tenant`.
fn logical_index_pk<'a>(tenant: &TenantId, physical: &'a str) -> Result<&'a str, StoreError> {
    physical
        .strip_prefix(tenant.as_str())
        .and_then(|rest| rest.strip_prefix('#'))
        .ok_or_else(|| internal(format!("index partition key {physical:?} is not in tenant {tenant}")))
}

/// Converts a stored DynamoDB item back to a domain item.
pub(crate) fn raw_to_item(raw: &RawItem) -> Result<Item, StoreError> {
    let (tenant, pk) = split(string_attr(raw, PK_ATTR)?)?;
    let sk = string_attr(raw, SK_ATTR)?;
    let index = match (raw.get(GSI1_PK_ATTR), raw.get(GSI1_SK_ATTR)) {
        (Some(_), Some(_)) => {
            let ipk = logical_index_pk(&tenant, string_attr(raw, GSI1_PK_ATTR)?)?;
            Some(IndexKey::new(ipk, string_attr(raw, GSI1_SK_ATTR)?))
        }
        _ => None,
    };
    let mut attrs = Attrs::new();
    for (name, v) in raw {
        if matches!(name.as_str(), PK_ATTR | SK_ATTR | GSI1_PK_ATTR | GSI1_SK_ATTR) {
            continue;
        }
        attrs.insert(name.clone(), from_av(name, v)?);
    }
    Ok(Item { key: Key { tenant: tenant.clone(), pk: pk.to_string(), sk: sk.to_string() }, index, attrs })
}

/// Converts an optional returned item (absent or empty means no item).
pub(crate) fn opt_item(raw: Option<&RawItem>) -> Result<Option<Item>, StoreError> {
    match raw {
        Some(r) if !r.is_empty() => raw_to_item(r).map(Some),
        _ => Ok(None),
    }
}

/// The cursor pointing at `item` in a query on `index` (logical keys only).
pub(crate) fn cursor_of_item(index: Index, item: &Item) -> Result<Cursor, StoreError> {
    match index {
        Index::Primary => Ok(Cursor::from_parts(&[&item.key.pk, &item.key.sk])),
        Index::Gsi1 => {
            let ix = item.index.as_ref().ok_or_else(|| internal("index query returned an item without index key"))?;
            Ok(Cursor::from_parts(&[&item.key.pk, &item.key.sk, &ix.pk, &ix.sk]))
        }
    }
}

/// Converts a `LastEvaluatedKey` to a cursor (logical keys only).
pub(crate) fn cursor_of_last_key(index: Index, raw: &RawItem) -> Result<Cursor, StoreError> {
    let (tenant, pk) = split(string_attr(raw, PK_ATTR)?)?;
    let sk = string_attr(raw, SK_ATTR)?;
    match index {
        Index::Primary => Ok(Cursor::from_parts(&[pk, sk])),
        Index::Gsi1 => {
            let ipk = logical_index_pk(&tenant, string_attr(raw, GSI1_PK_ATTR)?)?;
            let isk = string_attr(raw, GSI1_SK_ATTR)?;
            Ok(Cursor::from_parts(&[pk, sk, ipk, isk]))
        }
    }
}

/// Rebuilds the physical `ExclusiveStartKey` of a query in `tenant` on partition `pk` from its cursor.
pub(crate) fn start_key_of_cursor(
    tenant: &TenantId,
    index: Index,
    pk: &str,
    cursor: &Cursor,
) -> Result<RawItem, StoreError> {
    let bad = |why: &str| StoreError::Validation(format!("invalid pagination cursor: {why}"));
    let parts = cursor.parts()?;
    if parts.iter().any(String::is_empty) {
        return Err(bad("empty key part"));
    }
    let s = |v: &str| AttributeValue::S(v.to_string());
    match (index, parts.as_slice()) {
        (Index::Primary, [p, k]) => {
            if p != pk {
                return Err(bad("it belongs to another partition"));
            }
            Ok(HashMap::from([(PK_ATTR.to_string(), s(&physical_pk(tenant, p))), (SK_ATTR.to_string(), s(k))]))
        }
        (Index::Gsi1, [p, k, ip, ik]) => {
            if ip != pk {
                return Err(bad("it belongs to another partition"));
            }
            Ok(HashMap::from([
                (PK_ATTR.to_string(), s(&physical_pk(tenant, p))),
                (SK_ATTR.to_string(), s(k)),
                (GSI1_PK_ATTR.to_string(), s(&physical_pk(tenant, ip))),
                (GSI1_SK_ATTR.to_string(), s(ik)),
            ]))
        }
        (Index::Primary, _) => Err(bad("it was issued by a secondary-index query")),
        (Index::Gsi1, _) => Err(bad("it was issued by a table query")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn tenant() -> TenantId {
        TenantId::parse("acme").unwrap()
    }

    #[test]
    fn values_round_trip() {
        let nested = AttrValue::M(BTreeMap::from([
            ("l".to_string(), AttrValue::L(vec![AttrValue::N(-7), AttrValue::Null, AttrValue::Bool(true)])),
            ("b".to_string(), AttrValue::B(vec![0, 255])),
            ("s".to_string(), AttrValue::S(String::new())),
        ]));
        for v in [AttrValue::N(i64::MIN), AttrValue::N(i64::MAX), AttrValue::S("x".into()), nested] {
            assert_eq!(from_av("a", &to_av(&v)).unwrap(), v);
        }
        assert_eq!(to_av(&AttrValue::N(42)), AttributeValue::N("42".into()));
        assert_eq!(to_av(&AttrValue::Null), AttributeValue::Null(true));
    }

    #[test]
    fn non_integer_numbers_are_internal_errors() {
        for n in ["1.5", "1e3", "99999999999999999999"] {
            assert!(matches!(from_av("a", &AttributeValue::N(n.into())), Err(StoreError::Internal(_))));
        }
        let ss = AttributeValue::Ss(vec!["a".into()]);
        assert!(matches!(from_av("a", &ss), Err(StoreError::Internal(_))));
    }

    #[test]
    fn items_round_trip_with_physical_layout() {
        let item = Item::new(Key::new(&tenant(), "u#1", "msg#0001")).with("n", 3i64).with_index("conv#9", "0001");
        let raw = item_to_raw(&item);
        assert_eq!(raw.get(PK_ATTR), Some(&AttributeValue::S("acme#u#1".into())));
        assert_eq!(raw.get(SK_ATTR), Some(&AttributeValue::S("msg#0001".into())));
        assert_eq!(raw.get(GSI1_PK_ATTR), Some(&AttributeValue::S("acme#conv#9".into())));
        assert_eq!(raw.get(GSI1_SK_ATTR), Some(&AttributeValue::S("0001".into())));
        assert_eq!(raw_to_item(&raw).unwrap(), item);
        let plain = Item::new(Key::new(&tenant(), "p", "s"));
        assert_eq!(raw_to_item(&item_to_raw(&plain)).unwrap(), plain);
        assert_eq!(opt_item(Some(&RawItem::new())).unwrap(), None);
    }

    #[test]
    fn malformed_physical_keys_are_internal_errors() {
        let mut raw = key_to_raw(&Key::new(&tenant(), "p", "s"));
        raw.insert(PK_ATTR.into(), AttributeValue::S("no-separator".into()));
        assert!(matches!(raw_to_item(&raw), Err(StoreError::Internal(_))));
    }

    #[test]
    fn cursors_use_logical_keys() {
        let t = tenant();
        let item = Item::new(Key::new(&t, "p", "s1")).with_index("ip", "is1");
        let c = cursor_of_item(Index::Primary, &item).unwrap();
        assert_eq!(c.parts().unwrap(), vec!["p", "s1"]);
        let start = start_key_of_cursor(&t, Index::Primary, "p", &c).unwrap();
        assert_eq!(start, key_to_raw(&item.key));
        assert_eq!(cursor_of_last_key(Index::Primary, &start).unwrap(), c);

        let g = cursor_of_item(Index::Gsi1, &item).unwrap();
        assert_eq!(g.parts().unwrap(), vec!["p", "s1", "ip", "is1"]);
        let gstart = start_key_of_cursor(&t, Index::Gsi1, "ip", &g).unwrap();
        assert_eq!(gstart.get(GSI1_PK_ATTR), Some(&AttributeValue::S("acme#ip".into())));
        assert_eq!(cursor_of_last_key(Index::Gsi1, &gstart).unwrap(), g);

        let v = |r: Result<RawItem, StoreError>| matches!(r, Err(StoreError::Validation(_)));
        assert!(v(start_key_of_cursor(&t, Index::Gsi1, "ip", &c)));
        assert!(v(start_key_of_cursor(&t, Index::Primary, "p", &g)));
        assert!(v(start_key_of_cursor(&t, Index::Primary, "other", &c)));
        assert!(v(start_key_of_cursor(&t, Index::Primary, "p", &Cursor::from_string("%%"))));
        assert!(v(start_key_of_cursor(&t, Index::Primary, "p", &Cursor::from_parts(&["p", ""]))));
    }
}
