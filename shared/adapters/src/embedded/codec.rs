//! Encoding of stored items (postcard): the index key and the attributes; the primary key is
//! the table key and is not repeated in the value.

use im_domain::store::{Attrs, IndexKey, Item, Key, StoreError};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct StoredRef<'a> {
    index: &'a Option<IndexKey>,
    attrs: &'a Attrs,
}

#[derive(Deserialize)]
struct Stored {
    index: Option<IndexKey>,
    attrs: Attrs,
}

/// Encodes an item's value part.
pub(crate) fn encode(item: &Item) -> Result<Vec<u8>, StoreError> {
    postcard::to_stdvec(&StoredRef { index: &item.index, attrs: &item.attrs })
        .map_err(|e| StoreError::Internal(format!("encode item: {e}")))
}

/// Decodes a stored value under its key.
pub(crate) fn decode(key: Key, bytes: &[u8]) -> Result<Item, StoreError> {
    let s: Stored = postcard::from_bytes(bytes).map_err(|e| StoreError::Internal(format!("decode item: {e}")))?;
    Ok(Item { key, index: s.index, attrs: s.attrs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use im_domain::TenantId;
    use im_domain::store::AttrValue;

    #[test]
    fn round_trip() {
        let key = Key::new(&TenantId::default(), "p", "s");
        let mut m = std::collections::BTreeMap::new();
        m.insert("x".to_string(), AttrValue::L(vec![AttrValue::Null, AttrValue::B(vec![1, 2])]));
        let item = Item::new(key.clone()).with("m", AttrValue::M(m)).with("n", -5i64).with_index("a", "b");
        let bytes = encode(&item).unwrap();
        assert_eq!(decode(key, &bytes).unwrap(), item);
    }
}
