//! Conversation rows on the storage port, with every insert and change recorded in the owner's
//! conversation version log (`im_repo::version`, [`LogKind::Conversation`]).

use std::collections::HashSet;

use im_domain::clock::Env;
use im_domain::store::{Condition, Consistency, DynStore, Item, Query, StoreError, Update};
use im_domain::{ImResult, TenantId};
use im_repo::version::{ChangeState, LogKind, VersionLog};

use crate::keys;
use crate::patch::ConversationPatch;
use crate::record::{ConversationRecord, attr};

/// What [`ConversationRepo::set_fields`] did to a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowChange {
    /// The row did not exist and was created (logged as insert).
    Created(ConversationRecord),
    /// The row existed and at least one field changed (logged as update).
    Updated(ConversationRecord),
    /// The row already had these values; nothing was written.
    Unchanged(ConversationRecord),
}

impl RowChange {
    /// Whether anything was written.
    pub fn changed(&self) -> bool {
        !matches!(self, RowChange::Unchanged(_))
    }

    /// The row after the change.
    pub fn row(&self) -> &ConversationRecord {
        match self {
            RowChange::Created(r) | RowChange::Updated(r) | RowChange::Unchanged(r) => r,
        }
    }
}

/// Store-backed conversation rows (`CONV#<owner>` / `<conversationID>`).
#[derive(Clone)]
pub struct ConversationRepo {
    store: DynStore,
    env: Env,
}

fn dedup(ids: &[String]) -> Vec<&String> {
    let mut seen = HashSet::new();
    ids.iter().filter(|id| seen.insert(id.as_str())).collect()
}

impl ConversationRepo {
    /// A repository on `store`, with time and version IDs from `env`.
    pub fn new(store: DynStore, env: Env) -> Self {
        ConversationRepo { store, env }
    }

    /// The store this repository writes to.
    pub fn store(&self) -> &DynStore {
        &self.store
    }

    /// The clock and ID ports.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The conversation version logs (one per owner).
    pub fn versions(&self) -> VersionLog<'_> {
        VersionLog::new(self.store.as_ref(), &self.env)
    }

    async fn log(&self, t: &TenantId, owner: &str, cid: &str, state: ChangeState) -> ImResult<()> {
        self.versions().append(t, LogKind::Conversation, owner, &[(cid, state)]).await?;
        Ok(())
    }

    /// One row, if it exists.
    pub async fn get(&self, t: &TenantId, owner: &str, cid: &str) -> ImResult<Option<ConversationRecord>> {
        let item = self.store.get(&keys::conversation(t, owner, cid), Consistency::Strong).await?;
        Ok(item.as_ref().map(ConversationRecord::from_item))
    }

    /// The `recvMsgOpt` of `owner`'s row of `cid` (`None`: no row), reading only that attribute
    /// (the send path's check).
    pub async fn recv_msg_opt(&self, t: &TenantId, owner: &str, cid: &str) -> ImResult<Option<i32>> {
        let key = keys::conversation(t, owner, cid);
        let item = self.store.get_projected(&key, &[attr::RECV_MSG_OPT], Consistency::Strong).await?;
        Ok(item.map(|i| i32::try_from(i.n(attr::RECV_MSG_OPT).unwrap_or_default()).unwrap_or_default()))
    }

    /// `owner`'s rows among `cids`, in request order (duplicates once, missing rows skipped).
    pub async fn get_many(&self, t: &TenantId, owner: &str, cids: &[String]) -> ImResult<Vec<ConversationRecord>> {
        let ids = dedup(cids);
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(100) {
            let ks: Vec<_> = chunk.iter().map(|cid| keys::conversation(t, owner, cid)).collect();
            let items = self.store.batch_get(&ks, Consistency::Strong).await?;
            out.extend(items.iter().flatten().map(ConversationRecord::from_item));
        }
        Ok(out)
    }

    /// The rows of conversation `cid` owned by `owners` (in request order, missing skipped).
    pub async fn rows_of(&self, t: &TenantId, cid: &str, owners: &[String]) -> ImResult<Vec<ConversationRecord>> {
        let ids = dedup(owners);
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(100) {
            let ks: Vec<_> = chunk.iter().map(|owner| keys::conversation(t, owner, cid)).collect();
            let items = self.store.batch_get(&ks, Consistency::Strong).await?;
            out.extend(items.iter().flatten().map(ConversationRecord::from_item));
        }
        Ok(out)
    }

    /// Every row of `owner`, ordered by conversation ID.
    pub async fn list(&self, t: &TenantId, owner: &str) -> ImResult<Vec<ConversationRecord>> {
        let mut out = Vec::new();
        let mut cursor = None;
        loop {
            let q = Query::partition(t, keys::conversation_pk(owner)).after(cursor);
            let page = self.store.query(&q).await?;
            out.extend(page.items.iter().map(ConversationRecord::from_item));
            cursor = page.cursor;
            if cursor.is_none() {
                return Ok(out);
            }
        }
    }

    /// Every conversation ID of `owner`, ordered (the order `idHash` is computed over).
    pub async fn ids(&self, t: &TenantId, owner: &str) -> ImResult<Vec<String>> {
        Ok(self.list(t, owner).await?.into_iter().map(|r| r.conversation_id).collect())
    }

    /// Creates the rows of `template`'s conversation for those `owners` who have none yet
    /// (conditional put, so concurrent creators and existing settings are never overwritten) and
    /// logs each creation as an insert in the owner's version log. Returns the owners whose row
    /// was created. No notification is sent (OpenIM creates rows silently on the first message).
    pub async fn ensure_rows(
        &self,
        t: &TenantId,
        owners: &[String],
        template: &ConversationRecord,
    ) -> ImResult<Vec<String>> {
        let cid = template.conversation_id.as_str();
        let mut missing = Vec::new();
        for chunk in dedup(owners).chunks(100) {
            let ks: Vec<_> = chunk.iter().map(|owner| keys::conversation(t, owner, cid)).collect();
            let items = self.store.batch_get(&ks, Consistency::Strong).await?;
            missing.extend(chunk.iter().zip(items).filter(|(_, item)| item.is_none()).map(|(owner, _)| *owner));
        }
        let mut created = Vec::with_capacity(missing.len());
        for owner in missing {
            let row = template.for_owner(owner, self.env.clock.now_ms());
            match self.store.put(row.to_item(t), Some(Condition::ItemNotExists)).await {
                Ok(()) => {
                    self.log(t, owner, cid, ChangeState::Insert).await?;
                    created.push(owner.clone());
                }
                Err(StoreError::ConditionFailed) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(created)
    }

    /// Both parties' rows of a two-party conversation (single `si_` or notification `sn_`), each
    /// naming the other as `userID`. Returns the owners whose row was created.
    pub async fn ensure_pair(
        &self,
        t: &TenantId,
        cid: &str,
        conversation_type: i32,
        a: &str,
        b: &str,
    ) -> ImResult<Vec<String>> {
        let mut created = self
            .ensure_rows(t, &[a.to_string()], &ConversationRecord::new(cid, conversation_type).with_user(b))
            .await?;
        if a != b {
            let more = self
                .ensure_rows(t, &[b.to_string()], &ConversationRecord::new(cid, conversation_type).with_user(a))
                .await?;
            created.extend(more);
        }
        Ok(created)
    }

    /// Writes `patch` on `owner`'s row of `template`'s conversation, creating the row from the
    /// template (plus the patch) when missing. Logs an insert or an update; writes and logs
    /// nothing when no value changes.
    pub async fn set_fields(
        &self,
        t: &TenantId,
        owner: &str,
        template: &ConversationRecord,
        patch: &ConversationPatch,
    ) -> ImResult<RowChange> {
        let cid = template.conversation_id.as_str();
        let key = keys::conversation(t, owner, cid);
        // A row that appears or disappears between the read and the conditional write is retried.
        for _ in 0..3 {
            let now = self.env.clock.now_ms();
            match self.get(t, owner, cid).await? {
                Some(row) => {
                    if !patch.differs_from(&row) {
                        return Ok(RowChange::Unchanged(row));
                    }
                    match self.store.update(&key, &patch.to_update(now), Some(Condition::ItemExists)).await {
                        Ok(item) => {
                            self.log(t, owner, cid, ChangeState::Update).await?;
                            return Ok(RowChange::Updated(ConversationRecord::from_item(&item)));
                        }
                        Err(StoreError::ConditionFailed) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
                None => {
                    let mut row = template.for_owner(owner, now);
                    patch.apply_to(&mut row);
                    match self.store.put(row.to_item(t), Some(Condition::ItemNotExists)).await {
                        Ok(()) => {
                            self.log(t, owner, cid, ChangeState::Insert).await?;
                            return Ok(RowChange::Created(row));
                        }
                        Err(StoreError::ConditionFailed) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        Err(StoreError::Unavailable(format!("conversation {cid} of {owner} kept changing")).into())
    }

    /// Writes `patch` on the existing rows of `cid` owned by `owners` (rows that do not exist are
    /// not created) and logs an update for each; OpenIM's internal `UpdateConversation`. Returns
    /// the owners whose row was written.
    pub async fn update_existing(
        &self,
        t: &TenantId,
        owners: &[String],
        cid: &str,
        patch: &ConversationPatch,
    ) -> ImResult<Vec<String>> {
        let mut written = Vec::new();
        if patch.is_empty() {
            return Ok(written);
        }
        for owner in dedup(owners) {
            let update = patch.to_update(self.env.clock.now_ms());
            match self.store.update(&keys::conversation(t, owner, cid), &update, Some(Condition::ItemExists)).await {
                Ok(_) => {
                    self.log(t, owner, cid, ChangeState::Update).await?;
                    written.push(owner.clone());
                }
                Err(StoreError::ConditionFailed) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(written)
    }

    /// Moves `owner`'s read pointer of `cid` forward to `seq` (never backwards). `Ok(false)` when
    /// the row does not exist or already has a read seq ≥ `seq`. Not versioned: read pointers
    /// reach clients through the seq APIs, not the conversation sync.
    pub async fn advance_has_read_seq(&self, t: &TenantId, owner: &str, cid: &str, seq: i64) -> ImResult<bool> {
        let cond = Condition::ItemExists
            .and(Condition::lt(attr::HAS_READ_SEQ, seq).or(Condition::NotExists(attr::HAS_READ_SEQ.to_string())));
        let update = Update::new().set(attr::HAS_READ_SEQ, seq);
        match self.store.update(&keys::conversation(t, owner, cid), &update, Some(cond)).await {
            Ok(_) => Ok(true),
            Err(StoreError::ConditionFailed) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes `owner`'s row of `cid` and logs a delete; `Ok(false)` when there was none.
    pub async fn delete(&self, t: &TenantId, owner: &str, cid: &str) -> ImResult<bool> {
        let old: Option<Item> = self.store.delete(&keys::conversation(t, owner, cid), None).await?;
        if old.is_none() {
            return Ok(false);
        }
        self.log(t, owner, cid, ChangeState::Delete).await?;
        Ok(true)
    }
}
