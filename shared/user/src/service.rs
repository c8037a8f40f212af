//! The user service: state shared by every user operation.

use std::sync::Arc;

use im_domain::TenantId;
use im_domain::clock::Env;
use im_domain::store::DynStore;
use im_repo::connection::ConnectionRegistry;
use im_repo::{CommandRepo, CredentialRepo, UserRecord, UserRepo};

use crate::events::{CommandChange, NoopUserEvents, UserEvents};
use crate::password::PasswordHasher;

/// Every user operation, on one store. Cheap to share behind an `Arc`.
pub struct UserService {
    pub(crate) users: UserRepo,
    pub(crate) credentials: CredentialRepo,
    pub(crate) commands: CommandRepo,
    pub(crate) connections: ConnectionRegistry,
    pub(crate) events: Arc<dyn UserEvents>,
    pub(crate) env: Env,
    pub(crate) admins: Vec<String>,
    pub(crate) passwords: PasswordHasher,
}

impl UserService {
    /// A service on `store`; `admins` are the app-admin user IDs (`imAdminUserID`). Events are
    /// dropped until [`UserService::with_events`] sets a receiver.
    pub fn new(store: DynStore, env: Env, admins: Vec<String>) -> Self {
        UserService {
            users: UserRepo::new(store.clone()),
            credentials: CredentialRepo::new(store.clone()),
            commands: CommandRepo::new(store.clone()),
            connections: ConnectionRegistry::new(store, env.clock.clone()),
            events: Arc::new(NoopUserEvents),
            env,
            admins,
            passwords: PasswordHasher::default(),
        }
    }

    /// The same service sending changes to `events`.
    pub fn with_events(mut self, events: Arc<dyn UserEvents>) -> Self {
        self.events = events;
        self
    }

    /// The same service hashing passwords with `hasher` (tests use cheaper settings).
    pub fn with_password_hasher(mut self, hasher: PasswordHasher) -> Self {
        self.passwords = hasher;
        self
    }

    /// Whether `user_id` is an app admin.
    pub fn is_admin_id(&self, user_id: &str) -> bool {
        self.admins.iter().any(|a| a == user_id)
    }

    /// The user repository (shared with other modules of the same process).
    pub fn users(&self) -> &UserRepo {
        &self.users
    }

    /// Reports a profile change; a failing receiver is logged, not propagated.
    pub(crate) async fn info_updated(&self, tenant: &TenantId, old: &UserRecord, new: &UserRecord) {
        if let Err(e) = self.events.user_info_updated(tenant, old, new).await {
            tracing::warn!(user_id = %new.user_id, error = %e, "user-info-updated event failed");
        }
    }

    /// Reports a user-command change; a failing receiver is logged, not propagated.
    pub(crate) async fn command_changed(&self, tenant: &TenantId, user_id: &str, change: CommandChange) {
        if let Err(e) = self.events.user_command_changed(tenant, user_id, change).await {
            tracing::warn!(%user_id, error = %e, "user-command event failed");
        }
    }
}
