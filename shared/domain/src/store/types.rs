//! Value types of the storage port.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Cursor;
use crate::TenantId;

/// Name of the physical partition-key attribute (reserved).
pub const PK_ATTR: &str = "pk";
/// Name of the physical sort-key attribute (reserved).
pub const SK_ATTR: &str = "sk";
/// Name of the secondary index.
pub const GSI1_NAME: &str = "gsi1";
/// Name of the secondary index's partition-key attribute (reserved).
pub const GSI1_PK_ATTR: &str = "gsi1pk";
/// Name of the secondary index's sort-key attribute (reserved).
pub const GSI1_SK_ATTR: &str = "gsi1sk";
/// Name of the TTL attribute (Unix seconds; DynamoDB deletes expired items eventually).
pub const TTL_ATTR: &str = "ttl";
/// Attribute names callers may not use: the adapters store keys under them.
pub const RESERVED_ATTRS: [&str; 4] = [PK_ATTR, SK_ATTR, GSI1_PK_ATTR, GSI1_SK_ATTR];

/// An attribute value (the DynamoDB types this project uses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttrValue {
    /// String.
    S(String),
    /// Integer number.
    N(i64),
    /// Binary.
    B(Vec<u8>),
    /// Boolean.
    Bool(bool),
    /// Null.
    Null,
    /// List.
    L(Vec<AttrValue>),
    /// Map.
    M(BTreeMap<String, AttrValue>),
}

impl AttrValue {
    /// The string, if this is `S`.
    pub fn as_s(&self) -> Option<&str> {
        match self {
            AttrValue::S(s) => Some(s),
            _ => None,
        }
    }
    /// The number, if this is `N`.
    pub fn as_n(&self) -> Option<i64> {
        match self {
            AttrValue::N(n) => Some(*n),
            _ => None,
        }
    }
    /// The bytes, if this is `B`.
    pub fn as_b(&self) -> Option<&[u8]> {
        match self {
            AttrValue::B(b) => Some(b),
            _ => None,
        }
    }
    /// The boolean, if this is `Bool`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttrValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The list, if this is `L`.
    pub fn as_l(&self) -> Option<&[AttrValue]> {
        match self {
            AttrValue::L(l) => Some(l),
            _ => None,
        }
    }
    /// The map, if this is `M`.
    pub fn as_m(&self) -> Option<&BTreeMap<String, AttrValue>> {
        match self {
            AttrValue::M(m) => Some(m),
            _ => None,
        }
    }
}

impl From<&str> for AttrValue {
    fn from(s: &str) -> Self {
        AttrValue::S(s.to_string())
    }
}
impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue::S(s)
    }
}
impl From<i64> for AttrValue {
    fn from(n: i64) -> Self {
        AttrValue::N(n)
    }
}
impl From<i32> for AttrValue {
    fn from(n: i32) -> Self {
        AttrValue::N(n as i64)
    }
}
impl From<bool> for AttrValue {
    fn from(b: bool) -> Self {
        AttrValue::Bool(b)
    }
}
impl From<Vec<u8>> for AttrValue {
    fn from(b: Vec<u8>) -> Self {
        AttrValue::B(b)
    }
}

/// An item's non-key attributes.
pub type Attrs = BTreeMap<String, AttrValue>;

/// A tenant-scoped primary key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Owning tenant.
    pub tenant: TenantId,
    /// Logical partition key (the adapters store `<tenant>#<pk>`).
    pub pk: String,
    /// Sort key.
    pub sk: String,
}

impl Key {
    /// A key in `tenant`.
    pub fn new(tenant: &TenantId, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Key { tenant: tenant.clone(), pk: pk.into(), sk: sk.into() }
    }

    /// The physical partition-key value, `<tenant>#<pk>`.
    pub fn physical_pk(&self) -> String {
        physical_pk(&self.tenant, &self.pk)
    }

    /// Length in bytes of [`Key::physical_pk`], without building it.
    pub fn physical_pk_len(&self) -> usize {
        self.tenant.as_str().len() + 1 + self.pk.len()
    }
}

/// The physical partition key for a tenant and logical key: `<tenant>#<pk>`.
pub fn physical_pk(tenant: &TenantId, pk: &str) -> String {
    let t = tenant.as_str();
    let mut s = String::with_capacity(t.len() + 1 + pk.len());
    s.push_str(t);
    s.push('#');
    s.push_str(pk);
    s
}

/// Splits a physical partition key into tenant and logical key.
pub fn split_physical_pk(physical: &str) -> Option<(TenantId, &str)> {
    let (t, pk) = physical.split_once('#')?;
    Some((TenantId::parse(t).ok()?, pk))
}

/// The alternate key pair of the secondary index (in the item's tenant).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexKey {
    /// Logical index partition key.
    pub pk: String,
    /// Index sort key.
    pub sk: String,
}

impl IndexKey {
    /// An index key pair.
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        IndexKey { pk: pk.into(), sk: sk.into() }
    }
}

/// One stored item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Primary key.
    pub key: Key,
    /// Secondary-index key, if the item is indexed.
    pub index: Option<IndexKey>,
    /// Non-key attributes.
    pub attrs: Attrs,
}

impl Item {
    /// An item with no attributes.
    pub fn new(key: Key) -> Self {
        Item { key, index: None, attrs: Attrs::new() }
    }
    /// Adds an attribute (builder style).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<AttrValue>) -> Self {
        self.attrs.insert(name.into(), value.into());
        self
    }
    /// The item with only the attributes named in `names` (key and index key kept).
    pub fn project<N: AsRef<str>>(mut self, names: &[N]) -> Self {
        self.attrs.retain(|name, _| names.iter().any(|n| n.as_ref() == name));
        self
    }
    /// A copy of [`Item::project`]'s result that copies only the named attributes.
    pub fn projected<N: AsRef<str>>(&self, names: &[N]) -> Self {
        // Inserted one by one: collecting sorts through a scratch vector first, which costs
        // more than the few attributes a projection names.
        let mut copy = Item { key: self.key.clone(), index: self.index.clone(), attrs: BTreeMap::new() };
        for (name, value) in names.iter().filter_map(|n| self.attrs.get_key_value(n.as_ref())) {
            copy.attrs.insert(name.clone(), value.clone());
        }
        copy
    }
    /// Sets the secondary-index key (builder style).
    pub fn with_index(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.index = Some(IndexKey::new(pk, sk));
        self
    }
    /// A string attribute.
    pub fn s(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).and_then(AttrValue::as_s)
    }
    /// A number attribute.
    pub fn n(&self, name: &str) -> Option<i64> {
        self.attrs.get(name).and_then(AttrValue::as_n)
    }
    /// A boolean attribute.
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.attrs.get(name).and_then(AttrValue::as_bool)
    }
}

/// Read consistency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Consistency {
    /// Read-after-write consistent (1 RRU per 4 KB).
    #[default]
    Strong,
    /// Eventually consistent (0.5 RRU per 4 KB). Secondary-index queries are always eventual.
    Eventual,
}

/// A typed write condition (DynamoDB condition expressions without string parsing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The item exists.
    ItemExists,
    /// The item does not exist.
    ItemNotExists,
    /// The attribute exists.
    Exists(String),
    /// The attribute does not exist.
    NotExists(String),
    /// The attribute exists and equals the value.
    Equals(String, AttrValue),
    /// The attribute exists, has the value's type (N, S or B) and is less than it.
    LessThan(String, AttrValue),
    /// All hold.
    And(Vec<Condition>),
    /// At least one holds.
    Or(Vec<Condition>),
    /// Negation.
    Not(Box<Condition>),
}

impl Condition {
    /// `a AND b`.
    pub fn and(self, other: Condition) -> Condition {
        Condition::And(vec![self, other])
    }
    /// `a OR b`.
    pub fn or(self, other: Condition) -> Condition {
        Condition::Or(vec![self, other])
    }
    /// `attr = value`.
    pub fn eq(attr: impl Into<String>, value: impl Into<AttrValue>) -> Condition {
        Condition::Equals(attr.into(), value.into())
    }
    /// `attr < value`.
    pub fn lt(attr: impl Into<String>, value: impl Into<AttrValue>) -> Condition {
        Condition::LessThan(attr.into(), value.into())
    }
    /// `NOT c`.
    pub fn negate(self) -> Condition {
        Condition::Not(Box::new(self))
    }
}

/// One action of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateAction {
    /// `SET attr = value`.
    Set(String, AttrValue),
    /// `SET attr = if_not_exists(attr, value)`.
    SetIfNotExists(String, AttrValue),
    /// `REMOVE attr`.
    Remove(String),
    /// `ADD attr delta` (number; starts from 0 when absent).
    Add(String, i64),
    /// `SET target = if_not_exists(source, 0) + delta`, reading `source` from the item as it was
    /// before this update (so a counter and a copy of its new value move in one write).
    SetSum {
        /// Attribute written.
        target: String,
        /// Number attribute read (0 when absent); may equal `target`.
        source: String,
        /// Added to the source value.
        delta: i64,
    },
    /// Sets the secondary-index key.
    SetIndex(IndexKey),
    /// Removes the secondary-index key.
    RemoveIndex,
}

/// An update: a list of actions applied together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Update {
    /// The actions, each on a distinct attribute.
    pub actions: Vec<UpdateAction>,
    /// The attributes of the new item that [`crate::store::Store::update`] returns (and that
    /// `update_then_put`'s builder sees); `None`: all of them. Not used in transactions.
    pub returning: Option<Vec<String>>,
}

impl Update {
    /// An empty update.
    pub fn new() -> Self {
        Update::default()
    }
    /// Returns only these attributes of the new item (besides its key and index key): less to
    /// copy and drop when the caller wants one counter out of a large item.
    pub fn returning(mut self, attrs: &[&str]) -> Self {
        self.returning = Some(attrs.iter().map(|a| a.to_string()).collect());
        self
    }
    /// What an update that wrote `new` returns: `new`, cut to [`Update::returning`] when set.
    pub fn returned(&self, new: Item) -> Item {
        match &self.returning {
            Some(names) => new.project(names),
            None => new,
        }
    }
    /// [`Update::returned`] of an item the caller keeps: copies only the returned attributes.
    pub fn returned_copy(&self, new: &Item) -> Item {
        match &self.returning {
            Some(names) => new.projected(names),
            None => new.clone(),
        }
    }
    /// Adds `SET attr = value`.
    pub fn set(mut self, attr: impl Into<String>, value: impl Into<AttrValue>) -> Self {
        self.actions.push(UpdateAction::Set(attr.into(), value.into()));
        self
    }
    /// Adds `SET attr = if_not_exists(attr, value)`.
    pub fn set_if_not_exists(mut self, attr: impl Into<String>, value: impl Into<AttrValue>) -> Self {
        self.actions.push(UpdateAction::SetIfNotExists(attr.into(), value.into()));
        self
    }
    /// Adds `REMOVE attr`.
    pub fn remove(mut self, attr: impl Into<String>) -> Self {
        self.actions.push(UpdateAction::Remove(attr.into()));
        self
    }
    /// Adds `ADD attr delta`.
    pub fn add(mut self, attr: impl Into<String>, delta: i64) -> Self {
        self.actions.push(UpdateAction::Add(attr.into(), delta));
        self
    }
    /// Adds `SET target = if_not_exists(source, 0) + delta` (source read before the update).
    pub fn set_sum(mut self, target: impl Into<String>, source: impl Into<String>, delta: i64) -> Self {
        self.actions.push(UpdateAction::SetSum { target: target.into(), source: source.into(), delta });
        self
    }
    /// Sets the secondary-index key.
    pub fn set_index(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.actions.push(UpdateAction::SetIndex(IndexKey::new(pk, sk)));
        self
    }
    /// Removes the secondary-index key.
    pub fn remove_index(mut self) -> Self {
        self.actions.push(UpdateAction::RemoveIndex);
        self
    }
}

/// Which key pair a query runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Index {
    /// The table's primary key.
    #[default]
    Primary,
    /// The secondary index `gsi1` (eventually consistent).
    Gsi1,
}

/// A sort-key condition of a query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SortCondition {
    /// Every item of the partition.
    #[default]
    All,
    /// `sk = v`.
    Eq(String),
    /// `sk < v`.
    Lt(String),
    /// `sk <= v`.
    Le(String),
    /// `sk > v`.
    Gt(String),
    /// `sk >= v`.
    Ge(String),
    /// `begins_with(sk, prefix)`.
    BeginsWith(String),
    /// `sk BETWEEN lo AND hi` (inclusive).
    Between(String, String),
}

impl SortCondition {
    /// Whether `sk` satisfies the condition (byte-wise string order, as DynamoDB).
    pub fn matches(&self, sk: &str) -> bool {
        match self {
            SortCondition::All => true,
            SortCondition::Eq(v) => sk == v,
            SortCondition::Lt(v) => sk < v.as_str(),
            SortCondition::Le(v) => sk <= v.as_str(),
            SortCondition::Gt(v) => sk > v.as_str(),
            SortCondition::Ge(v) => sk >= v.as_str(),
            SortCondition::BeginsWith(p) => sk.starts_with(p.as_str()),
            SortCondition::Between(lo, hi) => lo.as_str() <= sk && sk <= hi.as_str(),
        }
    }
}

/// A query on one partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Tenant.
    pub tenant: TenantId,
    /// Key pair to query.
    pub index: Index,
    /// Logical partition key (of the table or the index).
    pub pk: String,
    /// Sort-key condition.
    pub sort: SortCondition,
    /// Ascending sort-key order when true.
    pub forward: bool,
    /// Maximum items per page (DynamoDB also stops a page at 1 MB).
    pub limit: Option<u32>,
    /// Where the previous page stopped.
    pub cursor: Option<Cursor>,
    /// Read consistency (ignored for the secondary index, which is eventual).
    pub consistency: Consistency,
}

impl Query {
    /// All items of a table partition, ascending, strongly consistent, unlimited.
    pub fn partition(tenant: &TenantId, pk: impl Into<String>) -> Self {
        Query {
            tenant: tenant.clone(),
            index: Index::Primary,
            pk: pk.into(),
            sort: SortCondition::All,
            forward: true,
            limit: None,
            cursor: None,
            consistency: Consistency::Strong,
        }
    }
    /// Same query on the secondary index.
    pub fn on_index(mut self) -> Self {
        self.index = Index::Gsi1;
        self.consistency = Consistency::Eventual;
        self
    }
    /// Sets the sort-key condition.
    pub fn sort(mut self, sort: SortCondition) -> Self {
        self.sort = sort;
        self
    }
    /// Descending order.
    pub fn backward(mut self) -> Self {
        self.forward = false;
        self
    }
    /// Page size.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }
    /// Continue after a cursor.
    pub fn after(mut self, cursor: Option<Cursor>) -> Self {
        self.cursor = cursor;
        self
    }
}

/// One page of query results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// Items in sort-key order of the query's direction.
    pub items: Vec<Item>,
    /// Cursor for the next page; `None` when the partition is exhausted.
    pub cursor: Option<Cursor>,
}

/// One write of a batch (unconditional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchWrite {
    /// Put a whole item.
    Put(Item),
    /// Delete an item.
    Delete(Key),
}

/// One write of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    /// Put a whole item.
    Put {
        /// The item.
        item: Item,
        /// Condition on the existing item.
        condition: Option<Condition>,
    },
    /// Update an item (creating it if absent).
    Update {
        /// The key.
        key: Key,
        /// The update.
        update: Update,
        /// Condition on the existing item.
        condition: Option<Condition>,
    },
    /// Delete an item.
    Delete {
        /// The key.
        key: Key,
        /// Condition on the existing item.
        condition: Option<Condition>,
    },
    /// Only check a condition.
    Check {
        /// The key.
        key: Key,
        /// The condition.
        condition: Condition,
    },
}

impl WriteOp {
    /// The key this op touches.
    pub fn key(&self) -> &Key {
        match self {
            WriteOp::Put { item, .. } => &item.key,
            WriteOp::Update { key, .. } | WriteOp::Delete { key, .. } | WriteOp::Check { key, .. } => key,
        }
    }
    /// The op's condition, if any.
    pub fn condition(&self) -> Option<&Condition> {
        match self {
            WriteOp::Put { condition, .. } | WriteOp::Update { condition, .. } | WriteOp::Delete { condition, .. } => {
                condition.as_ref()
            }
            WriteOp::Check { condition, .. } => Some(condition),
        }
    }
}
