//! The DynamoDB adapter of the storage port ([`Store`]).
//!
//! One table holds every tenant's items. Physical layout:
//!
//! * `pk` (S, hash key) = `<tenant>#<pk>`, `sk` (S, range key) = the sort key;
//! * `gsi1pk` (S) = `<tenant>#<index pk>`, `gsi1sk` (S) = the index sort key, present only on
//!   indexed items; the global secondary index `gsi1` projects all attributes;
//! * every other attribute as its DynamoDB type (`N` holds decimal `i64` strings);
//! * `ttl` (N, Unix seconds) is the table's TTL attribute.
//!
//! Conditions and updates become expressions with generated placeholders; their semantics equal
//! the reference functions in [`im_domain::store::eval`]. Query cursors carry logical keys only
//! (no tenant prefix), in the same encoding as every other backend.

mod convert;
mod error;
mod expr;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, ConditionCheck, Delete, DeleteRequest, GlobalSecondaryIndex, IndexStatus,
    KeySchemaElement, KeyType, KeysAndAttributes, Projection, ProjectionType, Put, PutRequest, ReturnValue,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TableStatus, TimeToLiveSpecification, TimeToLiveStatus,
    TransactWriteItem, WriteRequest,
};
use im_domain::store::limits::{
    check_batch_get, check_batch_write, check_condition, check_item, check_key, check_query, check_transaction,
    check_update,
};
use im_domain::store::{
    BatchWrite, Condition, Consistency, GSI1_NAME, GSI1_PK_ATTR, GSI1_SK_ATTR, Index, Item, Key, PK_ATTR, Page, Query,
    SK_ATTR, Store, StoreError, StoreResult, TTL_ATTR, Update, UpdateAction, WriteOp, physical_pk,
};

use self::convert::{
    RawItem, cursor_of_item, cursor_of_last_key, item_to_raw, key_to_raw, opt_item, raw_to_item, start_key_of_cursor,
};
use self::error::{Reason, classify_cancellation, explain_update_failure, reasons_from_message, sdk_error};
use self::expr::ExprBuilder;

/// The table's physical schema, as [`DynamoStore::create_table_if_missing`] creates it and as
/// infrastructure templates must declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    /// Hash key attribute (type S).
    pub hash_key: &'static str,
    /// Range key attribute (type S).
    pub range_key: &'static str,
    /// Name of the global secondary index.
    pub gsi_name: &'static str,
    /// Hash key attribute of the index (type S).
    pub gsi_hash_key: &'static str,
    /// Range key attribute of the index (type S).
    pub gsi_range_key: &'static str,
    /// Projection of the index.
    pub gsi_projection: &'static str,
    /// Billing mode.
    pub billing_mode: &'static str,
    /// TTL attribute (enabled).
    pub ttl_attr: &'static str,
}

/// The table schema: `pk`/`sk` (S, S), GSI `gsi1` on `gsi1pk`/`gsi1sk` (S, S) projecting ALL,
/// on-demand billing (`PAY_PER_REQUEST`), TTL on `ttl`.
pub const TABLE_KEY_SCHEMA: TableSchema = TableSchema {
    hash_key: PK_ATTR,
    range_key: SK_ATTR,
    gsi_name: GSI1_NAME,
    gsi_hash_key: GSI1_PK_ATTR,
    gsi_range_key: GSI1_SK_ATTR,
    gsi_projection: "ALL",
    billing_mode: "PAY_PER_REQUEST",
    ttl_attr: TTL_ATTR,
};

/// Most items per `BatchWriteItem` request.
const BATCH_WRITE_CHUNK: usize = 25;
/// Most rounds of retrying unprocessed batch items before giving up.
const MAX_UNPROCESSED_ROUNDS: u32 = 10;
/// How long [`DynamoStore::create_table_if_missing`] waits for the table to become active.
const TABLE_ACTIVE_TIMEOUT: Duration = Duration::from_secs(120);

/// A [`Store`] on one DynamoDB table.
#[derive(Debug, Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

fn build_err(e: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::Internal(format!("building a DynamoDB request: {e}"))
}

/// Sleeps before retry round `round` (exponential, 25 ms doubling, at most 1 s).
async fn backoff(round: u32) {
    let ms = (25u64 << round.min(6)).min(1000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

impl DynamoStore {
    /// A store on `table` using the SDK's default configuration chain (environment, profile,
    /// instance role; `AWS_ENDPOINT_URL` points it at an emulator).
    pub async fn from_env(table: &str) -> Result<Self, StoreError> {
        let config = crate::aws_env::sdk_config().await;
        if config.region().is_none() {
            return Err(StoreError::Internal("no AWS region configured (set AWS_REGION)".into()));
        }
        if table.is_empty() {
            return Err(StoreError::Internal("DynamoDB table name is empty".into()));
        }
        Ok(Self::new(Client::new(&config), table))
    }

    /// A store on `table` using `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStore { client, table: table.into() }
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Opens the DynamoDB connection (DNS, TLS) now with one small read, so a Lambda pays it
    /// during init rather than in its first event; a failure is only logged.
    pub async fn warm_up(&self) {
        let probe = Key::new(&im_domain::TenantId::default_tenant(), "WARMUP", "warmup");
        if let Err(e) = self.get(&probe, Consistency::Eventual).await {
            tracing::warn!(error = %e, "warming the DynamoDB connection");
        }
    }

    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Creates the table ([`TABLE_KEY_SCHEMA`]) unless it exists, waits until it and its index are
    /// active, and enables TTL (TTL errors are ignored: some emulators lack it).
    pub async fn create_table_if_missing(&self) -> Result<(), StoreError> {
        let exists = match self.client.describe_table().table_name(&self.table).send().await {
            Ok(_) => true,
            Err(e) if e.code() == Some("ResourceNotFoundException") => false,
            Err(e) => return Err(sdk_error("DescribeTable", e)),
        };
        if !exists {
            self.create_table().await?;
        }
        self.wait_active().await?;
        self.enable_ttl().await;
        Ok(())
    }

    async fn create_table(&self) -> Result<(), StoreError> {
        let s = TABLE_KEY_SCHEMA;
        let attr = |name: &str| {
            AttributeDefinition::builder().attribute_name(name).attribute_type(ScalarAttributeType::S).build()
        };
        let key = |name: &str, kind: KeyType| KeySchemaElement::builder().attribute_name(name).key_type(kind).build();
        let gsi = GlobalSecondaryIndex::builder()
            .index_name(s.gsi_name)
            .key_schema(key(s.gsi_hash_key, KeyType::Hash).map_err(build_err)?)
            .key_schema(key(s.gsi_range_key, KeyType::Range).map_err(build_err)?)
            .projection(Projection::builder().projection_type(ProjectionType::All).build())
            .build()
            .map_err(build_err)?;
        let res = self
            .client
            .create_table()
            .table_name(&self.table)
            .attribute_definitions(attr(s.hash_key).map_err(build_err)?)
            .attribute_definitions(attr(s.range_key).map_err(build_err)?)
            .attribute_definitions(attr(s.gsi_hash_key).map_err(build_err)?)
            .attribute_definitions(attr(s.gsi_range_key).map_err(build_err)?)
            .key_schema(key(s.hash_key, KeyType::Hash).map_err(build_err)?)
            .key_schema(key(s.range_key, KeyType::Range).map_err(build_err)?)
            .global_secondary_indexes(gsi)
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            // Created concurrently by another process.
            Err(e) if e.code() == Some("ResourceInUseException") => Ok(()),
            Err(e) => Err(sdk_error("CreateTable", e)),
        }
    }

    async fn wait_active(&self) -> Result<(), StoreError> {
        let deadline = tokio::time::Instant::now() + TABLE_ACTIVE_TIMEOUT;
        loop {
            let out = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(|e| sdk_error("DescribeTable", e))?;
            if let Some(t) = out.table() {
                let indexes_active = t
                    .global_secondary_indexes()
                    .iter()
                    .all(|g| g.index_status().is_none_or(|st| *st == IndexStatus::Active));
                if t.table_status() == Some(&TableStatus::Active) && indexes_active {
                    return Ok(());
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(StoreError::Unavailable(format!("table {} did not become active in time", self.table)));
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn enable_ttl(&self) {
        let enabled = self
            .client
            .describe_time_to_live()
            .table_name(&self.table)
            .send()
            .await
            .ok()
            .and_then(|o| o.time_to_live_description)
            .and_then(|d| d.time_to_live_status)
            .is_some_and(|st| matches!(st, TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling));
        if enabled {
            return;
        }
        let spec = match TimeToLiveSpecification::builder().attribute_name(TTL_ATTR).enabled(true).build() {
            Ok(spec) => spec,
            Err(e) => {
                tracing::warn!(error = %e, "building the TTL specification failed");
                return;
            }
        };
        let res =
            self.client.update_time_to_live().table_name(&self.table).time_to_live_specification(spec).send().await;
        if let Err(e) = res {
            tracing::warn!(table = %self.table, error = %aws_sdk_dynamodb::error::DisplayErrorContext(&e), "enabling TTL failed; ignored");
        }
    }

    /// The `TransactWriteItem` of one op.
    fn transact_item(&self, op: &WriteOp) -> Result<TransactWriteItem, StoreError> {
        let mut eb = ExprBuilder::default();
        Ok(match op {
            WriteOp::Put { item, condition } => {
                let cond = eb.write_condition(condition.as_ref(), None);
                let put = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(item_to_raw(item)))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(eb.names())
                    .set_expression_attribute_values(eb.values())
                    .build()
                    .map_err(build_err)?;
                TransactWriteItem::builder().put(put).build()
            }
            WriteOp::Update { key, update, condition } => {
                let expr = eb.update(&key.tenant, update);
                let cond = eb.write_condition(condition.as_ref(), Some(update));
                let upd = aws_sdk_dynamodb::types::Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_to_raw(key)))
                    .update_expression(expr)
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(eb.names())
                    .set_expression_attribute_values(eb.values())
                    .set_return_values_on_condition_check_failure(old_on_failure(update))
                    .build()
                    .map_err(build_err)?;
                TransactWriteItem::builder().update(upd).build()
            }
            WriteOp::Delete { key, condition } => {
                let cond = eb.write_condition(condition.as_ref(), None);
                let del = Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_to_raw(key)))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(eb.names())
                    .set_expression_attribute_values(eb.values())
                    .build()
                    .map_err(build_err)?;
                TransactWriteItem::builder().delete(del).build()
            }
            WriteOp::Check { key, condition } => {
                let cond = eb.condition(condition);
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_to_raw(key)))
                    .condition_expression(cond)
                    .set_expression_attribute_names(eb.names())
                    .set_expression_attribute_values(eb.values())
                    .build()
                    .map_err(build_err)?;
                TransactWriteItem::builder().condition_check(check).build()
            }
        })
    }
}

/// Asks for the old item on a failed condition only when the update carries `ADD` guards
/// (needed to tell a guard failure from a failure of the caller's condition).
fn old_on_failure(update: &Update) -> Option<ReturnValuesOnConditionCheckFailure> {
    update
        .actions
        .iter()
        .any(|a| matches!(a, UpdateAction::Add(..)))
        .then_some(ReturnValuesOnConditionCheckFailure::AllOld)
}

fn check_opt_condition(condition: Option<&Condition>) -> Result<(), StoreError> {
    condition.map_or(Ok(()), check_condition)
}

#[async_trait]
impl Store for DynamoStore {
    async fn get(&self, key: &Key, consistency: Consistency) -> StoreResult<Option<Item>> {
        check_key(key)?;
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_to_raw(key)))
            .consistent_read(consistency == Consistency::Strong)
            .send()
            .await
            .map_err(|e| sdk_error("GetItem", e))?;
        opt_item(out.item.as_ref())
    }

    async fn batch_get(&self, keys: &[Key], consistency: Consistency) -> StoreResult<Vec<Option<Item>>> {
        check_batch_get(keys)?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut seen = HashSet::new();
        let mut pending: Vec<RawItem> = keys.iter().filter(|k| seen.insert(*k)).map(key_to_raw).collect();
        let mut found: HashMap<(String, String), Item> = HashMap::new();
        let mut round = 0;
        loop {
            let request = KeysAndAttributes::builder()
                .set_keys(Some(std::mem::take(&mut pending)))
                .consistent_read(consistency == Consistency::Strong)
                .build()
                .map_err(build_err)?;
            let mut out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|e| sdk_error("BatchGetItem", e))?;
            for raw in out.responses.as_mut().and_then(|r| r.remove(&self.table)).unwrap_or_default() {
                let item = raw_to_item(&raw)?;
                found.insert((item.key.physical_pk(), item.key.sk.clone()), item);
            }
            pending =
                out.unprocessed_keys.as_mut().and_then(|u| u.remove(&self.table)).map(|ka| ka.keys).unwrap_or_default();
            if pending.is_empty() {
                break;
            }
            round += 1;
            if round > MAX_UNPROCESSED_ROUNDS {
                return Err(StoreError::Unavailable(format!("BatchGetItem: {} keys still unprocessed", pending.len())));
            }
            backoff(round).await;
        }
        Ok(keys.iter().map(|k| found.get(&(k.physical_pk(), k.sk.clone())).cloned()).collect())
    }

    async fn put(&self, item: Item, condition: Option<Condition>) -> StoreResult<()> {
        check_item(&item)?;
        check_opt_condition(condition.as_ref())?;
        let mut eb = ExprBuilder::default();
        let cond = eb.write_condition(condition.as_ref(), None);
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item_to_raw(&item)))
            .set_condition_expression(cond)
            .set_expression_attribute_names(eb.names())
            .set_expression_attribute_values(eb.values())
            .send()
            .await
            .map_err(|e| sdk_error("PutItem", e))?;
        Ok(())
    }

    async fn update(&self, key: &Key, update: &Update, condition: Option<Condition>) -> StoreResult<Item> {
        check_update(key, update)?;
        check_opt_condition(condition.as_ref())?;
        let mut eb = ExprBuilder::default();
        let expr = eb.update(&key.tenant, update);
        let cond = eb.write_condition(condition.as_ref(), Some(update));
        let res = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_to_raw(key)))
            .update_expression(expr)
            .set_condition_expression(cond)
            .set_expression_attribute_names(eb.names())
            .set_expression_attribute_values(eb.values())
            .return_values(ReturnValue::AllNew)
            .set_return_values_on_condition_check_failure(old_on_failure(update))
            .send()
            .await;
        match res {
            Ok(out) => {
                Ok(update.returned(opt_item(out.attributes.as_ref())?.unwrap_or_else(|| Item::new(key.clone()))))
            }
            Err(e) => {
                if let Some(UpdateItemError::ConditionalCheckFailedException(ccf)) = e.as_service_error() {
                    let old = opt_item(ccf.item.as_ref())?;
                    let op = WriteOp::Update { key: key.clone(), update: update.clone(), condition };
                    return Err(explain_update_failure(&op, old.as_ref()));
                }
                Err(sdk_error("UpdateItem", e))
            }
        }
    }

    async fn delete(&self, key: &Key, condition: Option<Condition>) -> StoreResult<Option<Item>> {
        check_key(key)?;
        check_opt_condition(condition.as_ref())?;
        let mut eb = ExprBuilder::default();
        let cond = eb.write_condition(condition.as_ref(), None);
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_to_raw(key)))
            .set_condition_expression(cond)
            .set_expression_attribute_names(eb.names())
            .set_expression_attribute_values(eb.values())
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| sdk_error("DeleteItem", e))?;
        opt_item(out.attributes.as_ref())
    }

    async fn query(&self, q: &Query) -> StoreResult<Page> {
        check_query(q)?;
        let start = q.cursor.as_ref().map(|c| start_key_of_cursor(&q.tenant, q.index, &q.pk, c)).transpose()?;
        let (pk_attr, sk_attr, index_name, consistent) = match q.index {
            Index::Primary => (PK_ATTR, SK_ATTR, None, q.consistency == Consistency::Strong),
            Index::Gsi1 => (GSI1_PK_ATTR, GSI1_SK_ATTR, Some(GSI1_NAME), false),
        };
        let mut eb = ExprBuilder::default();
        let key_cond = eb.key_condition(pk_attr, physical_pk(&q.tenant, &q.pk), sk_attr, &q.sort);
        // One item more than the page, so the last page reliably has no cursor.
        let fetch = q.limit.map(|l| i32::try_from(l.saturating_add(1)).unwrap_or(i32::MAX));
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(index_name.map(str::to_string))
            .key_condition_expression(key_cond)
            .set_expression_attribute_names(eb.names())
            .set_expression_attribute_values(eb.values())
            .scan_index_forward(q.forward)
            .set_limit(fetch)
            .set_exclusive_start_key(start)
            .consistent_read(consistent)
            .send()
            .await
            .map_err(|e| sdk_error("Query", e))?;
        let mut items = out.items().iter().map(raw_to_item).collect::<Result<Vec<_>, _>>()?;
        let limit = q.limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        let cursor = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|i| cursor_of_item(q.index, i)).transpose()?
        } else {
            out.last_evaluated_key().map(|k| cursor_of_last_key(q.index, k)).transpose()?
        };
        Ok(Page { items, cursor })
    }

    async fn batch_write(&self, writes: Vec<BatchWrite>) -> StoreResult<()> {
        check_batch_write(&writes)?;
        for chunk in writes.chunks(BATCH_WRITE_CHUNK) {
            let mut pending = chunk
                .iter()
                .map(|w| {
                    Ok(match w {
                        BatchWrite::Put(item) => WriteRequest::builder()
                            .put_request(
                                PutRequest::builder().set_item(Some(item_to_raw(item))).build().map_err(build_err)?,
                            )
                            .build(),
                        BatchWrite::Delete(key) => WriteRequest::builder()
                            .delete_request(
                                DeleteRequest::builder().set_key(Some(key_to_raw(key))).build().map_err(build_err)?,
                            )
                            .build(),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let mut round = 0;
            loop {
                let mut out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, std::mem::take(&mut pending))
                    .send()
                    .await
                    .map_err(|e| sdk_error("BatchWriteItem", e))?;
                pending = out.unprocessed_items.as_mut().and_then(|u| u.remove(&self.table)).unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
                round += 1;
                if round > MAX_UNPROCESSED_ROUNDS {
                    return Err(StoreError::Unavailable(format!(
                        "BatchWriteItem: {} writes still unprocessed",
                        pending.len()
                    )));
                }
                backoff(round).await;
            }
        }
        Ok(())
    }

    async fn transact_write(&self, ops: Vec<WriteOp>) -> StoreResult<()> {
        check_transaction(&ops)?;
        let items = ops.iter().map(|op| self.transact_item(op)).collect::<Result<Vec<_>, _>>()?;
        let res = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
        let Err(e) = res else {
            return Ok(());
        };
        if let Some(TransactWriteItemsError::TransactionCanceledException(tce)) = e.as_service_error() {
            let message = tce.message().unwrap_or_default();
            let mut reasons = tce
                .cancellation_reasons()
                .iter()
                .map(|r| {
                    Ok(Reason {
                        code: r.code().map(str::to_string),
                        message: r.message().map(str::to_string),
                        old: opt_item(r.item())?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            if reasons.is_empty() {
                reasons = reasons_from_message(message);
            }
            return Err(classify_cancellation(&ops, &reasons, message));
        }
        Err(sdk_error("TransactWriteItems", e))
    }
}
