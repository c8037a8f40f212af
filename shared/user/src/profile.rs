//! Profile writes and reads: update_user_info(_ex), set_global_recv_msg_opt, get_users_info,
//! account_check.

use std::collections::HashSet;

use im_domain::{ImError, ImResult, TenantId};
use im_repo::{ProfilePatch, UserRecord};

use crate::service::UserService;
use crate::validate;

impl UserService {
    /// `/user/update_user_info` and `_ex`: applies `patch` to `user_id`. Unknown user → 1004.
    /// Only an admin (`by_admin`) may change `appMangerLevel` (1002 otherwise; sending the
    /// current value is not a change). Emits a user-info-updated event.
    pub async fn update_info(
        &self,
        tenant: &TenantId,
        user_id: &str,
        patch: ProfilePatch,
        by_admin: bool,
    ) -> ImResult<()> {
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        if let Some(level) = patch.app_manger_level {
            validate::level(level)?;
            if !by_admin {
                let current = self.users.get(tenant, user_id).await?.ok_or_else(|| not_found(user_id))?;
                if current.app_manger_level != level {
                    return Err(ImError::no_permission("only an admin may change appMangerLevel"));
                }
            }
        }
        if let Some(opt) = patch.global_recv_msg_opt {
            validate::recv_opt(opt)?;
        }
        let (old, new) = self.users.update(tenant, user_id, &patch).await?.ok_or_else(|| not_found(user_id))?;
        self.info_updated(tenant, &old, &new).await;
        Ok(())
    }

    /// `/user/set_global_recv_msg_opt`: 0 receive, 1 don't receive, 2 receive without
    /// notification. Unknown user → 1004.
    pub async fn set_global_recv_msg_opt(&self, tenant: &TenantId, user_id: &str, opt: i32) -> ImResult<()> {
        validate::recv_opt(opt)?;
        if user_id.is_empty() {
            return Err(ImError::args("UserID is empty"));
        }
        let patch = ProfilePatch { global_recv_msg_opt: Some(opt), ..ProfilePatch::default() };
        let (old, new) = self.users.update(tenant, user_id, &patch).await?.ok_or_else(|| not_found(user_id))?;
        self.info_updated(tenant, &old, &new).await;
        Ok(())
    }

    /// `/user/get_users_info`: the registered users among `user_ids`, in request order, each
    /// once; unknown IDs are left out.
    pub async fn users_info(&self, tenant: &TenantId, user_ids: &[String]) -> ImResult<Vec<UserRecord>> {
        self.users.get_many(tenant, user_ids).await
    }

    /// `/user/account_check`: for each requested ID (no repeats, 1001), whether it is registered.
    pub async fn account_check(&self, tenant: &TenantId, user_ids: &[String]) -> ImResult<Vec<(String, bool)>> {
        let mut seen = HashSet::with_capacity(user_ids.len());
        if let Some(dup) = user_ids.iter().find(|id| !seen.insert(id.as_str())) {
            return Err(ImError::args(format!("userID repeated: {dup}")));
        }
        let found: HashSet<String> =
            self.users.get_many(tenant, user_ids).await?.into_iter().map(|u| u.user_id).collect();
        Ok(user_ids.iter().map(|id| (id.clone(), found.contains(id))).collect())
    }
}

/// 1004 RecordNotFound for a user (what OpenIM answers for updates of unknown users).
pub(crate) fn not_found(user_id: &str) -> ImError {
    ImError::not_found(format!("user {user_id} not found"))
}
