//! The friend service: state and helpers shared by its operations (`apply`, `friends`,
//! `blacks`, `sync`).

use std::collections::HashSet;
use std::sync::Arc;

use im_domain::clock::Env;
use im_domain::ports::{Notification, Notifier};
use im_domain::store::DynStore;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::UserRepo;
use im_repo::version::{ChangeState, Head, LogKind, VersionLog};

use crate::convert::Profiles;
use crate::repo::RelationRepo;

/// Friends, applications and blacklists of every tenant (reference §1.3), on the storage port.
/// Every change of a friend list is appended to its owner's version log ([`LogKind::Friend`]);
/// notifications go through the [`Notifier`] port.
pub struct FriendService {
    pub(crate) repo: RelationRepo,
    pub(crate) users: UserRepo,
    pub(crate) env: Env,
    pub(crate) notifier: Arc<dyn Notifier>,
}

impl FriendService {
    /// A service on `store`, with time and IDs from `env`, sending notifications to `notifier`.
    pub fn new(store: DynStore, env: Env, notifier: Arc<dyn Notifier>) -> Self {
        FriendService { repo: RelationRepo::new(store.clone()), users: UserRepo::new(store), env, notifier }
    }

    /// The relation reads (also the [`im_domain::ports::RelationQuery`] of the send path).
    pub fn repo(&self) -> &RelationRepo {
        &self.repo
    }

    /// Now, Unix milliseconds.
    pub(crate) fn now(&self) -> i64 {
        self.env.clock.now_ms()
    }

    /// The version logs on this service's store.
    pub(crate) fn log(&self) -> VersionLog<'_> {
        VersionLog::new(&**self.repo.store(), &self.env)
    }

    /// Records changes of `owner`'s friend list as one new version.
    pub(crate) async fn append(&self, t: &TenantId, owner: &str, changes: &[(&str, ChangeState)]) -> ImResult<Head> {
        Ok(self.log().append(t, LogKind::Friend, owner, changes).await?)
    }

    /// The current head of `owner`'s friend log.
    pub(crate) async fn head(&self, t: &TenantId, owner: &str) -> ImResult<Head> {
        Ok(self.log().head(t, LogKind::Friend, owner).await?)
    }

    /// Profiles of the distinct `ids` that are registered.
    pub(crate) async fn profiles(&self, t: &TenantId, ids: &[&str]) -> ImResult<Profiles> {
        let mut seen = HashSet::new();
        let ids: Vec<String> = ids.iter().filter(|id| seen.insert(**id)).map(|id| id.to_string()).collect();
        let users = self.users.get_many(t, &ids).await?;
        Ok(users.into_iter().map(|u| (u.user_id.clone(), u)).collect())
    }

    /// Profiles of `ids`, every one of which must be registered (1101 otherwise).
    pub(crate) async fn require_users(&self, t: &TenantId, ids: &[&str]) -> ImResult<Profiles> {
        let users = self.profiles(t, ids).await?;
        match ids.iter().find(|id| !users.contains_key(**id)) {
            Some(missing) => Err(ImError::new(ErrCode::UserIdNotFound, format!("user {missing} not found"))),
            None => Ok(users),
        }
    }

    /// Sends a notification; a failure is logged, not returned (the change already happened).
    pub(crate) async fn emit(&self, n: Notification) {
        let (content_type, recv) = (n.content_type, n.recv_id.clone());
        if let Err(e) = self.notifier.notify(n).await {
            tracing::warn!(content_type, recv_id = %recv, error = %e, "friend notification failed");
        }
    }
}

/// 1001 naming `field` when `value` is empty.
pub(crate) fn required(value: &str, field: &str) -> ImResult<()> {
    if value.is_empty() { Err(ImError::args(format!("{field} is empty"))) } else { Ok(()) }
}

/// 1001 when `ids` repeats a value.
pub(crate) fn distinct(ids: &[String], what: &str) -> ImResult<()> {
    let mut seen = HashSet::new();
    if ids.iter().all(|id| seen.insert(id.as_str())) { Ok(()) } else { Err(ImError::args(format!("{what} repeated"))) }
}
