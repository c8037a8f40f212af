//! The messaging module's handle: its ports and settings, shared by the send service, the
//! consumers, the notifier and the pulls.

use std::sync::Arc;

use im_conversation::repo::ConversationRepo;
use im_domain::clock::Env;
use im_domain::ports::{GroupQuery, Queue, RelationQuery};
use im_domain::store::DynStore;
use im_repo::UserRepo;

use crate::config::MsgConfig;

/// What the messaging module runs on.
#[derive(Clone)]
pub struct MsgDeps {
    /// The store.
    pub store: DynStore,
    /// Clock and IDs.
    pub env: Env,
    /// Where post-store work goes (`Topic::Transfer`, `Topic::Push`).
    pub queue: Arc<dyn Queue>,
    /// Blacklist and friendship answers (the friend module).
    pub relations: Arc<dyn RelationQuery>,
    /// Group answers (the group module).
    pub groups: Arc<dyn GroupQuery>,
    /// Settings.
    pub config: MsgConfig,
}

/// A cheap-to-clone handle to the messaging module.
#[derive(Clone)]
pub struct Messaging {
    deps: Arc<MsgDeps>,
    users: UserRepo,
    conversations: ConversationRepo,
}

impl Messaging {
    /// The module on `deps`.
    pub fn new(deps: MsgDeps) -> Self {
        let users = UserRepo::new(deps.store.clone());
        let conversations = ConversationRepo::new(deps.store.clone(), deps.env.clone());
        Messaging { deps: Arc::new(deps), users, conversations }
    }

    /// The store.
    pub fn store(&self) -> &DynStore {
        &self.deps.store
    }

    /// Clock and IDs.
    pub fn env(&self) -> &Env {
        &self.deps.env
    }

    /// The queue.
    pub fn queue(&self) -> &Arc<dyn Queue> {
        &self.deps.queue
    }

    /// Relation answers.
    pub fn relations(&self) -> &Arc<dyn RelationQuery> {
        &self.deps.relations
    }

    /// Group answers.
    pub fn groups(&self) -> &Arc<dyn GroupQuery> {
        &self.deps.groups
    }

    /// Settings.
    pub fn config(&self) -> &MsgConfig {
        &self.deps.config
    }

    /// User records.
    pub fn users(&self) -> &UserRepo {
        &self.users
    }

    /// Conversation rows.
    pub fn conversations(&self) -> &ConversationRepo {
        &self.conversations
    }

    /// Now, Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.deps.env.clock.now_ms()
    }
}
