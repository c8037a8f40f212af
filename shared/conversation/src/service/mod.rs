//! The conversation use cases behind `/conversation/*` and `/jssdk/*`, written once on the
//! storage port and the cross-module ports (notifications, groups). Requests and responses are
//! the OpenIM wire types; ownership is checked here as well as by the HTTP rule (defence in
//! depth: the rule reads the raw JSON, the service the decoded request).

mod jssdk;
mod overview;
mod queries;
mod settings;
mod sorted;
mod sync;

use std::sync::Arc;

use im_domain::clock::Env;
use im_domain::ports::{GroupQuery, NoopNotifier, Notifier};
use im_domain::store::DynStore;
use im_domain::{ImError, ImResult};
use im_repo::UserRepo;

use crate::lookup::NoGroups;
use crate::repo::ConversationRepo;

/// Who performs an operation (the token user), as the domain sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's user ID.
    pub user_id: String,
    /// Whether the user is an app admin.
    pub is_admin: bool,
}

impl Actor {
    /// An actor.
    pub fn new(user_id: impl Into<String>, is_admin: bool) -> Self {
        Actor { user_id: user_id.into(), is_admin }
    }

    /// 1002 unless the actor is `owner` or an app admin.
    pub fn check_self(&self, owner: &str) -> ImResult<()> {
        if self.is_admin || (!self.user_id.is_empty() && self.user_id == owner) {
            Ok(())
        } else {
            Err(ImError::no_permission(format!("user {} may not act for user {owner:?}", self.user_id)))
        }
    }
}

/// 1001 naming `what` when `value` is empty.
fn require(value: &str, what: &str) -> ImResult<()> {
    if value.is_empty() { Err(ImError::args(format!("{what} is empty"))) } else { Ok(()) }
}

/// The conversation service.
#[derive(Clone)]
pub struct ConversationService {
    repo: ConversationRepo,
    users: UserRepo,
    notifier: Arc<dyn Notifier>,
    groups: Arc<dyn GroupQuery>,
}

impl ConversationService {
    /// A service on `store` that sends no notifications and knows no groups (see
    /// [`ConversationService::with_notifier`] and [`ConversationService::with_groups`]).
    pub fn new(store: DynStore, env: Env) -> Self {
        ConversationService {
            users: UserRepo::new(store.clone()),
            repo: ConversationRepo::new(store, env),
            notifier: Arc::new(NoopNotifier),
            groups: Arc::new(NoGroups),
        }
    }

    /// Sends notifications (1300 ConversationChange, 1701 ConversationPrivateChat) through `notifier`.
    pub fn with_notifier(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// Reads groups (names, faces, membership) through `groups`.
    pub fn with_groups(mut self, groups: Arc<dyn GroupQuery>) -> Self {
        self.groups = groups;
        self
    }

    /// The conversation rows.
    pub fn repo(&self) -> &ConversationRepo {
        &self.repo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors() {
        assert!(Actor::new("a", false).check_self("a").is_ok());
        assert_eq!(Actor::new("a", false).check_self("b").unwrap_err().code, 1002);
        assert_eq!(Actor::new("", false).check_self("").unwrap_err().code, 1002);
        assert!(Actor::new("adm", true).check_self("b").is_ok());
        assert_eq!(require("", "userID").unwrap_err().dlt, "userID is empty");
    }
}
